"""The self-test pages and the self-check's own pages show their clinical review, honestly."""

import datetime
import re

import pytest
from django.urls import reverse

from assessment.models import Question, Questionnaire

from .factories import SelfTestFactory
from .scenarios import finish, start_run

pytestmark = pytest.mark.usefixtures("selfcheck_content")

HONEST = "Written by our editors; not yet reviewed by a clinician."


def review_text(response):
    html = response.content.decode()
    (footer,) = re.findall(r'<footer class="review-dates">(.*?)</footer>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", footer)).strip()


def test_a_self_test_page_shows_its_review_and_the_honest_reviewer_line(client):
    test = SelfTestFactory(reviewed_on=datetime.date(2026, 12, 1), next_review_due=datetime.date(2027, 6, 1))
    text = review_text(client.get(reverse("assessment:self-test", args=[test.slug])))
    assert "Page last reviewed: 1 December 2026 · Next review due: 1 June 2027" in text
    assert HONEST in text


def test_a_self_test_page_names_its_reviewer(client):
    test = SelfTestFactory(reviewer_name="Sam Okafor", reviewer_role="chartered physiotherapist")
    text = review_text(client.get(reverse("assessment:self-test", args=[test.slug])))
    assert "Reviewed by Sam Okafor, chartered physiotherapist." in text and HONEST not in text


def test_shipped_self_tests_are_dated_with_no_reviewer_named(client):
    text = review_text(client.get(reverse("assessment:self-test", args=["thomas-test"])))
    assert "Page last reviewed: 2 December 2026 · Next review due: 2 December 2027" in text and HONEST in text


def self_check_pages(client):
    """The self-check's own pages as a reader meets them: start, warning signs, GP advice, result, care."""
    pages = {"start": client.get(reverse("assessment:start"))}
    client.post(reverse("assessment:start"))
    pages["warning signs"] = client.get(reverse("assessment:warning-signs"))
    routine = Question.objects.filter(questionnaire__is_active=True, urgency="routine").first()
    client.post(reverse("assessment:warning-signs"), {"signs": [routine.pk]})
    pages["GP advice"] = client.get(reverse("assessment:gp-advice"))
    client.session.flush()
    pages["result"] = finish(client, "anterior")
    client.session.flush()
    client.post(reverse("assessment:start"))
    emergency = Question.objects.filter(questionnaire__is_active=True, urgency="emergency").first()
    pages["care"] = client.post(reverse("assessment:warning-signs"), {"signs": [emergency.pk]}, follow=True)
    return pages


def test_every_self_check_page_shows_the_questionnaires_review(client):
    Questionnaire.objects.active().update(
        reviewed_on=datetime.date(2026, 12, 1), next_review_due=datetime.date(2027, 6, 1)
    )
    for name, response in self_check_pages(client).items():
        assert response.status_code == 200, name
        text = review_text(response)
        assert "Page last reviewed: 1 December 2026 · Next review due: 1 June 2027" in text, name
        assert HONEST in text, name


def test_the_self_check_names_its_reviewer_once_a_clinician_has_reviewed_it(client):
    Questionnaire.objects.active().update(reviewer_name="Dr Lee Chen", reviewer_role="GP")
    start_run(client)
    for response in (client.get(reverse("assessment:start")), client.get(reverse("assessment:warning-signs"))):
        assert "Reviewed by Dr Lee Chen, GP." in review_text(response)
