"""Privacy: no raw network address stored anywhere; old rejected and pending comments purged."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.models import Comment, CommentReport, RateLimit
from articles.visitors import visitor_hash
from tests.articles.comments_support import post_comment
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.199"


def every_stored_value():
    """Every value in every table, as text."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names from introspection)
            for row in cursor.fetchall():
                yield from (str(value) for value in row)


def test_no_raw_address_is_stored_anywhere(client):
    article = ArticleFactory()
    post_comment(client, article, ip=ADDRESS)
    comment = CommentFactory(article=article)
    client.post(reverse("articles:comment-report", args=[comment.pk]), REMOTE_ADDR=ADDRESS)
    assert Comment.objects.count() == 2 and CommentReport.objects.count() == 1 and RateLimit.objects.count() == 2
    assert not [value for value in every_stored_value() if ADDRESS in value]


def test_the_visitor_hash_is_keyed_and_stable(rf, settings):
    request = rf.get("/", REMOTE_ADDR=ADDRESS)
    first = visitor_hash(request)
    assert len(first) == 64 and ADDRESS not in first
    assert visitor_hash(rf.get("/", REMOTE_ADDR=ADDRESS)) == first
    assert visitor_hash(rf.get("/", REMOTE_ADDR="203.0.113.200")) != first
    settings.SECRET_KEY = "another-secret-key-entirely-" + "x" * 40
    assert visitor_hash(request) != first


def make_old(status, days, **kwargs):
    return CommentFactory(status=status, created_at=timezone.now() - datetime.timedelta(days=days), **kwargs)


def purge(*args):
    out = io.StringIO()
    call_command("purge_comments", *args, stdout=out)
    return out.getvalue()


def test_purge_deletes_old_rejected_and_pending_comments_only():
    old_rejected = make_old(Comment.Status.REJECTED, 91)
    old_pending = make_old(Comment.Status.PENDING, 91)
    CommentReport.objects.create(comment=old_pending, visitor_hash="a" * 64)
    kept = [
        make_old(Comment.Status.APPROVED, 400),
        make_old(Comment.Status.REJECTED, 89),
        make_old(Comment.Status.PENDING, 10),
    ]
    RateLimit.objects.create(
        scope="comment", visitor_hash="b" * 64, window_start=timezone.now() - datetime.timedelta(days=2)
    )
    RateLimit.objects.create(scope="comment", visitor_hash="c" * 64, window_start=timezone.now())
    output = purge()
    assert output.strip() == (
        "Deleted 1 rejected and 1 pending comment(s) older than 90 days, and 1 old rate-limit record(s)."
    )
    assert set(Comment.objects.values_list("pk", flat=True)) == {c.pk for c in kept}
    assert not Comment.objects.filter(pk__in=[old_rejected.pk, old_pending.pk]).exists()
    assert not CommentReport.objects.exists()
    assert RateLimit.objects.count() == 1
    # Running it again changes nothing.
    assert "Deleted 0 rejected and 0 pending" in purge()


def test_purge_takes_a_number_of_days():
    make_old(Comment.Status.REJECTED, 10)
    assert "Deleted 1 rejected" in purge("--days", "7")


def test_purge_refuses_a_nonsense_number_of_days():
    with pytest.raises(CommandError):
        purge("--days", "0")


def test_the_privacy_page_states_what_comments_keep_and_for_how_long(client, demo_content):
    page = client.get(reverse("articles:privacy")).content.decode()
    assert "never store your raw IP address" in page
    assert "deleted after 90 days" in page
