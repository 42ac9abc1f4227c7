"""The editors' CMS for articles: lists, filters, scheduling, bulk publishing and history."""

from django.contrib import admin, messages
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from .models import Article, Category, InformationLink, SitePage


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
    autocomplete_fields = ["related_articles"]
    list_select_related = ["category"]
    actions = ["publish", "unpublish"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "summary", "body"]}),
        ("Publishing", {"fields": ["status", "published_at", "featured"]}),
        ("Picture", {"fields": ["hero_image", "hero_image_alt"], "classes": ["collapse"]}),
        ("Review", {"fields": ["reviewed_on", "reviewed_by", "next_review_due"]}),
        ("Search engines and links", {"fields": ["seo_description", "related_articles"]}),
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
