"""
Turn an editor's Markdown into safe HTML, once, when content is saved.

Pure functions: no database, no request. The HTML is sanitised with nh3 so a
hostile or careless paste (scripts, event handlers, ``javascript:`` links)
never reaches a reader.
"""

import html
import math
import re
from dataclasses import dataclass, field

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

WORDS_PER_MINUTE = 200

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3", "h4",
    "hr", "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul", "img", "figure", "figcaption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "scope"},
    "td": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}


@dataclass
class Rendered:
    """The result of rendering: sanitised HTML, headings for a contents list, a reading time."""

    html: str
    toc: list = field(default_factory=list)
    word_count: int = 0

    @property
    def reading_minutes(self):
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))


def _flatten_toc(tokens, max_level=3):
    items = []
    for token in tokens:
        if token["level"] <= max_level:
            level = max(2, token["level"])
            items.append({"id": token["id"], "name": html.unescape(token["name"]), "level": level})
        items.extend(_flatten_toc(token.get("children", []), max_level))
    return items


def sanitise_html(raw_html):
    """Keep only harmless tags, attributes and link schemes; links get rel=noopener."""
    return nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


class TableHeaders(Treeprocessor):
    """Tie every table cell to its headers, for screen readers (WCAG 1.3.1).

    Column headers get ``scope="col"``. A table whose top-left header cell is empty compares rows, so the
    first cell of each body row is that row's header: it becomes ``<th scope="row">``.
    """

    def run(self, root):
        for table in root.iter("table"):
            head_cells = [cell for row in table.iter("thead") for cell in row.iter("th")]
            for cell in head_cells:
                cell.set("scope", "col")
            if head_cells and not "".join(head_cells[0].itertext()).strip():
                for body in table.iter("tbody"):
                    for row in body.iter("tr"):
                        first = next(iter(row), None)
                        if first is not None and first.tag == "td":
                            first.tag = "th"
                            first.set("scope", "row")


class TableHeadersExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        # Tables exist once block parsing is done, before any tree processor runs; 5 is after inline (20).
        md.treeprocessors.register(TableHeaders(md), "table_headers", 5)


def render_markdown(text):
    """Render Markdown to sanitised HTML and collect its h2/h3 headings and word count.

    A ``#`` heading in the body is demoted to h2: the page title is the only h1.
    """
    md = markdown.Markdown(
        extensions=["toc", "tables", "sane_lists", "smarty", TableHeadersExtension()],
        output_format="html",
    )
    raw = re.sub(r"<(/?)h1\b", r"<\1h2", md.convert(text or ""))
    clean = sanitise_html(raw)
    words = len(nh3.clean(clean, tags=set()).split())
    return Rendered(html=clean, toc=_flatten_toc(md.toc_tokens), word_count=words)


def render_markdown_html(text):
    """Shortcut for fields that need only the sanitised HTML."""
    return render_markdown(text).html
