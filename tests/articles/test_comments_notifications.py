"""Emails about comments: editors hear of each new one, readers of a reply they asked for; a failing
mail server never costs anyone their comment."""

import logging

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import TestCase
from django.urls import reverse

from articles.models import Comment
from backpain.models import OutgoingEmail
from tests.articles.comments_support import post_comment
from tests.factories import ArticleFactory, CommentFactory
from tests.harness.editing import edit_marker

pytestmark = pytest.mark.django_db
FAILING_BACKEND = "tests.articles.test_comments_notifications.BrokenMailServer"


class BrokenMailServer(BaseEmailBackend):
    """An email backend whose server is always down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server is down")


@pytest.fixture
def article():
    return ArticleFactory(title="Tight hamstrings")


def test_editors_are_emailed_a_link_to_each_new_comment(client, article, settings, django_capture_on_commit_callbacks):
    settings.EDITORS_EMAILS = ["ed@example.com", "jo@example.com"]
    settings.SITE_URL = "https://backpain.example/"
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, article, name="Sam", body="Helpful, thanks.")
    comment = Comment.objects.get()
    (message,) = mail.outbox
    assert message.to == ["ed@example.com", "jo@example.com"]
    assert message.subject == "New comment on Tight hamstrings"
    assert "Helpful, thanks." in message.body
    # The address comes from SITE_URL (its trailing slash dropped), written out here, not read back from it.
    assert f"https://backpain.example{reverse('admin:articles_comment_change', args=[comment.pk])}" in message.body


def test_a_priority_comment_is_marked_in_the_subject(client, article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, article, body="I have a fever and chills with this back pain")
    assert mail.outbox[0].subject.startswith("[Priority] ")
    assert "Priority review: Mentions fever with back pain" in mail.outbox[0].body


def test_the_email_waits_for_the_commit(client, article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_comment(client, article)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_spam_and_mistakes_send_no_email(client, article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, article, website="spam")
        post_comment(client, article, body="")
    assert mail.outbox == []


def test_a_broken_mail_server_never_breaks_the_post(
    client, article, settings, caplog, django_capture_on_commit_callbacks
):
    """The comment is kept, and so is its email, waiting in the outbox for its next try."""
    settings.EMAIL_BACKEND = FAILING_BACKEND
    with (
        caplog.at_level(logging.WARNING, logger="backpain.mail"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = post_comment(client, article)
    assert response.status_code == 303
    email = Comment.objects.get().emails.get()
    assert (email.kind, email.status, email.attempts) == ("New comment", OutgoingEmail.Status.QUEUED, 1)
    assert "mail server is down" in email.last_error and "try 1, failed" in caplog.text


def test_a_failing_reply_email_never_breaks_the_editors_save(editor_client, settings, caplog):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    comment = CommentFactory(email="sam@example.com", notify_on_reply=True)
    with caplog.at_level(logging.WARNING, logger="backpain.mail"):
        response = save_reply(editor_client, comment, "Thanks for asking.")
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.reply == "Thanks for asking."
    email = comment.emails.get()
    assert (email.to, email.status) == (["sam@example.com"], OutgoingEmail.Status.QUEUED)
    assert "try 1, failed" in caplog.text


def save_reply(editor_client, comment, reply, status=Comment.Status.APPROVED):
    """Save the comment's change form in the admin with ``reply``, running what waits for the commit."""
    url = reverse("admin:articles_comment_change", args=[comment.pk])
    data = {"status": status, "priority_reason": comment.priority_reason, "reply": reply}
    if comment.needs_priority_review:
        data["needs_priority_review"] = "on"
    data.update(edit_marker(editor_client, url))
    with TestCase.captureOnCommitCallbacks(execute=True):
        return editor_client.post(url, data)


def test_a_reader_who_asked_is_emailed_the_editors_reply(editor_client, editor):
    comment = CommentFactory(name="Sam", email="sam@example.com", notify_on_reply=True, body="Is it safe daily?")
    assert save_reply(editor_client, comment, "Yes, once a day is fine.").status_code == 302
    (message,) = mail.outbox
    assert message.to == ["sam@example.com"]
    assert "Is it safe daily?" in message.body and "Yes, once a day is fine." in message.body
    assert f"{comment.article.get_absolute_url()}#comment-{comment.pk}" in message.body
    comment.refresh_from_db()
    assert comment.replied_by == editor and comment.replied_at is not None


def test_a_reader_who_did_not_ask_gets_no_email(editor_client):
    comment = CommentFactory(email="sam@example.com", notify_on_reply=False)
    save_reply(editor_client, comment, "Thanks!")
    assert mail.outbox == []


def test_editing_a_reply_does_not_email_again(editor_client):
    comment = CommentFactory(email="sam@example.com", notify_on_reply=True)
    save_reply(editor_client, comment, "First answer.")
    comment.refresh_from_db()
    save_reply(editor_client, comment, "First answer, corrected.")
    assert len(mail.outbox) == 1
