"""Values every page's layout needs: the site name, the current section and the sidebar links."""

import logging

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.db.utils import DatabaseError

from .models import Article, InformationLink

logger = logging.getLogger(__name__)

# The main menu's sections, by the URL names of the pages under each. A page in none of them (home, about,
# disclaimer, privacy, site map, contact) marks no menu item: it is in the footer, which marks it there.
NAV_SECTIONS = {
    "articles": {"articles:list", "articles:category", "articles:detail"},
    "stretches": {
        "articles:stretches",
        "articles:muscle",
        "articles:stretch",
        "articles:muscle-routine",
        "articles:stretch-routine",
    },
    "search": {"articles:search"},
}


def _nav_section(match):
    if match is None:
        return ""
    if match.namespace == "assessment":
        return "self-check"
    return next((section for section, names in NAV_SECTIONS.items() if match.view_name in names), "")


def site(request):
    """Expose the site name, the menu section and the page (its URL name) to mark in the navigation, and the
    information-area links.

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

    match = getattr(request, "resolver_match", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "nav_section": _nav_section(match),
        "nav_page": match.view_name if match is not None else "",
        "information_links": information_links,
    }
