"""
Whole-page caching for anonymous readers (``@cache_public_page``), and the one place that invalidates it.

What is cached: a GET of a public page with no query string, from a visitor who has no session and no
pending messages (so not staff, not mid-way through the self-check, not just thanked for a vote), when
the view answered 200 without touching the session or setting a cookie other than the CSRF one.

What is never shared: per-visitor values. Whoever puts one in a page (a form's signed time, the CSRF
token) declares its kind once with ``per_visitor(kind, fill)`` and passes each value through
``personal(kind, value, argument)`` as it renders it. When the page is stored, each such value is
replaced by a placeholder naming its kind and argument; every visitor then gets ``fill(request,
argument)`` in its place. This module knows no form. Pages that show one visitor's pending comment, a
thank-you or a self-check result are not cached at all (query string, session, ``never_cache``).

Invalidation: the cache key carries ``ContentVersion``. Apps name their public-content models with
``register`` in ``ready()``; a save, a delete or a many-to-many change of any of them raises the version
through the signal receivers below, and their queryset (``PublicContentQuerySet``) raises it for bulk
updates and inserts, so no view, admin action or command does it by hand. Entries also expire after
``PAGE_TIMEOUT`` seconds, and never later than the next moment a registered ``schedule`` names (a
scheduled article going live), so scheduling needs no edit. The pages live in the default cache: shared
by every instance when ``REDIS_URL`` is set.
"""

import contextvars
import functools
import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpResponse
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


def _cacheable_request(request):
    if request.method not in ("GET", "HEAD") or request.GET:
        return False
    private = PRIVATE_COOKIES | {settings.SESSION_COOKIE_NAME}
    return not private.intersection(request.COOKIES)


def _cache_key(request, version):
    address = f"{request.scheme}://{request.get_host()}{request.path}"
    return f"page:{version}:{hashlib.sha256(address.encode()).hexdigest()}"


def _timeout():
    """Seconds the page may be kept: ``PAGE_TIMEOUT``, or less when a scheduled change comes sooner."""
    now = timezone.now()
    upcoming = [moment for moment in (next_change() for next_change in _schedules) if moment is not None]
    if not upcoming:
        return PAGE_TIMEOUT
    return max(0, min(PAGE_TIMEOUT, int((min(upcoming) - now).total_seconds())))


def _storable(request, response, rendered):
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
    return {"html": html, "content_type": response["Content-Type"]}


def _personalise(request, entry):
    """Fill this visitor's values into a stored page; None when a value's kind is unknown here."""
    html = entry["html"]
    if "\x00visitor:" in html:
        kinds = {match.group(1) for match in PLACEHOLDER.finditer(html)}
        if not kinds <= _fillers.keys():
            return None
        html = PLACEHOLDER.sub(lambda match: _fillers[match.group(1)](request, match.group(2)), html)
    return HttpResponse(html, content_type=entry["content_type"])


def cache_public_page(view):
    """Serve the view's page from the cache to anonymous readers, as the module docstring describes."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _cache_key(request, ContentVersion.current())
        entry = cache.get(key)
        if entry is not None:
            response = _personalise(request, entry)
            if response is not None:
                return response
        rendered = []
        token = _rendered.set(rendered)
        try:
            response = view(request, *args, **kwargs)
        finally:
            _rendered.reset(token)
        entry = _storable(request, response, rendered)
        if entry is not None:
            cache.set(key, entry, _timeout())
        return response

    return wrapped
