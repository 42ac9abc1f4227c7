"""Browser journeys through the self-check: a red flag ends on the care page; a normal run ends on a plan."""

import re

from tests.e2e.conftest import assert_accessible


def choose(page, label):
    """Pick an answer and continue, waiting for the next page."""
    page.get_by_label(label, exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


def test_a_red_flag_leads_to_the_care_page(page):
    """Ticking an emergency sign stops the self-check with emergency advice and no stretches."""
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
    page.get_by_label(re.compile("New trouble passing urine")).check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/get-care/")
    assert page.locator("h1").inner_text() == "Call emergency services now"
    assert page.get_by_text("New trouble passing urine").first.is_visible()
    assert page.get_by_role("link", name=re.compile("Start the self-check again")).is_visible()
    assert page.get_by_text("bedtime routine").count() == 0
    assert_accessible(page)
    assert page.external_requests == []


def test_a_normal_run_ends_with_a_side_specific_plan(page):
    """A reader with a high right hip, who reloads and uses Back on the way, gets a right-side plan."""
    page.goto("/assessment/")
    page.get_by_role("button", name="Start the self-check").click()
    page.get_by_label("I have none of these").check()
    page.get_by_role("button", name="Continue").click()
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
    choose(page, "Nearly straight on both sides (within about 20°)")
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
    assert page.get_by_role("heading", name="Likely: Lateral pelvic tilt, right side").is_visible()
    assert page.get_by_text("Right side (your high side)").first.is_visible()
    assert page.get_by_role("link", name="Side-lying QL stretch over a pillow").first.is_visible()
    assert page.get_by_text("A self-check, not a diagnosis.").is_visible()
    assert_accessible(page)
    # reloading the result shows the same saved result
    url = page.url
    page.reload()
    assert page.url == url
    assert page.get_by_role("heading", name="Likely: Lateral pelvic tilt, right side").is_visible()
    assert page.external_requests == []


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
    scores = page.get_by_role("heading", name="Your scores")
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
        assert tab.get_by_role("heading", name="Your scores").count() == 0
        assert tab.locator("#outcome-heading").count() == 0
        with tab.expect_navigation():
            tab.get_by_role("button", name="Show the result").click()
        assert tab.url == link
        assert tab.locator("h1").inner_text() == "Your self-check result"
        assert tab.get_by_role("heading", name="Your scores").is_visible()
        assert tab.locator("#outcome-heading").inner_text() == outcome
        tab.reload()
        assert tab.locator("h1").inner_text() == "Your self-check result"
    finally:
        stranger.close()
        friend.close()
