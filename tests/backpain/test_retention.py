"""The privacy page's promises about how long things are kept, each made true by ``purge_expired``.

Each test moves the clock with time-machine past one period from the settings and runs the command as cron
would; the page's figures are the same settings, written in when the page is shown.
"""

import datetime
import io
import re

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from articles.models import Comment, CommentReport, ContactMessage, SitePage
from assessment.models import Assessment
from backpain import retention
from backpain.models import RateLimit
from tests.assessment.factories import AssessmentFactory
from tests.factories import CommentFactory, make_editor

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


class AnyHash:
    """Equal to any visitor hash (64 hex digits)."""

    def __eq__(self, other):
        return isinstance(other, str) and len(other) == 64


ANY_HASH = AnyHash()


def purge():
    out = io.StringIO()
    call_command("purge_expired", stdout=out)
    return out.getvalue()


def contact_message(name):
    return ContactMessage.objects.create(name=name, email="sam@example.com", subject="Hello", message="Hi")


def privacy_page(client):
    html = client.get(reverse("articles:privacy")).content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


# "Results are kept for 12 months, then deleted." ----------------------------------------------------------


def test_results_are_deleted_after_twelve_months():
    with time_machine.travel(START, tick=False) as traveller:
        old = AssessmentFactory()
        traveller.shift(2 * DAY)
        kept = AssessmentFactory(previous=old)
        traveller.move_to(START + datetime.timedelta(days=365, hours=1))
        output = purge()
    assert list(Assessment.objects.all()) == [kept]
    assert Assessment.objects.get().previous is None
    assert "Removed 1 saved self-check results (kept for 12 months)." in output


# "It lasts two weeks from the last time it changed. When it runs out, what it held is deleted." -----------


def new_session(**data):
    session = SessionStore()
    session.update(data)
    session.create()
    return session.session_key


def test_expired_sessions_are_deleted_with_the_warning_signs_they_held():
    with time_machine.travel(START, tick=False) as traveller:
        held_signs = new_session(selfcheck={"screen": "care", "care": [{"text": "Numb saddle area"}]})
        traveller.shift(datetime.timedelta(days=13))
        newer = new_session(selfcheck={"answers": {}})
        traveller.shift(datetime.timedelta(days=1, hours=1))
        output = purge()
    assert list(Session.objects.values_list("session_key", flat=True)) == [newer]
    assert held_signs != newer
    assert "Removed 1 expired sessions (kept for two weeks)." in output


# "These records are deleted after 30 days" (editors' sign-ins); never the password or the code. ------------


@override_settings(ADMIN_REQUIRE_2FA=True)
def test_sign_in_records_hold_no_password_or_code_and_are_deleted_after_thirty_days(client):
    make_editor("alice")
    with time_machine.travel(START, tick=False) as traveller:
        client.post(
            reverse("admin:login"),
            {"username": "alice", "password": "not her password 0451", "otp_token": "424242", "otp_device": ""},
            REMOTE_ADDR="203.0.113.7",
        )
        attempt = AccessAttempt.objects.get()
        assert attempt.username == "alice"
        assert "424242" not in attempt.post_data and "0451" not in attempt.post_data
        AccessLog.objects.create(
            username="alice", ip_address="203.0.113.7", user_agent="", http_accept="", path_info="/"
        )
        AccessFailureLog.objects.create(username="alice", ip_address="203.0.113.7", user_agent="", http_accept="")
        traveller.shift(datetime.timedelta(days=29))
        purge()
        assert AccessAttempt.objects.count() == AccessLog.objects.count() == AccessFailureLog.objects.count() == 1
        traveller.shift(datetime.timedelta(days=1, minutes=1))
        output = purge()
    assert not AccessAttempt.objects.exists() and not AccessLog.objects.exists()
    assert not AccessFailureLog.objects.exists()
    assert "Removed 3 records of sign-ins and failed sign-ins (kept for 30 days)." in output


