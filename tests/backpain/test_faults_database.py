"""Database outages: readers get a friendly 503 page, the load balancer a 503 from /healthz, and the site
recovers by itself once the database is back."""

import json
import re
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from django.db import connections
from django.db.utils import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse

from articles.context_processors import site
from backpain import views
from tests.harness.servers import gunicorn, prepare_site, production_env
from tests.harness.services import Postgres, free_port, start_or_skip

ARTICLE = "/articles/why-stretch-at-bedtime/"
ARTICLE_TITLE = "Why stretch at bedtime?"
BREAK_TEXT = "The site is having a short break"
LEAKS = ["Traceback", "OperationalError", "psycopg", "sqlite", "settings.py", "/work/"]


def assert_friendly_503(status, headers, html):
    assert status == 503
    assert int(headers["Retry-After"]) > 0
    assert "no-store" in headers["Cache-Control"]
    assert f"<h1>{BREAK_TEXT}</h1>" in html and "try again in a few minutes" in html
    assert 'class="site-header"' in html and "Medical disclaimer:" in html
    for leak in LEAKS:
        assert leak not in html, leak


# The SQLite case, in process: the settings name a database file that cannot be opened.


@pytest.fixture
def unreachable_database(tmp_path, django_db_blocker):
    """Point the default connection at a database that cannot be reached, for the length of the test: on
    SQLite a file in a folder that does not exist (a wrong SQLITE_PATH), on PostgreSQL a port nobody serves."""
    original = connections["default"]
    if original.vendor == "sqlite":
        broken_settings = {"NAME": str(tmp_path / "missing" / "site.sqlite3")}
    else:
        broken_settings = {"HOST": "127.0.0.1", "PORT": str(free_port()), "OPTIONS": {"connect_timeout": 2}}
    broken = original.__class__({**original.settings_dict, **broken_settings})
    connections["default"] = broken
    try:
        with django_db_blocker.unblock():
            yield
    finally:
        broken.close()
        connections["default"] = original


@pytest.mark.parametrize("url_name", ["home", "articles:list", "articles:stretches", "assessment:start"])
def test_pages_answer_a_friendly_503_when_the_database_cannot_be_reached(unreachable_database, url_name):
    response = Client(raise_request_exception=False).get(reverse(url_name))
    assert_friendly_503(response.status_code, response.headers, response.content.decode())


def test_a_comment_posted_while_the_database_cannot_be_reached_gets_the_503_page(unreachable_database):
    url = reverse("articles:comment-article", args=["why-stretch-at-bedtime"])
    response = Client(raise_request_exception=False).post(url, {"name": "Sam", "body": "Hello"})
    assert_friendly_503(response.status_code, response.headers, response.content.decode())


def test_healthz_reports_the_unreachable_database_database(unreachable_database):
    response = Client().get(reverse("healthz"))
    assert response.status_code == 503 and response.json()["database"] == "unreachable"


def test_other_errors_still_get_the_500_page():
    try:
        raise ValueError("a bug, not an outage")
    except ValueError:
        response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500 and "Retry-After" not in response.headers


def test_the_503_page_renders_without_the_database(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        try:
            raise OperationalError("connection refused")
        except OperationalError:
            response = views.server_error(RequestFactory().get("/"))
    assert_friendly_503(response.status_code, response.headers, response.content.decode())


def test_the_sidebar_links_fall_back_to_none_when_the_database_fails(unreachable_database):
    assert site(RequestFactory().get("/"))["information_links"]() == []


# PostgreSQL for real: gunicorn in production mode while the server stops and starts again.


@pytest.fixture
def own_postgres():
    """A PostgreSQL server of this test's own, which it may stop and start (the shared one must stay up)."""
    server = start_or_skip(Postgres)
    yield server
    server.stop()


def fetch(url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def post_comment_form(url, page_html, cookie):
    """Send the article's comment form back as a browser would, with the page's own CSRF token."""
    action = re.search(r'<form method="post" action="([^"#]+)" class="comment-form"', page_html)[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page_html)[1]
    form = urlencode({"csrfmiddlewaretoken": token, "name": "Sam", "body": "Sent during the outage"}).encode()
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "Referer": url + ARTICLE}
    return fetch(url + action, data=form, headers=headers)


@pytest.mark.own_database  # a PostgreSQL server of its own, whatever the suite runs on
def test_gunicorn_answers_503_while_postgres_is_down_and_recovers_when_it_is_back(tmp_path, static_root, own_postgres):
    env = production_env(tmp_path, static_root, DATABASE_URL=own_postgres.create_database("outage"))
    prepare_site(env)
    with gunicorn(env) as url:
        status, headers, page = fetch(url + ARTICLE)
        assert status == 200 and ARTICLE_TITLE in page
        csrf_cookie = headers["Set-Cookie"].split(";")[0]

        own_postgres.pause()
        status, _, body = fetch(url + "/healthz")
        assert status == 503 and json.loads(body) == {"status": "unavailable", "database": "unreachable"}
        for path in ("/", ARTICLE, "/articles/", "/assessment/"):
            assert_friendly_503(*fetch(url + path))
        assert_friendly_503(*post_comment_form(url, page, csrf_cookie))

        own_postgres.resume()
        # Both workers must reconnect on their own: ask more often than there are workers.
        assert [fetch(url + "/healthz")[0] for _ in range(6)] == [200] * 6
        status, _, page = fetch(url + ARTICLE)
        assert status == 200 and ARTICLE_TITLE in page
        assert fetch(url + "/")[0] == 200
    assert own_postgres.psql("SELECT count(*) FROM articles_comment", database="outage").strip() == "0"
