"""The self-check as a reader without JavaScript walks it: every way ends at a saved result or the care page."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import Assessment, Choice, Question, Questionnaire
from assessment.views import SESSION_KEY, minutes_to_take

from .scenarios import SCENARIOS, answer_all, asked_questions, finish, start_run, text_of

pytestmark = pytest.mark.usefixtures("selfcheck_content")


def test_start_page_explains_the_self_check(client):
    """The start page says what it is, how long it takes, that it is no diagnosis, the evidence and privacy."""
    response = client.get(reverse("assessment:start"))
    text = text_of(response)
    assert f"takes about {minutes_to_take(Questionnaire.objects.active().get())} minutes" in text
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
    assert "What a self-check cannot tell you" in text
    assert "Stay active" in text and "NICE NG59" in text
    assert "Likely" not in text and "your high side" not in text
    if scenario in ("none", "weak-only"):
        assert assessment.outcome == "none"
        assert "Your checks did not fit any of the four patterns" in text
    elif scenario == "unsure":
        assert assessment.outcome == "unsure"
        assert "Not enough to go on" in text and "What to try" in text
    elif scenario == "disagree":
        assert assessment.outcome == "disagree"
        assert "Your checks disagree" in text
    elif scenario == "tie":
        assert assessment.outcome == "tie"
        assert "Your checks fit more than one pattern" in text
        assert "Anterior pelvic tilt" in text and "Lateral pelvic tilt" in text
    else:
        assert f"Your checks fit the pattern of {assessment.get_outcome_display().lower()}" in text
        assert "Your bedtime routine: about" in text
    if assessment.outcome in ("none", "unsure", "disagree"):
        assert "A gentle general routine" in text
        assert "side only" not in text  # no sided plan


def test_lateral_result_gives_a_side_specific_plan(client):
    """A right high hip: stretch the QL and adductors on the right only, linked with the side, with reasons."""
    response = finish(client, "lateral-right")
    text = text_of(response)
    html = response.content.decode()
    assert "Your checks fit the pattern of lateral pelvic tilt" in text
    assert "Side: right (the hip your check found higher)" in text
    assert "Quadratus lumborum : right side only (the hip your check found higher)" in text
    assert "left side only" not in text.lower()
    assert "My right hip is higher" in text  # what the checks showed
    assert "(scoliosis)" in text and "longer than the other" in text
    assert reverse("articles:muscle", args=["quadratus-lumborum"]) in html
    stretch = reverse("articles:stretch", args=["quadratus-lumborum", "side-lying-ql-stretch-pillow"])
    assert f'href="{stretch}?side=right"' in html
    assessment = Assessment.objects.get()
    assert assessment.side == "right"
    routine = assessment.plan["routine"]
    assert [item["side"] for item in routine] == ["right", "right"]
    assert all(item["seconds"] == item["set_seconds"] for item in routine)  # one side: not doubled
    assert "gluteus medius" in text


def test_a_direct_check_decides_the_side_over_indirect_signs(client):
    """Left hip higher in the mirror, crease and hip drop pointing right: the plan stretches the left only."""
    text = text_of(finish(client, "lateral-direct-wins"))
    assert "Side: left" in text
    assert "right side only" not in text.lower()
    assert Assessment.objects.get().side == "left"


def test_rotation_left_stretches_the_forward_side(client):
    text = text_of(finish(client, "rotation-left"))
    assert "Hip flexors : left side only (the side your check found further forward)" in text


def test_unclear_side_stretches_each_side(client):
    text = text_of(finish(client, "lateral-unclear"))
    assert "Side: unclear" in text
    assert "Quadratus lumborum : each side in turn" in text
    assessment = Assessment.objects.get()
    assert assessment.side == "unclear"
    assert {item["side"] for item in assessment.plan["routine"]} == {"each"}


def test_both_legs_stretches_are_not_dosed_per_side(client):
    """Knees to chest (anterior plan) is done with both legs at once: no side, no doubling, no "each side"."""
    response = finish(client, "anterior")
    item = next(i for i in Assessment.objects.get().plan["routine"] if i["stretch_slug"] == "knees-to-chest")
    assert item["side"] == "both-legs" and item["side_count"] == 1 and item["seconds"] == item["set_seconds"]
    routine = text_of(response).split("Your bedtime routine", 1)[1].split("Stay active", 1)[0]
    knees = routine.split("Knees to chest", 1)[1].split("in all", 1)[0]
    assert "both legs at once" in knees
    assert "each side" not in knees and "per side" not in knees
    assert f'href="{reverse("articles:stretch", args=["erector-spinae", "knees-to-chest"])}"' in (
        response.content.decode()
    )


def test_pain_and_habits_are_shown_as_context_without_points(client):
    """A belt line lower at the front plus habits is not a pattern; the habits show as context."""
    response = finish(client, "weak-only")
    text = text_of(response)
    assert Assessment.objects.get().outcome == "none"
    assert "What you told us about your pain and habits" in text
    assert "They don't change it" in text
    assert "Lower at the front than at the back" in text


def test_result_and_plan_come_before_the_caveats(client):
    """On a phone the reader meets their result and plan first; what a self-check can't tell comes after."""
    text = text_of(finish(client, "lateral-left"))
    assert text.index("Your checks fit the pattern") < text.index("Your bedtime routine")
    assert text.index("Your bedtime routine") < text.index("What a self-check cannot tell you")


