"""Sitemap entries for the self-check's public pages (never the private results)."""

from django.contrib.sitemaps import Sitemap

from .models import SelfTest


class SelfTestSitemap(Sitemap):
    def items(self):
        return SelfTest.objects.order_by("order", "slug")

    def lastmod(self, test):
        return test.updated_at


SITEMAPS = {"self-tests": SelfTestSitemap}