@override_settings(SIGN_IN_RECORD_RETENTION_DAYS=0, AXES_COOLOFF_TIME=2.0)
def test_a_lockout_is_never_cut_short_by_a_shorter_retention():
    with time_machine.travel(START, tick=False) as traveller:
        AccessAttempt.objects.create(
            username="alice", ip_address="203.0.113.7", user_agent="", http_accept="", path_info="/",
            failures_since_start=5, get_data="", post_data="",
        )  # fmt: skip
        traveller.shift(datetime.timedelta(hours=1))
        purge()
        assert AccessAttempt.objects.exists()
        traveller.shift(datetime.timedelta(hours=1, minutes=1))
        purge()
    assert not AccessAttempt.objects.exists()


# "We keep messages for up to 12 months, then delete them." ----------------------------------------------


def test_contact_messages_are_deleted_after_twelve_months():
    with time_machine.travel(START, tick=False) as traveller:
        contact_message("Old")
        traveller.shift(DAY)
        contact_message("Newer")
        traveller.move_to(START + datetime.timedelta(days=365, hours=1))
        purge()
    assert list(ContactMessage.objects.values_list("name", flat=True)) == ["Newer"]


# "Comments that we reject, and new comments still waiting for a decision, are deleted after 90 days,
# together with any reports about them. Published comments stay." ----------------------------------------


def test_rejected_and_never_approved_comments_are_deleted_after_ninety_days():
    with time_machine.travel(START, tick=False) as traveller:
        rejected = CommentFactory(status=Comment.Status.REJECTED)
        pending = CommentFactory(status=Comment.Status.PENDING)
        published = CommentFactory()
        traveller.shift(2 * DAY)
        recent = CommentFactory(status=Comment.Status.REJECTED)
        traveller.move_to(START + datetime.timedelta(days=90, hours=1))
        output = purge()
    assert set(Comment.objects.all()) == {published, recent}
    assert not Comment.objects.filter(pk__in=[rejected.pk, pending.pk]).exists()
    assert "Removed 2 rejected comments and comments never approved (kept for 90 days)." in output


def test_an_old_comment_hidden_by_reports_waits_for_an_editor(client):
    """Three reports must never be a way to delete a comment: once hidden, it waits for its editor."""
    with time_machine.travel(START, tick=False) as traveller:
        comment = CommentFactory()
        traveller.shift(datetime.timedelta(days=200))
        for n in range(3):
            client.post(reverse("articles:comment-report", args=[comment.pk]), REMOTE_ADDR=f"203.0.113.{n}")
        traveller.shift(datetime.timedelta(days=40))
        purge()
    comment.refresh_from_db()
    assert (comment.status, comment.report_count) == (Comment.Status.PENDING, 3)


# "We delete [the hash] from your comment after 30 days"; a report's hash goes when an editor decides,
# or after 30 days at the latest. ---------------------------------------------------------------------------


def test_address_hashes_are_cleared_from_comments_and_reports_after_thirty_days(client):
    with time_machine.travel(START, tick=False) as traveller:
        comment = CommentFactory(visitor_hash="a" * 64)
        client.post(reverse("articles:comment-report", args=[comment.pk]), REMOTE_ADDR="203.0.113.1")
        traveller.shift(datetime.timedelta(days=29))
        client.post(reverse("articles:comment-report", args=[comment.pk]), REMOTE_ADDR="203.0.113.2")
        newer = CommentFactory(visitor_hash="b" * 64)
        traveller.shift(datetime.timedelta(days=1, hours=1))
        output = purge()
    comment.refresh_from_db()
    assert (comment.visitor_hash, comment.report_count) == ("", 2)
    assert Comment.objects.get(pk=newer.pk).visitor_hash == "b" * 64
    assert sorted(CommentReport.objects.values_list("visitor_hash", flat=True), key=bool) == [None, ANY_HASH]
    assert "Removed 2 address hashes from comments and reports (kept for 30 days)." in output
    # A forgotten report still counts, and a second forgotten one fits beside it.
    CommentReport.objects.filter(comment=comment).update(visitor_hash=None)
    assert CommentReport.objects.filter(comment=comment, visitor_hash__isnull=True).count() == 2


# "We keep that hash with a count for one hour; each of these records is deleted within a day after that." --


