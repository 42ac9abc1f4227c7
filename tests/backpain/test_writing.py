"""The admin's writing tools (backpain/writing.py, backpain/links.py): the live preview, the link picker's list
of pages, the check on save of every link and picture, and drawings chosen by their thumbnails."""

import datetime

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Muscle, SitePage, Stretch
from assessment.models import SelfTest
from backpain import writing
from backpain.markdown import MAX_CHARACTERS, render_markdown
from tests.factories import ArticleFactory, CategoryFactory, StretchFactory, UserFactory
from tests.harness.editing import edit_marker

PREVIEW = reverse("admin:markdown_preview")
PAGES = reverse("admin:link_pages")
PICTURES = reverse("admin:markdown_pictures")


def preview(client, text, **extra):
    return client.post(PREVIEW, {"text": text, **extra})


# The preview ----------------------------------------------------------------------------------------------


def test_the_preview_is_the_html_readers_get_from_the_same_text(editor_client):
    text = (
        "# Title\n\nSome *gentle* words.\n\n| | Left | Right |\n|---|---|---|\n| Hips | 1 | 2 |\n\n<script>x</script>"
    )
    response = preview(editor_client, text)
    assert response.status_code == 200
    article = ArticleFactory(body=text)
    page = response.content.decode()
    assert article.body_html in page
    assert render_markdown(text).html in page
    assert "<script" not in page
    assert response["Content-Type"].startswith("text/html")


def test_the_preview_of_a_site_page_fills_in_the_retention_figures_as_the_page_does(editor_client):
    text = "Results are kept for {{ results }}."
    page = SitePage(slug="privacy", title="Privacy", summary="s", body=text)
    page.save()
    response = preview(editor_client, text, figures="1")
    assert page.html in response.content.decode()
    assert "{{ results }}" not in response.content.decode()


def test_the_preview_warns_of_a_broken_link_before_the_save_does(editor_client):
    response = preview(editor_client, "See [this](/articles/no-such-article/).")
    assert response.status_code == 200
    assert "goes to no page readers can open: no article has this address" in response.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in_and_staff_without_content_rights_are_refused(client, db):
    response = preview(client, "Hello")
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    assert client.get(PAGES).status_code == 302
    assert client.get(PICTURES).status_code == 302
    client.force_login(UserFactory(is_staff=True))
    assert preview(client, "Hello").status_code == 403
    assert client.get(PAGES).status_code == 403
    assert client.get(PICTURES).status_code == 403


def test_the_preview_answers_only_a_post_with_a_valid_csrf_token(editor):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    assert browser.get(PREVIEW).status_code == 405
    assert browser.post(PREVIEW, {"text": "Hello"}).status_code == 403
    browser.get(reverse("admin:articles_article_add"))  # sets the CSRF cookie, as opening the form does
    token = browser.cookies["csrftoken"].value
    response = browser.post(PREVIEW, {"text": "Hello"}, headers={"X-CSRFToken": token})
    assert response.status_code == 200 and "<p>Hello</p>" in response.content.decode()


