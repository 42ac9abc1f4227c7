"""The one error page layout (templates/error.html): every status page gives only its words."""

import re

import pytest
from django.conf import settings
from django.template import loader

STATUS_PAGES = ["400.html", "403.html", "403_csrf.html", "404.html", "413.html", "500.html", "503.html"]


def render(name):
    """Render as the 500 and 503 views do: no request, no context processors."""
    return loader.render_to_string(name, {"SITE_NAME": settings.SITE_NAME, "limit": 64 * 1024})


@pytest.mark.parametrize("name", STATUS_PAGES)
def test_each_error_page_has_its_title_as_its_one_heading_and_stays_out_of_search(name):
    """No test here may use the database, so each page renders without one (a query would raise)."""
    html = render(name)
    (title,) = re.findall(r"<title>(.*?) \| Back Pain Advisor</title>", html)
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", html) == [title]
    assert '<meta name="robots" content="noindex">' in html
    assert 'rel="canonical"' not in html
    assert 'class="selfcheck-banner"' in html and 'class="info-area' not in html  # the sidebar: the self-check call


def test_every_error_page_has_its_own_words():
    titles = [re.search(r"<h1>(.*?)</h1>", render(name)).group(1) for name in STATUS_PAGES]
    assert len(set(titles)) == len(STATUS_PAGES), titles
    assert "at most 64.0\xa0KB" in render("413.html")


@pytest.mark.parametrize("name", STATUS_PAGES)
def test_only_the_503_page_leaves_out_search_and_links(name):
    """While the database is down none of those pages would load, so the 503 page offers none of them."""
    html = render(name)
    assert ('role="search"' in html) is (name != "503.html")
    assert ('class="error-links"' in html) is (name != "503.html")
