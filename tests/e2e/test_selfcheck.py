"""Browser journeys through the self-check: a red flag ends on the care page; a normal run ends on a plan."""

import re

from tests.e2e.conftest import assert_accessible


def choose(page, label):
    """Pick an answer and continue, waiting for the next page."""
    page.get_by_label(label, exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


def test_a_999_sign_leads_to_the_999_page_and_nothing_else(page):
    """Ticking an emergency sign stops the self-check: call 999, a tap-to-call link, and nothing else offered."""
    page.goto("/assessment/")
    assert_accessible(page)
    page.get_by_role("button", name="Start the self-check").click()
    page.wait_for_url("**/assessment/warning-signs/")
    assert_accessible(page)
    # continuing with nothing ticked is not allowed
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert_accessible(page)
    page.get_by_label("Chest pain", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/get-care/")
    assert page.locator("h1").inner_text() == "Call 999 or go to A&E now"
    call = page.get_by_role("link", name="Call 999")
    assert call.is_visible() and call.get_attribute("href") == "tel:999"
    assert page.locator("h1").evaluate("h => getComputedStyle(h).color") == "rgb(138, 28, 28)"
    assert page.get_by_text("Chest pain", exact=True).is_visible()
    links = page.locator("main a, header a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert all(link.startswith("tel:") for link in links), links
    assert page.locator("aside").count() == 0
    assert page.get_by_text("bedtime routine").count() == 0
    assert_accessible(page)
    assert page.external_requests == []


def test_a_111_sign_leads_to_the_same_day_page(page):
    page.goto("/assessment/")
    page.get_by_role("button", name="Start the self-check").click()
    page.get_by_label("A high temperature, or you feel hot and shivery").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/get-care/")
    assert page.locator("h1").inner_text() == "Call 111 or get an urgent GP appointment today"
    assert page.get_by_role("link", name="Call 111").get_attribute("href") == "tel:111"
    assert page.locator("aside").count() == 0
    assert_accessible(page)


def test_a_reader_with_months_of_pain_gets_gp_advice_and_a_side_specific_plan(page):
    """Long-lasting pain is no stop: advice, the checks (leaving and coming back), a right-side plan."""
    page.goto("/assessment/")
    page.get_by_role("button", name="Start the self-check").click()
    page.get_by_label(re.compile("has not got better after a few weeks")).check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/see-a-gp/")
    assert page.locator("h1").inner_text() == "See a GP when you can"
    assert_accessible(page)
    page.get_by_label("No, or I'm not sure").check()
    page.get_by_role("button", name="Carry on with the self-check").click()
    page.wait_for_url("**/assessment/question/1/")
    assert re.fullmatch(r"Question 1 of 1\d", page.locator("#step-count").inner_text())
    assert_accessible(page)
    choose(page, "No, it rested on the bed on both sides")
    page.wait_for_url("**/assessment/question/2/")
    # the browser's Back button and a reload lose nothing
    page.go_back()
    page.wait_for_url("**/assessment/question/1/")
    page.reload()
    assert page.get_by_label("No, it rested on the bed on both sides", exact=True).is_checked()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/question/2/")
    # an error is announced and linked to the answers
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert_accessible(page)
    choose(page, "No")
    # a self-test page opened from a question links back to it
    page.get_by_role("link", name=re.compile("How to do this check")).click()
    page.wait_for_url(re.compile(r".*/assessment/self-tests/.*\?question=3$"))
    page.get_by_role("link", name="Back to question 3").click()
    page.wait_for_url("**/assessment/question/3/")
    choose(page, "Nearly straight on both sides (less than about 20 degrees short)")
    # the menu's self-check link offers to carry on, and loses nothing
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Self-check").click()
    page.wait_for_url("**/assessment/")
    page.get_by_role("link", name="Continue where you left off").click()
    page.wait_for_url("**/assessment/question/4/")
    choose(page, "About level")
    choose(page, "A gentle curve")
    choose(page, "My right hip is higher")
    choose(page, "Yes, deeper on my right side")
    # the page's own Back link, then forward again
    page.get_by_role("link", name="Back", exact=True).click()
    page.wait_for_url("**/assessment/question/7/")
    assert page.get_by_label("Yes, deeper on my right side", exact=True).is_checked()
    page.get_by_role("button", name="Continue").click()
    choose(page, "Yes, when I stood on my right leg")
    choose(page, "No, my feet were level (or it changed each time)")
    choose(page, "No, they look even")
    choose(page, "Somewhere else, or I have no pain now")
    choose(page, "Nothing in particular")
    choose(page, "No")
    choose(page, "No")
    page.wait_for_url("**/assessment/check-your-answers/")
    assert_accessible(page)
    page.get_by_role("button", name="Get my result").click()
    page.wait_for_url(re.compile(r".*/assessment/result/[A-Za-z0-9_-]{43}/$"))
    assert page.locator("h1").inner_text() == "Your self-check result"
    assert page.locator("#outcome-heading").inner_text() == "Your checks fit the pattern of lateral pelvic tilt"
    assert page.get_by_text("Side: right (the hip your check found higher).").is_visible()
    assert page.locator("#gp-heading").inner_text() == "See a GP when you can"
    assert page.get_by_role("heading", name="Stay active: it helps most").is_visible()
    assert page.get_by_role("heading", name="What a self-check cannot tell you").is_visible()
    assert page.get_by_text("Likely").count() == 0
    assert_accessible(page)
    # the stretch opened from the plan says the plan's side
    page.get_by_role("link", name="Side-lying QL stretch over a pillow").first.click()
    page.wait_for_url(re.compile(r".*/stretches/quadratus-lumborum/side-lying-ql-stretch-pillow/\?side=right$"))
    assert page.get_by_text("Your plan: stretch your right side only").is_visible()
    page.go_back()
    url = page.url
    page.reload()
    assert page.url == url
    assert page.locator("#outcome-heading").inner_text() == "Your checks fit the pattern of lateral pelvic tilt"
    # taking it again from the result works in a real browser (its no-referrer must not break the form)
    page.get_by_role("button", name="Take the self-check again").click()
    page.wait_for_url(re.compile(r".*/assessment/\?previous=[A-Za-z0-9_-]{43}$"))
    assert page.get_by_text("we'll compare your new result with your earlier one").is_visible()
    page.get_by_role("button", name="Start the self-check").click()
    page.wait_for_url("**/assessment/warning-signs/")
    assert page.external_requests == []


def test_the_result_puts_the_plan_first_on_a_phone(page):
    """At 390 px the outcome heading is on the first screen, above the caveats."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/assessment/")
    page.get_by_role("button", name="Start the self-check").click()
    page.get_by_label("I have none of these").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/question/1/")
    choose(page, "Yes, on both sides")
    while "/question/" in page.url:
        page.get_by_role("radio").first.check()
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Get my result").click()
    page.wait_for_url(re.compile(r".*/assessment/result/[A-Za-z0-9_-]{43}/$"))
    outcome = page.locator("#outcome-heading").bounding_box()
    caveats = page.locator("#cannot-tell-heading").bounding_box()
    assert outcome["y"] < 844 and outcome["y"] < caveats["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)


def test_a_result_link_opened_in_another_browser_shows_after_one_click(page, browser, site):
    """A friend given the link, with JavaScript off, sees a step first, presses the button, then the result."""
    page.goto("/assessment/")
    page.get_by_role("button", name="Start the self-check").click()
    page.get_by_label("I have none of these").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/question/1/")
    while "/question/" in page.url:
        page.get_by_role("radio").first.check()
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Get my result").click()
    page.wait_for_url(re.compile(r".*/assessment/result/[A-Za-z0-9_-]{43}/$"))
    link = page.url
    scores = page.get_by_role("heading", name="Points from your home checks")
    assert scores.is_visible()
    outcome = page.locator("#outcome-heading").inner_text()

    stranger = browser.new_context(base_url=site.url)
    friend = browser.new_context(base_url=site.url, java_script_enabled=False)
    try:
        step = stranger.new_page()
        step.goto(link)
        assert step.locator("h1").inner_text() == "Open a saved self-check result"
        assert_accessible(step)
        tab = friend.new_page()
        tab.goto(link)
        assert tab.locator("h1").inner_text() == "Open a saved self-check result"
        assert tab.get_by_role("heading", name="Points from your home checks").count() == 0
        assert tab.locator("#outcome-heading").count() == 0
        with tab.expect_navigation():
            tab.get_by_role("button", name="Show the result").click()
        assert tab.url == link
        assert tab.locator("h1").inner_text() == "Your self-check result"
        assert tab.get_by_role("heading", name="Points from your home checks").is_visible()
        assert tab.locator("#outcome-heading").inner_text() == outcome
        tab.reload()
        assert tab.locator("h1").inner_text() == "Your self-check result"
    finally:
        stranger.close()
        friend.close()