def test_text_too_long_to_preview_gets_a_413_that_says_so(editor_client):
    response = preview(editor_client, "a" * (MAX_CHARACTERS + 1))
    assert response.status_code == 413
    assert f"the most one field can hold is {MAX_CHARACTERS:,}" in response.content.decode()


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(editor_client):
    body = "text=" + "a" * writing.PREVIEW_MAX_BYTES
    response = editor_client.post(PREVIEW, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "too long to preview" in response.content.decode()


def test_text_too_complex_to_render_gets_a_400_with_the_save_message(editor_client):
    response = preview(editor_client, "[" * 9000)
    assert response.status_code == 400
    assert "too many square brackets" in response.content.decode()


def test_previews_asked_for_too_often_pause_with_a_message(editor_client, monkeypatch):
    monkeypatch.setattr(writing, "PREVIEW_RATE_LIMIT", 2)
    assert preview(editor_client, "one").status_code == 200
    assert preview(editor_client, "two").status_code == 200
    response = preview(editor_client, "three")
    assert response.status_code == 429
    assert "The preview is paused for a moment" in response.content.decode()


# The link picker -----------------------------------------------------------------------------------------


def test_the_link_picker_lists_the_pages_readers_can_open(editor_client, site_content):
    ArticleFactory(title="Still a draft", slug="still-a-draft", status=Article.Status.DRAFT)
    later = timezone.now() + datetime.timedelta(days=3)
    ArticleFactory(title="Coming soon", slug="coming-soon", status=Article.Status.PUBLISHED, published_at=later)
    response = editor_client.get(PAGES)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    pages = {page["url"]: page for page in response.json()["pages"]}
    assert pages["/articles/why-stretch-at-bedtime/"]["kind"] == "Article"
    assert pages["/articles/coming-soon/"]["note"].startswith("Scheduled for")
    assert "/articles/still-a-draft/" not in pages
    muscle = Muscle.objects.get(slug="hip-flexors")
    assert pages[muscle.get_absolute_url()]["title"] == muscle.name
    stretch = Stretch.objects.select_related("muscle").first()
    assert pages[stretch.get_absolute_url()]["kind"] == "Stretch"
    assert pages["/privacy/"]["kind"] == "Site page"
    assert pages["/assessment/"]["kind"] == "Self-check"
    test = SelfTest.objects.first()
    assert pages[test.get_absolute_url()]["title"] == test.title


# The check on save ---------------------------------------------------------------------------------------


def article_form(article, **overrides):
    return {
        "title": article.title,
        "slug": article.slug,
        "category": article.category.pk,
        "summary": article.summary,
        "body": article.body,
        "status": "published",
        "published_at_0": "2026-01-01",
        "published_at_1": "08:00:00",
        "source_links-TOTAL_FORMS": "0",
        "source_links-INITIAL_FORMS": "0",
        **overrides,
    }


def save_article(client, article, body):
    url = reverse("admin:articles_article_change", args=[article.pk])
    return client.post(url, {**article_form(article, body=body), **edit_marker(client, url)})


KEPT = "## Kept\n\nThe text already stored."


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[gone](/articles/not-written-yet/)", "“/articles/not-written-yet/” goes to no page readers can open"),
        ("[draft](/articles/a-draft/)", "the article “A draft” is a draft"),
        ("[nowhere](/no/such/place/)", "The link “/no/such/place/” goes to no page on this site"),
        ("[stretch](/stretches/hip-flexors/no-such-stretch/)", "no stretch has this address"),
        ("[own host](http://localhost/stretches/no-such-muscle/)", "no stretch guide has this address"),
        ("[own host](http://127.0.0.1:8000/articles/nope/)", "no article has this address"),
        ("[relative](stretches/hip-flexors/)", "does not start with /"),
        ("[admin](/admin/articles/)", "goes to the editors"),
        ("[result](/assessment/result/abc/)", "private result"),
        ("![photo](https://img.example/back.jpg)", "“https://img.example/back.jpg” is on another website"),
        ("![photo](https://images.example.com/back.jpg)", "security policy"),
        ("![missing](/static/img/stretches/no-such-drawing.svg)", "is not a file the site serves"),
        ("![missing](/media/articles/gone.png)", "is not a file the site serves"),
    ],
)  # fmt: skip
def test_a_save_with_a_link_or_picture_that_would_let_readers_down_is_refused(editor_client, body, message):
    ArticleFactory(title="A draft", slug="a-draft", status=Article.Status.DRAFT)
    article = ArticleFactory(title="Kept", body=KEPT)
    response = save_article(editor_client, article, f"## New\n\n{body}")
    assert response.status_code == 200
    assert message in response.content.decode()
    article.refresh_from_db()
    assert article.body == KEPT


def test_every_bad_link_is_named_in_one_message_list(editor_client):
    article = ArticleFactory(title="Kept", body=KEPT)
    response = save_article(
        editor_client, article, "[a](/articles/one/) and [b](/articles/two/) ![c](http://x.example/c.png)"
    )
    assert response.status_code == 200
    page = response.content.decode()
    for url in ("/articles/one/", "/articles/two/", "http://x.example/c.png"):
        assert f"“{url}”" in page


