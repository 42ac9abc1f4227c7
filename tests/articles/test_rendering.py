import pytest

from backpain.markdown import render_markdown

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


def test_table_cells_are_tied_to_their_headers():
    """Column headers get scope="col"; with an empty top-left cell, each row's first cell heads its row."""
    html = render_markdown("| | Static hold | Contract-relax |\n|---|---|---|\n| Timing | 15-30 s | 5-10 s |\n").html
    assert '<th scope="col">Static hold</th>' in html
    assert '<th scope="row">Timing</th>' in html
    assert "<td>15-30 s</td>" in html


def test_a_table_with_a_named_first_column_keeps_data_cells():
    html = render_markdown("| Muscle | Hold |\n|---|---|\n| Hamstrings | 30 s |\n").html
    assert '<th scope="col">Muscle</th>' in html
    assert "<td>Hamstrings</td>" in html
    assert 'scope="row"' not in html


def test_a_scope_attribute_cannot_be_smuggled_onto_other_elements():
    html = render_markdown('<td scope="row" onclick="x()">cell</td> <p scope="x">text</p>').html
    assert "onclick" not in html
    assert 'scope="x"' not in html
