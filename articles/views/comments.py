"""Readers' comments: the comments part of a page, posting a comment and reporting one."""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404

from backpain.models import RateLimit
from backpain.postonly import post_only, see_other
from backpain.visitors import visitor_hash

from ..forms import CommentForm
from ..models import COMMENT_TARGETS, Comment, CommentReport
from ..moderation import describe_reasons
from ..notifications import email_editors_about, email_editors_about_reports
from .again import page_with_errors

logger = logging.getLogger(__name__)

# What a page with comments reads from its query string: the page of comments, the notice after posting one.
COMMENTS_QUERY = ["comments_page", "comment"]


def comments_context(request, target, form=None):
    """What ``includes/comments.html`` needs for an article or muscle page: one page of approved
    comments (``?comments_page=``, oldest first) and the form, blank or with a reader's errors."""
    comments = Comment.objects.approved().on(target)
    paginator = Paginator(comments, settings.COMMENTS_PER_PAGE)
    if hasattr(target, "approved_comments"):  # counted with the page (``CommentQuerySet.approved_count_for``)
        paginator.count = target.approved_comments
    page = paginator.get_page(request.GET.get("comments_page"))
    return {"comments_page": page, "comment_form": form or CommentForm(target=target)}


def _comment_target(kind, slug):
    """The page a comment form posts to: one that takes comments now (``COMMENT_TARGETS``), else 404."""
    if kind not in COMMENT_TARGETS:
        raise Http404("Comments cannot be posted here.")
    return get_object_or_404(COMMENT_TARGETS[kind].pages(), slug=slug)


def _back_to_comments(target, notice):
    # 303: the browser follows with a GET, so reloading the page never posts twice. The notice rides in the
    # address rather than django.contrib.messages, which would add a cookie the privacy page does not list.
    return see_other(f"{target.get_absolute_url()}?{urlencode({'comment': notice})}#comments")


def _comments_of(request, kind, slug):
    """Where a GET of a comment form's address goes: the comments of the page it is for."""
    return _comment_target(kind, slug).get_absolute_url() + "#comments"


def _comments_around(request, pk):
    """Where a GET of a report button's address goes: the comments of the reported comment's page."""
    comment = get_object_or_404(Comment.objects.approved().with_targets(), pk=pk)
    return comment.target.get_absolute_url() + "#comments"


def _declared_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads nothing it cannot measure, so there is nothing to refuse here.


def _page_with_errors(request, target, form, status):
    """The page the comment was for, shown again with the reader's form, its errors and their summary."""
    return page_with_errors(request, target.get_absolute_url(), status, comment_form=form)


@post_only(_comments_of)
def post_comment(request, kind, slug):
    """Take a reader's comment on an article or muscle page; it waits for an editor.

    A valid comment is stored as pending and the reader is sent back to the
    page, told it awaits moderation, and shown the urgent-care advice at once
    when it mentions red-flag symptoms. Mistakes show the page again with the
    errors (400) and the reader's text, and so does a comment sent back within
    seconds of the page opening, telling the reader to wait and post again. A
    bot (honeypot filled, no valid token) gets exactly the answer a person
    would get for the same visible text, and nothing is stored. A GET of this
    address goes to the page's comments.

    Over the rate limit the reader gets a 429 with their text still in the
    form, not a silent drop: a person who reaches it deserves to know, and a
    bot learns nothing it could not guess. Nothing is stored either way.
    """
    target = _comment_target(kind, slug)
    if _declared_length(request) > settings.COMMENT_MAX_REQUEST_BYTES:
        form = CommentForm(target=target)
        form.refuse("Your comment is far too long. Please keep it to 3,000 characters or fewer.")
        return _page_with_errors(request, target, form, status=400)
    form = CommentForm(request.POST, target=target)
    if not form.is_valid():
        return _page_with_errors(request, target, form, status=400)
    notice = "urgent" if form.priority_reasons else "received"
    if form.is_spam:
        logger.info("Dropped a comment that looked automated (%s).", form.spam_reason)
        return _back_to_comments(target, notice)
    poster = visitor_hash(request)
    with transaction.atomic():
        allowed = RateLimit.objects.hit("comment", poster, settings.COMMENT_RATE_LIMIT)
        if allowed:
            comment = form.save(commit=False)
            comment.target = target
            comment.visitor_hash = poster
            comment.needs_priority_review = bool(form.priority_reasons)
            comment.priority_reason = describe_reasons(form.priority_reasons)
            comment.save()
            email_editors_about(comment.pk)  # queued with the comment, sent once both are committed
    if not allowed:
        form.add_error(
            None,
            f"You have posted {settings.COMMENT_RATE_LIMIT} comments in the last hour, which is as many as we "
            "can take from one person. Please wait a while, then post again: your comment is still below.",
        )
        return _page_with_errors(request, target, form, status=429)
    return _back_to_comments(target, notice)


@post_only(_comments_around)
def report_comment(request, pk):
    """Record a reader's report of a published comment and thank them.

    Each visitor (a /64 network for IPv6, see ``visitor_hash``) counts once per
    comment until an editor decides on it, and reports are rate limited. The
    comment is flagged for priority review; once ``COMMENT_REPORTS_TO_HIDE``
    readers have reported it since the last decision, it goes back to the
    moderation queue, off the page. The editors are emailed at the first report (the comment is then in the
    moderation queue, still shown) and when the comment is hidden. The thanks is
    the same whether or not the report counted, so repeating it gains nothing.
    A GET of this address goes to the comments the button was under.
    """
    comment = get_object_or_404(Comment.objects.approved().with_targets(), pk=pk)
    reporter = visitor_hash(request)
    with transaction.atomic():
        if RateLimit.objects.hit("report", reporter, settings.COMMENT_REPORT_RATE_LIMIT):
            _, created = CommentReport.objects.get_or_create(comment=comment, visitor_hash=reporter)
            # The editors hear of the first report since the last decision and of the one that hides the comment.
            if created and (comment.record_report() or comment.report_count == 1):
                email_editors_about_reports(comment.pk)
    return _back_to_comments(comment.target, "reported")
