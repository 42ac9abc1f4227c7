"""Hostile text in comments: whatever a reader sends, the page shows it as inert text or refuses it."""

import sys
import unicodedata
from html.parser import HTMLParser

import pytest
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Comment
from backpain.models import RateLimit
from tests.articles.comments_support import post_comment
from tests.factories import ArticleFactory
from tests.harness.payloads import XSS_PAYLOADS

pytestmark = pytest.mark.django_db


# Tags a comment in the list may contain, all written by the template; reader text adds none.
COMMENT_TAGS = {"li", "p", "strong", "bdi", "span", "time", "div", "br", "form", "input", "button"}


class CommentListParser(HTMLParser):
    """Collect every tag and attribute inside the page's comment list."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.tags = []

    def handle_starttag(self, tag, attrs):
        if tag == "ol" and ("class", "comment-list") in attrs:
            self.depth = 1
            return
        if self.depth:
            self.tags.append((tag, dict(attrs)))
            if tag not in {"br", "input"}:
                self.depth += 1

    def handle_endtag(self, tag):
        if self.depth and tag not in {"br", "input"}:
            self.depth -= 1


def rendered_comment_markup(client, article):
    parser = CommentListParser()
    parser.feed(client.get(article.get_absolute_url()).content.decode())
    return parser.tags


def assert_inert(tags):
    assert tags, "the comment list was not found"
    assert {tag for tag, _ in tags} <= COMMENT_TAGS
    for _, attrs in tags:
        assert not [name for name in attrs if name.startswith("on") or name in {"src", "style", "href"}]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markup_in_a_name_or_comment_renders_as_text(client, payload):
    """Each payload, as the name and in the body, is shown as the characters typed and adds no markup."""
    article = ArticleFactory()
    response = post_comment(client, article, name=payload[:80], body=f"Before {payload} after\nnext line")
    assert response.status_code == 303
    Comment.objects.update(status=Comment.Status.APPROVED)
    page = client.get(article.get_absolute_url()).content.decode()
    assert escape(payload) in page
    if "<" in payload:
        assert payload not in page
    assert_inert(rendered_comment_markup(client, article))
    assert "next line" in page


def test_links_in_comments_stay_plain_text():
    """URLs are not turned into links, so they carry no weight for spammers and need no vetting."""
    from django.test import Client

    client = Client()
    article = ArticleFactory()
    post_comment(client, article, body="See https://spam.example and www.spam.example")
    Comment.objects.update(status=Comment.Status.APPROVED)
    tags = rendered_comment_markup(client, article)
    assert "a" not in {tag for tag, _ in tags}
    assert "See https://spam.example and www.spam.example" in client.get(article.get_absolute_url()).content.decode()


def one_of_every_category():
    """One character from every Unicode general category except surrogates, which UTF-8 cannot carry."""
    found = {}
    for code in range(1, sys.maxunicode + 1):  # from 1: NUL is refused outright, tested elsewhere
        category = unicodedata.category(chr(code))
        if category != "Cs" and category not in found:
            found[category] = chr(code)
    return found


def test_text_from_every_unicode_category_is_stored_cleaned_and_shown(client):
    article = ArticleFactory()
    characters = one_of_every_category()
    assert len(characters) == 29
    body = "Every category: " + " ".join(characters.values()) + " \U0001f44d\U0001f3fd \u05e9\u05dc\u05d5\u05dd"
    assert post_comment(client, article, body=body).status_code == 303
    stored = Comment.objects.get().body
    assert "\x00" not in stored and "\x01" not in stored
    assert characters["Lo"] in stored and characters["So"] in stored and "\U0001f44d\U0001f3fd" in stored
    Comment.objects.update(status=Comment.Status.APPROVED)
    assert_inert(rendered_comment_markup(client, article))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.text(st.characters(exclude_categories=["Cs"]), max_size=90),
    body=st.text(st.characters(exclude_categories=["Cs"]), max_size=400),
)
def test_any_text_is_either_stored_once_and_shown_inert_or_refused_never_an_error(client, name, body):
    """Generated names and comments from across Unicode never cause a server error or raw markup."""
    Comment.objects.all().delete()
    RateLimit.objects.all().delete()
    article = ArticleFactory()
    response = post_comment(client, article, name=name, body=body)
    assert response.status_code in {303, 400}
    if response.status_code == 303:
        assert Comment.objects.count() == 1
        Comment.objects.update(status=Comment.Status.APPROVED)
        assert_inert(rendered_comment_markup(client, article))
    else:
        assert not Comment.objects.exists()
        assert "There is a problem" in response.content.decode()
