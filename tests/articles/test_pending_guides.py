"""Muscle and stretch pages take changes saved for later too: readers keep the published page until an editor
publishes them, by hand or at a time they chose; the preview shows the unsaved form.

As in ``test_pending_changes.py``, the editor (not a superuser) uses the real change form: it is read from the page
and sent back with the changes typed in and the button pressed.
"""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from articles.models import Muscle, PendingChange, Stretch
from tests.articles.conftest import run_worker
from tests.articles.test_pending_changes import dict_of, in_two_hours, typed
from tests.assessment.factories import SelfTestFactory
from tests.factories import CommentFactory, MuscleFactory, StretchFactory
from tests.harness.clients import post_form

pytestmark = pytest.mark.django_db

OLD_WHY = "Long hours of sitting."
NEW_WHY = "Sitting with the knees higher than the hips for hours."
OLD_FEEL = "A mild pull."
NEW_FEEL = "A gentle stretch along the inner thigh, never pain."


@pytest.fixture
def muscle():
    return MuscleFactory(name="Adductors", slug="adductors", why_it_tightens=f"- {OLD_WHY}")


@pytest.fixture
def stretch(muscle):
    return StretchFactory(muscle=muscle, name="Lying butterfly", slug="lying-butterfly", what_you_should_feel=OLD_FEEL)


def admin_url(obj, view="change"):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk])


def the_form(client, obj):
    page = client.get(admin_url(obj))
    assert page.status_code == 200
    return post_form(page.content.decode(), admin_url(obj))


def press(client, obj, button, **changes):
    return client.post(admin_url(obj), dict_of(the_form(client, obj).with_values(**changes, **{button: "1"})))


def reader(obj):
    return Client().get(obj.get_absolute_url()).content.decode()  # a reader: no session, from the page cache


def test_a_muscle_page_keeps_its_published_text_until_the_changes_are_published(editor_client, muscle):
    assert OLD_WHY in reader(muscle)  # now in the page cache
    response = press(editor_client, muscle, "_save_for_later", why_it_tightens=f"- {NEW_WHY}")
    assert response.status_code == 302, response.content.decode()[:2000]
    html = editor_client.get(response["Location"]).content.decode()
    assert "Your changes are saved for later: readers still see the published version." in html
    assert NEW_WHY in html and 'name="_publish_changes"' in html and 'name="_save"' not in html
    assert OLD_WHY in reader(muscle) and NEW_WHY not in reader(muscle)
    muscle.refresh_from_db()
    assert OLD_WHY in muscle.why_it_tightens_html

    response = press(editor_client, muscle, "_publish_changes")
    assert response.status_code == 302
    assert "Published your changes: readers see them now." in editor_client.get(response["Location"]).content.decode()
    assert NEW_WHY in reader(muscle) and OLD_WHY not in reader(muscle)
    assert not PendingChange.objects.exists()
    assert muscle.history.first().history_change_reason == "Published changes saved for later"


def test_a_muscle_preview_shows_the_unsaved_form_without_comments(editor_client, muscle, stretch):
    CommentFactory(article=None, muscle=muscle, body="My adductors felt looser after a week.")
    form = the_form(editor_client, muscle).with_values(why_it_tightens=f"- {NEW_WHY}", summary="Typed, not saved.")
    response = editor_client.post(admin_url(muscle, "preview"), dict_of(form))
    assert response.status_code == 200
    html = response.content.decode()
    assert NEW_WHY in html and "Typed, not saved." in html and stretch.name in html
    assert "nothing is saved, and readers see the published version" in html
    assert '<meta name="robots" content="noindex">' in html and response["X-Robots-Tag"].startswith("noindex")
    assert "My adductors felt looser" not in html and 'id="comments"' not in html
    muscle.refresh_from_db()
    assert OLD_WHY in muscle.why_it_tightens and not PendingChange.objects.exists()
    assert "My adductors felt looser" in reader(muscle)


