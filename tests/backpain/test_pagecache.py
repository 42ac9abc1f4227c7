"""The page cache: anonymous pages are served from it, edits show at once, nothing personal is shared."""

import itertools
import re
import time
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from django.contrib.admin.sites import site as admin_site
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.admin.comments import CommentAdmin
from articles.forms import CommentForm, target_key
from articles.models import Article, Comment
from backpain import antispam, pagecache
from backpain.models import ContentVersion
from tests.articles.comments_support import post_comment
from tests.assessment import scenarios
from tests.factories import ArticleFactory, CommentFactory, InformationLinkFactory, MuscleFactory

pytestmark = pytest.mark.django_db

CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED_VALUE = re.compile(r'name="started" value="([^"]+)"')


def visit(url, client=None):
    """A first-time anonymous visit (no cookies); return the page and how many queries it took."""
    client = client or Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_second_anonymous_visit_is_served_from_the_cache():
    article = ArticleFactory(title="Sleeping on your side")
    first, full_render = visit(article.get_absolute_url())
    second, cached = visit(article.get_absolute_url())
    assert cached == 1 < full_render
    assert "Sleeping on your side" in second


def test_editing_an_article_shows_on_the_next_visit():
    article = ArticleFactory(title="Old title")
    visit(article.get_absolute_url())
    visit(reverse("home"))
    article.title = "New title"
    article.save()
    assert "New title" in visit(article.get_absolute_url())[0]
    assert "New title" in visit(reverse("home"))[0]


def test_deleting_and_sidebar_changes_show_on_the_next_visit():
    kept, gone = ArticleFactory(title="Kept article"), ArticleFactory(title="Removed article")
    visit(reverse("articles:list"))
    gone.delete()
    InformationLinkFactory(article=kept, label="A brand new sidebar link")
    page = visit(reverse("articles:list"))[0]
    assert "Removed article" not in page
    assert "A brand new sidebar link" in page


def test_approving_comments_in_bulk_shows_them(rf, editor):
    article = ArticleFactory()
    comment = CommentFactory(article=article, status=Comment.Status.PENDING, body="Waiting to be approved")
    assert "Waiting to be approved" not in visit(article.get_absolute_url())[0]
    request = rf.post("/")
    request.user = editor
    with mock.patch.object(CommentAdmin, "message_user"):
        CommentAdmin(Comment, admin_site).approve(request, Comment.objects.filter(pk=comment.pk))
    assert "Waiting to be approved" in visit(article.get_absolute_url())[0]


def test_admin_bulk_delete_shows(rf, editor):
    article = ArticleFactory(title="About to be deleted")
    visit(reverse("articles:list"))
    request = rf.post("/")
    request.user = editor
    admin_site._registry[Article].delete_queryset(request, Article.objects.filter(pk=article.pk))
    assert "About to be deleted" not in visit(reverse("articles:list"))[0]