def test_result_page_is_noindex_for_its_own_reader(client):
    """A result is health data: noindex in a meta tag and a header, even for the browser that saved it."""
    response = finish(client, "anterior")
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_a_result_saved_by_the_first_questionnaire_still_renders(client):
    """Results saved before sides were modelled (version 1) keep rendering, with their own words."""
    from .factories import AssessmentFactory

    old = AssessmentFactory(
        outcome="lateral-pelvic-tilt",
        side="left",
        plan={
            "leaders": [],
            "routine": [
                {
                    "muscle_slug": "adductors",
                    "muscle": "Adductors",
                    "stretch_slug": "kneeling-side-leg-adductor-stretch",
                    "stretch": "Kneeling side-leg adductor stretch",
                    "side_text": "Left side (your high side)",
                    "side_count": 1,
                    "contract_relax": False,
                    "hold_seconds": 30,
                    "repetitions": 3,
                    "seconds_per_side": 120,
                    "seconds": 120,
                }
            ],
            "total_minutes": 2,
        },
    )
    session = client.session
    session["selfcheck_results"] = [old.token]
    session.save()
    response = client.get(reverse("assessment:result", args=[old.token]))
    assert response.status_code == 200
    assert "Kneeling side-leg adductor stretch" in text_of(response)


def test_score_chart_has_text_values_and_no_inline_styles(client):
    html = finish(client, "anterior").content.decode()
    assert html.count("<meter") == 4
    assert "5 points (of" in html  # Thomas test both sides (3) + belt line lower at the front (2)
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


def test_no_ticks_at_all_is_not_accepted(client):
    """Passing the screen needs the deliberate "I have none of these" tick."""
    client.post(reverse("assessment:start"))
    response = client.post(reverse("assessment:warning-signs"), {})
    assert response.status_code == 400
    assert "There is a problem" in text_of(response)
    assert 'href="#id_none"' in response.content.decode()


def test_a_sign_and_none_of_these_together_are_not_accepted(client):
    client.post(reverse("assessment:start"))
    sign = Question.objects.filter(kind="red_flag").first()
    response = client.post(reverse("assessment:warning-signs"), {"signs": [sign.pk], "none": "on"})
    assert response.status_code == 400
    assert "Untick one of them" in text_of(response)


def test_red_flag_screen_rejects_ids_that_are_not_signs(client):
    client.post(reverse("assessment:start"))
    ordinary = asked_questions()[0]
    response = client.post(reverse("assessment:warning-signs"), {"signs": [ordinary.pk, "\x00", "9" * 40]})
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
    assert 'href="' + reverse("assessment:warning-signs") + '"' in html  # Back


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
    assert client.get(reverse("assessment:question", args=[1])).url == reverse("assessment:warning-signs")


@pytest.mark.parametrize("url_name", ["assessment:warning-signs", "assessment:check", "assessment:care"])
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


