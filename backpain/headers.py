"""Response headers a single view can ask for, on top of the site-wide ones the settings give every page."""

import functools


def referrer_policy(policy):
    """Send ``Referrer-Policy: <policy>`` from this view, whatever ``SECURE_REFERRER_POLICY`` says.

    A policy already set by a view it wraps is kept, so a page rendered inside another view (a result's
    one-click step) can ask for its own.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if not response.has_header("Referrer-Policy"):
                response["Referrer-Policy"] = policy
            return response

        return wrapped

    return decorator


# For pages whose address is itself a secret (a saved result's token): a link followed from the page, or
# a file it loads, must not carry that address along in the ``Referer`` header, not even to this site,
# where it would end up in the access log. Such a page can hold no POST form: browsers send a form posted
# from it with ``Origin: null``, which CSRF protection must refuse.
no_referrer = referrer_policy("no-referrer")
# For a secret page whose own form posts back to this site (the result's one-click step): other sites
# never get the address; this site gets a real Origin, so CSRF protection can check the form.
same_origin_referrer = referrer_policy("same-origin")
