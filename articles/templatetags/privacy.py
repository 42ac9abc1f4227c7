"""``{% kept_for "contact-messages" %}``: how long the site keeps something, in words, from the settings."""

from django import template

from backpain import retention

register = template.Library()


@register.simple_tag
def kept_for(name):
    """The period the retention rule ``name`` keeps its records, e.g. "12 months" (backpain.retention)."""
    return retention.figures()[name]
