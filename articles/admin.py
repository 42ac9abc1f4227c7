"""The editors' CMS: articles (lists, filters, scheduling, bulk publishing), muscles and stretches, all with history."""

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from .forms import MuscleAdminForm, StretchAdminForm
from .models import Article, Category, InformationLink, Muscle, SitePage, Stretch


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
    list_display = ["title", "category", "status", "published_at", "visibility", "featured", "next_review_due"]
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
