"""Every upload field, through the real admin add and change pages of an editor with the Editors group's
permissions: hostile files are refused with a message saying what is wrong and nothing is stored (on a change,
the file already there is kept); real videos, captions and pictures are stored under their own extension."""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.html import escape

from articles.models import Article, Muscle, Stretch
from assessment.models import Question
from tests.assessment.factories import QuestionFactory
from tests.factories import ArticleFactory, MuscleFactory, StretchFactory
from tests.harness.fuzzing import form_data
from tests.harness.uploads import (
    CAPTIONS,
    CAPTIONS_WITH_SCRIPT,
    PAGE,
    SVG_WITH_ONLOAD,
    VALID_CAPTIONS,
    VALID_PICTURES,
    VALID_VIDEOS,
    gif_with_page_inside,
    mp4,
    picture,
    picture_bomb,
    upload,
    webm,
)

pytestmark = pytest.mark.django_db

NOT_A_VIDEO = "This is not an MP4 or WebM video."
NOT_CAPTIONS = "This is not a WebVTT captions file"
NOT_A_PICTURE = "This is not a picture the site can show. Upload a PNG, JPEG, WebP or GIF file."
SVG_REFUSED = "SVG pictures are not accepted, because they can carry script."

HOSTILE = {
    "video": [
        ("page-named-mp4", "clip.mp4", PAGE, NOT_A_VIDEO),
        ("svg-named-mp4", "clip.mp4", SVG_WITH_ONLOAD, NOT_A_VIDEO),
        ("page-named-webm", "clip.webm", b"\x1a\x45\xdf\xa3" + PAGE, NOT_A_VIDEO),
        ("matroska-named-webm", "clip.webm", webm(b"matroska"), NOT_A_VIDEO),
        ("quicktime-named-mp4", "clip.mp4", mp4(b"qt  ", b"qt  "), NOT_A_VIDEO),
        ("cut-short-mp4", "clip.mp4", mp4()[:-100], "This MP4 video seems damaged or cut short."),
        ("webm-named-mp4", "clip.mp4", webm(), "This file is a WebM video, but its name ends in “.mp4”."),
        ("mp4-named-html", "clip.html", mp4(), "This file is an MP4 video, but its name ends in “.html”."),
    ],
    "captions": [
        ("page-named-vtt", "captions.vtt", PAGE, NOT_CAPTIONS),
        ("svg-named-vtt", "captions.vtt", SVG_WITH_ONLOAD, NOT_CAPTIONS),
        ("script-in-vtt", "captions.vtt", CAPTIONS_WITH_SCRIPT, "line 4 has “<script>alert(1)</script>”"),
        (
            "svg-in-vtt",
            "captions.vtt",
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<svg onload=alert(1)>",
            "line 4 has “<svg onload=alert(1)>”",
        ),
        ("page-after-header", "captions.vtt", "WEBVTT\n" + PAGE.decode(), "line 2 has “<!DOCTYPE html>"),
        (
            "latin-1",
            "captions.vtt",
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nCafé".encode("latin-1"),
            "not saved as UTF-8",
        ),
        ("no-cues", "captions.vtt", "WEBVTT\n\nJust words.\n", "These captions have no cues"),
        ("vtt-named-html", "captions.html", CAPTIONS, "but its name ends in “.html”. Rename it to end in .vtt."),
    ],
    "picture": [
        ("svg-named-png", "photo.png", SVG_WITH_ONLOAD, SVG_REFUSED),
        ("svg", "photo.svg", SVG_WITH_ONLOAD, SVG_REFUSED),
        ("page-named-png", "photo.png", PAGE, NOT_A_PICTURE),
        ("gif-header-then-page", "photo.gif", b"GIF89a" + PAGE, NOT_A_PICTURE),
        ("gif-with-page-inside", "photo.gif", gif_with_page_inside(), "has web page code (HTML or script) hidden"),
        ("cut-short-png", "photo.png", picture("PNG", (300, 300))[:-200], "This PNG picture seems damaged"),
        ("picture-bomb", "photo.png", picture_bomb(), "This picture is too large to show"),
        ("bmp", "photo.bmp", picture("BMP"), NOT_A_PICTURE),
        ("png-named-jpg", "photo.jpg", picture("PNG"), "This file is a PNG picture, but its name ends in “.jpg”."),
    ],
}
VALID = {"video": VALID_VIDEOS, "captions": VALID_CAPTIONS, "picture": VALID_PICTURES}
STORED_EXTENSION = {".mp4": ".mp4", ".m4v": ".mp4", ".webm": ".webm", ".vtt": ".vtt", ".png": ".png"}
STORED_EXTENSION |= {".jpg": ".jpg", ".jpeg": ".jpg", ".webp": ".webp", ".gif": ".gif"}


