"""Markdown that would make the parser run away is refused with a message an editor can act on, before any
parsing; real writing is far inside every limit. How long the worst accepted text takes: ``bench/markdown.py``."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.models import Article
from backpain import markdown
from tests.factories import ArticleFactory, CategoryFactory
from tests.harness.editing import edit_marker

# The shapes that took 14 s to over 40 s to save, or raised RecursionError (a 500), before the limits.
PATHOLOGICAL = {
    "9,000 [": ("[" * 9000, "square brackets"),
    "40,000 backticks": ("`" * 40000, "too many backticks"),
    "a list nested 60 deep": ("\n".join("    " * level + "- x" for level in range(60)), "nested more than"),
    "a list nested 300 deep": ("\n".join("    " * level + "- x" for level in range(300)), "characters long"),
    "5,000 list markers on one line": ("1. " * 5000, "Line 1 is longer"),
    "3,000 HTML comment openers": ("<!--" * 3000, "Line 1 is longer"),
    "a thousand list lines": ("\n".join(["- x"] * 1000), "lines"),
    "brackets spread over paragraphs": ("\n\n".join(["[a" * 150] * 8), "square brackets"),
}


@pytest.mark.parametrize("text, says", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_markdown_is_refused_before_parsing_with_a_clear_message(text, says):
    with pytest.raises(ValidationError) as refused:
        markdown.render_markdown(text)
    assert says in " ".join(refused.value.messages)


def test_every_shipped_article_and_page_is_far_inside_the_limits(site_content):
    from articles.models import Muscle, SitePage, Stretch
    from assessment.models import SelfTest

    texts = [article.body for article in Article.objects.all()] + [page.body for page in SitePage.objects.all()]
    for muscle in Muscle.objects.all():
        texts += [muscle.location, muscle.action, muscle.why_it_tightens, muscle.trigger_points, muscle.referred_pain]
    texts += [stretch.cautions for stretch in Stretch.objects.all()]
    texts += [test.steps for test in SelfTest.objects.all()]
    assert len(texts) > 40 and all(markdown.markdown_problems(text) == [] for text in texts)
    assert max(len(text) for text in texts) < markdown.MAX_CHARACTERS / 4


def test_ordinary_nesting_and_marks_are_fine():
    text = "- one\n    - two\n        - three\n\n> a quote with `code`, a [link](https://example.org) and **bold**"
    assert markdown.markdown_problems(text) == []
    assert "<li>three</li>" in markdown.render_markdown(text).html


def test_an_editor_saving_a_runaway_article_sees_the_message_and_loses_nothing(editor_client):
    article = ArticleFactory(title="Kept", body="## Kept\n\nThe text already stored.")
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = editor_client.post(
        url,
        {
            "title": "Kept",
            "slug": article.slug,
            "category": article.category.pk,
            "summary": article.summary,
            "body": "[" * 9000,
            "status": "published",
            "published_at_0": "2026-01-01",
            "published_at_1": "08:00:00",
            **edit_marker(editor_client, url),
        },
    )
    assert response.status_code == 200
    assert "too many square brackets" in response.content.decode()
    article.refresh_from_db()
    assert article.body == "## Kept\n\nThe text already stored."


def test_an_editor_adding_a_deeply_nested_page_is_refused(editor_client):
    category = CategoryFactory()
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Deep",
            "slug": "deep",
            "category": category.pk,
            "summary": "Deep.",
            "body": "\n".join("    " * level + "- x" for level in range(60)),
            "status": "draft",
        },
    )
    assert response.status_code == 200
    assert "nested more than 4 levels deep" in response.content.decode()
    assert not Article.objects.filter(slug="deep").exists()
