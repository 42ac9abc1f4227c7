"""
Site search over every kind of public page, the index it reads, and the registry that says which kinds exist.

Each app contributes a ``ContentSource`` with ``register`` from its ``AppConfig.ready`` (``articles``
its articles, muscles and stretches, ``assessment`` its self-tests), so this module imports no app.
The HTML site map lists any registered source that sets ``site_map_heading``.

The index: one ``SearchEntry`` per page (``backpain.models``) holds its address and its text as readers see
it. Signal receivers keep it up to date for every registered source (save, delete, many-to-many changes,
bulk writes through ``PublicContentQuerySet``, and saves of what a page's address depends on, ``follows``);
``rebuild_search_index`` and ``migrate`` (when the index is out of step) build it afresh. The text is matched
by SQLite's FTS5 or by PostgreSQL's GIN-indexed ``tsvector``, one query either way, and both behave alike:

- The query is cut to ``MAX_QUERY_LENGTH`` characters and split into words (letters and digits); words of
  one character are left out, and so is everything after the first ``MAX_TERMS`` words. The page says so.
- A word matches any word in the page that starts with it, case-insensitively ("stretch" finds
  "stretching"); a simple plural rule first turns "hamstrings" into "hamstring" and "stretches" into
  "stretch". Every word must match, in the title, summary or body.
- Readers' own words for what the pages say differently ("slipped disc", "lumbago") are in ``SearchTerm``,
  kept by editors: a query holding such a phrase also finds pages with any of its ``search_for`` choices,
  and the term's note is shown above the results.
- A query that finds nothing is checked for typing slips against the words of the visible pages; if a
  close word finds something ("qaudratus" -> "quadratus"), those results are shown and the page says so.
- Pages rank by where the words appear: title, then summary, then body; at most ``MAX_RESULTS`` are kept.
- Which pages a reader may see is decided at query time from each source's ``queryset``, so a draft is
  never found and a scheduled article is found from the moment it goes live, with no edit.

Snippets are built the same way on both engines: the text is escaped first and only then are the matches
wrapped in ``<mark>``, so nothing a reader types ever reaches the page unescaped.
"""

import difflib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from .models import SearchEntry, SearchTerm, bulk_changed

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MIN_TERM_LENGTH = 2
MAX_RESULTS = 100
SNIPPET_LENGTH = 220
MAX_TERM_CHOICES = 6  # the most "search for" choices one SearchTerm may give
VOCABULARY_SECONDS = 60 * 60
INDEX_BATCH = 500
FTS_TABLE = "backpain_searchentry_fts"
# Title, then summary, then body: bm25's column weights on SQLite, ts_rank's weights (D, C, B, A) on PostgreSQL.
SQLITE_WEIGHTS = (10.0, 3.0, 1.0)
POSTGRES_WEIGHTS = [0.02, 0.1, 0.4, 1.0]
# A word, as both engines' tokenizers see one: a run of letters and digits.
WORD = re.compile(r"[^\W_]+")
# Private-use characters mark matches in a PostgreSQL ts_headline (``headline_to_html``, from the search before
# the index; snippets now come from ``highlight`` on both engines): they cannot be typed into text by accident.
START_MARK, STOP_MARK = "\ue000", "\ue001"


@dataclass(frozen=True)
class ContentSource:
    """One kind of public page that search (and the site map) covers.

    ``queryset`` returns the pages readers may see now (e.g. ``Article.objects.published``); ``indexed``, when
    given, the pages worth indexing: those, and any that may become visible with no edit (an article scheduled
    for later). ``title`` is the field shown as the result's heading; ``summary`` and ``body`` are text fields in
    decreasing weight. Fields ending in ``_html`` are read as text with the tags removed. ``follows`` names
    foreign keys whose target, when saved, changes this source's pages (a stretch's address has its muscle's
    slug in it).
    """

    kind: str
    queryset: Callable
    title: str
    summary: tuple = ()
    body: tuple = ()
    site_map_heading: str = ""
    key: str = field(default="", compare=False)
    indexed: Callable | None = None
    follows: tuple = ()

    @property
    def name(self):
        return self.key or self.kind.lower()

    @property
    def model(self):
        return self.queryset().model

    def candidates(self):
        """The objects that have an entry in the index."""
        return (self.indexed or self.queryset)()


