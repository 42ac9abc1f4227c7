"""
Whole-page caching for anonymous readers (``@cache_public_page`` and ``PageCacheMiddleware``), and the one
place that invalidates it.

What is cached: a GET of a public page from a visitor who has no session and no pending messages (so not
staff, not mid-way through the self-check, not just thanked for a vote), when the view answered 200
without touching the session or setting a cookie other than the CSRF one.

Where it is served from: ``PageCacheMiddleware`` sits just after the middleware that only adds headers
(security headers, Permissions-Policy, CSP) and WhiteNoise, and answers a GET from the cache before
sessions, CSRF, authentication, two-factor, messages, history and the sign-in lockout run; those outer
ones add their headers to it exactly as to any page. The headers the inner middleware gave the page
(``X-Frame-Options``, ``Vary``) are stored with it and replayed. A HEAD, or a visitor with a session or
messages cookie, goes down the whole stack as before (the decorator still serves a HEAD from the cache).

Which address: one entry per page, keyed on the canonical host and the path. A host Django accepts
(``ALLOWED_HOSTS``) counts as itself when it names a host of ``ALLOWED_HOSTS`` literally, on the scheme's
default port, or is ``SITE_URL``'s host; any other variant (``localhost:<any port>``, a subdomain under a
wildcard entry) is served and rendered as ``SITE_URL``'s host, so its absolute links name the real site.
Query strings: a view names the parameters it reads (``@cache_public_page(query=["page"])``). A request
with one of them is rendered afresh and never stored (``?page=2``, ``?comments_page=3``, a reader's
``?comment=`` notice), as before; every other parameter (``?utm_source=x``, ``?fbclid=...``) is ignored:
the visitor gets the canonical cached page, and a miss renders the view without them and stores that. So
neither hosts nor query strings can add entries beyond one per page and scheme.

What is never shared: per-visitor values. Whoever puts one in a page (a form's signed time, the CSRF
token) declares its kind once with ``per_visitor(kind, fill)`` and passes each value through
``personal(kind, value, argument)`` as it renders it. When the page is stored, each such value is
replaced by a placeholder naming its kind and argument; every visitor then gets ``fill(request,
argument)`` in its place. A page with no form has no CSRF placeholder, so serving it mints no token and
sets no cookie; a page with one fills in a token from the visitor's own CSRF cookie, or mints one and
sets the cookie only then. This module knows no form. Pages that show one visitor's pending comment, a
thank-you or a self-check result are not cached at all (query string, session, ``never_cache``).

Invalidation: the cache key carries ``ContentVersion`` (its number and a random token drawn on every
raise, so a restored backup never meets pages cached before the restore). Apps name their public-content
models with ``register`` in ``ready()``; a save, a delete or a many-to-many change of any of them raises
the version through the signal receivers below, and their queryset (``PublicContentQuerySet``) raises it
for bulk updates and inserts, so no view, admin action or command does it by hand. Entries also expire
after ``PAGE_TIMEOUT`` seconds, and never later than the next moment a registered ``schedule`` names (a
scheduled article going live), so scheduling needs no edit. The pages live in the default cache: shared
by every instance when ``REDIS_URL`` is set.
"""

import contextvars
import datetime
import functools
import hashlib
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost, ImproperlyConfigured
from django.core.signals import setting_changed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.http import HttpResponse, QueryDict
from django.http.request import validate_host
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import Resolver404, resolve
from django.utils import timezone

from .models import ContentVersion, PublicContentQuerySet

PAGE_TIMEOUT = 10 * 60  # bounds anything time-based on a page (review dates), besides scheduled changes
PRIVATE_COOKIES = {"sessionid", "messages"}
PLACEHOLDER = re.compile("\x00visitor:([^:\x00]+):([^\x00]*)\x00")

_public = {}  # model -> "is this object shown?" (None: every object is)
_schedules = []  # callables returning the next datetime content changes by itself, or None
_fillers = {}  # kind -> fill(request, argument)
_rendered = contextvars.ContextVar("pagecache_rendered", default=None)


