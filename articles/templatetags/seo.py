"""Tags for search engines and sharing: canonical and absolute URLs, JSON-LD, breadcrumbs.

Load with ``{% load seo %}``. JSON-LD is escaped the way Django's ``json_script`` escapes JSON
(``<``, ``>`` and ``&`` become ``\\u003C`` and so on), so no text in the data can close the
``<script>`` element early.
"""

import json

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..models import SIDE_EACH

register = template.Library()

JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
SHARE_IMAGE = "img/share.png"


def absolute_url(path, request=None):
    """Make ``path`` absolute: from the request's (validated) host when there is one, else ``settings.SITE_URL``."""
    if path.startswith(("http://", "https://")):
        return path
    if request is not None:
        try:
            return request.build_absolute_uri(path)
        except DisallowedHost:  # the 400 page for a forged Host header must still render
            pass
    return settings.SITE_URL.rstrip("/") + path


def json_ld(data):
    """Render ``data`` as a ``<script type="application/ld+json">`` element, safely escaped."""
    text = json.dumps({"@context": "https://schema.org", **data}, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text.translate(JSON_SCRIPT_ESCAPES)))  # noqa: S308


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # Rendered template output is already escaped; keep it safe so it is not escaped twice.
        context[self.name] = mark_safe(" ".join(self.nodelist.render(context).split()))  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    """``{% capture as name %}...{% endcapture %}``: render the contents once into a variable, whitespace collapsed.

    The layout uses it to reuse a block (the title, the description) in several tags.
    """
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}...{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's canonical address: its path without a query string, except ``?page=N`` beyond the first page."""
    request = context.get("request")
    if request is None:
        return ""
    url = absolute_url(request.path, request)
    page_obj = context.get("page_obj")
    if page_obj is not None and getattr(page_obj, "number", 1) > 1:
        url += f"?page={page_obj.number}"
    return url


@register.simple_tag(takes_context=True)
def absolute(context, path):
    """``{% absolute path %}``: the absolute form of a site path."""
    return absolute_url(path, context.get("request"))


@register.simple_tag(takes_context=True)
def share_image_url(context):
    """The default picture shown when a page is shared."""
    return absolute_url(static(SHARE_IMAGE), context.get("request"))


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, *trail):
    """``{% breadcrumbs "Articles" list_url article.title %}``: the visible trail and its BreadcrumbList JSON-LD.

    Pass labels and URLs in turn; the last label (the current page) has no URL. Home comes first by itself.
    """
    request = context.get("request")
    items = [("Home", reverse("home"))]
    pairs = list(trail)
    while pairs:
        label = pairs.pop(0)
        url = pairs.pop(0) if pairs else ""
        items.append((str(label), url))
    elements = []
    for position, (label, url) in enumerate(items, start=1):
        element = {"@type": "ListItem", "position": position, "name": label}
        if url:
            element["item"] = absolute_url(url, request)
        elements.append(element)
    return {
        "crumbs": items[:-1],
        "current": items[-1][0],
        "structured_data": json_ld({"@type": "BreadcrumbList", "itemListElement": elements}),
    }


def _organisation():
    return {"@type": "Organization", "name": settings.SITE_NAME}


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    """MedicalWebPage structured data for an article, with when and by whom it was last reviewed."""
    request = context.get("request")
    data = {
        "@type": "MedicalWebPage",
        "name": article.title,
        "headline": article.title,
        "description": article.meta_description,
        "url": absolute_url(article.get_absolute_url(), request),
        "inLanguage": "en-GB",
        "about": {"@type": "MedicalCondition", "name": "Low back pain"},
        "audience": {"@type": "Patient"},
        "publisher": _organisation(),
        "image": absolute_url(article.hero_image.url if article.hero_image else static(SHARE_IMAGE), request),
        "articleSection": article.category.name,
    }
    if article.published_at:
        data["datePublished"] = article.published_at.isoformat()
    if article.updated_at:
        data["dateModified"] = article.updated_at.isoformat()
    if article.reviewed_on:
        data["lastReviewed"] = article.reviewed_on.isoformat()
    if article.reviewed_by:
        # Shipped content is reviewed by a team; an editor may name one person instead.
        kind = "Organization" if "team" in article.reviewed_by.lower() else "Person"
        data["reviewedBy"] = {"@type": kind, "name": article.reviewed_by}
    return json_ld(data)


def iso_duration(seconds):
    """``PT2M30S`` for 150 seconds (ISO 8601, as schema.org expects)."""
    minutes, seconds = divmod(int(seconds), 60)
    return "PT" + (f"{minutes}M" if minutes else "") + (f"{seconds}S" if seconds or not minutes else "")


@register.simple_tag(takes_context=True)
def stretch_json_ld(context, stretch):
    """HowTo structured data for a stretch at its canonical address: its steps in order and the total time
    (one set for both legs at once, each side in turn for a one-sided stretch)."""
    request = context.get("request")
    if stretch.image:
        image = stretch.image.url
    elif stretch.illustration:
        image = static(stretch.illustration)
    else:
        image = static(SHARE_IMAGE)
    data = {
        "@type": "HowTo",
        "name": stretch.name,
        "description": stretch.summary,
        "url": absolute_url(stretch.get_absolute_url(), request),
        "image": absolute_url(image, request),
        "totalTime": iso_duration(stretch.total_seconds(SIDE_EACH)),
        "step": [
            {"@type": "HowToStep", "position": position, "text": str(text)}
            for position, text in enumerate(stretch.steps or [], start=1)
        ],
    }
    return json_ld(data)
