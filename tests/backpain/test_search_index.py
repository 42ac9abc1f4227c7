"""The search index and the limits on a search, as a reader sees them, the same on SQLite and PostgreSQL.

Nothing here is skipped on either engine: `make test` runs it on SQLite (FTS5), `make test-postgres` on
PostgreSQL (a GIN-indexed tsvector).
"""

import datetime
import io
import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from backpain import search
from backpain.models import RateLimit, SearchEntry
from tests.factories import ArticleFactory, MuscleFactory, StretchFactory

pytestmark = pytest.mark.django_db


def page_for(client, query, **params):
    response = client.get(reverse("articles:search"), {"q": query, **params})
    assert response.status_code == 200, (query, response.status_code)
    return response.content.decode()


def titles_for(client, query):
    """The result titles, in order, as a reader sees them."""
    return re.findall(r'<h2 class="h5"><a href="[^"]+">([^<]+)</a></h2>', page_for(client, query))


# What matches.


def test_a_word_matches_the_start_of_words_not_their_middle(client):
    ArticleFactory(title="Stretching basics", body="Gentle work.")
    ArticleFactory(title="Hamstring care", body="Long muscles.")
    assert titles_for(client, "stretch") == ["Stretching basics"]
    assert titles_for(client, "ham") == ["Hamstring care"]
    assert titles_for(client, "string") == []


def test_plurals_find_the_singular_and_case_does_not_matter(client):
    ArticleFactory(title="One good stretch", body="Slowly.")
    ArticleFactory(title="Your glute muscle", body="Behind you.")
    assert titles_for(client, "STRETCHES") == ["One good stretch"]
    assert titles_for(client, "glutes") == ["Your glute muscle"]


def test_every_word_must_match_somewhere_in_the_page(client):
    ArticleFactory(title="Hip flexor stretch", summary="For the front of the hip.", body="Kneel down.")
    ArticleFactory(title="Hip bones", body="Hands on hips.")
    assert titles_for(client, "kneel hip") == ["Hip flexor stretch"]
    assert titles_for(client, "kneel bones") == []


def test_a_title_match_ranks_above_a_summary_match_above_a_body_match(client):
    ArticleFactory(title="Sleep", summary="Rest well.", body="Your psoas relaxes overnight.")
    ArticleFactory(title="Walking", summary="The psoas works as you walk.", body="Step by step.")
    ArticleFactory(title="Psoas basics", summary="A deep muscle.", body="Deep in the belly.")
    assert titles_for(client, "psoas") == ["Psoas basics", "Walking", "Sleep"]


def test_muscles_stretches_and_self_tests_are_found_as_well_as_articles(client):
    muscle = MuscleFactory(name="Quadratus lumborum", slug="quadratus-lumborum")
    StretchFactory(muscle=muscle, name="Side bend for the quadratus", slug="side-bend")
    page = page_for(client, "quadratus")
    assert '<p class="card-kicker">Muscle</p>' in page and '<p class="card-kicker">Stretch</p>' in page
    assert 'href="/stretches/quadratus-lumborum/side-bend/"' in page


def test_snippets_are_escaped_and_only_the_matches_are_marked(client):
    ArticleFactory(title="Sums", summary='If 3 < 4 & "5" is more, stretch the hamstrings gently.', body="Nothing.")
    page = page_for(client, "hamstring")
    snippet = re.search(r'<p class="search-snippet">(.*?)</p>', page, re.S).group(1)
    assert snippet == "If 3 &lt; 4 &amp; &quot;5&quot; is more, stretch the <mark>hamstrings</mark> gently."


def test_a_snippet_comes_from_the_body_when_only_the_body_matches(client):
    ArticleFactory(title="Evenings", summary="Wind down.", body="Lie on your back and let the piriformis soften.")
    page = page_for(client, "piriformis")
    assert "let the <mark>piriformis</mark> soften." in page


# Who may see what.


def test_drafts_and_scheduled_articles_are_never_found(client):
    ArticleFactory(title="Draft about the sacrum", status=Article.Status.DRAFT)
    ArticleFactory(title="Sacrum next week", published_at=timezone.now() + datetime.timedelta(days=7))
    ArticleFactory(title="Sacrum today")
    assert titles_for(client, "sacrum") == ["Sacrum today"]


def test_a_scheduled_article_is_found_once_its_time_comes_with_no_edit(client):
    ArticleFactory(title="Coccyx guide", published_at=timezone.now() + datetime.timedelta(hours=1))
    assert titles_for(client, "coccyx") == []
    later = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert titles_for(client, "coccyx") == ["Coccyx guide"]


def test_the_index_follows_edits_publication_and_deletion(client):
    article = ArticleFactory(title="Lumbar notes", status=Article.Status.DRAFT)
    assert titles_for(client, "lumbar") == []
    article.status = Article.Status.PUBLISHED
    article.save()
    assert titles_for(client, "lumbar") == ["Lumbar notes"]
    article.title = "Spine notes"
    article.save()
    assert titles_for(client, "lumbar") == [] and titles_for(client, "spine") == ["Spine notes"]
    article.status = Article.Status.DRAFT
    article.save()
    assert titles_for(client, "spine") == []
    assert not SearchEntry.objects.filter(source="article", object_id=article.pk).exists()
    article.status = Article.Status.PUBLISHED
    article.save()
    article.delete()
    assert titles_for(client, "spine") == []
    assert not SearchEntry.objects.filter(source="article", object_id=article.pk).exists()