def test_a_stretch_page_keeps_its_published_text_and_previews_the_form(editor_client, stretch):
    assert OLD_FEEL in reader(stretch)
    assert 'name="_save_for_later"' in editor_client.get(admin_url(stretch)).content.decode()
    form = the_form(editor_client, stretch).with_values(what_you_should_feel=NEW_FEEL, hold_seconds="45")
    shown = editor_client.post(admin_url(stretch, "preview"), dict_of(form))
    assert shown.status_code == 200
    html = shown.content.decode()
    assert NEW_FEEL in html and "45 seconds" in html and "nothing is saved" in html
    assert '<meta name="robots" content="noindex">' in html and "Was this page helpful?" not in html

    response = editor_client.post(admin_url(stretch), dict_of(form + [("_save_for_later", "1")]))
    assert response.status_code == 302
    page = reader(stretch)
    assert OLD_FEEL in page and NEW_FEEL not in page and "45 seconds" not in page
    stretch.refresh_from_db()
    assert stretch.hold_seconds == 30

    press(editor_client, stretch, "_publish_changes")
    page = reader(stretch)
    assert NEW_FEEL in page and "45 seconds" in page


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"hold_seconds": "-5"}, "Ensure this value is greater than or equal to"),
        ({"hold_seconds": "thirty"}, "Enter a whole number."),
        ({"name": ""}, "This field is required."),
        ({"muscle": "999999"}, "Select a valid choice"),
    ],
)
def test_hostile_stretch_changes_are_refused_in_preview_and_when_saved_for_later(
    editor_client, stretch, changes, message
):
    form = the_form(editor_client, stretch).with_values(**changes)
    shown = editor_client.post(admin_url(stretch, "preview"), dict_of(form))
    assert shown.status_code == 400 and message in shown.content.decode()
    saved = editor_client.post(admin_url(stretch), dict_of(form + [("_save_for_later", "1")]))
    assert saved.status_code == 200 and message in saved.content.decode()
    assert not PendingChange.objects.exists()
    assert Stretch.objects.get(pk=stretch.pk).hold_seconds == 30 and OLD_FEEL in reader(stretch)


@pytest.mark.django_db(transaction=True)
def test_a_stretch_change_scheduled_for_later_is_published_by_the_worker(database_queue, editor_client, stretch):
    at = in_two_hours()
    response = press(
        editor_client, stretch, "_save_for_later", what_you_should_feel=NEW_FEEL, pending_publish_at=typed(at)
    )
    assert response.status_code == 302
    assert "They will be published on" in editor_client.get(response["Location"]).content.decode()
    run_worker()  # not yet
    assert OLD_FEEL in reader(stretch)
    with time_machine.travel(at + datetime.timedelta(seconds=5)):
        run_worker()
        page = reader(stretch)
    assert NEW_FEEL in page and OLD_FEEL not in page and not PendingChange.objects.exists()
    stretch.refresh_from_db()
    assert NEW_FEEL in stretch.what_you_should_feel_html  # rendered by the save, as an editor's save does


def test_muscle_changes_are_not_lost_to_a_stale_form(editor_client, muscle):
    stale = the_form(editor_client, muscle)
    press(editor_client, muscle, "_save_for_later", why_it_tightens=f"- {NEW_WHY}")
    response = editor_client.post(
        admin_url(muscle), dict_of(stale.with_values(summary="Someone else's edit.", _save_for_later="1"))
    )
    assert response.status_code == 200
    assert (
        "saved changes for later on" in response.content.decode() and "so nothing was done" in response.content.decode()
    )
    assert PendingChange.objects.get().data["why_it_tightens"] == f"- {NEW_WHY}"
    assert Muscle.objects.get(pk=muscle.pk).summary == muscle.summary


def test_a_self_test_page_keeps_its_published_steps_until_the_changes_are_published(editor_client):
    test = SelfTestFactory(title="One-leg stand", slug="one-leg-stand", steps="1. Stand near a wall.")
    assert "Stand near a wall." in reader(test)
    form = the_form(editor_client, test).with_values(steps="1. Stand beside a kitchen worktop.")
    shown = editor_client.post(admin_url(test, "preview"), dict_of(form))
    assert shown.status_code == 200
    assert "kitchen worktop" in shown.content.decode() and "nothing is saved" in shown.content.decode()
    assert '<meta name="robots" content="noindex">' in shown.content.decode()

    assert editor_client.post(admin_url(test), dict_of(form + [("_save_for_later", "1")])).status_code == 302
    assert "Stand near a wall." in reader(test) and "kitchen worktop" not in reader(test)
    assert test.history.first().history_change_reason == "Saved changes for later"
    press(editor_client, test, "_publish_changes")
    assert "kitchen worktop" in reader(test) and "Stand near a wall." not in reader(test)
    history = editor_client.get(admin_url(test, "history")).content.decode()
    assert "Published changes saved for later" in history and "kitchen worktop" in history
