"""Who is asking, as far as abuse controls need to know: a keyed hash of the client's address.

The address itself comes from ``backpain.security.client_ip``, the one place that
reads X-Forwarded-For (from a trusted proxy only); sign-in lockouts use it too.
"""

from django.utils.crypto import salted_hmac

from backpain.security import client_ip

VISITOR_HASH_SALT = "backpain.articles.visitor"


def visitor_hash(request):
    """A keyed HMAC-SHA256 of the client's address: stable for a visitor, useless without SECRET_KEY.

    The key is derived from SECRET_KEY and a salt, so this hash cannot be
    matched against hashes made for any other purpose. The raw address is
    never stored.
    """
    return salted_hmac(VISITOR_HASH_SALT, client_ip(request), algorithm="sha256").hexdigest()
