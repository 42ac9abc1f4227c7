"""
Site search over every kind of public page, and the registry that says which kinds exist.

Each app contributes a ``ContentSource`` with ``register`` from its ``AppConfig.ready`` (``articles``
its articles, muscles and stretches, ``assessment`` its self-tests), so this module imports no app.
The HTML site map lists any registered source that sets ``site_map_heading``.

On PostgreSQL the search uses full-text search (weighted ``SearchVector``, ``SearchRank``,
``SearchHeadline``); elsewhere (SQLite) every word must appear somewhere in the page, case-insensitively,
and pages rank by where the words appear: title, then summary, then body.

Snippets are built safely either way: the text is escaped first and only then are the matches
wrapped in ``<mark>``, so nothing a reader types ever reaches the page unescaped.
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
MAX_RESULTS_PER_SOURCE = 200
SNIPPET_LENGTH = 220
# Weights for the SQLite ranking: a word in the title counts most.
TITLE_WEIGHT, SUMMARY_WEIGHT, BODY_WEIGHT = 10, 3, 1
# Private-use characters mark headline matches on PostgreSQL: they cannot be typed into a page's text by accident.
START_MARK, STOP_MARK = "\ue000", "\ue001"


@dataclass(frozen=True)
class ContentSource:
    """One kind of public page that search (and the site map) covers.

    ``queryset`` returns the pages readers may see (e.g. ``Article.objects.published``); ``title`` is the field
    shown as the result's heading; ``summary`` and ``body`` are text fields in decreasing weight. Fields ending in
    ``_html`` are read as text with the tags removed.
    """

    kind: str
    queryset: Callable
    title: str
    summary: tuple = ()
    body: tuple = ()
    site_map_heading: str = ""
    key: str = field(default="", compare=False)

    @property
    def name(self):
        return self.key or self.kind.lower()


@dataclass
class SearchResult:
    """One page found: what kind it is, its title, where it is, a highlighted snippet and its rank."""

    kind: str
    title: str
    url: str
    snippet: str
    rank: float
    obj: object = None


_sources = {}


def register(source):
    """Add (or replace, by name) a kind of page that search covers. Returns the source."""
    _sources[source.name] = source
    return source


def sources():
    return list(_sources.values())


def clean_query(raw):
    """Normalise ``?q=``: no NUL or control characters, single spaces, at most 200 characters."""
    text = "".join(ch for ch in raw if ch.isprintable() or ch == " ")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def query_terms(query):
    """The words to look for: unique, at most ten, each reduced to a simple stem ("hamstrings" -> "hamstring")."""
    terms = []
    for word in query.split():
        word = word.strip("\"'“”‘’.,;:!?()[]{}")
        if len(word) > 4 and word.lower().endswith("s") and not word.lower().endswith("ss"):
            word = word[:-1]
        if word and word.lower() not in (t.lower() for t in terms):
            terms.append(word)
    return terms[:MAX_TERMS]


MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
MARKDOWN_MARKS = re.compile(r"(^|\s)#{1,6}\s|[*`>|]|(?<!\w)_|_(?!\w)")


def plain_text(value):
    """Readable text of a field value: HTML tags, Markdown marks and link targets removed; lists joined."""
    if isinstance(value, list | tuple):
        value = " ".join(str(item) for item in value)
    text = html.unescape(strip_tags(str(value or "")))
    text = MARKDOWN_MARKS.sub(" ", MARKDOWN_LINK.sub(r"\1", text))
    return " ".join(text.split())


def highlight(text, terms, length=SNIPPET_LENGTH):
    """Return a snippet of ``text`` around the first match, escaped, with every match wrapped in ``<mark>``."""
    if not terms:
        return escape(text[:length])
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    first = pattern.search(text)
    start = 0
    if first and first.start() > length // 3:
        start = text.rfind(" ", 0, first.start() - length // 3) + 1
    piece = text[start : start + length]
    if start + length < len(text):
        piece = piece.rsplit(" ", 1)[0] + " …"
    if start:
        piece = "… " + piece
    parts, position = [], 0
    for match in pattern.finditer(piece):
        parts.append(escape(piece[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(piece[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def headline_to_html(headline):
    """Turn a PostgreSQL headline (matches between our private marks) into safe HTML: escape, then add ``<mark>``."""
    text = plain_text(headline)
    escaped = str(escape(text.replace(START_MARK, "\x00").replace(STOP_MARK, "\x01")))
    return mark_safe(escaped.replace("\x00", "<mark>").replace("\x01", "</mark>"))  # noqa: S308 - escaped above


def _fallback_search(source, terms):
    fields = [source.title, *source.summary, *source.body]
    queryset = source.queryset()
    for term in terms:
        matches_term = Q()
        for name in fields:
            matches_term |= Q(**{f"{name}__icontains": term})
        queryset = queryset.filter(matches_term)
    results = []
    for obj in queryset[:MAX_RESULTS_PER_SOURCE]:
        title = plain_text(getattr(obj, source.title))
        summary = plain_text(" ".join(plain_text(getattr(obj, name)) for name in source.summary))
        body = plain_text(" ".join(plain_text(getattr(obj, name)) for name in source.body))
        rank = 0
        for term in terms:
            lowered = term.lower()
            rank += TITLE_WEIGHT * (lowered in title.lower())
            rank += SUMMARY_WEIGHT * (lowered in summary.lower())
            rank += BODY_WEIGHT * min(body.lower().count(lowered), 3)
        text = summary if any(t.lower() in summary.lower() for t in terms) else (body or summary)
        results.append(SearchResult(source.kind, title, obj.get_absolute_url(), highlight(text, terms), rank, obj))
    return results


def postgres_queryset(source, query):
    """The full-text query for one source: weighted vector, rank and a headline, best first."""
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
    from django.db.models import TextField, Value
    from django.db.models.functions import Cast, Concat

    vector = SearchVector(source.title, weight="A", config="english")
    for name in source.summary:
        vector += SearchVector(name, weight="B", config="english")
    for name in source.body:
        vector += SearchVector(name, weight="C", config="english")
    search_query = SearchQuery(query, search_type="websearch", config="english")
    # The headline is cut from the summary and body together, so a match in either can be shown.
    text_fields = [*source.summary, *source.body] or [source.title]
    parts = []
    for name in text_fields:
        parts += [Cast(name, TextField()), Value(" ")]
    text = Concat(*parts[:-1], output_field=TextField()) if len(parts) > 2 else parts[0]
    return (
        source.queryset()
        .annotate(search=vector, rank=SearchRank(vector, search_query))
        .filter(search=search_query)
        .annotate(
            headline=SearchHeadline(
                text,
                search_query,
                config="english",
                start_sel=START_MARK,
                stop_sel=STOP_MARK,
                max_words=35,
                min_words=15,
            )
        )
        .order_by("-rank")
    )


def _postgres_search(source, query):
    return [
        SearchResult(
            source.kind,
            plain_text(getattr(obj, source.title)),
            obj.get_absolute_url(),
            headline_to_html(obj.headline),
            float(obj.rank),
            obj,
        )
        for obj in postgres_queryset(source, query)[:MAX_RESULTS_PER_SOURCE]
    ]


def search(query):
    """Search every registered source for ``query`` (already cleaned); best matches first."""
    terms = query_terms(query)
    if not terms:
        return []
    results = []
    for source in sources():
        if connection.vendor == "postgresql":
            results.extend(_postgres_search(source, query))
        else:
            results.extend(_fallback_search(source, terms))
    results.sort(key=lambda result: (-result.rank, result.title.lower()))
    return results
