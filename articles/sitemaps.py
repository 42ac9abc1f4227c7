"""The XML sitemap: every public page, with when it last changed.

Registered in ``backpain.sitemaps`` from ``ArticlesConfig.ready``, beside other apps' sections (self-tests).
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils.functional import cached_property

from .models import Article, Category, Muscle, SitePage, Stretch


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Article.objects.published().order_by("slug")

    def lastmod(self, article):
        return article.updated_at


class CategorySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return (
            Category.objects.filter(articles__in=Article.objects.published())
            .annotate(last_change=Max("articles__updated_at"))
            .order_by("slug")
        )

    def lastmod(self, category):
        return category.last_change


class MuscleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return Muscle.objects.order_by("slug")

    def lastmod(self, muscle):
        return muscle.updated_at


class StretchSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return Stretch.objects.select_related("muscle").order_by("muscle__slug", "slug")

    def lastmod(self, stretch):
        return stretch.updated_at


class SitePageSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.3

    def items(self):
        return SitePage.objects.order_by("slug")

    def lastmod(self, page):
        return page.updated_at


class MainPagesSitemap(Sitemap):
    """Pages with no model of their own; they change whenever the content listed on them does."""

    changefreq = "weekly"
    priority = 0.9

    def items(self):
        return ["home", "articles:list", "articles:stretches", "assessment:start", "articles:site-map"]

    def location(self, name):
        return reverse(name)

    @cached_property
    def _last_changes(self):
        articles = Article.objects.published().aggregate(last=Max("updated_at"))["last"]
        muscles = Muscle.objects.aggregate(last=Max("updated_at"))["last"]
        stretches = Stretch.objects.aggregate(last=Max("updated_at"))["last"]
        return {"articles": articles, "stretches": max(filter(None, [muscles, stretches]), default=None)}

    def lastmod(self, name):
        return self._last_changes["stretches" if name == "articles:stretches" else "articles"]


SITEMAPS = {
    "main": MainPagesSitemap,
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "muscles": MuscleSitemap,
    "stretches": StretchSitemap,
    "pages": SitePageSitemap,
}
