"""Who is asking, as far as abuse controls need to know: the client's address and a keyed hash of it.

Everything that identifies a visitor goes through ``client_ip`` so that the
proxy handling (X-Forwarded-For from a trusted hop) can be added in one place.
"""

from django.utils.crypto import salted_hmac

VISITOR_HASH_SALT = "backpain.articles.visitor"


def client_ip(request):
    """Return the address the request came from.

    gunicorn sets REMOTE_ADDR to its peer. Behind a proxy that is the proxy,
    which will be handled here, and only here, when the site moves behind one.
    """
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def visitor_hash(request):
    """A keyed HMAC-SHA256 of the client's address: stable for a visitor, useless without SECRET_KEY.

    The key is derived from SECRET_KEY and a salt, so this hash cannot be
    matched against hashes made for any other purpose. The raw address is
    never stored.
    """
    return salted_hmac(VISITOR_HASH_SALT, client_ip(request), algorithm="sha256").hexdigest()
