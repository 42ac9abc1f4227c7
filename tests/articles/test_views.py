import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory, InformationLinkFactory, MuscleFactory

pytestmark = pytest.mark.django_db


def test_home_shows_featured_articles_and_the_self_check_call(client):
    ArticleFactory(title="Bedtime stretching", featured=True)
    page = client.get(reverse("home")).content.decode()
    assert "Bedtime stretching" in page
    assert reverse("assessment:start") in page


def test_article_page_shows_content_review_dates_and_red_flags(client):
    article = ArticleFactory(title="Hamstring basics", reviewed_on=datetime.date(2026, 3, 4))
    page = client.get(reverse("articles:detail", args=[article.slug])).content.decode()
    assert "<h1>Hamstring basics</h1>" in page
    assert "Page last reviewed:" in page and "4 March 2026" in page
    assert "Next review due:" in page
    assert "When to get medical help" in page and "emergency" in page.lower()
    assert "On this page" in page


def test_draft_and_scheduled_articles_are_404_for_readers(client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    scheduled = ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=1))
    assert client.get(reverse("articles:detail", args=[draft.slug])).status_code == 404
    assert client.get(reverse("articles:detail", args=[scheduled.slug])).status_code == 404
    assert draft.title not in client.get(reverse("articles:list")).content.decode()


def test_editor_can_preview_a_draft(editor_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, title="Work in progress")
    response = editor_client.get(reverse("articles:detail", args=[draft.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Preview." in page and "a draft" in page
    assert '<meta name="robots" content="noindex">' in page


def test_article_list_is_paginated_newest_first(client):
    now = timezone.now()
    for day in range(12):
        ArticleFactory(title=f"Day {day:02d}", published_at=now - datetime.timedelta(days=day + 1))
    first = client.get(reverse("articles:list")).content.decode()
    second = client.get(reverse("articles:list"), {"page": 2}).content.decode()
    assert "Day 00" in first and "Day 09" in first and "Day 10" not in first
    assert "Day 10" in second and "Page 2 of 2" in second


@pytest.mark.parametrize("page", ["abc", "99999", "-1", "0", "1e9", "%00", "1" * 400])
def test_odd_page_numbers_get_the_nearest_valid_page(client, page):
    ArticleFactory(title="Only article")
    response = client.get(reverse("articles:list"), {"page": page})
    assert response.status_code == 200
    assert "Only article" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/articles/no-such-article/", "/articles/category/nope/", "/articles/%00/", "/articles/" + "a" * 3000 + "/"],
)
def test_unknown_slugs_are_404(client, path):
    assert client.get(path).status_code == 404


def test_category_page_lists_only_its_published_articles(client):
    category = CategoryFactory(name="Stretching", slug="stretching")
    ArticleFactory(title="In category", category=category)
    ArticleFactory(title="Elsewhere")
    ArticleFactory(title="Draft in category", category=category, status=Article.Status.DRAFT)
    page = client.get(reverse("articles:category", args=["stretching"])).content.decode()
    assert "In category" in page and "Elsewhere" not in page and "Draft in category" not in page


def test_sidebar_shows_editor_links_in_order_and_hides_unpublished(client):
    InformationLinkFactory(article=ArticleFactory(title="Second link"), order=2)
    InformationLinkFactory(article=ArticleFactory(title="First link"), order=1)
    InformationLinkFactory(article=ArticleFactory(title="Hidden link", status=Article.Status.DRAFT), order=0)
    page = client.get(reverse("articles:list")).content.decode()
    sidebar = page[page.index("Guides to start with") :]
    assert sidebar.index("First link") < sidebar.index("Second link")
    assert "Hidden link" not in sidebar


def test_the_sidebar_does_not_link_an_article_to_itself(client):
    reading = ArticleFactory(title="Reading this one", slug="reading-this-one")
    InformationLinkFactory(article=reading, order=1)
    InformationLinkFactory(article=ArticleFactory(title="Another guide"), order=2)
    page = client.get(reading.get_absolute_url()).content.decode()
    sidebar = page[page.index("Guides to start with") :]
    assert "Another guide" in sidebar and 'href="/articles/reading-this-one/"' not in sidebar
    elsewhere = client.get(MuscleFactory().get_absolute_url()).content.decode()
    assert 'href="/articles/reading-this-one/"' in elsewhere[elsewhere.index("Guides to start with") :]


def test_search_finds_words_and_handles_odd_queries(client):
    ArticleFactory(title="Hamstring stretches", body="## Why\n\nTight hamstrings pull the pelvis.")
    ArticleFactory(title="Sleep", body="## Bed\n\nA note on hamstrings at night.")
    page = client.get(reverse("articles:search"), {"q": "hamstring"}).content.decode()
    assert page.index("Hamstring stretches") < page.index("Sleep")
    for odd in ["", " ", "%", "_", "\x00", "<script>", "a" * 5000, "'; DROP TABLE x; --"]:
        response = client.get(reverse("articles:search"), {"q": odd})
        assert response.status_code == 200
        assert "<script>" not in response.content.decode().split("<main")[1]


def test_every_page_has_the_layout_essentials(client, site_content):
    """Crawl from the home page: no broken link; one h1, a title, a description, lang and the disclaimer link;
    no template comment or tag left showing; a canonical URL, Open Graph and Twitter tags, JSON-LD that parses."""
    seen, queue = set(), [reverse("home")]
    disclaimer = reverse("articles:disclaimer")
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        if "text/html" not in response["Content-Type"]:
            continue
        html = response.content.decode()
        assert re.search(r'<html lang="[a-zA-Z-]+"', html), url
        assert len(re.findall(r"<h1[\s>]", html)) == 1, url
        assert re.search(r"<title>[^<]+</title>", html), url
        assert re.search(r'<meta name="description" content="[^"]+">', html), url
        assert f'href="{disclaimer}"' in html, url
        assert 'class="skip-link"' in html, url
        assert not re.search(r"\{[#%]|[#%]\}", html), f"template syntax shows on {url}"
        canonical = re.search(r'<link rel="canonical" href="(http://testserver/[^"?]*(\?page=\d+)?)">', html)
        assert canonical, url
        assert canonical.group(1) == "http://testserver" + url.split("?")[0] or "page=" in url, url
        for tag in ("og:title", "og:description", "og:type", "og:url", "og:image", "og:site_name"):
            assert re.search(rf'<meta property="{tag}" content="[^"]+">', html), (url, tag)
        assert '<meta name="twitter:card" content="summary_large_image">' in html, url
        for data in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
            assert json.loads(data)["@context"] == "https://schema.org", url
        for link in re.findall(r'href="(/[^"#]*)', html):
            if not link.startswith(("/static/", "/media/", "/admin/")):
                queue.append(link.replace("&amp;", "&"))
    assert len(seen) > 20
