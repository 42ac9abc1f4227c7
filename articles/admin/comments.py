"""Comment moderation: the queue, filters, bulk decisions and editors' replies."""

from django.contrib import admin, messages
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator

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


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Moderation is a filter plus actions: filter to what needs a decision, then approve or reject in bulk.

    Readers write comments; editors never add one here. Reader text is shown
    escaped. The email address appears only on this editors' page.
    """

    list_display = ["excerpt", "name", "page", "status", "needs_priority_review", "report_count", "created_at"]
    list_filter = ["status", "needs_priority_review", HasReportsFilter, TargetTypeFilter]
    search_fields = ["name", "body"]
    list_select_related = list(COMMENT_TARGETS)
    date_hierarchy = "created_at"
    actions = ["approve", "reject"]
    readonly_fields = [
        "page",
        "name",
        "email",
        "notify_on_reply",
        "comment_text",
        "created_at",
        "report_count",
        "replied_by",
        "replied_at",
    ]
    fieldsets = [
        (None, {"fields": ["page", "name", "comment_text", "created_at"]}),
        ("Moderation", {"fields": ["status", "needs_priority_review", "priority_reason", "report_count"]}),
        (
            'Reply (shown under the comment with an "Editor" badge)',
            {"fields": ["reply", "replied_by", "replied_at", "email", "notify_on_reply"]},
        ),
    ]

    def has_add_permission(self, request):
        return False

    def has_moderate_permission(self, request):
        return request.user.has_perm("articles.moderate_comment")

    @admin.display(description="comment")
    def excerpt(self, comment):
        return Truncator(comment.body).chars(80)

    @admin.display(description="comment")
    def comment_text(self, comment):
        # linebreaksbr escapes first: reader text never becomes markup here either.
        return linebreaksbr(comment.body, autoescape=True)

    @admin.display(description="on page")
    def page(self, comment):
        return format_html('<a href="{}">{}</a>', comment.get_absolute_url(), comment.target)

    @admin.action(description="Approve selected comments (show them)", permissions=["moderate"])
    def approve(self, request, queryset):
        count = queryset.decide(Comment.Status.APPROVED)
        self.message_user(request, f"Approved {count} comment(s).", messages.SUCCESS)

    @admin.action(description="Reject selected comments (hide them)", permissions=["moderate"])
    def reject(self, request, queryset):
        count = queryset.decide(Comment.Status.REJECTED)
        self.message_user(request, f"Rejected {count} comment(s).", messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        """Stamp who replied and when; on a first reply, email the reader if they asked. Approving or rejecting
        here settles the readers' reports, as the bulk actions do."""
        if change and "status" in form.changed_data and obj.status != Comment.Status.PENDING:
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
    """The moderation queue: only comments waiting for a decision, priority ones first, then the oldest."""

    list_filter = ["needs_priority_review", HasReportsFilter, TargetTypeFilter]

    def get_queryset(self, request):
        return super().get_queryset(request).pending()
