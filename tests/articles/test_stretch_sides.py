"""Stretch sides: one side at a time or both legs at once, and a stretch page opened for a side (``?side=``)."""

import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from articles.models import SIDE_EACH, SIDE_LEFT, SIDE_RIGHT, Stretch, clean_side
from tests.factories import MuscleFactory, StretchFactory

pytestmark = pytest.mark.django_db

BOTH_LEGS = ["knees-to-chest", "childs-pose", "lying-butterfly-stretch", "seated-forward-bend-contract-relax"]
HOSTILE = [
    "?side=<script>alert(1)</script>",
    "?side=LEFT",
    "?side=Left",
    "?side=left&side=right",
    "?side=left&side=left",
    "?side=",
    "?side=%00",
    "?side=left%00",
    "?side=" + "l" * 10_000,
    "?side[]=left",
]


def words_of(html):
    """Visible words, inline tags (strong, a) dropped in place, other tags as spaces, whitespace collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"</?(strong|em|a)\b[^>]*>", "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def text_of(response):
    return words_of(response.content.decode())


def glance(response, term):
    """What the at-a-glance list says for ``term`` ("Sides", "Time")."""
    return re.search(rf"<dt>{term}</dt><dd>(.*?)</dd>", response.content.decode()).group(1)


def timer_tag(response):
    return re.search(r'<section class="hold-timer"[^>]*>', response.content.decode(), flags=re.S).group(0)


def says_nothing_of_sides(text):
    """No "per side", "a side" or side switch (the both-legs wording "no switching" aside)."""
    lowered = text.lower().replace("no switching", "")
    return not any(words in lowered for words in ("per side", "a side", "switch"))


@pytest.fixture
def one_sided():
    # 3 holds of 30 s with 2 rests of 15 s: 120 s, 2 minutes a set.
    muscle = MuscleFactory(name="Hip flexors", slug="hip-flexors")
    return StretchFactory(muscle=muscle, slug="lunge", hold_seconds=30, repetitions=3, rest_seconds=15)


@pytest.fixture
def both_legs():
    muscle = MuscleFactory(name="Erector spinae", slug="erector-spinae")
    return StretchFactory(
        muscle=muscle, slug="knee-hug", sides=Stretch.Sides.TOGETHER, hold_seconds=30, repetitions=3, rest_seconds=15
    )


# The model


def test_sides_are_one_side_at_a_time_or_both_legs_at_once():
    assert Stretch.Sides.choices == [("one", "One side at a time"), ("together", "Both legs at once")]
    assert Stretch._meta.get_field("sides").default == "one"
    assert "Both legs at once" in Stretch._meta.get_field("sides").help_text
    assert (SIDE_LEFT, SIDE_RIGHT, SIDE_EACH) == ("left", "right", "each")


def test_set_seconds_is_one_set_and_the_total_follows_the_side():
    stretch = StretchFactory.build(hold_seconds=30, repetitions=3, rest_seconds=15)
    assert stretch.set_seconds == 120 and stretch.set_minutes == 2
    assert not stretch.is_both_legs
    assert [stretch.side_count(side) for side in ("left", "right", "each", "", None, "LEFT", "up")] == [
        1, 1, 2, 2, 2, 2, 2,
    ]  # fmt: skip
    assert stretch.total_seconds("left") == stretch.total_seconds("right") == 120
    assert stretch.total_seconds("each") == stretch.total_seconds(None) == 240


def test_a_both_legs_stretch_is_one_set_whatever_the_side():
    stretch = StretchFactory.build(sides=Stretch.Sides.TOGETHER, hold_seconds=30, repetitions=3, rest_seconds=15)
    assert stretch.is_both_legs
    for side in ("left", "right", "each", "", None, "junk"):
        assert stretch.side_count(side) == 1
        assert stretch.total_seconds(side) == 120
        assert stretch.side_label(side) == "Both legs at once"
        assert stretch.time_text(side) == "About 2 minutes"


def test_side_labels_and_time_in_words():
    stretch = StretchFactory.build(hold_seconds=20, repetitions=2, rest_seconds=10)  # 50 s: about 1 minute
    assert stretch.side_label("left") == "Left side"
    assert stretch.side_label("right") == "Right side"
    assert stretch.side_label("each") == "Each side in turn"
    assert stretch.side_label("") == stretch.side_label("<b>") == "Each side in turn"
    assert stretch.time_text("left") == "About 1 minute"
    assert stretch.time_text("each") == "About 1 minute a side, 2 in all"
    long = StretchFactory.build(hold_seconds=60, repetitions=3, rest_seconds=15)  # 210 s: about 4 minutes
    assert long.time_text(None) == "About 4 minutes a side, 8 in all"


def test_url_for_side_carries_the_side_only_for_a_one_sided_stretch(one_sided, both_legs):
    plain = "/stretches/hip-flexors/lunge/"
    assert one_sided.get_absolute_url() == plain
    assert one_sided.url_for_side("left") == plain + "?side=left"
    assert one_sided.url_for_side("right") == plain + "?side=right"
    assert one_sided.url_for_side("each") == plain + "?side=each"
    assert one_sided.url_for_side("") == one_sided.url_for_side("<script>") == plain
    for side in ("left", "right", "each", ""):
        assert both_legs.url_for_side(side) == "/stretches/erector-spinae/knee-hug/"


def test_clean_side_accepts_only_the_three_sides():
    assert [clean_side(v) for v in ("left", "right", "each")] == ["left", "right", "each"]
    assert [clean_side(v) for v in ("LEFT", " left", "", None, ["left"], "both")] == [""] * 6


# The page, opened for a side


@pytest.mark.parametrize(
    ("query", "sides", "time", "dose", "which", "data_side"),
    [
        ("?side=left", "Left side", "About 2 minutes", "Left side only.",
         "Your plan: stretch your left side only.", "left"),
        ("?side=right", "Right side", "About 2 minutes", "Right side only.",
         "Your plan: stretch your right side only.", "right"),
        ("?side=each", "Each side in turn", "About 2 minutes a side, 4 in all", "Each side in turn.",
         "Your plan: stretch each side in turn. Do all the holds on your left side, then the same on your right.",
         "each"),
        ("", "Each side in turn", "About 2 minutes a side, 4 in all", "Each side in turn.",
         "Stretch one side at a time: do all the holds on one side, then the other.", "each"),
    ],
)  # fmt: skip
def test_a_one_sided_stretch_page_follows_its_side(client, one_sided, query, sides, time, dose, which, data_side):
    response = client.get(one_sided.get_absolute_url() + query)
    assert response.status_code == 200
    text = text_of(response)
    assert glance(response, "Sides") == sides and glance(response, "Time") == time
    assert f"Hold for 30 seconds, 3 times, resting 15 seconds in between. {dose}" in text
    assert which in text
    assert f'data-side="{data_side}"' in timer_tag(response) and 'data-sides="one"' in timer_tag(response)
    assert "the side your self-check found" not in text.lower() and "not sure which side" not in text.lower()


def test_the_time_for_one_side_says_nothing_of_other_sides(client, one_sided):
    response = client.get(one_sided.url_for_side("left"))
    text = text_of(response)
    assert glance(response, "Time") == "About 2 minutes"
    assert "in all" not in text and "a side" not in text
    assert "Right side" not in text and "your right" not in text


def test_a_plan_side_page_has_no_self_check_detour(client, one_sided):
    """Opened from a plan, the page says the plan's side, not "not sure which side? take the self-check"."""
    response = client.get(one_sided.url_for_side("right"))
    section = re.search(r'<section aria-labelledby="sides-heading">.*?</section>', response.content.decode(), re.S)
    assert "Your plan: stretch your <strong>right side only</strong>" in section.group(0)
    assert reverse("assessment:start") not in section.group(0)


