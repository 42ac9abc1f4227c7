"""Emails about comments: to editors when one arrives or readers' reports hide one, to a reader when an
editor replies.

Each is written to the mail outbox in the transaction that saves the comment (or the reply) and sent by the
worker after it commits (``backpain.mail``): a mail server that is slow or down never holds up or fails a
reader's comment or an editor's reply, and the email is kept, and tried again, until it goes.
"""

from django.conf import settings
from django.urls import reverse

from backpain.mail import send_later

from .models import Comment


def _absolute(path):
    return settings.SITE_URL.rstrip("/") + path


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
    send_later(
        kind="New comment",
        subject=f"{flag}New comment on {comment.target}",
        body="\n".join(lines),
        to=settings.EDITORS_EMAILS,
        about=comment,
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
    send_later(
        kind="Reported comment",
        subject=f"[Priority] Reported comment hidden on {comment.target}",
        body="\n".join(lines),
        to=settings.EDITORS_EMAILS,
        about=comment,
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
    send_later(
        kind="Reply to a reader",
        subject=f"An editor replied to your comment on {comment.target}",
        body="\n".join(lines),
        to=[comment.email],
        about=comment,
    )
