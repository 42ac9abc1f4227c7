"""The self-check as a reader without JavaScript walks it: every way ends at a saved result or the care page."""

import re

import pytest
from django.urls import reverse

from assessment.models import Assessment, Choice, Question, Questionnaire
from assessment.views import SESSION_KEY

from .scenarios import SCENARIOS, answer_all, asked_questions, finish, start_run, text_of

pytestmark = pytest.mark.usefixtures("selfcheck_content")


def test_start_page_explains_the_self_check(client):
    """The start page says what it is, how long it takes, that it is no diagnosis, the evidence and privacy."""
    response = client.get(reverse("assessment:start"))
    text = text_of(response)
    assert "about three minutes" in text
    assert "not a diagnosis" in text
    assert "Laird" in text and "2014" in text
    assert "only in your browser session" in text
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_every_scenario_ends_at_a_saved_result(client, scenario):
    """Each way through the questions saves one result and shows it, naming an imbalance or honestly none."""
    response = finish(client, scenario)
    assert response.status_code == 200
    assessment = Assessment.objects.get()
    text = text_of(response)
    assert "A self-check, not a diagnosis" in text
    if scenario == "none":
        assert assessment.outcome == "none"
        assert "No clear imbalance" in text
        assert reverse("articles:muscles") in response.content.decode()
    elif scenario == "tie":
        assert assessment.outcome == "tie"
        assert "Anterior pelvic tilt" in text and "Lateral pelvic tilt" in text
    else:
        assert assessment.outcome != "none"
        assert f"Likely: {assessment.get_outcome_display()}" in text
        assert "Your bedtime routine: about" in text


def test_lateral_result_gives_a_side_specific_plan(client):
    """A right high hip: stretch the QL and adductors on the right, linked to their pages, with reasons."""
    response = finish(client, "lateral-right")
    text = text_of(response)
    html = response.content.decode()
    assert "Likely: Lateral pelvic tilt, right side" in text
    assert "Quadratus lumborum : Right side (your high side)" in text
    assert "My right hip is higher" in text  # why
    assert reverse("articles:muscle", args=["quadratus-lumborum"]) in html
    assert reverse("articles:stretch", args=["quadratus-lumborum", "side-lying-ql-stretch-pillow"]) in html
    assessment = Assessment.objects.get()
    assert assessment.side == "right"
    # two stretches, 3 x 30 s holds + 2 x 15 s rests = 120 s each, one side: 4 minutes
    assert assessment.plan["total_minutes"] == 4
    assert "gluteus medius" in text


def test_rotation_left_stretches_the_forward_side(client):
    text = text_of(finish(client, "rotation-left"))
    assert "Hip flexors : Left side (your forward side)" in text


def test_unclear_side_stretches_both_sides(client):
    text = text_of(finish(client, "lateral-unclear"))
    assert "side unclear" in text
    assert "Both sides (the self-check could not tell which is your high side)" in text


def test_score_chart_has_text_values_and_no_inline_styles(client):
    html = finish(client, "anterior").content.decode()
    assert html.count("<meter") == 4
    assert "5 points (of" in html
    assert "style=" not in html


def test_token_has_at_least_128_random_bits(client):
    finish(client, "none")
    token = Assessment.objects.get().token
    assert len(token) >= 22 and re.fullmatch(r"[A-Za-z0-9_-]+", token)


@pytest.mark.parametrize(
    "token", ["guess", "a" * 43, "../../etc/passwd", "x" * 500, "%00", "abc def" + "a" * 40, "ä" * 43]
)
def test_guessed_or_malformed_result_links_are_404(client, token):
    assert client.get(f"/assessment/result/{token}/").status_code == 404
    assert client.get(f"/assessment/result/{token}/reminder.ics?time=21:30").status_code == 404


