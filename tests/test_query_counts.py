"""Queries per page: at most eight, and the same however many articles, stretches and comments exist.

The page cache is cleared before each measurement, so these count a full render (the cost of a cache miss).
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Muscle, Stretch
from tests.assessment import scenarios
from tests.factories import ArticleFactory, CommentFactory, InformationLinkFactory, StretchFactory

MAX_QUERIES = 8


def queries_for(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def grow_content(article, muscle):
    """Add many of everything a page lists: articles (some featured, in the sidebar, related), stretches."""
    for number in range(15):
        extra = ArticleFactory(featured=number % 3 == 0, summary="Hip flexor stretching at bedtime.")
        extra.related_muscles.add(muscle)
        article.related_articles.add(extra)
        InformationLinkFactory(article=extra)
    StretchFactory.create_batch(6, muscle=muscle)


@pytest.fixture
def pages(site_content):
    article = Article.objects.published().first()
    muscle = Muscle.objects.filter(stretches__isnull=False).first()
    stretch = Stretch.objects.filter(muscle=muscle).first()
    return article, muscle, stretch


def public_urls(article, muscle, stretch):
    return {
        "home": reverse("home"),
        "article list": reverse("articles:list"),
        "article": article.get_absolute_url(),
        "muscle": muscle.get_absolute_url(),
        "stretch": stretch.get_absolute_url(),
        "stretch routine": reverse("articles:stretch-routine", args=[muscle.slug, stretch.slug]),
        "muscle routine": reverse("articles:muscle-routine", args=[muscle.slug]),
        "search": reverse("articles:search") + "?q=hip",
        "self-check start": reverse("assessment:start"),
        "strengthening": reverse("assessment:strengthening"),
    }


def test_public_pages_stay_within_budget_as_content_grows(client, pages):
    """Every public page needs at most eight queries, and no more with many more articles and stretches."""
    urls = public_urls(*pages)
    before = {name: queries_for(client, url) for name, url in urls.items()}
    grow_content(pages[0], pages[1])
    after = {name: queries_for(client, url) for name, url in urls.items()}
    assert max(after.values()) <= MAX_QUERIES, after
    assert after == before


@pytest.mark.parametrize("kind", ["article", "muscle"])
def test_comment_count_does_not_change_query_count(client, pages, kind):
    """A page with 1 or 100 approved comments costs the same queries; with none, never more."""
    article, muscle, _ = pages
    target = {"article": article, "muscle": muscle}[kind]
    url = target.get_absolute_url()
    fields = {"article": article} if kind == "article" else {"article": None, "muscle": muscle}
    none = queries_for(client, url)
    CommentFactory(**fields)
    one = queries_for(client, url)
    CommentFactory.create_batch(99, **fields)
    hundred = queries_for(client, url)
    assert hundred == one
    assert none <= one <= MAX_QUERIES


def test_self_check_pages_stay_within_budget(client, pages):
    """The question step, the saved result, its routine and its one-click step for other browsers: at most eight
    queries."""
    result = scenarios.finish(client, "anterior")
    result_url = result.wsgi_request.path
    assert queries_for(client, result_url) <= MAX_QUERIES
    assert queries_for(Client(), result_url) <= MAX_QUERIES
    assert queries_for(client, result_url + "routine/") <= MAX_QUERIES
    scenarios.start_run(client)
    assert queries_for(client, reverse("assessment:question", args=[1])) <= MAX_QUERIES


def test_cached_page_needs_one_query(client, pages):
    """A second anonymous visit to a cached page only reads the content version."""
    url = pages[0].get_absolute_url()
    queries_for(client, url)
    client.cookies.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert len(captured) == 1
