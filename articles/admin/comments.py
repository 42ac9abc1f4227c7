"""Comment moderation: the queue, filters, bulk decisions and editors' replies."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from backpain.admin import HomeCard

from ..models import (
    COMMENT_TARGETS,
    Comment,
    PendingComment,
)
from ..notifications import email_reader_about_reply


class HasReportsFilter(admin.SimpleListFilter):
    title = "reports"
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("yes", "Reported by readers"), ("no", "Not reported")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(report_count__gt=0)
        if self.value() == "no":
            return queryset.filter(report_count=0)
        return queryset


class TargetTypeFilter(admin.SimpleListFilter):
    title = "page type"
    parameter_name = "on"

    def lookups(self, request, model_admin):
        return [(kind, target.label) for kind, target in COMMENT_TARGETS.items()]

    def queryset(self, request, queryset):
        if self.value() in COMMENT_TARGETS:
            return queryset.filter(**{f"{self.value()}__isnull": False})
        return queryset


def _when(moment):
    return date_format(timezone.localtime(moment), "j M Y, H:i")


class CommentAdminForm(forms.ModelForm):
    """The comment's moderation form, with "keep it" for a comment readers reported."""

    keep = forms.BooleanField(
        required=False,
        label="Keep it shown and clear its reports",
        help_text="Readers' reports are deleted and the count starts again from nought; the comment stays (or goes "
        "back) on the page.",
    )

    class Meta:
        model = Comment
        fields = ["status", "needs_priority_review", "priority_reason", "reply"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Moderation is a filter plus actions: filter to what needs a decision, then approve or reject in bulk.

    Readers write comments; editors never add one here. Reader text is shown
    escaped. The email address appears only on this editors' page.
    """

    form = CommentAdminForm
    list_display = ["excerpt", "name", "page", "status", "needs_priority_review", "reports", "created_at"]
    list_filter = ["status", "needs_priority_review", HasReportsFilter, TargetTypeFilter]
    search_fields = ["name", "body"]
    list_select_related = list(COMMENT_TARGETS)
    date_hierarchy = "created_at"
    actions = ["approve", "keep_reported", "reject"]
    readonly_fields = [
        "page",
        "name",
        "email",
        "notify_on_reply",
        "comment_text",
        "created_at",
        "report_count",
        "reader_reports",
        "replied_by",
        "replied_at",
    ]
    fieldsets = [
        (None, {"fields": ["page", "name", "comment_text", "created_at"]}),
        ("Moderation", {"fields": ["status", "needs_priority_review", "priority_reason", "reader_reports"]}),
        (
            'Reply (shown under the comment with an "Editor" badge)',
            {"fields": ["reply", "replied_by", "replied_at", "email", "notify_on_reply"]},
        ),
    ]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        # ModelAdmin.get_queryset orders by get_ordering, which may name the annotation: annotate first.
        queryset = self.model._default_manager.get_queryset().with_last_report()
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def get_fieldsets(self, request, obj=None):
        """Offer "keep it" only on a comment readers have reported since the last decision."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not obj.report_count:
            return fieldsets
        return [
            (title, {**options, "fields": [*options["fields"], "keep"]}) if title == "Moderation" else (title, options)
            for title, options in fieldsets
        ]

    def response_action(self, request, queryset):
        """Run a bulk action, unless the ticked comments' ids are not ids at all (a hand-made or damaged form):
        then say so and change nothing, where Django would fail on the query."""
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(value.isascii() and value.isdigit() and len(value) <= 18 for value in selected):
            self.message_user(
                request,
                "The selection was not understood, so nothing changed. Tick the comments again and choose the action.",
                messages.ERROR,
            )
            return None  # Django sends the editor back to the list, with the message
        return super().response_action(request, queryset)

    def get_ordering(self, request):
        """Filtered to reported comments: the most reported first, then the most recently reported."""
        if request.GET.get(HasReportsFilter.parameter_name) == "yes":
            return ["-report_count", "-last_report_at", "-created_at"]
        return super().get_ordering(request)

    def has_moderate_permission(self, request):
        return request.user.has_perm("articles.moderate_comment")

    @admin.display(description="comment")
    def excerpt(self, comment):
        return Truncator(comment.body).chars(80)

    @admin.display(description="comment")
    def comment_text(self, comment):
        # linebreaksbr escapes first: reader text never becomes markup here either.
        return linebreaksbr(comment.body, autoescape=True)

    @admin.display(description="reports", ordering="report_count")
    def reports(self, comment):
        if not comment.report_count:
            return "–"
        return format_html("{}<br><small>latest {}</small>", comment.report_count, _when(comment.last_report_at))

    @admin.display(description="readers' reports")
    def reader_reports(self, comment):
        """How many readers reported it since the last decision, and when; who reported it is never stored."""
        reports = list(comment.reports.values_list("created_at", flat=True)) if comment.pk else []
        if not reports:
            return "No reports since the last decision."
        return format_html(
            "<p>{} reader{} reported it since the last decision (each reader counts once; {} hide a shown "
            "comment until an editor decides). Readers give no reason and are not named.</p><ul>{}</ul>",
            len(reports),
            "" if len(reports) == 1 else "s",
            settings.COMMENT_REPORTS_TO_HIDE,
            format_html_join("", "<li>Reported {}</li>", ((_when(moment),) for moment in reports)),
        )

    @admin.display(description="on page")
    def page(self, comment):
        return format_html('<a href="{}">{}</a>', comment.get_absolute_url(), comment.target)

    @admin.action(description="Approve selected comments (show them)", permissions=["moderate"])
    def approve(self, request, queryset):
        count = queryset.decide(Comment.Status.APPROVED)
        self.message_user(request, f"Approved {count} comment(s).", messages.SUCCESS)

    @admin.action(description="Keep selected reported comments shown (clear their reports)", permissions=["moderate"])
    def keep_reported(self, request, queryset):
        count = queryset.filter(report_count__gt=0).decide(Comment.Status.APPROVED)
        if count:
            self.message_user(request, f"Kept {count} reported comment(s) on the page and cleared their reports.")
        else:
            self.message_user(request, "None of the selected comments had reports: nothing changed.", messages.WARNING)

    @admin.action(description="Reject selected comments (hide them)", permissions=["moderate"])
    def reject(self, request, queryset):
        count = queryset.decide(Comment.Status.REJECTED)
        self.message_user(request, f"Rejected {count} comment(s).", messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        """Stamp who replied and when; on a first reply, email the reader if they asked. Approving or rejecting
        here settles the readers' reports, as the bulk actions do."""
        if change and form.cleaned_data.get("keep") and self.has_moderate_permission(request):
            obj.status, obj.needs_priority_review = Comment.Status.APPROVED, False
            obj.settle_reports()
        elif change and "status" in form.changed_data and obj.status != Comment.Status.PENDING:
            obj.settle_reports()
        first_reply = False
        if "reply" in form.changed_data:
            obj.reply = obj.reply.strip()
            first_reply = bool(obj.reply) and not form.initial.get("reply")
            obj.replied_by = request.user if obj.reply else None
            obj.replied_at = timezone.now() if obj.reply else None
        super().save_model(request, obj, form, change)
        if first_reply and obj.notify_on_reply and obj.email:
            email_reader_about_reply(obj.pk)  # queued in the admin's transaction, sent after it commits
            self.message_user(request, "The reader will be emailed your reply.", messages.INFO)


@admin.register(PendingComment)
class PendingCommentAdmin(CommentAdmin):
    """The moderation queue: comments waiting for a first decision and shown comments readers reported; priority
    ones first (every reported one is), then the most reported, then the oldest. "Reported by readers" narrows it
    to the reported ones, the most reported first."""

    list_filter = ["status", "needs_priority_review", HasReportsFilter, TargetTypeFilter]

    def get_queryset(self, request):
        return super().get_queryset(request).for_moderation()

    def get_ordering(self, request):
        if request.GET.get(HasReportsFilter.parameter_name) == "yes":
            return super().get_ordering(request)
        return ["-needs_priority_review", "-report_count", "created_at", "id"]


def moderation_cards(request):
    """The moderation queue's cards on the admin's front page: everything waiting, and the reported ones."""
    if not request.user.has_perm("articles.view_pendingcomment"):
        return []
    queue = reverse("admin:articles_pendingcomment_changelist")
    waiting = Comment.objects.for_moderation()
    reported = waiting.filter(report_count__gt=0).count()
    return [
        HomeCard("Moderation queue", queue, waiting.count(), "New comments and reported ones, waiting for a decision"),
        HomeCard(
            "Reported comments",
            f"{queue}?reported=yes",
            reported,
            "Readers reported them: keep or reject, the most reported first",
        ),
    ]
