import datetime

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_published_includes_only_live_articles():
    """Readers see published articles whose time has come; never drafts or scheduled ones."""
    live = ArticleFactory()
    ArticleFactory(status=Article.Status.DRAFT)
    ArticleFactory(published_at=timezone.now() + datetime.timedelta(hours=1))
    assert list(Article.objects.published()) == [live]


def test_scheduled_article_appears_when_its_time_arrives():
    """A future publication time needs no cron job: the article appears once the time passes."""
    soon = timezone.now() + datetime.timedelta(minutes=5)
    article = ArticleFactory(published_at=soon)
    assert article.is_scheduled and not Article.objects.published().exists()
    with time_machine.travel(soon + datetime.timedelta(seconds=1), tick=False):
        assert list(Article.objects.published()) == [article]


def test_publishing_without_a_date_publishes_now():
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    article.status = Article.Status.PUBLISHED
    article.save()
    assert article.published_at is not None and article.is_live


def test_save_renders_markdown_toc_and_reading_time():
    """The body is rendered once, on save, with a contents list and a reading time."""
    article = ArticleFactory(body="## Why stretch\n\n" + "word " * 450 + "\n\n## When\n\nAt bedtime.")
    assert '<h2 id="why-stretch">Why stretch</h2>' in article.body_html
    assert [item["name"] for item in article.toc] == ["Why stretch", "When"]
    assert article.reading_minutes == 3


def test_review_overdue_queryset_and_flag():
    overdue = ArticleFactory(next_review_due=timezone.localdate() - datetime.timedelta(days=1))
    ArticleFactory(next_review_due=timezone.localdate() + datetime.timedelta(days=30))
    assert list(Article.objects.review_overdue()) == [overdue]
    assert overdue.review_overdue


def test_edits_are_kept_in_history():
    article = ArticleFactory(title="First title")
    article.title = "Second title"
    article.save()
    assert [h.title for h in article.history.order_by("history_date")] == ["First title", "Second title"]
