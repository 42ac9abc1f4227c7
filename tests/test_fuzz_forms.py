"""Every form, fed generated text from every Unicode category, NUL bytes, 100,000 characters, right-to-left
overrides, zero-width joiners, emoji and lone surrogates: never a server error, and either the submission is
stored once as a reader would expect, or it is refused with a message and nothing at all is kept.

The site's rule for NUL: every form refuses it with Django's "Null characters are not allowed." (PostgreSQL
cannot store it, and no person types one); only the search box, which stores nothing, quietly drops it.
These tests run on whichever database the suite runs on, so run them with DATABASE_URL too.
"""

import re
import time
import unicodedata
from html import unescape
from unittest import mock

import pytest
from django.core import mail
from django.db.models import Sum
from django.urls import reverse
from django.utils.html import escape
from hypothesis import example, given
from hypothesis import strategies as st

from articles.forms import ContactForm
from articles.models import (
    Article,
    Comment,
    CommentReport,
    ContactMessage,
    HelpfulVote,
)
from articles.views import feedback as feedback_views
from assessment.forms import TIME_ERROR
from assessment.models import Assessment, Questionnaire, new_token
from assessment.views import SESSION_KEY
from backpain.models import RateLimit
from tests.articles.comments_support import aged_token, post_url
from tests.assessment.scenarios import finish
from tests.factories import ArticleFactory, CommentFactory, MuscleFactory, StretchFactory
from tests.harness.fuzzing import (
    FUZZ_SETTINGS,
    HOSTILE,
    NUL,
    any_text,
    as_received,
    encode_form,
    form_data,
    post_form,
    with_hostile_examples,
)
from tests.harness.snapshot import selfcheck_snapshot

pytestmark = pytest.mark.django_db

NUL_REFUSED = "Null characters are not allowed"
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def reader_text(text):
    """A comment as readers should see it: line endings unified, control and bidi-override characters
    gone (tabs and line breaks kept), no white space around it."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = (c for c in text if c in "\n\t" or (unicodedata.category(c) != "Cc" and c not in BIDI_CONTROLS))
    return "".join(kept).strip()


def rate_limit_total(scope):
    return RateLimit.objects.filter(scope=scope).aggregate(total=Sum("count"))["total"] or 0


# Readers' forms ------------------------------------------------------------------------------------------


COMMENT_FIELDS = ["name", "email", "body", "website"]


@pytest.fixture(params=["article", "muscle"])
def comment_target(request, db, settings):
    settings.COMMENT_RATE_LIMIT = 10**6
    return ArticleFactory() if request.param == "article" else MuscleFactory()


@FUZZ_SETTINGS
@with_hostile_examples(COMMENT_FIELDS)
@given(field=st.sampled_from(COMMENT_FIELDS), text=any_text())
def test_a_comment_is_stored_once_as_written_or_refused_keeping_nothing(
    client, comment_target, django_capture_on_commit_callbacks, field, text
):
    """Accepted: one pending comment holding the reader's text (controls dropped) and one rate-limit count.
    Refused: a 400 saying what is wrong, and no comment, count or email."""
    data = {
        "name": "Sam",
        "email": "",
        "body": "The bridge helped.",
        "website": "",
        "started": aged_token(comment_target),
    }
    data[field] = text
    received = as_received(text)
    comments, hits = Comment.objects.count(), rate_limit_total("comment")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(client, post_url(comment_target), data, REMOTE_ADDR="198.51.100.20")
    page = response.content.decode()
    if NUL in received:
        assert response.status_code == 400 and NUL_REFUSED in page
    assert response.status_code in {303, 400}, page[:300]
    if response.status_code == 400:
        assert "There is a problem" in page
        assert (Comment.objects.count(), rate_limit_total("comment"), mail.outbox) == (comments, hits, [])
        return
    if field == "website" and received:
        assert (Comment.objects.count(), rate_limit_total("comment")) == (comments, hits)  # a bot: dropped
        return
    assert Comment.objects.count() == comments + 1 and rate_limit_total("comment") == hits + 1
    comment = Comment.objects.latest("id")
    assert comment.target == comment_target and comment.status == Comment.Status.PENDING
    expected = {"name": "Sam", "email": "", "body": "The bridge helped."}
    if field in expected:
        cleaned = {"name": " ".join(reader_text(received).split()), "email": received.strip()}
        expected[field] = cleaned.get(field, reader_text(received))
    assert {"name": comment.name, "email": comment.email, "body": comment.body} == expected
    assert len(mail.outbox) == 1


@FUZZ_SETTINGS
@given(text=any_text(), forwarded=any_text(60))
@example(text=NUL, forwarded=NUL)
@example(text=HOSTILE["100k"], forwarded="203.0.113.9, \u202e")
@example(text=HOSTILE["lone-surrogates"], forwarded="::1%\u200d")
def test_a_report_counts_at_most_once_per_reader_whatever_it_carries(client, settings, text, forwarded):
    """The report button sends no text, but a client can: reports and the comment's count always agree."""
    settings.COMMENT_REPORT_RATE_LIMIT = 10**6
    comment = CommentFactory()
    for _ in range(2):
        response = post_form(
            client,
            reverse("articles:comment-report", args=[comment.pk]),
            {"reason": text, "csrfmiddlewaretoken": text},
            HTTP_X_FORWARDED_FOR=as_received(forwarded),
        )
        assert response.status_code == 303
    comment.refresh_from_db()
    assert comment.report_count == CommentReport.objects.filter(comment=comment).count() == 1