def stored(instance, field, name, content):
    getattr(instance, field).save(name, ContentFile(content), save=False)


def stretch_with_files(muscle=None):
    """A stretch that already has a picture, a video and captions, as an editor uploaded them before."""
    stretch = StretchFactory(muscle=muscle or MuscleFactory(), image_alt="A person lying on their back.")
    stored(stretch, "image", "old.png", picture("PNG"))
    stored(stretch, "video_file", "old.mp4", mp4())
    stored(stretch, "captions_file", "old.vtt", CAPTIONS)
    stretch.save()
    return stretch


def article_with_picture():
    article = ArticleFactory(hero_image_alt="A person stretching.")
    stored(article, "hero_image", "old.png", picture("PNG"))
    article.save()
    return article, article


def stretch_page():
    stretch = stretch_with_files()
    return stretch, stretch


def question_page():
    question = QuestionFactory(image_alt="Someone lying on a table.")
    stored(question, "image", "old.png", picture("PNG"))
    question.save()
    return question, question


@dataclass(frozen=True)
class UploadField:
    """One upload field as an editor meets it: on which admin page, under which form name."""

    kind: str
    page: str  # the admin URL name's middle: "articles_article" for admin:articles_article_change
    form_id: str
    model_field: str
    form_field: str
    make: Callable  # () -> (the page's object, the object that holds the file)
    unique: dict  # fields to change so a copy of the page's form adds a new object

    def __str__(self):
        return f"{self.form_id.removesuffix('_form')}-{self.form_field}"


FIELDS = [
    UploadField("picture", "articles_article", "article_form", "hero_image", "hero_image", article_with_picture,
                {"slug": "a-new-article"}),
    UploadField("picture", "articles_stretch", "stretch_form", "image", "image", stretch_page, {"slug": "a-new-one"}),
    UploadField("video", "articles_stretch", "stretch_form", "video_file", "video_file", stretch_page,
                {"slug": "a-new-one"}),
    UploadField("captions", "articles_stretch", "stretch_form", "captions_file", "captions_file", stretch_page,
                {"slug": "a-new-one"}),
    UploadField("picture", "assessment_question", "question_form", "image", "image", question_page,
                {"slug": "a-new-question"}),
]  # fmt: skip
HOSTILE_CASES = [
    pytest.param(field, *case[1:], id=f"{field}-{case[0]}") for field in FIELDS for case in HOSTILE[field.kind]
]
VALID_CASES = [
    pytest.param(field, name, content, id=f"{field}-{name}")
    for field in FIELDS
    for name, content in VALID[field.kind].items()
]
MODELS = {"articles_article": Article, "articles_stretch": Stretch, "articles_muscle": Muscle}
MODELS["assessment_question"] = Question