@dataclass
class SearchResult:
    """One page found: what kind it is, its title, where it is, a highlighted snippet and its rank."""

    kind: str
    title: str
    url: str
    snippet: str
    rank: float
    entry_id: int = 0


_sources = {}
_unbuilt = set()  # sources registered after start-up (a plug-in, a test), indexed on the next search


def register(source):
    """Add (or replace, by name) a kind of page that search covers, and keep its index entries up to date.

    Returns the source.
    """
    _sources[source.name] = source
    _connect(source.model)
    for name in source.follows:
        _connect(source.model._meta.get_field(name).related_model)
    if apps.ready:
        _unbuilt.add(source.name)
    return source


def sources():
    return list(_sources.values())


def clean_query(raw):
    """Normalise ``?q=``: no NUL or control characters, single spaces, at most 200 characters."""
    text = "".join(ch for ch in raw if ch.isprintable() or ch == " ")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def stem(word):
    """A simple plural rule: "hamstrings" -> "hamstring", "stretches" -> "stretch"; short words stay."""
    lowered = word.lower()
    if len(word) <= 4 or not lowered.endswith("s") or lowered.endswith("ss"):
        return word
    if lowered.endswith("ches") or lowered.endswith("shes") or lowered.endswith("xes"):
        return word[:-2]
    return word[:-1]


def parse_query(query):
    """Split a cleaned query into ``(terms, too_short, too_many)``.

    ``terms`` are the words searched for (unique, at most ``MAX_TERMS``, stemmed, as typed otherwise);
    ``too_short`` the words left out for having fewer than ``MIN_TERM_LENGTH`` characters; ``too_many`` the
    words left out after the first ``MAX_TERMS``.
    """
    terms, too_short, too_many = [], [], []
    for word in WORD.findall(query):
        if len(word) < MIN_TERM_LENGTH:
            if word.lower() not in (w.lower() for w in too_short):
                too_short.append(word)
            continue
        word = stem(word)
        if word.lower() in (t.lower() for t in terms + too_many):
            continue
        (terms if len(terms) < MAX_TERMS else too_many).append(word)
    return terms, too_short, too_many


def query_terms(query):
    """The words to look for: unique, at most eight, of two characters or more, each simply stemmed."""
    return parse_query(query)[0]


MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
MARKDOWN_MARKS = re.compile(r"(^|\s)#{1,6}\s|[*`>|]|(?<!\w)_|_(?!\w)")
# A list item's marker ("- ", "+ ") at the start of a line, and a table's rule row ("|---|---|").
MARKDOWN_LIST = re.compile(r"^[ \t]*[-+][ \t]+|^[ \t]*\|?[ \t]*:?-{3,}.*$", re.MULTILINE)


def plain_text(value):
    """Readable text of a field value: HTML tags, Markdown marks and link targets removed; lists joined."""
    if isinstance(value, list | tuple):
        value = " ".join(str(item) for item in value)
    text = MARKDOWN_LIST.sub(" ", html.unescape(strip_tags(str(value or ""))))
    text = MARKDOWN_MARKS.sub(" ", MARKDOWN_LINK.sub(r"\1", text))
    return " ".join(text.split())


def highlight(text, terms, length=SNIPPET_LENGTH):
    """Return a snippet of ``text`` around the first match, escaped, with every match wrapped in ``<mark>``.

    A term matches at the start of a word and takes in the rest of that word, as the search does.
    """
    if not terms:
        return escape(text[:length])
    alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    pattern = re.compile(rf"(?<![^\W_])(?:{alternatives})[^\W_]*", re.IGNORECASE)
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


# Searching.


