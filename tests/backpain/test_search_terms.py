"""Search finds what readers mean: their own words (editor-managed search terms), typing slips, clean snippets."""

import re
from html import unescape

import pytest
from django.urls import reverse

from backpain import search as site_search
from backpain.models import SearchTerm
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def results_page(client, query, number=1):
    response = client.get(reverse("articles:search"), {"q": query, "page": number})
    assert response.status_code == 200
    return response.content.decode()


def titles(page):
    return [unescape(title) for title in re.findall(r'<h2 class="h5"><a href="[^"]*">([^<]*)</a>', page)]


def every_title(client, query):
    """The titles of every result, across all the pages of results."""
    found, number = [], 1
    while True:
        page = results_page(client, query, number)
        found += titles(page)
        if f"page={number + 1}" not in page:
            return found
        number += 1


def notes(page):
    return [" ".join(unescape(note).split()) for note in re.findall(r'<div class="search-note"><p>([^<]*)</p>', page)]


def visible_text(page):
    page = re.sub(r"</?(strong|mark|em|a)\b[^>]*>", "", page)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())


def count_line(page):
    return " ".join(unescape(re.search(r'class="search-count">(.*?)</p>', page, re.S).group(1)).split())


@pytest.mark.parametrize(
    ("query", "expected_page"),
    [
        ("sciatica", "When back pain needs a doctor"),
        ("slipped disc", "Trigger points and referred pain in the lower back"),
        ("lumbago", "Effective lower back stretches for pain relief"),
        ("piriformis", "Trigger points and referred pain in the lower back"),
        ("trapped nerve", "When back pain needs a doctor"),
    ],
)
def test_readers_own_words_find_the_pages_that_put_it_differently(client, site_content, query, expected_page):
    page = results_page(client, query)
    assert re.match(r"\d+ results? for “" + query + "”", count_line(page)), count_line(page)
    assert expected_page in every_title(client, query)


@pytest.mark.parametrize("query", ["sciatica", "slipped disc", "trapped nerve"])
def test_nerve_and_disc_words_say_where_to_get_urgent_help_above_the_results(client, site_content, query):
    page = results_page(client, query)
    (note,) = notes(page)
    assert "999 or A&E now" in note and "both legs" in note
    assert page.index('class="search-note"') < page.index('class="search-results"')


def test_a_typing_slip_finds_the_quadratus_lumborum_guide_and_says_what_was_searched(client, site_content):
    page = results_page(client, "qaudratus")
    assert "No pages have “qaudratus”, so these are the results for “quadratus”." in visible_text(page)
    assert titles(page)[0] == "Quadratus lumborum"
    assert count_line(page).endswith("for “quadratus”.")
    # The next page of results keeps the corrected words.
    assert "q=quadratus&amp;" in page or "page=" not in page


def test_a_word_no_page_is_close_to_says_no_results_and_suggests_nothing(client, site_content):
    page = results_page(client, "xqzzyvw")
    assert count_line(page).startswith("No results for “xqzzyvw”.")
    assert "search-corrected" not in page


def test_a_correction_never_comes_from_a_draft(client, site_content):
    ArticleFactory(title="Zephyrine draft", body="zephyrine", status="draft")
    page = results_page(client, "zephyrina")
    assert count_line(page).startswith("No results")
    assert "zephyrine" not in page.lower()


def test_a_readers_word_is_never_corrected_into_another(client, site_content):
    SearchTerm.objects.filter(phrase="lumbago").update(search_for="qwertyuiop")  # words no page has
    page = results_page(client, "lumbago")
    assert count_line(page).startswith("No results for “lumbago”.")
    assert "search-corrected" not in page


def test_an_editor_adds_a_term_in_the_admin_and_search_uses_it_at_once(editor_client, client, site_content):
    assert "Hamstrings" not in every_title(client, "hammies")
    response = editor_client.post(
        reverse("admin:backpain_searchterm_add"),
        {"phrase": "  Hammies ", "search_for": "hamstring", "note": "Hammies is a nickname for the hamstrings."},
    )
    assert response.status_code == 302
    assert SearchTerm.objects.get(phrase="hammies").search_for == "hamstring"
    page = results_page(client, "HAMMIES")
    assert "Hamstrings" in every_title(client, "hammies")
    assert notes(page) == ["Hammies is a nickname for the hamstrings."]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"phrase": "", "search_for": "disc"}, "phrase", "This field is required."),
        ({"phrase": "!!! ???", "search_for": "disc"}, "phrase", "Enter a word or phrase of two letters or more"),
        ({"phrase": "x", "search_for": "disc"}, "phrase", "Enter a word or phrase of two letters or more"),
        ({"phrase": "disc", "search_for": ", ,"}, "search_for", "Enter the words to look for"),
        ({"phrase": "disc", "search_for": "a, <script>"}, "search_for", "Enter the words to look for"),
        ({"phrase": "disc", "search_for": "a1, b2, c3, d4, e5, f6, g7"}, "search_for", "at most 6 choices"),
        ({"phrase": "d" * 61, "search_for": "disc"}, "phrase", "at most 60 characters"),
        ({"phrase": "disc\x00", "search_for": "disc"}, "phrase", "Null characters are not allowed."),
        ({"phrase": "sciatica", "search_for": "nerve"}, "phrase", "already exists"),
    ],
)
def test_hostile_or_empty_terms_are_refused_with_a_message_and_nothing_is_stored(
    editor_client, site_content, data, field, message
):
    before = list(SearchTerm.objects.values_list("phrase", "search_for", "note"))
    response = editor_client.post(reverse("admin:backpain_searchterm_add"), {"note": "", **data})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors.get(field, [])), errors
    assert list(SearchTerm.objects.values_list("phrase", "search_for", "note")) == before


def test_a_note_is_shown_as_text_never_as_html(client, site_content):
    SearchTerm.objects.create(phrase="zapper", search_for="hamstring", note='<img src=x onerror="alert(1)"> see a GP')
    page = results_page(client, "zapper")
    assert "<img src=x" not in page
    assert notes(page) == ['<img src=x onerror="alert(1)"> see a GP']


def test_snippets_and_the_index_hold_no_markdown_list_or_table_marks():
    text = "Cautions:\n\n- Go gently.\n+ Stop if it hurts.\n\n| a | b |\n|---|:---:|\n| c | d |\n\n1. Lie down."
    assert site_search.plain_text(text) == "Cautions: Go gently. Stop if it hurts. a b c d 1. Lie down."
    assert site_search.plain_text("A stretch - held gently - helps") == "A stretch - held gently - helps"


def test_no_shipped_snippet_shows_a_list_dash(client, site_content):
    page = results_page(client, "stretch")
    snippets = re.findall(r'<p class="search-snippet">(.*?)</p>', page, re.S)
    assert snippets
    for snippet in snippets:
        # A list item's dash would follow the end of the sentence before it ("...gently. - Stop if...").
        assert not re.search(r"[.:!?] [-+*] ", unescape(re.sub(r"<[^>]+>", "", snippet))), snippet


def test_the_shipped_terms_are_all_valid(site_content):
    terms = list(SearchTerm.objects.all())
    assert len(terms) >= 10
    for term in terms:
        term.full_clean()
