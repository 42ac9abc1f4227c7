"""A page shown again after one of its forms failed: the page's own view renders it, given the reader's form."""

from django.urls import resolve


def page_with_errors(request, path, status, **forms):
    """Render the page at ``path`` (a site path) for this request with ``status``, passing ``forms`` to its
    view by name (``comment_form=...``), so the reader sees their form, its errors and the summary."""
    match = resolve(path)
    request.resolver_match = match  # the menu marks the page's own section, not the address posted to
    response = match.func(request, *match.args, **match.kwargs, **forms)
    response.status_code = status
    return response