def test_each_visitor_gets_their_own_csrf_token_that_works():
    """A cached page carries the current visitor's CSRF token, never the first visitor's."""
    article = ArticleFactory()
    first = visit(article.get_absolute_url())[0]
    reader = Client(enforce_csrf_checks=True)
    second = visit(article.get_absolute_url(), reader)[0]
    assert set(CSRF_VALUE.findall(first)).isdisjoint(CSRF_VALUE.findall(second))
    token = CSRF_VALUE.findall(second)[0]
    response = reader.post(
        reverse("articles:helpful", args=["article", article.pk]), {"helpful": "yes", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_the_comment_form_time_is_stamped_for_each_visitor():
    """The form's "served at" time is signed afresh, so a cached page is no way round the minimum fill time."""
    article = ArticleFactory()
    # The first visit five minutes ago: its page is still in the cache (PAGE_TIMEOUT is ten minutes).
    with time_machine.travel(time.time() - 300):
        visit(article.get_absolute_url())
    page, queries = visit(article.get_absolute_url())
    assert queries == 1
    token = STARTED_VALUE.findall(page)[0]
    fresh = antispam.check_form_token(
        token, salt=CommentForm.spam_salt, scope=target_key(article), min_seconds=0, max_age=60
    )
    assert fresh == antispam.OK


def test_a_pending_comment_is_shown_only_to_its_author(client):
    article = ArticleFactory()
    visit(article.get_absolute_url())
    response = post_comment(client, article, body="My own words, still waiting for an editor.")
    author_page = client.get(response["Location"]).content.decode()
    assert "awaiting moderation" in author_page
    other = visit(article.get_absolute_url())[0]
    assert "awaiting moderation" not in other
    assert "My own words" not in other


def test_a_self_check_result_never_reaches_another_visitor(client, site_content):
    result = scenarios.finish(client, "anterior")
    token = result.wsgi_request.path.rstrip("/").split("/")[-1]
    assert "no-cache" in result["Cache-Control"]
    for url in (reverse("assessment:start"), reverse("home")):
        assert token not in visit(url)[0]
        assert token not in visit(url)[0]


def test_staff_pages_and_previews_are_never_cached(editor_client):
    draft = ArticleFactory(title="Secret draft", status=Article.Status.DRAFT, published_at=None)
    live = ArticleFactory(title="Live article")
    assert editor_client.get(draft.get_absolute_url()).status_code == 200
    assert editor_client.get(live.get_absolute_url()).status_code == 200
    assert Client().get(draft.get_absolute_url()).status_code == 404
    # The editor's visit left nothing behind: the first anonymous visit is a full render.
    assert visit(live.get_absolute_url())[1] > 1


def test_pages_with_a_query_string_are_not_cached():
    article = ArticleFactory()
    url = article.get_absolute_url() + "?comments_page=1"
    visit(url)
    assert visit(url)[1] > 1


def test_linking_a_muscle_to_an_article_shows_on_the_next_visit():
    """A many-to-many change sends no save signal of the article's: the m2m receiver invalidates."""
    article = ArticleFactory()
    muscle = MuscleFactory(name="Psoas for linking")
    assert "Psoas for linking" not in visit(article.get_absolute_url())[0]
    article.related_muscles.add(muscle)
    assert "Psoas for linking" in visit(article.get_absolute_url())[0]


def test_a_bulk_update_shows_on_the_next_visit():
    """``QuerySet.update`` skips save(): the public-content queryset invalidates instead."""
    article = ArticleFactory(title="Before the bulk edit")
    visit(article.get_absolute_url())
    Article.objects.filter(pk=article.pk).update(title="After the bulk edit")
    assert "After the bulk edit" in visit(article.get_absolute_url())[0]


def test_only_changes_to_shown_comments_invalidate():
    article = ArticleFactory()
    before = ContentVersion.current()
    comment = CommentFactory(article=article, status=Comment.Status.PENDING)
    comment.body = "Still waiting"
    comment.save()
    assert ContentVersion.current() == before
    comment.status = Comment.Status.APPROVED
    comment.save()
    approved = ContentVersion.current()
    assert approved > before
    comment.status = Comment.Status.REJECTED
    comment.save()
    assert ContentVersion.current() > approved


def test_no_app_raises_the_content_version_by_hand():
    """Invalidation lives in one place: nothing outside backpain's page cache and its models bumps the version."""
    root = Path(__file__).resolve().parents[2]
    allowed = {root / "backpain" / "pagecache.py", root / "backpain" / "models.py"}
    sources = itertools.chain.from_iterable(
        (root / app).rglob("*.py") for app in ("articles", "assessment", "backpain")
    )
    offenders = [
        str(path.relative_to(root)) for path in sources if path not in allowed and ".bump(" in path.read_text()
    ]
    assert offenders == []


_counter = itertools.count()
pagecache.per_visitor("test-visitor-number", lambda request, argument: f"{argument}-{next(_counter)}")


renders = []


@pagecache.cache_public_page
def numbered_view(request):
    renders.append(request)
    value = pagecache.personal("test-visitor-number", f"page-{next(_counter)}", "page")
    return HttpResponse(f"<p>Your number: {value}</p>")


def test_a_per_visitor_value_declared_by_its_owner_is_never_shared():
    """Any code can put a per-visitor value in a cached page through the placeholder API, knowing nothing
    of the cache's internals; each visitor gets a fresh value from the owner's filler."""
    factory = RequestFactory()
    renders.clear()
    pages = [numbered_view(factory.get("/numbered/")).content.decode() for _ in range(3)]
    assert len(renders) == 1  # the second and third visitors got the stored page
    assert len(set(pages)) == 3
    assert all(page.startswith("<p>Your number: page-") for page in pages)


def test_a_value_with_no_declared_filler_is_refused():
    with pytest.raises(ImproperlyConfigured):
        pagecache.personal("never-declared", "value")
