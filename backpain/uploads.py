"""
What editors may upload, judged by what a file is, never by what it is called; and how uploads are served.

Three kinds of upload, each with its own model field below:

- ``VideoField``: MP4 (an ISO-BMFF ``ftyp`` box with an MP4-family brand, then whole boxes up to the end of
  the file, among them ``moov`` and ``mdat``) or WebM (an EBML header whose doctype is ``webm``, then a
  segment);
- ``CaptionsField``: WebVTT, UTF-8 text starting ``WEBVTT``, with no markup but WebVTT's own cue tags;
- ``PictureField``: PNG, JPEG, WebP or GIF that Pillow opens, verifies and decodes in full, within a pixel
  limit, with no web page code hidden inside (refusing SVG, which can carry script).

The name's extension must match what the file is, and the stored name gets that kind's lower-case
extension. A file already stored is never checked again, so editing a page does not re-read its video.

Uploads are served from the site's own origin, so what a browser does with one matters: every media
response says ``X-Content-Type-Options: nosniff``, and anything but a picture or a video is sent as a
download (``Content-Disposition: attachment``), so even a file that got past these checks could not run as
a page of the site. In development Django serves ``/media/`` with ``serve_media``; in production nginx
does, with the same headers (backpain/deploy/nginx.conf, installed as the README shows).

Plumbing: imports no app.
"""

import os
import re
import struct
import warnings
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.views.static import serve
from PIL import Image

PICTURE_MAX_BYTES = 20 * 1024 * 1024
PICTURE_MAX_PIXELS = 40_000_000  # a 24-megapixel camera's full-size photo fits; decoding more costs too much memory
CAPTIONS_MAX_BYTES = 2 * 1024 * 1024  # hours of captions fit in a few hundred kilobytes
MP4_MAX_BOXES = 100_000  # top-level boxes; a fragmented hour of video has a few thousand
SCAN_CHUNK = 1024 * 1024
SNIFF_WINDOW = 4096  # the start of a file, where browsers and old proxies look for markup


@dataclass(frozen=True)
class Kind:
    """A kind of file the site accepts: what to call it to an editor, its extensions (the first is the one
    stored) and the content type it is served with."""

    name: str
    article: str
    extensions: tuple
    content_type: str

    @property
    def label(self):
        return f"{self.article} {self.name}"


MP4 = Kind("MP4 video", "an", (".mp4", ".m4v"), "video/mp4")
WEBM = Kind("WebM video", "a", (".webm",), "video/webm")
VTT = Kind("WebVTT captions file", "a", (".vtt",), "text/vtt")
PNG = Kind("PNG picture", "a", (".png",), "image/png")
JPEG = Kind("JPEG picture", "a", (".jpg", ".jpeg"), "image/jpeg")
WEBP = Kind("WebP picture", "a", (".webp",), "image/webp")
GIF = Kind("GIF picture", "a", (".gif",), "image/gif")
KINDS = (MP4, WEBM, VTT, PNG, JPEG, WEBP, GIF)
# The Pillow formats tried, and the kind each format Pillow reports is; its JPEG reader reports the
# multi-picture JPEG some cameras write as MPO.
PILLOW_FORMATS = ["PNG", "JPEG", "WEBP", "GIF"]
PILLOW_KINDS = {"PNG": PNG, "JPEG": JPEG, "MPO": JPEG, "WEBP": WEBP, "GIF": GIF}
# Shown in the page (an <img> or a <video>); anything else served from /media/ is a download.
INLINE_CONTENT_TYPES = frozenset(kind.content_type for kind in (MP4, WEBM, PNG, JPEG, WEBP, GIF))

