"""Links and pictures in editors' Markdown: which pages of the site exist, and whether each link finds one.

Apps register, from their ``AppConfig.ready``:

- ``register_target(url_name, check)``: for an address with parts (a slug), ``check(**kwargs)`` says whether
  readers can open it: ``None`` when the page exists and is published or scheduled, else a short reason
  ("no article has this address"). An address with no parts that resolves is a page (the article list).
- ``register_pages(kind, pages)``: ``pages()`` gives the pages editors can link to, as ``Page`` tuples, for
  the link picker.

``link_problems(text)`` renders the text with the site's own renderer, then checks every link and every
picture in the HTML readers would get: an internal link (``/stretches/...``, or an address on the site's own
host) must resolve to a page readers can open; a picture must be one of the site's own static files or
uploads, since the security policy (``img-src 'self'``) blocks a picture from anywhere else.

Plumbing: imports no app.
"""

from collections import namedtuple
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import default_storage
from django.urls import Resolver404, resolve

from .markdown import markdown_problems, render_markdown

Page = namedtuple("Page", "kind title url note", defaults=[""])

TARGETS = {}
PAGES = {}
# Addresses no reader can open: the editors' admin, and anything an app registers as private.
NOT_FOR_READERS = "readers cannot open"


def register_target(url_name, check):
    """Say how to tell whether the page at ``url_name`` (e.g. "articles:detail") exists for readers."""
    if url_name in TARGETS:
        raise ValueError(f"Link target registered twice: {url_name}.")
    TARGETS[url_name] = check


def register_pages(kind, pages):
    """Add a kind of page ("Article") to the link picker; ``pages()`` returns its ``Page`` tuples."""
    if kind in PAGES:
        raise ValueError(f"Link picker pages registered twice: {kind}.")
    PAGES[kind] = pages


def all_pages():
    """Every page an editor can link to, kind by kind in registration order, for the link picker."""
    return [page for pages in PAGES.values() for page in pages()]


def own_hosts():
    """The host names the site answers to (wildcards aside), and ``SITE_URL``'s."""
    hosts = {host.lower().lstrip(".").strip("[]") for host in settings.ALLOWED_HOSTS if host and "*" not in host}
    site_host = urlsplit(settings.SITE_URL).hostname
    if site_host:
        hosts.add(site_host.lower())
    return hosts


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.images = [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href") is not None:
            self.links.append(attributes["href"])
        elif tag == "img" and attributes.get("src") is not None:
            self.images.append(attributes["src"])


def links_and_images(html):
    """The link addresses and picture addresses in rendered HTML, each once, in the order they appear."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return list(dict.fromkeys(collector.links)), list(dict.fromkeys(collector.images))


BAD_ADDRESS = object()


def _internal_path(url):
    """The path of ``url`` if it points at this site, None for an external address, ``BAD_ADDRESS`` for one
    that is not an address at all (such as ``http://[::1``)."""
    try:
        parts = urlsplit(url)
        parts.hostname  # noqa: B018 (raises for a malformed host)
    except ValueError:
        return BAD_ADDRESS
    if parts.scheme in ("http", "https") or url.startswith("//"):
        return parts.path or "/" if (parts.hostname or "").lower() in own_hosts() else None
    if parts.scheme:  # mailto:, or a scheme the sanitiser left
        return None
    return parts.path


def _file_served(path):
    """True when ``path`` (an address on the site) is one of its static files or uploads that exists."""
    name = unquote(path)
    try:
        if name.startswith(settings.STATIC_URL):
            return bool(finders.find(name.removeprefix(settings.STATIC_URL)))
        if settings.MEDIA_URL and name.startswith(settings.MEDIA_URL):
            stored = name.removeprefix(settings.MEDIA_URL)
            return bool(stored) and default_storage.exists(stored)
    except (SuspiciousFileOperation, ValueError, OSError):
        return False
    return False


def _is_file_address(path):
    return path.startswith(settings.STATIC_URL) or bool(settings.MEDIA_URL and path.startswith(settings.MEDIA_URL))


def link_problem(url):
    """Why the link ``url`` would let a reader down, in words; None when it is fine or goes to another site."""
    if url.startswith("#"):
        return None
    path = _internal_path(url)
    if path is None:
        return None
    if path is BAD_ADDRESS:
        return f"The link “{url}” is not a web address a browser can open. Check it for a typing slip."
    if not path.startswith("/"):
        return (
            f"The link “{url}” does not start with /, so where it leads depends on the page it is shown on. "
            "Write the page's address from the site's root, such as /stretches/hip-flexors/ (the link button "
            "lists every page)."
        )
    if _is_file_address(path):
        if _file_served(path):
            return None
        return f"The link “{url}” goes to a file the site does not have. Check the address, or upload the file."
    if path.startswith("/" + settings.ADMIN_URL):
        return f"The link “{url}” goes to the editors' admin, which {NOT_FOR_READERS}. Link to the public page."
    try:
        match = resolve(unquote(path))
    except Resolver404:
        return f"The link “{url}” goes to no page on this site. Check the address (the link button lists every page)."
    check = TARGETS.get(match.view_name)
    reason = check(**match.kwargs) if check else None
    if reason:
        return f"The link “{url}” goes to no page readers can open: {reason}."
    return None


def image_problem(url):
    """Why the picture at ``url`` would not show, in words; None when the site serves it."""
    path = _internal_path(url)
    if path is BAD_ADDRESS:
        return f"The picture “{url}” is not a web address a browser can open. Check it for a typing slip."
    if path is None:
        return (
            f"The picture “{url}” is on another website. The site's security policy lets pages show only pictures "
            "the site serves itself, so readers would see nothing. Upload the picture to the site and use its "
            "address instead."
        )
    if path.startswith("/") and _is_file_address(path) and _file_served(path):
        return None
    return (
        f"The picture “{url}” is not a file the site serves. Use the address of a shipped illustration "
        f"({settings.STATIC_URL}img/...) or of an uploaded picture ({settings.MEDIA_URL}...)."
    )


def link_problems(text):
    """Every link and picture in the Markdown ``text`` that would let a reader down, each in words."""
    if not text or markdown_problems(text):
        return []  # validate_markdown says what is wrong with text too costly to render
    links, images = links_and_images(render_markdown(text).html)
    problems = [link_problem(url) for url in links] + [image_problem(url) for url in images]
    return [problem for problem in problems if problem]


def validate_links(text):
    """Form field validator: refuse Markdown with a broken internal link or a picture the site does not serve."""
    problems = link_problems(text)
    if problems:
        raise ValidationError(problems, code="broken_link")
