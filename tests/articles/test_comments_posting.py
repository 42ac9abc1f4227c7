"""Posting a comment: what a reader is told, what is stored, and how bad input and bots are handled."""

import re
import time

import pytest
import time_machine
from django.urls import reverse

from articles.forms import CommentForm, target_key
from articles.models import Comment
from backpain.models import RateLimit
from tests.articles.comments_support import aged_token, comment_data, post_comment, post_url
from tests.factories import ArticleFactory, CommentFactory, MuscleFactory
from tests.harness.pages import summary_links

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(title="Hip flexor stretches", slug="hip-flexor-stretches")


def test_a_comment_waits_for_moderation_and_the_reader_is_told(client, article):
    """A valid post is stored once as pending, not shown, and the reader learns it awaits moderation."""
    response = post_comment(client, article, body="Lovely clear steps, thank you.")
    assert response.status_code == 303
    assert response["Location"] == f"{article.get_absolute_url()}?comment=received#comments"
    comment = Comment.objects.get()
    assert (comment.status, comment.article, comment.name) == (Comment.Status.PENDING, article, "Sam")
    assert not comment.needs_priority_review
    page = client.get(response["Location"]).content.decode()
    assert "awaiting moderation" in page
    assert "Lovely clear steps" not in page
    assert "No comments yet." in page


def test_an_approved_comment_shows_on_the_page(client, article):
    post_comment(client, article, body="Lovely clear steps, thank you.")
    Comment.objects.update(status=Comment.Status.APPROVED)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Lovely clear steps, thank you." in page
    assert "1 comment" in page


def test_comments_work_on_muscle_pages_too(client):
    muscle = MuscleFactory(name="Hip flexors", slug="hip-flexors")
    response = post_comment(client, muscle, body="Mine are always tight.")
    assert response["Location"] == f"{muscle.get_absolute_url()}?comment=received#comments"
    comment = Comment.objects.get()
    assert (comment.muscle, comment.article) == (muscle, None)
    assert "awaiting moderation" in client.get(response["Location"]).content.decode()
    Comment.objects.update(status=Comment.Status.APPROVED)
    assert "Mine are always tight." in client.get(muscle.get_absolute_url()).content.decode()


def test_red_flag_comment_is_prioritised_and_the_reader_sees_urgent_advice_at_once(client, article):
    response = post_comment(client, article, body="Since my fall I have numbness in my groin. Do I have sciatica?")
    assert response["Location"].endswith("?comment=urgent#comments")
    comment = Comment.objects.get()
    assert comment.needs_priority_review
    assert "saddle numbness" in comment.priority_reason
    assert "diagnosis" in comment.priority_reason
    page = client.get(response["Location"]).content.decode()
    assert "awaiting moderation" in page
    assert "Please do not wait for a reply." in page
    assert 'id="comment-red-flags-heading"' in page
    assert "New numbness or tingling around your genitals" in page


def test_email_is_optional_and_kept_with_the_reply_choice(client, article):
    post_comment(client, article, email="sam@example.com", notify_on_reply="on")
    comment = Comment.objects.get()
    assert (comment.email, comment.notify_on_reply) == ("sam@example.com", True)


def test_asking_for_a_reply_email_without_an_address_is_an_error(client, article):
    response = post_comment(client, article, notify_on_reply="on")
    assert response.status_code == 400
    assert "Enter your email address to be told about a reply, or untick the box" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Enter your name (a first name is fine)"),
        ({"name": None}, "Enter your name (a first name is fine)"),
        ({"name": " \t \u202e "}, "Enter your name (a first name is fine)"),
        ({"body": ""}, "Enter your comment"),
        ({"body": "   \n\n\t  "}, "Enter your comment"),
        ({"body": "\x01\x02\x1b"}, "Enter your comment"),
        ({"body": "\u200b\u200b \ufeff\u2060"}, "Enter your comment"),
        ({"body": "\u3164\u2800\n\u200d"}, "Enter your comment"),
        ({"name": "\u200b\u200c"}, "Enter your name (a first name is fine)"),
        ({"body": "Hello\x00world"}, "Null characters are not allowed."),
        ({"name": "Sam\x00"}, "Null characters are not allowed."),
        ({"name": "N" * 81}, "Enter a name of 80 characters or fewer"),
        ({"body": "a" * 3001}, "Shorten your comment to 3,000 characters or fewer (it has 3001)"),
        ({"email": "not-an-address"}, "Enter an email address in the right form, like name@example.com"),
    ],
)
def test_bad_input_shows_the_page_again_with_an_error_summary(client, article, overrides, message):
    """Mistakes never store anything and never fail: the page comes back (400) with the errors listed."""
    response = post_comment(client, article, **overrides)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert "<h1>Hip flexor stretches</h1>" in page
    assert not Comment.objects.exists()


