"""Versions of the self-check as an editor (not a superuser) and readers meet them: an editor's change to the live
version goes into a draft, readers keep the live wording and scoring until the editor publishes, a reader part-way
through keeps their version, and every result says which version scored it."""

import re

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from assessment.models import Assessment, Choice, Question, Questionnaire
from tests.factories import UserFactory
from tests.harness.editing import edit_marker

from .admin_forms import question_form
from .scenarios import finish, start_run, text_of

pytestmark = pytest.mark.usefixtures("selfcheck_content")

NEW_WORDING = "In a mirror, side-on: where is the front of your belt line?"


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def change_in_draft(editor_client, question):
    """Press "Change it in a draft" on the live version's page, for ``question``; return the draft's question."""
    page = editor_client.get(reverse("admin:assessment_questionnaire_change", args=[question.questionnaire_id]))
    assert page.status_code == 200
    assert f"Version {question.questionnaire.version} is live" in page.content.decode()
    existing = Questionnaire.objects.draft()
    button = f"Open draft version {existing.version}" if existing else "Change it in a draft"
    assert button in page.content.decode()
    url = reverse("admin:assessment_questionnaire_draft", args=[question.questionnaire_id])
    response = editor_client.post(url, {"question": question.slug})
    assert response.status_code == 302
    draft = Questionnaire.objects.draft()
    assert draft is not None and draft.version == question.questionnaire.version + 1
    moved = draft.questions.get(slug=question.slug)
    assert response["Location"] == reverse("admin:assessment_question_change", args=[moved.pk])
    return moved


def reword_and_make_positive(editor_client, question):
    """Save the draft question with new wording, its first answer ("lower at the front") a clear sign worth 4."""
    url = reverse("admin:assessment_question_change", args=[question.pk])
    _, data = question_form(question, {0: 4}, {0: "positive"})
    data["text"] = NEW_WORDING
    response = editor_client.post(url, {**data, **edit_marker(editor_client, url)})
    assert response.status_code == 302, re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode())


def publish(editor_client, draft):
    url = reverse("admin:assessment_questionnaire_publish", args=[draft.pk])
    confirm = editor_client.get(url)
    assert f"Publish version {draft.version}?" in confirm.content.decode()
    assert f"Reworded: “{Question.objects.get(questionnaire__is_active=True, slug='belt-line').text}”" in (
        confirm.content.decode()
    )
    response = editor_client.post(url)
    assert response.status_code == 302


def question_page_text(client, slug, questionnaire=None):
    """The reader's page of question ``slug`` in their run, reached by giving neutral answers to the ones before."""
    version = questionnaire or Questionnaire.objects.active().get()
    asked = [q for q in version.questions.prefetch_related("choices") if not q.is_red_flag]
    answered = len(client.session.get("selfcheck", {}).get("answers", {}))
    for number, question in enumerate(asked, start=1):
        if question.slug == slug:
            page = client.get(reverse("assessment:question", args=[number]))
            assert page.status_code == 200
            return text_of(page)
        if number > answered:
            neutral = next(c for c in question.choices.all() if not c.weights)
            assert client.post(reverse("assessment:question", args=[number]), {"answer": neutral.pk}).status_code == 302
    raise AssertionError(f"no question {slug}")


def test_a_change_to_the_live_version_waits_for_publish(editor, editor_client):
    """The editor rewords a live question and changes a weight on its own page: saving makes a draft that takes the
    change, readers see the old wording and scoring until the editor publishes, then new runs use the new, and each
    result names the version that scored it."""
    assert not editor.is_superuser
    live = Questionnaire.objects.active().get()
    question = live.questions.get(slug="belt-line")
    old_wording = question.text
    url = reverse("admin:assessment_question_change", args=[question.pk])
    page = editor_client.get(url)
    assert "Saving this form makes a draft" in page.content.decode()
    _, data = question_form(question, {0: 4}, {0: "positive"})
    data["text"] = NEW_WORDING
    response = editor_client.post(url, {**data, **edit_marker(editor_client, url)})
    draft = Questionnaire.objects.draft()
    assert draft is not None and draft.version == live.version + 1
    draft_question = draft.questions.get(slug="belt-line")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:assessment_question_change", args=[draft_question.pk])
    assert any(f"Saved in draft version {draft.version}" in m for m in messages_of(response))
    assert draft_question.text == NEW_WORDING
    assert Choice.objects.get(question=draft_question, order=0).weights == {"anterior-pelvic-tilt": 4}
    assert draft.questions.count() == live.questions.count()

    # The live version is untouched, and readers see it.
    question.refresh_from_db()
    assert question.text == old_wording
    assert Choice.objects.get(question=question, order=0).weights == {"anterior-pelvic-tilt": 2}
    reader = Client()
    start_run(reader)
    page = question_page_text(reader, "belt-line")
    assert old_wording in page and NEW_WORDING not in page
    before = finish(Client(), "weak-only")  # a normal variant only: no pattern under the live scoring
    assert "did not fit any of the four patterns" in text_of(before)
    assert f"scored with self-check version {live.version}, published" in text_of(before)
    old_result = Assessment.objects.get()

    publish(editor_client, draft_question.questionnaire)

    draft = Questionnaire.objects.get(pk=draft_question.questionnaire_id)
    assert draft.is_active and not Questionnaire.objects.get(pk=live.pk).is_active
    reader = Client()
    start_run(reader)
    assert NEW_WORDING in question_page_text(reader, "belt-line")
    after = finish(Client(), "weak-only")
    assert "Anterior pelvic tilt" in text_of(after)
    assert f"scored with self-check version {draft.version}, published" in text_of(after)
    # The earlier result keeps its own version and outcome.
    old_result.refresh_from_db()
    assert old_result.questionnaire_id == live.pk and old_result.outcome == Assessment.Outcome.NONE
    reader_of_old = Client()
    session = reader_of_old.session
    session["selfcheck_results"] = [old_result.token]
    session.save()
    page = text_of(reader_of_old.get(reverse("assessment:result", args=[old_result.token])))
    assert f"scored with self-check version {live.version}, published" in page


