"""Editors hear of new comments, reports and contact messages as each chose: an email for each, a daily digest
(``manage.py email_editors_digest``), or none; the shared ``EDITORS_EMAILS`` always hear of each."""

import datetime
import io
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Comment, ContactMessage
from articles.notifications import email_editors_about
from articles.views.feedback import email_contact_message
from backpain.models import EditorMailSettings
from tests.factories import CommentFactory, UserFactory, make_editor

pytestmark = pytest.mark.django_db
START = timezone.make_aware(datetime.datetime(2026, 5, 4, 9, 0))


def editor_choosing(username, frequency=None):
    user = make_editor(username)
    user.email = f"{username}@example.com"
    user.save()
    if frequency:
        EditorMailSettings.objects.create(user=user, frequency=frequency)
    return user


def new_comment(capture, **fields):
    comment = CommentFactory(**fields)
    with capture(execute=True):
        email_editors_about(comment.pk)
    return comment


def new_message(capture, subject="A typo"):
    message = ContactMessage.objects.create(name="Sam", email="sam@example.com", subject=subject, message="Hello")
    with capture(execute=True):
        email_contact_message(message)
    return message


def test_each_editor_who_chose_each_is_told_with_the_shared_address_and_no_one_twice(
    settings, django_capture_on_commit_callbacks
):
    settings.EDITORS_EMAILS = ["team@example.com", "Ann@Example.com"]
    editor_choosing("ann")  # never chose: hears of each, and is already on the shared list
    editor_choosing("bo", EditorMailSettings.Frequency.EACH)
    editor_choosing("cy", EditorMailSettings.Frequency.DAILY)
    editor_choosing("di", EditorMailSettings.Frequency.NONE)
    UserFactory(username="reader", email="reader@example.com")  # not staff: never told
    new_comment(django_capture_on_commit_callbacks)
    (email,) = mail.outbox
    assert email.to == ["team@example.com", "Ann@Example.com", "bo@example.com"]


def test_an_editor_who_may_not_read_messages_is_not_sent_them(settings, django_capture_on_commit_callbacks):
    settings.EDITORS_EMAILS = []
    editor_choosing("ann")
    moderator = UserFactory(username="mod", email="mod@example.com", is_staff=True)
    moderator.user_permissions.add(*permissions("change_comment"))
    new_message(django_capture_on_commit_callbacks)
    new_comment(django_capture_on_commit_callbacks)
    assert [email.to for email in mail.outbox] == [["ann@example.com"], ["ann@example.com", "mod@example.com"]]


def permissions(*codenames):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename__in=codenames)


def test_nobody_to_tell_queues_nothing(settings, django_capture_on_commit_callbacks):
    settings.EDITORS_EMAILS = []
    editor_choosing("di", EditorMailSettings.Frequency.NONE)
    comment = new_comment(django_capture_on_commit_callbacks)
    assert mail.outbox == [] and not comment.emails.exists()


def digest(**kwargs):
    out = io.StringIO()
    call_command("email_editors_digest", stdout=out)
    return out.getvalue()


def test_the_daily_digest_lists_what_arrived_that_an_editor_may_see_once(settings, django_capture_on_commit_callbacks):
    settings.EDITORS_EMAILS = []
    settings.SITE_URL = "https://backpain.example"
    cy = editor_choosing("cy", EditorMailSettings.Frequency.DAILY)
    moderator = UserFactory(username="mod", email="mod@example.com", is_staff=True)
    moderator.user_permissions.add(*permissions("change_comment"))
    EditorMailSettings.objects.create(user=moderator, frequency=EditorMailSettings.Frequency.DAILY)
    with time_machine.travel(START, tick=False) as traveller:
        comment = new_comment(
            django_capture_on_commit_callbacks,
            name="Sam",
            body="Does this help sciatica?",
            status=Comment.Status.PENDING,
        )
        CommentFactory(status=Comment.Status.APPROVED)  # already decided: not news
        message = new_message(django_capture_on_commit_callbacks, subject="A typo on the hamstrings page")
        assert mail.outbox == []  # daily editors are not told of each
        traveller.shift(datetime.timedelta(hours=20))
        with django_capture_on_commit_callbacks(execute=True):
            out = digest()
        assert "Queued 2 daily digest(s) for 2 editor(s)" in out
        by_address = {email.to[0]: email for email in mail.outbox}
        full = by_address["cy@example.com"]
        assert full.subject == "[Back Pain Advisor] Daily digest: 2 new for editors"
        assert 'Sam on "' in full.body and "Does this help sciatica?" in full.body
        assert "Contact messages (1):" in full.body and 'Sam: "A typo on the hamstrings page"' in full.body
        assert f"https://backpain.example{reverse('admin:articles_comment_change', args=[comment.pk])}" in full.body
        assert reverse("admin:articles_contactmessage_change", args=[message.pk]) in full.body
        assert f"https://backpain.example{reverse('admin:email_settings')}" in full.body
        assert "Contact messages" not in by_address["mod@example.com"].body  # cannot read them

        mail.outbox.clear()
        traveller.shift(datetime.timedelta(hours=1))
        with django_capture_on_commit_callbacks(execute=True):
            assert "Queued 0 daily digest(s)" in digest()  # nothing new since the last one
        assert mail.outbox == []
    cy.mail_settings.refresh_from_db()
    assert cy.mail_settings.last_digest_at == START + datetime.timedelta(hours=21)


def test_the_digest_lists_comments_that_reports_took_off_the_page(settings, django_capture_on_commit_callbacks):
    from articles.models import CommentReport

    editor_choosing("cy", EditorMailSettings.Frequency.DAILY)
    with time_machine.travel(START, tick=False) as traveller:
        comment = CommentFactory(status=Comment.Status.APPROVED, created_at=START - datetime.timedelta(days=9))
        for number in range(settings.COMMENT_REPORTS_TO_HIDE):
            CommentReport.objects.create(comment=comment, visitor_hash=f"visitor-{number}")
            comment.record_report()
        traveller.shift(datetime.timedelta(hours=2))
        with django_capture_on_commit_callbacks(execute=True):
            digest()
    (email,) = mail.outbox
    assert "Comments hidden by readers' reports (1):" in email.body
    assert f"{settings.COMMENT_REPORTS_TO_HIDE} reports" in email.body


def test_an_editor_chooses_in_the_admin(editor_client, editor):
    url = reverse("admin:email_settings")
    page = editor_client.get(url).content.decode()
    assert "Your email notifications" in page
    assert re.search(r'<input type="radio" name="frequency" value="each"[^>]* checked>', page)
    response = editor_client.post(url, {"frequency": "daily"}, follow=True)
    assert "Saved: one email a day, listing them all." in response.content.decode()
    assert EditorMailSettings.objects.get(user=editor).frequency == "daily"
    assert reverse("admin:email_settings") in editor_client.get(reverse("admin:index")).content.decode()


@pytest.mark.parametrize("data", [{}, {"frequency": "hourly"}, {"frequency": "<script>x</script>"}, {"frequency": ""}])
def test_a_forged_choice_gets_400_and_changes_nothing(editor_client, editor, data):
    response = editor_client.post(reverse("admin:email_settings"), data)
    assert response.status_code == 400
    assert "Please choose one of the options below." in response.content.decode()
    assert "<script>x</script>" not in response.content.decode()
    assert not EditorMailSettings.objects.filter(user=editor).exists()


def test_readers_cannot_reach_the_settings(client):
    response = client.get(reverse("admin:email_settings"))
    assert response.status_code == 302 and "login" in response["Location"]
