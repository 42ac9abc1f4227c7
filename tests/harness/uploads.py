"""Files for upload tests: small valid videos, captions and pictures, and hostile files dressed up as them."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

PAGE = b"<!DOCTYPE html><html><body><script>fetch('/admin/auth/user/add/')</script></body></html>"
SVG_WITH_ONLOAD = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)">'
    b'<rect width="10" height="10"/></svg>'
)
CAPTIONS = (
    "WEBVTT\n\n"
    "1\n00:00:01.000 --> 00:00:04.000\nLie on your back with both knees bent.\n\n"
    "2\n00:00:04.500 --> 00:00:08.000 line:90%\n<v Physio>Breathe out <i>slowly</i> as you lower.</v>\n"
)
# Photos carry XML metadata (XMP) that an editing app wrote: text with angle brackets, but no web page.
XMP = (
    b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?><?xml version="1.0"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:title="Hip flexor stretch"/>'
    b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)
CAPTIONS_WITH_SCRIPT = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nHold.<script>alert(1)</script>\n"


def picture(kind="PNG", size=(16, 8), **options):
    """A real picture in ``kind`` (a Pillow format name), as bytes."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, kind, **options)
    return buffer.getvalue()


def box(kind, payload=b""):
    """One ISO-BMFF box."""
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mp4(brand=b"isom", compatible=b"isomiso2mp41"):
    """A minimal MP4: a file-type box naming ``brand`` and the ``compatible`` ones, a movie box, media data."""
    ftyp = box(b"ftyp", brand + b"\x00\x00\x02\x00" + compatible)
    return ftyp + box(b"moov", box(b"mvhd", bytes(100))) + box(b"mdat", bytes(2000))


def ebml(element_id, payload):
    """One EBML element, with its size written in eight bytes."""
    return element_id + bytes([0x01]) + len(payload).to_bytes(7, "big") + payload


def webm(doctype=b"webm"):
    """A minimal WebM: an EBML header naming ``doctype``, then a segment."""
    header = ebml(b"\x42\x86", b"\x01") + ebml(b"\x42\x82", doctype) + ebml(b"\x42\x87", b"\x04")
    return ebml(b"\x1a\x45\xdf\xa3", header) + ebml(b"\x18\x53\x80\x67", bytes(2000))


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def picture_bomb(width=60_000, height=60_000):
    """A few hundred bytes claiming a picture of ``width`` × ``height`` pixels (billions of them)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(bytes(width + 1) * 4)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", rows) + png_chunk(b"IEND", b"")


def gif_with_page_inside():
    """A GIF that Pillow opens and decodes, with a web page in its comment: a picture and a page at once."""
    return picture("GIF", comment=PAGE)


def upload(name, content, content_type="application/octet-stream"):
    """``content`` as a browser would upload it, under ``name`` (the content type a browser would claim)."""
    if isinstance(content, str):
        content = content.encode()
    return SimpleUploadedFile(name, content, content_type=content_type)


VALID_VIDEOS = {"clip.mp4": mp4(), "clip.webm": webm(), "Clip.M4V": mp4(b"M4V ", b"M4V M4A mp42")}
VALID_CAPTIONS = {"captions.vtt": CAPTIONS, "with-bom.vtt": "\ufeff" + CAPTIONS}
VALID_PICTURES = {
    "photo.png": picture("PNG"),
    "photo.jpg": picture("JPEG"),
    "photo.JPEG": picture("JPEG"),
    "photo.webp": picture("WEBP"),
    "edited-photo.jpg": picture("JPEG", xmp=XMP),
    "edited-photo.webp": picture("WEBP", xmp=XMP),
    "photo.gif": picture("GIF"),
}
