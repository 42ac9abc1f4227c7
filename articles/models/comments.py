"""Readers' comments on articles and muscle pages, moderated, and readers' reports of them.

No raw network address is stored; the rules that flag a comment for priority review are plain functions
in ``articles.moderation``.
"""

from collections.abc import Callable
from typing import NamedTuple

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone

from backpain.models import OutgoingEmail, PublicContentQuerySet

from .content import Article
from .guides import Muscle


class CommentTarget(NamedTuple):
    """A kind of page readers can comment on."""

    model: type
    label: str  # what editors see in the moderation filter
    pages: Callable  # the pages of this kind that take comments now


# What readers can comment on, and the one place that knows it. The kind is both ``Comment``'s foreign key to
# that model and the ``/comments/<kind>/<slug>/`` part of the form's address. A new kind is a line here, its
# foreign key below (the check constraint and an index name every kind) and a migration; nothing else in the
# site names the kinds.
COMMENT_TARGETS = {
    "article": CommentTarget(Article, "Articles", lambda: Article.objects.published()),
    "muscle": CommentTarget(Muscle, "Muscle pages", lambda: Muscle.objects.all()),
}


def comment_kind(target):
    """The kind of page ``target`` (a page, or a kind of page) is, as ``COMMENT_TARGETS`` names it; TypeError if
    it takes no comments."""
    model = target if isinstance(target, type) else type(target)
    for kind, entry in COMMENT_TARGETS.items():
        if issubclass(model, entry.model):
            return kind
    raise TypeError(f"Comments cannot be attached to {model.__name__}.")


class CommentQuerySet(PublicContentQuerySet):
    def approved(self):
        """Comments readers can see: approved by an editor, oldest first so a thread reads top to bottom."""
        return self.filter(status=Comment.Status.APPROVED).order_by("created_at", "id")

    def pending(self):
        """Comments waiting for an editor: priority ones first, then the oldest."""
        return self.filter(status=Comment.Status.PENDING).order_by("-needs_priority_review", "created_at", "id")

    def for_moderation(self):
        """What the moderation queue holds: comments waiting for a first decision, and shown comments readers have
        reported since the last decision (still on the page until enough readers agree or an editor decides)."""
        return self.filter(
            models.Q(status=Comment.Status.PENDING) | models.Q(status=Comment.Status.APPROVED, report_count__gt=0)
        )

    def with_last_report(self):
        """Annotate ``last_report_at``: when the latest report since the last decision was made (None if none)."""
        latest = CommentReport.objects.filter(comment=OuterRef("pk")).order_by("-created_at").values("created_at")
        return self.annotate(last_report_at=models.Subquery(latest[:1]))

    def decide(self, status):
        """Record an editor's decision (approve or reject) on these comments; return how many there were.

        The decision settles every report made before it: the reports are deleted and the count starts
        again from nought, so a comment an editor has approved again is hidden again only when enough
        different readers report it anew.
        """
        with transaction.atomic():
            CommentReport.objects.filter(comment__in=self).delete()
            return self.update(status=status, needs_priority_review=False, report_count=0)

    def purge_unpublished(self, cutoff):
        """Delete rejected comments and comments still waiting for a first decision, made before ``cutoff``,
        with their reports; return how many comments went.

        A published comment that readers' reports sent back to the queue is not "waiting for a first
        decision": it stays until an editor decides, so three reports can never delete an old comment.
        """
        reported = CommentReport.objects.filter(comment=OuterRef("pk"))
        stale = self.filter(created_at__lt=cutoff).filter(
            models.Q(status=Comment.Status.REJECTED) | (models.Q(status=Comment.Status.PENDING) & ~Exists(reported))
        )
        count = stale.count()
        stale.delete()
        return count

    def forget_visitors(self, cutoff):
        """Clear the address hash from comments and reports made before ``cutoff``; return how many were cleared.

        A report keeps counting towards its comment's total; only who made it is forgotten.
        """
        comments = self.filter(created_at__lt=cutoff).exclude(visitor_hash="").update(visitor_hash="")
        reports = CommentReport.objects.filter(created_at__lt=cutoff, visitor_hash__isnull=False)
        return comments + reports.update(visitor_hash=None)

    def on(self, target):
        """Comments on one page (an article or a muscle, see ``COMMENT_TARGETS``)."""
        return self.filter(**{comment_kind(target): target})

    def approved_count_for(self, pages):
        """Annotate ``pages`` (a queryset of one kind of target) with ``approved_comments``, counted in the same
        query, so the page listing them needs no separate count."""
        kind = comment_kind(pages.model)
        approved = (
            self.filter(status=Comment.Status.APPROVED, **{kind: models.OuterRef("pk")})
            .order_by()
            .values(kind)
            .annotate(total=models.Count("pk"))
            .values("total")
        )
        return pages.annotate(approved_comments=Coalesce(models.Subquery(approved), 0))

    def with_targets(self):
        """These comments with the page each is on, fetched in the same query."""
        return self.select_related(*COMMENT_TARGETS)