# Red flags ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("urgency", "heading"),
    [
        ("emergency", "Call emergency services now"),
        ("same_day", "Get seen by a doctor today"),
        ("soon", "Please see a doctor soon"),
    ],
)
def test_each_red_flag_tier_shows_its_care_page(client, urgency, heading):
    """A ticked sign stops the run on a care page for its tier, listing it, with no plan and nothing saved."""
    client.post(reverse("assessment:start"))
    sign = Question.objects.filter(kind="red_flag", urgency=urgency, questionnaire__is_active=True).first()
    response = client.post(reverse("assessment:red-flags"), {"signs": [sign.pk]}, follow=True)
    text = text_of(response)
    assert response.redirect_chain[-1][0] == reverse("assessment:care")
    assert heading in text
    assert sign.text in text
    assert "bedtime routine" not in text.lower()
    assert reverse("assessment:question", args=[1]) not in response.content.decode()
    assert Assessment.objects.count() == 0
    # the run cannot carry on to the questions
    assert client.get(reverse("assessment:question", args=[1])).url == reverse("assessment:care")


def test_most_urgent_ticked_sign_sets_the_tier(client):
    client.post(reverse("assessment:start"))
    signs = Question.objects.filter(kind="red_flag", urgency__in=["soon", "emergency"]).values_list("pk", flat=True)
    response = client.post(reverse("assessment:red-flags"), {"signs": list(signs)}, follow=True)
    assert "Call emergency services now" in text_of(response)
    assert "999" in text_of(response)


def test_no_ticks_at_all_is_not_accepted(client):
    """Passing the screen needs the deliberate "I have none of these" tick."""
    client.post(reverse("assessment:start"))
    response = client.post(reverse("assessment:red-flags"), {})
    assert response.status_code == 400
    assert "There is a problem" in text_of(response)
    assert 'href="#id_none"' in response.content.decode()


def test_a_sign_and_none_of_these_together_are_not_accepted(client):
    client.post(reverse("assessment:start"))
    sign = Question.objects.filter(kind="red_flag").first()
    response = client.post(reverse("assessment:red-flags"), {"signs": [sign.pk], "none": "on"})
    assert response.status_code == 400
    assert "Untick one of them" in text_of(response)


def test_red_flag_screen_rejects_ids_that_are_not_signs(client):
    client.post(reverse("assessment:start"))
    ordinary = asked_questions()[0]
    response = client.post(reverse("assessment:red-flags"), {"signs": [ordinary.pk, "\x00", "9" * 40]})
    assert response.status_code == 400


# Questions ------------------------------------------------------------------------------------------------


def test_question_page_shows_progress_fieldset_and_help(client):
    start_run(client)
    response = client.get(reverse("assessment:question", args=[1]))
    html = response.content.decode()
    total = len(asked_questions())
    assert f"Question 1 of {total}" in text_of(response)
    assert "<fieldset" in html and "<legend>" in html
    assert html.count("<h1") == 1
    assert "How to do this check" in html
    assert 'href="' + reverse("assessment:red-flags") + '"' in html  # Back


def test_reload_and_back_keep_the_saved_answer(client):
    """Going back to an answered question shows the answer already chosen."""
    start_run(client)
    first = asked_questions()[0]
    choice = first.choices.all()[1]
    client.post(reverse("assessment:question", args=[1]), {"answer": choice.pk})
    html = client.get(reverse("assessment:question", args=[1])).content.decode()
    assert re.search(rf'value="{choice.pk}" id="[^"]+" checked', html)


