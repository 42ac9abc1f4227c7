"""Every public page type shows its clinical review in the NHS style, with an honest reviewer line."""

import datetime
import re

import pytest
from django.urls import reverse

from articles.models import SitePage
from tests.factories import ArticleFactory, MuscleFactory, StretchFactory

pytestmark = pytest.mark.django_db

HONEST = "Written by our editors; not yet reviewed by a clinician."
REVIEWED = {"reviewed_on": datetime.date(2026, 12, 1), "next_review_due": datetime.date(2027, 6, 1)}


def review_text(response):
    """The visible text of the page's review footer."""
    html = response.content.decode()
    (footer,) = re.findall(r'<footer class="review-dates">(.*?)</footer>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", footer)).strip()


def site_page(**fields):
    return SitePage.objects.create(slug="about", title="About us", summary="Who we are.", body="Hello.", **fields)


PAGES = {
    "article": lambda **fields: ArticleFactory(**fields),
    "muscle": lambda **fields: MuscleFactory(**fields),
    "stretch": lambda **fields: StretchFactory(**fields),
    "site page": site_page,
}


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_a_page_shows_its_review_dates_and_says_no_clinician_has_reviewed_it(client, kind):
    page = PAGES[kind](**REVIEWED)
    text = review_text(client.get(page.get_absolute_url()))
    assert "Page last reviewed: 1 December 2026 · Next review due: 1 June 2027" in text
    assert HONEST in text
    assert "Reviewed by" not in text


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_a_page_names_its_clinical_reviewer_and_role(client, kind):
    page = PAGES[kind](**REVIEWED, reviewer_name="Dr Asha Patel", reviewer_role="consultant physiotherapist")
    text = review_text(client.get(page.get_absolute_url()))
    assert "Reviewed by Dr Asha Patel, consultant physiotherapist." in text
    assert "not yet reviewed by a clinician" not in text


def test_a_page_never_reviewed_says_so(client):
    muscle = MuscleFactory(reviewed_on=None, next_review_due=None)
    text = review_text(client.get(muscle.get_absolute_url()))
    assert "Page last reviewed: not yet reviewed · Next review due: not set" in text and HONEST in text


def test_no_shipped_page_names_a_team_as_its_reviewer(client, site_content):
    """Shipped content was checked by its editors, not a clinician: it dates the check and names no reviewer."""
    for url in (
        reverse("articles:detail", args=["why-stretch-at-bedtime"]),
        reverse("articles:muscle", args=["hip-flexors"]),
        reverse("articles:about"),
    ):
        text = review_text(client.get(url))
        assert "Page last reviewed: 2 December 2026 · Next review due: 2 December 2027" in text, url
        assert HONEST in text and "team" not in text.lower(), url