def test_a_reader_part_way_through_keeps_the_version_they_started(editor_client):
    live = Questionnaire.objects.active().get()
    old_wording = live.questions.get(slug="belt-line").text
    reader = Client()
    start_run(reader)
    asked = [q for q in live.questions.prefetch_related("choices") if not q.is_red_flag]
    for number, question in enumerate(asked[:2], start=1):  # two answers, then the editor publishes
        reader.post(reverse("assessment:question", args=[number]), {"answer": question.choices.all()[0].pk})
    draft_question = change_in_draft(editor_client, live.questions.get(slug="belt-line"))
    reword_and_make_positive(editor_client, draft_question)
    publish(editor_client, draft_question.questionnaire)

    page = question_page_text(reader, "belt-line", live)
    assert old_wording in page and NEW_WORDING not in page
    for number, question in enumerate(asked, start=1):
        if str(question.pk) not in reader.session["selfcheck"]["answers"]:
            neutral = next(c for c in question.choices.all() if not c.weights)
            assert reader.post(reverse("assessment:question", args=[number]), {"answer": neutral.pk}).status_code == 302
    response = reader.post(reverse("assessment:check"))
    assert response.status_code == 302
    assert Assessment.objects.get().questionnaire == live


def test_saves_to_the_live_version_are_refused_with_a_message_once_a_draft_exists(editor_client):
    live = Questionnaire.objects.active().get()
    question = live.questions.get(slug="belt-line")
    # The version's own page never saves its questions in place.
    version_url = reverse("admin:assessment_questionnaire_change", args=[live.pk])
    posted = {"version": live.version, "title": live.title, "questions-0-id": question.pk, "questions-0-text": "X"}
    response = editor_client.post(version_url, posted)
    assert any(f"Not saved: version {live.version} is live" in m for m in messages_of(response))
    assert Question.objects.get(pk=question.pk).text != "X"
    assert Questionnaire.objects.drafts().count() == 0  # refusing makes no draft

    url = reverse("admin:assessment_question_change", args=[question.pk])
    _, data = question_form(question, {0: 5}, {0: "positive"})
    data["text"] = "Changed in place?"
    marker = edit_marker(editor_client, url)
    draft = live.start_draft()  # meanwhile, another editor's change made a draft
    response = editor_client.post(url, {**data, **marker})
    assert response.status_code == 302 and response["Location"] == url
    assert any(
        f"your changes go into draft version {draft.version}, which already holds" in m for m in messages_of(response)
    )
    for version in (live, draft):
        kept = version.questions.get(slug="belt-line")
        assert kept.text != "Changed in place?"
        assert Choice.objects.get(question=kept, order=0).weights == {"anterior-pelvic-tilt": 2}
    page = editor_client.get(url).content.decode()
    assert f"Open this question in draft version {draft.version}" in page and 'name="_save"' not in page
    delete = reverse("admin:assessment_question_delete", args=[question.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403


def test_a_live_save_with_answer_ids_from_elsewhere_is_a_form_error(editor_client):
    """Answer rows of another question (or made up) in a live question's form: a form error, nothing changes live."""
    live = Questionnaire.objects.active().get()
    question = live.questions.get(slug="belt-line")
    url = reverse("admin:assessment_question_change", args=[question.pk])
    _, data = question_form(question, {}, {})
    other = live.questions.get(slug="hip-height").choices.first()
    data["choices-0-id"] = other.pk
    data["choices-1-id"] = "9" * 40
    response = editor_client.post(url, {**data, **edit_marker(editor_client, url)})
    assert response.status_code == 200
    assert "Not saved yet" in " ".join(messages_of(response))
    assert Choice.objects.get(pk=other.pk).question == live.questions.get(slug="hip-height")
    assert live.questions.get(slug="belt-line").choices.count() == 4


def test_a_second_change_goes_into_the_same_draft(editor_client):
    live = Questionnaire.objects.active().get()
    first = change_in_draft(editor_client, live.questions.get(slug="belt-line"))
    page = editor_client.get(
        reverse("admin:assessment_question_change", args=[live.questions.get(slug="hip-height").pk])
    )
    assert f"Open this question in draft version {first.questionnaire.version}" in page.content.decode()
    again = change_in_draft(editor_client, live.questions.get(slug="hip-height"))
    assert again.questionnaire_id == first.questionnaire_id
    assert Questionnaire.objects.drafts().count() == 1


def test_the_draft_copies_every_question_answer_weight_and_self_test(editor_client):
    live = Questionnaire.objects.active().get()
    draft = change_in_draft(editor_client, live.questions.get(slug="belt-line")).questionnaire

    def shape(version):
        return [
            (q.slug, q.order, q.kind, q.text, q.help_text, q.urgency, q.role, q.side_evidence, q.self_test_id,
             [(c.order, c.label, c.weights, c.side_vote, c.finding) for c in q.choices.all()])
            for q in version.questions.prefetch_related("choices")
        ]  # fmt: skip

    assert shape(draft) == shape(live)
    assert any(row[8] for row in shape(draft))  # the self-test pages came along


def test_publishing_needs_the_publish_permission_which_editors_have(editor, client):
    assert editor.has_perm("assessment.publish_questionnaire")
    draft = Questionnaire.objects.active().get().start_draft()
    staff = UserFactory(username="changer", is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_questionnaire", "change_questionnaire"]))
    client.force_login(staff)
    assert client.post(reverse("admin:assessment_questionnaire_publish", args=[draft.pk])).status_code == 403
    assert Questionnaire.objects.get(pk=draft.pk).is_draft


def test_the_admin_shows_the_version_a_result_was_scored_with(editor_client):
    finish(Client(), "anterior")
    result = Assessment.objects.get()
    page = editor_client.get(reverse("admin:assessment_assessment_change", args=[result.pk])).content.decode()
    version = result.questionnaire
    assert re.search(rf"Self-check version {version.version}</a>, published \d+ \w+ \d{{4}}", page)


def test_the_migration_marks_taken_versions_published_and_links_results():
    """Versions readers took become published; a never-taken one stays a draft; lost links come back by number."""
    migration = __import__("assessment.migrations.0011_questionnaire_versions", fromlist=["mark_published"])
    live = Questionnaire.objects.active().get()
    retired = Questionnaire.objects.create(version=90, title="Old")
    unused = Questionnaire.objects.create(version=91, title="Never taken")
    Questionnaire.objects.filter(pk=live.pk).update(published_at=None)
    scored = Assessment.objects.create(questionnaire=retired, questionnaire_version=90, outcome="none")
    orphan = Assessment.objects.create(questionnaire=None, questionnaire_version=live.version, outcome="none")
    migration.mark_published(apps, None)
    assert Questionnaire.objects.get(pk=live.pk).published_at is not None
    assert Questionnaire.objects.get(pk=retired.pk).status == "Retired"
    assert Questionnaire.objects.get(pk=unused.pk).is_draft
    assert Assessment.objects.get(pk=orphan.pk).questionnaire_id == live.pk
    assert Assessment.objects.get(pk=scored.pk).questionnaire_id == retired.pk


def test_loading_shipped_content_never_fills_or_publishes_an_editors_version_of_the_same_number():
    """An editor's draft that took the number of a later shipped version is left alone, and stays a draft."""
    import io

    from django.core.management import call_command

    from .scenarios import shipped_questionnaire

    Questionnaire.objects.filter(version=shipped_questionnaire()["version"]).delete()
    mine = Questionnaire.objects.create(version=shipped_questionnaire()["version"], title="My draft")
    out = io.StringIO()
    call_command("load_selfcheck_content", stdout=out)
    mine.refresh_from_db()
    assert mine.is_draft and not mine.is_active and mine.questions.count() == 0
    assert f"Kept questionnaire version {mine.version}: it is a draft" in out.getvalue()


def test_a_second_draft_cannot_be_added(editor_client):
    draft = Questionnaire.objects.active().get().start_draft()
    response = editor_client.post(
        reverse("admin:assessment_questionnaire_add"),
        {"version": 99, "title": "Another", "notes": "", "questions-TOTAL_FORMS": 0, "questions-INITIAL_FORMS": 0},
    )
    assert response.status_code == 200
    assert f"Draft version {draft.version} already exists" in response.content.decode()
    assert not Questionnaire.objects.filter(version=99).exists()
