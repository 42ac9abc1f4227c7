"""Words about a stretch's sides for the page (or card) opened for ``side``, as ``Stretch`` words them.

``{{ stretch|side_label:side }}`` ("Left side", "Each side in turn", "Both legs at once") and
``{{ stretch|time_text:side }}`` ("About 2 minutes a side, 4 in all"); an empty or missing side is none.
"""

from django import template

register = template.Library()


@register.filter
def side_label(stretch, side=""):
    return stretch.side_label(side)


@register.filter
def time_text(stretch, side=""):
    return stretch.time_text(side)
