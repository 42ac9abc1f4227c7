"""
How easy a page is to read: the Flesch reading ease of the text a reader sees in its main column.

The score is 206.835 - 1.015 x (words per sentence) - 84.6 x (syllables per word). Higher is easier:
60-70 is plain English, 70-80 fairly easy, 80 and over easy. The NHS asks for a reading age of about
9 to 11, which is roughly 60 and over on this scale for health pages with some unavoidable long words
(muscle names, "physiotherapist").

Syllables are counted here by a small rule of thumb (groups of vowels, less a silent final "e"),
not by the ``textstat`` package: textstat 0.7 pulls in nltk and a pronouncing dictionary, and its
scores shift between releases, which would make a threshold in a test move under us. The rule of
thumb is right for most everyday words; it miscounts a few by one (it hears "physiotherapist" as five
syllables, not six), so treat a score as good to within a few points, not as exact.

This module imports no app: it reads HTML.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

VOWEL_GROUPS = re.compile(r"[aeiouy]+")
WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d+(?:[.,]\d+)*")
SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
# Block elements whose text a reader takes in as one unit: a list item or a table cell counts as a sentence.
BLOCKS = {"p", "li", "td", "th", "dt", "dd", "figcaption", "caption", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"}
# Parts of the main column that are not the page's own prose: headings (short labels that would flatter
# the score), navigation, forms, the shared warning-sign box and comments (the same on many pages), the
# hold timer, drawings.
SKIPPED_TAGS = {
    *("h1", "h2", "h3", "h4", "h5", "h6"),
    *("nav", "form", "button", "script", "style", "noscript", "svg", "template"),
}
SKIPPED_CLASSES = {"red-flags", "comments", "hold-timer", "toc", "visually-hidden", "share"}
VOID = {"br", "img", "input", "hr", "meta", "link", "source", "track", "wbr", "area", "col", "embed"}


def count_syllables(word):
    """Syllables in one word, by rule of thumb; a number counts a syllable per digit."""
    if word[0].isdigit():
        return max(1, sum(ch.isdigit() for ch in word))
    word = word.lower().replace("’", "'").split("'")[0]
    count = len(VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # silent e: "make", "stone"
    elif count > 1 and (
        (word.endswith("ed") and not word.endswith(("ted", "ded")))
        or (word.endswith("es") and not re.search(r"(?:[sxzcg]|[cs]h)es$", word))
    ):
        count -= 1  # "relaxed", "makes"; "rested", "pushes", "changes" keep theirs
    return max(1, count)


@dataclass
class Reading:
    words: int
    sentences: int
    syllables: int

    @property
    def score(self):
        if not self.words:
            return None
        return round(206.835 - 1.015 * self.words / self.sentences - 84.6 * self.syllables / self.words, 1)


def reading_ease(units):
    """The Flesch reading ease of some text, given as blocks (each at least one sentence)."""
    words = sentences = syllables = 0
    for unit in units:
        found = WORD.findall(unit)
        if not found:
            continue
        words += len(found)
        syllables += sum(count_syllables(w) for w in found)
        sentences += max(1, len(SENTENCE_END.findall(unit.strip())))
    return Reading(words, sentences, syllables)


class _MainText(HTMLParser):
    """Collects the text of each block inside <main>, leaving out the parts in SKIPPED_*."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, skipped) for open elements inside main
        self.in_main = False
        self.blocks, self.current = [], []

    def skipping(self):
        return any(skipped for _, skipped in self.stack)

    def flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.in_main = True
            return
        if not self.in_main or tag in VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        skipped = tag in SKIPPED_TAGS or bool(classes & SKIPPED_CLASSES) or "hidden" in dict(attrs)
        if tag in BLOCKS and not self.skipping():
            self.flush()
        self.stack.append((tag, skipped))

    def handle_endtag(self, tag):
        if tag == "main":
            self.flush()
            self.in_main = False
            self.stack = []
            return
        if not self.in_main or tag in VOID:
            return
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break
        if tag in BLOCKS and not self.skipping():
            self.flush()

    def handle_data(self, data):
        if self.in_main and not self.skipping():
            self.current.append(data)


def main_text(html):
    """The blocks of prose in a page's <main>, as a reader sees them."""
    parser = _MainText()
    parser.feed(html)
    parser.close()
    parser.flush()
    return parser.blocks


def page_reading_ease(html):
    return reading_ease(main_text(html))
