"""Readers reporting a published comment."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Comment, CommentReport
from tests.factories import CommentFactory
from tests.harness.editing import edit_marker

pytestmark = pytest.mark.django_db


def report(client, comment, ip="198.51.100.20"):
    return client.post(reverse("articles:comment-report", args=[comment.pk]), REMOTE_ADDR=ip)


def test_a_report_flags_the_comment_and_thanks_the_reader(client):
    comment = CommentFactory()
    response = report(client, comment)
    assert response.status_code == 303
    assert response["Location"] == f"{comment.article.get_absolute_url()}?comment=reported#comments"
    assert "Thanks, an editor will look at it." in client.get(response["Location"]).content.decode()
    comment.refresh_from_db()
    assert (comment.report_count, comment.needs_priority_review) == (1, True)
    assert "reported by readers" in comment.priority_reason
    assert comment.status == Comment.Status.APPROVED


def test_a_visitor_counts_once_per_comment(client):
    comment = CommentFactory()
    for _ in range(3):
        assert report(client, comment).status_code == 303
    comment.refresh_from_db()
    assert comment.report_count == 1
    assert CommentReport.objects.count() == 1


def test_three_different_readers_take_a_comment_off_the_page(client):
    comment = CommentFactory(body="Contested words")
    for n in range(3):
        report(client, comment, ip=f"198.51.100.{n}")
    comment.refresh_from_db()
    assert (comment.report_count, comment.status) == (3, Comment.Status.PENDING)
    assert "Contested words" not in client.get(comment.article.get_absolute_url()).content.decode()


def test_reports_are_rate_limited_per_visitor(client, settings):
    settings.COMMENT_REPORT_RATE_LIMIT = 5
    comments = CommentFactory.create_batch(8)
    for comment in comments:
        assert report(client, comment).status_code == 303
    assert CommentReport.objects.count() == 5


def test_only_published_comments_can_be_reported(client):
    pending = CommentFactory(status=Comment.Status.PENDING)
    assert report(client, pending).status_code == 404
    assert client.get(reverse("articles:comment-report", args=[pending.pk])).status_code == 404


def test_a_get_of_a_report_address_goes_to_the_comments_it_was_under(client):
    """A report button's address opened with a GET (a reload, a shared link) lands on the comments, not a 405."""
    comment = CommentFactory()
    response = client.get(reverse("articles:comment-report", args=[comment.pk]))
    assert response.status_code == 303
    assert response["Location"] == comment.article.get_absolute_url() + "#comments"
    assert not CommentReport.objects.exists()


def test_reporting_needs_the_csrf_token():
    comment = CommentFactory()
    assert report(Client(enforce_csrf_checks=True), comment).status_code == 403


def test_every_published_comment_has_a_report_button(client):
    comment = CommentFactory(name="Alex")
    page = client.get(comment.article.get_absolute_url()).content.decode()
    assert f'action="{reverse("articles:comment-report", args=[comment.pk])}"' in page
    assert 'Report<span class="visually-hidden"> the comment by <bdi>Alex</bdi></span>' in page


def test_three_reports_from_one_slash_64_count_as_one(client):
    comment = CommentFactory()
    for address in ["2001:db8:9:1::1", "2001:db8:9:1::2", "2001:db8:9:1:ffff::3"]:
        assert report(client, comment, ip=address).status_code == 303
    comment.refresh_from_db()
    assert (comment.report_count, comment.status) == (1, Comment.Status.APPROVED)
    assert CommentReport.objects.count() == 1


def test_a_mapped_address_reports_as_its_ipv4_address(client):
    comment = CommentFactory()
    report(client, comment, ip="198.51.100.30")
    report(client, comment, ip="::ffff:198.51.100.30")
    comment.refresh_from_db()
    assert comment.report_count == 1


def hide_by_reports(client, comment, first=1):
    for n in range(first, first + 3):
        report(client, comment, ip=f"203.0.113.{n}")
    comment.refresh_from_db()


def test_a_comment_hidden_by_reports_is_in_the_queue_and_the_editors_are_emailed(
    client, editor_client, mailoutbox, django_capture_on_commit_callbacks
):
    comment = CommentFactory(body="Contested words", name="Robin")
    with django_capture_on_commit_callbacks(execute=True):
        hide_by_reports(client, comment)
    assert comment.status == Comment.Status.PENDING
    queue = editor_client.get(reverse("admin:articles_pendingcomment_changelist") + "?reported=yes")
    assert reverse("admin:articles_pendingcomment_change", args=[comment.pk]) in queue.content.decode()
    assert "Contested words" in queue.content.decode()
    first, email = mailoutbox  # the first report's, then the one that hid it
    assert first.subject.startswith("[Priority] A reader reported a comment")
    assert email.to == ["editors@localhost"]
    assert email.subject == f"[Priority] Reported comment hidden on {comment.article}"
    assert "3 readers reported a comment" in email.body and "Contested words" in email.body
    assert reverse("admin:articles_comment_change", args=[comment.pk]) in email.body


def test_the_first_report_tells_the_editors_once_and_the_comment_stays_shown(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    comment = CommentFactory(body="Contested words")
    with django_capture_on_commit_callbacks(execute=True):
        report(client, comment, ip="203.0.113.1")
        report(client, comment, ip="203.0.113.2")
    [email] = mailoutbox
    assert email.subject == f"[Priority] A reader reported a comment on {comment.article}"
    assert "It is still shown" in email.body and "Contested words" in email.body
    assert reverse("admin:articles_pendingcomment_changelist") in email.body
    comment.refresh_from_db()
    assert (comment.status, comment.report_count) == (Comment.Status.APPROVED, 2)


@pytest.mark.parametrize("how", ["action", "form"])
def test_re_approval_settles_the_reports_so_one_new_report_does_not_hide_it_again(client, editor_client, how):
    comment = CommentFactory(body="Contested words")
    hide_by_reports(client, comment)
    assert comment.status == Comment.Status.PENDING
    if how == "action":
        editor_client.post(
            reverse("admin:articles_pendingcomment_changelist"), {"action": "approve", "_selected_action": [comment.pk]}
        )
    else:
        change = reverse("admin:articles_comment_change", args=[comment.pk])
        form = {"status": "approved", "priority_reason": comment.priority_reason, "reply": ""}
        assert editor_client.post(change, {**form, **edit_marker(editor_client, change)}).status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.report_count) == (Comment.Status.APPROVED, 0)
    assert not CommentReport.objects.filter(comment=comment).exists()
    # One new report, even from a reader who reported it before, is one report: the comment stays up.
    report(client, comment, ip="203.0.113.1")
    comment.refresh_from_db()
    assert (comment.status, comment.report_count) == (Comment.Status.APPROVED, 1)
    assert "Contested words" in client.get(comment.article.get_absolute_url()).content.decode()
    # Three different readers since the decision hide it again.
    hide_by_reports(client, comment, first=2)
    assert (comment.status, comment.report_count) == (Comment.Status.PENDING, 3)


def test_rejecting_settles_the_reports_too(client, editor_client):
    comment = CommentFactory()
    report(client, comment, ip="203.0.113.1")
    editor_client.post(
        reverse("admin:articles_comment_changelist"), {"action": "reject", "_selected_action": [comment.pk]}
    )
    comment.refresh_from_db()
    assert (comment.status, comment.report_count, comment.reports.count()) == (Comment.Status.REJECTED, 0, 0)
