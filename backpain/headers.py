"""Response headers a single view can ask for, on top of the site-wide ones the settings give every page."""

import functools


def no_referrer(view):
    """Send ``Referrer-Policy: no-referrer`` from this view, whatever ``SECURE_REFERRER_POLICY`` says.

    For pages whose address is itself a secret (a saved result's token): a link followed from the page,
    or a file it loads, must not carry that address along in the ``Referer`` header, not even to this
    site, where it would end up in the access log.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        return response

    return wrapped
