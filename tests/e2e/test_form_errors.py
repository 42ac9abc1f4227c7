"""After a failed form, on a phone: the error summary is focused and in view, its links take the reader to
each field, and a comment sent too fast is told to wait and keeps its words. Reloading the address a form
posted to lands back on the form's page."""

import time

import pytest
import time_machine
from playwright.sync_api import expect

from articles.models import Comment
from tests.e2e.conftest import assert_accessible

PHONE = {"width": 390, "height": 844}
ARTICLE = "/articles/effective-lower-back-stretches/"


@pytest.fixture
def phone(browser, site):
    """A tab at a phone's size; ``javascript=False`` is a second tab with scripts off."""
    contexts = []

    def open_tab(javascript=True):
        context = browser.new_context(base_url=site.url, viewport=PHONE, java_script_enabled=javascript)
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()


def expect_in_view(locator):
    """Wholly on screen, waiting out Bootstrap's smooth scrolling."""
    expect(locator).to_be_in_viewport(ratio=1)


def focused_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def send_empty_contact_form(page):
    page.goto("/contact/")
    page.get_by_role("button", name="Send message").click()
    page.wait_for_load_state()
    return page.locator("#error-summary")


def test_an_empty_contact_form_on_a_phone_focuses_the_summary_whose_links_reach_every_field(phone):
    page = phone()
    summary = send_empty_contact_form(page)
    expect(summary).to_be_focused()
    expect_in_view(summary)
    assert page.title().startswith("Error: ")
    links = summary.get_by_role("link")
    expected = {
        "Enter your name": "id_name",
        "Enter your email address, so that we can reply": "id_email",
        "Enter a subject": "id_subject",
        "Enter your message": "id_message",
    }
    assert links.all_inner_texts() == list(expected)
    for text, field_id in expected.items():
        page.evaluate("window.scrollTo(0, 0)")
        summary.get_by_role("link", name=text).click()
        expect(page.locator(f"#{field_id}")).to_be_focused()
        expect_in_view(page.locator(f"#{field_id}"))
        # The label is in view with its box, so the reader sees what the field is for.
        expect_in_view(page.locator(f"label[for={field_id}]"))
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert_accessible(page)


def test_without_javascript_the_summary_is_still_first_focused_and_its_links_work(phone):
    page = phone(javascript=False)
    summary = send_empty_contact_form(page)
    expect(summary).to_be_focused()
    expect_in_view(summary)
    summary.get_by_role("link", name="Enter your message").click()
    expect(page.locator("#id_message")).to_be_focused()


def test_a_comment_sent_too_fast_is_told_to_wait_keeps_its_text_and_goes_through_after(phone):
    page = phone()
    page.goto(ARTICLE)
    page.get_by_label("Your name").fill("Ana")
    page.get_by_label("Your comment").fill("Pasted in one go: the hip flexor stretch helped me.")
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect_in_view(summary)
    expect(summary).to_contain_text("Wait a few seconds, then post it again: your comment is still below.")
    assert page.get_by_text("Thank you, we have your comment").count() == 0
    summary.get_by_role("link").click()
    expect(page.locator("#id_body")).to_be_focused()
    expect(page.locator("#id_body")).to_have_value("Pasted in one go: the hip flexor stretch helped me.")
    assert not Comment.objects.exists()
    assert_accessible(page)
    # A few seconds later (the live server's clock moved on; nobody waits), the same press goes through.
    with time_machine.travel(time.time() + 5):
        page.get_by_role("button", name="Post comment").click()
        page.wait_for_url("**?comment=received#comments")
    assert Comment.objects.get().body == "Pasted in one go: the hip flexor stretch helped me."


def test_opening_a_failed_comment_s_address_again_lands_on_the_article_not_a_405(phone):
    page = phone()
    page.goto(ARTICLE)
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_load_state()
    assert "/comments/article/" in page.url
    response = page.goto(page.url)
    assert response.status == 200
    assert page.url.endswith(ARTICLE + "#comments")
    expect(page.get_by_role("heading", name="Comments")).to_be_in_viewport()
