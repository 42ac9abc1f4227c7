"""How uploads are judged and served: backpain/uploads.py on its own (the admin pages are in test_uploads_admin.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from backpain.uploads import serve_media, stored_name, validate_captions, validate_picture, validate_video
from tests.factories import StretchFactory
from tests.harness.fuzzing import form_data
from tests.harness.uploads import CAPTIONS, PAGE, SVG_WITH_ONLOAD, box, mp4, picture, upload, webm

ROOT = Path(__file__).resolve().parents[2]


def refusal(validator, name, content):
    with pytest.raises(ValidationError) as refused:
        validator(upload(name, content))
    return " ".join(refused.value.messages)


@pytest.mark.parametrize(
    "cue",
    [
        "<b>Hold</b> <u>still</u>, <i>breathe</i>.",
        "<c.highlight.big>Now</c> <v.loud Physio Sam>relax</v>.",
        "<lang en-GB>Colour</lang> <ruby>knee<rt>hiza</rt></ruby>",
        "Slowly <00:00:02.500>lower <01:00:03.000>down.",
        "Use &lt;b&gt; to show a tag --> and arrows are fine.",
    ],
)
def test_captions_may_use_webvtts_own_cue_tags(cue):
    validate_captions(upload("captions.vtt", f"WEBVTT - Hip flexor\r\n\r\n00:01.000 --> 00:04.000\r\n{cue}\r\n"))


@pytest.mark.parametrize(
    "cue",
    [
        '<b onclick="alert(1)">Hold</b>',
        "<img src=x onerror=alert(1)>",
        "<v Sam=1>Hi</v>",
        "<iframe srcdoc=x>",
        "a > b",
        "<!-- a comment -->",
    ],
)
def test_captions_refuse_any_other_markup(cue):
    message = refusal(validate_captions, "captions.vtt", f"WEBVTT\n\n00:01.000 --> 00:04.000\n{cue}\n")
    assert message.startswith("Captions may hold only text and WebVTT's own cue tags") and "line 4" in message


def test_captions_must_start_with_the_webvtt_line():
    assert "first line is WEBVTT" in refusal(validate_captions, "c.vtt", "1\n00:00:01,000 --> 00:00:04,000\nHi\n")
    assert "first line is WEBVTT" in refusal(validate_captions, "c.vtt", "WEBVTTX\n\n00:01.000 --> 00:02.000\nHi\n")
    assert "first line is WEBVTT" in refusal(validate_captions, "c.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nA\x00B")


def test_huge_captions_are_refused_before_they_are_read():
    assert "larger than 2 MB" in refusal(validate_captions, "c.vtt", CAPTIONS + "x" * (2 * 1024 * 1024))


def test_a_huge_picture_file_is_refused_by_its_size():
    assert "larger than 20 MB" in refusal(validate_picture, "p.png", picture("PNG") + bytes(20 * 1024 * 1024))


def test_markup_near_the_start_of_a_picture_is_refused():
    """An XMP-free PNG with an SVG document pasted into a text chunk near its start."""
    png = picture("PNG")
    chunk = b"\x00\x00\x00\x20tEXt" + b"Comment\x00<svg onload=alert(1)>" + b"\x00" * 4
    assert "SVG pictures are not accepted" in refusal(validate_picture, "p.png", png[:33] + chunk + png[33:])


def test_videos_are_recognised_by_content_with_a_64_bit_box_and_a_box_to_the_end():
    ftyp = box(b"ftyp", b"isom" + bytes(4) + b"isommp42")
    big_moov = b"\x00\x00\x00\x01moov" + (24).to_bytes(8, "big") + bytes(8)
    to_the_end = b"\x00\x00\x00\x00mdat" + bytes(100)
    validate_video(upload("clip.mp4", ftyp + big_moov + to_the_end))
    assert "damaged or cut short" in refusal(validate_video, "clip.mp4", ftyp + big_moov)
    assert "damaged or cut short" in refusal(validate_video, "clip.mp4", ftyp + b"\x00\x00\x00\x10\x00\x01\x02\x03")
    assert "not an MP4 or WebM" in refusal(validate_video, "clip.webm", webm()[:20])


@pytest.mark.parametrize(
    ("name", "stored"),
    [("Photo.JPEG", "Photo.jpg"), ("clip.M4V", "clip.mp4"), ("a.WebM", "a.webm"), ("c.VTT", "c.vtt"), ("x", "x")],
)
def test_stored_names_get_the_lower_case_extension_of_their_kind(name, stored):
    assert stored_name(name) == stored


@pytest.mark.django_db
def test_a_file_already_stored_is_not_checked_again_when_the_page_is_edited(editor_client, settings, tmp_path):
    """A page naming a video that is not on this disk (a restored database, shipped content) can still be edited."""
    settings.MEDIA_ROOT = tmp_path
    stretch = StretchFactory(video_file="stretches/videos/elsewhere.mp4", captions_file="stretches/captions/x.vtt")
    url = reverse("admin:articles_stretch_change", args=[stretch.pk])
    data = form_data(editor_client.get(url).content.decode(), "stretch_form")
    data["name"] = ["Renamed stretch"]
    assert editor_client.post(url, data).status_code == 302
    stretch.refresh_from_db()
    assert stretch.name == "Renamed stretch" and stretch.video_file.name == "stretches/videos/elsewhere.mp4"


@pytest.mark.parametrize(
    ("name", "content", "content_type", "download"),
    [
        ("clip.mp4", mp4(), "video/mp4", False),
        ("clip.webm", webm(), "video/webm", False),
        ("photo.png", picture("PNG"), "image/png", False),
        ("photo.jpg", picture("JPEG"), "image/jpeg", False),
        ("captions.vtt", CAPTIONS.encode(), "text/vtt", True),
        ("page.html", PAGE, "text/html", True),
        ("drawing.svg", SVG_WITH_ONLOAD, "image/svg+xml", True),
        ("notes.txt", b"hello", "text/plain", True),
        ("blob", b"\x00\x01", "application/octet-stream", True),
    ],
)
def test_media_is_served_unsniffed_and_anything_but_pictures_and_video_as_a_download(
    rf, tmp_path, name, content, content_type, download
):
    (tmp_path / name).write_bytes(content)
    response = serve_media(rf.get(f"/media/{name}"), name, document_root=tmp_path)
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response.get("Content-Disposition", "inline").split(";")[0]
    assert disposition == ("attachment" if download else "inline")
    assert b"".join(response.streaming_content) == content


def test_media_headers_hold_for_a_not_modified_answer(rf, tmp_path):
    (tmp_path / "page.html").write_bytes(PAGE)
    first = serve_media(rf.get("/media/page.html"), "page.html", document_root=tmp_path)
    again = rf.get("/media/page.html", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    response = serve_media(again, "page.html", document_root=tmp_path)
    assert response.status_code == 304
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Disposition"].startswith("attachment")


def test_development_serves_media_through_the_protected_view():
    """With DJANGO_DEBUG=1 (make run), /media/ is routed to serve_media; with debug off Django serves no media."""
    code = (
        "import django; django.setup(); from django.urls import resolve;"
        "match = resolve('/media/stretches/captions/x.vtt');"
        "print(match.func.__module__, match.func.__name__, match.kwargs['path'])"
    )
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "backpain.settings", "DJANGO_DEBUG": "1"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["backpain.uploads", "serve_media", "stretches/captions/x.vtt"], result.stderr


@pytest.mark.django_db
def test_with_debug_off_django_serves_no_media(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "page.html").write_bytes(PAGE)
    assert client.get("/media/page.html").status_code == 404
