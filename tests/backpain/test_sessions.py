"""The site's session store (backpain/sessions.py): Django's database sessions, read in plain SQL."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from backpain.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_site_uses_it():
    assert settings.SESSION_ENGINE == "backpain.sessions"


def test_a_saved_session_reads_back_whole():
    store = SessionStore()
    store["opened"] = ["a-token", "another"]
    store["state"] = {"screen": "question", "answers": {"3": 12}}
    store.save()
    again = SessionStore(store.session_key)
    assert again["opened"] == ["a-token", "another"]
    assert again["state"] == {"screen": "question", "answers": {"3": 12}}
    assert again.session_key == store.session_key


def test_an_expired_session_reads_as_empty_and_gets_a_new_key_when_saved():
    store = SessionStore()
    store["opened"] = ["a-token"]
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.get("opened") is None
    expired["opened"] = ["new"]
    expired.save()
    assert expired.session_key != store.session_key


@pytest.mark.parametrize("key", ["x" * 32, "made-up-key-that-was-never-issued", "' OR '1'='1", "a" * 40])
def test_an_unknown_or_hostile_key_reads_as_empty(key):
    store = SessionStore()
    store["opened"] = ["a-token"]
    store.save()
    hostile = SessionStore(key)
    assert dict(hostile.items()) == {}
    assert Session.objects.filter(session_key=store.session_key).exists()


def test_a_browser_keeps_its_session_over_http(client):
    session = client.session
    session["opened"] = ["kept"]
    session.save()
    assert SessionStore(client.cookies[settings.SESSION_COOKIE_NAME].value)["opened"] == ["kept"]