def test_questionnaire_deleted_mid_run_restarts_cleanly(client):
    """A run whose version is gone starts again kindly (a newer version going live does not: see test_versions)."""
    start_run(client)
    Questionnaire.objects.all().delete()
    Questionnaire.objects.create(version=77, title="New", is_active=True, published_at=timezone.now())
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
    client.post(reverse("assessment:warning-signs"), {"none": "on"})
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
    assert response.status_code == 302 and response.url == reverse("assessment:warning-signs")
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
    assert "RRULE:FREQ=DAILY;COUNT=42\r\n" in body  # six weeks, then it ends
    assert re.search(r"DTSTART:\d{8}T213000\r\n", body)
    assert re.search(r"UID:[0-9a-f]{32}@back-pain-advisor\r\n", body)
    assert token not in body.split("URL:")[0]  # the private link is only in the URL line
    unfolded = body.replace("\r\n ", "")
    assert "Side-lying QL stretch over a pillow (Quadratus lumborum: Right side only" in unfolded
    assert "Stay active" in unfolded
    events = unfolded.split("BEGIN:VEVENT")[1:]
    assert len(events) == 2
    review = events[1]
    assert "RRULE" not in review
    first = re.search(r"DTSTART:(\d{8})", events[0]).group(1)
    last = re.search(r"DTSTART:(\d{8})", review).group(1)
    import datetime

    days = (datetime.datetime.strptime(last, "%Y%m%d") - datetime.datetime.strptime(first, "%Y%m%d")).days
    assert days == 42
    assert "see a GP or a physiotherapist" in review
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


# Leaving and coming back --------------------------------------------------------------------------------------


def test_start_page_offers_to_continue_where_you_left_off(client):
    """With answers under way, the start page (and so the menu's link) offers to carry on; nothing is wiped."""
    start_run(client)
    questions = asked_questions()
    for number in (1, 2):
        client.post(reverse("assessment:question", args=[number]), {"answer": questions[number - 1].choices.first().pk})
    response = client.get(reverse("assessment:start"))
    text, html = text_of(response), response.content.decode()
    assert "Carry on where you left off" in text
    assert "answered 2 questions" in text
    assert f'href="{reverse("assessment:question", args=[3])}"' in html
    assert "Start again (clears your answers)" in text
    assert len(client.session[SESSION_KEY]["answers"]) == 2


def test_continue_after_every_answer_goes_to_check_your_answers(client):
    start_run(client)
    answer_all(client, "none")
    assert f'href="{reverse("assessment:check")}"' in client.get(reverse("assessment:start")).content.decode()


def test_no_continue_without_a_run_or_after_finishing(client):
    assert "Carry on where you left off" not in text_of(client.get(reverse("assessment:start")))
    finish(client, "none")
    assert "Carry on where you left off" not in text_of(client.get(reverse("assessment:start")))


def test_a_self_test_opened_from_a_question_links_back_to_it(client):
    start_run(client)
    questions = asked_questions()
    for number in (1, 2):
        client.post(reverse("assessment:question", args=[number]), {"answer": questions[number - 1].choices.first().pk})
    page = client.get(reverse("assessment:question", args=[3]))
    link = re.search(r'href="([^"]+)">How to do this check', page.content.decode()).group(1)
    assert link.endswith("?question=3")
    self_test = client.get(link)
    assert f'href="{reverse("assessment:question", args=[3])}"' in self_test.content.decode()
    assert "Back to question 3" in text_of(self_test)
    assert "Start the free self-check" not in text_of(self_test)


@pytest.mark.parametrize("value", ["", "x", "-1", "١", "9" * 50, "<script>", "3&question=4"])
def test_a_self_test_with_a_hostile_question_number_still_renders(client, value):
    start_run(client)
    response = client.get(reverse("assessment:self-test", args=["thomas-test"]), {"question": value})
    assert response.status_code == 200
    assert "Back to question" not in text_of(response)


def test_a_self_test_without_a_run_offers_the_self_check(client):
    response = client.get(reverse("assessment:self-test", args=["thomas-test"]) + "?question=3")
    assert "Back to question" not in text_of(response)
    assert "Start the free self-check" in text_of(response)


def test_the_time_promise_adds_up_the_checks_and_the_reading(client):
    """The start page's minutes are each home check's timed minutes plus reading every question, rounded to 5."""
    questionnaire = Questionnaire.objects.active().get()
    tests = {q.self_test.pk: q.self_test.minutes for q in questionnaire.questions.all() if q.self_test}
    check_minutes = sum(tests.values())
    assert check_minutes == 17  # the shipped self-tests' minutes
    assert minutes_to_take(questionnaire) == 25  # 17 minutes of checks and about 6 of reading, rounded up
