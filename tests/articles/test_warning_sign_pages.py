"""The shipped pages that list warning signs put each sign in its NHS tier, as a reader sees the page."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

EMERGENCY = "Call 999 or go to A&E now"
URGENT = "Call 111 or get an urgent GP appointment today"
ROUTINE = "See a GP when you can"
TIERS = (EMERGENCY, URGENT, ROUTINE)
ARTICLE = "/articles/when-back-pain-needs-a-doctor/"

EMERGENCY_SIGNS = [
    "New pain, tingling, weakness or numbness in both legs",
    "New numbness or tingling around your genitals or bottom",
    "a changed feeling when you wipe",
    "New trouble peeing, or losing control of your bladder or bowels",
    "New problems getting or keeping an erection",
    "Chest pain",
    "started after a serious accident",
]
URGENT_SIGNS = [
    "A high temperature",
    "Losing weight without trying",
    "A lump or swelling in your back",
    "changed shape",
    "does not ease when you rest, or is worse at night",
    "cough, sneeze or strain on the toilet",
    "Pain between your shoulder blades",
    "if you have had cancer",
    "thin bones (osteoporosis) or take steroid tablets long term",
]
ROUTINE_SIGNS = [
    "not got better after a few weeks",
    "stops you doing your usual activities",
    "over 50 or under 20",
    "immune system",
    "drugs",
    "hard to cope",
]


class _BodyReader(HTMLParser):
    """Reads the page's main text (div.article-body): each list item under the tier heading it sits in,
    and each table body row as (first cell, second cell).

    A tier heading (h2 or h3) starts a tier; a later h2 that is not a tier ends it. An h3 that is not a tier
    ("The signs", "What to do") stays inside the tier above it.
    """

    def __init__(self):
        super().__init__()
        self.depth = 0  # div nesting inside the article body; 0 means outside it
        self.tag, self.text = None, []
        self.tier = None
        self.items = []  # (tier, text)
        self.rows, self.cells = [], []

    def handle_starttag(self, tag, attrs):
        if tag == "div" and (self.depth or "article-body" in (dict(attrs).get("class") or "").split()):
            self.depth += 1
        elif self.depth and tag in ("h2", "h3", "li", "td"):
            self.tag, self.text = tag, []
        elif self.depth and tag == "tr":
            self.cells = []

    def handle_data(self, data):
        if self.depth and self.tag:
            self.text.append(data)

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag == "div":
            self.depth -= 1
        elif tag == self.tag:
            text = " ".join("".join(self.text).split())
            if tag in ("h2", "h3"):
                if text in TIERS:
                    self.tier = text
                elif tag == "h2":
                    self.tier = None
            elif tag == "li":
                self.items.append((self.tier, text))
            else:
                self.cells.append(text)
            self.tag = None
        elif tag == "tr" and len(self.cells) == 2:
            self.rows.append(tuple(self.cells))


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200
    reader = _BodyReader()
    reader.feed(response.content.decode())
    return reader


def tier_of(reader, words):
    """The tiers whose lists mention ``words`` (case-insensitive)."""
    return {tier for tier, text in reader.items if words.lower() in text.lower()}


def assert_every_sign_in_its_tier(reader):
    for tier, signs in ((EMERGENCY, EMERGENCY_SIGNS), (URGENT, URGENT_SIGNS), (ROUTINE, ROUTINE_SIGNS)):
        for words in signs:
            assert tier_of(reader, words) == {tier}, (words, tier_of(reader, words))


@pytest.fixture
def article(client, site_content):
    return read(client, ARTICLE)


@pytest.fixture
def disclaimer(client, site_content):
    return read(client, reverse("articles:disclaimer"))


def test_the_doctor_article_lists_every_warning_sign_under_its_nhs_tier(article):
    assert_every_sign_in_its_tier(article)
    assert (EMERGENCY, "Chest pain.") in article.items
    assert any(tier == URGENT and text.startswith("Pain between your shoulder blades") for tier, text in article.items)


def test_the_doctor_article_table_agrees_with_its_sections(article):
    rows = {tier: signs.lower() for tier, signs in article.rows}
    assert set(rows) == set(TIERS)
    for tier, signs in ((EMERGENCY, EMERGENCY_SIGNS), (URGENT, URGENT_SIGNS), (ROUTINE, ROUTINE_SIGNS)):
        for words in signs:
            assert [name for name, text in rows.items() if words.lower() in text] == [tier], words


def test_the_doctor_article_keeps_long_lasting_pain_routine_and_helps_readers_abroad(client, site_content):
    page = client.get(ARTICLE).content.decode()
    body = page[page.index('<div class="article-body">') : page.index('<footer class="review-dates">')]
    assert "Long-lasting back pain is a good reason to see a GP when you can" in body
    assert "not a reason to stop looking after your back" in body
    assert "112 in Europe, 911 in the US and Canada" in body
    assert "See a doctor soon" not in body and "major fall" not in body


def test_the_disclaimer_lists_every_warning_sign_under_its_nhs_tier(disclaimer):
    assert_every_sign_in_its_tier(disclaimer)
    # The list after the warning signs ("Check first if this applies to you") is in no tier.
    assert "pregnant" in " ".join(text for tier, text in disclaimer.items if tier is None)


def test_the_disclaimer_says_long_lasting_pain_is_not_an_emergency_and_helps_readers_abroad(client, site_content):
    page = client.get(reverse("articles:disclaimer")).content.decode()
    assert "if your back has hurt for months or years, that is a reason to see a GP when you can" in page
    assert "not a reason to stop looking after your back" in page
    assert "112 in Europe, 911 in the US and Canada" in page
