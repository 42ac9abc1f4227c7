"""A reader comments, an editor approves it in the admin, and it appears; the form passes axe throughout."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible
from tests.factories import make_editor

ARTICLE = "/articles/effective-lower-back-stretches/"


@pytest.fixture
def quick_form(settings):
    # A person takes more than 3 seconds; the test need not wait like one.
    settings.COMMENT_MIN_FILL_SECONDS = 0


def test_reader_posts_editor_approves_and_the_comment_shows(page, quick_form):
    page.goto(ARTICLE)
    expect(page.get_by_role("heading", name="Comments")).to_be_visible()
    expect(page.get_by_text("No comments yet.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Post comment").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter your comment")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Your name").fill("Priya")
    page.get_by_label("Your comment").fill("The knees-to-chest stretch eased my morning stiffness.\nThank you!")
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_url("**?comment=received#comments")
    expect(page.get_by_text("It is awaiting moderation")).to_be_visible()
    assert page.get_by_text("eased my morning stiffness").count() == 0
    assert_accessible(page)

    make_editor("moderator")
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Moderation queue").first.click()
    expect(page.get_by_role("heading", name="Select comment waiting for moderation to change")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="eased my morning stiffness")
    row.get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option("approve")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("Approved 1 comment(s).")).to_be_visible()

    page.goto(ARTICLE)
    comment = page.locator(".comment").first
    assert comment.locator(".comment-author").inner_text() == "Priya"
    expect(comment.get_by_role("button", name="Report the comment by Priya")).to_be_visible()
    expect(comment.get_by_text("eased my morning stiffness")).to_be_visible()
    expect(page.get_by_text("1 comment", exact=True)).to_be_visible()
    assert page.external_requests == []


def test_a_red_flag_comment_shows_the_urgent_advice_accessibly(page, quick_form):
    page.goto(ARTICLE)
    page.get_by_label("Your name").fill("Tom")
    page.get_by_label("Your comment").fill("Since yesterday both legs feel numb. What is wrong with me?")
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_url("**?comment=urgent#comments")
    expect(page.get_by_text("Please do not wait for a reply.")).to_be_visible()
    expect(page.locator("#comment-red-flags-heading")).to_be_visible()
    assert_accessible(page)


def test_the_honeypot_is_out_of_sight_and_out_of_the_tab_order(page):
    page.goto(ARTICLE)
    trap = page.locator("input[name=website]")
    assert not trap.is_visible() or trap.bounding_box()["x"] < 0
    assert trap.get_attribute("tabindex") == "-1"
    assert page.locator(".comment-hp").get_attribute("aria-hidden") == "true"
    assert page.locator("[style]").count() == 0
