"""The editors' admin in a real browser window of 1366 px, as an editor (not a superuser): no page scrolls
sideways, the muscle's page lists its stretches instead of holding their forms, and the front page leads to
the moderation queue and the reviews due in one click."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Comment, CommentReport, Muscle
from assessment.models import Questionnaire
from tests.factories import CommentFactory, make_editor

PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor_tab(page, site):
    editor = make_editor("editor")
    assert not editor.is_superuser
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    return page


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def admin_pages(page):
    """The front page, every changelist linked from it, each one's add page and its first change page."""
    page.goto("/admin/")
    changelists = page.eval_on_selector_all(
        "#content-main .app-list a, #content-main table a", "links => links.map(link => link.getAttribute('href'))"
    )
    changelists = sorted({href for href in changelists if href and re.fullmatch(r"/admin/\w+/\w+/", href)})
    assert len(changelists) >= 10, changelists
    found = ["/admin/", "/admin/articles/article/reviews-due/", "/admin/email-settings/"]
    for changelist in changelists:
        found.append(changelist)
        page.goto(changelist)
        first = page.eval_on_selector_all(
            "#result_list tbody a[href*='/change/']",
            "links => links.slice(0, 1).map(link => link.getAttribute('href'))",
        )
        found += first
        if page.locator("a.addlink").count():
            found.append(changelist + "add/")
    return found


def test_no_admin_page_scrolls_sideways_at_1366_px(editor_tab):
    page = editor_tab
    comment = CommentFactory(body="A reported comment with a long word " + "x" * 200)
    CommentReport.objects.create(comment=comment, visitor_hash="1" * 64)
    comment.record_report()
    CommentFactory(status=Comment.Status.PENDING, body="Waiting " * 100)
    questionnaire = Questionnaire.objects.get(is_active=True)
    muscle = Muscle.objects.order_by("order", "name").first()
    pages = [
        *admin_pages(page),
        f"/admin/assessment/questionnaire/{questionnaire.pk}/change/",
        f"/admin/articles/muscle/{muscle.pk}/history/",
        f"/admin/articles/pendingcomment/{comment.pk}/change/",
        "/admin/articles/helpfulvote/summary/",
    ]
    assert f"/admin/articles/muscle/{muscle.pk}/change/" in pages
    too_wide = {}
    for path in pages:
        response = page.goto(path)
        assert response.status < 500, path
        if response.status == 200 and page_width(page) > 1366:
            too_wide[path] = page_width(page)
    assert too_wide == {}


def test_the_muscle_page_lists_its_stretches_and_links_to_add_one(editor_tab):
    page = editor_tab
    muscle = Muscle.objects.get(slug="hamstrings")
    page.goto(f"/admin/articles/muscle/{muscle.pk}/change/")
    assert page.locator("[name^='stretches-']").count() == 0
    stretches = list(muscle.stretches.order_by("order", "name"))
    listed = page.locator(".stretch-links a")
    expect(listed).to_have_text([stretch.name for stretch in stretches])
    # 7,010 px with every stretch inlined; now the five Markdown fields, the stretch list and the
    # "Save changes for later" panel (with its publication time) make about 4,100 px.
    assert page.evaluate("document.documentElement.scrollHeight") < 4500
    listed.first.click()
    expect(page.get_by_label("Name:", exact=True)).to_have_value(stretches[0].name)
    page.go_back()
    page.get_by_role("link", name="Add a stretch for this muscle").click()
    expect(page.get_by_label("Muscle:", exact=True)).to_have_value(str(muscle.pk))


def test_the_front_page_leads_to_the_moderation_queue_and_the_reviews_due(editor_tab):
    page = editor_tab
    comment = CommentFactory(body="Reported words")
    CommentReport.objects.create(comment=comment, visitor_hash="2" * 64)
    comment.record_report()
    page.goto("/admin/")
    reported = page.locator("#editor-cards a", has_text="Reported comments")
    expect(reported.locator(".card-count")).to_have_text("1")
    reported.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("comment waiting for moderation")
    assert "reported=yes" in page.url
    expect(page.locator("#result_list")).to_contain_text("Reported words")
    page.goto("/admin/")
    page.locator("#editor-cards a", has_text="Reviews due").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reviews due")
