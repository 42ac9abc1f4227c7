"""Changes to a published article saved for later: readers keep the published text until an editor publishes them.

Everything goes through the admin's real change form as an editor (not a superuser) sees it: the form is read from
the page and sent back with the editor's changes and the button they pressed.
"""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article, PendingChange, SitePage
from tests.articles.conftest import run_worker
from tests.factories import ArticleFactory, make_editor
from tests.harness.clients import post_form
from tests.harness.editing import edit_marker

pytestmark = pytest.mark.django_db

OLD = "Hold each stretch gently, without bouncing."
NEW = "Hold each stretch for thirty seconds, breathing slowly."


@pytest.fixture
def article():
    return ArticleFactory(title="Stretching well", slug="stretching-well", body=f"## How\n\n{OLD}")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def the_form(client, article):
    """The change form as the editor's browser has it now."""
    url = change_url(article)
    page = client.get(url)
    assert page.status_code == 200
    return post_form(page.content.decode(), url)


def press(client, article, button, form=None, **changes):
    """Send the change form with ``changes`` typed in, pressing ``button`` (its name)."""
    form = form or the_form(client, article)
    return client.post(change_url(article), dict_of(form.with_values(**changes, **{button: "1"})))


def dict_of(fields):
    data = {}
    for key, value in fields:
        data.setdefault(key, []).append(value)
    return data


def public_page(article):
    return Client().get(f"/articles/{article.slug}/")  # a reader: no session, served from the page cache


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


def feed():
    return Client().get("/feed/").content.decode()


def search(words):
    return Client().get("/search/", {"q": words}).content.decode()


def test_save_for_later_keeps_readers_on_the_published_text(editor_client, editor, article):
    assert OLD in public_page(article).content.decode()  # now in the page cache
    response = press(editor_client, article, "_save_for_later", body=f"## How\n\n{NEW}", title="Stretching better")
    assert response.status_code == 302, response.content.decode()[:3000]
    html = editor_client.get(response["Location"]).content.decode()
    assert "Your changes are saved for later: readers still see the published version." in html
    assert f"by {editor.get_username()}; readers see the published version." in html
    assert "You are editing changes saved for later on" in html
    assert NEW in html and 'value="Stretching better"' in html  # the pending text, for further editing
    assert 'name="_publish_changes"' in html and 'name="_discard_changes"' in html and 'name="_save"' not in html

    article.refresh_from_db()
    assert article.title == "Stretching well" and OLD in article.body
    reader = public_page(article).content.decode()
    assert OLD in reader and NEW not in reader and "Stretching better" not in reader
    assert "Stretching well" in feed() and "Stretching better" not in feed()
    assert "Stretching well" in search("gently bouncing") and "Stretching" not in search("thirty breathing slowly")
    history = article.history.first()
    assert history.history_change_reason == "Saved changes for later" and history.history_user == editor
    assert "Stretching better" not in Client().get("/sitemap.xml").content.decode()


def test_publish_changes_puts_them_in_front_of_readers(editor_client, editor, article):
    public_page(article)
    press(editor_client, article, "_save_for_later", body=f"## How\n\n{NEW}", title="Stretching better")
    response = press(editor_client, article, "_publish_changes")
    assert response.status_code == 302
    html = editor_client.get(response["Location"]).content.decode()
    assert "Published your changes: readers see them now." in html
    assert "You are editing changes saved for later" not in html and 'name="_save"' in html
    assert not PendingChange.objects.exists()
    reader = public_page(article).content.decode()
    assert NEW in reader and OLD not in reader  # the page cache was renewed by the save
    assert "Stretching better" in feed() and "Stretching better" in search("thirty breathing slowly")
    record = article.history.first()
    assert record.history_change_reason == "Published changes saved for later" and record.history_user == editor
    history_page = editor_client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
    assert "Published changes saved for later" in history_page and "Saved changes for later" in history_page


def test_changes_typed_before_publishing_are_published_too(editor_client, article):
    press(editor_client, article, "_save_for_later", body=f"## How\n\n{NEW}")
    press(editor_client, article, "_publish_changes", body=f"## How\n\n{NEW} Then rest.")
    assert f"{NEW} Then rest." in public_page(article).content.decode()


def test_saving_for_later_again_replaces_them(editor_client, article):
    press(editor_client, article, "_save_for_later", body=f"## How\n\n{NEW}")
    press(editor_client, article, "_save_for_later", body="## How\n\nA second thought.")
    assert PendingChange.objects.get().data["body"] == "## How\n\nA second thought."
    assert "A second thought." in the_form(editor_client, article).value("body")


def test_discard_changes(editor_client, editor, article):
    press(editor_client, article, "_save_for_later", body=f"## How\n\n{NEW}")
    response = press(editor_client, article, "_discard_changes")
    assert response.status_code == 302
    html = editor_client.get(response["Location"]).content.decode()
    assert "Discarded the changes saved for later" in html and NEW not in html and OLD in html
    assert not PendingChange.objects.exists()
    assert article.history.first().history_change_reason == "Discarded changes saved for later"
    assert OLD in public_page(article).content.decode()


