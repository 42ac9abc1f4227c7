"""The site's outgoing mail: written to the outbox inside a request, sent by the worker, retried, never lost.

``send_later`` is the only way the site sends an email. It stores the email (``OutgoingEmail``) in the
caller's transaction and, once that commits, queues ``deliver`` with django-tasks, whose database backend
keeps the queue in the site's own database. ``manage.py db_worker`` runs the queue. So a mail server that is
slow, down or hung costs a reader nothing, and an email waits in the database for as long as the worker is
stopped.

``deliver`` claims the email with one conditional update, so two workers (or a worker and an editor's "send
again") never both send it, and sends it with no transaction open: a hung server holds no lock on the
database. A failed try is tried again after the next of ``MAIL_RETRY_DELAYS``; after the last one the email
is marked failed, logged, and shown to editors in the admin's mail outbox, where they can send it again.

``notify_editors`` tells the editors of something new (a comment, a report, a contact message): the shared
``EDITORS_EMAILS`` and every editor who chose an email for each (``EditorMailSettings``) get one email; editors
who chose a daily digest hear of it from ``manage.py email_editors_digest``, which lists what apps registered
with ``register_digest_section``.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks import task

from .models import EditorMailSettings, OutgoingEmail

logger = logging.getLogger(__name__)

# An email waiting this long past its time, or being sent for this long, has lost its worker (stopped mid-send,
# or its queue entry lost): editors may send it again. Far longer than one try can take (EMAIL_TIMEOUT, 10 s).
STALLED_AFTER = datetime.timedelta(minutes=15)
LONGEST_ERROR = 2000  # characters of a mail server's answer kept for editors


def send_later(*, kind, subject, body, to, reply_to=(), about=None):
    """Store an email in the outbox and queue it for the worker once the current transaction commits.

    Call it inside the transaction that saves what the email is about, so the two are kept or lost together.
    ``kind`` names it for editors ("New comment"); ``about`` is the object it concerns, if any.
    """
    email = OutgoingEmail.objects.create(
        kind=kind,
        # Header injection: a subject is one line, whatever the caller passed.
        subject=" ".join(subject.split())[: OutgoingEmail._meta.get_field("subject").max_length],
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to),
        content_type=ContentType.objects.get_for_model(about) if about is not None else None,
        object_id=about.pk if about is not None else None,
    )
    transaction.on_commit(partial(_enqueue, email.pk))
    return email


def _enqueue(email_id, run_after=None):
    """Put one delivery on the queue; never raise, since the email is already safe in the outbox."""
    try:
        (deliver.using(run_after=run_after) if run_after else deliver).enqueue(email_id)
    except Exception:
        logger.exception("Could not queue email %s; it waits in the mail outbox for an editor to send it.", email_id)


@task()
def deliver(email_id):
    """Send one email from the outbox, unless someone else already is or did; on failure schedule the next try."""
    claimed = OutgoingEmail.objects.filter(pk=email_id, status=OutgoingEmail.Status.QUEUED).update(
        status=OutgoingEmail.Status.SENDING,
        attempts=F("attempts") + 1,
        last_attempt_at=timezone.now(),
        next_attempt_at=None,
    )
    if not claimed:
        return "not waiting"
    email = OutgoingEmail.objects.filter(pk=email_id).first()
    if email is None:  # deleted with what it was about, between the claim and here
        return "gone"
    message = EmailMessage(
        subject=email.subject, body=email.body, from_email=email.from_email, to=email.to, reply_to=email.reply_to
    )
    try:
        message.send()
    except Exception as exc:  # refused, timed out, bad credentials, a rejected address: all tried again
        return _failed(email, exc)
    OutgoingEmail.objects.filter(pk=email_id).update(
        status=OutgoingEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def _failed(email, exc):
    error = f"{type(exc).__name__}: {exc}"[:LONGEST_ERROR]
    delays = settings.MAIL_RETRY_DELAYS
    if email.attempts > len(delays):
        OutgoingEmail.objects.filter(pk=email.pk).update(status=OutgoingEmail.Status.FAILED, last_error=error)
        logger.error(
            "Email %s (%s) failed after %s tries and waits for an editor in the mail outbox: %s",
            email.pk,
            email.kind,
            email.attempts,
            error,
        )
        return "failed"
    next_attempt = timezone.now() + datetime.timedelta(seconds=delays[email.attempts - 1])
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.QUEUED, last_error=error, next_attempt_at=next_attempt
    )
    logger.warning(
        "Email %s (%s), try %s, failed; next try at %s: %s", email.pk, email.kind, email.attempts, next_attempt, error
    )
    if deliver.get_backend().supports_defer:
        _enqueue(email.pk, run_after=next_attempt)
    # A backend that cannot wait (the immediate one, in tests) leaves it waiting for "send again".
    return "will retry"


def attempts_allowed():
    """How many times an email is tried before it is marked failed."""
    return len(settings.MAIL_RETRY_DELAYS) + 1


def resendable(queryset=None):
    """The emails an editor may send again: failed ones, and waiting or sending ones whose worker was lost."""
    queryset = OutgoingEmail.objects.all() if queryset is None else queryset
    stalled = timezone.now() - STALLED_AFTER
    return queryset.alias(due=Coalesce("next_attempt_at", "created_at")).filter(
        Q(status=OutgoingEmail.Status.FAILED)
        | Q(status=OutgoingEmail.Status.QUEUED, due__lt=stalled)
        | Q(status=OutgoingEmail.Status.SENDING, last_attempt_at__lt=stalled)
    )


def send_again(queryset):
    """Queue the resendable emails in ``queryset`` afresh, with a full set of tries; return how many."""
    with transaction.atomic():
        ids = list(resendable(queryset).select_for_update().values_list("pk", flat=True))
        OutgoingEmail.objects.filter(pk__in=ids).update(
            status=OutgoingEmail.Status.QUEUED, attempts=0, next_attempt_at=timezone.now()
        )
        for email_id in ids:
            transaction.on_commit(partial(_enqueue, email_id))
    return len(ids)


def purge_finished(cutoff):
    """Delete sent and failed emails written before ``cutoff``, and the worker's records of finished deliveries;
    return how many emails went. Waiting ones stay, however old: they have not been sent yet."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return OutgoingEmail.objects.purge_before(cutoff)


