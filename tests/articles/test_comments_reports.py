"""Readers reporting a published comment."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Comment, CommentReport
from tests.factories import CommentFactory

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
    assert client.get(reverse("articles:comment-report", args=[CommentFactory().pk])).status_code == 405


def test_reporting_needs_the_csrf_token():
    comment = CommentFactory()
    assert report(Client(enforce_csrf_checks=True), comment).status_code == 403


def test_every_published_comment_has_a_report_button(client):
    comment = CommentFactory(name="Alex")
    page = client.get(comment.article.get_absolute_url()).content.decode()
    assert f'action="{reverse("articles:comment-report", args=[comment.pk])}"' in page
    assert 'Report<span class="visually-hidden"> the comment by <bdi>Alex</bdi></span>' in page
