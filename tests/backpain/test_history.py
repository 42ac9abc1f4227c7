"""History that reads, as an editor sees it in the admin: long text as a full line diff (never "Sitti[453 chars]"),
restores recorded as "Restored the version of <date>", and a restore that goes through the edit lock."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from articles.models import Article
from backpain.textdiff import line_diff
from tests.factories import ArticleFactory, StretchFactory, make_editor
from tests.harness.fuzzing import form_data, post_form

pytestmark = pytest.mark.django_db

PARAGRAPH = (
    "Sitting for long stretches of the day keeps the hip flexors short, and over months that can tip the pelvis "
    "forward. A few minutes of gentle stretching in the evening, held without bouncing, is a calm way to start."
)


def history_page(client, obj):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def save_through_admin(client, obj, **changes):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    data = form_data(client.get(url).content.decode(), f"{obj._meta.model_name}_form")
    data.update({name: [value] for name, value in changes.items()})
    assert post_form(client, url, data).status_code == 302


def test_a_long_text_change_is_shown_in_full_as_a_line_diff(editor_client):
    article = ArticleFactory(body=f"## Why\n\n{PARAGRAPH}\n\n## How\n\nHold each stretch for 30 seconds.")
    save_through_admin(
        editor_client, article, body=f"## Why\n\n{PARAGRAPH}\n\n## How\n\nHold each stretch for 20 to 30 seconds."
    )
    page = history_page(editor_client, article)
    assert "chars]" not in page
    assert re.search(
        r'<del class="diff-line diff-removed"><span class="diff-sign">−</span>Hold each stretch for 30', page
    )
    assert re.search(r'<ins class="diff-line diff-added">.*Hold each stretch for <mark>20 to</mark> 30 seconds', page)
    # Unchanged lines around the change are folded, not repeated in full.
    assert "unchanged line" in page


def test_a_list_of_steps_reads_one_step_a_line(editor_client):
    stretch = StretchFactory(steps=["Kneel on a soft mat.", "Tuck your tailbone under."])
    save_through_admin(editor_client, stretch, steps="Kneel on a soft mat.\nTuck your tailbone under.\nBreathe out.")
    page = history_page(editor_client, stretch)
    assert re.search(r'<ins class="diff-line diff-added"><span class="diff-sign">\+</span>Breathe out\.</ins>', page)


def test_short_values_read_old_to_new(editor_client):
    article = ArticleFactory(title="Old title")
    save_through_admin(editor_client, article, title="New title")
    assert "Old title&nbsp;&rarr;&nbsp;New title" in history_page(editor_client, article)


def test_a_rewritten_line_is_not_marked_word_by_word():
    html = line_diff("Bedtime is a calm, regular slot.", "Something else entirely here.")
    assert "<mark>" not in html and "−</span>Bedtime is a calm" in html


def test_reader_text_in_a_diff_is_escaped():
    html = line_diff("<b>safe</b>", "<script>alert(1)</script>")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_restore_is_recorded_as_restored_with_the_versions_date(editor, editor_client):
    article = ArticleFactory(title="First title")
    first = article.history.latest("history_date")
    save_through_admin(editor_client, article, title="Second title")
    url = reverse("admin:articles_article_simple_history", args=[article.pk, first.history_id])
    data = form_data(editor_client.get(url).content.decode(), "historicalarticle_form")
    assert post_form(editor_client, url, data).status_code == 302

    assert Article.objects.get(pk=article.pk).title == "First title"
    latest = article.history.latest("history_date")
    assert re.fullmatch(r"Restored the version of \d+ \w+ \d{4}, \d\d:\d\d", latest.history_change_reason)
    assert latest.history_user == editor
    page = history_page(editor_client, article)
    assert latest.history_change_reason in page
    log = LogEntry.objects.filter(object_id=str(article.pk)).latest("action_time")
    assert log.get_change_message() == f"{latest.history_change_reason}."


def test_a_restore_from_a_stale_page_is_refused_like_any_save(editor_client):
    article = ArticleFactory(title="First title")
    first = article.history.latest("history_date")
    url = reverse("admin:articles_article_simple_history", args=[article.pk, first.history_id])
    data = form_data(editor_client.get(url).content.decode(), "historicalarticle_form")
    jo = Client()
    jo.force_login(make_editor("jo"))
    save_through_admin(jo, article, summary="Jo's summary, saved while the restore page was open.")

    refused = post_form(editor_client, url, data)
    assert refused.status_code == 200
    assert "jo changed this article" in refused.content.decode()
    assert Article.objects.get(pk=article.pk).summary == "Jo's summary, saved while the restore page was open."


@pytest.mark.parametrize("version", ["abc", "1' OR '1'='1", "99999999"])
def test_a_version_address_that_is_not_a_version_is_a_404(editor_client, version):
    article = ArticleFactory()
    url = reverse("admin:articles_article_change", args=[article.pk]).replace("/change/", f"/history/{version}/")
    assert editor_client.get(url).status_code == 404
