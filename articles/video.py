"""
Turn an editor's YouTube or Vimeo link into a privacy-enhanced embed, in one place.

Pure functions: no database, no request. The embed is only ever loaded after a
reader clicks (see static/js/video-facade.js), and then from
youtube-nocookie.com or player.vimeo.com with ``dnt=1``.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from django.core.exceptions import ValidationError

YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com", "www.youtube-nocookie.com"}
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
YOUTUBE_PATH_PREFIXES = ("/embed/", "/shorts/", "/live/", "/v/")
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
VIMEO_ID = re.compile(r"^\d{1,12}$")
VIMEO_HASH = re.compile(r"^[0-9a-f]{6,20}$")


@dataclass(frozen=True)
class VideoEmbed:
    """A video on a known host: where to embed it privately and where to watch it on the host's site."""

    provider: str  # "YouTube" or "Vimeo"
    embed_url: str
    watch_url: str


def _youtube_id(parts):
    host = parts.hostname or ""
    if host == "youtu.be":
        candidate = parts.path.strip("/").split("/")[0]
    elif host in YOUTUBE_HOSTS:
        if parts.path == "/watch":
            candidate = parse_qs(parts.query).get("v", [""])[0]
        elif parts.path.startswith(YOUTUBE_PATH_PREFIXES):
            candidate = parts.path.split("/")[2]
        else:
            return None
    else:
        return None
    return candidate if YOUTUBE_ID.match(candidate) else None


def _vimeo_ids(parts):
    """Return (video id, privacy hash or "") for a Vimeo link, or None."""
    if (parts.hostname or "") not in VIMEO_HOSTS:
        return None
    segments = [segment for segment in parts.path.split("/") if segment]
    if parts.hostname == "player.vimeo.com":
        segments = segments[1:] if segments[:1] == ["video"] else []
    numeric = [i for i, segment in enumerate(segments) if VIMEO_ID.match(segment)]
    if not numeric:
        return None
    index = numeric[-1]
    video_id = segments[index]
    following = segments[index + 1] if index + 1 < len(segments) else ""
    privacy_hash = parse_qs(parts.query).get("h", [following])[0]
    return video_id, privacy_hash if VIMEO_HASH.match(privacy_hash or "") else ""


def video_embed(url):
    """Return the VideoEmbed for a YouTube or Vimeo link, or None for anything else."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        return None
    youtube_id = _youtube_id(parts)
    if youtube_id:
        return VideoEmbed(
            provider="YouTube",
            embed_url=f"https://www.youtube-nocookie.com/embed/{youtube_id}?autoplay=1&rel=0",
            watch_url=f"https://www.youtube.com/watch?v={youtube_id}",
        )
    vimeo = _vimeo_ids(parts)
    if vimeo:
        video_id, privacy_hash = vimeo
        query = {"dnt": "1", "autoplay": "1"}
        if privacy_hash:
            query["h"] = privacy_hash
        return VideoEmbed(
            provider="Vimeo",
            embed_url=f"https://player.vimeo.com/video/{video_id}?{urlencode(query)}",
            watch_url=f"https://vimeo.com/{video_id}" + (f"/{privacy_hash}" if privacy_hash else ""),
        )
    return None


def validate_video_url(url):
    """Accept only links to a single YouTube or Vimeo video."""
    if url and video_embed(url) is None:
        raise ValidationError(
            "Use a link to one YouTube or Vimeo video, e.g. https://www.youtube.com/watch?v=… or https://vimeo.com/123456.",
            code="video_host",
        )
