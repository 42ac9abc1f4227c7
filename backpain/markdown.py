"""
Turn an editor's Markdown into safe HTML, once, when content is saved.

Pure functions: no database, no request. The HTML is sanitised with nh3 so a
hostile or careless paste (scripts, event handlers, ``javascript:`` links)
never reaches a reader.

Rendering is bounded: ``validate_markdown`` (a validator on every Markdown field, so an editor sees the
message beside the field) refuses text whose shape makes Python-Markdown's parser slow or recursive, such
as thousands of ``[`` or backticks in one paragraph, a 15,000-character line, or lists nested hundreds of
levels deep; ``render_markdown`` refuses the same text from any other caller. Real writing is far inside
every limit (the longest shipped article is under 9,000 characters); ``bench/markdown.py`` measures the
worst text the limits let through.
"""

import html
import math
import re
from dataclasses import dataclass, field

import markdown
import nh3
from django.core.exceptions import ValidationError
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

MAX_CHARACTERS = 50_000  # about 8,000 words: several times the longest article
MAX_LINE_CHARACTERS = 3_000  # about 500 words in one paragraph line
MAX_NESTING = 4  # levels of lists and quotes
MAX_LINES = 600  # the longest article has under 200; long lists are what parse slowest
# Marks the parser pairs up or scans ahead for (code, links, HTML, emphasis, escapes): at most this many of
# each in one paragraph, and in all. Real writing uses a few dozen.
MARKS = {"`": "backticks (`)", "[": "square brackets ([)", "<": "angle brackets (<)", "*": "asterisks (*)",
         "_": "underscores (_)", "\\": "backslashes (\\)"}  # fmt: skip
MAX_MARKS_PER_PARAGRAPH = 200
MAX_MARKS = 1_000
_LIST_OR_QUOTE_MARK = re.compile(r"\s*(?:>|[-*+](?=\s)|\d{1,9}[.)](?=\s))")


def _nesting(line):
    """How deeply a line is nested: its indent in steps of four (tabs count four), or its run of list
    markers and quote marks ("> > - 1." is four)."""
    indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
    marks, position = 0, 0
    while match := _LIST_OR_QUOTE_MARK.match(line, position):
        marks, position = marks + 1, match.end()
    return max(indent // 4, marks)


def markdown_problems(text):
    """What makes ``text`` too costly to render, in words for an editor; empty when it is fine."""
    text = text or ""
    if len(text) > MAX_CHARACTERS:
        return [f"This is {len(text):,} characters long; the most one field can hold is {MAX_CHARACTERS:,}. "
                "Split it into shorter pages or sections."]  # fmt: skip
    problems = []
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        problems.append(f"This has {len(lines):,} lines; the most one field can hold is {MAX_LINES:,}.")
    long_line = next((number for number, line in enumerate(lines, 1) if len(line) > MAX_LINE_CHARACTERS), None)
    if long_line:
        problems.append(
            f"Line {long_line} is longer than {MAX_LINE_CHARACTERS:,} characters. Break it into shorter paragraphs."
        )
    deep = next((number for number, line in enumerate(lines, 1) if _nesting(line) > MAX_NESTING), None)
    if deep:
        problems.append(
            f"Line {deep} is nested more than {MAX_NESTING} levels deep (lists or quotes inside each other). "
            "Flatten the list: few readers can follow more than two or three levels."
        )
    paragraphs = re.split(r"\n\s*\n", text)
    for mark, what in MARKS.items():
        if text.count(mark) > MAX_MARKS or any(part.count(mark) > MAX_MARKS_PER_PARAGRAPH for part in paragraphs):
            problems.append(
                f"There are too many {what}: at most {MAX_MARKS_PER_PARAGRAPH} in one paragraph and "
                f"{MAX_MARKS:,} in all. Check for a stray paste."
            )
    return problems


def validate_markdown(text):
    """Field validator: refuse Markdown whose shape would make rendering slow (see ``markdown_problems``)."""
    problems = markdown_problems(text)
    if problems:
        raise ValidationError(problems, code="markdown_too_complex")


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

    A ``#`` heading in the body is demoted to h2: the page title is the only h1. Text that
    ``validate_markdown`` refuses raises its ``ValidationError`` here too, before any parsing.
    """
    validate_markdown(text)
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
