"""The admin's "try it" page: an editor (not a superuser) answers the self-check and sees what the draft and the
live version give, worked out by the site's own scoring, with nothing saved; bad input is a form error."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from assessment.models import Assessment, Choice, Question, Questionnaire
from assessment.results import score_run
from tests.factories import UserFactory

from .scenarios import pick

pytestmark = pytest.mark.usefixtures("selfcheck_content")

URL = reverse("admin:assessment_questionnaire_try_it")


def asked(version):
    return [q for q in version.questions.prefetch_related("choices") if not q.is_red_flag]


def chosen_for(version, scenario):
    """Each asked question's id with the Choice ``scenario`` picks in ``version``."""
    chosen = {}
    for question in asked(version):
        choices = [{"label": c.label, "weights": c.weights, "finding": c.finding} for c in question.choices.all()]
        label = pick(question.slug, choices, scenario)
        chosen[question.pk] = next(c for c in question.choices.all() if c.label == label)
    return chosen


def form_data(version, scenario, signs=()):
    data = {f"answer-{pk}": choice.pk for pk, choice in chosen_for(version, scenario).items()}
    data["signs"] = [q.pk for q in version.questions.filter(slug__in=signs)]
    return data


def make_draft_with_a_stronger_belt_line():
    """A draft in which "lower at the front" is a clear sign of a forward tilt worth 4 points."""
    draft = Questionnaire.objects.active().get().start_draft()
    Choice.objects.filter(question__questionnaire=draft, question__slug="belt-line", order=0).update(
        weights={"anterior-pelvic-tilt": 4}, finding=Choice.Finding.POSITIVE
    )
    return draft


def columns_of(page):
    """Each result column's text, in order (draft first when there is one)."""
    html = page.content.decode()
    parts = html.split('class="try-it-column"')[1:]
    return [unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part))) for part in parts]


def expected_text(version, scenario):
    """What the scoring itself gives for ``scenario`` in ``version``: the outcome and each pattern's points."""
    result = score_run(asked(version), chosen_for(version, scenario))
    outcome = Assessment.Outcome(result["outcome"]).label
    points = [f"{result['plan']['names'][code]} {score}" for code, score in result["scores"].items()]
    return outcome, points


@pytest.mark.parametrize("scenario", ["weak-only", "anterior", "lateral-right", "disagree", "unsure"])
def test_try_it_gives_what_the_scoring_gives_for_the_draft_and_the_live_version(editor, editor_client, scenario):
    assert not editor.is_superuser
    draft = make_draft_with_a_stronger_belt_line()
    live = Questionnaire.objects.active().get()
    page = editor_client.post(URL, form_data(draft, scenario))
    assert page.status_code == 200
    draft_column, live_column = columns_of(page)
    assert f"Draft: version {draft.version}" in draft_column
    assert f"Live: version {live.version}, published" in live_column
    for column, version in ((draft_column, draft), (live_column, live)):
        outcome, points = expected_text(version, scenario)
        assert f"Outcome: {outcome}" in column
        for row in points:
            assert row in column
    assert Assessment.objects.count() == 0  # nothing is saved as a reader's result


def test_the_draft_change_shows_in_its_column_only(editor_client):
    draft = make_draft_with_a_stronger_belt_line()
    draft_column, live_column = columns_of(editor_client.post(URL, form_data(draft, "weak-only")))
    assert "Outcome: Anterior pelvic tilt" in draft_column and "Anterior pelvic tilt 5" in draft_column
    assert "Bedtime routine" in draft_column and "Hip flexors" in draft_column
    assert "Outcome: No pattern found" in live_column and "Anterior pelvic tilt 3" in live_column


def test_with_no_draft_it_shows_the_live_version(editor_client):
    live = Questionnaire.objects.active().get()
    page = editor_client.post(URL, form_data(live, "anterior"))
    (column,) = columns_of(page)
    assert f"Live: version {live.version}" in column and "Outcome: Anterior pelvic tilt" in column


def test_an_emergency_sign_stops_at_the_care_page_and_a_routine_one_adds_gp_advice(editor_client):
    live = Questionnaire.objects.active().get()
    emergency = live.questions.filter(urgency=Question.Urgency.EMERGENCY).first()
    routine = live.questions.filter(urgency=Question.Urgency.ROUTINE).first()
    (column,) = columns_of(editor_client.post(URL, form_data(live, "anterior", signs=[emergency.slug])))
    assert "Stops at the care page: Call 999 or go to A&E now." in column
    assert "Outcome" not in column
    (column,) = columns_of(editor_client.post(URL, form_data(live, "anterior", signs=[routine.slug])))
    assert "see a GP when you can" in column and "Outcome: Anterior pelvic tilt" in column


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda data, q: data.update({f"answer-{q.pk}": 999999}), "Question 1: choose one of the answers shown."),
        (lambda data, q: data.pop(f"answer-{q.pk}"), "Choose an answer to question 1."),
        (lambda data, q: data.update({f"answer-{q.pk}": "9" * 5000}), "Question 1: choose one of the answers shown."),
        (lambda data, q: data.update({f"answer-{q.pk}": "-1\x00"}), "Question 1: choose one of the answers shown."),
        (lambda data, q: data.update({"signs": ["not-a-sign"]}), "Tick only the warning signs shown."),
    ],
    ids=["unknown-id", "missing", "huge", "null-byte", "unknown-sign"],
)
def test_hostile_input_is_a_form_error(editor_client, change, message):
    live = Questionnaire.objects.active().get()
    data = form_data(live, "anterior")
    change(data, asked(live)[0])
    page = editor_client.post(URL, data)
    assert page.status_code == 400
    assert message in page.content.decode()
    assert "Nothing was scored" in page.content.decode() and not columns_of(page)


def test_an_answer_of_another_question_is_refused(editor_client):
    live = Questionnaire.objects.active().get()
    first, second = asked(live)[:2]
    data = form_data(live, "anterior")
    data[f"answer-{first.pk}"] = second.choices.all()[0].pk
    assert editor_client.post(URL, data).status_code == 400


def test_try_it_needs_a_csrf_token_and_an_editor(editor):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.get(URL).status_code == 200
    assert strict.post(URL, {}).status_code == 403
    assert Client().get(URL).status_code == 302  # to the sign-in page
    outsider = Client()
    outsider.force_login(UserFactory(username="staff-only", is_staff=True))
    assert outsider.get(URL).status_code == 403


def test_try_it_is_linked_from_the_admin_index_and_the_questionnaire_page(editor_client):
    live = Questionnaire.objects.active().get()
    for page in (
        editor_client.get(reverse("admin:index")),
        editor_client.get(reverse("admin:assessment_questionnaire_change", args=[live.pk])),
    ):
        assert f'href="{URL}"' in page.content.decode()


def test_the_form_asks_what_readers_are_asked(editor_client):
    live = Questionnaire.objects.active().get()
    page = unescape(editor_client.get(URL).content.decode())
    for question in live.questions.all():
        assert question.text in page