class Comment(models.Model):
    """A reader's comment on an article or a muscle page.

    Nothing a reader writes is shown until an editor approves it. Comments that
    mention red-flag symptoms or ask for a diagnosis are marked for priority
    review. An editor may answer with one reply, shown under the comment.

    Privacy: the email address is never shown and is used only to send the
    reply the reader asked for; the network address is kept only as a keyed
    hash (``visitor_hash``) for rate limits and abuse, never in the clear.
    Rejected and stale pending comments are deleted, and the hash cleared from the rest, by
    ``purge_expired`` (periods in settings; see ``articles.apps``).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for moderation"
        APPROVED = "approved", "Approved (shown)"
        REJECTED = "rejected", "Rejected (hidden)"

    # PROTECT: readers' words outlive an editor's delete. An article with comments is archived instead; a muscle
    # page with comments cannot be deleted until an editor has dealt with them (see the admin's delete pages).
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.PROTECT, related_name="comments")
    muscle = models.ForeignKey(Muscle, null=True, blank=True, on_delete=models.PROTECT, related_name="comments")
    name = models.CharField(max_length=80, help_text="The name the reader gave; shown with the comment.")
    email = models.EmailField(
        blank=True, help_text="Never shown. Used only to tell the reader about a reply, if they asked for that."
    )
    notify_on_reply = models.BooleanField(default=False, help_text="The reader asked to be emailed about a reply.")
    body = models.TextField(max_length=3000, help_text="Plain text, shown exactly as written (no HTML, no links).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    needs_priority_review = models.BooleanField(
        default=False,
        db_index=True,
        help_text="Mentions red-flag symptoms, asks for a diagnosis, or was reported: read it first.",
    )
    priority_reason = models.CharField(max_length=300, blank=True, help_text="Why it was marked for priority review.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    visitor_hash = models.CharField(
        max_length=64, editable=False, help_text="Keyed hash of the poster's network address; never the address."
    )
    reply = models.TextField(
        max_length=3000,
        blank=True,
        help_text='An editor\'s answer, shown under the comment with an "Editor" badge. Plain text.',
    )
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    replied_at = models.DateTimeField(null=True, blank=True, editable=False)
    report_count = models.PositiveIntegerField(default=0, editable=False, help_text="Readers who reported it.")
    # The emails about it in the mail outbox, deleted with it (they quote it).
    emails = GenericRelation(OutgoingEmail)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("moderate_comment", "Can approve and reject comments")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(article__isnull=False, muscle__isnull=True)
                    | models.Q(article__isnull=True, muscle__isnull=False)
                ),
                name="comment_on_exactly_one_page",
            )
        ]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_article_listing"),
            models.Index(fields=["muscle", "status", "created_at"], name="comment_muscle_listing"),
        ]

    def __str__(self):
        return f"{self.name} on {self.target}"

    def get_absolute_url(self):
        return f"{self.target.get_absolute_url()}#comment-{self.pk}"

    @property
    def is_shown(self):
        """Readers see it: only approved comments are public (``backpain.pagecache`` counts only their changes)."""
        return self.status == self.Status.APPROVED

    @property
    def target(self):
        """The page the comment is on (an article or a muscle, see ``COMMENT_TARGETS``)."""
        return next(filter(None, (getattr(self, kind) for kind in COMMENT_TARGETS)), None)

    @target.setter
    def target(self, value):
        kind = comment_kind(value)
        for field in COMMENT_TARGETS:
            setattr(self, field, value if field == kind else None)

    @property
    def kind(self):
        """What kind of page the comment is on, as ``COMMENT_TARGETS`` names it."""
        return comment_kind(self.target)

    def record_report(self):
        """Count the reports made since the last editor decision (one per visitor): flag the comment for
        priority review and, once enough readers agree, send it back to the moderation queue, off the page.

        Return True when this report was the one that took the comment off the page, so the caller can
        tell the editors.
        """
        with transaction.atomic():
            comment = Comment.objects.select_for_update().get(pk=self.pk)
            comment.report_count = comment.reports.count()
            comment.needs_priority_review = True
            if "reported by readers" not in comment.priority_reason:
                comment.priority_reason = "; ".join(filter(None, [comment.priority_reason, "reported by readers"]))[
                    :300
                ]
            hidden = (
                comment.status == Comment.Status.APPROVED and comment.report_count >= settings.COMMENT_REPORTS_TO_HIDE
            )
            if hidden:
                comment.status = Comment.Status.PENDING
            comment.save(update_fields=["report_count", "needs_priority_review", "priority_reason", "status"])
        self.refresh_from_db()
        return hidden

    def settle_reports(self):
        """Delete the reports an editor's decision has dealt with (see ``CommentQuerySet.decide``)."""
        self.reports.all().delete()
        self.report_count = 0


class CommentReport(models.Model):
    """One reader's report of one comment; the hash makes a second report from the same visitor a no-op.

    An editor's decision on the comment deletes its reports (``CommentQuerySet.decide``).
    """

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    # Emptied (NULL, which the unique constraint lets repeat) after COMMENT_HASH_RETENTION_DAYS.
    visitor_hash = models.CharField(max_length=64, null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["comment", "visitor_hash"], name="one_report_per_visitor")]

    def __str__(self):
        return f"Report on comment {self.comment_id}"


class PendingComment(Comment):
    """The moderation queue: the same comments, listed in the admin as only those waiting for a decision (new ones,
    and shown ones readers reported), priority first, then the most reported."""

    class Meta:
        proxy = True
        ordering = ["-needs_priority_review", "created_at"]
        verbose_name = "comment waiting for moderation"
        verbose_name_plural = "moderation queue"
