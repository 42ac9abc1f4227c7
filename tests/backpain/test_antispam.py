import time

import pytest
from django import forms
from django.test import RequestFactory, override_settings

from backpain import antispam

pytestmark = pytest.mark.django_db


class TrapForm(forms.Form):
    website = antispam.HoneypotField()
    started = antispam.FormTimestampField(min_seconds=3, max_age=3600)


def request_from(ip, forwarded=""):
    return RequestFactory().get("/", REMOTE_ADDR=ip, HTTP_X_FORWARDED_FOR=forwarded)


def test_visitor_hash_is_stable_keyed_and_never_the_address():
    """The same address gives the same hash, different addresses differ, and the address is not in it."""
    first = antispam.visitor_hash(request_from("203.0.113.7"))
    assert first == antispam.visitor_hash(request_from("203.0.113.7"))
    assert first != antispam.visitor_hash(request_from("203.0.113.8"))
    assert "203.0.113.7" not in first and len(first) == 64
    with override_settings(SECRET_KEY="another-secret-key-" * 4):
        assert antispam.visitor_hash(request_from("203.0.113.7")) != first


def test_forwarded_for_is_ignored_without_trusted_proxies():
    """A visitor cannot dodge the limit by sending their own X-Forwarded-For header."""
    assert antispam.client_ip(request_from("198.51.100.1", "1.2.3.4")) == "198.51.100.1"


@override_settings(TRUSTED_PROXY_IPS={"10.0.0.1"})
def test_behind_one_proxy_the_address_it_saw_is_used():
    assert antispam.client_ip(request_from("10.0.0.1", "6.6.6.6, 203.0.113.9")) == "203.0.113.9"


def test_a_form_filled_at_human_speed_passes():
    form = TrapForm({"website": "", "started": antispam.make_form_token(time.time() - 10)})
    assert form.is_valid() and not antispam.is_spam(form)


@pytest.mark.parametrize(
    "data",
    [
        {"website": "http://spam.example", "started": "valid"},
        {"website": "", "started": "forged-token"},
        {"website": "", "started": ""},
        {"website": ""},
        {"website": "", "started": "now"},
    ],
)
def test_bots_are_recognised_as_spam(data):
    """A filled honeypot, a forged or missing token, or a form sent back within seconds is spam."""
    if data.get("started") == "valid":
        data["started"] = antispam.make_form_token(time.time() - 10)
    elif data.get("started") == "now":
        data["started"] = antispam.make_form_token()
    form = TrapForm(data)
    assert not form.is_valid() and antispam.is_spam(form)


def test_an_expired_token_asks_the_reader_to_send_again_and_is_not_spam():
    form = TrapForm({"website": "", "started": antispam.make_form_token(time.time() - 7200)})
    assert not form.is_valid() and not antispam.is_spam(form)
    assert "open for too long" in str(form.errors)


def test_a_re_rendered_form_gets_a_fresh_token():
    old = antispam.make_form_token(time.time() - 7200)
    form = TrapForm({"website": "", "started": old})
    assert form["started"].value() != old


def test_a_fast_form_with_other_mistakes_shows_the_mistakes():
    """Someone who presses Send at once on a half-filled form sees what to fix, not a fake thank-you."""

    class MessageForm(TrapForm):
        message = forms.CharField()

    form = MessageForm({"website": "", "started": antispam.make_form_token(), "message": ""})
    assert not form.is_valid() and not antispam.is_spam(form)
    fast_but_complete = MessageForm({"website": "", "started": antispam.make_form_token(), "message": "Hi"})
    assert not fast_but_complete.is_valid() and antispam.is_spam(fast_but_complete)
