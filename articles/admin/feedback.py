"""What readers send: contact messages and "Was this page helpful?" answers, and the counts shown beside pages."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch, Q
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html

from backpain.models import OutgoingEmail

from ..models import (
    ContactMessage,
    HelpfulVote,
)


def helpful_counts(prefix=""):
    """Annotations counting yes and no answers (``prefix`` reaches the votes through a relation)."""
    votes = f"{prefix}helpful_votes" if prefix else "helpful_votes"
    return {
        "helpful_yes": Count(votes, filter=Q(**{f"{votes}__helpful": True})),
        "helpful_no": Count(votes, filter=Q(**{f"{votes}__helpful": False})),
    }


def helpful_summary(yes, no):
    """'7 yes, 1 no (88% yes)', or a dash when nobody has answered."""
    total = yes + no
    if not total:
        return "–"
    return f"{yes} yes, {no} no ({round(100 * yes / total)}% yes)"


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    """Readers' messages: read them, reply by email, then mark them handled."""

    list_display = ["subject", "name", "email", "created_at", "emailed", "handled"]
    list_filter = ["handled", "created_at"]
    search_fields = ["name", "email", "subject", "message"]
    date_hierarchy = "created_at"
    readonly_fields = ["name", "email", "subject", "message", "created_at", "email_to_editors", "handled_at"]
    fields = ["name", "email", "subject", "message", "created_at", "email_to_editors", "handled", "handled_at"]
    actions = ["mark_handled", "mark_unhandled"]

    def has_add_permission(self, request):
        return False  # messages come from readers only

    def get_queryset(self, request):
        latest_first = OutgoingEmail.objects.order_by("-created_at", "-pk")
        return super().get_queryset(request).prefetch_related(Prefetch("emails", queryset=latest_first))

    @admin.display(description="Emailed", boolean=True)
    def emailed(self, message):
        """Yes once its email reached the mail server; no while it waits or after it failed."""
        email = next(iter(message.emails.all()), None)
        return email is not None and email.status == OutgoingEmail.Status.SENT

    @admin.display(description="Email to editors")
    def email_to_editors(self, message):
        """What became of the message's email, linked to it in the mail outbox."""
        email = next(iter(message.emails.all()), None)
        if email is None:
            return "–"
        url = reverse("admin:backpain_outgoingemail_change", args=[email.pk])
        when = email.sent_at if email.status == OutgoingEmail.Status.SENT else email.created_at
        when = formats.localize(timezone.localtime(when))
        return format_html('<a href="{}">{}</a> ({})', url, email.get_status_display(), when)

    def save_model(self, request, obj, form, change):
        if "handled" in form.changed_data:
            obj.handled_at = timezone.now() if obj.handled else None
        super().save_model(request, obj, form, change)

    @admin.action(description="Mark selected messages handled")
    def mark_handled(self, request, queryset):
        count = queryset.filter(handled=False).update(handled=True, handled_at=timezone.now())
        self.message_user(request, f"Marked {count} message(s) handled.", messages.SUCCESS)

    @admin.action(description="Mark selected messages not handled")
    def mark_unhandled(self, request, queryset):
        count = queryset.filter(handled=True).update(handled=False, handled_at=None)
        self.message_user(request, f"Marked {count} message(s) not handled.", messages.SUCCESS)


@admin.register(HelpfulVote)
class HelpfulVoteAdmin(admin.ModelAdmin):
    """Readers' answers to "Was this page helpful?". The changelist summarises them per page."""

    list_display = ["page", "helpful", "created_at"]
    list_filter = ["helpful", ("article", admin.EmptyFieldListFilter), ("stretch", admin.EmptyFieldListFilter)]
    list_select_related = ["article", "stretch__muscle"]
    readonly_fields = ["article", "stretch", "helpful", "created_at"]
    exclude = ["visitor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        summary = path("summary/", self.admin_site.admin_view(self.summary_view), name="articles_helpfulvote_summary")
        return [summary, *super().get_urls()]

    def summary_view(self, request):
        """Yes and no counts per page, least helpful first, from one grouped query."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = (
            HelpfulVote.objects.values(
                "article_id", "article__title", "stretch_id", "stretch__name", "stretch__muscle__name"
            )
            .annotate(yes=Count("id", filter=Q(helpful=True)), no=Count("id", filter=Q(helpful=False)))
            .annotate(total=F("yes") + F("no"))
            .order_by("-no", "yes", "article__title", "stretch__name")
        )
        pages = [
            {
                "title": row["article__title"] or f"{row['stretch__name']} ({row['stretch__muscle__name']})",
                "kind": "Article" if row["article_id"] else "Stretch",
                "yes": row["yes"],
                "no": row["no"],
                "summary": helpful_summary(row["yes"], row["no"]),
            }
            for row in rows
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": "Was it helpful? Answers per page",
            "opts": self.model._meta,
            "pages": pages,
        }
        return TemplateResponse(request, "admin/articles/helpful_summary.html", context)
