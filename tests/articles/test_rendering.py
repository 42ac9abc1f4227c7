import pytest

from articles.rendering import render_markdown

HOSTILE = [
    ("<script>alert(1)</script>Hello", "<script"),
    ("[click](javascript:alert(1))", "javascript:"),
    ('<img src="x.png" onerror="alert(1)">', "onerror"),
    ('<a href="/ok" onclick="steal()">ok</a>', "onclick"),
    ("<iframe src='https://evil.example'></iframe>", "<iframe"),
    ("<style>body{display:none}</style>", "<style"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "data:"),
    ("<svg onload=alert(1)>", "<svg"),
    ('<p style="background:url(javascript:alert(1))">x</p>', "style="),
    ("<form action='/steal'><input name=x></form>", "<form"),
]


@pytest.mark.parametrize(("source", "forbidden"), HOSTILE)
def test_hostile_markup_is_stripped(source, forbidden):
    """Scripts, event handlers and javascript: links never survive rendering."""
    html = render_markdown(source).html
    assert forbidden not in html.lower()


def test_ordinary_markdown_survives():
    html = render_markdown(
        "## Heading\n\nSome **bold** and a [link](https://example.org).\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    ).html
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html and 'rel="noopener noreferrer"' in html
    assert "<table>" in html


def test_h1_in_body_becomes_h2():
    """The page title is the page's only h1."""
    rendered = render_markdown("# Big heading\n\ntext")
    assert "<h1" not in rendered.html and "<h2" in rendered.html
    assert rendered.toc[0]["level"] == 2
