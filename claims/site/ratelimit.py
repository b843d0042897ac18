"""A per-client rate limit kept in Django's cache (Redis in production, so all workers share
it). Clients are told apart by a keyed hash of their address, never the address itself."""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache


def client_fingerprint(request):
    """A keyed SHA-256 of the client's address (from READER_CLIENT_IP_HEADER when the site
    runs behind a proxy that sets it, else REMOTE_ADDR)."""
    header = settings.READER_CLIENT_IP_HEADER
    address = request.META.get(header, "") if header else ""
    address = address.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def allow(request, *, scope, limit, period):
    """Count one action by this client in `scope`; False once it exceeds `limit` per
    `period` seconds (a fixed window)."""
    window = int(time.time() // period)
    key = f"ratelimit:{scope}:{client_fingerprint(request)}:{window}"
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        count = 1
    return count <= limit
