"""The breadcrumb trail: one tag draws it on every page and describes it to search engines as JSON-LD.

Load with ``{% load breadcrumbs %}``::

    {% breadcrumbs "Stretches" "articles:muscles" muscle.name muscle stretch.name %}

Arguments alternate label, link, label, link, ... and end with the current page's label, which has no
link. "Home" always comes first by itself. A link is a site path or absolute URL (``/articles/``), an
object with ``get_absolute_url()``, or a URL name to reverse (``"articles:list"``). The visible trail is
``templates/includes/breadcrumbs.html``; the same names and links go into a schema.org ``BreadcrumbList``.
"""

import json

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The escapes of Django's json_script: no text in a label can close the <script> element early.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _link(value):
    """A path or URL for one crumb's link (see the module docstring for what ``value`` may be)."""
    if hasattr(value, "get_absolute_url"):
        return value.get_absolute_url()
    value = str(value)
    if value.startswith(("/", "http://", "https://")):
        return value
    return reverse(value)


def _absolute(path, request):
    if path.startswith(("http://", "https://")):
        return path
    if request is not None:
        try:
            return request.build_absolute_uri(path)
        except DisallowedHost:  # a page for a forged Host header still renders
            pass
    return settings.SITE_URL.rstrip("/") + path


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
            element["item"] = _absolute(link, request)
        elements.append(element)
    data = {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": elements}
    text = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, *args):
    """``{% breadcrumbs "Articles" "articles:list" article.title %}``: the visible trail and its JSON-LD."""
    items = trail(*args)
    return {
        "crumbs": items[:-1],
        "current": items[-1][0],
        "structured_data": breadcrumb_list(items, context.get("request")),
    }
