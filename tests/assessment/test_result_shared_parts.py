"""A result page keeps its rendered pattern cards and routine for the next reader with the same plan: each reader
still sees their own side, their own answers and today's content, never another reader's."""

import re

import pytest
from django.test import Client

from articles.models import Stretch
from assessment.models import Assessment

from .scenarios import SCENARIOS, finish, text_of

pytestmark = pytest.mark.usefixtures("selfcheck_content")


def card_of(page, pattern):
    """The text of one pattern's card on a result page, from its heading to the next section."""
    start = page.index(pattern)
    return page[start : page.index("Your bedtime routine", start)]


def test_readers_with_the_same_pattern_on_other_sides_each_see_their_own_side():
    left, right = Client(), Client()
    left_path = finish(left, "lateral-left").request["PATH_INFO"]
    right_path = finish(right, "lateral-right").request["PATH_INFO"]
    for _ in range(2):  # the second views are drawn from the kept parts
        left_page, right_page = text_of(left.get(left_path)), text_of(right.get(right_path))
        assert "Side: left" in left_page and "Side: right" not in left_page
        assert "Side: right" in right_page and "Side: left" not in right_page
        assert "left side only" in card_of(left_page, "Muscles to stretch")
        assert "right side only" in card_of(right_page, "Muscles to stretch")


def test_a_reader_sees_only_their_own_answers_under_a_card_another_reader_shares(monkeypatch):
    # The same pattern on the same side from fewer checks: the same card, other answers under it.
    monkeypatch.setitem(SCENARIOS, "lateral-right-hip-only", {"hip-height": "My right hip is higher"})
    both, one = Client(), Client()
    both_page = text_of(finish(both, "lateral-right"))
    one_response = finish(one, "lateral-right-hip-only")
    one_page = text_of(one.get(one_response.request["PATH_INFO"]))
    shared = both_page[both_page.index("Muscles to stretch") : both_page.index("What your checks showed")]
    assert shared in one_page
    assert "You answered: “Yes, deeper on my right side”" in both_page
    assert "deeper on my right side" not in one_page
    assert "You answered: “My right hip is higher”" in one_page


def test_a_stretch_deleted_since_is_no_longer_linked_on_a_result_already_seen(client):
    response = finish(client, "anterior")
    path = response.request["PATH_INFO"]
    first = Assessment.objects.get().plan["routine"][0]
    stretch = Stretch.objects.get(slug=first["stretch_slug"], muscle__slug=first["muscle_slug"])
    url = stretch.get_absolute_url()
    assert f'href="{url}' in response.content.decode()
    stretch.delete()
    response = client.get(path)
    assert f'href="{url}' not in response.content.decode()
    assert first["stretch"] in text_of(response)  # named still, as the result saved it


def test_a_result_that_fits_three_patterns_says_so_and_shows_three_plans(client, monkeypatch):
    monkeypatch.setitem(
        SCENARIOS,
        "three",
        {
            "thomas-thigh": "Yes, on both sides",
            "hip-height": "My left hip is higher",
            "march-stop": "My left foot was ahead most times",
        },
    )
    response = finish(client, "three")
    page = re.sub(r" ([,.])", r"\1", text_of(response))
    assert "anterior pelvic tilt, lateral pelvic tilt and pelvic rotation" in page
    assert "so you get a plan for each, combined into one routine below" in page
    assert "both plans" not in page
    assert response.content.decode().count('class="imbalance-card"') == 3


def test_a_result_that_fits_two_patterns_gets_both_plans(client):
    page = text_of(finish(client, "tie"))
    assert "so you get both plans, combined into one routine below" in page
