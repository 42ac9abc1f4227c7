import datetime
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from backpain.models import OutgoingEmail
from tests.factories import ArticleFactory, StretchFactory

pytestmark = pytest.mark.django_db


def overdue(title, days=10):
    return ArticleFactory(title=title, next_review_due=timezone.localdate() - datetime.timedelta(days=days))


def test_the_reviews_due_page_lists_only_overdue_articles_most_overdue_first(editor_client):
    overdue("A little late", days=2)
    overdue("Very late", days=200)
    ArticleFactory(title="Up to date")
    html = editor_client.get(reverse("admin:articles_article_reviews_due")).content.decode()
    assert html.index("Very late") < html.index("A little late")
    assert "Up to date" not in html


def test_the_admin_index_links_to_the_reviews_due(editor_client):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:articles_article_reviews_due") in html


def test_readers_cannot_see_the_reviews_due_page(client):
    response = client.get(reverse("admin:articles_article_reviews_due"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_command_emails_editors_the_overdue_list(django_capture_on_commit_callbacks):
    overdue("Hamstrings explained")
    ArticleFactory(title="Fresh article")
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("email_review_due", stdout=out)
    (email,) = mail.outbox
    assert email.to == ["editors@localhost"]
    assert "1 page(s) due for review" in email.subject
    assert "Hamstrings explained" in email.body and "Fresh article" not in email.body
    assert "/reviews-due/" in email.body
    assert "Queued an email to 1 editor address(es) about 1 page(s)" in out.getvalue()
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_the_command_sends_nothing_when_nothing_is_overdue():
    ArticleFactory(title="Fresh article")
    out = io.StringIO()
    call_command("email_review_due", stdout=out)
    assert mail.outbox == []
    assert "no email sent" in out.getvalue()


def test_a_dry_run_lists_without_sending():
    overdue("Late one")
    out = io.StringIO()
    call_command("email_review_due", "--dry-run", stdout=out)
    assert mail.outbox == [] and "Late one" in out.getvalue()
    assert not OutgoingEmail.objects.exists()


def overdue_of_every_kind():
    """An overdue muscle, stretch and self-test besides an article; and one muscle not yet due."""
    from tests.assessment.factories import SelfTestFactory
    from tests.factories import MuscleFactory, StretchFactory

    late = timezone.localdate() - datetime.timedelta(days=30)
    overdue("Late article")
    MuscleFactory(name="Late muscle", next_review_due=late)
    StretchFactory(name="Late stretch", next_review_due=late)
    SelfTestFactory(title="Late self-test", next_review_due=late)
    MuscleFactory(name="Fresh muscle", next_review_due=timezone.localdate() + datetime.timedelta(days=30))


def test_the_reviews_due_page_lists_every_kind_with_a_link_to_edit_each(editor_client):
    from articles.models import Muscle, Stretch
    from assessment.models import SelfTest

    overdue_of_every_kind()
    html = editor_client.get(reverse("admin:articles_article_reviews_due")).content.decode()
    for kind, title in [("Muscle", "Late muscle"), ("Self-test page", "Late self-test"), ("Article", "Late article")]:
        assert f"<td>{kind}</td>" in html and title in html
    assert "<td>Stretch</td>" in html and "Late stretch" in html
    assert "Fresh muscle" not in html
    for obj, name in [
        (Muscle.objects.get(name="Late muscle"), "articles_muscle"),
        (Stretch.objects.get(name="Late stretch"), "articles_stretch"),
        (SelfTest.objects.get(title="Late self-test"), "assessment_selftest"),
    ]:
        assert reverse(f"admin:{name}_change", args=[obj.pk]) in html


def test_the_command_emails_every_kind_overdue(django_capture_on_commit_callbacks):
    overdue_of_every_kind()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("email_review_due", stdout=out)
    (email,) = mail.outbox
    assert "4 page(s) due for review" in email.subject
    for line in (
        "Article: Late article",
        "Muscle: Late muscle",
        "Stretch: Late stretch",
        "Self-test page: Late self-test",
    ):
        assert line in email.body
    assert reverse("admin:assessment_selftest_changelist") in email.body and "Fresh muscle" not in email.body


def test_the_admin_home_links_to_the_reviews_due_with_their_count(editor_client):
    """One click from the admin's front page, counting every kind of page (here two articles and a stretch)."""
    overdue("A little late", days=2)
    overdue("Very late", days=200)
    StretchFactory(next_review_due=timezone.localdate() - datetime.timedelta(days=1))
    ArticleFactory(title="Not yet due", next_review_due=timezone.localdate() + datetime.timedelta(days=30))
    page = editor_client.get(reverse("admin:index")).content.decode()
    due = reverse("admin:articles_article_reviews_due")
    assert re.search(rf'<a href="{due}">\s*<span class="card-count needs-action">3</span>\s*'
                     r'<span class="card-label">Reviews due</span>', page)  # fmt: skip
    assert editor_client.get(due).status_code == 200
