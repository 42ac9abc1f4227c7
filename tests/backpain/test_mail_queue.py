"""The mail outbox on the real database queue (django-tasks-db) and its worker, ``manage.py db_worker``, in process.

An email waits in the database until the transaction that wrote it commits and a worker runs; a failed try is
tried again after each of ``MAIL_RETRY_DELAYS``, then marked failed and logged; "send again" queues it afresh.
"""

import datetime
import io
import logging

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from backpain import mail as outbox
from backpain.models import OutgoingEmail
from tests.factories import CommentFactory

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
pytestmark = pytest.mark.django_db(transaction=True)


class RefusingServer(BaseEmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("connection refused")


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.MAIL_RETRY_DELAYS = [60, 300]


def run_worker():
    """Run every task that is due, then stop, as ``db_worker --batch`` does."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--verbosity", "0", stdout=io.StringIO())


def queue_one(**overrides):
    fields = {"kind": "Test", "subject": "Hello", "body": "Body", "to": ["ed@example.com"], **overrides}
    return outbox.send_later(**fields)


def test_an_email_waits_in_the_database_until_its_transaction_commits_and_a_worker_runs():
    with transaction.atomic():
        email = queue_one(subject="Waiting")
        assert not DBTaskResult.objects.exists()  # nothing is queued before the commit
    task = DBTaskResult.objects.get()
    assert task.status == "READY" and task.args_kwargs["args"] == [email.pk]
    assert mail.outbox == []
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.QUEUED

    run_worker()
    (sent,) = mail.outbox
    assert (sent.subject, sent.to) == ("Waiting", ["ed@example.com"])
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT and email.sent_at is not None and email.attempts == 1


def test_a_rolled_back_transaction_queues_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_one()
        raise RuntimeError("the comment was not saved after all")
    assert not OutgoingEmail.objects.exists() and not DBTaskResult.objects.exists()


def test_failed_tries_back_off_then_end_failed_and_logged_and_send_again_delivers(settings, caplog):
    settings.EMAIL_BACKEND = "tests.backpain.test_mail_queue.RefusingServer"
    start = timezone.now()
    email = queue_one(subject="Refused")
    with time_machine.travel(start, tick=False):
        run_worker()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.QUEUED, 1)
    assert email.next_attempt_at == start + datetime.timedelta(seconds=60)
    assert email.last_error == "ConnectionRefusedError: connection refused"

    with time_machine.travel(start + datetime.timedelta(seconds=59), tick=False):
        run_worker()  # not due yet
    email.refresh_from_db()
    assert email.attempts == 1

    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        run_worker()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.QUEUED, 2)
    assert email.next_attempt_at == start + datetime.timedelta(seconds=361)

    with (
        caplog.at_level(logging.ERROR, logger="backpain.mail"),
        time_machine.travel(start + datetime.timedelta(seconds=362), tick=False),
    ):
        run_worker()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.FAILED, 3)
    assert f"Email {email.pk} (Test) failed after 3 tries" in caplog.text
    run_worker()  # a failed email is never tried again by itself
    email.refresh_from_db()
    assert email.attempts == 3 and mail.outbox == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.send_again(OutgoingEmail.objects.all()) == 1
    run_worker()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.SENT, 1)
    assert [message.subject for message in mail.outbox] == ["Refused"]


def test_an_email_is_sent_once_however_often_it_is_queued():
    email = queue_one()
    outbox._enqueue(email.pk)  # a second queue entry, as a duplicate "send again" would make
    run_worker()
    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.filter(return_value="not waiting").count() == 1


def test_only_failed_and_stalled_emails_can_be_sent_again():
    now = timezone.now()
    long_ago = now - outbox.STALLED_AFTER - datetime.timedelta(minutes=1)

    def make(**fields):
        return OutgoingEmail.objects.create(to=["ed@example.com"], **fields)

    failed = make(kind="t", subject="failed", body="", status=OutgoingEmail.Status.FAILED)
    stalled = make(kind="t", subject="stalled", body="", status=OutgoingEmail.Status.SENDING, last_attempt_at=long_ago)
    lost = make(kind="t", subject="lost", body="", status=OutgoingEmail.Status.QUEUED, created_at=long_ago)
    make(kind="t", subject="sent", body="", status=OutgoingEmail.Status.SENT, sent_at=now)
    make(kind="t", subject="sending", body="", status=OutgoingEmail.Status.SENDING, last_attempt_at=now)
    make(kind="t", subject="retrying", body="", status=OutgoingEmail.Status.QUEUED, next_attempt_at=now)
    assert set(outbox.resendable()) == {failed, stalled, lost}
    assert outbox.send_again(OutgoingEmail.objects.all()) == 3
    run_worker()
    assert sorted(message.subject for message in mail.outbox) == ["failed", "lost", "stalled"]


def test_deleting_a_comment_deletes_the_emails_that_quote_it():
    comment = CommentFactory()
    queue_one(about=comment)
    other = queue_one(subject="Not about it")
    comment.delete()
    assert list(OutgoingEmail.objects.all()) == [other]


def test_the_purge_keeps_waiting_emails_and_deletes_old_finished_ones(settings):
    old = timezone.now() - datetime.timedelta(days=settings.MAIL_RETENTION_DAYS + 1)
    make = OutgoingEmail.objects.create
    for status in (OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED, OutgoingEmail.Status.QUEUED):
        make(kind="t", subject=f"old {status}", body="", status=status, created_at=old)
    make(kind="t", subject="recent sent", body="", status=OutgoingEmail.Status.SENT)
    out = io.StringIO()
    call_command("purge_expired", stdout=out)
    assert sorted(OutgoingEmail.objects.values_list("subject", flat=True)) == ["old queued", "recent sent"]
