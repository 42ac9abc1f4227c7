"""Tonight's routine in a real browser: from a finished self-check to the guided page, the player run with the
keyboard on Playwright's clock (no waiting), the screen kept awake only while it runs, nothing wider than a
phone, and without JavaScript a list that prints with its cautions."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible

PHONE = {"width": 390, "height": 844}
RIGHT_HIP = {"My right hip is higher", "Yes, deeper on my right side"}
NOTHING_FOUND = {
    "No, it rested on the bed on both sides",
    "No",
    "Nearly straight on both sides (less than about 20 degrees short)",
    "About level",
    "A gentle curve",
    "No, it stayed level both times",
    "No, my feet were level (or it changed each time)",
    "No, they look even",
    "Somewhere else, or I have no pain now",
    "Nothing in particular",
}

# Stands in for the Screen Wake Lock API (headless Chromium has none to give): records each request and release.
FAKE_WAKE_LOCK = """
window.wakeLog = [];
Object.defineProperty(Navigator.prototype, "wakeLock", { configurable: true, get() {
  return { request(type) {
    window.wakeLog.push("request " + type);
    const sentinel = new EventTarget();
    sentinel.release = () => { window.wakeLog.push("release"); return Promise.resolve(); };
    return Promise.resolve(sentinel);
  } };
} });
"""


def finish_self_check(page):
    """No warning signs, the right hip higher, nothing else found; return the result's URL."""
    page.goto("/assessment/")
    page.get_by_role("button", name="Start the self-check").click()
    page.get_by_label("I have none of these").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/question/1/")
    while "/question/" in page.url:
        labels = page.locator("input[type=radio]").evaluate_all("all => all.map(r => r.labels[0].innerText.trim())")
        wanted = [label for label in labels if label in RIGHT_HIP] or [lab for lab in labels if lab in NOTHING_FOUND]
        page.get_by_label(wanted[0], exact=True).check()
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Get my result").click()
    page.wait_for_url(re.compile(r".*/assessment/result/[A-Za-z0-9_-]{43}/$"))
    return page.url


def no_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def current_step(page):
    return page.locator("[data-routine-step]:visible")


