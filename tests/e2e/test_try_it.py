"""An editor in a real browser saves a change to a live question (which makes a draft), then tries the self-check
in the admin: the draft's column shows the change, the live column the scoring readers still get, and an empty
form says what to fix."""

import pytest
from playwright.sync_api import expect

from assessment.models import Questionnaire
from tests.assessment.scenarios import pick
from tests.factories import make_editor

from .conftest import assert_accessible

PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor_tab(page):
    make_editor("editor")
    page.goto("/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    return page


def answer(tab, version, scenario):
    """Tick each question's answer for ``scenario``, found by the version's own answer ids."""
    for question in version.questions.prefetch_related("choices"):
        if question.is_red_flag:
            continue
        choices = [{"label": c.label, "weights": c.weights, "finding": c.finding} for c in question.choices.all()]
        label = pick(question.slug, choices, scenario)
        choice = next(c for c in question.choices.all() if c.label == label)
        tab.locator(f"input[name='answer-{question.pk}'][value='{choice.pk}']").check()


def test_an_editor_tries_a_draft_change_beside_the_live_version(editor_tab):
    tab = editor_tab
    live = Questionnaire.objects.active().get()
    belt_line = live.questions.get(slug="belt-line")
    tab.goto(f"/admin/assessment/question/{belt_line.pk}/change/")
    expect(tab.get_by_role("heading", name=f"Version {live.version} is live")).to_be_visible()
    expect(tab.locator(".version-banner")).to_contain_text("Saving this form makes a draft")
    # "Lower at the front" becomes a clear sign worth 4 points for a forward tilt.
    tab.locator("#id_choices-0-finding").select_option("positive")
    tab.locator("#id_choices-0-weight_anterior_pelvic_tilt").fill("4")
    tab.get_by_role("button", name="Save", exact=True).first.click()
    expect(tab.locator(".messagelist")).to_contain_text(f"Saved in draft version {live.version + 1}")
    expect(tab.get_by_role("heading", name=f"Draft version {live.version + 1}: readers do not see it")).to_be_visible()

    tab.goto("/admin/")
    tab.get_by_role("link", name="Try the self-check").click()
    expect(tab.get_by_role("heading", name="Try the self-check")).to_be_visible()
    tab.get_by_role("button", name="Show what both versions give").click()
    expect(tab.get_by_role("alert")).to_contain_text("Choose an answer to question 1.")
    assert_accessible(tab)

    draft = Questionnaire.objects.draft()
    answer(tab, draft, "weak-only")
    tab.get_by_role("button", name="Show what both versions give").click()
    draft_column = tab.get_by_role("article", name=f"Draft: version {draft.version}")
    live_column = tab.get_by_role("article", name=f"Live: version {live.version}", exact=False)
    expect(draft_column).to_contain_text("Outcome: Anterior pelvic tilt")
    expect(draft_column.get_by_role("row", name="Anterior pelvic tilt").get_by_role("cell").first).to_have_text("5")
    expect(live_column).to_contain_text("Outcome: No pattern found")
    expect(live_column.get_by_role("row", name="Anterior pelvic tilt").get_by_role("cell").first).to_have_text("3")
    assert_accessible(tab)
    assert Questionnaire.objects.active().get() == live  # trying publishes nothing
