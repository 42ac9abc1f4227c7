"""Reported comments in the moderation queue, as an editor (not a superuser) meets them: listed with their reports,
the most reported first, and kept (reports cleared) or rejected from the queue or the comment's page."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from articles.models import Comment, CommentReport
from tests.factories import CommentFactory
from tests.harness.fuzzing import form_data, post_form

pytestmark = pytest.mark.django_db
QUEUE = "admin:articles_pendingcomment_changelist"
WHEN = datetime.datetime(2026, 3, 4, 18, 30, tzinfo=datetime.UTC)  # 18:30 in London (GMT)


def reported(times, at=WHEN, **fields):
    """A shown comment reported by ``times`` different readers, the latest at ``at``."""
    comment = CommentFactory(**fields)
    for number in range(times):
        with time_machine.travel(at - datetime.timedelta(minutes=10 * number), tick=False):
            CommentReport.objects.create(comment=comment, visitor_hash=f"{number:064d}")
            comment.record_report()
    comment.refresh_from_db()
    return comment


def listed(response):
    return [comment.pk for comment in response.context["cl"].result_list]


def test_a_reported_comment_still_shown_is_in_the_queue_with_its_reports(editor_client, editor):
    assert not editor.is_superuser
    quiet = CommentFactory(body="Nobody minded this one")
    once = reported(1, body="Reported once")
    twice = reported(2, body="Reported twice")
    new = CommentFactory(status=Comment.Status.PENDING, body="Brand new")
    assert (once.status, twice.status) == (Comment.Status.APPROVED, Comment.Status.APPROVED)

    queue = editor_client.get(reverse(QUEUE))
    assert listed(queue) == [twice.pk, once.pk, new.pk]  # reported ones are priority, the most reported first
    assert quiet.pk not in listed(queue)

    only_reported = editor_client.get(reverse(QUEUE), {"reported": "yes"})
    assert listed(only_reported) == [twice.pk, once.pk]
    page = only_reported.content.decode()
    assert re.search(r'<td class="field-reports">2<br><small>latest 4 Mar 2026, 18:30</small></td>', page)
    assert "Reported by readers" in page


def test_the_comment_page_lists_each_report_and_nothing_about_who_made_it(editor_client):
    comment = reported(2, body="Contested words")
    page = editor_client.get(reverse("admin:articles_pendingcomment_change", args=[comment.pk])).content.decode()
    assert "2 readers reported it since the last decision" in page
    assert "<li>Reported 4 Mar 2026, 18:30</li>" in page and "<li>Reported 4 Mar 2026, 18:20</li>" in page
    assert "0" * 64 not in page and "1".zfill(64) not in page  # the reporters' hashes are never shown
    assert "Keep it shown and clear its reports" in page


def test_keeping_a_reported_comment_on_its_page_clears_the_reports_and_it_leaves_the_queue(client, editor_client):
    comment = reported(2, body="Contested words")
    url = reverse("admin:articles_pendingcomment_change", args=[comment.pk])
    data = form_data(editor_client.get(url).content.decode(), "pendingcomment_form")
    data["keep"] = ["on"]
    assert post_form(editor_client, url, data).status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.report_count, comment.needs_priority_review) == ("approved", 0, False)
    assert not comment.reports.exists()
    assert comment.pk not in listed(editor_client.get(reverse(QUEUE)))
    assert "Contested words" in client.get(comment.article.get_absolute_url()).content.decode()


def test_keep_brings_back_a_comment_that_reports_hid(client, editor_client, settings):
    comment = reported(settings.COMMENT_REPORTS_TO_HIDE, body="Hidden by reports")
    assert comment.status == Comment.Status.PENDING
    assert "Hidden by reports" not in client.get(comment.article.get_absolute_url()).content.decode()
    response = editor_client.post(
        reverse(QUEUE), {"action": "keep_reported", "_selected_action": [comment.pk]}, follow=True
    )
    assert "Kept 1 reported comment(s) on the page and cleared their reports." in response.content.decode()
    comment.refresh_from_db()
    assert (comment.status, comment.report_count) == (Comment.Status.APPROVED, 0)
    assert "Hidden by reports" in client.get(comment.article.get_absolute_url()).content.decode()


def test_rejecting_a_reported_comment_takes_it_off_the_page_and_out_of_the_queue(client, editor_client):
    comment = reported(1, body="Bad advice here")
    response = editor_client.post(reverse(QUEUE), {"action": "reject", "_selected_action": [comment.pk]}, follow=True)
    assert "Rejected 1 comment(s)." in response.content.decode()
    comment.refresh_from_db()
    assert (comment.status, comment.report_count) == (Comment.Status.REJECTED, 0)
    assert comment.pk not in listed(editor_client.get(reverse(QUEUE)))
    assert "Bad advice here" not in client.get(comment.article.get_absolute_url()).content.decode()


def test_keep_on_comments_nobody_reported_changes_nothing_and_says_so(editor_client):
    waiting = CommentFactory(status=Comment.Status.PENDING)
    response = editor_client.post(
        reverse(QUEUE), {"action": "keep_reported", "_selected_action": [waiting.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "None of the selected comments had reports: nothing changed." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Comment.Status.PENDING


@pytest.mark.parametrize("selected", ["abc", "-1", "9" * 30, "\x00"])
def test_a_hostile_selection_is_never_a_server_error(editor_client, selected):
    comment = reported(1)
    response = editor_client.post(
        reverse(QUEUE), {"action": "keep_reported", "index": "0", "_selected_action": [selected]}, follow=True
    )
    assert response.status_code == 200
    assert "The selection was not understood, so nothing changed." in response.content.decode()
    comment.refresh_from_db()
    assert comment.report_count == 1


def test_the_admin_home_counts_reported_comments(editor_client):
    reported(2)
    CommentFactory(status=Comment.Status.PENDING)
    page = editor_client.get(reverse("admin:index")).content.decode()
    queue = reverse(QUEUE)
    assert re.search(rf'<a href="{queue}\?reported=yes">\s*<span class="card-count needs-action">1</span>', page)
    assert re.search(rf'<a href="{queue}">\s*<span class="card-count needs-action">2</span>', page)