def tab_to(page, locator, limit=80):
    """Press Tab until ``locator`` has the focus (a reader's way to reach a control)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError("The control was never reached with Tab.")


def test_a_result_opens_tonights_routine_and_the_keyboard_runs_it_to_the_end(page):
    page.set_viewport_size(PHONE)
    page.add_init_script(FAKE_WAKE_LOCK)
    page.clock.install()
    finish_self_check(page)
    assert no_overflow(page)
    page.get_by_role("link", name="Start tonight's routine").click()
    page.wait_for_url(re.compile(r".*/assessment/result/[A-Za-z0-9_-]{43}/routine/$"))
    assert page.locator("h1").inner_text() == "Tonight's routine"
    assert re.fullmatch(r"About \d+ minutes · 2 stretches", page.locator(".routine-total").inner_text())
    overview = page.locator(".routine-overview li")
    assert [text.split(" · ")[:2] for text in overview.all_inner_texts()] == [
        ["Side-lying QL stretch over a pillow", "right side"],
        ["Kneeling side-leg adductor stretch", "right side"],
    ]
    assert no_overflow(page)
    assert_accessible(page)

    # One stretch at a time, with its picture, side, steps and cautions.
    expect(current_step(page)).to_have_count(1)
    step = current_step(page)
    expect(step.locator("h2")).to_have_text("Side-lying QL stretch over a pillow")
    expect(step.locator(".side-badge")).to_have_text("Right side")
    expect(step.locator(".routine-picture img")).to_be_visible()
    expect(step.get_by_text("Before you start: who should skip or change it")).to_be_visible()
    toggle = page.locator("[data-player-toggle]")
    expect(toggle).to_have_text("Start")
    expect(page.locator("[data-player-previous]")).to_be_disabled()
    announcer = page.locator("[data-player-announce]")
    assert announcer.get_attribute("aria-live") == "polite"

    # Start with the keyboard: a short "Get ready", then the first hold; the screen is asked to stay awake.
    tab_to(page, toggle)
    page.keyboard.press("Enter")
    timer = step.locator("[data-hold-timer]")
    expect(timer.locator("[data-timer-phase]")).to_have_text("Get ready")
    expect(announcer).to_have_text("Stretch 1 of 2: Side-lying QL stretch over a pillow, right side.")
    expect(toggle).to_have_text("Pause")
    assert page.evaluate("window.wakeLog") == ["request screen"]
    page.evaluate(
        """() => { window.liveChanges = 0; const count = new MutationObserver(() => window.liveChanges += 1);
            document.querySelectorAll("[aria-live]").forEach(region => count.observe(region,
                { childList: true, characterData: true, subtree: true })); }"""
    )
    page.clock.run_for(10_500)
    expect(timer.locator("[data-timer-phase]")).to_have_text("Hold")
    expect(timer.locator("[data-timer-step]")).to_have_text("Right side: repetition 1 of 3")
    assert page.evaluate("window.liveChanges") == 1  # the hold began
    page.clock.run_for(18_000)
    assert page.evaluate("window.liveChanges") == 1  # the countdown itself is never announced

    # Space pauses (the screen may sleep) and resumes.
    page.keyboard.press("Space")
    expect(toggle).to_have_text("Resume")
    paused_at = timer.locator("[data-timer-seconds]").inner_text()
    page.clock.run_for(15_000)
    expect(timer.locator("[data-timer-seconds]")).to_have_text(paused_at)
    assert page.evaluate("window.wakeLog") == ["request screen", "release"]
    page.keyboard.press("Space")
    expect(toggle).to_have_text("Pause")

    # The arrow keys move between stretches; a running routine starts the next one with its "Get ready".
    page.keyboard.press("ArrowRight")
    expect(current_step(page).locator("h2")).to_have_text("Kneeling side-leg adductor stretch")
    expect(announcer).to_contain_text("Stretch 2 of 2: Kneeling side-leg adductor stretch, right side.")
    expect(page.locator("[data-player-next]")).to_be_disabled()
    expect(current_step(page).locator("[data-timer-phase]")).to_have_text("Get ready")
    page.keyboard.press("ArrowLeft")
    expect(current_step(page).locator("h2")).to_have_text("Side-lying QL stretch over a pillow")

    # Left to run, the first stretch finishes and the next follows by itself, then the routine ends.
    seconds = [int(value) for value in page.locator("[data-routine-step]").evaluate_all(
        "steps => steps.map(s => s.getAttribute('data-seconds'))")]  # fmt: skip
    page.clock.run_for((10 + seconds[0]) * 1000 + 500)
    expect(current_step(page).locator("h2")).to_have_text("Kneeling side-leg adductor stretch")
    expect(announcer).to_have_text(re.compile(r"^Well done\. Stretch 2 of 2"))
    page.clock.run_for(11_000)
    expect(current_step(page).locator("[data-timer-phase]")).to_have_text("Hold")
    page.clock.run_for(seconds[1] * 1000)
    expect(page.locator("[data-player-done]")).to_be_visible()
    expect(announcer).to_have_text("All done for tonight. Well done for making time for it.")
    expect(toggle).to_have_text("Start again")
    assert page.evaluate("window.wakeLog")[-1] == "release"
    assert no_overflow(page)
    assert_accessible(page)
    assert page.external_requests == []


def test_with_javascript_printing_shows_every_stretch_and_its_cautions(page):
    page.goto("/stretches/hip-flexors/routine/")
    expect(current_step(page)).to_have_count(1)
    page.emulate_media(media="print")
    steps = page.locator("[data-routine-step]")
    assert steps.count() == 3
    for index in range(3):
        expect(steps.nth(index)).to_be_visible()
        expect(steps.nth(index).locator(".step-cautions")).to_be_visible()
    expect(page.locator("[data-routine-player]")).to_be_hidden()


def test_without_javascript_the_routine_is_a_list_that_prints_with_its_cautions(browser, site):
    context = browser.new_context(base_url=site.url, java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto("/stretches/quadratus-lumborum/side-lying-ql-stretch-pillow/routine/?side=left")
        expect(page.locator("[data-routine-player]")).to_be_hidden()
        expect(page.locator("[data-hold-timer]")).to_be_hidden()
        expect(page.locator(".side-badge")).to_have_text("Left side")
        expect(page.locator(".stretch-steps li").first).to_be_visible()
        assert no_overflow(page)
        page.goto("/stretches/hip-flexors/routine/")
        assert [badge.strip() for badge in page.locator(".side-badge").all_inner_texts()] == [
            "Both sides, left then right"
        ] * 3
        page.emulate_media(media="print")
        for caution in page.locator(".step-cautions").all():
            expect(caution).to_be_visible()
        expect(page.locator(".routine-summary")).to_be_visible()
    finally:
        context.close()


def test_a_stretch_pages_routine_runs_in_the_player_and_passes_axe(page):
    page.set_viewport_size(PHONE)
    page.clock.install()
    page.goto("/stretches/erector-spinae/knees-to-chest/")
    page.get_by_role("link", name="Follow it as tonight's routine").click()
    page.wait_for_url("**/stretches/erector-spinae/knees-to-chest/routine/")
    expect(page.locator(".side-badge")).to_have_text("Both legs at once")
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(10_500)
    expect(page.locator("[data-timer-step]")).to_have_text("Both legs: repetition 1 of 3")
    assert no_overflow(page)
    assert_accessible(page)
