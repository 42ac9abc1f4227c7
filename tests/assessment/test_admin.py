"""The self-check in the admin: pages load for editors, clone, make active, summary, CSV, staff preview."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from assessment.admin import AssessmentAdmin
from assessment.models import Assessment, Choice, Question, Questionnaire
from tests.factories import UserFactory, make_editor
from tests.harness.editing import edit_marker

from .admin_forms import question_form
from .factories import AssessmentFactory

pytestmark = pytest.mark.usefixtures("selfcheck_content")


@pytest.mark.parametrize("model", ["questionnaire", "question", "imbalance", "selftest", "assessment"])
def test_admin_lists_load_for_editors(editor_client, model):
    response = editor_client.get(reverse(f"admin:assessment_{model}_changelist"))
    assert response.status_code == 200


def test_question_change_page_has_weight_boxes(editor_client):
    question = Question.objects.get(slug="belt-line")
    response = editor_client.get(reverse("admin:assessment_question_change", args=[question.pk]))
    assert response.status_code == 200
    assert "weight_anterior_pelvic_tilt" in response.content.decode()


def change_url(question):
    return reverse("admin:assessment_question_change", args=[question.pk])


def draft_question(slug):
    """The question ``slug`` of a draft of the live version (a published version's questions are read-only)."""
    return Questionnaire.objects.active().get().start_draft().questions.get(slug=slug)


def test_saving_weights_through_the_inline(editor_client):
    question = draft_question("belt-line")
    choices, data = question_form(question, {0: 2, 2: 1}, {0: "positive", 2: "weak"})
    data["choices-0-weight_posterior_pelvic_tilt"] = 1
    response = editor_client.post(change_url(question), {**data, **edit_marker(editor_client, change_url(question))})
    assert response.status_code == 302, re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode())
    assert Choice.objects.get(pk=choices[0].pk).weights == {"anterior-pelvic-tilt": 2, "posterior-pelvic-tilt": 1}
    assert Choice.objects.get(pk=choices[0].pk).finding == "positive"
    assert Choice.objects.get(pk=choices[2].pk).weights == {"anterior-pelvic-tilt": 1}


def test_points_need_a_finding_and_context_questions_take_none(editor_client):
    """An answer with points must say it is a positive or weak sign; pain and habits can't be given points."""
    question = draft_question("belt-line")
    choices, data = question_form(question, {2: 2}, {2: "normal"})
    response = editor_client.post(change_url(question), {**data, **edit_marker(editor_client, change_url(question))})
    assert response.status_code == 200
    assert "An answer with points is a positive or a weak sign." in response.content.decode()
    assert Choice.objects.get(pk=choices[2].pk).weights == {}

    habits = question.questionnaire.questions.get(slug="long-sitting")
    choices, data = question_form(habits, {0: 2}, {0: "positive"})
    response = editor_client.post(change_url(habits), {**data, **edit_marker(editor_client, change_url(habits))})
    assert response.status_code == 200
    assert "This is a context question: its answers are never scored." in response.content.decode()
    assert Choice.objects.get(pk=choices[0].pk).weights == {}


def test_start_draft_makes_a_deep_copy_readers_do_not_see(editor_client):
    original = Questionnaire.objects.active().get()
    response = editor_client.post(
        reverse("admin:assessment_questionnaire_changelist"),
        {"action": "start_draft", "_selected_action": [original.pk]},
    )
    assert response.status_code == 302
    copy = Questionnaire.objects.get(version=original.version + 1)
    assert copy.is_draft and not copy.is_active
    assert copy.questions.count() == original.questions.count()
    assert (
        Choice.objects.filter(question__questionnaire=copy).count()
        == Choice.objects.filter(question__questionnaire=original).count()
    )
    # editing the copy leaves the original alone
    copy.questions.filter(slug="belt-line").update(text="Changed")
    assert original.questions.get(slug="belt-line").text != "Changed"
    # one draft at a time: a second one is refused, saying why
    response = editor_client.post(
        reverse("admin:assessment_questionnaire_changelist"),
        {"action": "start_draft", "_selected_action": [original.pk]},
        follow=True,
    )
    assert f"Draft version {copy.version} already exists" in response.content.decode()
    assert Questionnaire.objects.drafts().count() == 1


def test_publish_action_asks_to_confirm_then_switches_versions(editor_client):
    original = Questionnaire.objects.active().get()
    newer = Questionnaire.objects.create(version=50, title="Newer")
    response = editor_client.post(
        reverse("admin:assessment_questionnaire_changelist"),
        {"action": "publish", "_selected_action": [newer.pk]},
    )
    confirm = reverse("admin:assessment_questionnaire_publish", args=[newer.pk])
    assert response.status_code == 302 and response["Location"] == confirm
    page = editor_client.get(confirm)
    assert "Publish version 50?" in page.content.decode()
    assert Questionnaire.objects.active().get() == original  # nothing changes until the editor confirms
    editor_client.post(confirm)
    assert Questionnaire.objects.active().get() == newer
    newer.refresh_from_db()
    original.refresh_from_db()
    assert newer.published_at is not None
    assert not original.is_active and original.status == "Retired"


def test_staff_preview_shows_an_inactive_questionnaire(editor_client, client):
    draft = Questionnaire.objects.create(version=60, title="Draft version")
    Question.objects.create(questionnaire=draft, slug="new", text="A brand new question?")
    url = reverse("assessment:preview", args=[draft.pk])
    response = editor_client.get(url)
    assert response.status_code == 200
    assert "A brand new question?" in response.content.decode()
    assert "Readers cannot see this version" in response.content.decode()
    client.logout()
    assert client.get(url).status_code == 302  # to the admin login


