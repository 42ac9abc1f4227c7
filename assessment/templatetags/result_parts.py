"""The rows of a result page that are a reader's own: their answers, their scores, the checks behind a pattern.

A result is never cached, and these lists are most of what it renders each time; built here with
``format_html_join`` they cost a small part of the same markup written as template loops (a template variable
runs some thirty function calls). Each tag returns the list's items only; the page keeps the list element, its
heading and its label.
"""

from django import template
from django.utils.html import format_html_join

register = template.Library()

WEAK = "weak"
WEAK_NOTE = " (a weak sign on its own)"


@register.simple_tag
def answer_rows(rows, skip_role=""):
    """``<div class="answer-row">`` with the question and the answer, for each row whose role is not ``skip_role``."""
    return format_html_join(
        "",
        '<div class="answer-row"><dt>{}</dt><dd class="answer-value">{}</dd></div>',
        (
            (row.get("question", ""), row.get("answer", ""))
            for row in rows
            if not skip_role or row.get("role") != skip_role
        ),
    )


@register.simple_tag
def reason_items(reasons, with_pattern=False):
    """``<li>`` for each answer behind a pattern: the question, the answer, whether it is a weak sign.

    ``with_pattern``: also which pattern the answer fits (the checks that disagree).
    """
    return format_html_join(
        "",
        "<li>{} You answered: “{}”{}{}.</li>",
        (
            (
                reason.get("question", ""),
                reason.get("answer", ""),
                f". This fits {reason.get('name', '').lower()}" if with_pattern else "",
                WEAK_NOTE if reason.get("finding") == WEAK else "",
            )
            for reason in reasons
        ),
    )


@register.simple_tag
def score_rows(chart):
    """``<li class="score-row">`` for each pattern: its name labelling a meter of its points, the points in words."""
    return format_html_join(
        "\n",
        '<li class="score-row"><label class="score-label" for="score-{0}">{1}</label>'
        '<meter id="score-{0}" class="score-meter" min="0" max="{3}" value="{2}">{2} of {3}</meter>'
        '<span class="score-value">{2} point{4} (of {3} possible)</span></li>',
        ((row["code"], row["name"], row["score"], row["max"], "" if row["score"] == 1 else "s") for row in chart),
    )
