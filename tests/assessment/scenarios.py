"""Named ways through the shipped questionnaire, by question slug and answer label, shared by several tests.

Questions not named get their first answer that carries no points (a neutral answer), or, in a scenario
marked ``UNSURE_EVERYWHERE``, their "not sure" answer where they have one.
"""

import re
from pathlib import Path

from backpain.seeding import read_yaml

UNSURE_EVERYWHERE = "*unsure*"
QUESTIONNAIRE_YAML = Path(__file__).resolve().parents[2] / "assessment" / "site_content" / "questionnaire.yaml"

SCENARIOS = {
    "anterior": {
        "thomas-thigh": "Yes, on both sides",
        "belt-line": "Lower at the front than at the back",
    },
    "posterior": {
        "knee-extension": "Clearly bent on both sides (more than about 20 degrees short of straight)",
        "belt-line": "Higher at the front than at the back",
    },
    "lateral-right": {"hip-height": "My right hip is higher", "waist-crease": "Yes, deeper on my right side"},
    "lateral-left": {"hip-height": "My left hip is higher", "waist-crease": "Yes, deeper on my left side"},
    # The direct check (hip height) decides; indirect signs against it don't flip the side.
    "lateral-direct-wins": {
        "hip-height": "My left hip is higher",
        "waist-crease": "Yes, deeper on my right side",
        "hip-drop": "Yes, when I stood on my right leg",
    },
    # No direct check found a side and the indirect signs disagree: the side is unclear.
    "lateral-unclear": {
        "hip-height": "I'm not sure",
        "waist-crease": "Yes, deeper on my left side",
        "hip-drop": "Yes, when I stood on my right leg",
    },
    "rotation-left": {
        "march-stop": "My left foot was ahead most times",
        "hip-forward": "Yes, my left one is further forward",
    },
    "rotation-right": {
        "march-stop": "My right foot was ahead most times",
        "hip-forward": "Yes, my right one is further forward",
    },
    "tie": {
        "thomas-thigh": "Yes, on both sides",
        "hip-height": "My right hip is higher",
        "waist-crease": "Yes, deeper on my right side",
    },
    # A normal variant and habits only: nothing to suggest.
    "weak-only": {
        "belt-line": "Lower at the front than at the back",
        "back-curve": "A deep arch, with my bottom sticking out",
        "long-sitting": "Yes",
        "one-sided-habits": "Yes",
        "pain-where": "More on one side, just above the hip",
    },
    "disagree": {
        "thomas-thigh": "Yes, on both sides",
        "belt-line": "Higher at the front than at the back",
    },
    "unsure": {UNSURE_EVERYWHERE: True},
    "none": {},
}


def shipped_questionnaire():
    """The shipped questionnaire as plain data, straight from its YAML file."""
    return read_yaml(QUESTIONNAIRE_YAML)


def pick(question_slug, choices, scenario):
    """The label to choose for a question in a scenario: the named one, else the first neutral answer."""
    wanted = SCENARIOS[scenario].get(question_slug)
    if wanted is not None:
        return wanted
    if SCENARIOS[scenario].get(UNSURE_EVERYWHERE):
        unsure = [choice["label"] for choice in choices if choice.get("finding") == "unsure"]
        if unsure:
            return unsure[0]
    return next(choice["label"] for choice in choices if not choice.get("weights"))


def asked_questions():
    """The active questionnaire's questions (not red flags), in order, with their choices."""
    from assessment.models import Questionnaire

    questionnaire = Questionnaire.objects.active().get()
    return [q for q in questionnaire.questions.prefetch_related("choices") if not q.is_red_flag]


def start_run(client):
    """Start a run and pass the warning-sign screen by ticking "none of these"."""
    from django.urls import reverse

    client.post(reverse("assessment:start"))
    response = client.post(reverse("assessment:warning-signs"), {"none": "on"})
    assert response.status_code == 302
    return response


def answer_all(client, scenario):
    """Answer every question as the scenario says; return the last response (a redirect to check)."""
    from django.urls import reverse

    response = None
    for number, question in enumerate(asked_questions(), start=1):
        choices = [{"label": c.label, "weights": c.weights, "finding": c.finding} for c in question.choices.all()]
        label = pick(question.slug, choices, scenario)
        choice = next(c for c in question.choices.all() if c.label == label)
        response = client.post(reverse("assessment:question", args=[number]), {"answer": choice.pk})
        assert response.status_code == 302, (number, response.content[:500])
    return response


def finish(client, scenario):
    """A whole run, from the start page to the saved result; returns the result page response."""
    from django.urls import reverse

    start_run(client)
    answer_all(client, scenario)
    response = client.post(reverse("assessment:check"))
    assert response.status_code == 302
    return client.get(response.url)


def text_of(response):
    """The visible text of a page's main content, with spaces collapsed."""
    html = response.content.decode()
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))
