"""Who is asking: the client's address, read correctly behind one trusted proxy."""

import ipaddress

from django.conf import settings


def _valid_ip(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request):
    """Return the client's IP address.

    Only when the direct peer is a trusted proxy (settings.TRUSTED_PROXY_IPS) is X-Forwarded-For
    consulted, and then only its last entry: the address the proxy itself appended. Anything a
    client wrote earlier in the header is ignored, so a forged header neither hides an attacker
    nor puts the blame on someone else. Written by hand rather than with django-ipware because
    its proxy-count rules count hops differently from one nginx appending ``$remote_addr``.
    """
    peer = _valid_ip(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"  # noqa: S104
    if peer in settings.TRUSTED_PROXY_IPS:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return _valid_ip(forwarded.split(",")[-1]) or peer
    return peer
