"""Tags for search engines and sharing: canonical and absolute URLs, JSON-LD, breadcrumbs.

Load with ``{% load seo %}``; the structured data of articles and stretches is ``articles``' own
(``{% load content_seo %}``). JSON-LD is escaped the way Django's ``json_script`` escapes JSON
(``<``, ``>`` and ``&`` become ``\\u003C`` and so on), so no text in the data can close the
``<script>`` element early.
"""

import json

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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
