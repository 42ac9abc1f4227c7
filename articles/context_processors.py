"""Values every page's layout needs: the site name, the current section and the sidebar links."""

import logging

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.db.utils import DatabaseError

from .models import Article, InformationLink

logger = logging.getLogger(__name__)

STRETCH_PAGES = {"stretches", "muscle", "stretch", "muscle-routine", "stretch-routine"}


def _nav_section(request):
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.namespace == "assessment":
        return "self-check"
    if match.namespace == "articles":
        if match.url_name in STRETCH_PAGES:
            return "stretches"
        return "search" if match.url_name == "search" else "articles"
    return ""


def site(request):
    """Expose the site name, the section to mark in the navigation, and the information-area links.

    The links are a callable so the query runs only on pages that show the sidebar. If the database fails
    there, the sidebar falls back to its plain link to all articles instead of breaking the page.
    """

    def information_links():
        # Exists, not "article__in": SQLite would list every published article for a handful of links.
        live = Article.objects.published().filter(pk=OuterRef("article_id"))
        links = InformationLink.objects.filter(Exists(live)).select_related("article").order_by("order", "id")
        try:
            return list(links)
        except DatabaseError:
            logger.warning("Could not read the sidebar links; showing the page without them.", exc_info=True)
            return []

    return {
        "SITE_NAME": settings.SITE_NAME,
        "nav_section": _nav_section(request),
        "information_links": information_links,
    }
