import re

import pytest
from django.db import connection
from django.urls import reverse

from articles.models import Article
from backpain import search
from tests.factories import ArticleFactory, MuscleFactory, StretchFactory

pytestmark = pytest.mark.django_db


def results_of(page):
    """The result titles, in order, as a reader sees them."""
    return re.findall(r'<h2 class="h5"><a href="[^"]+">([^<]+)</a></h2>', page)


def test_hamstring_finds_the_muscle_page_and_its_stretches(client, site_content):
    page = client.get(reverse("articles:search"), {"q": "hamstring"}).content.decode()
    titles = results_of(page)
    assert "Hamstrings" in titles
    assert any("hamstring" in title.lower() and title != "Hamstrings" for title in titles)
    assert 'href="/stretches/hamstrings/"' in page
    assert "<mark>" in page


def test_plural_and_singular_find_each_other(client):
    MuscleFactory(name="Hamstrings", slug="hamstrings")
    ArticleFactory(title="About the hamstring", body="One muscle.")
    for query in ("hamstring", "hamstrings", "HAMSTRINGS"):
        titles = results_of(client.get(reverse("articles:search"), {"q": query}).content.decode())
        assert {"Hamstrings", "About the hamstring"} <= set(titles), query


def test_title_matches_rank_above_body_matches(client):
    ArticleFactory(title="Sleep and your back", body="## Bed\n\nA note on adductors at night.")
    ArticleFactory(title="Adductor stretches", body="## Why\n\nInner thigh.")
    titles = results_of(client.get(reverse("articles:search"), {"q": "adductor"}).content.decode())
    assert titles == ["Adductor stretches", "Sleep and your back"]


def test_every_word_must_match(client):
    ArticleFactory(title="Hip flexor stretch", body="Kneel down.")
    ArticleFactory(title="Hip bones", body="Hands on hips.")
    titles = results_of(client.get(reverse("articles:search"), {"q": "hip flexor"}).content.decode())
    assert titles == ["Hip flexor stretch"]


def test_drafts_never_appear_in_results(client):
    ArticleFactory(title="Secret draft about glutes", status=Article.Status.DRAFT)
    page = client.get(reverse("articles:search"), {"q": "glutes"}).content.decode()
    assert "Secret draft" not in page and "No results" in page


def test_the_result_count_is_announced(client):
    StretchFactory(name="Gentle twist", summary="A twist for the back.")
    page = client.get(reverse("articles:search"), {"q": "twist"}).content.decode()
    assert re.search(r'<p role="status" class="search-count">1 result for “twist”', page)


def test_results_are_paginated_and_junk_pages_give_the_nearest_page(client):
    for number in range(25):
        ArticleFactory(title=f"Pelvis note {number:02d}")
    first = client.get(reverse("articles:search"), {"q": "pelvis"}).content.decode()
    assert len(results_of(first)) == 10 and "25 results" in first and "page 1 of 3" in first
    assert "?q=pelvis&amp;page=2" in first
    last = client.get(reverse("articles:search"), {"q": "pelvis", "page": "999"}).content.decode()
    assert len(results_of(last)) == 5
    junk = client.get(reverse("articles:search"), {"q": "pelvis", "page": "abc"})
    assert junk.status_code == 200 and len(results_of(junk.content.decode())) == 10


@pytest.mark.parametrize(
    "query",
    ["", "   ", "%", "_", "%%__", "\x00", "ham\x00string", '"', "'", "\"'`", "<script>alert(1)</script>",
     "a" * 5000, "'; DROP TABLE articles_article; --", "😀", "مرحبا", "\u202eevil", "\\", "*", "(", "[a-z]+",
     "ham" * 100],
)  # fmt: skip
def test_odd_queries_never_break_the_page(client, query):
    ArticleFactory(title="Hamstring basics", body="Tight hamstrings, 100% of the time_ish.")
    response = client.get(reverse("articles:search"), {"q": query})
    assert response.status_code == 200
    main = response.content.decode().split("<main", 1)[1]
    assert "<script>" not in main
    assert "\x00" not in main


def test_wildcards_are_matched_literally(client):
    """A % never matches everything: search looks for words, so on both engines punctuation alone finds nothing."""
    ArticleFactory(title="Percent", body="Nearly 100% of people.")
    ArticleFactory(title="Plain", body="No symbols here.")
    found = results_of(client.get(reverse("articles:search"), {"q": "%"}).content.decode())
    assert found == []


def test_very_long_queries_are_cut_to_200_characters(client):
    page = client.get(reverse("articles:search"), {"q": "b" * 5000}).content.decode()
    assert 'value="' + "b" * 200 + '"' in page
    assert "b" * 201 not in page


def test_snippets_escape_the_text_before_marking_matches():
    """Text that looks like HTML stays text; only our own <mark> tags are markup."""
    snippet = search.highlight("Use <b>care</b> & stretch the hamstring <script>", ["hamstring"])
    assert snippet == "Use &lt;b&gt;care&lt;/b&gt; &amp; stretch the <mark>hamstring</mark> &lt;script&gt;"


def test_a_query_that_looks_like_an_entity_does_not_break_the_escaping():
    snippet = search.highlight("Fish & chips", ["amp", "&"])
    assert snippet == "Fish <mark>&amp;</mark> chips"


def test_long_text_is_cut_around_the_first_match():
    text = "Filler words. " * 40 + "The quadratus lumborum is in your side." + " More filler." * 40
    snippet = search.highlight(text, ["quadratus"])
    assert "<mark>quadratus</mark>" in snippet and snippet.startswith("… ") and snippet.endswith(" …")
    assert len(snippet) < 300


def test_postgres_headlines_are_escaped_then_marked():
    headline = f"a <b>bold</b> {search.START_MARK}hamstring{search.STOP_MARK} &amp; more"
    assert search.headline_to_html(headline) == "a bold <mark>hamstring</mark> &amp; more"
    assert "<" not in search.headline_to_html("&lt;script&gt;").replace("&lt;", "")


def test_query_cleaning_drops_control_characters_and_caps_length():
    assert search.clean_query(" ham\x00\x07 string \n ") == "ham string"
    assert len(search.clean_query("x" * 1000)) == 200
    assert search.query_terms("Hamstrings hamstring the") == ["Hamstring", "the"]


def test_another_app_can_register_a_source_and_it_is_searched_and_listed_on_the_site_map(client):
    """The way assessment plugs its self-tests in, shown with articles standing in for them."""
    ArticleFactory(title="Thomas test at home")
    source = search.ContentSource(
        kind="Self-test", queryset=Article.objects.published, title="title", summary=("summary",),
        site_map_heading="Home self-tests", key="test-self-tests",
    )  # fmt: skip
    search.register(source)
    try:
        page = client.get(reverse("articles:search"), {"q": "thomas"}).content.decode()
        assert '<p class="card-kicker">Self-test</p>' in page
        site_map = client.get(reverse("articles:site-map")).content.decode()
        assert "Home self-tests" in site_map
    finally:
        search._sources.pop("test-self-tests")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search runs only on PostgreSQL (CI)"
)
def test_postgres_full_text_search_ranks_and_highlights(client):
    ArticleFactory(title="Stretching the hamstrings", body="Lie down and lift the leg.")
    ArticleFactory(title="Sleep", summary="Hamstrings relax overnight.", body="Rest.")
    page = client.get(reverse("articles:search"), {"q": "hamstring"}).content.decode()
    titles = results_of(page)
    assert titles[:2] == ["Stretching the hamstrings", "Sleep"]
    assert "<mark>Hamstrings</mark>" in page
