"""
A gate on the size of request bodies, in front of everything that could read one.

Django reads a body only when something asks for it (the CSRF check, a form), and then a multipart body
is parsed in full, large files spooled to disk, before any view can refuse it. This middleware looks at
the declared ``Content-Length`` first and answers 413 at once when it is over the limit, without reading
a byte. A body sent without a length (chunked) is read up to one byte past the limit, no further: Django
itself reads nothing it cannot measure, so that body reaches no view either way.

The limit depends first on the path: the editors' admin (``settings.ADMIN_URL``) takes uploads and gets
``MAX_ADMIN_BODY_BYTES``; everything else, the admin's sign-in page included, is open to anyone and gets
``MAX_ANON_BODY_BYTES``. A second gate, once the session says who is asking (but still before the CSRF
check reads the body), holds an admin path to the anonymous limit for anyone not signed in as staff.

Plumbing: imports no app.
"""

from django.conf import settings
from django.http import HttpResponse
from django.template import loader

READ_CHUNK = 64 * 1024


def body_limit(path):
    """The most bytes a request body to ``path`` may hold."""
    admin = "/" + settings.ADMIN_URL
    if path.startswith(admin) and not path.startswith(admin + "login/"):
        return settings.MAX_ADMIN_BODY_BYTES
    return settings.MAX_ANON_BODY_BYTES


def declared_length(request):
    """The body's declared length; None when there is none (or none Django would use)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


def unmeasured_body_exceeds(request, limit):
    """For a body sent without a length, True when more than ``limit`` bytes arrive.

    Only a server that marks its input as ending with the body (``wsgi.input_terminated``, as gunicorn
    does) can be read this way; on any other, reading could wait for ever, and Django reads nothing anyway.
    """
    if "HTTP_TRANSFER_ENCODING" not in request.META or not request.environ.get("wsgi.input_terminated"):
        return False
    stream = request.environ["wsgi.input"]
    received = 0
    while received <= limit:
        chunk = stream.read(min(READ_CHUNK, limit + 1 - received))
        if not chunk:
            return False
        received += len(chunk)
    return True


def too_large(limit):
    """The 413 page: short, in the site's look, and needing neither the request nor the database."""
    page = loader.render_to_string("413.html", {"SITE_NAME": settings.SITE_NAME, "limit": limit})
    return HttpResponse(page, status=413)


class StaffBodyLimitMiddleware:
    """Hold a body to an admin path to the anonymous limit unless staff are signed in.

    Placed after the authentication middleware, whose user is read from the session without touching
    the body, and before any view: the CSRF check reads the body only in its ``process_view``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = declared_length(request) or 0
        if length > settings.MAX_ANON_BODY_BYTES and body_limit(request.path_info) != settings.MAX_ANON_BODY_BYTES:
            user = getattr(request, "user", None)
            if not (user is not None and user.is_authenticated and user.is_staff):
                return too_large(settings.MAX_ANON_BODY_BYTES)
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Answer 413 to a body over the path's limit before anything reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = body_limit(request.path_info)
        length = declared_length(request)
        if length is not None and length > limit:
            return too_large(limit)
        if length is None and unmeasured_body_exceeds(request, limit):
            return too_large(limit)
        return self.get_response(request)
