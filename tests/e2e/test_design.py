"""The design system in a real browser: every page type fits a 390px phone and a 1366px desktop without sideways
scrolling, the phone header is one row no taller than 72px with a menu that works without JavaScript, keyboard
focus is visible on links, buttons and radios, checked answers wear the brand's teal, and no self-check or care
page has a sidebar."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

PHONE, DESKTOP = 390, 1366
HEADER_MAX = 72
# Bootstrap's default blue, cyan and green, their pale and border variants, and its blue focus glow.
BOOTSTRAP_DEFAULTS = ["13, 110, 253", "13, 202, 240", "25, 135, 84", "207, 226, 255", "207, 244, 252", "209, 231, 221"]
BOOTSTRAP_DEFAULTS += ["134, 183, 254", "158, 197, 254", "158, 234, 249", "163, 207, 187", "10, 88, 202"]
TEAL = "rgb(11, 110, 105)"
FOCUS_YELLOW = "rgb(255, 191, 71)"

READING_PAGES = [
    "/",
    "/articles/why-stretch-at-bedtime/",
    "/stretches/",
    "/stretches/hamstrings/",
    "/stretches/hamstrings/lying-hamstring-stretch-strap/",
    "/search/?q=hamstring",
    "/contact/",
    "/site-map/",
    "/assessment/",
]
# One run through the home checks, to a lateral pelvic tilt on the right.
ANSWERS = [
    "No, it rested on the bed on both sides",
    "No",
    "Nearly straight on both sides (less than about 20 degrees short)",
    "About level",
    "A gentle curve",
    "My right hip is higher",
    "Yes, deeper on my right side",
    "Yes, when I stood on my right leg",
    "No, my feet were level (or it changed each time)",
    "No, they look even",
    "Somewhere else, or I have no pain now",
    "Nothing in particular",
    "No",
    "No",
]


def assert_fits(page, width):
    """At ``width`` the page scrolls only downwards; on a phone the header is one row at most 72px tall."""
    page.set_viewport_size({"width": width, "height": 900})
    scroll_width, inner_width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"{page.url} at {width}px scrolls sideways: {scroll_width}px wide"
    if width == PHONE:
        height = page.locator("header.site-header").bounding_box()["height"]
        assert height <= HEADER_MAX, f"{page.url}: the header is {height:.0f}px tall on a phone"


def bootstrap_colours_on(page):
    """Elements (tag.class) drawn in any of Bootstrap's default blue, cyan or green, in any state shown now."""
    return page.evaluate(
        """defaults => [...document.querySelectorAll('body *')].flatMap(e => {
            const s = getComputedStyle(e);
            const drawn = [s.color, s.backgroundColor, s.borderTopColor, s.borderLeftColor, s.outlineColor,
                s.boxShadow];
            return drawn.some(c => defaults.some(d => c.includes(d))) ? [e.tagName + '.' + e.className] : [];
        })""",
        [f"rgb({d})" for d in BOOTSTRAP_DEFAULTS] + [f"rgba({d}," for d in BOOTSTRAP_DEFAULTS],
    )


def assert_fits_both(page):
    for width in (PHONE, DESKTOP):
        assert_fits(page, width)


def start_self_check(page):
    page.goto("/assessment/")
    page.get_by_role("button", name="Start the self-check").click()
    page.wait_for_url("**/assessment/warning-signs/")


