"""Words about a stretch's sides for the page (or card) opened for ``side``, as ``Stretch`` words them, and the
times of tonight's routine.

``{{ stretch|side_label:side }}`` ("Left side", "Each side in turn", "Both legs at once"),
``{{ stretch|routine_side:side }}`` (the same for a routine's step: "Both sides, left then right"),
``{{ stretch|time_text:side }}`` ("About 2 minutes a side, 4 in all") and ``{{ stretch|total_seconds:side }}``;
an empty or missing side is none. ``{{ seconds|minutes }}`` is a time in whole minutes ("3 minutes"), and
``{{ steps|item_at:forloop.counter }}`` the next item of a list (or None), for a routine's "Next:" line.
"""

from django import template

from ..models import SIDE_LEFT, SIDE_RIGHT, clean_side

register = template.Library()


@register.filter
def side_label(stretch, side=""):
    return stretch.side_label(side)


@register.filter
def routine_side(stretch, side=""):
    """The side of one step of tonight's routine, in a few words: "Left side", "Right side", "Both sides, left
    then right" (a one-sided stretch with no side named) or "Both legs at once"."""
    if stretch.is_both_legs:
        return "Both legs at once"
    return {SIDE_LEFT: "Left side", SIDE_RIGHT: "Right side"}.get(clean_side(side), "Both sides, left then right")


@register.filter
def time_text(stretch, side=""):
    return stretch.time_text(side)


@register.filter
def total_seconds(stretch, side=""):
    return stretch.total_seconds(side)


@register.filter
def minutes(seconds):
    """Seconds as whole minutes in words, rounded, at least one: 150 -> "3 minutes", 20 -> "1 minute"."""
    try:
        count = max(1, (int(seconds) + 30) // 60)  # half a minute rounds up
    except (TypeError, ValueError):
        return ""
    return f"{count} minute{'s' if count != 1 else ''}"


@register.filter
def item_at(items, index):
    """``items[index]``, or None past the end."""
    try:
        return items[int(index)]
    except (IndexError, TypeError, ValueError):
        return None
