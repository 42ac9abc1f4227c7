"""
Protection for public forms (contact, comments): who is posting, how fast, and how often.

- ``client_ip`` and ``visitor_hash`` (from ``visitors``): the visitor's address, read as the sign-in
  lockout reads it, and a keyed hash of it (HMAC with the secret key), so no raw IP is ever stored.
- ``SpamProtection``, the one mixin every public form uses against bots: a hidden honeypot field
  (``website``) and a signed "form shown at" token (``started``), optionally bound to one page, that
  catches a honeypot that only a bot fills in, a forged or missing token, an old one, and a form sent
  back faster than a person could fill it. The first two are flagged as spam (``spam_reason``,
  ``is_spam``) rather than raised as errors, so a view can answer a bot exactly as it answers a person.
  The last two are errors the reader sees, with their text kept: a person who pastes a message and
  presses "Send" at once is told to wait a few seconds, never thanked while their words are dropped.
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

TIMESTAMP_SALT = "articles.antispam.form-timestamp"  # the contact form's salt since it was written
PLACEHOLDER_KIND = "form-token"  # the per-visitor placeholder (backpain.pagecache) every form token goes through

OK, TOO_FAST, EXPIRED, BAD = "ok", "too-fast", "expired", "bad"


def make_form_token(salt, scope="", *, now=None, key=None):
    """Sign the time a form is shown (``now``, default the present), for the form signing with ``salt``.

    ``scope`` binds the token to one page (a comment target, "article:12"): it is refused anywhere else.
    ``key`` signs with another secret key than this process's (a test that posts to a server it started).
    """
    payload = {"t": time.time() if now is None else now}
    if scope:
        payload["s"] = scope
    return signing.TimestampSigner(key=key, salt=salt).sign_object(payload)


def check_form_token(token, *, salt, scope="", min_seconds, max_age):
    """Return ``OK``, ``TOO_FAST`` (sent back before a person could have filled it in), ``EXPIRED`` or ``BAD``
    (missing, forged, malformed or made for another page)."""
    signer = signing.TimestampSigner(salt=salt)
    try:
        value = signer.unsign(token or "", max_age=max_age)
    except signing.SignatureExpired:
        return EXPIRED
    except signing.BadSignature:
        return BAD
    if scope and value == scope:
        # The comment form's tokens before 2 December 2026 signed only the page ("article:12"), timed by the
        # signer. Pages served before the deploy hold them for up to COMMENT_FORM_MAX_AGE (two hours): this
        # branch may go once this code has been live for longer than that.
        shown_at = signing.b62_decode(token.rsplit(signer.sep, 2)[1])
    else:
        try:
            payload = signer.unsign_object(token)
        except (signing.BadSignature, ValueError):  # a signed value that is not ours to read
            return BAD
        if not isinstance(payload, dict) or payload.get("s", "") != scope:
            return BAD
        shown_at = payload.get("t")
        if not isinstance(shown_at, int | float):
            return BAD
    age = time.time() - shown_at
    if age > max_age:
        return EXPIRED
    if min_seconds > 0 and age < min_seconds:
        return TOO_FAST
    return OK


def _fresh_token(request, argument):
    salt, _, scope = argument.partition("|")
    return make_form_token(salt, scope)


def _csrf_token(request, argument=""):
    return get_token(request)


pagecache.per_visitor("csrf", _csrf_token)
pagecache.per_visitor(PLACEHOLDER_KIND, _fresh_token)


def csrf(request):
    """``csrf_token`` for templates, as Django's own context processor gives it, marked as per-visitor."""
    return {"csrf_token": SimpleLazyObject(lambda: pagecache.personal("csrf", _csrf_token(request)))}


