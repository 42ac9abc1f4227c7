import re
import time

import pytest
import time_machine
from django import forms
from django.core import signing
from django.test import RequestFactory, override_settings

from articles.forms import CommentForm, target_key
from backpain import antispam
from tests.factories import ArticleFactory, MuscleFactory

pytestmark = pytest.mark.django_db


class TrapForm(antispam.SpamProtection, forms.Form):
    spam_max_age = 3600


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
    form = TrapForm({"website": "", "started": TrapForm.make_token(now=time.time() - 10)})
    assert form.is_valid() and not form.is_spam and form.spam_reason == ""


@pytest.mark.parametrize(
    "data",
    [
        {"website": "http://spam.example", "started": "valid"},
        {"website": "", "started": "forged-token"},
        {"website": "", "started": ""},
        {"website": ""},
        {"website": "http://spam.example", "started": "now"},
        {"website": "http://spam.example", "started": "expired"},
    ],
)
def test_bots_are_recognised_as_spam(data):
    """A filled honeypot (even on a form sent back at once, or too late) or a forged or missing token is spam."""
    tokens = {"valid": time.time() - 10, "now": time.time(), "expired": time.time() - 7200}
    if data.get("started") in tokens:
        data["started"] = TrapForm.make_token(now=tokens[data["started"]])
    form = TrapForm(data)
    form.is_valid()
    assert form.is_spam and form.errors == {}  # never an error a person would see


def test_an_expired_token_asks_the_reader_to_send_again_and_is_not_spam():
    form = TrapForm({"website": "", "started": TrapForm.make_token(now=time.time() - 7200)})
    assert not form.is_valid() and not form.is_spam
    assert form.non_field_errors() == [TrapForm.spam_expired_message]


def test_a_re_rendered_form_gets_a_fresh_token():
    old = TrapForm.make_token(now=time.time() - 7200)
    form = TrapForm({"website": "", "started": old})
    assert form["started"].value() != old


def test_a_form_sent_back_within_seconds_is_told_to_wait_and_send_again_not_taken_for_spam():
    """Someone who pastes a message and presses Send at once is told to wait and resend: never a fake thank-you
    while their words are dropped. With other mistakes, those alone are shown: they are what to fix first."""

    class MessageForm(TrapForm):
        message = forms.CharField()

    too_fast = TrapForm.spam_too_fast_message.format(seconds=3)
    form = MessageForm({"website": "", "started": TrapForm.make_token(), "message": ""})
    assert not form.is_valid() and not form.is_spam
    assert list(form.errors) == ["message"]
    fast_but_complete = MessageForm({"website": "", "started": TrapForm.make_token(), "message": "Hi"})
    assert not fast_but_complete.is_valid() and not fast_but_complete.is_spam
    assert fast_but_complete.errors == {"__all__": [too_fast]}
    assert "Wait a few seconds, then send it again" in too_fast


def test_a_new_form_using_the_mixin_gets_the_honeypot_and_a_fresh_token():
    """Listing the mixin is all a form needs: both fields render, and the token is signed with its salt."""

    class NewsletterForm(antispam.SpamProtection, forms.Form):
        spam_salt = "tests.newsletter"
        email = forms.EmailField()

    html = NewsletterForm().as_div()
    assert 'name="website"' in html and 'autocomplete="off"' in html and 'tabindex="-1"' in html
    token = re.search(r'<input type="hidden" name="started" value="([^"]+)"', html)[1]
    check = {"min_seconds": 0, "max_age": 60}
    assert antispam.check_form_token(token, salt="tests.newsletter", **check) == antispam.OK
    assert antispam.check_form_token(token, salt=antispam.TIMESTAMP_SALT, **check) == antispam.BAD
    too_fast = NewsletterForm({"email": "sam@example.com", "website": "", "started": token})
    assert not too_fast.is_valid() and not too_fast.is_spam
    with time_machine.travel(time.time() + 10):
        form = NewsletterForm({"email": "sam@example.com", "website": "", "started": token})
        assert form.is_valid() and not form.is_spam


def test_a_honeypot_with_anything_in_it_even_spaces_is_spam():
    form = TrapForm({"website": " ", "started": TrapForm.make_token(now=time.time() - 10)})
    assert form.is_valid() and form.is_spam and form.spam_reason == "honeypot filled"


def test_a_comment_token_from_one_page_is_refused_on_another():
    article, other_article, muscle = ArticleFactory(), ArticleFactory(), MuscleFactory()
    token = CommentForm.make_token(target_key(article), now=time.time() - 60)
    check = {"salt": CommentForm.spam_salt, "min_seconds": 3, "max_age": 7200}
    assert antispam.check_form_token(token, scope=target_key(article), **check) == antispam.OK
    for elsewhere in (other_article, muscle):
        assert antispam.check_form_token(token, scope=target_key(elsewhere), **check) == antispam.BAD
    assert antispam.check_form_token(token, **check) == antispam.BAD  # nor on a form bound to no page
    data = {"name": "Sam", "body": "It helped.", "website": "", "started": token}
    form = CommentForm(data, target=other_article)
    assert form.is_valid() and form.is_spam and form.spam_reason == "form token bad"


def test_a_contact_token_is_refused_by_the_comment_form_and_the_other_way_round():
    article = ArticleFactory()
    contact = antispam.make_form_token(antispam.TIMESTAMP_SALT, now=time.time() - 60)
    comment = CommentForm.make_token(target_key(article), now=time.time() - 60)
    check = {"min_seconds": 3, "max_age": 7200}
    assert antispam.check_form_token(contact, salt=CommentForm.spam_salt, scope=target_key(article), **check) == "bad"
    assert antispam.check_form_token(comment, salt=antispam.TIMESTAMP_SALT, **check) == antispam.BAD


def old_comment_token(target, seconds_ago):
    """A token as the comment form signed it before the mixin: the page's key alone, timed by the signer."""
    with time_machine.travel(time.time() - seconds_ago):
        return signing.TimestampSigner(salt="backpain.articles.comment-form").sign(target_key(target))


def test_a_comment_token_in_a_page_served_before_the_change_still_works(settings):
    """A reader who opened the page before the deploy and posts after it is not taken for a bot."""
    article = ArticleFactory()
    data = {"name": "Sam", "body": "It helped.", "website": ""}
    form = CommentForm({**data, "started": old_comment_token(article, 60)}, target=article)
    assert form.is_valid() and not form.is_spam
    too_fast = CommentForm({**data, "started": old_comment_token(article, 0)}, target=article)
    assert not too_fast.is_valid() and "Wait a few seconds" in too_fast.non_field_errors()[0]
    elsewhere = CommentForm({**data, "started": old_comment_token(article, 60)}, target=ArticleFactory())
    assert elsewhere.is_valid() and elsewhere.spam_reason == "form token bad"
    expired = CommentForm(
        {**data, "started": old_comment_token(article, settings.COMMENT_FORM_MAX_AGE + 60)}, target=article
    )
    assert not expired.is_valid() and "open for more than 2 hours" in expired.non_field_errors()[0]


def test_a_contact_token_in_a_page_served_before_the_change_still_works():
    """The contact form's tokens have kept their salt and format."""
    old = signing.TimestampSigner(salt="articles.antispam.form-timestamp").sign_object({"t": time.time() - 30})
    check = {"salt": antispam.TIMESTAMP_SALT, "min_seconds": 3, "max_age": 86400}
    assert antispam.check_form_token(old, **check) == antispam.OK
