"""Moderating comments in the admin: the queue, the filters, bulk approve and reject, replies."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.models import Comment
from tests.factories import CommentFactory, MuscleFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:articles_comment_changelist"
QUEUE = "admin:articles_pendingcomment_changelist"


def listed(response):
    return {comment.pk for comment in response.context["cl"].result_list}


def test_editors_can_moderate_but_not_add_comments():
    permissions = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert {"view_comment", "change_comment", "delete_comment", "moderate_comment"} <= permissions
    assert {"view_pendingcomment", "change_pendingcomment", "delete_pendingcomment"} <= permissions
    assert "add_comment" not in permissions


def test_the_moderation_queue_lists_only_pending_comments_priority_first(editor_client):
    CommentFactory(body="Already approved")
    ordinary = CommentFactory(status=Comment.Status.PENDING)
    urgent = CommentFactory(status=Comment.Status.PENDING, needs_priority_review=True)
    response = editor_client.get(reverse(QUEUE))
    assert response.status_code == 200
    assert [c.pk for c in response.context["cl"].result_list] == [urgent.pk, ordinary.pk]
    assert "moderation queue" in editor_client.get(reverse("admin:index")).content.decode().lower()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status__exact=pending", {"pending"}),
        ("needs_priority_review__exact=1", {"priority"}),
        ("reported=yes", {"reported"}),
        ("on=muscle", {"muscle"}),
        ("on=article", {"approved", "pending", "priority", "reported"}),
    ],
)
def test_filters_narrow_the_list(editor_client, query, expected):
    comments = {
        "approved": CommentFactory(),
        "pending": CommentFactory(status=Comment.Status.PENDING),
        "priority": CommentFactory(status=Comment.Status.REJECTED, needs_priority_review=True),
        "reported": CommentFactory(report_count=2),
        "muscle": CommentFactory(article=None, muscle=MuscleFactory()),
    }
    response = editor_client.get(f"{reverse(CHANGELIST)}?{query}")
    assert listed(response) == {comments[name].pk for name in expected}


@pytest.mark.parametrize(("action", "status"), [("approve", "approved"), ("reject", "rejected")])
def test_bulk_actions_approve_or_reject_and_clear_the_priority_flag(editor_client, action, status):
    chosen = CommentFactory.create_batch(2, status=Comment.Status.PENDING, needs_priority_review=True)
    untouched = CommentFactory(status=Comment.Status.PENDING)
    response = editor_client.post(
        reverse(QUEUE), {"action": action, "_selected_action": [c.pk for c in chosen]}, follow=True
    )
    assert f"{status.capitalize()} 2 comment(s)." in response.content.decode()
    assert set(Comment.objects.filter(pk__in=[c.pk for c in chosen]).values_list("status", flat=True)) == {status}
    assert not Comment.objects.filter(pk__in=[c.pk for c in chosen], needs_priority_review=True).exists()
    untouched.refresh_from_db()
    assert untouched.status == Comment.Status.PENDING


def test_reader_text_is_escaped_and_the_email_shown_to_editors(editor_client):
    comment = CommentFactory(name="<b>Sam</b>", body="<script>alert(1)</script>\nline two", email="sam@example.com")
    page = editor_client.get(reverse("admin:articles_comment_change", args=[comment.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>line two" in page
    assert "sam@example.com" in page
    changelist = editor_client.get(reverse(CHANGELIST)).content.decode()
    assert "<script>alert(1)" not in changelist and "&lt;b&gt;Sam&lt;/b&gt;" in changelist


def test_no_add_button(editor_client):
    assert editor_client.get(reverse("admin:articles_comment_add")).status_code == 403


def test_readers_cannot_reach_the_admin(client):
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
