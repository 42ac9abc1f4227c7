"""Error pages: in the site's look, with a way on, and nothing leaked. Tests run with DEBUG off."""

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from backpain import views

pytestmark = pytest.mark.django_db

LEAKS = ["Traceback", "Django", "settings.py", "/work/", "urlpatterns", "DEBUG", "Using the URLconf"]


def assert_site_look(html):
    assert '<a class="skip-link" href="#main">' in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert 'role="search"' in html and f'href="{reverse("home")}"' in html
    assert '<meta name="robots" content="noindex">' in html
    for leak in LEAKS:
        assert leak not in html, leak


def test_an_unknown_url_answers_404_in_the_sites_look(client):
    assert not settings.DEBUG
    response = client.get("/no-such-page/<script>/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in html
    assert_site_look(html)
    assert "no-such-page" not in html and "<script>/" not in html


def test_a_missing_article_is_a_404_in_the_sites_look(client):
    response = client.get(reverse("articles:detail", args=["gone"]))
    assert response.status_code == 404 and "Page not found" in response.content.decode()


def test_a_forbidden_page_answers_403_in_the_sites_look(editor_client):
    response = editor_client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Sorry, you cannot see this page" in html
    assert_site_look(html)


def test_a_forged_host_header_answers_400_in_the_sites_look(client):
    response = client.get(reverse("home"), HTTP_HOST="evil.example")
    html = response.content.decode()
    assert response.status_code == 400
    assert "could not understand that request" in html and "evil.example" not in html
    assert_site_look(html)


def test_the_500_page_renders_without_a_request_or_the_database(django_assert_num_queries):
    """It must work when everything else has failed: no context processors, no queries."""
    with django_assert_num_queries(0):
        response = views.server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, something went wrong on our side" in html and "Back Pain Advisor" in html
    assert 'role="search"' in html and 'class="site-footer"' in html
    for leak in LEAKS:
        assert leak not in html


def test_a_stale_form_token_gets_a_friendly_403(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("articles:contact"), {"name": "x"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Please send the form again" in html and "CSRF" not in html
    assert_site_look(html)


def test_the_error_pages_do_not_query_for_the_sidebar(client, django_assert_max_num_queries):
    """A 404 during a database outage must not turn into a 500 because of the sidebar."""
    with django_assert_max_num_queries(0):
        assert client.get("/nothing-here/").status_code == 404