NOT_A_VIDEO = "This is not an MP4 or WebM video. Upload the video itself, saved as .mp4 or .webm."
DAMAGED_VIDEO = "This {name} seems damaged or cut short. Export it again and upload the whole file."
NOT_CAPTIONS = (
    "This is not a WebVTT captions file: it must be plain text whose first line is WEBVTT. "
    "Captions in another format (such as .srt) can be converted to WebVTT by most subtitle editors."
)
CAPTIONS_NOT_UTF8 = "These captions are not saved as UTF-8 text. Save them again as UTF-8 and upload them."
CAPTIONS_MARKUP = (
    "Captions may hold only text and WebVTT's own cue tags (such as <i> or <v Name>); line {line} has "
    "“{snippet}”. Remove it and upload the file again."
)
CAPTIONS_NO_CUES = "These captions have no cues: no line with times such as 00:00:01.000 --> 00:00:04.000."
CAPTIONS_TOO_BIG = "This captions file is larger than 2 MB; captions are plain text and are far smaller."
NOT_A_PICTURE = "This is not a picture the site can show. Upload a PNG, JPEG, WebP or GIF file."
SVG_PICTURE = "SVG pictures are not accepted, because they can carry script. Export the picture as PNG and upload that."
DAMAGED_PICTURE = "This {name} seems damaged or cut short. Export it again and upload the whole file."
PICTURE_TOO_BIG = (
    "This picture is larger than 20 MB. Save a smaller copy (2,000 pixels wide is plenty) and upload that."
)
PICTURE_TOO_MANY_PIXELS = (
    "This picture is too large to show: at most 40 million pixels. Save a smaller copy (2,000 pixels wide is "
    "plenty) and upload that."
)
PICTURE_MARKUP = (
    "This picture has web page code (HTML or script) hidden inside it. Open it in an image editor, export a "
    "clean copy and upload that."
)
WRONG_EXTENSION = "This file is {label}, but its name ends in “{extension}”. Rename it to end in {expected}."
NO_EXTENSION = "This file is {label}, but its name has no extension. Rename it to end in {expected}."

# Markup that has no business anywhere in a picture, long enough never to turn up by chance in compressed data.
MARKUP_ANYWHERE = re.compile(
    rb"<(?:script|iframe|object|embed|!doctype|html[\s>]|body[\s>]|head[\s>])|javascript:", re.IGNORECASE
)
# Also refused near the start, where a browser sniffing the content would look. (Not "<?xml": photos carry
# XMP metadata, which is XML; SVG near the start gets its own message.)
MARKUP_AT_START = re.compile(rb"<(?:html|head|body|script|iframe|!doctype)", re.IGNORECASE)

MP4_BRANDS = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"iso7", b"iso8", b"iso9", b"mp41", b"mp42", b"mp71",
    b"avc1", b"av01", b"dash", b"M4V ", b"M4VH", b"M4VP", b"mmp4", b"msnv", b"cmfc", b"cmf2",
}  # fmt: skip
EBML_HEADER, EBML_DOCTYPE, MATROSKA_SEGMENT = 0x1A45DFA3, 0x4282, 0x18538067

WEBVTT_SIGNATURE = re.compile(r"WEBVTT(?:[ \t][^\r\n]*)?(?:\r\n|\r|\n|$)")
WEBVTT_TIMING = re.compile(r"^[ \t]*(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}[ \t]+-->[ \t]+(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}", re.M)
CUE_TAG = re.compile(
    r"<(?:b|i|u|c|ruby|rt)(?:\.[\w-]+)*>"  # an opening tag, with optional classes
    r"|</(?:b|i|u|c|v|lang|ruby|rt)>"  # a closing tag
    r"|<(?:v|lang)(?:\.[\w-]+)*[ \t][^<>\"=\r\n]*>"  # a voice or language, with its annotation
    r"|<(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}>"  # a timestamp inside a cue
)


# Validators ----------------------------------------------------------------------------------------------


def validate_video(value):
    """Refuse anything but an MP4 or WebM video whose name ends in its own extension."""
    upload = _new_upload(value)
    if upload is None:
        return
    size = _size(upload)
    upload.seek(0)
    head = upload.read(16)
    if head[4:8] == b"ftyp":
        kind = MP4
        _check_mp4(upload, size)
    elif head[:4] == EBML_HEADER.to_bytes(4, "big"):
        kind = WEBM
        if not _is_webm(upload, size):
            raise ValidationError(NOT_A_VIDEO, code="not_a_video")
    else:
        raise ValidationError(NOT_A_VIDEO, code="not_a_video")
    upload.seek(0)
    _check_extension(value, kind)


def validate_captions(value):
    """Refuse anything but WebVTT captions: UTF-8 text, first line WEBVTT, at least one cue, no markup."""
    upload = _new_upload(value)
    if upload is None:
        return
    if _size(upload) > CAPTIONS_MAX_BYTES:
        raise ValidationError(CAPTIONS_TOO_BIG, code="too_big")
    upload.seek(0)
    raw = upload.read(CAPTIONS_MAX_BYTES + 1)
    upload.seek(0)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        if raw.lstrip().startswith(b"WEBVTT"):
            raise ValidationError(CAPTIONS_NOT_UTF8, code="not_utf8") from None
        raise ValidationError(NOT_CAPTIONS, code="not_captions") from None
    text = text.removeprefix("\ufeff")
    if not WEBVTT_SIGNATURE.match(text) or "\x00" in text:
        raise ValidationError(NOT_CAPTIONS, code="not_captions")
    for number, line in enumerate(text.splitlines(), start=1):
        left = CUE_TAG.sub("", line.replace("-->", ""))
        if "<" in left or ">" in left:
            position = min(i for i in (left.find("<"), left.find(">")) if i >= 0)
            snippet = left[position : position + 40]
            raise ValidationError(CAPTIONS_MARKUP.format(line=number, snippet=snippet), code="markup")
    if not WEBVTT_TIMING.search(text):
        raise ValidationError(CAPTIONS_NO_CUES, code="no_cues")
    _check_extension(value, VTT)


