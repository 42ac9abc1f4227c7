"""Site-wide views that belong to no app: robots.txt and the error pages (400, 403, 404, 500, 503, CSRF)."""

import sys

from django.conf import settings
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

RETRY_AFTER_SECONDS = 120  # most database restarts and failovers are over well within two minutes


def robots_txt(request):
    """Render robots.txt: where the sitemap is, and what crawlers should leave alone.

    Self-check results are left out on purpose: the one-click step in front of each says ``noindex``,
    which a crawler reads only if it may fetch the page, whereas a URL blocked here can still be listed
    in search results, token and all.
    """
    disallow = [
        "/" + settings.ADMIN_URL,
        reverse("articles:search"),
        reverse("articles:contact-thanks"),
    ]
    context = {"disallow": disallow, "sitemap_url": request.build_absolute_uri(reverse("sitemap"))}
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")


def _error_page(request, template_name, status):
    return render(request, template_name, status=status)


def bad_request(request, exception=None):
    """Render the 400 page."""
    return _error_page(request, "400.html", 400)


def permission_denied(request, exception=None):
    """Render the 403 page."""
    return _error_page(request, "403.html", 403)


def page_not_found(request, exception=None):
    """Render the 404 page. Nothing from the exception is shown: it can carry paths and patterns."""
    return _error_page(request, "404.html", 404)


def server_error(request):
    """Render the 500 page, or the 503 page when the error was a failed connection to the database.

    Neither uses the request: no context processors, no database, nothing that can fail again.
    ``OperationalError`` and ``InterfaceError`` are what Django raises when the database is down, restarting,
    refusing connections or locked, which is usually over in minutes, so the reader is asked to come back.
    They also cover a few real faults (a missing table); Django logs every one with its traceback either way.
    """
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return _database_unavailable()
    return HttpResponseServerError(loader.render_to_string("500.html", {"SITE_NAME": settings.SITE_NAME}))


def _database_unavailable():
    response = HttpResponse(loader.render_to_string("503.html", {"SITE_NAME": settings.SITE_NAME}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Nobody in between (a proxy, a CDN, the browser) may keep the outage page once the site is back.
    add_never_cache_headers(response)
    return response


def csrf_failure(request, reason=""):
    """Render a friendly 403 when a form's security token is missing or stale (``CSRF_FAILURE_VIEW``)."""
    return render(request, "403_csrf.html", status=403)