@pytest.mark.parametrize("query", ["", "?side=left", "?side=right", "?side=each", "?side=junk"])
def test_a_both_legs_stretch_page_never_says_per_side_or_switches(client, both_legs, query):
    response = client.get(both_legs.get_absolute_url() + query)
    assert response.status_code == 200
    text = text_of(response)
    assert glance(response, "Sides") == "Both legs at once" and glance(response, "Time") == "About 2 minutes"
    assert "Hold for 30 seconds, 3 times, resting 15 seconds in between. Both legs at once." in text
    assert "This stretch works both legs together, no switching: do all the holds in one go." in text
    assert "for both legs together" in text  # the timer's introduction
    assert says_nothing_of_sides(text)
    assert "Left side" not in text and "Right side" not in text
    assert 'data-sides="together"' in timer_tag(response)


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_side_values_are_no_side(client, one_sided, query):
    response = client.get(one_sided.get_absolute_url() + query)
    assert response.status_code == 200
    text = text_of(response)
    assert glance(response, "Sides") == "Each side in turn"
    assert "do all the holds on one side, then the other" in text
    assert "Your plan" not in text
    assert 'data-side="each"' in timer_tag(response)
    html = response.content.decode()
    assert "<script>alert(1)" not in html and "l" * 200 not in html


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_side_values_on_a_both_legs_page(client, both_legs, query):
    response = client.get(both_legs.get_absolute_url() + query)
    assert response.status_code == 200
    assert glance(response, "Sides") == "Both legs at once"


def test_contract_relax_dose_follows_the_side(client):
    stretch = StretchFactory(
        technique=Stretch.Technique.CONTRACT_RELAX, contract_seconds=6, relax_seconds=3, hold_seconds=20,
        repetitions=3, rest_seconds=10, sides=Stretch.Sides.TOGETHER,
    )  # fmt: skip
    text = text_of(client.get(stretch.get_absolute_url() + "?side=left"))
    assert (
        "3 rounds: push for 6 seconds, relax for 3 seconds, then stretch for 20 seconds, resting 10 seconds in "
        "between. Both legs at once." in text
    )
    assert "do all the rounds in one go" in text
    assert says_nothing_of_sides(text)


