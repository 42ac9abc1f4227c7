import time

import time_machine

from articles.models import ContactMessage
from tests.e2e.conftest import assert_accessible


def test_reader_sends_a_message_through_the_contact_form(page):
    """A reader fills in the form, sends it and is thanked; the form and thank-you pages pass axe."""
    page.goto("/contact/")
    assert_accessible(page)
    page.get_by_label("Your name").fill("Alex Reader")
    page.get_by_label("Your email address").fill("alex@example.com")
    page.get_by_label("Subject").fill("Idea for an article")
    page.get_by_label("Your message").fill("Could you write about stretching at a desk?")
    assert not page.locator("#id_website").is_visible()
    # A person takes longer than the form's minimum fill time: the live server's clock moves on, nobody waits.
    with time_machine.travel(time.time() + 4):
        page.get_by_role("button", name="Send message").click()
        page.wait_for_url("**/contact/thanks/")
    assert page.locator("h1").inner_text() == "Thank you for your message"
    assert_accessible(page)
    assert ContactMessage.objects.filter(subject="Idea for an article").exists()
    assert page.external_requests == []


def test_a_form_with_mistakes_shows_an_error_summary(page):
    page.goto("/contact/")
    page.get_by_label("Your email address").fill("not an email")
    page.get_by_role("button", name="Send message").click()
    summary = page.get_by_role("alert")
    assert "There is a problem" in summary.inner_text()
    assert "Enter an email address in the right form, like name@example.com" in summary.inner_text()
    assert_accessible(page)


def test_search_results_are_accessible_and_highlight_matches(page):
    page.goto("/")
    page.get_by_role("link", name="Search").first.click()
    page.get_by_label("Search articles, muscles and stretches").fill("hamstring")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=hamstring")
    assert "result" in page.get_by_role("status").inner_text()
    assert page.get_by_role("link", name="Hamstrings", exact=True).is_visible()
    assert page.locator("mark").count() > 0
    assert_accessible(page)


def test_the_404_page_is_accessible_and_offers_a_way_on(page):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    assert page.get_by_role("search").is_visible()
    assert_accessible(page)


def test_a_reader_answers_was_this_page_helpful(page):
    page.goto("/articles/why-stretch-at-bedtime/")
    page.get_by_role("button", name="Yes").click()
    page.wait_for_url("**/articles/why-stretch-at-bedtime/#helpful")
    assert page.get_by_text("Thank you for your answer").is_visible()
    assert_accessible(page)
