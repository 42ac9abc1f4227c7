"""``{% helpful_form page %}``: the "Was this page helpful?" yes/no form for an article or a stretch."""

from django import template
from django.urls import reverse

from ..models import Article, Stretch

register = template.Library()

HELPFUL_TAG = "helpful"
KINDS = {Article: "article", Stretch: "stretch"}


def _side_query(page, side):
    if not isinstance(page, Stretch):
        return ""
    return page.url_for_side(side).removeprefix(page.get_absolute_url())


@register.inclusion_tag("includes/helpful_form.html", takes_context=True)
def helpful_form(context, page):
    """Render the yes/no form, or the thank-you once the reader has answered on this page; with the error of
    an answer that was neither (``helpful_vote_form`` in the page's context, when ``helpful_vote`` failed)."""
    kind = KINDS[type(page)]
    thanked = any(HELPFUL_TAG in message.tags.split() for message in context.get("messages") or [])
    failed = context.get("helpful_vote_form")
    return {
        "errors": failed["helpful"].errors if failed is not None else [],
        # A stretch page opened for one side goes back to that side after the vote.
        "action": reverse("articles:helpful", args=[kind, page.pk]) + _side_query(page, context.get("side")),
        "csrf_token": context.get("csrf_token"),
        "thanked": thanked,
    }
