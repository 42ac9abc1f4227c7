"""The site's URLs plus ``/bench/reference/?bytes=n``: the smallest Django view that returns n bytes.

It runs in the same gunicorn workers, behind the same middleware, as the pages it is compared with, so the
ratio page / reference measures what the site's own code costs on top of the framework.
"""

from django.http import HttpResponse
from django.urls import path

from backpain.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401

MAX_BYTES = 1_000_000


def reference(request):
    """Return ``?bytes=`` bytes of "x" as an HTML page."""
    size = min(int(request.GET.get("bytes", "0") or 0), MAX_BYTES)
    return HttpResponse(b"x" * size, content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/reference/", reference), *urlpatterns]
