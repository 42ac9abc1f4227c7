"""Sitemap entries for the self-check's public pages (never the private results)."""

from django.contrib.sitemaps import Sitemap
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
        return Imbalance.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()


SITEMAPS = {"self-tests": SelfTestSitemap, "self-check-guidance": GuidanceSitemap}
