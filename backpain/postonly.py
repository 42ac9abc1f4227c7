"""Addresses only a form posts to, answered sensibly when a browser asks for them with a GET.

After a form fails, the browser's address bar shows the address it posted to (``/comments/article/<slug>/``);
reloading later, reopening the tab or sharing the link then asks for that address with a GET. Django's
``require_POST`` answers that with a bare 405. ``post_only`` sends the reader to the page the form lives
on instead, with a 303, and still refuses other methods (PUT, DELETE...) with a 405.

Every such view in the site uses it; ``tests/backpain/test_postonly.py`` walks the URLconf to keep it so.
"""

import functools

from django.http import HttpResponseNotAllowed, HttpResponseRedirect

ALLOWED = ["GET", "HEAD", "POST"]  # a GET is answered, with a redirect


def see_other(url):
    """A 303 to ``url``: the browser follows with a GET, whatever the request's method was."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def post_only(page_for):
    """Decorate a view that only takes a POST; a GET or HEAD goes (303) to ``page_for(request, *args, **kwargs)``.

    ``page_for`` returns the address of the page that shows the form (with a fragment for the form's part of
    it); it may raise ``Http404`` for an address that names nothing, as the view itself would.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                return view(request, *args, **kwargs)
            if request.method in ("GET", "HEAD"):
                return see_other(page_for(request, *args, **kwargs))
            return HttpResponseNotAllowed(ALLOWED)

        wrapped.post_only = True
        return wrapped

    return decorator