# Public content: what invalidates the cache.


def register(model, *, shown=None):
    """Make every change to ``model`` render cached pages afresh.

    ``shown(obj)``, when given, says whether one object is visible to readers (an approved comment): only a
    change to or from a shown object counts. ``model``'s queryset must be a ``PublicContentQuerySet``, whose
    bulk updates and inserts count too, since they send no signals.
    """
    if not issubclass(model._default_manager._queryset_class, PublicContentQuerySet):
        raise ImproperlyConfigured(f"{model.__name__}'s queryset must subclass PublicContentQuerySet.")
    _public[model] = shown
    uid = f"pagecache:{model._meta.label}"
    pre_save.connect(_note_shown, sender=model, dispatch_uid=uid)
    post_save.connect(_saved, sender=model, dispatch_uid=uid)
    post_delete.connect(_deleted, sender=model, dispatch_uid=uid)
    for field in model._meta.many_to_many:
        m2m_changed.connect(_m2m_changed, sender=field.remote_field.through, dispatch_uid=f"{uid}:{field.name}")
    return model


def public_models():
    return list(_public)


def schedule(next_change):
    """Add ``next_change()``: the next time public content changes with no edit (or None); cached pages expire then."""
    _schedules.append(next_change)
    return next_change


def _note_shown(sender, instance, raw=False, **kwargs):
    shown = _public.get(sender)
    if shown is None or instance.pk is None:
        return
    before = sender._base_manager.filter(pk=instance.pk).first()
    instance._pagecache_was_shown = before is not None and shown(before)


def _saved(sender, instance, **kwargs):
    shown = _public.get(sender)
    if shown is None or getattr(instance, "_pagecache_was_shown", False) or shown(instance):
        ContentVersion.bump()


def _deleted(sender, instance, **kwargs):
    shown = _public.get(sender)
    if shown is None or shown(instance):
        ContentVersion.bump()


def _m2m_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        ContentVersion.bump()


# Per-visitor values: what is never shared.


def per_visitor(kind, fill):
    """Declare a kind of per-visitor value; ``fill(request, argument)`` makes a fresh one for a visitor."""
    if ":" in kind or "\x00" in kind:
        raise ValueError("A per-visitor kind is a plain name.")
    _fillers[kind] = fill


def personal(kind, value, argument=""):
    """Return ``value``, a per-visitor value of ``kind`` going into a page; if the page is to be cached, the
    stored copy holds a placeholder in its place and each visitor gets ``fill(request, argument)``."""
    if kind not in _fillers:
        raise ImproperlyConfigured(f"Declare the per-visitor value {kind!r} with per_visitor() first.")
    rendered = _rendered.get()
    if rendered is not None and value:
        rendered.append((kind, str(argument), str(value)))
    return value


# The cache itself.

# Headers of a stored page that are not replayed: each response gets its own.
OWN_HEADERS = {"content-length", "content-type", "set-cookie", "date", "server"}


def _private(request):
    private = PRIVATE_COOKIES | {settings.SESSION_COOKIE_NAME}
    return bool(private.intersection(request.COOKIES))


def _cacheable_request(request):
    return request.method in ("GET", "HEAD") and not _private(request)


def _hosts():
    """The hosts that are their own page (literal ``ALLOWED_HOSTS``, ``SITE_URL``'s) and the one the rest become:
    ``SITE_URL``'s when Django accepts it, else the first literal allowed host (None when there is none)."""
    site = urlsplit(settings.SITE_URL).netloc.lower()
    literal = [host.lower() for host in settings.ALLOWED_HOSTS if host != "*" and not host.startswith(".")]
    if validate_host(site.rsplit(":", 1)[0] if site.rsplit(":", 1)[-1].isdigit() else site, settings.ALLOWED_HOSTS):
        return frozenset([*literal, site]), site
    return frozenset(literal), (literal[0] if literal else None)


