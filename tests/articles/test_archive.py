"""Readers' comments outlive an editor's delete: a commented article is archived instead (its address says it was
retired, 410 Gone, and it leaves every list), a commented muscle page is not deleted, and publishing or restoring
from history brings the article back with its comments. Driven through the admin as an editor."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, Comment, Muscle
from tests.factories import ArticleFactory, CommentFactory, MuscleFactory
from tests.harness.fuzzing import form_data, post_form

pytestmark = pytest.mark.django_db

RETIRED = "This article was retired"


@pytest.fixture
def reader():
    """A reader's browser, beside the editor's (``client`` is the editor's once signed in)."""
    return Client()


@pytest.fixture
def commented():
    article = ArticleFactory(title="Stretching at bedtime", slug="stretching-at-bedtime")
    CommentFactory(article=article, body="This helped my sleep, thank you.")
    return article


def public_pages(client, article):
    """Every public list an article can appear on, as one text."""
    names = ["home", "articles:list", "articles:site-map", "articles:feed"]
    pages = [client.get(reverse(name)).content.decode() for name in names]
    pages.append(client.get(article.category.get_absolute_url()).content.decode())
    pages.append(client.get("/sitemap.xml").content.decode())
    pages.append(client.get(reverse("articles:search"), {"q": "bedtime stretching"}).content.decode())
    return "\n".join(pages)


def test_deleting_a_commented_article_is_refused_and_offers_archiving(editor_client, commented):
    url = reverse("admin:articles_article_delete", args=[commented.pk])
    page = editor_client.get(url).content.decode()
    assert "Readers have commented on “Stretching at bedtime” (1 comment), so it" in page
    assert 'value="Archive it instead"' in page
    # Confirming the delete anyway deletes nothing.
    response = editor_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert Article.objects.filter(pk=commented.pk).exists() and Comment.objects.filter(article=commented).count() == 1


def test_archiving_retires_the_page_keeps_the_comments_and_leaves_every_list(reader, editor_client, commented):
    reader_url = commented.get_absolute_url()
    assert "This helped my sleep" in reader.get(reader_url).content.decode()  # cached now
    assert "Stretching at bedtime" in public_pages(reader, commented)

    # The delete page's "Archive it instead" button, as the browser sends it.
    delete_page = editor_client.get(reverse("admin:articles_article_delete", args=[commented.pk])).content.decode()
    form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', delete_page, re.S)
    data = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(2)))
    response = editor_client.post(form.group(1), data, follow=True)
    assert "Archived 1 article(s)" in response.content.decode()

    gone = reader.get(reader_url)
    assert gone.status_code == 410
    assert RETIRED in gone.content.decode() and "This helped my sleep" not in gone.content.decode()
    assert "Stretching at bedtime" not in public_pages(reader, commented)
    assert Comment.objects.filter(article=commented).count() == 1
    # Readers cannot comment on a retired page.
    assert reader.post(reverse("articles:comment-article", args=[commented.slug]), {}).status_code == 404


def test_bulk_delete_with_a_commented_article_deletes_nothing_and_offers_archiving(editor_client, commented):
    quiet = ArticleFactory(title="Nobody commented")
    changelist = reverse("admin:articles_article_changelist")
    selected = {"action": "delete_selected", "_selected_action": [commented.pk, quiet.pk]}
    page = editor_client.post(changelist, selected).content.decode()
    assert "so none of them has been deleted" in page
    assert 'value="Archive the selected articles instead"' in page
    response = editor_client.post(changelist, {**selected, "post": "yes"})
    assert response.status_code == 200
    assert Article.objects.filter(pk__in=[commented.pk, quiet.pk]).count() == 2


def test_an_article_nobody_commented_on_can_still_be_deleted(editor_client):
    article = ArticleFactory()
    response = editor_client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Article.objects.filter(pk=article.pk).exists()


def test_a_commented_muscle_page_cannot_be_deleted(editor_client):
    muscle = MuscleFactory(name="Hamstrings")
    CommentFactory(article=None, muscle=muscle, body="Tight after running.")
    url = reverse("admin:articles_muscle_delete", args=[muscle.pk])
    page = editor_client.get(url).content.decode()
    assert "Readers have commented on the “Hamstrings” page (1 comment)" in page
    assert editor_client.post(url, {"post": "yes"}).status_code == 200
    assert Muscle.objects.filter(pk=muscle.pk).exists() and Comment.objects.filter(muscle=muscle).count() == 1


def test_restoring_the_published_version_brings_the_article_back_with_its_comments(reader, editor_client, commented):
    editor_client.post(
        reverse("admin:articles_article_changelist"), {"action": "archive", "_selected_action": [commented.pk]}
    )
    assert reader.get(commented.get_absolute_url()).status_code == 410
    published = commented.history.filter(status=Article.Status.PUBLISHED).latest("history_date")

    url = reverse("admin:articles_article_simple_history", args=[commented.pk, published.history_id])
    response = post_form(
        editor_client, url, form_data(editor_client.get(url).content.decode(), "historicalarticle_form")
    )
    assert response.status_code == 302

    page = reader.get(commented.get_absolute_url())
    assert page.status_code == 200 and "This helped my sleep" in page.content.decode()
    history = editor_client.get(reverse("admin:articles_article_history", args=[commented.pk])).content.decode()
    assert re.search(r"Restored the version of \d+ \w+ \d{4}, \d\d:\d\d", history)
    assert "Archived (retired)" in history


def test_staff_preview_of_an_archived_article_says_what_it_is(editor_client, commented):
    commented.status = Article.Status.ARCHIVED
    commented.save()
    page = editor_client.get(commented.get_absolute_url()).content.decode()
    assert "it is archived, and its address tells them it was retired" in page
