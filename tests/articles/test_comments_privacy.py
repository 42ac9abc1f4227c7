"""Privacy: no raw network address stored anywhere (purges: tests/backpain/test_retention.py)."""

import pytest
from django.db import connection
from django.urls import reverse

from articles.models import Comment, CommentReport
from backpain.models import RateLimit
from backpain.visitors import visitor_hash
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


def test_the_privacy_page_states_what_comments_keep_and_for_how_long(client, site_content):
    page = client.get(reverse("articles:privacy")).content.decode()
    assert "never store your raw IP address" in page
    assert "deleted after 90 days" in page
