"""How comments appear on a page: only approved ones, oldest first, counted, paginated, with editors' replies."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Comment
from tests.factories import ArticleFactory, CommentFactory, MuscleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory()


def page_text(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_only_approved_comments_are_shown(client, article):
    CommentFactory(article=article, body="Approved words")
    CommentFactory(article=article, body="Pending words", status=Comment.Status.PENDING)
    CommentFactory(article=article, body="Rejected words", status=Comment.Status.REJECTED)
    CommentFactory(article=ArticleFactory(), body="Words on another article")
    page = page_text(client, article.get_absolute_url())
    assert "Approved words" in page
    assert "Pending words" not in page and "Rejected words" not in page and "another article" not in page
    assert "1 comment<" in page


@pytest.mark.parametrize(("count", "label"), [(0, "No comments yet."), (1, "1 comment<"), (3, "3 comments<")])
def test_the_count_is_shown(client, article, count, label):
    CommentFactory.create_batch(count, article=article)
    assert label in page_text(client, article.get_absolute_url())


def test_comments_read_oldest_first(client, article):
    now = timezone.now()
    CommentFactory(article=article, body="Second comment", created_at=now)
    CommentFactory(article=article, body="First comment", created_at=now - timezone.timedelta(days=1))
    page = page_text(client, article.get_absolute_url())
    assert page.index("First comment") < page.index("Second comment")


def test_line_breaks_are_kept(client, article):
    CommentFactory(article=article, body="Line one\nLine two")
    assert "Line one<br>Line two" in page_text(client, article.get_absolute_url())


def test_the_email_address_is_never_shown(client, article):
    CommentFactory(article=article, email="private.reader@example.com", notify_on_reply=True, reply="Thanks!")
    assert "private.reader" not in page_text(client, article.get_absolute_url())


def test_an_editors_reply_is_shown_under_the_comment_with_a_badge(client, article):
    CommentFactory(
        article=article,
        body="Does this help sciatica?",
        reply="It can ease it; see a doctor if it spreads.",
        replied_by=UserFactory(username="physio"),
        replied_at=timezone.now(),
    )
    page = page_text(client, article.get_absolute_url())
    reply_at = page.index("It can ease it; see a doctor if it spreads.")
    assert page.index("Does this help sciatica?") < reply_at
    assert '<span class="badge text-bg-primary">Editor</span>' in page[:reply_at]


def test_comments_are_paginated_twenty_to_a_page(client, article):
    base = timezone.now()
    for n in range(25):
        CommentFactory(article=article, body=f"Comment body {n:02d}", created_at=base + timezone.timedelta(minutes=n))
    first = page_text(client, article.get_absolute_url())
    assert "25 comments" in first
    assert "Comment body 19" in first and "Comment body 20" not in first
    assert "Page 1 of 2" in first
    assert f'href="{article.get_absolute_url()}?comments_page=2#comments"' in first
    second = page_text(client, f"{article.get_absolute_url()}?comments_page=2")
    assert "Comment body 20" in second and "Comment body 24" in second and "Comment body 19" not in second


@pytest.mark.parametrize(("junk", "shown"), [("abc", "Page 1 of 2"), ("-3", "Page 2 of 2"), ("99999", "Page 2 of 2")])
def test_junk_page_numbers_show_the_nearest_page(client, article, junk, shown):
    CommentFactory.create_batch(21, article=article)
    assert shown in page_text(client, f"{article.get_absolute_url()}?comments_page={junk}")


def count_queries(client, url):
    cache.clear()  # count a full render, not a visit served from the page cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_showing_comments_takes_no_query_per_comment(client):
    """A page of 100 comments costs the same queries as a page of one; no comments costs no more."""
    empty, one, many = ArticleFactory(), ArticleFactory(), ArticleFactory()
    CommentFactory(article=one, reply="Reply", replied_by=UserFactory())
    CommentFactory.create_batch(100, article=many, reply="Reply", replied_by=UserFactory())
    # Warm up anything cached per process (content types, templates).
    count_queries(client, many.get_absolute_url())
    with_one, with_many = count_queries(client, one.get_absolute_url()), count_queries(client, many.get_absolute_url())
    with_none = count_queries(client, empty.get_absolute_url())
    assert with_one == with_many
    # An empty page skips the query for the rows, since the count says there are none.
    assert with_none == with_many - 1


def test_muscle_pages_show_their_own_comments(client):
    muscle = MuscleFactory()
    CommentFactory(article=None, muscle=muscle, body="About this muscle")
    CommentFactory(body="About an article")
    page = page_text(client, muscle.get_absolute_url())
    assert "About this muscle" in page and "About an article" not in page
    assert 'action="/comments/muscle/' in page
