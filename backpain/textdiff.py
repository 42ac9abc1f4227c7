"""Readable comparisons of two versions of a text, for editors: whole lines, with the changed words marked.

Used by the history pages (what one save changed) and by a refused stale save (what the editor typed against
what is stored now). Everything is escaped here; the result is safe HTML.
"""

import difflib
import re

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

CONTEXT_LINES = 2  # unchanged lines shown around each change
LONG = 80  # shorter one-line values read best as "old → new"
WORDS = re.compile(r"\s+|[^\s]+")
MIN_SIMILARITY = 0.5  # share of words two lines have in common for the changed words to be marked
MAX_WORD_DIFF = 4000  # characters in a line pair past which only whole lines are compared


def is_long_text(*texts):
    """True when one of ``texts`` is long or has several lines: compare it line by line."""
    return any(isinstance(text, str) and ("\n" in text or len(text) > LONG) for text in texts)


def _lines(text):
    return (text or "").replace("\r\n", "\n").split("\n")


def _marked(text):
    """``text`` with its words (not the spaces around them) wrapped in <mark>."""
    core = text.strip()
    if not core:
        return format_html("{}", text)
    start = text.index(core)
    return format_html("{}<mark>{}</mark>{}", text[:start], core, text[start + len(core) :])


def _words(old, new):
    """The two lines with the words that differ wrapped in <mark>; unmarked when the lines have little in common
    (marking every word of a rewritten line says nothing)."""
    a, b = WORDS.findall(old), WORDS.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < MIN_SIMILARITY:
        return old, new
    before, after = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        left, right = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "equal":
            before.append(format_html("{}", left))
            after.append(format_html("{}", right))
            continue
        if left:
            before.append(_marked(left))
        if right:
            after.append(_marked(right))
    return mark_safe("".join(before)), mark_safe("".join(after))  # noqa: S308 (each piece escaped above)


def _line(kind, text):
    sign = {"same": "\u00a0", "removed": "\u2212", "added": "+"}[kind]
    tag = {"same": "div", "removed": "del", "added": "ins"}[kind]
    content = text if text != "" else "\u00a0"
    return format_html(
        '<{} class="diff-line diff-{}"><span class="diff-sign">{}</span>{}</{}>',
        mark_safe(tag),  # noqa: S308 (one of three fixed names)
        kind,
        sign,
        content,
        mark_safe(tag),  # noqa: S308
    )


def _skipped(count):
    return format_html('<p class="diff-skip">\u2026 {} unchanged line{} \u2026</p>', count, "" if count == 1 else "s")


def line_diff(old, new, context=CONTEXT_LINES):
    """``old`` against ``new`` as HTML: removed lines struck out (−), added lines underlined (+), the changed words
    within a changed line marked, and long runs of unchanged lines folded into "… n unchanged lines …"."""
    a, b = _lines(old), _lines(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    pieces = []
    groups = list(matcher.get_grouped_opcodes(context))
    if not groups:
        return format_html('<div class="text-diff"><p class="diff-skip">No differences.</p></div>')
    shown_until = 0
    for group in groups:
        first = group[0][1]
        if first > shown_until:
            pieces.append(_skipped(first - shown_until))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                pieces += [_line("same", line) for line in a[i1:i2]]
                continue
            removed, added = a[i1:i2], b[j1:j2]
            if tag == "replace" and len(removed) == len(added):
                pairs = [
                    _words(left, right) if len(left) + len(right) <= MAX_WORD_DIFF else (left, right)
                    for left, right in zip(removed, added, strict=True)
                ]
                removed, added = [pair[0] for pair in pairs], [pair[1] for pair in pairs]
            pieces += [_line("removed", line) for line in removed]
            pieces += [_line("added", line) for line in added]
        shown_until = group[-1][2]
    if shown_until < len(a):
        pieces.append(_skipped(len(a) - shown_until))
    return format_html('<div class="text-diff">{}</div>', format_html_join("", "{}", ((piece,) for piece in pieces)))