def test_rate_limit_records_are_deleted_once_their_window_has_closed():
    with time_machine.travel(START, tick=False) as traveller:
        RateLimit.objects.hit("comment", "a" * 64, limit=10, period=datetime.timedelta(hours=1))
        traveller.shift(datetime.timedelta(minutes=30))
        RateLimit.objects.hit("contact", "b" * 64, limit=5, period=datetime.timedelta(hours=1))
        traveller.shift(datetime.timedelta(minutes=31))
        purge()
    assert list(RateLimit.objects.values_list("scope", flat=True)) == ["contact"]


# The command itself ------------------------------------------------------------------------------------------


def test_running_it_again_deletes_nothing_more():
    with time_machine.travel(START, tick=False) as traveller:
        AssessmentFactory()
        contact_message("Old")
        traveller.shift(datetime.timedelta(days=400))
        first = purge()
        second = purge()
    assert "Removed 1 saved self-check results" in first and "Removed 1 contact messages" in first
    assert all(line.startswith("Removed 0 ") for line in second.splitlines())
    assert len(second.splitlines()) == len(retention.registered()) == 8


# The page's figures are the settings ------------------------------------------------------------------------


def test_the_privacy_page_states_every_period_from_the_settings(client, site_content):
    text = privacy_page(client)
    assert "{{" not in text and "}}" not in text
    for promise in [
        "Results are kept for 12 months, then deleted.",
        "We keep messages for up to 12 months, then delete them.",
        "are deleted after 90 days, together with any reports about them",
        "we delete it from your comment after 30 days",
        "or after 30 days at the latest",
        "we keep that hash with a count for one hour; each of these records is deleted within a day after that",
        "It lasts two weeks from the last time it changed.",
        "These records are deleted after 30 days.",
        "A copy is then kept for a short while, so we can check what was sent, and deleted after 30 days.",
    ]:
        assert promise in text, promise


def test_a_changed_setting_changes_the_page_at_once(client, site_content, settings):
    settings.RESULT_RETENTION_DAYS = 730
    settings.SESSION_COOKIE_AGE = 7 * 24 * 60 * 60
    text = privacy_page(client)
    assert "Results are kept for 24 months, then deleted." in text
    assert "It lasts one week from the last time it changed." in text


def test_an_editor_cannot_save_a_placeholder_the_site_does_not_know(editor_client, site_content):
    page = SitePage.objects.get(slug="privacy")
    page.body += "\n\nWe keep cookies for {{ cookies }}."
    with pytest.raises(ValidationError, match=r"Unknown placeholder: cookies\..*\{\{ results \}\}"):
        page.full_clean()
    form = editor_client.get(reverse("admin:articles_sitepage_change", args=[page.pk])).content.decode()
    assert "<code>{{ results }}</code> (12 months)" in form


@pytest.mark.parametrize(
    ("period", "words"),
    [
        (datetime.timedelta(days=365), "12 months"),
        (datetime.timedelta(days=730), "24 months"),
        (datetime.timedelta(days=14), "two weeks"),
        (datetime.timedelta(days=7), "one week"),
        (datetime.timedelta(days=90), "90 days"),
        (datetime.timedelta(days=1), "one day"),
        (datetime.timedelta(hours=1), "one hour"),
        (datetime.timedelta(minutes=90), "90 minutes"),
        (datetime.timedelta(seconds=45), "45 seconds"),
    ],
)
def test_periods_read_as_words(period, words):
    assert retention.describe(period) == words


def test_unknown_placeholders_stay_as_written():
    assert retention.fill_figures("<p>{{ results }} and {{ nothing-here }}</p>") == (
        "<p>12 months and {{ nothing-here }}</p>"
    )


def test_the_contact_form_states_the_period_from_the_settings(client, settings):
    assert "We keep your message for up to 12 months." in client.get(reverse("articles:contact")).content.decode()
    settings.CONTACT_MESSAGE_RETENTION_DAYS = 180
    assert "We keep your message for up to 180 days." in client.get(reverse("articles:contact")).content.decode()
