"""Readers see each stretch and self-test figure with a description, and a video placeholder that says what it is."""

import html

import pytest
from django.urls import reverse

from articles.models import Muscle, Stretch
from assessment.models import SelfTest
from tests.factories import StretchFactory

pytestmark = pytest.mark.django_db


def img_tags(page):
    return page.split("<img")[1:]


def assert_figure_with_alt(page, illustration, alt):
    tags = [tag for tag in img_tags(page) if illustration in tag.split(">")[0]]
    assert tags, f"{illustration} not shown"
    assert any(f'alt="{html.escape(alt, quote=True)}"' in tag.split(">")[0] for tag in tags), alt


def test_every_shipped_stretch_page_shows_its_figure_with_a_description(client, site_content):
    stretches = list(Stretch.objects.select_related("muscle"))
    assert len(stretches) == 15
    for stretch in stretches:
        assert stretch.illustration and len(stretch.image_alt) > 40
        page = client.get(stretch.get_absolute_url()).content.decode()
        assert_figure_with_alt(page, stretch.illustration, stretch.image_alt)


def test_muscle_and_routine_pages_show_each_stretch_figure(client, site_content):
    for muscle in Muscle.objects.all():
        for url in (muscle.get_absolute_url(), reverse("articles:muscle-routine", args=[muscle.slug])):
            page = client.get(url).content.decode()
            for stretch in muscle.stretches.all():
                assert_figure_with_alt(page, stretch.illustration, stretch.image_alt)


def test_every_self_test_page_shows_its_figure_with_a_description(client, site_content):
    tests = list(SelfTest.objects.all())
    assert len(tests) == 6
    for test in tests:
        page = client.get(reverse("assessment:self-test", args=[test.slug])).content.decode()
        assert_figure_with_alt(page, test.illustration, test.illustration_alt)


def test_video_placeholder_shows_poster_length_notice_and_plain_link(client, site_content):
    muscle = Muscle.objects.get(slug="hamstrings")
    stretch = StretchFactory(
        muscle=muscle,
        slug="hamstring-video",
        video_url="https://youtu.be/dQw4w9WgXcQ",
        video_seconds=150,
        illustration="img/stretches/lying-hamstring-stretch-strap.svg",
        image_alt="A person lies on their back with one leg raised in a strap.",
    )
    page = client.get(stretch.get_absolute_url()).content.decode()
    facade = page[page.index('class="video-facade"') : page.index("video-text-alternative")]
    assert 'class="video-poster" src="/static/img/stretches/lying-hamstring-stretch-strap.svg"' in facade
    assert "2 min 30 s" in facade
    assert "Plays from YouTube (youtube-nocookie.com). Nothing loads from YouTube until you press play." in facade
    assert '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in facade
    assert "<iframe" not in page and "youtube-nocookie.com/embed" not in facade.split("data-video-embed")[0]


@pytest.mark.parametrize(("seconds", "text"), [(None, ""), (45, "45 s"), (60, "1 min"), (150, "2 min 30 s")])
def test_video_length_reads_in_minutes_and_seconds(seconds, text):
    assert Stretch(video_seconds=seconds).video_duration_text == text


def test_video_without_a_length_shows_no_length(client, site_content):
    stretch = StretchFactory(muscle=Muscle.objects.first(), slug="no-length", video_url="https://youtu.be/dQw4w9WgXcQ")
    page = client.get(stretch.get_absolute_url()).content.decode()
    assert "video-duration" not in page and "Plays from YouTube" in page