def test_results_summary_and_csv(editor_client):
    AssessmentFactory(outcome=Assessment.Outcome.LATERAL, side="right")
    AssessmentFactory(outcome=Assessment.Outcome.LATERAL, side="left")
    AssessmentFactory(outcome=Assessment.Outcome.NONE)
    changelist = editor_client.get(reverse("admin:assessment_assessment_changelist") + "?outcome=lateral-pelvic-tilt")
    assert changelist.status_code == 200
    assert "2 saved results" in changelist.content.decode()
    summary = editor_client.get(reverse("admin:assessment_summary"))
    assert summary.status_code == 200
    html = summary.content.decode()
    assert "3 saved results in all" in html
    assert "<td>Lateral pelvic tilt</td><td>Right</td><td>1</td>" in html
    response = editor_client.post(
        reverse("admin:assessment_assessment_changelist"),
        {"action": "export_csv", "_selected_action": list(Assessment.objects.values_list("pk", flat=True))},
    )
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert lines[0].startswith("created_at,questionnaire_version,outcome,side,anterior-pelvic-tilt")
    assert len(lines) == 4
    assert all(token not in response.content.decode() for token in Assessment.objects.values_list("token", flat=True))


def test_result_admin_hides_token_and_answers(editor_client):
    item = AssessmentFactory()
    response = editor_client.get(reverse("admin:assessment_assessment_change", args=[item.pk]))
    assert response.status_code == 200
    assert item.token not in response.content.decode()


def test_editors_get_content_permissions_but_not_users():
    codenames = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert {"add_question", "change_choice", "delete_selftest", "view_imbalance"} <= codenames
    assert {"view_assessment", "delete_assessment"} <= codenames
    assert "change_assessment" not in codenames
    assert not any(code.endswith("_user") or code.endswith("_group") for code in codenames)


def test_change_pages_load_for_editors(editor_client):
    from assessment.models import Imbalance, SelfTest

    questionnaire = Questionnaire.objects.active().get()
    urls = [
        reverse("admin:assessment_questionnaire_change", args=[questionnaire.pk]),
        reverse("admin:assessment_imbalance_change", args=[Imbalance.objects.first().pk]),
        reverse("admin:assessment_selftest_change", args=[SelfTest.objects.first().pk]),
        reverse("admin:assessment_selftest_add"),
        reverse("admin:assessment_question_add"),
    ]
    for url in urls:
        assert editor_client.get(url).status_code == 200, url


# Saved results are the readers' own ----------------------------------------------------------------------------


def staff_client(client, *codenames):
    """A client signed in as staff with only the given assessment permissions."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="assessment", codename__in=codenames))
    client.force_login(user)
    return client


def view_on_site_url(item):
    content_type = ContentType.objects.get_for_model(Assessment)
    return reverse("admin:view_on_site", args=[content_type.pk, item.pk])


@pytest.mark.parametrize("who", ["no permissions", "editor", "superuser"])
def test_no_staff_account_is_redirected_to_a_readers_result(client, who):
    """The admin's /r/<type>/<id>/ shortcut finds no page for a saved result, for anyone: 404, no redirect."""
    item = AssessmentFactory()
    if who == "superuser":
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
    elif who == "editor":
        client.force_login(make_editor())
    else:
        staff_client(client)
    response = client.get(view_on_site_url(item))
    assert response.status_code == 404
    assert item.token not in response.content.decode()


def test_editors_see_answers_and_scores_but_never_the_token_or_a_link_to_the_result(editor_client):
    item = AssessmentFactory(scores={"anterior-pelvic-tilt": 5, "pelvic-rotation": 2})
    page = editor_client.get(reverse("admin:assessment_assessment_change", args=[item.pk])).content.decode()
    assert "<th scope='row'>Belt line?</th><td>Lower at the front</td>" in page
    assert "<th scope='row'>Anterior pelvic tilt</th><td>5</td>" in page
    assert "<th scope='row'>Pelvic rotation</th><td>2</td>" in page
    assert item.token not in page
    assert "View on site" not in page and "/assessment/result/" not in page
    changelist = editor_client.get(reverse("admin:assessment_assessment_changelist")).content.decode()
    assert item.token not in changelist and "/assessment/result/" not in changelist
    assert "Saved results" in editor_client.get(reverse("admin:index")).content.decode()


def test_answers_are_shown_escaped():
    item = AssessmentFactory.build(answers=[{"question": "<b>Q</b>", "answer": "<script>x</script>"}], scores={})
    html = str(AssessmentAdmin(Assessment, admin.site).answer_table(item))
    assert "&lt;b&gt;Q&lt;/b&gt;" in html and "&lt;script&gt;" in html and "<script>" not in html


@pytest.mark.parametrize("codenames", [[], ["change_assessment"], ["delete_assessment"]])
def test_staff_without_the_view_permission_see_nothing_of_results(client, codenames):
    item = AssessmentFactory()
    staff = staff_client(client, *codenames)
    urls = [
        reverse("admin:assessment_assessment_changelist"),
        reverse("admin:assessment_assessment_change", args=[item.pk]),
        reverse("admin:assessment_assessment_delete", args=[item.pk]),
        reverse("admin:assessment_assessment_history", args=[item.pk]),
        reverse("admin:assessment_summary"),
    ]
    for url in urls:
        response = staff.get(url)
        assert response.status_code in (403, 404), url
        assert item.get_outcome_display() not in response.content.decode(), url
    export = staff.post(
        reverse("admin:assessment_assessment_changelist"), {"action": "export_csv", "_selected_action": [item.pk]}
    )
    assert export.status_code == 403
    assert "Saved results" not in staff.get(reverse("admin:index")).content.decode()
