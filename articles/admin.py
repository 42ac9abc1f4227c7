"""The editors' CMS: articles (scheduling, bulk publishing, history, reviews due), muscles and stretches,
comment moderation, contact messages and readers' feedback."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, F, Q
from django.template.defaultfilters import linebreaksbr
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from backpain import retention

from .forms import MuscleAdminForm, StretchAdminForm
from .models import (
    COMMENT_TARGETS,
    Article,
    Category,
    Comment,
    ContactMessage,
    HelpfulVote,
    InformationLink,
    Muscle,
    PendingComment,
    SitePage,
    Stretch,
)
from .notifications import after_commit, email_reader_about_reply


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


class ReviewOverdueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Review overdue"), ("ok", "Review not yet due")]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.review_overdue()
        if self.value() == "ok":
            return queryset.exclude(pk__in=queryset.review_overdue())
        return queryset


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = [
        "title", "category", "status", "published_at", "visibility", "featured", "next_review_due", "helpfulness",
    ]  # fmt: skip
    list_filter = ["status", "category", ReviewOverdueFilter, "featured"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    autocomplete_fields = ["related_articles", "related_muscles"]
    list_select_related = ["category"]
    actions = ["publish", "unpublish"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "summary", "body"]}),
        ("Publishing", {"fields": ["status", "published_at", "featured"]}),
        ("Picture", {"fields": ["hero_image", "hero_image_alt"], "classes": ["collapse"]}),
        ("Review", {"fields": ["reviewed_on", "reviewed_by", "next_review_due"]}),
        ("Search engines and links", {"fields": ["seo_description", "related_articles", "related_muscles"]}),
    ]

    def get_queryset(self, request):
        # Vote counts come from one annotated query, not one query per row.
        return super().get_queryset(request).annotate(**helpful_counts())

    @admin.display(description="Was it helpful?", ordering="helpful_yes")
    def helpfulness(self, article):
        return helpful_summary(article.helpful_yes, article.helpful_no)

    def get_urls(self):
        reviews = path(
            "reviews-due/",
            self.admin_site.admin_view(self.reviews_due_view),
            name="articles_article_reviews_due",
        )
        return [reviews, *super().get_urls()]

    def reviews_due_view(self, request):
        """List the articles whose next review date has passed, most overdue first."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        overdue = Article.objects.review_overdue().select_related("category").order_by("next_review_due", "title")
        context = {
            **self.admin_site.each_context(request),
            "title": "Reviews due",
            "opts": self.model._meta,
            "articles": overdue,
            "today": timezone.localdate(),
        }
        return TemplateResponse(request, "admin/articles/reviews_due.html", context)

    @admin.display(description="Readers see it")
    def visibility(self, article):
        if article.is_live:
            return "Live"
        if article.is_scheduled:
            return f"Scheduled for {timezone.localtime(article.published_at):%d %b %Y %H:%M}"
        return "No (draft)"

    @admin.action(description="Publish selected articles (now, or at their scheduled time)")
    def publish(self, request, queryset):
        count = 0
        for article in queryset.exclude(status=Article.Status.PUBLISHED):
            article.status = Article.Status.PUBLISHED
            article.save()  # save(), not update(): keeps history and sets published_at
            count += 1
        self.message_user(request, f"Published {count} article(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected articles (back to draft)")
    def unpublish(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            article.status = Article.Status.DRAFT
            article.save()
            count += 1
        self.message_user(request, f"Moved {count} article(s) back to draft.", messages.SUCCESS)


@admin.register(InformationLink)
class InformationLinkAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "order"]
    list_editable = ["order"]
    autocomplete_fields = ["article"]


@admin.register(SitePage)
class SitePageAdmin(SimpleHistoryAdmin):
    list_display = ["title", "slug", "updated_at"]
    search_fields = ["title", "body"]

    def get_fieldsets(self, request, obj=None):
        figures = format_html_join(", ", "<code>{{{{ {} }}}}</code> ({})", retention.figures().items())
        description = format_html(
            "How long the site keeps things comes from its settings: write a placeholder where a page should say "
            "it, and the current figure is shown to readers in its place. {}.",
            figures,
        )
        return [(None, {"fields": self.get_fields(request, obj), "description": description})]