class HoneypotField(forms.CharField):
    """A text field people never see and bots fill in. Render it inside a hidden, ``aria-hidden`` wrapper.

    Whitespace is kept, since anything at all in it means a bot; a NUL byte is refused like in any field.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("strip", False)
        kwargs.setdefault("label", "Leave this field empty")
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1", "class": "form-control"})
        )
        super().__init__(**kwargs)


class FormTokenField(forms.CharField):
    """The hidden, signed "form shown at" token. It always renders a fresh one, so a form shown again after
    a mistake is not refused later for its age; what was sent is checked by ``SpamProtection``, never here."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def bound_data(self, data, initial):
        return initial

    def clean(self, value):
        return value


class SpamProtection:
    """Mixin for a public ``Form`` or ``ModelForm`` (list it first): a honeypot and a signed, timed token.

    It adds the fields ``website`` (``HoneypotField``) and ``started`` (``FormTokenField``); place both in
    the form's layout. Validating sets ``spam_reason`` ("honeypot filled", "form token bad") rather than
    an error, so the answer to a bot can be the answer to a person; see ``is_spam``. A token too old to
    use (``spam_expired_message``) or one sent back too soon (``spam_too_fast_message``) is an error of
    the whole form instead: the reader, whose text is kept, sends it again. "Too soon" is said only when
    nothing else is wrong: someone who pressed "Send" at once on an empty form needs to see what to fill
    in, and has taken long enough by the time they have. A honeypot filled in wins over both, so a bot is
    never told how to get past it.

    Per form, as class attributes (a property where the value is a setting): ``spam_salt`` (the signer's
    salt, without "|"; keep it once tokens are out, or readers' open pages stop working),
    ``spam_min_seconds``, ``spam_max_age`` (seconds), ``spam_expired_message`` (may name ``{hours}``),
    ``spam_too_fast_message`` (may name ``{seconds}``), and ``spam_scope``, the page a token is bound to
    ("" for none).
    """

    spam_salt = TIMESTAMP_SALT
    spam_min_seconds = 3  # nobody types a real message quicker
    spam_max_age = 24 * 60 * 60  # an old token cannot be replayed for ever
    spam_expired_message = "This form was open for too long. Please check your message and send it again."
    spam_too_fast_message = (
        "This was sent within {seconds} seconds of the page opening, which is how spam robots send forms, so "
        "it has not been sent. Wait a few seconds, then send it again: what you wrote is still below."
    )
    spam_scope = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.spam_reason = ""
        self._sent_too_soon = False
        self.fields["website"] = HoneypotField()
        self.fields["started"] = FormTokenField(initial=self._rendered_token)

    @classmethod
    def make_token(cls, scope="", *, now=None, key=None):
        """A token for this form (``make_form_token`` with the form's salt), as a page would carry it."""
        return make_form_token(cls.spam_salt, scope, now=now, key=key)

    def _rendered_token(self):
        scope = self.spam_scope
        return pagecache.personal(PLACEHOLDER_KIND, self.make_token(scope), f"{self.spam_salt}|{scope}")

    def clean(self):
        cleaned = super().clean()
        timing = check_form_token(
            self["started"].data,
            salt=self.spam_salt,
            scope=self.spam_scope,
            min_seconds=self.spam_min_seconds,
            max_age=self.spam_max_age,
        )
        if self["website"].data:
            self.spam_reason = "honeypot filled"
        elif timing == BAD:
            self.spam_reason = f"form token {timing}"
        elif timing == EXPIRED:
            message = self.spam_expired_message.format(hours=self.spam_max_age // 3600)
            self.add_error(None, forms.ValidationError(message, code="expired"))
        self._sent_too_soon = timing == TOO_FAST and not self.spam_reason
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # Last of all validation (a subclass's clean and a model's checks have run), so "too soon" can be
        # said only when nothing else is wrong.
        if self._sent_too_soon and not self._errors:
            message = self.spam_too_fast_message.format(seconds=self.spam_min_seconds)
            self.add_error(None, forms.ValidationError(message, code="too_fast"))

    @property
    def is_spam(self):
        """Whether to answer as if all went well, and keep nothing (validates the form if need be): a filled
        honeypot, or a token that is missing, forged or made for another page."""
        self.errors  # noqa: B018  (validates the form, which sets spam_reason)
        return bool(self.spam_reason)
