"""The breadcrumb trail: one tag draws it on every page and describes it to search engines as JSON-LD.

Load with ``{% load breadcrumbs %}``::

    {% breadcrumbs "Stretches" "articles:stretches" muscle.name muscle stretch.name %}

Arguments alternate label, link, label, link, ... and end with the current page's label, which has no
link. "Home" always comes first by itself. A link is a site path or absolute URL (``/articles/``), an
object with ``get_absolute_url()``, or a URL name to reverse (``"articles:list"``). The visible trail is
``templates/includes/breadcrumbs.html``; the same names and links go into a schema.org ``BreadcrumbList``.
"""

from django import template
from django.urls import reverse

from .seo import absolute_url, json_ld

register = template.Library()


def _link(value):
    """A path or URL for one crumb's link (see the module docstring for what ``value`` may be)."""
    if hasattr(value, "get_absolute_url"):
        return value.get_absolute_url()
    value = str(value)
    if value.startswith(("/", "http://", "https://")):
        return value
    return reverse(value)


def trail(*args):
    """``[(label, link), ...]`` from the tag's arguments, Home first; the last (current) link is ``""``."""
    if not args:
        raise template.TemplateSyntaxError("{% breadcrumbs %} needs at least the current page's label.")
    if len(args) % 2 == 0:
        raise template.TemplateSyntaxError("{% breadcrumbs %} takes label, link pairs, then the current label.")
    pairs = [(str(args[i]), _link(args[i + 1])) for i in range(0, len(args) - 1, 2)]
    return [("Home", reverse("home")), *pairs, (str(args[-1]), "")]


def breadcrumb_list(items, request=None):
    """The schema.org ``BreadcrumbList`` for ``items`` as a JSON-LD ``<script>`` element."""
    elements = []
    for position, (label, link) in enumerate(items, start=1):
        element = {"@type": "ListItem", "position": position, "name": label}
        if link:
            element["item"] = absolute_url(link, request)
        elements.append(element)
    return json_ld({"@type": "BreadcrumbList", "itemListElement": elements})


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, *args):
    """``{% breadcrumbs "Articles" "articles:list" article.title %}``: the visible trail and its JSON-LD."""
    items = trail(*args)
    return {
        "crumbs": items[:-1],
        "current": items[-1][0],
        "structured_data": breadcrumb_list(items, context.get("request")),
    }
