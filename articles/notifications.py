"""Emails about comments: to editors when one arrives, when a reader first reports a shown one and when readers'
reports hide one, to a reader when an editor replies.

Each is written to the mail outbox in the transaction that saves the comment (or the reply) and sent by the
worker after it commits (``backpain.mail``): a mail server that is slow or down never holds up or fails a
reader's comment or an editor's reply, and the email is kept, and tried again, until it goes.

Editors hear of new and reported comments and contact messages as each chose (``backpain.mail.notify_editors``);
``digest_sections`` is what this app adds to the daily digest.
"""

from django.conf import settings
from django.urls import reverse

from backpain.mail import notify_editors, send_later

from .models import Comment, ContactMessage

MODERATE = "articles.change_comment"  # who is told of new and reported comments: those who can act on them
READ_MESSAGES = "articles.view_contactmessage"


def _absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def email_editors_about(comment_id):
    """Tell the editors a comment is waiting, with a link to it in the admin."""
    comment = Comment.objects.with_targets().filter(pk=comment_id).first()
    if comment is None:
        return
    flag = "[Priority] " if comment.needs_priority_review else ""
    lines = [
        f'A new comment on "{comment.target}" is waiting for moderation.',
        "",
        f"Priority review: {comment.priority_reason}" if comment.needs_priority_review else "",
        *_comment_and_links(comment),
    ]
    notify_editors(
        kind="New comment",
        subject=f"{flag}New comment on {comment.target}",
        body="\n".join(lines),
        permission=MODERATE,
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
    """Tell the editors of readers' reports: when a shown comment gets its first since the last decision (it stays
    on the page), and again when enough readers agree that it is taken off the page until one of them decides."""
    comment = Comment.objects.with_targets().filter(pk=comment_id).first()
    if comment is None or not comment.report_count:
        return
    if comment.status == Comment.Status.APPROVED:
        notify_editors(
            kind="Reported comment",
            subject=f"[Priority] A reader reported a comment on {comment.target}",
            body="\n".join(
                [
                    f'A reader reported a comment on "{comment.target}". It is still shown, and listed in the '
                    f"moderation queue; {settings.COMMENT_REPORTS_TO_HIDE} readers' reports would take it off "
                    "the page. Keep it (clearing the report) or reject it.",
                    "",
                    *_comment_and_links(comment),
                ]
            ),
            permission=MODERATE,
            about=comment,
        )
        return
    lines = [
        f'{comment.report_count} readers reported a comment on "{comment.target}". It is hidden and back in the '
        "moderation queue until an editor approves or rejects it.",
        "",
        *_comment_and_links(comment),
    ]
    notify_editors(
        kind="Reported comment",
        subject=f"[Priority] Reported comment hidden on {comment.target}",
        body="\n".join(lines),
        permission=MODERATE,
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


def new_comments(since, until):
    """Comments posted in the period and still waiting for a decision, for the daily digest."""
    waiting = Comment.objects.with_targets().filter(
        status=Comment.Status.PENDING, created_at__gte=since, created_at__lt=until
    )
    return [
        (f'{comment.name} on "{comment.target}": {_shorten(comment.body)}', _admin_path(comment))
        for comment in waiting.order_by("created_at")
    ]


def reported_comments(since, until):
    """Comments that readers' reports took off the page in the period and that still wait for a decision."""
    hidden = (
        Comment.objects.with_targets()
        .filter(
            status=Comment.Status.PENDING,
            report_count__gte=settings.COMMENT_REPORTS_TO_HIDE,
            reports__created_at__gte=since,
            reports__created_at__lt=until,
        )
        .distinct()
    )
    return [
        (f'{comment.report_count} reports, on "{comment.target}": {_shorten(comment.body)}', _admin_path(comment))
        for comment in hidden.order_by("created_at")
    ]


def reported_shown_comments(since, until):
    """Shown comments readers reported in the period, still waiting for an editor to keep or reject them."""
    reported = (
        Comment.objects.with_targets()
        .filter(
            status=Comment.Status.APPROVED,
            report_count__gt=0,
            reports__created_at__gte=since,
            reports__created_at__lt=until,
        )
        .distinct()
    )
    return [
        (
            f"{comment.report_count} report{'' if comment.report_count == 1 else 's'}, still shown, on "
            f'"{comment.target}": {_shorten(comment.body)}',
            _admin_path(comment),
        )
        for comment in reported.order_by("-report_count", "created_at")
    ]


def new_contact_messages(since, until):
    """Contact messages received in the period and not yet handled."""
    received = ContactMessage.objects.unhandled().filter(created_at__gte=since, created_at__lt=until)
    return [
        (
            f'{message.name}: "{_shorten(message.subject)}"',
            reverse("admin:articles_contactmessage_change", args=[message.pk]),
        )
        for message in received.order_by("created_at")
    ]


def _admin_path(comment):
    return reverse("admin:articles_comment_change", args=[comment.pk])


def _shorten(text, length=80):
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def digest_sections():
    """(title, permission, items) for each part of the daily digest this app fills."""
    return [
        ("Comments waiting for moderation", MODERATE, new_comments),
        ("Comments hidden by readers' reports", MODERATE, reported_comments),
        ("Comments readers reported, still shown", MODERATE, reported_shown_comments),
        ("Contact messages", READ_MESSAGES, new_contact_messages),
    ]
