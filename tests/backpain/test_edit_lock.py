"""Optimistic locking on the admin's change forms, as editors (not superusers) meet it: a stale save is refused
with who and when, the differences, the editor's input kept and merged, and saving again is deliberate."""

import html
import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from articles.models import Article, ContactMessage, Stretch
from assessment.models import Question, Questionnaire
from backpain.locking import LOCK_FIELD, EditLockAdmin
from tests.factories import ArticleFactory, CommentFactory, StretchFactory, make_editor
from tests.harness.fuzzing import form_data, post_form

pytestmark = pytest.mark.django_db

NOT_SAVED = "Not saved: this"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def jo():
    user = make_editor("jo")
    user.first_name, user.last_name = "Jo", "Bloggs"
    user.save()
    return user


def change_page(client, obj):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200
    return url, form_data(page.content.decode(), f"{obj._meta.model_name}_form")


def text_of(response):
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_every_model_admin_carries_the_lock():
    assert admin.site._registry
    assert all(isinstance(model_admin, EditLockAdmin) for model_admin in admin.site._registry.values())


def test_a_fresh_save_goes_through(editor_client):
    article = ArticleFactory(title="Old title")
    url, data = change_page(editor_client, article)
    assert data[LOCK_FIELD][0]
    data["title"] = ["New title"]
    response = post_form(editor_client, url, data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "New title"


def test_a_stale_save_is_refused_and_merged_so_nothing_of_either_editor_is_lost(editor, editor_client, jo):
    """Two editors open one article; Jo saves the body; the first editor's title change is refused, named to Jo,
    and the form then holds both changes, so saving again keeps both."""
    article = ArticleFactory(title="Old title", body="## Start\n\nFirst paragraph.\n\nSecond paragraph.")
    url, mine = change_page(editor_client, article)
    _, theirs = change_page(signed_in(jo), article)
    theirs["body"] = ["## Start\n\nFirst paragraph, made clearer by Jo.\n\nSecond paragraph."]
    assert post_form(signed_in(jo), url, theirs).status_code == 302

    mine["title"] = ["My new title"]
    refused = post_form(editor_client, url, mine)
    assert refused.status_code == 200
    page = text_of(refused)
    assert NOT_SAVED in page
    assert re.search(r"Jo Bloggs changed this article at \d\d:\d\d on \d+ \w+ \d{4}, after you opened it", page)
    article.refresh_from_db()
    assert article.title == "Old title" and "made clearer by Jo" in article.body

    # The body only Jo changed is in the form now, with the title the editor typed; saving again keeps both.
    again = form_data(refused.content.decode(), "article_form")
    assert again["title"] == ["My new title"]
    assert "made clearer by Jo" in again["body"][0]
    assert again[LOCK_FIELD] != mine[LOCK_FIELD]
    assert "Changed only in the saved version" in page
    assert post_form(editor_client, url, again).status_code == 302
    article.refresh_from_db()
    assert article.title == "My new title" and "made clearer by Jo" in article.body


def test_when_both_change_one_text_the_editor_keeps_theirs_and_sees_a_line_diff(editor_client, jo):
    article = ArticleFactory(body="## Start\n\nLine one.\n\nLine two.\n\nLine three.")
    url, mine = change_page(editor_client, article)
    _, theirs = change_page(signed_in(jo), article)
    theirs["body"] = ["## Start\n\nLine one.\n\nLine two, as Jo wrote it.\n\nLine three."]
    assert post_form(signed_in(jo), url, theirs).status_code == 302

    mine["body"] = ["## Start\n\nLine one.\n\nLine two, as I wrote it.\n\nLine three."]
    refused = post_form(editor_client, url, mine)
    content = refused.content.decode()
    assert refused.status_code == 200 and NOT_SAVED in text_of(refused)
    assert "Changed on both sides" in content
    # A readable line diff: the stored line struck out, the editor's added, the changed words marked.
    assert re.search(r'<del class="diff-line diff-removed">.*as <mark>Jo</mark>', content)
    assert re.search(r'<ins class="diff-line diff-added">.*as <mark>I</mark>', content)
    again = form_data(content, "article_form")
    assert "as I wrote it" in again["body"][0]
    assert post_form(editor_client, url, again).status_code == 302
    article.refresh_from_db()
    assert "as I wrote it" in article.body


def test_the_editors_own_save_in_another_tab_is_named_as_theirs(editor_client):
    article = ArticleFactory(title="Start")
    url, first_tab = change_page(editor_client, article)
    _, second_tab = change_page(editor_client, article)
    second_tab["title"] = ["Second tab"]
    assert post_form(editor_client, url, second_tab).status_code == 302
    first_tab["title"] = ["First tab"]
    refused = post_form(editor_client, url, first_tab)
    assert "You saved this article yourself" in text_of(refused)
    assert Article.objects.get(pk=article.pk).title == "Second tab"


def test_a_change_nobody_recorded_still_refuses_the_save(editor_client):
    article = ArticleFactory(summary="Before")
    url, data = change_page(editor_client, article)
    Article.objects.filter(pk=article.pk).update(summary="Changed by a command")
    data["title"] = ["Mine"]
    refused = post_form(editor_client, url, data)
    assert "leaves no record of who" in text_of(refused)
    assert Article.objects.get(pk=article.pk).summary == "Changed by a command"


def test_a_stretch_saved_on_its_own_page_leaves_its_muscle_page_saveable(editor_client, jo):
    """Stretches have their own change pages, not an inline: saving one never makes the muscle's open page stale."""
    stretch = StretchFactory(name="Kneeling lunge")
    muscle = stretch.muscle
    url, data = change_page(editor_client, muscle)
    stretch_url, stretch_data = change_page(signed_in(jo), stretch)
    stretch_data["summary"] = ["Jo's better summary."]
    assert post_form(signed_in(jo), stretch_url, stretch_data).status_code == 302

    data["summary"] = ["My muscle summary."]
    assert post_form(editor_client, url, data).status_code == 302
    muscle.refresh_from_db()
    assert muscle.summary == "My muscle summary."
    assert Stretch.objects.get(pk=stretch.pk).summary == "Jo's better summary."


@pytest.mark.parametrize(
    "marker",
    [None, "", "garbage", "x" * 10_000, "\x00", "eyJmIjp7fX0:1abc:forged", "\ud800"],
    ids=["missing", "empty", "garbage", "huge", "nul", "forged", "surrogate"],
)
def test_a_missing_or_damaged_marker_is_refused_with_a_clear_message_never_a_500(editor_client, marker):
    article = ArticleFactory(title="Kept")
    url, data = change_page(editor_client, article)
    if marker is None:
        del data[LOCK_FIELD]
    else:
        data[LOCK_FIELD] = [marker]
    data["title"] = ["Tampered"]
    refused = post_form(editor_client, url, data)
    assert refused.status_code == 200
    assert "did not say which version of the article you started from" in text_of(refused)
    assert Article.objects.get(pk=article.pk).title == "Kept"
    # The page now carries a good marker: saving again, deliberately, works.
    assert post_form(editor_client, url, form_data(refused.content.decode(), "article_form")).status_code == 302
    assert Article.objects.get(pk=article.pk).title == "Tampered"


def test_a_marker_from_another_article_does_not_pass(editor_client):
    first, second = ArticleFactory(), ArticleFactory()
    _, data_first = change_page(editor_client, first)
    url, data_second = change_page(editor_client, second)
    data_second[LOCK_FIELD] = data_first[LOCK_FIELD]
    data_second["title"] = ["Swapped marker"]
    refused = post_form(editor_client, url, data_second)
    assert refused.status_code == 200 and "did not say which version" in text_of(refused)
    assert Article.objects.get(pk=second.pk).title != "Swapped marker"


def test_every_change_form_an_editor_can_save_carries_a_marker_and_refuses_a_save_without_one(
    editor_client, site_content
):
    CommentFactory()
    ContactMessage.objects.create(name="A reader", email="reader@example.org", subject="Hello", message="Thanks.")
    checked = set()
    # A published version's questions are read-only; the draft's are the ones an editor saves.
    drafted = Questionnaire.objects.active().get().start_draft()
    for model in admin.site._registry:
        obj = model._default_manager.order_by("pk").first()
        if model is Question:
            obj = drafted.questions.order_by("pk").first()
        if obj is None or model._meta.app_label not in ("articles", "assessment"):
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
        page = editor_client.get(url)
        data = form_data(page.content.decode(), f"{model._meta.model_name}_form")
        if page.status_code != 200 or "_save" not in page.content.decode():
            continue  # read-only for editors (results, helpful votes): nothing to save
        assert data.get(LOCK_FIELD, [""])[0], model
        del data[LOCK_FIELD]
        before = model._default_manager.filter(pk=obj.pk).values().get()
        refused = post_form(editor_client, url, data)
        assert refused.status_code == 200, model
        assert "did not say which version" in text_of(refused), model
        assert model._default_manager.filter(pk=obj.pk).values().get() == before
        checked.add(model._meta.label)
    assert checked >= {
        "articles.Article", "articles.Category", "articles.Source", "articles.SitePage", "articles.Muscle",
        "articles.Stretch", "articles.Comment", "articles.ContactMessage", "assessment.Questionnaire",
        "assessment.Question", "assessment.SelfTest", "assessment.Imbalance",
    }  # fmt: skip


def test_a_stale_save_that_is_also_invalid_keeps_everything_typed_and_shows_both(editor_client, jo):
    article = ArticleFactory(title="Old title", summary="Old summary")
    url, mine = change_page(editor_client, article)
    _, theirs = change_page(signed_in(jo), article)
    theirs["summary"] = ["Jo's summary"]
    assert post_form(signed_in(jo), url, theirs).status_code == 302
    mine["title"] = [""]  # required
    refused = post_form(editor_client, url, mine)
    page = text_of(refused)
    assert refused.status_code == 200 and NOT_SAVED in page and "This field is required." in page
    again = form_data(refused.content.decode(), "article_form")
    assert again["title"] == [""] and again["summary"] == ["Old summary"]
    assert Article.objects.get(pk=article.pk).summary == "Jo's summary"
