"""RSS and Atom feeds of published articles, newest first."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import Article

FEED_LENGTH = 50


class LatestArticlesFeed(Feed):
    """The newest published articles as RSS 2.0."""

    title = f"{settings.SITE_NAME}: new articles"
    description = "New and updated articles on lower back pain: what to stretch, how, and when."

    def link(self):
        return reverse("articles:list")

    def feed_url(self):
        return reverse("articles:feed")

    def items(self):
        return Article.objects.published().select_related("category")[:FEED_LENGTH]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.summary

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_categories(self, article):
        return [article.category.name]

    def item_author_name(self, article):
        return settings.SITE_NAME


class LatestArticlesAtomFeed(LatestArticlesFeed):
    """The same articles as Atom 1.0."""

    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description

    def feed_url(self):
        return reverse("articles:feed-atom")