def _visible_entries():
    """Entries of pages readers may see now, one subquery per source (a draft or a future article is not one)."""
    visible = Q(pk__in=[])
    for source in sources():
        # EXISTS, a look-up by key for each matched entry: cheaper than listing every visible page each time.
        visible |= Q(source=source.name) & Exists(source.queryset().filter(pk=OuterRef("object_id")))
    return SearchEntry.objects.filter(visible)


def _sqlite_match(groups):
    """FTS5 MATCH text: every group must match, a group by any of its choices, a choice by all its words."""

    def choice(words):
        return "(" + " AND ".join('"{}"*'.format(word.replace('"', '""')) for word in words) + ")"

    return " AND ".join("(" + " OR ".join(choice(words) for words in group) + ")" for group in groups)


def _postgres_match(groups):
    """The same as a raw tsquery; the words are letters and digits only (``WORD``), so nothing needs quoting."""

    def choice(words):
        return "(" + " & ".join(f"{word}:*" for word in words) + ")"

    return " & ".join("(" + " | ".join(choice(words) for words in group) + ")" for group in groups)


def _sqlite_rows(groups):
    match = _sqlite_match(groups)
    # The visibility test is the WHERE clause the ORM writes for _visible_entries(), applied to each matched
    # row; an "id IN (visible entries)" list would cost a pass over the whole index.
    query = _visible_entries().query
    visible_sql, visible_params = query.get_compiler(connection=connection).compile(query.where)
    weights = ", ".join(str(weight) for weight in SQLITE_WEIGHTS)
    table = SearchEntry._meta.db_table
    sql = (
        f"SELECT {table}.id, {table}.source, {table}.title, {table}.url, -bm25({FTS_TABLE}, {weights}) AS score"  # noqa: S608 (ours)
        f" FROM {FTS_TABLE} JOIN {table} ON {table}.id = {FTS_TABLE}.rowid"
        f" WHERE {FTS_TABLE} MATCH %s AND ({visible_sql})"
        f" ORDER BY score DESC, {table}.title LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, *visible_params, MAX_RESULTS])
        return cursor.fetchall()


def _postgres_rows(groups):
    from django.contrib.postgres.search import SearchQuery, SearchRank

    text_query = SearchQuery(_postgres_match(groups), search_type="raw", config="simple")
    return list(
        _visible_entries()
        .filter(vector=text_query)
        .annotate(score=SearchRank(F("vector"), text_query, weights=POSTGRES_WEIGHTS))
        .order_by("-score", "title")
        .values_list("id", "source", "title", "url", "score")[:MAX_RESULTS]
    )


@dataclass
class Expanded:
    """A query as searched: ``groups`` (each a list of choices, each a list of lower-case words; every group
    must match), every word looked for (``words``, for the snippets) and the notes of the ``SearchTerm``s used."""

    groups: list
    words: list
    notes: list


def _words(text):
    return [word.lower() for word in parse_query(text)[0]]


def expand(terms):
    """Group ``terms`` (from ``parse_query``): a run of them that spells a ``SearchTerm``'s phrase becomes one
    group whose choices are the phrase itself and each of the term's ``search_for`` words; any other term is a
    group of its own."""
    lowered = [term.lower() for term in terms]
    groups = [[[word]] for word in lowered]
    taken = [False] * len(lowered)
    notes = []
    for search_term in sorted(SearchTerm.objects.all(), key=lambda t: -len(t.phrase)):
        phrase = _words(search_term.phrase)
        for start in range(len(lowered) - len(phrase) + 1):
            span = range(start, start + len(phrase))
            if phrase and lowered[start : start + len(phrase)] == phrase and not any(taken[i] for i in span):
                choices = [phrase]
                for choice in search_term.search_for.split(",")[:MAX_TERM_CHOICES]:
                    words = _words(choice)
                    if words and words not in choices:
                        choices.append(words)
                groups[start] = choices
                for i in span:
                    taken[i] = True
                groups[start + 1 : start + len(phrase)] = [None] * (len(phrase) - 1)
                if search_term.note:
                    notes.append(search_term.note)
                break
    groups = [group for group in groups if group is not None]
    words = list(dict.fromkeys(word for group in groups for choice in group for word in choice))
    return Expanded(groups, words, notes)


def search(query, expanded=None):
    """Search every registered source for ``query`` (already cleaned); best matches first, at most
    ``MAX_RESULTS``. The results have no snippet yet: ``add_snippets`` adds them to the few that are shown.
    ``expanded`` is the query's ``expand()`` when the caller has it already."""
    terms = query_terms(query)
    if not terms or not _sources:
        return []
    for name in list(_unbuilt):
        if name in _sources:
            rebuild([_sources[name]])
        _unbuilt.discard(name)
    groups = (expanded or expand(terms)).groups
    rows = _postgres_rows(groups) if connection.vendor == "postgresql" else _sqlite_rows(groups)
    kinds = {source.name: source.kind for source in sources()}
    results = [
        SearchResult(kinds[source], title, url, "", float(score), entry_id)
        for entry_id, source, title, url, score in rows
    ]
    results.sort(key=lambda result: (-result.rank, result.title.lower()))
    return results


def vocabulary():
    """Every word of four letters or more on the pages readers may see now, lower case: what a typing slip is
    checked against. Kept in the cache for an hour under the index's size and newest entry: every edit
    rewrites a page's entry with a new id, so an edit brings in its words at once (and a page that goes live
    on its schedule, within the hour)."""
    from django.db.models import Count, Max

    state = SearchEntry.objects.aggregate(entries=Count("pk"), newest=Max("pk"))
    key = "search-vocabulary:{entries}:{newest}".format(**state)
    words = cache.get(key)
    if words is None:
        found = set()
        for texts in _visible_entries().values_list("title", "summary", "body"):
            for text in texts:
                found.update(word.lower() for word in WORD.findall(text or "") if len(word) >= 4 and word.isalpha())
        words = sorted(found)
        cache.set(key, words, VOCABULARY_SECONDS)
    return words


def correction(terms):
    """The query with each word the pages never start a word with replaced by the closest word they have, or
    ``""`` when no word needed or found a replacement. Only words of four letters or more are checked, each
    against words of about its length and first letter, so the check stays cheap; a word of a ``SearchTerm``
    phrase is the reader's own and is never "corrected"."""
    known = vocabulary()
    readers_words = {word for phrase in SearchTerm.objects.values_list("phrase", flat=True) for word in _words(phrase)}
    corrected, changed = [], False
    for term in terms:
        lowered = term.lower()
        if (
            len(lowered) < 4
            or not lowered.isalpha()
            or lowered in readers_words
            or any(word.startswith(lowered) for word in known)
        ):
            corrected.append(term)
            continue
        nearby = [word for word in known if word[0] == lowered[0] and abs(len(word) - len(lowered)) <= 2]
        match = difflib.get_close_matches(lowered, nearby, n=1, cutoff=0.75)
        corrected.append(match[0] if match else term)
        changed = changed or bool(match)
    return " ".join(corrected) if changed else ""


def add_snippets(results, terms):
    """Give each result a highlighted snippet: from the summary when a word matches there, else the body."""
    texts = {
        pk: (summary, body)
        for pk, summary, body in SearchEntry.objects.filter(pk__in=[result.entry_id for result in results]).values_list(
            "pk", "summary", "body"
        )
    }
    for result in results:
        summary, body = texts.get(result.entry_id, ("", ""))
        in_summary = highlight(summary, terms)
        result.snippet = in_summary if "<mark>" in in_summary else highlight(body or summary, terms)
    return results


# The index.


def _entry(source, obj):
    def text(names):
        return plain_text(" ".join(plain_text(getattr(obj, name)) for name in names))

    return SearchEntry(
        source=source.name,
        object_id=obj.pk,
        url=obj.get_absolute_url(),
        title=plain_text(getattr(obj, source.title)),
        summary=text(source.summary),
        body=text(source.body),
    )


def _set_vectors(entries):
    """PostgreSQL: each entry's weighted vector, from its words (letters and digits) as FTS5 would split them."""
    from django.contrib.postgres.search import SearchVector

    for entry in entries:
        parts = [(entry.title, "A"), (entry.summary, "B"), (entry.body, "C")]
        vector = None
        for text, weight in parts:
            part = SearchVector(Value(" ".join(WORD.findall(text))), weight=weight, config="simple")
            vector = part if vector is None else vector + part
        SearchEntry.objects.filter(pk=entry.pk).update(vector=vector)


def reindex(source, pks):
    """Bring the entries of ``source``'s objects ``pks`` up to date: written afresh, or removed when the object
    is gone or no longer a candidate (an article turned back into a draft)."""
    pks = list(dict.fromkeys(pk for pk in pks if pk is not None))
    with transaction.atomic():
        for start in range(0, len(pks), INDEX_BATCH):
            chunk = pks[start : start + INDEX_BATCH]
            entries = [_entry(source, obj) for obj in source.candidates().filter(pk__in=chunk)]
            SearchEntry.objects.filter(source=source.name, object_id__in=chunk).delete()
            created = SearchEntry.objects.bulk_create(entries)
            if connection.vendor == "postgresql":
                _set_vectors(created)


def rebuild(chosen=None):
    """Build the index afresh for ``chosen`` sources (default: all, and entries of unknown sources go).
    Returns the number of entries written."""
    chosen = sources() if chosen is None else chosen
    with transaction.atomic():
        if len(chosen) == len(_sources):
            SearchEntry.objects.exclude(source__in=list(_sources)).delete()
        for source in chosen:
            SearchEntry.objects.filter(source=source.name).delete()
            reindex(source, source.candidates().values_list("pk", flat=True))
        return SearchEntry.objects.filter(source__in=[source.name for source in chosen]).count()


def index_is_current():
    """Whether every candidate has an entry and no entry is left over (counts only: cheap)."""
    expected = sum(source.candidates().count() for source in sources())
    return SearchEntry.objects.count() == expected


def rebuild_after_migrate(using="default", **kwargs):
    """After ``migrate``: build the index if it is out of step with the content (a database from before it)."""
    tables = set(connection.introspection.table_names())
    needed = {SearchEntry._meta.db_table} | {source.model._meta.db_table for source in sources()}
    if using == "default" and needed <= tables and not index_is_current():
        rebuild()


def connect_post_migrate(app_config):
    post_migrate.connect(rebuild_after_migrate, sender=app_config, dispatch_uid="backpain.search.rebuild")


def _affected(model, instance):
    """(source, pks) pairs whose entries a change of ``instance`` (of ``model``) touches."""
    for source in sources():
        if source.model is model:
            yield source, [instance.pk]
        for name in source.follows:
            if source.model._meta.get_field(name).related_model is model:
                yield source, source.candidates().filter(**{name: instance.pk}).values_list("pk", flat=True)


def _saved(sender, instance, **kwargs):
    for source, pks in _affected(sender, instance):
        reindex(source, pks)


def _deleted(sender, instance, **kwargs):
    for source in sources():
        if source.model is sender:
            SearchEntry.objects.filter(source=source.name, object_id=instance.pk).delete()


def _bulk_changed(sender, pks, **kwargs):
    for source in sources():
        if source.model is sender:
            reindex(source, pks)


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    _saved(type(instance), instance)
    for pk in pk_set or ():
        for source in sources():
            if source.model is model:
                reindex(source, [pk])


def _connect(model):
    uid = f"search:{model._meta.label}"
    post_save.connect(_saved, sender=model, dispatch_uid=uid)
    post_delete.connect(_deleted, sender=model, dispatch_uid=uid)
    bulk_changed.connect(_bulk_changed, sender=model, dispatch_uid=uid)
    for many in model._meta.many_to_many:
        m2m_changed.connect(_m2m_changed, sender=many.remote_field.through, dispatch_uid=f"{uid}:{many.name}")