CONTACT_FIELDS = ["name", "email", "subject", "message", "website", "started"]


@FUZZ_SETTINGS
@with_hostile_examples(CONTACT_FIELDS)
@given(field=st.sampled_from(CONTACT_FIELDS), text=any_text())
def test_a_contact_message_is_stored_once_as_readers_would_see_it_or_refused_keeping_nothing(
    client, django_capture_on_commit_callbacks, field, text
):
    data = {
        "name": "Sam Reader",
        "email": "sam@example.com",
        "subject": "A typo",
        "message": "The second step says 'knee' twice.",
        "website": "",
        "started": ContactForm.make_token(now=time.time() - 30),
    }
    data[field] = text
    received = as_received(text)
    messages, hits = ContactMessage.objects.count(), rate_limit_total("contact")
    mail.outbox.clear()
    with (
        mock.patch.object(feedback_views, "CONTACT_LIMIT", 10**6),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = post_form(client, reverse("articles:contact"), data, REMOTE_ADDR="203.0.113.77")
    page = response.content.decode()
    if NUL in received and field not in {"website", "started"}:  # those two mean a bot, and bots are thanked
        assert response.status_code == 400 and NUL_REFUSED in page
    assert response.status_code in {302, 400}, page[:300]
    if response.status_code == 400:
        assert "error-summary" in page
        assert (ContactMessage.objects.count(), rate_limit_total("contact"), mail.outbox) == (messages, hits, [])
        return
    if field == "started" or (field == "website" and received):  # a bot: thanked, nothing kept
        assert (ContactMessage.objects.count(), mail.outbox) == (messages, [])
        return
    assert ContactMessage.objects.count() == messages + 1 and rate_limit_total("contact") == hits + 1
    stored = ContactMessage.objects.latest("id")
    expected = {key: value for key, value in data.items() if key in {"name", "email", "subject", "message"}}
    if field in expected:
        one_line = {"name": " ".join(reader_text(received).split()), "email": received.strip()}
        one_line["subject"] = one_line["name"]
        expected[field] = one_line.get(field, reader_text(received))
    assert {key: getattr(stored, key) for key in expected} == expected
    assert len(mail.outbox) == 1


@pytest.fixture(params=["article", "stretch"])
def voted_page(request, db):
    return ArticleFactory() if request.param == "article" else StretchFactory()


@FUZZ_SETTINGS
@given(text=any_text(20) | st.sampled_from(["yes", "no", " yes", "YES", "no\x00"]))
@example(text=NUL)
@example(text=HOSTILE["100k"])
@example(text=HOSTILE["lone-surrogates"])
def test_a_helpful_vote_is_one_yes_or_no_per_reader_or_nothing(client, voted_page, text):
    kind = "article" if isinstance(voted_page, Article) else "stretch"
    field = {kind: voted_page}
    before = HelpfulVote.objects.filter(**field).values_list("helpful", flat=True).first()
    response = post_form(client, reverse("articles:helpful", args=[kind, voted_page.pk]), {"helpful": text})
    votes = list(HelpfulVote.objects.filter(**field).values_list("helpful", flat=True))
    received = as_received(text)
    if received in {"yes", "no"}:
        assert response.status_code == 302
        assert votes == [received == "yes"]
    else:
        assert response.status_code == 400 and "Choose Yes or No" in response.content.decode()
        assert votes == ([] if before is None else [before])


@FUZZ_SETTINGS
@given(q=any_text(), page=any_text(20))
@example(q=NUL, page=NUL)
@example(q=HOSTILE["100k"], page="-1")
@example(q=HOSTILE["lone-surrogates"], page="9" * 40)
@example(q=HOSTILE["rtl-override"], page=HOSTILE["emoji"])
@example(q=HOSTILE["zero-width"], page="1e9")
def test_search_answers_any_query_and_shows_it_back_cleaned(client, q, page):
    """The query comes back in the search box without controls, white space collapsed, at most 200 characters."""
    ArticleFactory(title="Hip flexor stretches")
    response = client.get(reverse("articles:search") + "?" + encode_form({"q": q, "page": page}))
    assert response.status_code == 200
    printable = "".join(c for c in as_received(q) if c.isprintable() or c == " ")
    expected = " ".join(printable.split())[:200].strip()
    shown = re.search(r'name="q" value="([^"]*)"', response.content.decode()).group(1)
    assert unescape(shown) == expected


# The self-check -------------------------------------------------------------------------------------------


@pytest.fixture
def selfcheck(db):
    """The self-check's content (muscles, stretches, questionnaire) and one saved result to retake."""
    selfcheck_snapshot.load()
    return Questionnaire.objects.active().get()


def begin(client, questionnaire, **state):
    """Put the client mid-way through a run, as the start and warning-sign pages would leave it."""
    session = client.session
    session[SESSION_KEY] = {"questionnaire": questionnaire.pk, "token": new_token(), "answers": {}, **state}
    session.save()


def run_state(client):
    return client.session.get(SESSION_KEY)


@FUZZ_SETTINGS
@given(previous=any_text(80))
@example(previous=NUL)
@example(previous=HOSTILE["100k"])
@example(previous="A" * 65)
@example(previous=HOSTILE["lone-surrogates"])
def test_starting_the_self_check_always_starts_a_run_and_saves_nothing(client, selfcheck, previous):
    """A damaged "previous result" link must not stop a reader starting: the run starts without a comparison."""
    assessments = Assessment.objects.count()
    response = post_form(client, reverse("assessment:start"), {"previous": previous})
    assert response.status_code == 302 and response.url == reverse("assessment:warning-signs")
    assert "previous" not in run_state(client)
    assert Assessment.objects.count() == assessments


@FUZZ_SETTINGS
@given(signs=st.lists(any_text(12) | st.sampled_from(["1", "2", "-1", "99999999999999999999"]), max_size=4),
       none=any_text(8) | st.sampled_from(["on", ""]))  # fmt: skip
@example(signs=[NUL], none="on")
@example(signs=[], none=NUL)
@example(signs=[HOSTILE["100k"]], none="")
@example(signs=[HOSTILE["lone-surrogates"]], none=HOSTILE["zero-width"])
def test_the_warning_sign_screen_goes_on_stops_or_explains_and_saves_nothing(client, selfcheck, signs, none):
    begin(client, selfcheck)
    real = {str(q.pk) for q in selfcheck.questions.all() if q.is_red_flag}
    signs = [str(min(real, key=int)) if s == "1" else s for s in signs]
    response = post_form(client, reverse("assessment:warning-signs"), {"signs": signs, "none": none})
    assert response.status_code in {302, 400}
    state = run_state(client)
    if response.status_code == 400:
        assert "<title>Error:" in response.content.decode() and "screen" not in state
    elif state["screen"] == "care":
        assert response.url == reverse("assessment:care") and set(signs) <= real
    else:
        assert response.url == reverse("assessment:question", args=[1]) and not signs
    assert not Assessment.objects.exists()


@FUZZ_SETTINGS
@given(answer=any_text(12), change=any_text(4))
@example(answer=NUL, change=NUL)
@example(answer=HOSTILE["100k"], change="1")
@example(answer=HOSTILE["lone-surrogates"], change=HOSTILE["emoji"])
@example(answer="99999999999999999999", change="1\x00")
def test_a_question_keeps_only_one_of_its_own_answers(client, selfcheck, answer, change):
    begin(client, selfcheck, screen="clear")
    url = reverse("assessment:question", args=[1]) + "?" + encode_form({"change": change})
    response = post_form(client, url, {"answer": answer})
    assert response.status_code in {302, 400}
    answers = run_state(client)["answers"]
    if response.status_code == 400:
        assert "<title>Error:" in response.content.decode() and answers == {}
    else:
        first = [q for q in selfcheck.questions.all() if not q.is_red_flag][0]
        assert answers == {str(first.pk): int(answer)}
        assert int(answer) in set(first.choices.values_list("pk", flat=True))
    assert not Assessment.objects.exists()


@pytest.fixture
def answered(client, selfcheck):
    """A run with every question answered, kept so each example can submit it afresh."""
    finish(client, "none")
    state = dict(run_state(client))
    del state["result"]
    return state


@FUZZ_SETTINGS
@given(extra=st.dictionaries(any_text(10), any_text(), max_size=3))
@example(extra={"answers": NUL})
@example(extra={NUL: HOSTILE["100k"]})
@example(extra={"token": HOSTILE["lone-surrogates"], "previous": HOSTILE["rtl-override"]})
def test_submitting_the_answers_saves_exactly_one_result_whatever_else_is_posted(client, answered, extra):
    session = client.session
    session[SESSION_KEY] = {**answered, "token": new_token()}
    session.save()
    before = Assessment.objects.count()
    url = reverse("assessment:check")
    first, second = post_form(client, url, extra), post_form(client, url, extra)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert Assessment.objects.count() == before + 1
    assert first.url == reverse("assessment:result", args=[Assessment.objects.latest("id").token])


@FUZZ_SETTINGS
@given(value=any_text(8) | st.from_regex(r"\A[0-2]\d:[0-5]\d\Z"))
@example(value=NUL)
@example(value="21:30\x00")
@example(value=HOSTILE["100k"])
@example(value=HOSTILE["lone-surrogates"])
@example(value=" 07:05 ")
def test_a_reminder_is_a_calendar_for_a_real_time_or_a_400_that_says_why(client, answered, value):
    assessment = Assessment.objects.get()
    rows = Assessment.objects.count()
    response = client.get(reverse("assessment:reminder", args=[assessment.token]) + "?" + encode_form({"time": value}))
    received = as_received(value).strip()
    if re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", received):
        assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
        hour, minute = received.split(":")
        assert f"T{hour}{minute}00" in response.content.decode()
    else:
        assert response.status_code in {200, 400}
        if response.status_code == 400:
            assert escape(TIME_ERROR) in response.content.decode()
    assert Assessment.objects.count() == rows


# The editors' admin ---------------------------------------------------------------------------------------


def change_form(client, obj):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200
    return url, form_data(page.content.decode(), f"{obj._meta.model_name}_form")


def snapshot(obj):
    model = type(obj)
    rows = model.objects.filter(pk=obj.pk).values().get()
    return rows, obj.history.count()


def admin_save(editor_client, obj, field, text, related=(), text_fields=()):
    """Change one field on the admin page and save; check the change is stored exactly, or refused and not
    stored at all (the object, its history and ``related`` objects unchanged). A NUL in a text field is
    refused by name; in a date or a choice it is simply not a valid date or choice."""
    url, data = change_form(editor_client, obj)
    assert field in data, sorted(data)
    data[field] = [text]
    before = [snapshot(item) for item in (obj, *related)]
    response = post_form(editor_client, url, data)
    page = response.content.decode()
    received = as_received(text)
    if NUL in received and field in text_fields:
        assert response.status_code == 200 and NUL_REFUSED in page, field
    assert response.status_code in {200, 302}, page[:500]
    if response.status_code == 200:
        assert "errornote" in page
        assert [snapshot(item) for item in (obj, *related)] == before
        return None
    return received


ARTICLE_TEXT_FIELDS = [
    "title",
    "slug",
    "summary",
    "body",
    "hero_image_alt",
    "reviewer_name",
    "reviewer_role",
    "seo_description",
]
ARTICLE_OTHER_FIELDS = ["status", "published_at_0", "published_at_1", "category", "reviewed_on"]


@FUZZ_SETTINGS
@with_hostile_examples(["title", "body", "seo_description"])
@example(field="published_at_0", text=NUL)
@example(field="category", text=NUL)
@given(field=st.sampled_from(ARTICLE_TEXT_FIELDS + ARTICLE_OTHER_FIELDS), text=any_text())
def test_the_article_form_stores_an_edit_exactly_or_refuses_it_whole(editor_client, field, text):
    article = ArticleFactory()
    received = admin_save(editor_client, article, field, text, text_fields=ARTICLE_TEXT_FIELDS)
    if received is not None and field in ARTICLE_TEXT_FIELDS:
        article.refresh_from_db()
        assert getattr(article, field) == received.strip()


MUSCLE_TEXT_FIELDS = ["name", "slug", "other_names", "summary", "location", "action", "why_it_tightens"]
MUSCLE_TEXT_FIELDS += ["trigger_points", "referred_pain"]
MUSCLE_OTHER_FIELDS = ["order", "body_view", "referral_regions"]


@FUZZ_SETTINGS
@with_hostile_examples(["name", "location"])
@example(field="referral_regions", text=NUL)
@given(field=st.sampled_from(MUSCLE_TEXT_FIELDS + MUSCLE_OTHER_FIELDS), text=any_text())
def test_the_muscle_form_stores_an_edit_exactly_or_refuses_it_whole(editor_client, field, text):
    muscle = MuscleFactory()
    stretch = StretchFactory(muscle=muscle)
    received = admin_save(editor_client, muscle, field, text, related=[stretch], text_fields=MUSCLE_TEXT_FIELDS)
    if received is not None and field in MUSCLE_TEXT_FIELDS:
        muscle.refresh_from_db()
        assert getattr(muscle, field) == received.strip()


STRETCH_TEXT_FIELDS = ["name", "slug", "summary", "what_you_should_feel", "cautions", "image_alt"]
STRETCH_OTHER_FIELDS = ["steps", "illustration", "video_url", "hold_seconds", "technique", "muscle"]


def assert_steps_from(steps, received):
    """Each stored step is a trimmed, non-empty line the editor wrote, with nothing a database refuses."""
    assert steps and all(isinstance(step, str) and step == step.strip() and step for step in steps)
    assert all(NUL not in step and step in received for step in steps)


@FUZZ_SETTINGS
@with_hostile_examples(["name", "steps", "cautions", "illustration", "video_url"])
@given(field=st.sampled_from(STRETCH_TEXT_FIELDS + STRETCH_OTHER_FIELDS), text=any_text())
def test_the_stretch_form_stores_an_edit_exactly_or_refuses_it_whole(editor_client, field, text):
    stretch = StretchFactory()
    text_fields = [*STRETCH_TEXT_FIELDS, "steps", "illustration", "video_url"]
    received = admin_save(editor_client, stretch, field, text, text_fields=text_fields)
    if received is None:
        return
    stretch.refresh_from_db()
    if field in STRETCH_TEXT_FIELDS:
        assert getattr(stretch, field) == received.strip()
    elif field == "steps":
        assert_steps_from(stretch.steps, received)