def editors_to_tell(permission, frequency):
    """Active staff with an email address, the ``permission`` ("app.codename") and this choice of ``frequency``.

    One query, as Django's own permission check would answer: superusers, or the permission given to the user or
    to one of their groups. An editor who never chose hears of each.
    """
    app_label, _, codename = permission.partition(".")
    granting = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    users = users.filter(Q(is_superuser=True) | Q(user_permissions__in=granting) | Q(groups__permissions__in=granting))
    if frequency == EditorMailSettings.Frequency.EACH:
        chosen = Q(mail_settings__isnull=True) | Q(mail_settings__frequency=frequency)
    else:
        chosen = Q(mail_settings__frequency=frequency)
    return users.filter(chosen).distinct().order_by("pk")


def notify_editors(*, kind, subject, body, permission, about=None, reply_to=()):
    """Queue one email about something new for ``EDITORS_EMAILS`` and each editor with ``permission`` who asked
    to hear of each one; return it, or None when nobody is to be told now."""
    addresses = [*settings.EDITORS_EMAILS]
    addresses += editors_to_tell(permission, EditorMailSettings.Frequency.EACH).values_list("email", flat=True)
    unique, seen = [], set()
    for address in addresses:
        if address.lower() not in seen:  # an editor who is also on the shared list gets one copy
            seen.add(address.lower())
            unique.append(address)
    if not unique:
        return None
    return send_later(kind=kind, subject=subject, body=body, to=unique, reply_to=reply_to, about=about)


@dataclass(frozen=True)
class DigestSection:
    """One part of the editors' daily digest: its ``title``, the ``permission`` an editor needs to be shown it, and
    ``items(since, until)``, the new things in that period as (line of text, admin path) pairs."""

    title: str
    permission: str
    items: Callable[[datetime.datetime, datetime.datetime], list]


_digest_sections = {}


def register_digest_section(title, *, permission, items):
    """Add a part to the daily digest (from an app's ``ready()``; registering a title again replaces it)."""
    _digest_sections[title] = DigestSection(title=title, permission=permission, items=items)


def digest_sections():
    return list(_digest_sections.values())
