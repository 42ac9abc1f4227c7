"""Who is asking, as far as abuse controls need to know: a keyed hash of the client's network.

The address itself comes from ``backpain.security.client_ip``, the one place that
reads X-Forwarded-For (from a trusted proxy only); sign-in lockouts use it too.
Every per-visitor limit (comments, reports, contact messages, "was this helpful?"
votes) counts by ``visitor_hash``, so they all see one visitor the same way.
"""

import ipaddress

from django.utils.crypto import salted_hmac

from .security import client_ip

VISITOR_HASH_SALT = "backpain.articles.visitor"
# One IPv6 subscriber usually gets a whole /64 (often more) and can pick any address in it at will, so
# counting single IPv6 addresses would give one person 2**64 separate limits.
IPV6_VISITOR_PREFIX = 64


def visitor_network(address):
    """The part of an address that stands for one visitor, as text.

    An IPv4 address stands for itself, and so does an IPv4 address written as IPv6
    (``::ffff:192.0.2.1`` is ``192.0.2.1``); any other IPv6 address stands for its /64.
    Text that is no address at all is returned as it is.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/{IPV6_VISITOR_PREFIX}", strict=False))


def visitor_hash(request):
    """A keyed HMAC-SHA256 of the client's network: stable for a visitor, useless without SECRET_KEY.

    The key is derived from SECRET_KEY and a salt, so this hash cannot be
    matched against hashes made for any other purpose. The raw address is
    never stored.
    """
    return salted_hmac(VISITOR_HASH_SALT, visitor_network(client_ip(request)), algorithm="sha256").hexdigest()
