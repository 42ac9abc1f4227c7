"""Hostile text for property tests: strategies, named examples, and how a server receives what a client sent."""

from html.parser import HTMLParser
from urllib.parse import urlencode

from hypothesis import HealthCheck, example, settings
from hypothesis import strategies as st

NUL = "\x00"
RTL_OVERRIDE = "Back pain \u202eniap kcab\u202c gone"
ZERO_WIDTH_JOINERS = "Family \U0001f468\u200d\U0001f469\u200d\U0001f467 and a\u200bb\u200cc\u2060d"
EMOJI = "\U0001f9d8\u200d\u2640\ufe0f Stretched \U0001f44d\U0001f3fd every night \U0001f319"
LONE_SURROGATES = "high \ud800 low \udfff pair-halves \udbff\udc00? no"
HUNDRED_THOUSAND = ("Hip flexors \u00e9\u4e2d\U0001f600 " * 6250)[:100_000]

HOSTILE = {
    "nul": NUL,
    "nul-inside": f"a{NUL}b",
    "100k": HUNDRED_THOUSAND,
    "rtl-override": RTL_OVERRIDE,
    "zero-width": ZERO_WIDTH_JOINERS,
    "emoji": EMOJI,
    "lone-surrogates": LONE_SURROGATES,
}

# Pieces that break things more often than a uniform draw of characters would find them.
TROUBLE = [NUL, "\ud800", "\udfff", "\u202e", "\u2066", "\u200d", "\ufeff", "\r", "\n", "\r\n", "\x85", "\u2028"]
TROUBLE += ["\x1c", "\x7f", "\x01", "%00", "%ff", "&", "=", "+", "<", '"', "\uffff", "\U0010ffff"]

# Every Unicode category: hypothesis leaves out surrogates (Cs) unless asked, so they come with TROUBLE.
ANY_PIECE = st.one_of(st.characters(codec=None, exclude_categories=()), st.sampled_from(TROUBLE))


def any_text(max_size=300):
    """Text from every Unicode category, NUL and lone surrogates included; about ``max_size`` characters at most."""
    return st.lists(ANY_PIECE, max_size=max_size).map("".join)


FUZZ_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def with_hostile_examples(fields, texts=HOSTILE):
    """Add an explicit example of every hostile text in every field: ``test(field=..., text=...)``."""

    def decorate(test):
        for field in fields:
            for text in texts.values():
                test = example(field=field, text=text)(test)
        return test

    return decorate


def encode_form(data):
    """URL-encode ``data`` as a browser would, but let lone surrogates through as the bytes a broken client sends."""
    return urlencode(data, doseq=True, encoding="utf-8", errors="surrogatepass")


def as_received(text):
    """What Django makes of ``text`` sent by ``encode_form``: bytes that are not UTF-8 become U+FFFD."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def post_form(client, url, data, **extra):
    """POST ``data`` urlencoded, as the site's forms send it, with whatever bytes ``encode_form`` makes."""
    return client.post(url, encode_form(data), content_type="application/x-www-form-urlencoded", **extra)


class _FormReader(HTMLParser):
    """Collect what a browser would submit from one form: inputs, checked boxes, text areas, selected options."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = []
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append([attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")])
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]
            self.fields.append(self.textarea)
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append([self.select, attrs.get("value", "")])

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            # A browser drops the one newline that follows <textarea>.
            self.textarea[1] = self.textarea[1].removeprefix("\n")
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.inside = False


def form_data(html, form_id):
    """The fields of ``<form id=form_id>`` in ``html`` as a browser would submit them: a dict of lists."""
    reader = _FormReader(form_id)
    reader.feed(html)
    data = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    return data
