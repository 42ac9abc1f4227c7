"""The warning-sign screen, walked as a reader would: each NHS tier leads to its own advice.

999 and 111 signs stop the self-check at a care page that offers nothing but the call; routine signs
("see a GP when you can") give advice beside the plan, never instead of it.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from assessment import views
from assessment.models import Assessment, Question

from .scenarios import answer_all, finish, shipped_questionnaire, start_run, text_of

pytestmark = pytest.mark.usefixtures("selfcheck_content")

SIGNS = shipped_questionnaire()["red_flags"]


def signs_of(urgency):
    return [sign["slug"] for sign in SIGNS if sign["urgency"] == urgency]


def tick(client, *slugs):
    """Start a run and tick the named warning signs; returns the page the reader ends on."""
    client.post(reverse("assessment:start"))
    pks = Question.objects.filter(questionnaire__is_active=True, kind="red_flag", slug__in=slugs)
    assert pks.count() == len(slugs)
    return client.post(reverse("assessment:warning-signs"), {"signs": [q.pk for q in pks]}, follow=True)


def links_on(response):
    return set(re.findall(r'<a [^>]*href="([^"]+)"', response.content.decode()))


def offered(response):
    """The links a care page offers a reader, beyond the call links, the skip link and the legal pages."""
    allowed = {reverse("articles:disclaimer"), reverse("articles:privacy"), "#main"}
    return {
        link
        for link in links_on(response)
        if not link.startswith(("tel:", "/static/")) and link not in allowed and ".css" not in link
    }


def test_the_shipped_signs_cover_the_nhs_tiers():
    """Every sign the NHS page lists is asked, in its tier, in plain words."""
    assert set(signs_of("emergency")) == {
        "both-legs",
        "saddle-numbness",
        "bladder-bowel",
        "sexual-function",
        "chest-pain",
        "serious-accident",
    }
    assert set(signs_of("same_day")) >= {
        "fever",
        "weight-loss",
        "lump-or-shape",
        "rest-and-night",
        "cough-strain",
        "between-shoulder-blades",
        "cancer",
        "osteoporosis-fall",
    }
    assert set(signs_of("routine")) >= {"no-better", "daily-life", "age", "immune-drugs", "coping"}
    texts = {sign["slug"]: sign["text"] for sign in SIGNS}
    assert "wipe" in texts["saddle-numbness"]
    assert texts["both-legs"].startswith("New ")
    assert "new, getting worse, or there at night" in texts["cancer"]


@pytest.mark.parametrize("slug", signs_of("emergency"))
def test_each_999_sign_stops_at_the_999_page_with_nothing_else_offered(client, slug):
    response = tick(client, slug)
    assert response.redirect_chain[-1][0] == reverse("assessment:care")
    html, text = response.content.decode(), text_of(response)
    assert re.search(r"<h1[^>]*>Call 999 or go to A&amp;E now</h1>", html)
    assert 'href="tel:999"' in html and 'href="tel:112"' in html
    assert "Outside the UK" in text
    assert Question.objects.get(slug=slug, questionnaire__is_active=True).text in text
    assert offered(response) == set()  # no self-check, no stretches, no articles, no home page
    assert "<aside" not in html and 'aria-label="Main"' not in html
    assert Assessment.objects.count() == 0
    assert client.get(reverse("assessment:question", args=[1])).url == reverse("assessment:care")


@pytest.mark.parametrize("slug", signs_of("same_day"))
def test_each_111_sign_stops_at_the_same_day_page_with_its_call_link(client, slug):
    response = tick(client, slug)
    html, text = response.content.decode(), text_of(response)
    assert re.search(r"<h1[^>]*>Call 111 or get an urgent GP appointment today</h1>", html)
    assert 'href="tel:111"' in html
    assert "If any of these start, call 999" in text and 'href="tel:999"' in html
    assert offered(response) == set()
    assert "<aside" not in html
    assert "bedtime routine" not in text.lower()
    assert Assessment.objects.count() == 0


def test_the_most_urgent_tier_wins(client):
    response = tick(client, "no-better", "fever", "chest-pain")
    assert "Call 999 or go to A&amp;E now" in response.content.decode()
    for slug in ("no-better", "fever", "chest-pain"):
        assert Question.objects.get(slug=slug, questionnaire__is_active=True).text in text_of(response)


@pytest.mark.parametrize("slug", signs_of("routine"))
def test_a_routine_sign_gives_gp_advice_beside_the_plan(client, slug):
    """Months of pain (or any routine sign) is no stop: advice, then the questions, then a result with a plan."""
    response = tick(client, slug)
    assert response.redirect_chain[-1][0] == reverse("assessment:gp-advice")
    assert "See a GP when you can" in text_of(response)
    assert "You can carry on" in text_of(response)
    response = client.post(reverse("assessment:gp-advice"), {"checked": "no"})
    assert response.url == reverse("assessment:question", args=[1])
    answer_all(client, "lateral-left")
    result = client.get(client.post(reverse("assessment:check")).url)
    text = text_of(result)
    assert "Your bedtime routine" in text
    assert "See a GP when you can" in text
    assert Question.objects.get(slug=slug, questionnaire__is_active=True).text in text
    assert "Please book a GP appointment when you can" in text
    assert text.index("Your checks fit the pattern") < text.index("See a GP when you can")


def test_a_reader_already_checked_says_so_and_goes_on(client):
    tick(client, "no-better", "age")
    client.post(reverse("assessment:gp-advice"), {"checked": "yes"})
    answer_all(client, "anterior")
    text = text_of(client.get(client.post(reverse("assessment:check")).url))
    assert "has already checked your back for this" in text
    assert "Please book a GP appointment" not in text
    assert Assessment.objects.get().plan["gp_advice"]["checked"] is True


@pytest.mark.parametrize("value", [None, "", "maybe", "\x00", "yes" * 2000, "YES"])
def test_the_checked_question_refuses_hostile_answers(client, value):
    tick(client, "coping")
    data = {} if value is None else {"checked": value}
    response = client.post(reverse("assessment:gp-advice"), data)
    assert response.status_code == 400
    assert "There is a problem" in text_of(response)
    assert 'href="#id_checked_0"' in response.content.decode()
    assert client.get(reverse("assessment:question", args=[1])).url == reverse("assessment:gp-advice")


def test_going_back_keeps_the_ticked_routine_signs(client):
    tick(client, "coping")
    html = client.get(reverse("assessment:warning-signs")).content.decode()
    coping = Question.objects.get(slug="coping", questionnaire__is_active=True)
    assert re.search(rf'value="{coping.pk}" id="[^"]+" checked', html)


def test_no_sign_goes_straight_to_the_questions(client):
    assert start_run(client).url == reverse("assessment:question", args=[1])


def race_client(client):
    """A second tab: another client with the same session cookie."""
    other = Client()
    other.cookies = client.cookies
    return other


def test_a_sign_ticked_in_another_tab_before_the_save_saves_no_plan(client, monkeypatch):
    """Tab B confirms its answers; tab A ticks a 999 sign after B's request began but before B saves."""
    start_run(client)
    answer_all(client, "anterior")
    tab_a = race_client(client)
    real_finish = views.finish
    sign = Question.objects.get(slug="chest-pain", questionnaire__is_active=True)

    def finish_after_the_other_tab(request, run, chosen):
        request.session.get(views.SESSION_KEY)  # tab B's session is loaded: it still says "clear"
        tab_a.get(reverse("assessment:warning-signs"))
        assert tab_a.post(reverse("assessment:warning-signs"), {"signs": [sign.pk]}).url == reverse("assessment:care")
        return real_finish(request, run, chosen)

    monkeypatch.setattr(views, "finish", finish_after_the_other_tab)
    response = client.post(reverse("assessment:check"))
    assert response.url == reverse("assessment:care")
    assert Assessment.objects.count() == 0


def test_a_sign_ticked_while_the_other_tab_saves_removes_the_plan(client, monkeypatch):
    """Tab A's tick began before tab B saved the result: the tick wins and no plan is left saved."""
    start_run(client)
    answer_all(client, "anterior")
    tab_b = race_client(client)
    real_stop = views.stop_for_care
    sign = Question.objects.get(slug="both-legs", questionnaire__is_active=True)

    def stop_after_the_other_tab_saved(request, state, ticked):
        assert tab_b.post(reverse("assessment:check")).status_code == 302
        assert Assessment.objects.count() == 1
        return real_stop(request, state, ticked)

    monkeypatch.setattr(views, "stop_for_care", stop_after_the_other_tab_saved)
    tab_a = race_client(client)
    tab_a.get(reverse("assessment:warning-signs"))
    response = tab_a.post(reverse("assessment:warning-signs"), {"signs": [sign.pk]}, follow=True)
    assert "Call 999" in text_of(response)
    assert Assessment.objects.count() == 0
    assert client.get(reverse("assessment:check")).url == reverse("assessment:care")


def test_finishing_normally_still_saves_one_result(client):
    finish(client, "anterior")
    assert Assessment.objects.count() == 1
