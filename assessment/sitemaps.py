"""Sitemap entries for the self-check's public pages (never the private results)."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from .models import Imbalance, SelfTest


class SelfTestSitemap(Sitemap):
    def items(self):
        return SelfTest.objects.order_by("order", "slug")

    def lastmod(self, test):
        return test.updated_at


class GuidanceSitemap(Sitemap):
    """The self-check's pages of guidance that are not one per object: the strengthening exercises."""

    def items(self):
        return ["assessment:strengthening"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        """When an imbalance (whose strengthening guidance the page shows) was last changed."""
        return Imbalance.objects.aggregate(latest=Max("updated_at"))["latest"]


SITEMAPS = {"self-tests": SelfTestSitemap, "self-check-guidance": GuidanceSitemap}