def preview(client, article, fields):
    return client.post(reverse("admin:articles_article_preview", args=[article.pk]), dict_of(fields))


def test_preview_shows_the_unsaved_form_and_stores_nothing(editor_client, article):
    form = the_form(editor_client, article)
    before = article.history.count()
    response = preview(editor_client, article, form.with_values(body=f"## How\n\n{NEW}", title="Typed, not saved"))
    assert response.status_code == 200
    html = response.content.decode()
    assert NEW in html and "<h1>Typed, not saved</h1>" in html
    assert "nothing is saved, and readers see the published version" in html
    assert '<meta name="robots" content="noindex">' in html and response["X-Robots-Tag"].startswith("noindex")
    assert "no-store" in response["Cache-Control"]
    article.refresh_from_db()
    assert OLD in article.body and article.history.count() == before and not PendingChange.objects.exists()
    assert OLD in public_page(article).content.decode()


def test_preview_button_posts_the_form_to_the_preview_in_a_new_tab(editor_client, article):
    html = editor_client.get(change_url(article)).content.decode()
    url = reverse("admin:articles_article_preview", args=[article.pk])
    assert f'formaction="{url}" formtarget="_blank"' in html


def test_preview_of_invalid_input_shows_the_errors(editor_client, article):
    form = the_form(editor_client, article)
    response = preview(editor_client, article, form.with_values(title="", category="999999"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing is saved" in html and "This field is required." in html and "Select a valid choice" in html


def test_preview_needs_a_post_an_editor_and_the_csrf_token(client, article, editor):
    url = reverse("admin:articles_article_preview", args=[article.pk])
    assert client.post(url, {"title": "x"}).status_code == 302  # not signed in: to the sign-in page
    client.force_login(editor)
    assert client.get(url).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post(url, {"title": "x"}).status_code == 403
    assert client.post(reverse("admin:articles_article_preview", args=["nope"]), {}).status_code == 404
    assert client.post(reverse("admin:articles_article_preview", args=["999999"]), {}).status_code == 404


# Scheduled publication: the site's task worker, as for mail.


def in_two_hours():
    return timezone.localtime(timezone.now() + datetime.timedelta(hours=2)).replace(second=0, microsecond=0)


def typed(moment):
    return moment.strftime("%Y-%m-%dT%H:%M")


@pytest.mark.django_db(transaction=True)
def test_scheduled_changes_are_published_at_their_time(database_queue, editor_client, editor, article):
    at = in_two_hours()
    response = press(editor_client, article, "_save_for_later", body=f"## How\n\n{NEW}", pending_publish_at=typed(at))
    assert response.status_code == 302
    html = editor_client.get(response["Location"]).content.decode()
    assert "They will be published on" in html and "They will be published automatically on" in html
    assert PendingChange.objects.get().publish_at == at
    assert DBTaskResult.objects.get().run_after == at

    run_worker()  # not yet
    assert OLD in public_page(article).content.decode() and PendingChange.objects.exists()
    with time_machine.travel(at + datetime.timedelta(seconds=5)):
        run_worker()
        reader = public_page(article).content.decode()
    assert NEW in reader and OLD not in reader and not PendingChange.objects.exists()
    record = Article.objects.get().history.first()
    assert record.history_change_reason == "Published changes saved for later, at their scheduled time"
    assert record.history_user == editor


@pytest.mark.django_db(transaction=True)
def test_a_scheduled_publication_keeps_a_change_published_meanwhile(database_queue, editor_client, article):
    at = in_two_hours()
    press(editor_client, article, "_save_for_later", body=f"## How\n\n{NEW}", pending_publish_at=typed(at))
    Article.objects.filter(pk=article.pk).update(title="Renamed meanwhile")
    with time_machine.travel(at + datetime.timedelta(seconds=5)):
        run_worker()
    article.refresh_from_db()
    assert article.title == "Renamed meanwhile" and NEW in article.body


@pytest.mark.django_db(transaction=True)
def test_discarded_or_rescheduled_changes_are_not_published_by_the_old_schedule(database_queue, editor_client, article):
    at = in_two_hours()
    press(editor_client, article, "_save_for_later", body=f"## How\n\n{NEW}", pending_publish_at=typed(at))
    later = at + datetime.timedelta(days=1)
    press(editor_client, article, "_save_for_later", pending_publish_at=typed(later))
    with time_machine.travel(at + datetime.timedelta(seconds=5)):
        run_worker()
    assert OLD in Article.objects.get().body and PendingChange.objects.exists()
    press(editor_client, article, "_discard_changes")
    with time_machine.travel(later + datetime.timedelta(seconds=5)):
        run_worker()
    assert OLD in Article.objects.get().body


def sam():
    user = make_editor(username="sam")
    user.first_name, user.last_name = "Sam", "Jones"
    user.save()
    return user


# Hostile and mistaken input: a clear message, nothing lost.


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        ("tomorrow", "Enter a valid date/time."),
        ("2020-01-01T08:00", "Choose a time still to come"),
        ("0001-01-01T00:00", "Choose a time still to come"),
        ("2026-02-30T08:00", "Enter a valid date/time."),
        ("1" * 300, "Choose a time still to come"),  # read as 1111-11-11 11:11:11.111111
        ("9999-12-31T23:59", None),
    ],
)
def test_a_bad_publication_time_is_a_form_error(editor_client, article, moment, message):
    if message is None:  # far off but valid: kept
        response = press(editor_client, article, "_save_for_later", pending_publish_at=moment)
        assert response.status_code == 302 and PendingChange.objects.get().publish_at.year == 9999
        return
    response = press(editor_client, article, "_save_for_later", body=f"## How\n\n{NEW}", pending_publish_at=moment)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and NEW in html  # the editor's text is still in the form
    assert not PendingChange.objects.exists() and OLD in Article.objects.get().body


