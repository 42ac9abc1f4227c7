"""What a reader sees of a page's furniture, read from its HTML: the error summary, the menu item marked as
the current page, the breadcrumb trail and its JSON-LD.

Each helper takes a page's HTML and either returns what it found or fails with a message saying what is
missing, so a test reads as the behaviour it checks (``summary_of(page)``, ``current_menu_item(page)``).
"""

import json
import re
from html.parser import HTMLParser


class _Collector(HTMLParser):
    """Collect the elements of a page as (tag, attributes, text inside, depth), in order."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []  # [tag, attrs, text parts, depth]
        self.open = []

    def handle_starttag(self, tag, attrs):
        element = [tag, dict(attrs), [], len(self.open)]
        self.elements.append(element)
        if tag not in self.VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return

    def handle_data(self, data):
        for element in self.open:
            element[2].append(data)


def elements(html):
    """Every element of ``html`` as ``(tag, attrs, text, depth)``, ``text`` all the text inside it."""
    parser = _Collector()
    parser.feed(html)
    return [(tag, attrs, " ".join("".join(text).split()), depth) for tag, attrs, text, depth in parser.elements]


def summary_of(html):
    """The error summary's text with its links as ``<a href="#id">message</a>``, after checking that it is the
    first thing in ``<main>``, focusable, focused on load, titled "There is a problem", and that the page's
    title starts with "Error: "."""
    assert re.search(r"<title>Error: ", html), "the page title does not start with 'Error: '"
    main = html[html.index("<main") :]
    first = re.search(r"<main[^>]*>\s*<(\w+)([^>]*)>", main)
    assert first and 'class="alert alert-danger error-summary"' in first[2], "the error summary is not first in <main>"
    assert 'tabindex="-1"' in first[2] and "autofocus" in first[2], "the error summary cannot take focus on load"
    box = main[first.start(1) - 1 : main.index("</ul>", first.end()) + len("</ul>")]
    assert "There is a problem</h2>" in box
    return box


def summary_links(html):
    """``[(message, "#id"), ...]``: each link in the error summary (checked as ``summary_of`` does)."""
    box = summary_of(html)
    return [(text, href) for tag, attrs, text, _ in elements(box) if tag == "a" for href in [attrs.get("href")]]


def current_menu_item(html):
    """The text of the main menu's item marked ``aria-current="page"``, or "" if none is."""
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', html, re.S)
    assert nav, "the page has no main menu"
    marked = [text for tag, attrs, text, _ in elements(nav[1]) if tag == "a" and attrs.get("aria-current") == "page"]
    assert len(marked) <= 1, f"several menu items are marked current: {marked}"
    return marked[0] if marked else ""


def breadcrumbs_of(html):
    """``[label, ...]`` of the visible breadcrumb trail, after checking its JSON-LD names the same crumbs."""
    trail = re.search(r'<nav aria-label="Breadcrumb" class="breadcrumbs">(.*?)</nav>', html, re.S)
    assert trail, "the page has no breadcrumb trail"
    labels = [text for tag, _, text, _ in elements(trail[1]) if tag == "li"]
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(block)
        if data.get("@type") == "BreadcrumbList":
            assert [item["name"] for item in data["itemListElement"]] == labels
            return labels
    raise AssertionError("the breadcrumb trail has no BreadcrumbList JSON-LD")
