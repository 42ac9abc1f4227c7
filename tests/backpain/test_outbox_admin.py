"""The mail outbox in the admin, as an editor without superuser rights uses it: what failed, and "send again"."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from backpain.models import OutgoingEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
OUTBOX = "admin:backpain_outgoingemail_changelist"


def failed_email(**fields):
    values = {
        "kind": "Contact message",
        "subject": "[Back Pain Advisor] A typo",
        "body": "The second step says knee twice.",
        "to": ["editors@example.com"],
        "status": OutgoingEmail.Status.FAILED,
        "attempts": 6,
        "last_error": "SMTPRecipientsRefused: 550 No such mailbox here",
        **fields,
    }
    return OutgoingEmail.objects.create(**values)


def test_an_editor_is_told_on_the_front_page_and_sees_what_failed_and_why(editor_client, editor):
    assert not editor.is_superuser
    email = failed_email()
    index = editor_client.get(reverse("admin:index")).content.decode()
    assert "1 email could not be sent" in index
    assert f"{reverse(OUTBOX)}?status__exact=failed" in index
    listing = editor_client.get(reverse(OUTBOX), {"status__exact": "failed"}).content.decode()
    assert "[Back Pain Advisor] A typo" in listing and "Failed after 6 tries" in listing
    assert "editors@example.com" in listing
    detail = editor_client.get(reverse("admin:backpain_outgoingemail_change", args=[email.pk])).content.decode()
    assert "550 No such mailbox here" in detail and "The second step says knee twice." in detail


def test_the_front_page_says_nothing_when_no_email_failed(editor_client):
    failed_email(status=OutgoingEmail.Status.SENT)
    assert "could not be sent" not in editor_client.get(reverse("admin:index")).content.decode()


def test_an_editor_sends_a_failed_email_again_and_a_sent_one_is_left_alone(
    editor_client, django_capture_on_commit_callbacks
):
    email = failed_email()
    sent = failed_email(subject="Already sent", status=OutgoingEmail.Status.SENT)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse(OUTBOX), {"action": "send_again", "_selected_action": [email.pk, sent.pk]}, follow=True
        )
    page = response.content.decode()
    assert "Queued 1 email(s) to be sent again." in page
    assert "1 selected email(s) were left alone: they are sent, or still being tried." in page
    assert [message.subject for message in mail.outbox] == ["[Back Pain Advisor] A typo"]
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.SENT, 1)


def test_nobody_writes_or_edits_an_email_in_the_admin(editor_client):
    email = failed_email()
    assert editor_client.get(reverse("admin:backpain_outgoingemail_add")).status_code == 403
    change = reverse("admin:backpain_outgoingemail_change", args=[email.pk])
    editor_client.post(change, {"subject": "Changed", "to": '["attacker@example.com"]'})
    email.refresh_from_db()
    assert email.subject == "[Back Pain Advisor] A typo" and email.to == ["editors@example.com"]


def test_staff_without_the_permission_can_neither_see_nor_send_again(client):
    email = failed_email()
    staff = UserFactory(username="helper", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse(OUTBOX)).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_outgoingemail"))
    assert "send_again" not in client.get(reverse(OUTBOX)).content.decode()
    response = client.post(reverse(OUTBOX), {"action": "send_again", "_selected_action": [email.pk]})
    assert response.status_code in (200, 400)  # the list again (it offers them no action), or refused
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED


def test_readers_are_sent_to_sign_in(client):
    response = client.get(reverse(OUTBOX))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(
    "data",
    [
        {"action": "send_again", "_selected_action": "abc"},
        {"action": "send_again", "_selected_action": "9" * 40},
        {"action": "send_again", "_selected_action": "-1"},
        {"action": "send_again", "_selected_action": "1\x00"},
        {"action": "send_again", "_selected_action": ["1", "1 OR 1=1"]},
        {"action": "delete_selected", "_selected_action": "abc", "post": "yes"},
        {"action": "no_such_action", "_selected_action": "1"},
        {"action": "<script>alert(1)</script>", "_selected_action": "1"},
    ],
)
def test_a_forged_action_form_gets_400_and_changes_nothing(editor_client, data):
    email = failed_email()
    response = editor_client.post(reverse(OUTBOX), data)
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in response.content.decode()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.FAILED, 6)
    assert OutgoingEmail.objects.count() == 1


def test_an_id_that_is_no_email_is_no_error(editor_client):
    for path in ("abc/change/", "99999999999999999999/change/", "0/history/"):
        response = editor_client.get(reverse(OUTBOX) + path)
        assert response.status_code in (302, 404), path


def test_a_contact_message_shows_what_became_of_its_email(editor_client, django_capture_on_commit_callbacks):
    from articles.models import ContactMessage
    from articles.views.feedback import email_contact_message

    message = ContactMessage.objects.create(name="Sam", email="sam@example.com", subject="Hi", message="Hello")
    with django_capture_on_commit_callbacks(execute=True):
        email_contact_message(message)
    email = message.emails.get()
    page = editor_client.get(reverse("admin:articles_contactmessage_change", args=[message.pk])).content.decode()
    assert reverse("admin:backpain_outgoingemail_change", args=[email.pk]) in page and ">Sent</a>" in page
    listing = editor_client.get(reverse("admin:articles_contactmessage_changelist")).content.decode()
    assert 'alt="True"' in listing