def test_bulk_updates_reach_the_index_too(client):
    article = ArticleFactory(title="Thoracic tips")
    Article.objects.filter(pk=article.pk).update(title="Cervical tips")
    assert titles_for(client, "thoracic") == [] and titles_for(client, "cervical") == ["Cervical tips"]
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    assert titles_for(client, "cervical") == []
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
    assert titles_for(client, "cervical") == ["Cervical tips"]


def test_a_stretch_result_follows_its_muscle_to_a_new_address(client):
    muscle = MuscleFactory(name="Adductors", slug="adductors")
    StretchFactory(muscle=muscle, name="Butterfly stretch", slug="butterfly")
    muscle.slug = "inner-thigh"
    muscle.save()
    assert 'href="/stretches/inner-thigh/butterfly/"' in page_for(client, "butterfly")
    muscle.delete()
    assert titles_for(client, "butterfly") == []


def test_rebuild_search_index_builds_the_index_afresh(client):
    ArticleFactory(title="Gluteus medius")
    SearchEntry.objects.all().delete()
    assert titles_for(client, "gluteus") == []
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "Search index rebuilt: 1 pages." in out.getvalue()
    assert titles_for(client, "gluteus") == ["Gluteus medius"]


def test_migrate_builds_an_index_that_is_out_of_step(client, site_content):
    SearchEntry.objects.all().delete()
    search.rebuild_after_migrate()
    assert "Hamstrings" in titles_for(client, "hamstrings")


# Limits.


def test_one_letter_words_are_left_out_and_the_page_says_so(client):
    ArticleFactory(title="Hamstring care")
    page = page_for(client, "a hamstring b")
    assert "We searched for: “hamstring”." in page
    assert "Words of one letter are left out (“a”, “b”)." in page
    assert "1 result for" in page


def test_only_the_first_eight_words_are_searched_for(client):
    ArticleFactory(title="one two three four five six seven eight", body="nine ten")
    page = page_for(client, "one two three four five six seven eight nine ten")
    assert "Only the first 8 words are searched for." in page
    assert "We searched for: “one”, “two”, “three”, “four”, “five”, “six”, “seven”, “eight”." in page
    assert "1 result for" in page


def test_a_query_of_one_letter_words_searches_nothing_and_costs_nothing(client):
    page = page_for(client, "a b c d e f g h i j")
    assert "Nothing to search for in “a b c d e f g h i j”" in page
    assert not RateLimit.objects.filter(scope="search").exists()


def test_results_are_capped(client, monkeypatch):
    monkeypatch.setattr(search, "MAX_RESULTS", 4)
    for number in range(6):
        ArticleFactory(title=f"Sciatica note {number}")
    page = page_for(client, "sciatica")
    assert "4 results for “sciatica”." in page
    assert "Only the 4 best matches are listed; another word narrows the search." in page


def test_too_many_searches_get_a_429_page_that_says_why(client, settings):
    settings.SEARCH_RATE_LIMIT = 2
    ArticleFactory(title="Hamstring care")
    assert page_for(client, "hamstring") and page_for(client, "hamstring care")
    page_for(client, "a")  # nothing searched, nothing counted
    response = client.get(reverse("articles:search"), {"q": "hamstring"})
    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.RATE_LIMIT_WINDOW_MINUTES * 60)
    page = response.content.decode()
    assert "Too many searches for now" in page and "Please try again in an hour or so." in page
    assert "Hamstring care" not in page
    other = client.get(reverse("articles:search"), {"q": "hamstring"}, REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 200


HOSTILE = [
    '"', '"hamstring', 'hamstring"', '""', "'", "hamstring NEAR stretch", "NEAR(hamstring stretch)",
    "NEAR(hamstring stretch, 0)", "hamstring AND", "AND OR NOT", "OR hamstring", "hamstring NOT tight",
    "ham*", "*", "* *", "^hamstring", "title:hamstring", "body : hamstring", "{title summary}: hamstring",
    "-hamstring", "+hamstring", "hamstring:*", "hamstring & !tight", "hamstring | tight", "hamstring <-> tight",
    "(hamstring", "hamstring)", "((((", "\\", "\x00", "ham\x00string", "%00", "\ue000hamstring\ue001",
    "\u202e", "😀 hamstring", "مرحبا", "ÅÄÖ", "x" * 10_000, "ham " * 2_500, "<script>alert(1)</script>",
    "'; DROP TABLE backpain_searchentry; --", "hamstring' OR '1'='1", "rowid:1", "rank:1", "bm25(x)",
]  # fmt: skip


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_get_a_page_never_an_error(client, query):
    ArticleFactory(title="Hamstring basics", body="Tight hamstrings, 100% of the time.")
    response = client.get(reverse("articles:search"), {"q": query})
    assert response.status_code == 200
    main = response.content.decode().split("<main", 1)[1]
    assert "<script>" not in main and "\x00" not in main


def test_operators_are_searched_for_as_plain_words(client):
    """FTS5 and tsquery syntax is never passed through: "title:hamstring" looks for the words title and hamstring."""
    ArticleFactory(title="Hamstring basics", body="Tight hamstrings.")
    ArticleFactory(title="Near the knee", body="Hamstrings again.")
    assert titles_for(client, "NEAR(hamstring)") == ["Near the knee"]
    assert titles_for(client, "hamstring OR knee") == []
    assert titles_for(client, '"hamstring basics"') == ["Hamstring basics"]