def validate_picture(value):
    """Refuse anything but a PNG, JPEG, WebP or GIF picture that decodes in full, within the size limits,
    with no markup inside, whose name ends in its own extension."""
    upload = _new_upload(value)
    if upload is None:
        return
    if _size(upload) > PICTURE_MAX_BYTES:
        raise ValidationError(PICTURE_TOO_BIG, code="too_big")
    upload.seek(0)
    start = upload.read(SNIFF_WINDOW)
    if re.search(rb"<svg[\s>/]", start, re.IGNORECASE):
        raise ValidationError(SVG_PICTURE, code="svg")
    kind = _decoded_picture_kind(upload)
    if MARKUP_AT_START.search(start) or _contains_markup(upload):
        raise ValidationError(PICTURE_MARKUP, code="markup")
    upload.seek(0)
    _check_extension(value, kind)


def _new_upload(value):
    """The file just uploaded behind a field's value; None for a file already stored, which was checked when
    it arrived (FieldFile's ``_committed`` is how Django itself tells the two apart)."""
    if not value:
        return None
    if isinstance(value, FieldFile):
        return None if value._committed else value.file
    return value


def _size(upload):
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, os.SEEK_END)
        size = upload.tell()
    return size


def _check_extension(value, kind):
    extension = os.path.splitext(value.name or "")[1].lower()
    if extension in kind.extensions:
        return
    expected = " or ".join(kind.extensions)
    if not extension:
        raise ValidationError(NO_EXTENSION.format(label=kind.label, expected=expected), code="wrong_extension")
    message = WRONG_EXTENSION.format(label=kind.label, extension=extension, expected=expected)
    raise ValidationError(message, code="wrong_extension")


def _check_mp4(upload, size):
    """Refuse an ISO-BMFF file unless it is an MP4: an ``ftyp`` box first, naming an MP4 brand, then whole
    boxes to the very end of the file, among them the movie header (``moov``) and the media data (``mdat``)."""
    upload.seek(0)
    ftyp_length = struct.unpack(">I", upload.read(4))[0]
    upload.seek(0)
    ftyp = upload.read(min(ftyp_length, SNIFF_WINDOW))
    brands = {ftyp[8:12]} | {ftyp[i : i + 4] for i in range(16, len(ftyp) - 3, 4)}
    if len(ftyp) < 16 or not brands & MP4_BRANDS:
        raise ValidationError(NOT_A_VIDEO, code="not_a_video")
    if not {b"moov", b"mdat"} <= _mp4_box_types(upload, size):
        raise ValidationError(DAMAGED_VIDEO.format(name=MP4.name), code="damaged")


def _mp4_box_types(upload, size):
    """The types of the top-level boxes, or an empty set if they do not run exactly to the end of the file."""
    seen = set()
    offset = 0
    for _ in range(MP4_MAX_BOXES):
        if offset == size:
            return seen
        upload.seek(offset)
        header = upload.read(16)
        if len(header) < 8:
            return set()
        length, box_type = struct.unpack(">I4s", header[:8])
        header_length = 8
        if length == 1:  # a 64-bit size follows the type
            if len(header) < 16:
                return set()
            length, header_length = struct.unpack(">Q", header[8:16])[0], 16
        elif length == 0:  # the box runs to the end of the file
            length = size - offset
        if length < header_length or offset + length > size or not all(32 <= byte < 127 for byte in box_type):
            return set()
        seen.add(box_type)
        offset += length
    return set()


def _read_vint(data, position, keep_marker=False):
    """An EBML variable-length integer at ``position``: (value, next position). IDs keep their length marker."""
    first = data[position]
    if not first:
        raise ValueError("invalid EBML number")
    length = 9 - first.bit_length()
    if position + length > len(data):
        raise ValueError("EBML number cut short")
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[position + 1 : position + length]:
        value = value << 8 | byte
    return value, position + length


