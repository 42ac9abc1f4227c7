"""The page cache as a middleware: cached pages are served before sessions and CSRF, to one canonical address
per page whatever the host's port or the tracking parameters, with a CSRF cookie only where a form needs
one, and never a page from before a restored backup."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Comment
from backpain.models import ContentVersion
from tests.factories import ArticleFactory, CommentFactory
from tests.harness.clients import SECURITY_HEADERS

pytestmark = pytest.mark.django_db

CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)"')


def visit(url, client=None, **headers):
    """A GET from ``client`` (a new visitor by default); return the response and how many queries it took."""
    client = client or Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return response, len(queries)


def test_the_middleware_runs_before_sessions_and_after_the_header_middleware():
    order = settings.MIDDLEWARE
    cache_at = order.index("backpain.pagecache.PageCacheMiddleware")
    for header_only in (
        "django.middleware.security.SecurityMiddleware",
        "django_permissions_policy.PermissionsPolicyMiddleware",
        "backpain.csp.PrecomputedCSPMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ):
        assert order.index(header_only) < cache_at
    for costly in (
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django_otp.middleware.OTPMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "axes.middleware.AxesMiddleware",
    ):
        assert order.index(costly) > cache_at


def test_a_cached_page_without_a_form_sets_no_cookie_and_mints_no_token():
    """The home page has no form: serving it from the cache gives the visitor no cookie at all."""
    ArticleFactory(title="On the home page")
    visit(reverse("home"))
    response, queries = visit(reverse("home"))
    assert queries == 1
    assert "On the home page" in response.content.decode()
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies


def test_a_cached_page_with_a_form_sets_the_csrf_cookie_only_for_a_visitor_without_one():
    article = ArticleFactory()
    visit(article.get_absolute_url())
    newcomer, queries = visit(article.get_absolute_url())
    assert queries == 1
    assert settings.CSRF_COOKIE_NAME in newcomer.cookies
    assert "Cookie" in newcomer["Vary"]

    reader = Client(enforce_csrf_checks=True)
    secret = newcomer.cookies[settings.CSRF_COOKIE_NAME].value
    reader.cookies[settings.CSRF_COOKIE_NAME] = secret
    returning, queries = visit(article.get_absolute_url(), reader)
    assert queries == 1
    # Their own secret is kept (Django sends it again, with a fresh expiry, whenever a token is used).
    assert returning.cookies[settings.CSRF_COOKIE_NAME].value == secret
    token = CSRF_VALUE.findall(returning.content.decode())[0]
    answer = reader.post(
        reverse("articles:helpful", args=["article", article.pk]), {"helpful": "yes", "csrfmiddlewaretoken": token}
    )
    assert answer.status_code == 302


def test_every_port_of_an_allowed_host_shares_one_entry_with_the_sites_own_links():
    """``Host: localhost:<port>`` passes ALLOWED_HOSTS whatever the port: all of them get one cached page,
    rendered with the site's own address, so no port can add an entry or put itself in the page's links."""
    article = ArticleFactory()
    first, full_render = visit(article.get_absolute_url(), HTTP_HOST="localhost:1111")
    assert full_render > 1
    site = settings.SITE_URL.rstrip("/")
    assert CANONICAL.findall(first.content.decode()) == [site + article.get_absolute_url()]
    for port in (2222, 3333, 8000):
        response, queries = visit(article.get_absolute_url(), HTTP_HOST=f"localhost:{port}")
        assert queries == 1
        assert "localhost:" not in response.content.decode()


def test_a_literal_allowed_host_keeps_its_own_page_and_links():
    article = ArticleFactory()
    page = visit(article.get_absolute_url(), HTTP_HOST="localhost")[0].content.decode()
    assert CANONICAL.findall(page) == ["http://localhost" + article.get_absolute_url()]
    assert visit(article.get_absolute_url(), HTTP_HOST="localhost:80")[1] == 1
    assert visit(article.get_absolute_url())[1] > 1  # testserver is a host of its own


def test_the_site_url_names_the_canonical_host(settings):
    settings.SITE_URL = "https://localhost"
    article = ArticleFactory()
    page = visit(article.get_absolute_url(), HTTP_HOST="localhost:4444")[0].content.decode()
    assert CANONICAL.findall(page) == ["http://localhost" + article.get_absolute_url()]


def test_a_site_url_django_would_refuse_is_never_put_in_a_page(settings):
    """A SITE_URL outside ALLOWED_HOSTS is a mistake; pages then take the first allowed host instead."""
    settings.SITE_URL = "https://elsewhere.example"
    article = ArticleFactory()
    page = visit(article.get_absolute_url(), HTTP_HOST="localhost:4444")[0].content.decode()
    assert CANONICAL.findall(page) == [f"http://{settings.ALLOWED_HOSTS[0]}{article.get_absolute_url()}"]


def test_a_host_outside_allowed_hosts_is_refused_not_cached():
    response = Client().get(reverse("home"), HTTP_HOST="evil.example")
    assert response.status_code == 400


def test_unknown_query_parameters_get_the_canonical_cached_page():
    """A tracking parameter is read by no view: the visitor gets the one cached page, and a first visit with
    one stores the page without it."""
    article = ArticleFactory(title="Tracked article")
    tracked, full_render = visit(article.get_absolute_url() + "?utm_source=newsletter&fbclid=abc")
    assert full_render > 1
    page = tracked.content.decode()
    assert "utm_source" not in page and "fbclid" not in page
    for query in ("", "?utm_source=other", "?x=1&y=2", "?utm_campaign=" + "z" * 500):
        response, queries = visit(article.get_absolute_url() + query)
        assert queries == 1
        assert "Tracked article" in response.content.decode()


def test_parameters_a_page_reads_are_rendered_afresh_and_never_stored():
    article = ArticleFactory()
    visit(article.get_absolute_url())
    for _ in range(2):
        assert visit(article.get_absolute_url() + "?comments_page=1&utm_source=x")[1] > 1
    visit(reverse("articles:list"))
    assert visit(reverse("articles:list") + "?page=1")[1] > 1


def test_a_head_request_is_answered_from_the_cache_too():
    visit(reverse("home"))
    with CaptureQueriesContext(connection) as queries:
        response = Client().head(reverse("home"))
    assert response.status_code == 200
    assert len(queries) == 1


def test_a_cached_page_carries_the_headers_of_a_fresh_render():
    """Security headers, CSP, Permissions-Policy, Referrer-Policy and frame options, byte for byte."""
    article = ArticleFactory()
    fresh = visit(article.get_absolute_url())[0]
    cached, queries = visit(article.get_absolute_url())
    assert queries == 1
    rendered_anew = visit(article.get_absolute_url() + "?comments_page=1")[0]
    for name in SECURITY_HEADERS:
        assert fresh[name] == cached[name] == rendered_anew[name], name
    assert int(cached["Content-Length"]) == len(cached.content)


def _restore(snapshot_title, article, version):
    """What restoring a backup does: the rows go back as they were, and no signal is sent."""
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET number = %s, token = %s", version)  # noqa: S608
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(Article._meta.db_table)} SET title = %s WHERE id = %s",  # noqa: S608
            [snapshot_title, article.pk],
        )


def test_a_restored_backup_never_serves_a_page_cached_after_the_backup():
    """The restore takes the version number back; the next edit raises it to a number a page was cached
    under before the restore, but that page must not come back."""
    article = ArticleFactory(title="Title in the backup")
    other = ArticleFactory(title="Another article")
    visit(article.get_absolute_url())
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number, token FROM {table}")  # noqa: S608
        backup = list(cursor.fetchone())

    article.title = "Title written after the backup"
    article.save()
    assert "Title written after the backup" in visit(article.get_absolute_url())[0].content.decode()

    _restore("Title in the backup", article, backup)
    assert "Title in the backup" in visit(article.get_absolute_url())[0].content.decode()
    other.title = "An edit after the restore"
    other.save()
    assert ContentVersion.current() == backup[0] + 1  # the number the lost edit's page was cached under
    page = visit(article.get_absolute_url())[0].content.decode()
    assert "Title in the backup" in page
    assert "Title written after the backup" not in page


def test_every_form_on_a_cached_page_carries_the_same_token_as_a_fresh_render_would():
    """One token per page for the visitor, as a render gives: a page of comments has a form for each."""
    article = ArticleFactory()
    CommentFactory.create_batch(3, article=article, status=Comment.Status.APPROVED)
    fresh = visit(article.get_absolute_url())[0].content.decode()
    cached = visit(article.get_absolute_url())[0].content.decode()
    assert len(CSRF_VALUE.findall(cached)) == len(CSRF_VALUE.findall(fresh)) > 3
    assert len(set(CSRF_VALUE.findall(fresh))) == len(set(CSRF_VALUE.findall(cached))) == 1


def test_only_cached_pages_read_the_content_version():
    """A 404, the health check and search are no cached page: the middleware leaves the database alone."""
    for url, status in (
        ("/nothing-here/", 404),
        (reverse("healthz"), 200),
        (reverse("articles:search") + "?q=hip", 200),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(url).status_code == status
        assert not [query for query in queries if "contentversion" in query["sql"]], url
    with CaptureQueriesContext(connection) as queries:
        Client().get(reverse("home"))
    assert [query for query in queries if "contentversion" in query["sql"]]
