"""The review schedule across every kind of content: what is overdue, with a link to edit each in the admin.

Reads ``backpain.models.reviewed_models()``, so it names no app: any model built on ``Reviewed`` is covered.
"""

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import capfirst

from .models import reviewed_models

# The review fields in every reviewed model's admin form, laid out alike.
ADMIN_FIELDSET = (
    "Clinical review",
    {
        "fields": [("reviewed_on", "next_review_due"), ("reviewer_name", "reviewer_role")],
        "description": "Name a reviewer only when a named clinician has checked this page; until then the page "
        "says it was written by our editors and not yet reviewed by a clinician.",
    },
)


@dataclass
class DueReview:
    """One page whose review date has passed."""

    kind: str
    title: str
    next_review_due: date
    reviewed_on: date | None
    reviewer: str
    admin_url: str  # a path; "" when the kind has no admin page


def admin_change_url(obj):
    """The path of ``obj``'s admin change page, or "" when its model is not in the admin."""
    opts = obj._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""


def overdue_count(today=None):
    """How many reviewed objects ``overdue_reviews`` would list, counted in one query per kind."""
    today = today or timezone.localdate()
    return sum(model.overdue_for_review(today).count() for model in reviewed_models())


def overdue_reviews(today=None):
    """Every reviewed object whose next review date is before ``today``, most overdue first."""
    today = today or timezone.localdate()
    due = []
    for model in reviewed_models():
        queryset = model.overdue_for_review(today)
        related = [f.name for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
        for obj in queryset.select_related(*related):  # str() of a stretch names its muscle
            reviewer = ", ".join(part for part in (obj.reviewer_name, obj.reviewer_role) if part)
            due.append(
                DueReview(
                    kind=capfirst(model._meta.verbose_name),
                    title=str(obj),
                    next_review_due=obj.next_review_due,
                    reviewed_on=obj.reviewed_on,
                    reviewer=reviewer,
                    admin_url=admin_change_url(obj),
                )
            )
    return sorted(due, key=lambda item: (item.next_review_due, item.kind, item.title))