def test_what_the_reader_typed_is_kept_after_an_error(client, article):
    response = post_comment(client, article, name="", body="My words <b>matter</b>")
    assert "My words &lt;b&gt;matter&lt;/b&gt;</textarea>" in response.content.decode()


def test_a_comment_of_exactly_3000_characters_is_accepted(client, article):
    assert post_comment(client, article, body="é" * 3000).status_code == 303
    assert len(Comment.objects.get().body) == 3000


def test_a_huge_post_is_refused_with_a_clear_message(client, article):
    """100,000 characters never reach the form: the request itself is over the cap."""
    response = post_comment(client, article, body="x" * 100_000)
    assert response.status_code == 400
    assert "far too long" in response.content.decode()
    assert not Comment.objects.exists()


def test_an_expired_form_asks_the_reader_to_post_again_keeping_their_text(client, article):
    response = post_comment(client, article, body="Typed slowly.", started=aged_token(article, seconds=3 * 60 * 60))
    assert response.status_code == 400
    page = response.content.decode()
    assert "the form timed out" in page
    assert "Typed slowly.</textarea>" in page
    assert not Comment.objects.exists()
    # The page carries a fresh token, so posting again works.
    assert 'name="started" value="' in page


def test_control_characters_and_direction_overrides_are_removed_and_lines_kept(client, article):
    post_comment(client, article, name="Sam\u202e\x07", body="first\r\nsecond\x1b[31m \u2066line\u2069 \U0001f642")
    comment = Comment.objects.get()
    assert comment.name == "Sam"
    assert comment.body == "first\nsecond[31m line \U0001f642"


def _spam_and_real_responses(client, article, spam_overrides):
    real = post_comment(client, article, body="Same words.", ip="198.51.100.1")
    Comment.objects.all().delete()
    spam = post_comment(client, article, body="Same words.", ip="198.51.100.2", **spam_overrides)
    return real, spam


@pytest.mark.parametrize(
    "spam_overrides",
    [
        pytest.param({"website": "https://cheap-pills.example"}, id="honeypot"),
        pytest.param({"website": "https://cheap-pills.example", "started": "fresh"}, id="honeypot-and-too-fast"),
        pytest.param({"started": None}, id="no-token"),
        pytest.param({"started": "article:1:1abcde:forged-signature"}, id="forged-token"),
    ],
)
def test_a_bot_gets_exactly_the_answer_a_person_gets_and_nothing_is_stored(client, article, spam_overrides):
    if spam_overrides.get("started") == "fresh":
        spam_overrides = {**spam_overrides, "started": CommentForm.make_token(target_key(article))}
    real, spam = _spam_and_real_responses(client, article, spam_overrides)
    assert (spam.status_code, spam["Location"]) == (real.status_code, real["Location"])
    assert sorted(spam.headers) == sorted(real.headers)
    assert spam.content == real.content
    assert not Comment.objects.exists()


def test_a_token_from_another_page_counts_as_a_bot(client, article):
    other = ArticleFactory()
    response = post_comment(client, article, started=aged_token(other))
    assert response.status_code == 303
    assert not Comment.objects.exists()


def test_a_bot_filling_every_field_with_red_flags_still_gets_the_same_answer(client, article):
    body = "I have saddle numbness"
    real = post_comment(client, article, body=body)
    Comment.objects.all().delete()
    spam = post_comment(client, article, body=body, website="x", email="bot@example.com", notify_on_reply="on")
    assert spam["Location"] == real["Location"]
    assert not Comment.objects.exists()


def test_a_comment_sent_within_seconds_is_told_to_wait_and_post_again_keeping_its_text(client, article):
    """A reader who pastes a comment and posts at once is not thanked while it is dropped: the page comes back
    (400) with the summary saying to wait a few seconds, linked to the comment box that still holds the text,
    and a fresh token, so posting again a few seconds later works."""
    fresh = CommentForm.make_token(target_key(article))
    response = post_comment(client, article, body="Pasted <quickly> & sent.", started=fresh)
    assert response.status_code == 400
    page = response.content.decode()
    ((message, href),) = summary_links(page)
    assert href == "#id_body"
    assert message.startswith("Your comment came back within 3 seconds of the page opening")
    assert "Wait a few seconds, then post it again: your comment is still below." in message
    assert "Pasted &lt;quickly&gt; &amp; sent.</textarea>" in page
    form = page[page.index('class="comment-form"') :]
    assert form.index("Wait a few seconds, then post it again") < form.index('id="id_body"')  # by the form too
    assert "Thank you, we have your comment" not in page
    assert not Comment.objects.exists() and not RateLimit.objects.exists()
    token = re.search(r'name="started" value="([^"]+)"', page)[1]
    with time_machine.travel(time.time() + 5):
        again = post_comment(client, article, body="Pasted <quickly> & sent.", started=token)
    assert again.status_code == 303 and Comment.objects.get().body == "Pasted <quickly> & sent."


