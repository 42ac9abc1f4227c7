"""Tonight's routine from a stretch or a muscle page: public content, cached like the guides, following the side a
plan gives, and a 404 (never a 500) for anything that is not a stretch."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Stretch
from tests.factories import MuscleFactory, StretchFactory
from tests.harness.payloads import XSS_PAYLOADS

pytestmark = pytest.mark.django_db


@pytest.fixture
def muscle():
    return MuscleFactory(name="Hip flexors", slug="hip-flexors")


@pytest.fixture
def lunge(muscle):
    # 3 holds of 30 s with 2 rests of 15 s: 120 s a side.
    return StretchFactory(
        muscle=muscle, name="Kneeling lunge", slug="lunge", hold_seconds=30, repetitions=3, rest_seconds=15, order=1
    )


@pytest.fixture
def knee_hug(muscle):
    return StretchFactory(
        muscle=muscle, name="Knee hug", slug="knee-hug", sides=Stretch.Sides.TOGETHER, hold_seconds=20, order=2
    )


def text_of(response):
    main = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+([,.])", r"\1", re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


def badges(response):
    return re.findall(r'<span class="side-badge">([^<]+)</span>', response.content.decode())


def stretch_routine(stretch, query=""):
    return reverse("articles:stretch-routine", args=[stretch.muscle.slug, stretch.slug]) + query


def test_a_stretch_routine_names_it_with_its_side_steps_hold_cautions_and_total(client, lunge):
    response = client.get(stretch_routine(lunge))
    assert response.status_code == 200
    text = text_of(response)
    assert "Tonight's routine: Kneeling lunge" in text
    assert "About 4 minutes · 1 stretch" in text  # two sides of 2 minutes
    assert badges(response) == ["Both sides, left then right"]
    assert "Hold for 30 seconds, 3 times, resting 15 seconds in between" in text
    assert all(step in text for step in lunge.steps)
    assert "Before you start: who should skip or change it" in text
    assert "This is the last stretch." in text
    assert "data-hold-timer" in response.content.decode()
    assert 'data-lead-in="10" data-managed' in response.content.decode()


@pytest.mark.parametrize(("side", "badge"), [("left", "Left side"), ("right", "Right side")])
def test_a_plan_side_follows_into_the_routine_and_its_timer(client, lunge, side, badge):
    response = client.get(stretch_routine(lunge, f"?side={side}"))
    assert badges(response) == [badge]
    assert "About 2 minutes · 1 stretch" in text_of(response)
    assert f'data-side="{side}"' in response.content.decode()


def test_a_both_legs_stretch_is_both_legs_whatever_the_side(client, knee_hug):
    for query in ("", "?side=left"):
        response = client.get(stretch_routine(knee_hug, query))
        assert badges(response) == ["Both legs at once"]
        assert "per side" not in text_of(response)


def test_a_muscle_routine_has_every_stretch_in_the_muscle_pages_order(client, muscle, lunge, knee_hug):
    response = client.get(reverse("articles:muscle-routine", args=[muscle.slug]))
    assert response.status_code == 200
    names = re.findall(r'<h2 id="step-\d+-heading"[^>]*>([^<]+)</h2>', response.content.decode())
    assert names == ["Kneeling lunge", "Knee hug"]
    assert badges(response) == ["Both sides, left then right", "Both legs at once"]
    text = text_of(response)
    assert "Next: Knee hug, both legs at once." in text
    assert f"About {-(-(lunge.total_seconds('') + knee_hug.total_seconds('')) // 60)} minutes · 2 stretches" in text


def test_the_stretch_and_muscle_pages_link_to_their_routines(client, lunge):
    stretch_page = client.get(lunge.get_absolute_url() + "?side=right").content.decode()
    assert f'href="{stretch_routine(lunge, "?side=right")}">Follow it as tonight\'s routine' in stretch_page
    muscle_page = client.get(lunge.muscle.get_absolute_url()).content.decode()
    assert reverse("articles:muscle-routine", args=[lunge.muscle.slug]) in muscle_page


def test_a_routine_is_public_indexable_and_served_from_the_cache(lunge):
    url = stretch_routine(lunge)
    first = Client().get(url)
    assert "noindex" not in first.content.decode() and not first.has_header("X-Robots-Tag")
    assert f'<link rel="canonical" href="http://testserver{url}">' in first.content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = Client().get(url)
    assert again.status_code == 200 and len(queries) == 1  # the content version only
    assert "Kneeling lunge" in again.content.decode()


def test_an_edit_shows_in_the_cached_routine_at_once(lunge):
    url = stretch_routine(lunge)
    Client().get(url)
    lunge.cautions = "Not with a new knee injury (added by an editor)."
    lunge.save()
    assert "added by an editor" in Client().get(url).content.decode()


def test_the_menu_marks_stretches(client, lunge):
    html = client.get(stretch_routine(lunge)).content.decode()
    assert re.search(r'<a href="/stretches/" aria-current="page">Stretches</a>', html)


@pytest.mark.parametrize(
    "path",
    [
        "/stretches/hip-flexors/nothing-here/routine/",
        "/stretches/no-such-muscle/routine/",
        "/stretches/no-such-muscle/lunge/routine/",
        "/stretches/hip-flexors/" + "x" * 500 + "/routine/",
        "/stretches/" + "y" * 500 + "/routine/",
        "/stretches/hip-flexors/lunge/routine/extra/",
        "/stretches/hip-flexors/%00/routine/",
        "/stretches/hip-flexors/..%2f..%2f/routine/",
    ],
)
def test_anything_but_a_stretch_or_muscle_is_a_404(client, lunge, path):
    assert client.get(path).status_code == 404


def test_a_muscle_with_no_stretches_has_no_routine(client):
    empty = MuscleFactory(slug="empty")
    assert client.get(reverse("articles:muscle-routine", args=[empty.slug])).status_code == 404


@pytest.mark.parametrize("side", ["both", "LEFT", "", "left&side=right", "x" * 5000, *XSS_PAYLOADS[:5]])
def test_hostile_sides_are_no_side_and_echo_nothing(client, lunge, side):
    response = client.get(stretch_routine(lunge), {"side": side})
    assert response.status_code == 200
    assert badges(response) == ["Both sides, left then right"]
    if len(side) > 5:
        assert side not in response.content.decode()


def test_no_stretch_may_take_the_routine_pages_slug(muscle):
    stretch = StretchFactory.build(muscle=muscle, slug="routine")
    with pytest.raises(ValidationError) as raised:
        stretch.full_clean()
    assert "slug" in raised.value.message_dict