def test_a_stale_save_for_later_is_refused_like_a_stale_save(editor_client, article):
    mine = the_form(editor_client, article)
    other = Client()
    other.force_login(sam())
    url = change_url(article)
    assert press(other, article, "_continue", body="## How\n\nSam's version.").status_code == 302
    response = press(editor_client, article, "_save_for_later", form=mine, body=f"## How\n\n{NEW}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sam Jones changed this article at" in html and NEW in html
    assert not PendingChange.objects.exists() and "Sam's version." in Article.objects.get().body
    assert edit_marker(other, url)  # the page still opens


def test_changes_saved_by_someone_else_meanwhile_are_not_overwritten(editor_client, article):
    mine = the_form(editor_client, article)
    other = Client()
    other.force_login(sam())
    press(other, article, "_save_for_later", body="## How\n\nSam's changes.")
    for button in ("_save_for_later", "_publish_changes"):
        response = press(editor_client, article, button, form=mine, body=f"## How\n\n{NEW}")
        assert response.status_code == 200
        assert "Sam Jones saved changes for later on" in response.content.decode()
    assert PendingChange.objects.get().data["body"] == "## How\n\nSam's changes."
    assert OLD in Article.objects.get().body
    response = press(editor_client, article, "_discard_changes", form=mine)
    assert response.status_code == 409 and "nothing was discarded" in response.content.decode()
    assert PendingChange.objects.exists()


def test_a_tampered_token_is_refused(editor_client, article):
    press(editor_client, article, "_save_for_later", body=f"## How\n\n{NEW}")
    response = press(editor_client, article, "_publish_changes", pending_token="1:999.0")
    assert response.status_code == 200 and "saved changes for later on" in response.content.decode()
    response = press(editor_client, article, "_discard_changes", pending_token="<script>")
    assert response.status_code == 409
    assert PendingChange.objects.exists() and OLD in Article.objects.get().body


def test_a_draft_cannot_save_changes_for_later(editor_client, article):
    form = the_form(editor_client, article)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    response = press(editor_client, article, "_save_for_later", form=form, body=f"## How\n\n{NEW}")
    assert response.status_code == 409 and "is not published" in response.content.decode()
    assert not PendingChange.objects.exists()
    assert 'name="_save_for_later"' not in editor_client.get(change_url(article)).content.decode()


def test_an_unknown_article_is_not_found(editor_client):
    url = reverse("admin:articles_article_change", args=[999999])
    response = editor_client.post(url, {"_save_for_later": "1"})
    assert response.status_code == 302 and not PendingChange.objects.exists()  # the admin's "does not exist"


# Site pages work the same way.


def test_a_site_page_takes_changes_saved_for_later(editor_client, editor):
    page = SitePage.objects.create(
        slug="about", title="About us", summary="Who we are.", body="## Who\n\nWe write about stretching."
    )
    url = reverse("admin:articles_sitepage_change", args=[page.pk])
    form = post_form(editor_client.get(url).content.decode(), url)
    typed = "## Who\n\nWe write about stretching, carefully."
    response = editor_client.post(url, dict_of(form.with_values(body=typed, _save_for_later="1")))
    assert response.status_code == 302
    assert "carefully" not in Client().get("/about/").content.decode()
    assert "You are editing changes saved for later" in editor_client.get(url).content.decode()

    form = post_form(editor_client.get(url).content.decode(), url)
    shown = editor_client.post(reverse("admin:articles_sitepage_preview", args=[page.pk]), dict_of(form.fields))
    assert shown.status_code == 200 and "carefully" in shown.content.decode()
    assert '<meta name="robots" content="noindex">' in shown.content.decode()

    assert editor_client.post(url, dict_of(form.with_values(_publish_changes="1"))).status_code == 302
    assert "carefully" in Client().get("/about/").content.decode()
    assert page.history.first().history_change_reason == "Published changes saved for later"
