"""
Whole-page caching for anonymous readers, applied view by view with ``@cache_public_page``.

What is cached: a GET of a public page with no query string, from a visitor who has no session and no
pending messages (so not staff, not mid-way through the self-check, not just thanked for a vote), when
the view answered 200 without touching the session or setting a cookie other than the CSRF one.

What is never shared: the two per-visitor values in a page. Before a page is stored, each form's CSRF
token and the comment form's signed "form served at" time are replaced with placeholders; every visitor
gets their own values filled in on the way out. Pages that show one visitor's pending comment, a thank-you
or a self-check result are not cached at all (query string, session, ``never_cache``).

Invalidation: the cache key carries ``ContentVersion``, which every public-content save and delete raises,
so an edit is visible on the next request. Entries also expire after ``PAGE_TIMEOUT`` seconds, and never
later than the next scheduled article's publication time, so scheduling needs no edit. The pages live in
the default cache: shared by every instance when ``REDIS_URL`` is set.
"""

import functools
import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.core.signing import BadSignature, TimestampSigner
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

from .forms import FORM_SIGNING_SALT
from .models import Article, ContentVersion

PAGE_TIMEOUT = 10 * 60  # bounds anything time-based on a page (review dates), besides scheduled articles
CSRF_PLACEHOLDER = "\x00csrf\x00"
CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
FORM_TIME_INPUT = re.compile(r'(name="started" value=")([^"]*)(")')
FORM_TIME_PLACEHOLDER = re.compile("\x00started:([^\x00]*)\x00")
PRIVATE_COOKIES = {"sessionid", "messages"}


def _cacheable_request(request):
    if request.method not in ("GET", "HEAD") or request.GET:
        return False
    private = PRIVATE_COOKIES | {settings.SESSION_COOKIE_NAME}
    return not private.intersection(request.COOKIES)


def _cache_key(request, version):
    address = f"{request.scheme}://{request.get_host()}{request.path}"
    return f"page:{version}:{hashlib.sha256(address.encode()).hexdigest()}"


def _timeout():
    """Seconds the page may be kept: ``PAGE_TIMEOUT``, or less when a scheduled article goes live sooner."""
    now = timezone.now()
    upcoming = (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    if upcoming is None:
        return PAGE_TIMEOUT
    return max(0, min(PAGE_TIMEOUT, int((upcoming - now).total_seconds())))


def _form_time_placeholder(match):
    try:
        target = TimestampSigner(salt=FORM_SIGNING_SALT).unsign(match.group(2))
    except BadSignature:
        return match.group(0)
    return f"{match.group(1)}\x00started:{target}\x00{match.group(3)}"


def _storable(request, response):
    """The page with its per-visitor values replaced by placeholders, or None when it must not be shared."""
    if response.status_code != 200 or response.streaming or response.has_header("Cache-Control"):
        return None
    if getattr(request, "session", None) is not None and request.session.modified:
        return None
    if set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
        return None
    html = response.content.decode(response.charset)
    html = CSRF_INPUT.sub(lambda m: f"{m.group(1)}{CSRF_PLACEHOLDER}{m.group(2)}", html)
    html = FORM_TIME_INPUT.sub(_form_time_placeholder, html)
    return {"html": html, "content_type": response["Content-Type"]}


def _personalise(request, entry):
    """Fill this visitor's values into a stored page."""
    html = entry["html"]
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    if "\x00started:" in html:
        signer = TimestampSigner(salt=FORM_SIGNING_SALT)
        html = FORM_TIME_PLACEHOLDER.sub(lambda m: signer.sign(m.group(1)), html)
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
            return _personalise(request, entry)
        response = view(request, *args, **kwargs)
        entry = _storable(request, response)
        if entry is not None:
            cache.set(key, entry, _timeout())
        return response

    return wrapped