def test_skipping_ahead_goes_to_the_first_unanswered_question(client):
    start_run(client)
    response = client.get(reverse("assessment:question", args=[5]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("assessment:question", args=[1])
    assert "Please answer this question first" in response.content.decode()
    assert client.get(reverse("assessment:check")).url == reverse("assessment:question", args=[1])


def test_questions_need_the_red_flag_screen_first(client):
    client.post(reverse("assessment:start"))
    assert client.get(reverse("assessment:question", args=[1])).url == reverse("assessment:red-flags")


@pytest.mark.parametrize("url_name", ["assessment:red-flags", "assessment:check", "assessment:care"])
def test_no_session_restarts_kindly(client, url_name):
    response = client.get(reverse(url_name), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("assessment:start")


def test_expired_session_on_a_question_restarts_kindly(client):
    start_run(client)
    client.cookies.pop("sessionid")
    response = client.post(reverse("assessment:question", args=[2]), {"answer": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("assessment:start")
    assert "expired" in response.content.decode()


def test_question_number_out_of_range_is_404(client):
    start_run(client)
    assert client.get(reverse("assessment:question", args=[999])).status_code == 404
    assert client.get("/assessment/question/99999999999999999999999/").status_code == 404
    assert client.get("/assessment/question/0/").status_code == 404


@pytest.mark.parametrize("value", ["", "abc", "\x00", "1" * 5000, "-1", "1.5"])
def test_hostile_answers_are_a_400_with_the_question_again(client, value):
    start_run(client)
    response = client.post(reverse("assessment:question", args=[1]), {"answer": value})
    assert response.status_code == 400
    assert "There is a problem" in text_of(response)
    assert 'href="#id_answer_0"' in response.content.decode()


def test_a_choice_from_another_question_or_questionnaire_is_refused(client):
    start_run(client)
    other_question_choice = asked_questions()[1].choices.first()
    other = Questionnaire.objects.create(version=99, title="Other")
    foreign = Question.objects.create(questionnaire=other, slug="x", text="Elsewhere?")
    foreign_choice = Choice.objects.create(question=foreign, label="Elsewhere", weights={"pelvic-rotation": 5})
    for choice in (other_question_choice, foreign_choice):
        response = client.post(reverse("assessment:question", args=[1]), {"answer": choice.pk})
        assert response.status_code == 400
    assert str(asked_questions()[0].pk) not in client.session[SESSION_KEY]["answers"]


def test_change_link_returns_to_check_your_answers(client):
    start_run(client)
    answer_all(client, "none")
    check = client.get(reverse("assessment:check"))
    assert check.status_code == 200
    change_url = reverse("assessment:question", args=[6]) + "?change=1"
    assert change_url in check.content.decode()
    sixth = asked_questions()[5]
    right = sixth.choices.get(label="My right hip is higher")
    response = client.post(change_url, {"answer": right.pk})
    assert response.url == reverse("assessment:check")
    assert "My right hip is higher" in text_of(client.get(reverse("assessment:check")))


def test_double_submit_gives_one_result(client):
    start_run(client)
    answer_all(client, "anterior")
    first = client.post(reverse("assessment:check"))
    second = client.post(reverse("assessment:check"))
    assert first.url == second.url
    assert Assessment.objects.count() == 1
    # and the questions now lead back to the result rather than a second run
    assert client.get(reverse("assessment:question", args=[1])).url == first.url


def test_lost_session_after_submit_cannot_make_a_half_result(client):
    start_run(client)
    answer_all(client, "anterior")
    client.cookies.pop("sessionid")
    response = client.post(reverse("assessment:check"))
    assert response.url == reverse("assessment:start")
    assert Assessment.objects.count() == 0


def test_questionnaire_changed_mid_run_restarts_cleanly(client):
    start_run(client)
    Questionnaire.objects.update(is_active=False)
    Questionnaire.objects.create(version=2, title="New", is_active=True)
    response = client.get(reverse("assessment:question", args=[1]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("assessment:start")
    assert "updated since you started" in response.content.decode()


def test_start_post_resets_the_run(client):
    start_run(client)
    answer_all(client, "anterior")
    client.post(reverse("assessment:start"))
    assert client.session[SESSION_KEY]["answers"] == {}
    assert "screen" not in client.session[SESSION_KEY]


# Results survive edits, retakes ----------------------------------------------------------------------------


def test_old_results_survive_editing_and_deleting_questions(client):
    """A saved result renders the same after its questions, choices and a muscle are changed or deleted."""
    response = finish(client, "lateral-right")
    before = text_of(response)
    url = reverse("assessment:result", args=[Assessment.objects.get().token])
    Question.objects.filter(slug="hip-height").update(text="Edited question text?")
    Choice.objects.filter(label="Yes, deeper on my right side").delete()
    Question.objects.filter(slug="one-sided-habits").delete()
    after = client.get(url)
    assert after.status_code == 200
    assert text_of(after) == before
    from articles.models import Muscle

    Muscle.objects.filter(slug="adductors").delete()
    after_delete = client.get(url)
    assert after_delete.status_code == 200
    assert "Adductors" in text_of(after_delete)
    assert reverse("articles:muscle", args=["adductors"]) not in after_delete.content.decode()


def test_retake_compares_with_the_earlier_result(client):
    finish(client, "anterior")
    earlier = Assessment.objects.get()
    client.post(reverse("assessment:start"), {"previous": earlier.token})
    client.post(reverse("assessment:red-flags"), {"none": "on"})
    answer_all(client, "posterior")
    response = client.get(client.post(reverse("assessment:check")).url)
    latest = Assessment.objects.exclude(pk=earlier.pk).get()
    assert latest.previous == earlier
    text = text_of(response)
    assert "Compared with your earlier result" in text
    assert "the result was anterior pelvic tilt" in text
    assert "Now it is posterior pelvic tilt" in text


def test_retake_ignores_a_made_up_earlier_token(client):
    client.post(reverse("assessment:start"), {"previous": "x" * 43})
    assert "previous" not in client.session[SESSION_KEY]


@pytest.mark.parametrize("previous", ["x" * 65, "abc\x00def"])
def test_a_damaged_earlier_result_link_still_starts_the_self_check(client, previous):
    """Regression: a "previous" the form refused used to show the start page again, silently, with no run."""
    response = client.post(reverse("assessment:start"), {"previous": previous})
    assert response.status_code == 302 and response.url == reverse("assessment:red-flags")
    assert "previous" not in client.session[SESSION_KEY]


# Reminder ---------------------------------------------------------------------------------------------------


def test_reminder_is_a_daily_calendar_event(client):
    finish(client, "lateral-right")
    token = Assessment.objects.get().token
    response = client.get(reverse("assessment:reminder", args=[token]), {"time": "21:30"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert "RRULE:FREQ=DAILY\r\n" in body
    assert re.search(r"DTSTART:\d{8}T213000\r\n", body)
    assert re.search(r"UID:[0-9a-f]{32}@back-pain-advisor\r\n", body)
    assert token not in body.split("URL:")[0]  # the private link is only in the URL line
    unfolded = body.replace("\r\n ", "")
    assert "Side-lying QL stretch over a pillow (Quadratus lumborum: Right side (your high side))" in unfolded
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


@pytest.mark.parametrize("time", ["", "25:00", "21:60", "9:30", "21:30:00", "\x00", "1" * 1000, "21:3a"])
def test_reminder_with_a_bad_time_is_400(client, time):
    finish(client, "anterior")
    token = Assessment.objects.get().token
    response = client.get(reverse("assessment:reminder", args=[token]), {"time": time})
    assert response.status_code == 400
    assert "Enter a time like 21:30" in response.content.decode()


# Self-test pages --------------------------------------------------------------------------------------------


def test_self_test_pages_render(client):
    response = client.get(reverse("assessment:self-tests"))
    assert response.status_code == 200
    assert "Thomas test" in text_of(response)
    page = client.get(reverse("assessment:self-test", args=["thomas-test"]))
    assert page.status_code == 200
    assert "<ol>" in page.content.decode()
    assert client.get(reverse("assessment:self-test", args=["nope"])).status_code == 404
