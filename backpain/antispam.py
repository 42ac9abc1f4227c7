"""
Protection for public forms (contact, comments): who is posting, how fast, and how often.

- ``client_ip`` and ``visitor_hash`` (from ``visitors``): the visitor's address, read as the sign-in
  lockout reads it, and a keyed hash of it (HMAC with the secret key), so no raw IP is ever stored.
- ``FormTimestampField`` and ``HoneypotField`` catch bots: a form sent back faster than a person
  could fill it, an old or forged token, or a hidden field that only a bot fills in.
- How often: ``RateLimit.objects.hit`` (``backpain.models``), the one rate limiter for every form, kept
  in the database so it holds across gunicorn processes and instances.
- ``csrf``, a context processor: the CSRF token as a per-visitor value (``backpain.pagecache.personal``),
  so a cached page gives every visitor their own.
"""

import time

from django import forms
from django.core import signing
from django.middleware.csrf import get_token
from django.utils.functional import SimpleLazyObject

from . import pagecache
from .visitors import client_ip, visitor_hash  # noqa: F401  (part of this module's interface)

TIMESTAMP_SALT = "articles.antispam.form-timestamp"


class SpamSuspected(forms.ValidationError):
    """Raised by the anti-spam fields; views answer it exactly as they answer a real post."""


class HoneypotField(forms.CharField):
    """A text field people never see and bots fill in. Render it inside a ``hidden`` wrapper."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Leave this empty")
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1", "class": "form-control"})
        )
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value:
            raise SpamSuspected("Honeypot filled in.", code="spam")


def make_form_token(now=None):
    """Sign the time the form was shown."""
    return signing.TimestampSigner(salt=TIMESTAMP_SALT).sign_object({"t": now if now is not None else time.time()})


def _csrf_token(request, argument=""):
    return get_token(request)


pagecache.per_visitor("csrf", _csrf_token)
pagecache.per_visitor("form-time", lambda request, argument: make_form_token())


def csrf(request):
    """``csrf_token`` for templates, as Django's own context processor gives it, marked as per-visitor."""
    return {"csrf_token": SimpleLazyObject(lambda: pagecache.personal("csrf", _csrf_token(request)))}


class FormTimestampField(forms.CharField):
    """A hidden, signed "form shown at" time. Too fast or forged means a bot; too old asks the reader to resend.

    ``min_seconds``: nobody types a real message quicker. ``max_age``: an old token cannot be replayed forever.
    """

    widget = forms.HiddenInput

    def __init__(self, *, min_seconds=3, max_age=24 * 60 * 60, **kwargs):
        self.min_seconds = min_seconds
        self.max_age = max_age
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.initial = lambda: pagecache.personal("form-time", make_form_token())

    def bound_data(self, data, initial):
        # A re-rendered form (after an error) gets a fresh token, so the reader is not sent back forever.
        return initial

    def validate(self, value):
        super().validate(value)
        signer = signing.TimestampSigner(salt=TIMESTAMP_SALT)
        try:
            shown_at = signer.unsign_object(value or "", max_age=self.max_age)["t"]
        except signing.SignatureExpired:
            raise forms.ValidationError(
                "This form was open for too long. Please check your message and send it again.", code="expired"
            ) from None
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise SpamSuspected("Missing or forged form token.", code="spam") from None
        if not isinstance(shown_at, int | float):
            raise SpamSuspected("Malformed form token.", code="spam")
        age = time.time() - shown_at
        if age > self.max_age:
            raise forms.ValidationError(
                "This form was open for too long. Please check your message and send it again.", code="expired"
            )
        if age < self.min_seconds:
            raise SpamSuspected("Sent back too quickly.", code="too_fast")


def is_spam(form):
    """True when the bound form failed an anti-spam check: treat it as a bot, say thank you, keep nothing.

    A filled honeypot or a forged token is always spam. A form sent back too quickly is spam only when
    it is otherwise valid: a person who pressed "Send" at once on an empty form should see the errors.
    """
    codes = [error.code for errors in form.errors.as_data().values() for error in errors]
    return "spam" in codes or codes == ["too_fast"]


def hide_spam_errors(form):
    """Remove the anti-spam errors before a form is shown again: they mean nothing to a person."""
    for name, errors in list(form.errors.as_data().items()):
        if all(error.code in ("spam", "too_fast") for error in errors):
            del form.errors[name]