def canonical_host(request):
    """The host this request's page is stored and rendered under (see the module docstring); raises
    ``DisallowedHost`` as ``request.get_host()`` does."""
    host = request.get_host().lower()
    own, site = _hosts()
    if host in own:
        return host
    name, _, port = host.rpartition(":") if host.rpartition(":")[2].isdigit() else (host, "", "")
    default = "443" if request.is_secure() else "80"
    name = name.rstrip(".")
    if name in own and port in ("", default):
        return name
    return site or host


def _cache_key(request, host, version):
    address = f"{request.scheme}://{host}{request.path}"
    return f"page:{version}:{hashlib.sha256(address.encode()).hexdigest()}"


def _timeout():
    """Seconds the page may be kept: ``PAGE_TIMEOUT``, or less when a scheduled change comes sooner."""
    now = timezone.now()
    upcoming = [moment for moment in (next_change() for next_change in _schedules) if moment is not None]
    if not upcoming:
        return PAGE_TIMEOUT
    return max(0, min(PAGE_TIMEOUT, int((min(upcoming) - now).total_seconds())))


def version_key():
    """The current content version as pages and ``versioned()`` values are keyed on it."""
    return ContentVersion.key()


# versioned()'s values as this process last read them: name -> (key, value, until when).
_versioned_here = {}


def versioned(name, build, version=None):
    """``build()``'s value, kept in the cache until public content changes (or a scheduled change comes).

    For data made only of public content that pages which are never cached (a self-check result) read on
    every view: today's addresses of muscles and stretches, say. Keyed on the content version like the pages,
    and also kept in this process, so a view costs one read of the version, not a cache round trip.
    ``version``: the ``version_key()`` the caller has just read, to save reading it again.
    """
    key = f"{name}:{version or ContentVersion.key()}"
    now = timezone.now()
    kept = _versioned_here.get(name)
    if kept is not None and kept[0] == key and now < kept[2]:
        return kept[1]
    timeout = _timeout()
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    _versioned_here[name] = (key, value, now + datetime.timedelta(seconds=timeout))
    return value


def forget_versioned():
    """Drop this process's copies of ``versioned()`` values (tests roll the database back under them)."""
    _versioned_here.clear()


def _storable(request, response, rendered, query):
    """The page with its per-visitor values replaced by placeholders, or None when it must not be shared."""
    if response.status_code != 200 or response.streaming or response.has_header("Cache-Control"):
        return None
    if getattr(request, "session", None) is not None and request.session.modified:
        return None
    if set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
        return None
    html = response.content.decode(response.charset)
    for kind, argument, value in rendered:
        if "\x00" in argument:
            return None
        html = html.replace(value, f"\x00visitor:{kind}:{argument}\x00")
    parts = PLACEHOLDER.split(html)
    return {"parts": parts, "content_type": response["Content-Type"], "query": sorted(query), "headers": []}


def _personalise(request, entry):
    """Fill this visitor's values into a stored page; None when a value's kind is unknown here.

    The page is stored split at its placeholders (text, kind, argument, text, ...), so serving it is a join.
    One value per kind and argument, as one render evaluates the CSRF token once for all its forms: a page of
    comments has a report form for each, and masking a token costs more than all the rest.
    """
    parts = entry["parts"]
    if len(parts) > 1:
        filled = {}
        pieces = [parts[0]]
        for index in range(1, len(parts), 3):
            placeholder = (parts[index], parts[index + 1])
            if placeholder not in filled:
                fill = _fillers.get(placeholder[0])
                if fill is None:
                    return None
                filled[placeholder] = fill(request, placeholder[1])
            pieces += (filled[placeholder], parts[index + 2])
        html = "".join(pieces)
    else:
        html = parts[0]
    response = HttpResponse(html, content_type=entry["content_type"])
    for name, value in entry["headers"]:
        response.headers[name] = value
    return response