@pytest.mark.parametrize(
    ("overrides", "links"),
    [
        ({"name": "", "body": ""}, ["#id_name", "#id_body"]),
        ({"notify_on_reply": "on"}, ["#id_email"]),  # an error the form's own clean() adds
    ],
)
def test_a_fast_comment_with_mistakes_lists_only_the_mistakes(client, article, overrides, links):
    """Fixing them takes longer than the minimum time: "wait and post again" would only get in the way."""
    response = post_comment(client, article, started=CommentForm.make_token(target_key(article)), **overrides)
    assert response.status_code == 400
    assert [href for _, href in summary_links(response.content.decode())] == links


def test_the_summary_is_first_in_the_page_and_the_form_far_below_it(client, article):
    """The summary sits at the top of the article page; its links lead down to the comment form."""
    page = post_comment(client, article, name="", email="not-an-address", body="").content.decode()
    links = summary_links(page)
    assert links == [
        ("Enter your name (a first name is fine)", "#id_name"),
        ("Enter an email address in the right form, like name@example.com, or leave it empty", "#id_email"),
        ("Enter your comment", "#id_body"),
    ]
    assert page.index("error-summary") < page.index("<h1>") < page.index('id="id_name"')
    assert "<title>Error: Hip flexor stretches" in page
    assert "This field is required" not in page


def test_a_get_of_the_posting_address_goes_to_the_page_s_comments(client, article):
    """Reloading after a failed comment, or opening the address again later, lands on the page, never a 405."""
    response = client.get(post_url(article))
    assert response.status_code == 303
    assert response["Location"] == article.get_absolute_url() + "#comments"
    assert client.head(post_url(article)).status_code == 303
    assert client.put(post_url(article)).status_code == 405
    muscle = MuscleFactory()
    assert client.get(post_url(muscle))["Location"] == muscle.get_absolute_url() + "#comments"
    assert client.get(reverse("articles:comment-article", args=["no-such-article"])).status_code == 404


def test_comments_on_drafts_and_unknown_pages_are_not_found(client):
    draft = ArticleFactory(status="draft", published_at=None)
    assert post_comment(client, draft).status_code == 404
    response = client.post(reverse("articles:comment-muscle", args=["no-such-muscle"]), {})
    assert response.status_code == 404


def test_staff_previewing_a_draft_see_no_comment_form(editor_client):
    draft = ArticleFactory(status="draft", published_at=None)
    page = editor_client.get(draft.get_absolute_url()).content.decode()
    assert "Have your say" not in page


def test_the_form_is_csrf_protected(article):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(post_url(article), comment_data(article))
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_fifteen_posts_from_one_visitor_store_ten_and_the_rest_are_told_to_wait(client, article):
    statuses = [post_comment(client, article, body=f"Comment number {n}").status_code for n in range(15)]
    assert statuses == [303] * 10 + [429] * 5
    assert Comment.objects.count() == 10
    response = post_comment(client, article, body="One more, please.")
    page = response.content.decode()
    assert "You have posted 10 comments in the last hour" in page
    assert "One more, please.</textarea>" in page
    # Another visitor is not affected.
    assert post_comment(client, article, ip="203.0.113.9").status_code == 303


def test_the_limit_resets_after_an_hour(client, article):
    for n in range(10):
        post_comment(client, article, body=f"Comment number {n}")
    assert post_comment(client, article).status_code == 429
    window = RateLimit.objects.get(scope="comment")
    window.window_start = window.window_start.replace(year=window.window_start.year - 1)
    window.save()
    assert post_comment(client, article).status_code == 303


def test_spam_does_not_use_up_a_visitors_limit(client, article):
    for _ in range(12):
        post_comment(client, article, website="spam")
    assert post_comment(client, article).status_code == 303
    assert Comment.objects.count() == 1


def test_the_rate_limit_is_a_setting(client, article, settings):
    settings.COMMENT_RATE_LIMIT = 2
    assert [post_comment(client, article).status_code for _ in range(3)] == [303, 303, 429]


def test_existing_approved_comments_do_not_count_against_a_new_visitor(client, article):
    CommentFactory.create_batch(12, article=article)
    assert post_comment(client, article).status_code == 303
