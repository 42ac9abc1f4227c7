import pytest
from django.core.exceptions import ValidationError

from articles.video import validate_video_url, video_embed


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.com/watch?v=dQw4w9WgXcQ&t=30s",
        "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ?si=abc",
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
        "https://www.youtube.com/shorts/dQw4w9WgXcQ",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ],
)
def test_youtube_links_become_privacy_enhanced_embeds(url):
    """Every common form of YouTube link embeds from youtube-nocookie.com and links to the watch page."""
    embed = video_embed(url)
    assert embed.provider == "YouTube"
    assert embed.embed_url.startswith("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?")
    assert embed.watch_url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"),
        ("https://vimeo.com/channels/staffpicks/76979871", "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"),
        (
            "https://vimeo.com/76979871/abc123def0",
            "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1&h=abc123def0",
        ),
    ],
)
def test_vimeo_links_embed_with_do_not_track(url, expected):
    assert video_embed(url).embed_url == expected


@pytest.mark.parametrize(
    "url",
    [
        "",
        "https://example.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/channel/UC123",
        "javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ",
        "https://evil-youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://vimeo.com/about",
        'https://www.youtube.com/watch?v=dQw4w9WgXc"',
    ],
)
def test_other_links_are_not_embedded(url):
    assert video_embed(url) is None


def test_validator_names_the_accepted_hosts():
    with pytest.raises(ValidationError, match="YouTube or Vimeo"):
        validate_video_url("https://example.com/video.mp4")
    validate_video_url("https://youtu.be/dQw4w9WgXcQ")
