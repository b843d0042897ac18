"""Who the client is, and how often it has done something.

A client is told apart by its address: from READER_CLIENT_IP_HEADER when a trusted proxy in
front sets it (nginx's X-Real-IP), else REMOTE_ADDR. The reader site's rate limits, the API's
throttles and token-guess counter, and django-axes's failed-login counter all ask
`client_address`; the limits count an IPv6 client by its /64 (`counted_as`). Counts are kept
in Django's cache (Redis in production, so all workers share them), under a keyed hash of the
address, never the address itself.
"""

import hashlib
import hmac
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache


def client_address(request):
    """The client's address ("" without a request)."""
    if request is None:
        return ""
    header = settings.READER_CLIENT_IP_HEADER
    address = request.META.get(header, "") if header else ""
    return address.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")


def counted_as(address):
    """The client an address is counted as: an IPv4 address itself (an IPv4-mapped IPv6
    address too), an IPv6 address by its /64. One IPv6 host is given a /64 to pick its
    addresses from: counted one address at a time, it had a limit of its own for each of
    2**64 of them. Anything else (no address, a name a proxy passed) is counted as it is."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def client_fingerprint(request):
    """A keyed SHA-256 of the client as it is counted (`counted_as`)."""
    address = counted_as(client_address(request))
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def window_key(prefix, request, period, now=None):
    """The counter of this client's actions under `prefix` in the current fixed window of
    `period` seconds."""
    window = int((time.time() if now is None else now) // period)
    return f"{prefix}:{client_fingerprint(request)}:{window}"


def count_one(key, period):
    """Count one more under `key` (kept for `period` seconds); the count so far."""
    cache.add(key, 0, timeout=period)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        return 1


def allow(request, *, scope, limit, period):
    """Count one action by this client in `scope`; False once it exceeds `limit` per
    `period` seconds (a fixed window)."""
    return count_one(window_key(f"ratelimit:{scope}", request, period), period) <= limit
