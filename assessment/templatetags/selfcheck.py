"""Template filters for the self-check's pages."""

from django import template

register = template.Library()


@register.filter
def duration(seconds):
    """Seconds in words, e.g. 150 -> "2 minutes 30 seconds", 60 -> "1 minute", 45 -> "45 seconds"."""
    try:
        seconds = max(0, int(seconds))
    except (TypeError, ValueError):
        return ""
    minutes, rest = divmod(seconds, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if rest or not minutes:
        parts.append(f"{rest} second{'s' if rest != 1 else ''}")
    return " ".join(parts)