def test_links_to_live_and_scheduled_pages_and_the_sites_own_pictures_save(
    editor_client, site_content, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    default_storage.save("articles/back.png", ContentFile(b"not read"))
    later = timezone.now() + datetime.timedelta(days=3)
    ArticleFactory(title="Soon", slug="soon", status=Article.Status.PUBLISHED, published_at=later)
    article = Article.objects.get(slug="why-stretch-at-bedtime")
    body = (
        "See [soon](/articles/soon/), [hips](/stretches/hip-flexors/), [the check](/assessment/), "
        "[privacy](/privacy/#results), [a section](#why), [NHS](https://www.nhs.uk/conditions/back-pain/), "
        "[us](mailto:editors@example.com), [search](/search/?q=hips).\n\n"
        "![drawing](/static/img/stretches/childs-pose.svg)\n\n![photo](/media/articles/back.png)"
    )
    response = save_article(editor_client, article, body)
    assert response.status_code == 302, response.content.decode()[-3000:]
    article.refresh_from_db()
    assert article.body == body


def test_every_markdown_field_in_the_admin_gets_the_editor_and_the_check(editor_client, site_content):
    muscle = Muscle.objects.get(slug="hip-flexors")
    stretch = muscle.stretches.first()
    pages = {
        reverse("admin:articles_muscle_change", args=[muscle.pk]): 5,  # its stretches are edited on their own pages
        reverse("admin:articles_stretch_change", args=[stretch.pk]): 2,
        reverse("admin:articles_sitepage_change", args=[SitePage.objects.first().pk]): 1,
        reverse("admin:assessment_selftest_change", args=[SelfTest.objects.first().pk]): 3,
        reverse("admin:articles_article_add"): 1,
    }
    for url, fields in pages.items():
        page = editor_client.get(url).content.decode()
        assert page.count("data-markdown-editor") >= fields, url
        assert 'src="/static/js/markdown-editor.js"' in page
        assert "<script>" not in page.replace("<script src", "")
    page = SitePage.objects.get(slug="about")
    url = reverse("admin:articles_sitepage_change", args=[page.pk])
    data = {"slug": page.slug, "title": page.title, "summary": page.summary, "body": "[x](/stretches/nope/)"}
    response = editor_client.post(url, {**data, **edit_marker(editor_client, url)})
    assert response.status_code == 200 and "no stretch guide has this address" in response.content.decode()


def test_shipped_content_passes_the_link_check(site_content):
    from django.apps import apps

    from backpain.links import link_problems

    for model in apps.get_models():
        fields = [field for field in model._meta.fields if writing.is_markdown_field(field)]
        for item in model.objects.all() if fields and not model.__name__.startswith("Historical") else []:
            for field in fields:
                assert link_problems(getattr(item, field.name)) == [], (model.__name__, item.pk, field.name)


# Pictures chosen by their thumbnails ---------------------------------------------------------------------


def stretch_form(stretch, **overrides):
    return {
        "muscle": stretch.muscle.pk, "name": stretch.name, "slug": stretch.slug, "order": stretch.order,
        "summary": stretch.summary, "technique": stretch.technique, "steps": "\n".join(stretch.steps),
        "hold_seconds": stretch.hold_seconds, "repetitions": stretch.repetitions,
        "rest_seconds": stretch.rest_seconds, "contract_seconds": stretch.contract_seconds,
        "relax_seconds": stretch.relax_seconds, "sides": stretch.sides,
        "what_you_should_feel": stretch.what_you_should_feel, "cautions": stretch.cautions,
        "illustration": stretch.illustration, "image_alt": stretch.image_alt or "Lying with knees drawn in.",
        "video_url": stretch.video_url,
        "next_review_due": "", "last_reviewed": "", "reviewed_by": "",
        **overrides,
    }  # fmt: skip


def test_a_stretchs_drawing_is_chosen_from_thumbnails_and_saved(editor_client, site_content):
    stretch = Stretch.objects.exclude(illustration="").select_related("muscle").first()
    url = reverse("admin:articles_stretch_change", args=[stretch.pk])
    page = editor_client.get(url).content.decode()
    assert 'class="illustration-choices"' in page
    assert (
        f'value="{stretch.illustration}"' in page and "checked" in page.split(f'value="{stretch.illustration}"')[1][:40]
    )
    other = (
        "img/stretches/knees-to-chest.svg"
        if stretch.illustration != "img/stretches/knees-to-chest.svg"
        else "img/stretches/childs-pose.svg"
    )
    assert f'src="{staticfiles_storage.url(other)}"' in page
    assert 'type="text" name="illustration"' not in page
    form = stretch_form(stretch, illustration=other)
    response = editor_client.post(url, {**form, **edit_marker(editor_client, url)})
    assert response.status_code == 302, response.content.decode()[-3000:]
    stretch.refresh_from_db()
    assert stretch.illustration == other


def test_a_missing_drawing_stays_on_the_grid_with_the_models_own_message(editor_client, db):
    stretch = StretchFactory(illustration="")
    Stretch.objects.filter(pk=stretch.pk).update(illustration="img/stretches/gone.svg")
    page = editor_client.get(reverse("admin:articles_stretch_change", args=[stretch.pk])).content.decode()
    assert "(no such file: img/stretches/gone.svg)" in page


def test_an_uploaded_picture_shows_its_thumbnail(editor_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    article = ArticleFactory(category=CategoryFactory())
    article.hero_image.save("hero.png", ContentFile(b"x"), save=False)
    Article.objects.filter(pk=article.pk).update(hero_image=article.hero_image.name)
    page = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert f'class="admin-picture picture-thumbnail" src="{article.hero_image.url}"' in page


def test_the_preview_never_asks_for_a_picture_the_security_policy_would_block(editor_client):
    response = preview(editor_client, "![x](https://img.example/x.png)\n\n![y](/static/img/stretches/childs-pose.svg)")
    page = response.content.decode()
    assert 'src="https://img.example/x.png"' not in page
    assert "Picture not shown: https://img.example/x.png" in page
    assert 'src="/static/img/stretches/childs-pose.svg"' in page


def test_the_picture_picker_lists_the_shipped_drawings_and_uploaded_pictures(editor_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    default_storage.save("stretches/photo.jpg", ContentFile(b"x"))
    default_storage.save("stretches/videos/clip.mp4", ContentFile(b"x"))
    response = editor_client.get(PICTURES)
    assert response.status_code == 200
    pictures = {picture["url"]: picture for picture in response.json()["pictures"]}
    drawing = pictures[staticfiles_storage.url("img/stretches/childs-pose.svg")]
    assert drawing == {"kind": "Shipped drawing", "name": "Childs pose", "url": drawing["url"]}
    assert staticfiles_storage.url("img/self-tests/thomas-test.svg") in pictures
    assert pictures["/media/stretches/photo.jpg"]["kind"] == "Uploaded picture"
    assert not [url for url in pictures if url.endswith(".mp4")]
    # Whatever it offers, the check on save accepts.
    from backpain.links import image_problem

    assert [url for url in pictures if image_problem(url)] == []


def test_a_drawing_path_longer_than_the_field_is_refused_with_a_message(editor_client, site_content):
    stretch = Stretch.objects.exclude(illustration="").first()
    url = reverse("admin:articles_stretch_change", args=[stretch.pk])
    data = stretch_form(stretch, illustration="img/stretches/" + "a" * 300 + ".svg")
    response = editor_client.post(url, {**data, **edit_marker(editor_client, url)})
    assert response.status_code == 200
    assert "at most 200 characters" in response.content.decode()
    assert Stretch.objects.get(pk=stretch.pk).illustration == stretch.illustration


def test_an_address_on_any_of_the_sites_own_hosts_counts_as_internal(settings, db):
    from backpain.links import link_problem

    settings.ALLOWED_HOSTS = ["backpain.example", "[::1]", ".example.org"]
    settings.SITE_URL = "https://www.backpain.example"
    own = ["https://backpain.example/x/", "http://[::1]:8000/x/", "https://example.org/x/", "//www.backpain.example/x/"]
    for url in own:
        assert "goes to no page on this site" in link_problem(url), url
    assert link_problem("https://www.nhs.uk/x/") is None
