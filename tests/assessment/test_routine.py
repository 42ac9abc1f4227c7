"""Tonight's routine of a saved result: every stretch of the plan in its order, each with its side, dose, steps,
cautions and timer, a total time at the top; private like the result itself (noindex, never cached, only in the
browser that saved or opened the result)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Stretch
from assessment.models import Assessment
from backpain.logs import redact

from .factories import AssessmentFactory
from .scenarios import finish, text_of

pytestmark = pytest.mark.usefixtures("selfcheck_content")

SIDE_WORDS = {"left": "Left side", "right": "Right side", "each": "Both sides, left then right"}


def routine_url(assessment):
    return reverse("assessment:routine", args=[assessment.token])


def steps_of(response):
    """Each step of the page as (name, side badge, its text), in order."""
    html = response.content.decode()
    steps = []
    for block in [part.split("</article>", 1)[0] for part in html.split('<li class="routine-step"')[1:]]:
        name = re.search(r'<h2 id="step-\d+-heading"[^>]*>([^<]+)</h2>', block).group(1)
        badge = re.search(r'<span class="side-badge">([^<]+)</span>', block).group(1)
        text = re.sub(r"\s+([,.])", r"\1", re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block)))
        steps.append((name, badge, text))
    return steps


@pytest.mark.parametrize("scenario", ["lateral-right", "anterior", "tie", "disagree"])
def test_every_stretch_of_the_plan_is_named_in_order_with_its_side_hold_and_steps(client, scenario):
    finish(client, scenario)
    assessment = Assessment.objects.get()
    plan = assessment.plan["routine"]
    response = client.get(routine_url(assessment))
    assert response.status_code == 200
    steps = steps_of(response)
    assert [name for name, _, _ in steps] == [item["stretch"] for item in plan]
    for (name, badge, text), item in zip(steps, plan, strict=True):
        expected = "Both legs at once" if item["side"] == "both-legs" else SIDE_WORDS[item["side"]]
        assert badge == expected, name
        assert f"{item['hold_seconds']} seconds" in text
        assert f"{item['repetitions']} time" in text or f"{item['repetitions']} round" in text
        stretch = Stretch.objects.get(slug=item["stretch_slug"], muscle__slug=item["muscle_slug"])
        assert stretch.steps[0] in text
        assert "Before you start: who should skip or change it" in text
    page = text_of(response)
    minutes = assessment.plan["total_minutes"]
    assert f"About {minutes} minutes · {len(plan)} stretches" in page
    html = response.content.decode()
    assert html.index('class="routine-total"') < html.index('id="step-1"')  # the total at the top


def test_a_right_side_plan_says_right_side_and_why_and_its_timer_times_the_right_side(client):
    finish(client, "lateral-right")
    response = client.get(routine_url(Assessment.objects.get()))
    html = response.content.decode()
    steps = steps_of(response)
    assert [badge for _, badge, _ in steps] == ["Right side", "Right side"]
    assert all("Your plan: right side only (the hip your check found higher)." in text for _, _, text in steps)
    assert len(re.findall(r'data-hold-timer[^>]*data-side="right"', html.replace("\n", " "))) == 2
    assert 'data-side="left"' not in html and 'data-side="each"' not in html


def test_each_step_names_the_next_and_the_last_says_so(client):
    finish(client, "anterior")
    steps = steps_of(client.get(routine_url(Assessment.objects.get())))
    for (_, _, text), (next_name, next_badge, _) in zip(steps, steps[1:], strict=False):
        assert f"Next: {next_name}, {next_badge.lower()}." in text
    assert "This is the last stretch." in steps[-1][2]


def test_the_routine_says_noindex_is_never_cached_and_sends_no_referrer(client):
    finish(client, "anterior")
    response = client.get(routine_url(Assessment.objects.get()))
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"


def test_another_browser_gets_a_403_that_shows_nothing_of_the_result():
    reader = Client()
    finish(reader, "lateral-right")
    assessment = Assessment.objects.get()
    own = reader.get(routine_url(assessment)).content.decode()
    response = Client().get(routine_url(assessment))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Open the saved result first" in html
    for private in ("Side-lying QL stretch over a pillow", "Right side", "quadratus lumborum", "About "):
        assert private in own
        assert private not in html.split("<main", 1)[1].split("</main>", 1)[0], private
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert f'href="{reverse("assessment:result", args=[assessment.token])}"' in html


def test_after_the_one_click_step_the_other_browser_opens_the_routine_too():
    reader = Client()
    finish(reader, "anterior")
    assessment = Assessment.objects.get()
    friend = Client()
    result = reverse("assessment:result", args=[assessment.token])
    friend.post(result, {})  # the step's button (CSRF is not enforced by the test client)
    assert friend.get(routine_url(assessment)).status_code == 200


@pytest.mark.parametrize(
    "token", ["guess", "a" * 43, "x" * 500, "%00", "..%2f..%2fetc", "ä" * 43, "abc def" + "a" * 40, "a" * 65]
)
def test_a_made_up_token_is_a_404(client, token):
    assert client.get(f"/assessment/result/{token}/routine/").status_code == 404


def test_a_post_is_refused_without_a_server_error(client):
    finish(client, "anterior")
    assert client.post(routine_url(Assessment.objects.get())).status_code == 405


def test_a_result_with_no_routine_goes_back_to_the_result(client):
    assessment = AssessmentFactory()
    session = client.session
    session["selfcheck_results"] = [assessment.token]
    session.save()
    response = client.get(routine_url(assessment))
    assert response.status_code == 302 and response.url == reverse("assessment:result", args=[assessment.token])


def test_a_stretch_deleted_since_keeps_its_name_and_dose_and_an_edited_caution_shows(client):
    finish(client, "anterior")
    assessment = Assessment.objects.get()
    first, second = assessment.plan["routine"][:2]
    Stretch.objects.get(slug=first["stretch_slug"], muscle__slug=first["muscle_slug"]).delete()
    kept = Stretch.objects.get(slug=second["stretch_slug"], muscle__slug=second["muscle_slug"])
    kept.cautions += "\n\nNot after recent back surgery (added by an editor)."
    kept.hold_seconds = 5  # today's figure; the routine times what the result gave
    kept.save()
    response = client.get(routine_url(assessment))
    assert response.status_code == 200
    steps = steps_of(response)
    assert steps[0][0] == first["stretch"]
    assert f"{first['hold_seconds']} seconds" in steps[0][2]
    assert "no longer in our guides" in steps[0][2]
    assert "added by an editor" in steps[1][2]
    assert f"Hold for {second['hold_seconds']} seconds" in steps[1][2]


def test_the_routines_address_is_hidden_in_the_logs(client):
    finish(client, "anterior")
    url = routine_url(Assessment.objects.get())
    assert redact(f"GET {url} HTTP/1.1") == "GET /assessment/result/[hidden]/routine/ HTTP/1.1"


def test_a_warning_sign_ticked_in_another_tab_takes_the_routine_back_to_the_care_page(client):
    finish(client, "anterior")
    assessment = Assessment.objects.get()
    session = client.session
    state = session["selfcheck"]
    state["screen"] = "care"
    session["selfcheck"] = state
    session.save()
    response = client.get(routine_url(assessment))
    assert response.status_code == 302 and response.url == reverse("assessment:care")
