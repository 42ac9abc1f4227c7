import json
import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from articles.models import Stretch
from tests.factories import ArticleFactory, CategoryFactory, StretchFactory

pytestmark = pytest.mark.django_db


def json_ld_blocks(html):
    """Every JSON-LD object on the page, parsed."""
    return [json.loads(text) for text in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def meta(html, key):
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    return match and match.group(1)


def test_an_article_carries_medical_web_page_json_ld_with_its_review(client):
    article = ArticleFactory(title="Quadratus lumborum", reviewer_name="Jo Bloggs", reviewer_role="physiotherapist")
    html = client.get(article.get_absolute_url()).content.decode()
    (page,) = [block for block in json_ld_blocks(html) if block["@type"] == "MedicalWebPage"]
    assert page["@context"] == "https://schema.org"
    assert page["name"] == "Quadratus lumborum"
    assert page["lastReviewed"] == "2026-01-01"
    assert page["reviewedBy"] == {"@type": "Person", "name": "Jo Bloggs", "jobTitle": "physiotherapist"}
    assert page["url"] == "http://testserver" + article.get_absolute_url()


def test_article_breadcrumbs_are_visible_and_in_json_ld(client):
    category = CategoryFactory(name="Stretching", slug="stretching")
    article = ArticleFactory(title="Bedtime routine", category=category)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<nav aria-label="Breadcrumb"' in html
    (trail,) = [block for block in json_ld_blocks(html) if block["@type"] == "BreadcrumbList"]
    names = [item["name"] for item in trail["itemListElement"]]
    assert names == ["Home", "Articles", "Stretching", "Bedtime routine"]
    assert trail["itemListElement"][2]["item"] == "http://testserver/articles/category/stretching/"


def test_json_ld_cannot_be_broken_out_of(client):
    """A title with </script> and & stays inside the JSON: escaped like json_script does."""
    article = ArticleFactory(title="</script><script>alert(1)</script> & more")
    html = client.get(article.get_absolute_url()).content.decode()
    blocks = json_ld_blocks(html)
    assert any(block.get("name") == "</script><script>alert(1)</script> & more" for block in blocks)
    assert "\\u003C/script\\u003E" in html and "<script>alert(1)" not in html


def test_stretch_how_to_json_ld_has_its_steps_and_total_time(client):
    stretch = StretchFactory(
        name="Knee hug", steps=["Lie down.", "Hug one knee.", "Breathe."], hold_seconds=30, repetitions=3,
        rest_seconds=15, sides=Stretch.Sides.ONE,
    )  # fmt: skip
    html = client.get(stretch.get_absolute_url()).content.decode()
    (how_to,) = [block for block in json_ld_blocks(html) if block["@type"] == "HowTo"]
    assert how_to["name"] == "Knee hug"
    assert [step["text"] for step in how_to["step"]] == ["Lie down.", "Hug one knee.", "Breathe."]
    assert [step["position"] for step in how_to["step"]] == [1, 2, 3]
    # One-sided, each side in turn: 3 holds of 30 s and 2 rests of 15 s, twice: 240 s.
    assert how_to["totalTime"] == "PT4M"


def test_the_how_to_include_works_on_its_own():
    """One line drops the HowTo into any stretch template."""
    stretch = StretchFactory(steps=["One."], hold_seconds=20, repetitions=1, rest_seconds=0, sides="together")
    html = Template('{% include "includes/stretch_json_ld.html" with stretch=stretch %}').render(
        Context({"stretch": stretch})
    )
    (how_to,) = json_ld_blocks(html)
    assert how_to["totalTime"] == "PT20S" and how_to["url"].startswith("http")


SITE_PAGES = ["home", "articles:list", "articles:search", "articles:site-map", "articles:about",
              "articles:disclaimer", "articles:privacy", "articles:contact"]  # fmt: skip


def test_pages_carry_canonical_open_graph_and_twitter_tags(client, site_content):
    """Tracking parameters never reach the canonical URL; the share tags repeat the page's own title and text."""
    for name in SITE_PAGES:
        url = reverse(name)
        html = client.get(url, {"utm_source": "x"}).content.decode()
        assert f'<link rel="canonical" href="http://testserver{url}">' in html, url
        assert meta(html, "og:url") == f"http://testserver{url}"
        for key in ("og:title", "og:description", "og:type", "og:site_name", "og:image", "twitter:card",
                    "twitter:title", "twitter:description"):  # fmt: skip
            assert meta(html, key), (url, key)
        assert meta(html, "og:image").endswith("/static/img/share.png")
        assert meta(html, "og:description") == meta(html, "description")


def test_the_canonical_url_keeps_the_page_number_only(client):
    for number in range(12):
        ArticleFactory(title=f"Note {number}")
    html = client.get(reverse("articles:list"), {"page": "2", "sort": "x"}).content.decode()
    assert '<link rel="canonical" href="http://testserver/articles/?page=2">' in html
    first = client.get(reverse("articles:list"), {"page": "1"}).content.decode()
    assert '<link rel="canonical" href="http://testserver/articles/">' in first


def test_an_article_is_shared_as_an_article(client):
    article = ArticleFactory(title="Share me")
    html = client.get(article.get_absolute_url()).content.decode()
    assert meta(html, "og:type") == "article" and meta(html, "og:title") == "Share me"
    assert meta(html, "article:section")


def test_site_pages_have_breadcrumbs_and_a_last_updated_date(client, site_content):
    for name in ("articles:about", "articles:disclaimer", "articles:privacy", "articles:contact"):
        html = client.get(reverse(name)).content.decode()
        assert '<nav aria-label="Breadcrumb"' in html, name
        assert "Last updated <time" in html, name


def test_the_disclaimer_is_complete(client, site_content):
    """Information only, not a diagnosis, see a professional, stop if it hurts, and the warning signs (their
    tiers: test_warning_sign_pages)."""
    html = client.get(reverse("articles:disclaimer")).content.decode()
    expected = [
        "not personal medical advice", "Not a diagnosis", "does not make us your health professional",
        "Stop any stretch", "999", "A&amp;E", "111", "saddle", "bladder or bowels", "both legs", "chest pain",
        "high temperature", "cancer", "a few weeks", "112 in Europe", "pregnant", "at your own risk",
    ]  # fmt: skip
    for words in expected:
        assert words in html, words


def test_feeds_are_announced_in_the_head(client):
    html = client.get(reverse("home")).content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert f'href="{reverse("articles:feed-atom")}"' in html


def test_the_share_image_is_a_small_1200_by_630_png():
    from pathlib import Path

    from PIL import Image

    path = Path(__file__).resolve().parents[2] / "static" / "img" / "share.png"
    assert path.stat().st_size <= 60_000
    with Image.open(path) as image:
        assert image.format == "PNG" and image.size == (1200, 630)