@pytest.fixture
def media(settings, tmp_path):
    """A media folder of the test's own, so what is stored can be listed."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files_in(root):
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def change_page_data(client, field, page_object):
    url = reverse(f"admin:{field.page}_change", args=[page_object.pk])
    page = client.get(url)
    assert page.status_code == 200
    return url, form_data(page.content.decode(), field.form_id)


def as_new(data, unique):
    """A change page's data made into an add page's: inline rows kept but not yet saved, unique fields changed."""
    new = {key: value for key, value in data.items() if not re.fullmatch(r"\w+-\d+-(id|muscle|question)", key)}
    new.update({key: ["0"] for key in new if key.endswith("-INITIAL_FORMS")})
    return new | {key: [value] for key, value in unique.items()}


@pytest.mark.parametrize(("field", "name", "content", "message"), HOSTILE_CASES)
def test_a_hostile_file_is_refused_on_the_change_page_and_the_old_file_kept(
    editor_client, media, field, name, content, message
):
    page_object, holder = field.make()
    kept = getattr(holder, field.model_field).name
    before = files_in(media)
    url, data = change_page_data(editor_client, field, page_object)
    data[field.form_field] = upload(name, content)
    response = editor_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert escape(message) in page
    assert "Please correct the error" in page
    holder.refresh_from_db()
    assert getattr(holder, field.model_field).name == kept
    assert files_in(media) == before
    assert (media / kept).read_bytes()


@pytest.mark.parametrize(
    ("field", "name", "content", "message"),
    [case for case in HOSTILE_CASES if case.id.endswith(("page-named-mp4", "script-in-vtt", "gif-with-page-inside",
                                                          "svg", "png-named-jpg", "page-named-vtt"))],
)  # fmt: skip
def test_a_hostile_file_is_refused_on_the_add_page_and_nothing_is_added(
    editor_client, media, field, name, content, message
):
    page_object, _ = field.make()
    model = MODELS[field.page]
    count, before = model.objects.count(), files_in(media)
    _, data = change_page_data(editor_client, field, page_object)
    data = as_new(data, field.unique)
    data[field.form_field] = upload(name, content)
    response = editor_client.post(reverse(f"admin:{field.page}_add"), data)
    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert model.objects.count() == count
    assert files_in(media) == before


@pytest.mark.parametrize(("field", "name", "content"), VALID_CASES)
def test_a_real_file_is_stored_under_its_own_extension(editor_client, media, field, name, content):
    page_object, holder = field.make()
    url, data = change_page_data(editor_client, field, page_object)
    data[field.form_field] = upload(name, content)
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    holder.refresh_from_db()
    saved = getattr(holder, field.model_field)
    stem, extension = name.rsplit(".", 1)
    assert re.fullmatch(rf".+/{re.escape(stem)}(_\w+)?{STORED_EXTENSION['.' + extension.lower()]}", saved.name)
    expected = content.encode() if isinstance(content, str) else content
    assert (media / saved.name).read_bytes() == expected


def test_an_editor_adds_a_stretch_with_a_video_captions_and_a_picture(editor_client, media):
    """The add page takes all three at once; the picker offers only the kinds each field accepts."""
    stretch = stretch_with_files()
    page = editor_client.get(reverse("admin:articles_stretch_add")).content.decode()
    assert 'accept="video/mp4,video/webm,.mp4,.m4v,.webm"' in page
    assert 'accept="text/vtt,.vtt"' in page and 'accept="image/png,image/jpeg,image/webp,image/gif"' in page
    _, data = change_page_data(editor_client, FIELDS[1], stretch)
    data = as_new(data, {"slug": "knee-hug"})
    data |= {
        "video_file": upload("Knee Hug.WEBM", webm()),
        "captions_file": upload("knee-hug.vtt", CAPTIONS),
        "image": upload("knee-hug.jpeg", picture("JPEG")),
    }
    response = editor_client.post(reverse("admin:articles_stretch_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    added = Stretch.objects.get(slug="knee-hug")
    assert added.video_file.name == "stretches/videos/Knee_Hug.webm"
    assert added.captions_file.name == "stretches/captions/knee-hug.vtt"
    assert added.image.name == "stretches/knee-hug.jpg"
