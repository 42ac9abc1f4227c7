import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible


def test_reader_goes_from_home_to_an_article(page):
    """A reader lands on the home page, opens a featured article and reads it; both pages pass axe."""
    page.goto("/")
    assert page.locator("h1").inner_text().startswith("Ease lower back pain")
    assert_accessible(page)
    page.get_by_role("link", name="Effective lower back stretches for pain relief").first.click()
    page.wait_for_url("**/articles/effective-lower-back-stretches/")
    assert page.locator("h1").inner_text() == "Effective lower back stretches for pain relief"
    expect(page.get_by_text("Page last reviewed:")).to_be_visible()
    expect(page.get_by_role("heading", name="When to get medical help instead of stretching")).to_be_visible()
    assert_accessible(page)
    assert page.external_requests == []


def test_skip_link_moves_focus_to_the_content(page):
    page.goto("/articles/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    # Following an in-page link updates the address a moment later: wait for it rather than read it at once.
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("main#main")).to_be_focused()
