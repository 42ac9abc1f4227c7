"""``/reference/?bytes=n``: the smallest Django view that returns n bytes; ``/healthz`` for the harness."""

from django.http import HttpResponse
from django.urls import path

MAX_BYTES = 1_000_000


def reference(request):
    """Return ``?bytes=`` bytes of "x" as an HTML page."""
    size = min(int(request.GET.get("bytes", "0") or 0), MAX_BYTES)
    return HttpResponse(b"x" * size, content_type="text/html; charset=utf-8")


def healthz(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("reference/", reference), path("healthz", healthz)]