# Shipped content


def test_shipped_both_legs_stretches_are_marked_and_say_nothing_of_sides(client, site_content):
    assert sorted(Stretch.objects.filter(sides=Stretch.Sides.TOGETHER).values_list("slug", flat=True)) == sorted(
        BOTH_LEGS
    )
    assert Stretch.objects.get(slug="childs-pose-side-reach").sides == Stretch.Sides.ONE
    for stretch in Stretch.objects.filter(slug__in=BOTH_LEGS).select_related("muscle"):
        page = client.get(stretch.get_absolute_url())
        article = re.search(r'<article class="stretch">.*?</article>', page.content.decode(), re.S).group(0)
        assert says_nothing_of_sides(words_of(article)), stretch.slug
        muscle_page = client.get(stretch.muscle.get_absolute_url()).content.decode()
        cards = re.findall(r'<article class="card stretch-card h-100">.*?</article>', muscle_page, re.S)
        (card,) = [card for card in cards if f'href="{stretch.get_absolute_url()}"' in card]
        words = words_of(card)
        assert "Both legs at once." in words and says_nothing_of_sides(words), stretch.slug


def test_one_sided_cards_give_the_time_a_side_and_in_all(client, site_content):
    stretch = Stretch.objects.select_related("muscle").get(slug="kneeling-hip-flexor-stretch")
    text = text_of(client.get(stretch.muscle.get_absolute_url()))
    assert (
        "Hold for 30 seconds, 3 times, resting 15 seconds in between. Each side in turn. "
        "About 2 minutes a side, 4 in all." in text
    )


def test_shipped_steps_leave_the_dose_and_the_sides_to_the_dose_fields(site_content):
    """No hold time, count or side switch written into the steps: the dose sentence under them says it."""
    for stretch in Stretch.objects.all():
        for step in stretch.steps:
            assert not re.search(r"\d", step), (stretch.slug, step)
            lowered = step.lower()
            for words in ("other side", "other leg", "swap legs", "self-check", "then do the"):
                assert words not in lowered, (stretch.slug, step)
        if not stretch.is_both_legs:
            assert "This example stretches the left" in " ".join(stretch.steps), stretch.slug


def test_the_stretch_page_words_what_the_evidence_supports(client):
    static = StretchFactory()
    contract = StretchFactory(technique=Stretch.Technique.CONTRACT_RELAX, contract_seconds=6, relax_seconds=3)
    text = text_of(client.get(static.get_absolute_url()))
    assert "relaxed for hours" not in text.replace("no stretch keeps a muscle relaxed for hours", "")
    assert "this site's suggestion" in text and "a habit, not a proven effect" in text
    text = text_of(client.get(contract.get_absolute_url()))
    assert "within seconds" not in text
    assert "about the same gains as plain static holds" in text


# Caching, canonical address and structured data


def test_a_side_page_is_never_served_from_or_stored_in_the_page_cache(client, one_sided):
    cache.clear()
    plain = one_sided.get_absolute_url()
    assert "Your plan" not in text_of(client.get(plain))  # now cached
    assert "Your plan: stretch your left side only." in text_of(client.get(plain + "?side=left"))
    assert "Your plan: stretch your right side only." in text_of(client.get(plain + "?side=right"))
    assert "Your plan" not in text_of(client.get(plain))
    cache.clear()
    client.get(plain + "?side=left")
    assert "Your plan" not in text_of(client.get(plain))  # the side page was not stored under the plain address


def test_a_side_page_names_the_plain_stretch_page_as_canonical(client, one_sided):
    html = client.get(one_sided.url_for_side("left")).content.decode()
    assert f'<link rel="canonical" href="http://testserver{one_sided.get_absolute_url()}">' in html


def how_to(response):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    (block,) = [data for data in map(json.loads, blocks) if data.get("@type") == "HowTo"]
    return block


@pytest.mark.parametrize("query", ["", "?side=left"])
def test_structured_data_gives_the_canonical_pages_total_time(client, one_sided, both_legs, query):
    """Each side in turn for a one-sided stretch (2 × 120 s), one set for both legs (120 s)."""
    assert how_to(client.get(one_sided.get_absolute_url() + query))["totalTime"] == "PT4M"
    assert how_to(client.get(both_legs.get_absolute_url() + query))["totalTime"] == "PT2M"


def test_a_helpful_vote_goes_back_to_the_same_side(client, one_sided):
    html = client.get(one_sided.url_for_side("left")).content.decode()
    action = reverse("articles:helpful", args=["stretch", one_sided.pk]) + "?side=left"
    assert f'action="{action}"' in html
    response = client.post(action, {"helpful": "yes"}, REMOTE_ADDR="203.0.113.30")
    assert response["Location"] == one_sided.url_for_side("left") + "#helpful"
    hostile = client.post(action.replace("left", "%3Cscript%3E"), {"helpful": "no"}, REMOTE_ADDR="203.0.113.31")
    assert hostile["Location"] == one_sided.get_absolute_url() + "#helpful"
