import time

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils.html import escape

from articles import views
from articles.forms import ContactForm
from articles.models import ContactMessage, SitePage
from backpain.models import OutgoingEmail
from tests.harness.pages import summary_links, summary_of
from tests.harness.payloads import XSS_PAYLOADS

pytestmark = pytest.mark.django_db


class BrokenBackend(BaseEmailBackend):
    """An email backend whose server is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")


def contact_data(**overrides):
    data = {
        "name": "Sam Reader",
        "email": "sam@example.com",
        "subject": "A typo in the hamstrings page",
        "message": "The second step says 'knee' twice.",
        "website": "",
        "started": ContactForm.make_token(now=time.time() - 30),
    }
    data.update(overrides)
    return data


@pytest.fixture
def post(client):
    def send(ip="203.0.113.10", **overrides):
        return client.post(reverse("articles:contact"), contact_data(**overrides), REMOTE_ADDR=ip)

    return send


def test_contact_page_shows_the_editable_text_above_the_form(client, site_content):
    page = client.get(reverse("articles:contact")).content.decode()
    assert "We cannot give personal medical advice" in page
    assert page.index("We cannot give personal medical advice") < page.index('name="message"')
    assert 'class="form-trap" aria-hidden="true" hidden' in page.replace("  ", " ")
    assert "style=" not in page.split("<main")[1]


def test_a_message_is_stored_emailed_to_editors_and_the_reader_thanked(
    post, client, django_capture_on_commit_callbacks
):
    """Stored, emailed after commit with Reply-To the reader, then a redirect to the thank-you page."""
    with django_capture_on_commit_callbacks(execute=True):
        response = post()
    assert response.status_code == 302 and response["Location"] == reverse("articles:contact-thanks")
    message = ContactMessage.objects.get()
    assert message.subject == "A typo in the hamstrings page" and not message.handled
    assert message.emails.get().status == OutgoingEmail.Status.SENT
    (email,) = mail.outbox
    assert email.to == ["editors@localhost"]
    assert email.reply_to == ["sam@example.com"]
    assert "A typo in the hamstrings page" in email.subject
    assert "knee" in email.body
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you for your message" in thanks


@override_settings(EMAIL_BACKEND="tests.articles.test_contact.BrokenBackend")
def test_a_mail_failure_loses_nothing_and_still_thanks_the_reader(post, django_capture_on_commit_callbacks, caplog):
    """The message and its email are both kept; the email waits for its next try, with the server's answer."""
    with django_capture_on_commit_callbacks(execute=True):
        response = post()
    assert response.status_code == 302
    email = ContactMessage.objects.get().emails.get()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.QUEUED, 1)
    assert email.last_error == "ConnectionRefusedError: SMTP server unreachable"
    assert "try 1, failed" in caplog.text


@pytest.mark.parametrize(
    "field, value",
    [
        ("name", "Eve\r\nBcc: victim@example.com"),
        ("name", "Eve\nBcc: victim@example.com"),
        ("subject", "Hello\r\nBcc: victim@example.com"),
        ("subject", "Hello\rBcc: victim@example.com"),
        ("subject", "Hello\u2028Bcc: victim@example.com"),
        ("email", "eve@example.com\r\nBcc: victim@example.com"),
        ("email", "eve@example.com\nBcc: victim@example.com"),
        ("email", "eve@example.com>, victim@example.com"),
    ],
)
def test_header_injection_attempts_are_rejected(post, field, value, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(**{field: value})
    assert response.status_code == 400
    assert not ContactMessage.objects.exists() and not mail.outbox
    assert "There is a problem" in response.content.decode()


def test_a_stored_subject_with_line_breaks_never_becomes_a_header():
    """Even if a line break reached the database, the email keeps it out of its headers."""
    message = ContactMessage.objects.create(
        name="Eve\r\nBcc: victim@example.com",
        email="eve@example.com",
        subject="Hi\r\nBcc: victim@example.com",
        message="Body",
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        views.email_contact_message(message)
    (email,) = mail.outbox
    headers = email.message().as_string().split("\n\n", 1)[0]
    assert "\nBcc:" not in headers and email.bcc == []
    assert email.recipients() == ["editors@localhost"]


@pytest.mark.parametrize(
    "overrides, error",
    [
        ({"name": ""}, '<a href="#id_name">Enter your name</a>'),
        ({"name": "Sam\nBcc: x"}, '<a href="#id_name">Enter your name on one line</a>'),
        ({"email": ""}, '<a href="#id_email">Enter your email address, so that we can reply</a>'),
        ({"email": "not-an-email"}, "Enter an email address in the right form, like name@example.com"),
        ({"subject": ""}, '<a href="#id_subject">Enter a subject</a>'),
        ({"subject": "s" * 151}, "Shorten the subject to 150 characters or fewer"),
        ({"message": ""}, '<a href="#id_message">Enter your message</a>'),
        ({"message": "x" * 100_000}, "Shorten your message to 5,000 characters or fewer (it has 100000)"),
        ({"message": "hello\x00world"}, "Null characters are not allowed"),
        ({"started": ContactForm.make_token(now=time.time() - 3 * 86400)}, '<a href="#id_message">This form was open'),
    ],
)
def test_bad_input_re_renders_with_an_error_summary_and_400(post, overrides, error):
    """Each mistake is listed in the summary at the top of the content, linked to its field, saying what to do."""
    response = post(**overrides)
    page = response.content.decode()
    assert response.status_code == 400
    assert error in summary_of(page)
    assert page.count("<h1") == 1 and "<title>Error:" in page
    assert "This field is required" not in page
    assert not ContactMessage.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"website": "https://cheap-pills.example"},
        {"website": "https://cheap-pills.example", "started": "fresh"},
        {"started": "forged"},
        {"started": ""},
    ],
)
def test_spam_gets_the_same_answer_as_a_real_message_and_is_not_stored(post, overrides):
    """A filled honeypot (even on a form sent back at once), or a forged or missing token: thanked, nothing kept."""
    if overrides.get("started") == "fresh":
        overrides = {**overrides, "started": ContactForm.make_token()}
    response = post(**overrides)
    assert response.status_code == 302 and response["Location"] == reverse("articles:contact-thanks")
    assert not ContactMessage.objects.exists() and not mail.outbox