def _is_webm(upload, size):
    """True when the file starts with an EBML header whose doctype is ``webm``, followed by a segment."""
    upload.seek(0)
    data = upload.read(SNIFF_WINDOW)
    try:
        _, position = _read_vint(data, 0, keep_marker=True)
        header_size, position = _read_vint(data, position)
        header_end = position + header_size
        if header_end > len(data):
            return False
        doctype = None
        while position < header_end:
            element, position = _read_vint(data, position, keep_marker=True)
            length, position = _read_vint(data, position)
            if element == EBML_DOCTYPE:
                doctype = data[position : position + length].rstrip(b"\x00")
            position += length
        segment, _ = _read_vint(data, header_end, keep_marker=True)
    except (IndexError, ValueError):
        return False
    return doctype == b"webm" and segment == MATROSKA_SEGMENT and size > header_end


def _decoded_picture_kind(upload):
    """The kind of picture Pillow finds, after verifying the file and decoding every pixel of its first frame."""
    with warnings.catch_warnings():
        # Pillow warns, then refuses, as pixel counts grow; both mean "too large" here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            upload.seek(0)
            image = Image.open(upload, formats=PILLOW_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValidationError(PICTURE_TOO_MANY_PIXELS, code="too_many_pixels") from None
        except Exception:  # Pillow raises many kinds of error for what it cannot read
            raise ValidationError(NOT_A_PICTURE, code="not_a_picture") from None
        kind = PILLOW_KINDS[image.format]
        try:
            with image:
                if image.width * image.height > PICTURE_MAX_PIXELS:
                    raise ValidationError(PICTURE_TOO_MANY_PIXELS, code="too_many_pixels")
                image.verify()
            upload.seek(0)
            with Image.open(upload, formats=PILLOW_FORMATS) as image:
                image.load()
        except ValidationError:
            raise
        except Exception:
            raise ValidationError(DAMAGED_PICTURE.format(name=kind.name), code="damaged") from None
    return kind


def _contains_markup(upload):
    """True when markup turns up anywhere in the file (a polyglot: a picture that is also a web page)."""
    overlap = 32
    upload.seek(0)
    tail = b""
    while chunk := upload.read(SCAN_CHUNK):
        if MARKUP_ANYWHERE.search(tail + chunk):
            return True
        tail = chunk[-overlap:]
    return False


# Model and form fields -------------------------------------------------------------------------------------


def stored_name(filename):
    """``filename`` with its extension in the one spelling the site stores: lower case, .jpg, .mp4."""
    stem, extension = os.path.splitext(filename)
    extension = extension.lower()
    for kind in KINDS:
        if extension in kind.extensions:
            return stem + kind.extensions[0]
    return stem + extension


class UploadFormField(forms.FileField):
    """A file input that tells the browser's file picker which kinds to offer (``accept``)."""

    def __init__(self, *, accept="", **kwargs):
        self.accept = accept
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if self.accept:
            attrs["accept"] = self.accept
        return attrs


class CheckedUploadMixin:
    """For the model fields below: the form field with the picker's hint, and the stored extension."""

    accept = ""

    def generate_filename(self, instance, filename):
        return super().generate_filename(instance, stored_name(filename))

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": UploadFormField, "accept": self.accept, **kwargs})


class VideoField(CheckedUploadMixin, models.FileField):
    """An uploaded video: MP4 or WebM, checked by content."""

    default_validators = [validate_video]
    accept = "video/mp4,video/webm,.mp4,.m4v,.webm"


class CaptionsField(CheckedUploadMixin, models.FileField):
    """Uploaded captions: WebVTT text with no markup."""

    default_validators = [validate_captions]
    accept = "text/vtt,.vtt"


class PictureField(CheckedUploadMixin, models.ImageField):
    """An uploaded picture: PNG, JPEG, WebP or GIF, decoded in full by Pillow.

    Its form field is a plain file field, so this field's own validator (with its messages) judges the file
    rather than Django's image form field, which takes any format Pillow knows, SVG aside.
    """

    default_validators = [validate_picture]
    accept = "image/png,image/jpeg,image/webp,image/gif"


# Serving ---------------------------------------------------------------------------------------------------


def protect_media_response(response):
    """Add the headers every uploaded file is served with: never sniffed, and a download unless it is a
    picture or a video the site shows in its pages."""
    response["X-Content-Type-Options"] = "nosniff"
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type not in INLINE_CONTENT_TYPES:
        # Keep the file name Django's FileResponse gives (``inline; filename=...``), as a download.
        disposition = response.get("Content-Disposition", "")
        filename = disposition.removeprefix("inline") if disposition.startswith("inline") else ""
        response["Content-Disposition"] = "attachment" + filename
    return response


def serve_media(request, path, document_root=None, show_indexes=False):
    """Serve an uploaded file in development (``DJANGO_DEBUG=1``), with the headers production's proxy adds."""
    return protect_media_response(serve(request, path, document_root=document_root, show_indexes=False))
