from urllib.parse import quote

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible

NO_OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_a_long_unbroken_query_wraps_on_a_phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/search/?q=" + quote("x" * 200))
    expect(page.get_by_role("status")).to_contain_text("No results for")
    assert page.evaluate(NO_OVERFLOW)


def test_a_reader_searching_for_sciatica_sees_where_to_get_urgent_help_first(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    # On a phone the main menu folds behind its "Menu" button.
    page.get_by_role("navigation", name="Main").locator("summary").click()
    page.get_by_role("link", name="Search", exact=True).click()
    page.get_by_role("searchbox").first.fill("sciatica")
    page.get_by_role("searchbox").first.press("Enter")
    page.wait_for_url("**/search/?q=sciatica")
    note = page.locator(".search-note")
    expect(note).to_contain_text("999 or A&E now")
    assert note.bounding_box()["y"] < page.locator(".search-results").bounding_box()["y"]
    assert page.evaluate(NO_OVERFLOW)
    assert_accessible(page)


def test_a_typing_slip_leads_to_the_quadratus_lumborum_guide(page):
    page.goto("/search/?q=qaudratus")
    expect(page.locator(".search-corrected")).to_contain_text("these are the results for “quadratus”")
    page.get_by_role("link", name="Quadratus lumborum").first.click()
    expect(page.locator("h1")).to_contain_text("Quadratus lumborum")