def test_a_message_sent_within_seconds_is_told_to_wait_and_send_again_keeping_its_text(post):
    """Not thanked while dropped: the form comes back (400) saying to wait and send again, the words kept."""
    response = post(message="Pasted in <one> go & sent.", started=ContactForm.make_token())
    assert response.status_code == 400
    page = response.content.decode()
    ((message, href),) = summary_links(page)
    assert href == "#id_message"
    assert message.startswith("Your message came back within 3 seconds of the page opening")
    assert message.endswith("Wait a few seconds, then send it again: your message is still below.")
    assert "Pasted in &lt;one&gt; go &amp; sent.</textarea>" in page
    assert 'value="Sam Reader"' in page
    assert not ContactMessage.objects.exists() and not mail.outbox


def test_the_rate_limit_stops_a_flood_from_one_visitor_only(post):
    """Five messages an hour from one visitor; the sixth is refused (429) and not stored; others still get through."""
    for _ in range(views.CONTACT_LIMIT):
        assert post(ip="198.51.100.5").status_code == 302
    response = post(ip="198.51.100.5")
    assert response.status_code == 429
    assert "try again later" in response.content.decode()
    assert ContactMessage.objects.count() == views.CONTACT_LIMIT
    assert post(ip="198.51.100.6").status_code == 302


def test_no_raw_ip_address_is_stored_anywhere(post):
    from backpain.models import RateLimit

    post(ip="192.0.2.123")
    stored = list(ContactMessage.objects.values_list()) + list(RateLimit.objects.values_list())
    assert "192.0.2.123" not in repr(stored)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_input_is_shown_back_escaped(post, editor_client, payload):
    """Every payload comes back as text: in the re-rendered form and in the admin."""
    response = post(name=payload[:100], subject=payload[:150].replace("\n", " "), message=payload, email="bad")
    main = response.content.decode().split("<main")[1]
    assert response.status_code == 400
    assert escape(payload) in main
    if "<" in payload:
        assert payload not in main
    message = ContactMessage.objects.create(name=payload[:100], email="x@example.com", subject="s", message=payload)
    admin_page = editor_client.get(reverse("admin:articles_contactmessage_change", args=[message.pk])).content.decode()
    assert escape(payload) in admin_page
    if "<" in payload:
        assert payload not in admin_page


def test_editors_filter_and_mark_messages_handled(editor_client):
    first = ContactMessage.objects.create(name="A", email="a@example.com", subject="First", message="One")
    ContactMessage.objects.create(name="B", email="b@example.com", subject="Second", message="Two", handled=True)
    changelist = reverse("admin:articles_contactmessage_changelist")
    unhandled = editor_client.get(changelist, {"handled__exact": "0"}).content.decode()
    assert "First" in unhandled and "Second" not in unhandled
    response = editor_client.post(changelist, {"action": "mark_handled", "_selected_action": [first.pk]})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.handled and first.handled_at is not None


def test_contact_page_works_without_its_site_page(client):
    """If an editor deletes the contact text, the form still works."""
    SitePage.objects.filter(slug="contact").delete()
    response = client.get(reverse("articles:contact"))
    assert response.status_code == 200 and "Send us a message" in response.content.decode()


def test_pressing_send_at_once_on_an_empty_form_shows_the_errors_not_a_fake_thank_you(post):
    response = post(name="", email="", subject="", message="", started=ContactForm.make_token())
    summary = summary_of(response.content.decode())
    assert response.status_code == 400
    for message in ("Enter your name", "Enter your email address", "Enter a subject", "Enter your message"):
        assert message in summary
    assert not ContactMessage.objects.exists()


def test_hidden_characters_are_removed_before_editors_see_a_message(post):
    """A direction override or a control character could disguise text in the inbox; they are dropped."""
    hidden = {"name": "Sam\u202e  Reader", "subject": "Hello\u0007 there"}
    assert post(**hidden, message="Line one\u0000").status_code == 400  # a NUL byte is refused outright
    response = post(**hidden, message="  Line one\u202e\r\nLine two ")
    assert response.status_code == 302
    stored = ContactMessage.objects.get()
    assert (stored.name, stored.subject, stored.message) == ("Sam Reader", "Hello there", "Line one\nLine two")


@pytest.mark.parametrize("hidden", ["\u202e\u0007 \t", "\u200b\ufeff\u2060", "\u3164 \u2800"])
def test_a_message_of_only_hidden_characters_is_refused_as_empty(post, hidden):
    response = post(message=hidden)
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not ContactMessage.objects.exists()