def choose(page, label):
    page.get_by_label(label, exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


def tab_to(page, selector, limit=80):
    """Press Tab until the focused element matches ``selector``, as a keyboard user would reach it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return page.locator(":focus")
    pytest.fail(f"Tab never reached {selector} on {page.url}")


def focus_ring(element):
    """The focused element's outline and box shadow, as the browser draws them."""
    return element.evaluate(
        "e => { const s = getComputedStyle(e); return {style: s.outlineStyle, "
        "width: parseFloat(s.outlineWidth), colour: s.outlineColor, shadow: s.boxShadow}; }"
    )


def assert_focus_visible(element):
    ring = focus_ring(element)
    outlined = ring["style"] != "none" and ring["width"] >= 2
    assert outlined or ring["shadow"] != "none", f"no visible focus: {ring}"
    assert ring["colour"] == FOCUS_YELLOW and ring["shadow"] != "none", f"not the site's focus ring: {ring}"


@pytest.mark.parametrize("path", READING_PAGES)
def test_reading_pages_fit_a_phone_and_a_desktop(page, path):
    response = page.goto(path)
    assert response.status == 200
    assert_fits_both(page)
    assert bootstrap_colours_on(page) == []


def test_the_404_page_fits_a_phone_and_a_desktop(page):
    assert page.goto("/no-such-page/").status == 404
    assert_fits_both(page)
    assert bootstrap_colours_on(page) == []


def test_self_check_pages_fit_and_have_no_sidebar(page):
    """The warning signs, a question and a result fit both sizes, and none of them (nor the start) has a sidebar."""
    page.goto("/assessment/")
    assert page.locator("aside").count() == 0
    start_self_check(page)
    assert_fits_both(page)
    assert page.locator("aside").count() == 0
    page.get_by_label("I have none of these").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/question/1/")
    assert_fits_both(page)
    assert page.locator("aside").count() == 0
    for answer in ANSWERS:
        choose(page, answer)
    page.wait_for_url("**/assessment/check-your-answers/")
    page.get_by_role("button", name="Get my result").click()
    page.wait_for_url(re.compile(r".*/assessment/result/[A-Za-z0-9_-]{43}/$"))
    assert_fits_both(page)
    assert page.locator("aside").count() == 0
    assert bootstrap_colours_on(page) == []
    # The score bars are the brand's, not the browser's green: the full bar (6 of 6) is teal in its middle.
    full = page.locator("meter.score-meter[value='6'][max='6']")
    picture = Image.open(io.BytesIO(full.screenshot())).convert("RGB")
    assert picture.getpixel((picture.width // 2, picture.height // 2)) == (11, 110, 105)
    page.goto("/assessment/self-tests/")
    assert page.locator("aside").count() == 0


@pytest.mark.parametrize(("sign", "heading"), [("Chest pain", "Call 999"), ("A high temperature", "Call 111")])
def test_care_pages_fit_and_put_one_large_call_button_first(page, sign, heading):
    start_self_check(page)
    page.get_by_label(re.compile(sign)).first.check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/get-care/")
    assert page.locator("h1").inner_text().startswith(heading)
    assert_fits_both(page)
    assert page.locator("aside").count() == 0
    assert bootstrap_colours_on(page) == []
    page.set_viewport_size({"width": PHONE, "height": 900})
    call = page.get_by_role("link", name=heading, exact=True).bounding_box()
    box = page.locator(".care-tier").bounding_box()
    assert call["height"] >= 44 and call["width"] >= box["width"] - 60, (call, box)  # the box's width, less padding


def test_phone_menu_opens_without_javascript_and_marks_the_current_page(browser, site):
    context = browser.new_context(
        base_url=site.url, java_script_enabled=False, viewport={"width": PHONE, "height": 800}
    )
    page = context.new_page()
    page.goto("/stretches/")
    nav = page.get_by_role("navigation", name="Main")
    stretches = nav.get_by_role("link", name="Stretches")
    expect(stretches).to_be_hidden()
    menu = nav.locator("summary", has_text="Menu")
    expect(menu).to_be_visible()
    menu.click()
    expect(stretches).to_be_visible()
    assert stretches.get_attribute("aria-current") == "page"
    nav.get_by_role("link", name="Search").click()
    page.wait_for_url("**/search/")
    page.get_by_role("navigation", name="Main").locator("summary").click()
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").get_attribute("aria-current")
    context.close()


def test_desktop_menu_shows_every_link_in_the_header_row(page):
    page.set_viewport_size({"width": DESKTOP, "height": 800})
    page.goto("/articles/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.locator("summary")).to_be_hidden()
    header = page.locator("header.site-header").bounding_box()
    for name in ("Articles", "Stretches", "Self-check", "Search"):
        link = nav.get_by_role("link", name=name)
        expect(link).to_be_visible()
        assert link.bounding_box()["y"] + link.bounding_box()["height"] <= header["y"] + header["height"]
    assert nav.get_by_role("link", name="Articles").get_attribute("aria-current") == "page"


def test_keyboard_focus_is_visible_on_a_link_a_button_a_radio_and_the_menu(page):
    page.set_viewport_size({"width": PHONE, "height": 900})
    page.goto("/assessment/")
    assert_focus_visible(tab_to(page, "summary"))
    assert_focus_visible(tab_to(page, "main a"))
    assert_focus_visible(tab_to(page, "main button.btn-primary"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/assessment/warning-signs/")
    page.get_by_label("I have none of these").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/question/1/")
    radio = tab_to(page, "input[type=radio]")
    assert_focus_visible(radio)
    page.keyboard.press("Space")
    expect(radio).to_be_checked()
    assert radio.evaluate("r => getComputedStyle(r).backgroundColor") == TEAL
