"""Pages for machines (feeds, sitemap.xml, robots.txt) and the HTML site map."""

import datetime
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Muscle, SitePage, Stretch
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ATOM_NS = {"atom": "http://www.w3.org/2005/Atom"}


def parse_xml(content):
    return ET.fromstring(content)  # noqa: S314 - our own server's output, in a test


def sitemap_entries(client):
    root = parse_xml(client.get(reverse("sitemap")).content)
    return {
        urlsplit(url.find("sm:loc", SITEMAP_NS).text).path: url.find("sm:lastmod", SITEMAP_NS)
        for url in root.findall("sm:url", SITEMAP_NS)
    }


def test_the_rss_feed_has_every_published_article_and_nothing_else(client, site_content):
    ArticleFactory(title="Draft only", status=Article.Status.DRAFT)
    ArticleFactory(title="Tomorrow", published_at=timezone.now() + datetime.timedelta(days=1))
    response = client.get(reverse("articles:feed"))
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = parse_xml(response.content).find("channel")
    items = {item.findtext("title"): item for item in channel.findall("item")}
    published = Article.objects.published()
    assert set(items) == set(published.values_list("title", flat=True))
    article = published.first()
    assert items[article.title].findtext("link") == "http://testserver" + article.get_absolute_url()
    assert items[article.title].findtext("description") == article.summary
    assert items[article.title].findtext("pubDate")


def test_the_atom_feed_has_every_published_article(client, site_content):
    response = client.get(reverse("articles:feed-atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = parse_xml(response.content)
    titles = {entry.findtext("atom:title", namespaces=ATOM_NS) for entry in root.findall("atom:entry", ATOM_NS)}
    assert titles == set(Article.objects.published().values_list("title", flat=True))
    assert root.find("atom:entry/atom:updated", ATOM_NS) is not None


def test_the_sitemap_lists_every_public_page_with_lastmod_and_each_answers_200(client, site_content):
    ArticleFactory(title="Hidden draft", slug="hidden-draft", status=Article.Status.DRAFT)
    entries = sitemap_entries(client)
    expected = {reverse("home"), reverse("articles:list"), reverse("articles:stretches"), reverse("assessment:start")}
    expected |= {article.get_absolute_url() for article in Article.objects.published()}
    expected |= {muscle.get_absolute_url() for muscle in Muscle.objects.all()}
    expected |= {stretch.get_absolute_url() for stretch in Stretch.objects.select_related("muscle")}
    expected |= {page.get_absolute_url() for page in SitePage.objects.all()}
    assert expected <= set(entries)
    assert "/articles/hidden-draft/" not in entries
    for path, lastmod in entries.items():
        assert lastmod is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", lastmod.text), path
        assert client.get(path).status_code == 200, path


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_private_pages(client):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in text
    for path in ("/" + settings.ADMIN_URL, "/search/"):
        assert f"Disallow: {path}\n" in text
    assert "Disallow: /\n" not in text


def test_robots_txt_lets_crawlers_read_the_noindex_in_front_of_results(client):
    """A result link blocked here could still be listed by search engines, which never see its noindex."""
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /assessment" not in text


def test_the_html_site_map_groups_pages_by_kind(client, site_content):
    html = client.get(reverse("articles:site-map")).content.decode()
    headings = re.findall(r"<h2 id=\"sm-[a-z-]+\">([^<]+)</h2>", html)
    assert headings[:4] == ["Main pages", "Articles by category", "Muscles and their stretches", "About this site"]
    hamstrings = Muscle.objects.get(slug="hamstrings")
    section = html[html.index(hamstrings.get_absolute_url()) :]
    first_stretch = hamstrings.stretches.first()
    assert first_stretch.get_absolute_url() in section[: section.index("</ul>")]
    for article in Article.objects.published():
        assert article.get_absolute_url() in html


def test_the_html_site_map_runs_a_fixed_number_of_queries(client, site_content, django_assert_max_num_queries):
    """No query per muscle, stretch or category."""
    with django_assert_max_num_queries(10):
        client.get(reverse("articles:site-map"))
