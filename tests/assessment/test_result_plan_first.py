"""The result page reads on a phone: the result and the way to tonight's routine first, times in minutes, the
muscles to strengthen linked to guidance, and the caveats after the plan."""

import re

import pytest
from django.urls import reverse

from assessment.models import Assessment

from .scenarios import finish, text_of

pytestmark = pytest.mark.usefixtures("selfcheck_content")


def test_the_routine_button_comes_right_after_the_outcome_before_the_details(client):
    response = finish(client, "lateral-right")
    assessment = Assessment.objects.get()
    page = text_of(response)
    html = response.content.decode()
    routine = reverse("assessment:routine", args=[assessment.token])
    minutes = assessment.plan["total_minutes"]
    count = len(assessment.plan["routine"])
    assert f"Tonight's routine: {count} stretches, about {minutes} minutes" in page
    assert f'href="{routine}">Start tonight\'s routine</a>' in html
    assert (
        page.index("Your checks fit the pattern of lateral pelvic tilt")
        < page.index("Start tonight's routine")
        < page.index("What your checks showed")
        < page.index("What a self-check cannot tell you")
    )


def test_each_leaders_plan_comes_before_the_checks_that_led_to_it(client):
    page = text_of(finish(client, "anterior"))
    stretch, strengthen = page.index("Muscles to stretch"), page.index("Muscles to strengthen")
    assert stretch < strengthen < page.index("What your checks showed")


def test_the_caveats_follow_the_plan_and_its_routine(client):
    page = text_of(finish(client, "anterior"))
    assert page.index("Your bedtime routine: about") < page.index("What a self-check cannot tell you")


def test_times_are_in_minutes_never_raw_seconds(client):
    response = finish(client, "tie")
    routine = response.content.decode().split('id="routine-heading"', 1)[1].split("</section>", 1)[0]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", routine))
    times = re.findall(r"About ([^.]+) in all\.", text)
    assert len(times) == len(Assessment.objects.get().plan["routine"])
    assert all(re.fullmatch(r"\d+ minutes?", time) for time in times), times


@pytest.mark.parametrize(
    ("scenario", "code"),
    [
        ("anterior", "anterior-pelvic-tilt"),
        ("posterior", "posterior-pelvic-tilt"),
        ("lateral-left", "lateral-pelvic-tilt"),
    ],
)
def test_muscles_to_strengthen_link_to_their_guidance(client, scenario, code):
    html = finish(client, scenario).content.decode()
    link = f"{reverse('assessment:strengthening')}#{code}"
    assert f'<a href="{link}">Gentle exercises for them' in html
    guidance = client.get(link.split("#")[0]).content.decode()
    assert f'<section id="{code}"' in guidance


def test_the_gentle_routine_also_has_its_button(client):
    response = finish(client, "none")
    assessment = Assessment.objects.get()
    assert assessment.plan["gentle"] and assessment.plan["routine"]
    assert reverse("assessment:routine", args=[assessment.token]) in response.content.decode()
