import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


def test_editors_group_has_content_permissions_but_not_users():
    codenames = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article", "publish_article"} - codenames == {"publish_article"}
    assert "view_historicalarticle" in codenames and "delete_historicalarticle" not in codenames
    assert not any(
        code.endswith("_user") or code.endswith("_group") or code.endswith("_permission") for code in codenames
    )


@pytest.mark.parametrize(
    "url_name",
    ["admin:index", "admin:articles_article_changelist", "admin:articles_article_add",
     "admin:articles_category_changelist", "admin:articles_informationlink_changelist",
     "admin:articles_sitepage_changelist"],
)  # fmt: skip
def test_admin_pages_load_for_an_editor(editor_client, url_name):
    assert editor_client.get(reverse(url_name)).status_code == 200


def test_editor_cannot_manage_users(editor_client):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_editor_creates_and_schedules_an_article(editor_client):
    category = CategoryFactory()
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Stretching at night",
            "slug": "stretching-at-night",
            "category": category.pk,
            "summary": "Why bedtime is the right time.",
            "body": "## Why\n\nBecause muscles rest.",
            "status": "published",
            "published_at_0": "2099-01-01",
            "published_at_1": "08:00:00",
            # The sources inline's management form, with no sources.
            "source_links-TOTAL_FORMS": "0",
            "source_links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="stretching-at-night")
    assert article.is_scheduled and "<h2" in article.body_html


def test_changelist_filters_and_search(editor_client):
    ArticleFactory(title="Alpha", status=Article.Status.DRAFT)
    ArticleFactory(title="Beta")
    url = reverse("admin:articles_article_changelist")
    assert "Alpha" in editor_client.get(url, {"status__exact": "draft"}).content.decode()
    assert "Beta" not in editor_client.get(url, {"status__exact": "draft"}).content.decode()
    assert "Beta" in editor_client.get(url, {"q": "Beta"}).content.decode()
    assert editor_client.get(url, {"review": "overdue"}).status_code == 200


def test_bulk_publish_and_unpublish(editor_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    url = reverse("admin:articles_article_changelist")
    editor_client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_live
    editor_client.post(url, {"action": "unpublish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_history_can_be_viewed_and_an_old_version_restored(editor_client):
    article = ArticleFactory(title="Original")
    article.title = "Changed"
    article.save()
    history = editor_client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert history.status_code == 200 and "Changed" in history.content.decode()
    first = article.history.earliest()
    restore_url = reverse("admin:articles_article_simple_history", args=[article.pk, first.history_id])
    page = editor_client.get(restore_url)
    assert page.status_code == 200 and "Original" in page.content.decode()