class _Pending:
    """What the middleware hands the decorator: the key it looked up; the decorator leaves the entry to store."""

    __slots__ = ("key", "entry", "timeout")

    def __init__(self, key):
        self.key, self.entry, self.timeout = key, None, PAGE_TIMEOUT


def _canonical_request(request, host):
    """Make ``request`` the canonical one its page is stored as: none of the parameters the view ignores,
    and the canonical host, so what it renders is what every variant of the address is served."""
    if request.GET:
        request.GET = QueryDict(mutable=False)
        request.META["QUERY_STRING"] = ""
    if host != request.get_host().lower():
        request.META["HTTP_HOST"] = host


def cache_public_page(view=None, *, query=()):
    """Serve the view's page from the cache to anonymous readers, as the module docstring describes.

    ``query`` names the query-string parameters the view reads: a request with any of them is rendered
    afresh and not stored; other parameters are ignored (and removed before the view sees them).
    """
    if view is None:
        return functools.partial(cache_public_page, query=query)
    reads = frozenset(query)

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable_request(request) or reads.intersection(request.GET):
            return view(request, *args, **kwargs)
        pending = getattr(request, "_pagecache", None)
        host = canonical_host(request)
        if pending is None:
            # Not looked up yet: a HEAD, or a view called without the middleware.
            key = _cache_key(request, host, ContentVersion.key())
            entry = cache.get(key)
            if entry is not None:
                response = _personalise(request, entry)
                if response is not None:
                    return response
        _canonical_request(request, host)
        rendered = []
        token = _rendered.set(rendered)
        try:
            response = view(request, *args, **kwargs)
        finally:
            _rendered.reset(token)
        entry = _storable(request, response, rendered, reads)
        if entry is not None:
            if pending is not None:  # the middleware stores it, with the headers the rest of the stack adds
                pending.entry, pending.timeout = entry, _timeout()
            else:
                cache.set(key, entry, _timeout())
        return response

    wrapped.pagecache = True  # for the middleware; the decorators around it copy it outwards
    return wrapped


class PageCacheMiddleware:
    """Answer a GET for a cached public page before the expensive middleware runs (module docstring).

    Put it after the middleware that only adds headers and after WhiteNoise, before sessions and CSRF.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # Reads the visitor's CSRF cookie, and sets one only when a filled-in form minted a token.
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        if request.method != "GET" or _private(request) or not _is_cached_page(request.path_info):
            return self.get_response(request)
        try:
            host = canonical_host(request)
        except DisallowedHost:
            return self.get_response(request)  # the stack answers 400, as for any page
        key = _cache_key(request, host, ContentVersion.key())
        entry = cache.get(key)
        if entry is not None and not set(entry["query"]).intersection(request.GET):
            self.csrf.process_request(request)
            response = _personalise(request, entry)
            if response is not None:
                response.headers["Content-Length"] = str(len(response.content))
                return self.csrf.process_response(request, response)
        request._pagecache = pending = _Pending(key)
        response = self.get_response(request)
        if pending.entry is not None and _still_storable(response):
            headers = [(name, value) for name, value in response.items() if name.lower() not in OWN_HEADERS]
            cache.set(key, {**pending.entry, "headers": headers}, pending.timeout)
        return response


@functools.lru_cache(maxsize=2048)
def _is_cached_page(path):
    """Whether ``path`` is served by a ``@cache_public_page`` view: no other request reads the version, so a
    404 or the health check never touches the database. Remembered per path (a bounded number of them)."""
    try:
        return getattr(resolve(path).func, "pagecache", False)
    except Resolver404:
        return False


@receiver(setting_changed)
def _forget_pages(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _is_cached_page.cache_clear()


def _still_storable(response):
    """After the rest of the stack: still a plain 200 whose only cookie, if any, is the CSRF one."""
    if response.status_code != 200 or response.has_header("Cache-Control"):
        return False
    return not set(response.cookies) - {settings.CSRF_COOKIE_NAME}
