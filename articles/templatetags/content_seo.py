"""Structured data (JSON-LD) for articles and stretches: ``{% load content_seo %}``, beside ``{% load seo %}``."""

from django import template
from django.conf import settings
from django.templatetags.static import static

from backpain.templatetags.seo import SHARE_IMAGE, absolute_url, json_ld

from ..models import SIDE_EACH

register = template.Library()


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
    if article.reviewed_by_clinician:
        # Only a named person: until a clinician has checked the page, it claims no reviewer at all.
        data["reviewedBy"] = {"@type": "Person", "name": article.reviewer_name}
        if article.reviewer_role:
            data["reviewedBy"]["jobTitle"] = article.reviewer_role
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
