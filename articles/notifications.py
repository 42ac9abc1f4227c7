"""Emails about comments: to editors when one arrives or readers' reports hide one, to a reader when an
editor replies.

Both are sent only after the comment is safely committed and never raise: a
mail server that is down is logged for the operators and must not cost a
reader their comment or an editor their reply.
"""

import logging
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from .models import Comment

logger = logging.getLogger(__name__)


def _absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def _send_safely(kind, comment_id, **message):
    try:
        send_mail(from_email=None, fail_silently=False, **message)
    except Exception:
        # Any backend error (refused connection, bad credentials, timeouts): log it, never pass it on.
        logger.exception("Could not send the %s email for comment %s.", kind, comment_id)


def email_editors_about(comment_id):
    """Tell the editors a comment is waiting, with a link to it in the admin."""
    comment = Comment.objects.with_targets().filter(pk=comment_id).first()
    if comment is None or not settings.EDITORS_EMAILS:
        return
    flag = "[Priority] " if comment.needs_priority_review else ""
    lines = [
        f'A new comment on "{comment.target}" is waiting for moderation.',
        "",
        f"Priority review: {comment.priority_reason}" if comment.needs_priority_review else "",
        *_comment_and_links(comment),
    ]
    _send_safely(
        "new-comment",
        comment.pk,
        subject=f"{flag}New comment on {comment.target}",
        message="\n".join(lines),
        recipient_list=settings.EDITORS_EMAILS,
    )


def _comment_and_links(comment):
    """The end of an email to editors about a comment: who wrote it, what, and where to decide."""
    return [
        f"From: {comment.name}",
        "",
        comment.body,
        "",
        f"Approve or reject it: {_absolute(reverse('admin:articles_comment_change', args=[comment.pk]))}",
        f"Moderation queue: {_absolute(reverse('admin:articles_pendingcomment_changelist'))}",
    ]


def email_editors_about_reports(comment_id):
    """Tell the editors that readers' reports have taken a comment off the page until one of them decides."""
    comment = Comment.objects.with_targets().filter(pk=comment_id).first()
    if comment is None or not settings.EDITORS_EMAILS:
        return
    lines = [
        f'{comment.report_count} readers reported a comment on "{comment.target}". It is hidden and back in the '
        "moderation queue until an editor approves or rejects it.",
        "",
        *_comment_and_links(comment),
    ]
    _send_safely(
        "reported-comment",
        comment.pk,
        subject=f"[Priority] Reported comment hidden on {comment.target}",
        message="\n".join(lines),
        recipient_list=settings.EDITORS_EMAILS,
    )


def email_reader_about_reply(comment_id):
    """Send the editor's reply to the commenter, if they asked for it and gave an address."""
    comment = Comment.objects.with_targets().filter(pk=comment_id).first()
    if comment is None or not (comment.notify_on_reply and comment.email and comment.reply):
        return
    lines = [
        f"Hello {comment.name},",
        "",
        f'An editor at {settings.SITE_NAME} has replied to your comment on "{comment.target}".',
        "",
        "You wrote:",
        comment.body,
        "",
        "The editor replied:",
        comment.reply,
        "",
        f"See it on the site: {_absolute(comment.get_absolute_url())}"
        if comment.status == Comment.Status.APPROVED
        else "",
        "You are getting this one email because you asked to be told about a reply. We will not email you again.",
    ]
    _send_safely(
        "reply",
        comment.pk,
        subject=f"An editor replied to your comment on {comment.target}",
        message="\n".join(lines),
        recipient_list=[comment.email],
    )


def after_commit(task, comment_id):
    """Run ``task(comment_id)`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(task, comment_id))