class StretchInline(admin.StackedInline):
    """A muscle's stretches, edited on the muscle's page in reading order."""

    model = Stretch
    form = StretchAdminForm
    extra = 0
    show_change_link = True
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": [("name", "slug", "order"), "summary", "technique", "steps"]}),
        (
            "Dose",
            {
                "fields": [
                    ("hold_seconds", "repetitions", "rest_seconds"),
                    ("contract_seconds", "relax_seconds"),
                    "sides",
                ]
            },
        ),
        ("Safety", {"fields": ["what_you_should_feel", "cautions"]}),
        (
            "Picture and video",
            {"fields": ["illustration", "image", "image_alt", "video_url", "video_file", "captions_file"]},
        ),
    ]


@admin.register(Muscle)
class MuscleAdmin(SimpleHistoryAdmin):
    form = MuscleAdminForm
    inlines = [StretchInline]
    list_display = ["name", "slug", "body_view", "stretch_count", "order", "updated_at"]
    list_editable = ["order"]
    list_filter = ["body_view"]
    ordering = ["order", "name"]  # explicit: Meta.ordering is dropped once stretches are counted
    search_fields = ["name", "other_names", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["name", "slug", "other_names", "summary", "order"]}),
        ("About the muscle", {"fields": ["location", "action", "why_it_tightens"]}),
        ("Trigger points", {"fields": ["trigger_points", "referred_pain", "referral_regions"]}),
        ("Body map", {"fields": ["body_view"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(stretch_total=Count("stretches"))

    @admin.display(description="Stretches", ordering="stretch_total")
    def stretch_count(self, muscle):
        return muscle.stretch_total


@admin.register(Stretch)
class StretchAdmin(SimpleHistoryAdmin):
    form = StretchAdminForm
    # The changelist's list_editable form is built from every field; Django 6 makes https the default scheme.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "muscle", "technique", "dose", "sides", "order", "has_video"]
    list_editable = ["order"]
    list_filter = ["muscle", "technique", "sides"]
    list_select_related = ["muscle"]
    search_fields = ["name", "summary", "muscle__name"]
    prepopulated_fields = {"slug": ["name"]}
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["muscle", ("name", "slug", "order"), "summary", "technique", "steps"]}),
        (
            "Dose",
            {
                "fields": [
                    ("hold_seconds", "repetitions", "rest_seconds"),
                    ("contract_seconds", "relax_seconds"),
                    "sides",
                ],
                "description": "Contract-relax: push for the contract time, relax, then stretch for the hold time.",
            },
        ),
        ("Safety", {"fields": ["what_you_should_feel", "cautions"]}),
        (
            "Picture and video",
            {
                "fields": ["illustration", "image", "image_alt", "video_url", "video_file", "captions_file"],
                "description": "A picture needs a description. Videos are loaded only when the reader clicks.",
            },
        ),
    ]

    @admin.display(description="Dose")
    def dose(self, stretch):
        if stretch.is_contract_relax:
            return f"{stretch.repetitions} × push {stretch.contract_seconds}s, stretch {stretch.hold_seconds}s"
        return f"{stretch.repetitions} × {stretch.hold_seconds}s"

    @admin.display(description="Video", boolean=True)
    def has_video(self, stretch):
        return bool(stretch.video_url or stretch.video_file)


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
            after_commit(email_reader_about_reply, obj.pk)
            self.message_user(request, "The reader will be emailed your reply.", messages.INFO)


@admin.register(PendingComment)
class PendingCommentAdmin(CommentAdmin):
    """The moderation queue: only comments waiting for a decision, priority ones first, then the oldest."""

    list_filter = ["needs_priority_review", HasReportsFilter, TargetTypeFilter]

    def get_queryset(self, request):
        return super().get_queryset(request).pending()


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    """Readers' messages: read them, reply by email, then mark them handled."""

    list_display = ["subject", "name", "email", "created_at", "emailed", "handled"]
    list_filter = ["handled", "created_at"]
    search_fields = ["name", "email", "subject", "message"]
    date_hierarchy = "created_at"
    readonly_fields = ["name", "email", "subject", "message", "created_at", "emailed_at", "handled_at"]
    fields = ["name", "email", "subject", "message", "created_at", "emailed_at", "handled", "handled_at"]
    actions = ["mark_handled", "mark_unhandled"]

    def has_add_permission(self, request):
        return False  # messages come from readers only

    @admin.display(description="Emailed", boolean=True)
    def emailed(self, message):
        return message.emailed_at is not None

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
