"""Articles (scheduling, bulk publishing, history, reviews due), their categories, sidebar links and site pages."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from backpain import retention, reviews
from backpain.admin import HomeCard
from backpain.history import HistoryAdmin
from backpain.markdown import render_markdown

from ..models import (
    Article,
    ArticleSource,
    Category,
    InformationLink,
    SitePage,
    Source,
)
from .feedback import helpful_counts, helpful_summary
from .pending import PendingChangesAdmin


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


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6's default, without its warning
    list_display = ["title", "authors", "year", "slug", "article_count"]
    search_fields = ["title", "authors", "published_in", "note", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "authors", "published_in", "year", "url", "note"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("article_links"))

    @admin.display(description="Articles citing it", ordering="article_total")
    def article_count(self, source):
        return source.article_total


class ArticleSourceInline(admin.TabularInline):
    """An article's sources, in the order they are listed at its end."""

    model = ArticleSource
    extra = 0
    fields = ["order", "source"]
    autocomplete_fields = ["source"]
    verbose_name = "source"
    verbose_name_plural = "Sources (listed at the end of the article, in this order)"


@admin.register(Article)
class ArticleAdmin(PendingChangesAdmin, HistoryAdmin):
    list_display = [
        "title", "category", "status", "published_at", "visibility", "featured", "next_review_due", "helpfulness",
    ]  # fmt: skip
    list_filter = ["status", "category", ReviewOverdueFilter, "featured"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    autocomplete_fields = ["related_articles", "related_muscles"]
    list_select_related = ["category"]
    actions = ["publish", "unpublish", "archive"]
    inlines = [ArticleSourceInline]
    # Readers' comments protect an article from deletion; these pages offer to archive it instead.
    delete_confirmation_template = "admin/articles/article/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/articles/article/delete_selected_confirmation.html"
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "summary", "body"]}),
        ("Publishing", {"fields": ["status", "published_at", "featured"]}),
        ("Picture", {"fields": ["hero_image", "hero_image_alt"], "classes": ["collapse"]}),
        reviews.ADMIN_FIELDSET,
        ("Search engines and links", {"fields": ["seo_description", "related_articles", "related_muscles"]}),
    ]

    # Whether readers see it is not part of changes saved for later: they change the text, not that.
    pending_excluded_fields = ("status", "published_at")

    def readers_see(self, article):
        return article.is_live

    def preview_response(self, request, article, form):
        """The article page as readers would see it with the form's values (``PendingChangesAdmin.preview_view``)."""
        rendered = render_markdown(article.body)
        article.body_html, article.toc, article.reading_minutes = rendered.html, rendered.toc, rendered.reading_minutes
        chosen = form.cleaned_data.get("related_articles")
        related = chosen.published().select_related("category")[:3] if chosen is not None else []
        context = {
            "article": article, "related": related, "preview": True, "unsaved_preview": True,
            "comment_form": None, "helpful_vote_form": None,
        }  # fmt: skip
        return TemplateResponse(request, "articles/article_detail.html", context)

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
        """List every page of every kind (articles, muscles, stretches, self-tests...) whose review date has passed,
        most overdue first, each with a link to edit it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        context = {
            **self.admin_site.each_context(request),
            "title": "Reviews due",
            "opts": self.model._meta,
            "overdue": reviews.overdue_reviews(today),
            "today": today,
        }
        return TemplateResponse(request, "admin/articles/reviews_due.html", context)

    @admin.display(description="Readers see it")
    def visibility(self, article):
        if article.is_archived:
            return "No (archived: its address says it was retired)"
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

    @admin.action(
        description="Archive selected articles (retire their pages, keep their comments)", permissions=["change"]
    )
    def archive(self, request, queryset):
        """Take articles down without deleting them: readers' comments stay, and publishing brings them back."""
        count = 0
        for article in queryset.exclude(status=Article.Status.ARCHIVED):
            article.status = Article.Status.ARCHIVED
            article._history_user = request.user
            article._change_reason = "Archived (retired)"
            article.save()  # save(), not update(): keeps history and the page cache right
            self.log_change(request, article, "Archived (retired).")
            count += 1
        self.message_user(
            request,
            f"Archived {count} article(s): readers are told each was retired, and the comments are kept. "
            "To bring one back, publish it again or restore an earlier version from its history.",
            messages.SUCCESS,
        )


@admin.register(InformationLink)
class InformationLinkAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "order"]
    list_editable = ["order"]
    autocomplete_fields = ["article"]


@admin.register(SitePage)
class SitePageAdmin(PendingChangesAdmin, HistoryAdmin):
    """Site pages are always shown to readers, so every change may be saved for later (``PendingChangesAdmin``)."""

    list_display = ["title", "slug", "updated_at"]
    search_fields = ["title", "body"]

    def preview_response(self, request, page, form):
        page.body_html = render_markdown(page.body).html
        return TemplateResponse(request, "articles/site_page.html", {"page": page, "unsaved_preview": True})

    def get_fieldsets(self, request, obj=None):
        figures = format_html_join(", ", "<code>{{{{ {} }}}}</code> ({})", retention.figures().items())
        description = format_html(
            "How long the site keeps things comes from its settings: write a placeholder where a page should say "
            "it, and the current figure is shown to readers in its place. {}.",
            figures,
        )
        review_fields = {name for row in reviews.ADMIN_FIELDSET[1]["fields"] for name in row}
        fields = [name for name in self.get_fields(request, obj) if name not in review_fields]
        return [(None, {"fields": fields, "description": description}), reviews.ADMIN_FIELDSET]


def reviews_due_cards(request):
    """The reviews-due card on the admin's front page: pages of every kind whose clinical review date has passed."""
    if not request.user.has_perm("articles.view_article"):
        return []
    return [
        HomeCard(
            "Reviews due",
            reverse("admin:articles_article_reviews_due"),
            reviews.overdue_count(),
            "Pages of every kind past their review date, most overdue first",
        )
    ]
