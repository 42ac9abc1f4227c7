"""Posting a comment: what a reader is told, what is stored, and how bad input and bots are handled."""

import pytest
from django.urls import reverse

from articles.forms import CommentForm, target_key
from articles.models import Comment
from backpain.models import RateLimit
from tests.articles.comments_support import aged_token, comment_data, post_comment, post_url
from tests.factories import ArticleFactory, CommentFactory, MuscleFactory

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
    assert "To be emailed about a reply, please give your email address." in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Please give a name"),
        ({"name": None}, "Please give a name"),
        ({"name": " \t \u202e "}, "Please give a name"),
        ({"body": ""}, "Please write your comment."),
        ({"body": "   \n\n\t  "}, "Please write your comment."),
        ({"body": "\x01\x02\x1b"}, "Please write your comment."),
        ({"body": "\u200b\u200b \ufeff\u2060"}, "Please write your comment."),
        ({"body": "\u3164\u2800\n\u200d"}, "Please write your comment."),
        ({"name": "\u200b\u200c"}, "Please give a name"),
        ({"body": "Hello\x00world"}, "Null characters are not allowed."),
        ({"name": "Sam\x00"}, "Null characters are not allowed."),
        ({"name": "N" * 81}, "Please keep your name to 80 characters or fewer."),
        ({"body": "a" * 3001}, "Please keep your comment to 3,000 characters or fewer (it has 3001)."),
        ({"email": "not-an-address"}, "Please give an email address like name@example.com"),
    ],
)
def test_bad_input_shows_the_page_again_with_an_error_summary(client, article, overrides, message):
    """Mistakes never store anything and never fail: the page comes back (400) with the errors listed."""
    response = post_comment(client, article, **overrides)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem with your comment" in page
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
        pytest.param({"started": "fresh"}, id="too-fast"),
        pytest.param({"started": None}, id="no-token"),
        pytest.param({"started": "article:1:1abcde:forged-signature"}, id="forged-token"),
    ],
)
def test_a_bot_gets_exactly_the_answer_a_person_gets_and_nothing_is_stored(client, article, spam_overrides):
    if spam_overrides.get("started") == "fresh":
        spam_overrides = {"started": CommentForm.make_token(target_key(article))}
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


def test_posting_needs_post(client, article):
    assert client.get(post_url(article)).status_code == 405


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
