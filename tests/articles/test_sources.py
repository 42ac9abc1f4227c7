"""Every shipped article ends with its sources, each a link out to the publisher's page."""

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from articles.models import Article, ArticleSource, Source
from backpain.seeding import read_front_matter
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ARTICLES = sorted((Path(__file__).resolve().parents[2] / "articles" / "site_content" / "articles").glob("*.md"))
# doi.org: a paper's DOI link, which takes the reader to the publisher's own page for it.
PUBLISHERS = {"www.nice.org.uk", "www.nhs.uk", "bmcmusculoskeletdisord.biomedcentral.com", "doi.org"}


def sources_section(html):
    match = re.search(r'<section class="article-sources"[^>]*>(.*?)</section>', html, re.S)
    return match and match.group(1)


@pytest.mark.parametrize("path", ARTICLES, ids=lambda path: path.stem)
def test_every_shipped_article_ends_with_sources_that_link_to_the_publisher(client, site_content, path):
    meta, _ = read_front_matter(path)
    html = client.get(reverse("articles:detail", args=[meta["slug"]])).content.decode()
    section = sources_section(html)
    assert section and '<h2 id="sources-heading">Sources</h2>' in section
    links = re.findall(r'<li><a href="([^"]+)" rel="noopener">', section)
    assert len(links) == len(meta["sources"]) >= 1
    assert {urlparse(link).netloc for link in links} <= PUBLISHERS
    assert all(link.startswith("https://") for link in links)
    assert 'target="' not in section  # opens in the same tab
    assert html.index("article-sources") < html.index('class="review-dates"')  # at the end of the article


def test_the_shipped_library_describes_laird_2014_correctly(site_content):
    laird = Source.objects.get(slug="laird-2014")
    assert laird.url == "https://bmcmusculoskeletdisord.biomedcentral.com/articles/10.1186/1471-2474-15-229"
    assert laird.year == 2014 and laird.published_in == "BMC Musculoskeletal Disorders 15:229"
    assert "only 3 measured standing pelvic tilt" in laird.note
    assert Source.objects.get(slug="nice-ng59").url == "https://www.nice.org.uk/guidance/ng59"
    assert Source.objects.get(slug="nhs-back-pain").url == "https://www.nhs.uk/conditions/back-pain/"


def test_sources_are_listed_in_the_editors_order_and_an_article_without_any_has_no_section(client):
    article = ArticleFactory()
    assert sources_section(client.get(article.get_absolute_url()).content.decode()) is None
    second = Source.objects.create(slug="b", title="Second", authors="B", url="https://example.org/b", note="B.")
    first = Source.objects.create(slug="a", title="First", authors="A", url="https://example.org/a", note="A.")
    ArticleSource.objects.create(article=article, source=second, order=2)
    ArticleSource.objects.create(article=article, source=first, order=1)
    section = sources_section(client.get(article.get_absolute_url()).content.decode())
    assert section.index("First") < section.index("Second")


def test_reloading_keeps_an_editors_source_list(site_content):
    from django.core.management import call_command

    article = Article.objects.get(slug="why-stretch-at-bedtime")
    article.source_links.all().delete()
    call_command("load_site_content", stdout=__import__("io").StringIO())
    assert article.source_links.count() == 0


def test_editors_manage_an_articles_sources_inline(editor_client, site_content):
    article = Article.objects.get(slug="why-stretch-at-bedtime")
    html = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "Sources (listed at the end of the article, in this order)" in html
    assert editor_client.get(reverse("admin:articles_source_changelist")).status_code == 200
