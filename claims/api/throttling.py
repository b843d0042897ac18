"""Request rates, per anonymous client (by address) and per user, from settings.

The rates are read at each request from `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` (set from
the environment in `newsroom/settings.py`), and the counts live in the shared cache (Redis in
production), so every worker applies the same limit. Over the limit: 429 with Retry-After.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from claims.web.ratelimit import client_address, counted_as


class _RateFromSettings:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonymousThrottle(_RateFromSettings, AnonRateThrottle):
    """Anonymous consumers, counted by client address as every rate limit counts it (an IPv6
    client by its /64)."""

    def get_ident(self, request):
        return counted_as(client_address(request))


class UserThrottle(_RateFromSettings, UserRateThrottle):
    """Consumers with a token and desk staff, counted per user. Anonymous requests are left
    to AnonymousThrottle (DRF's own class would count them a second time, under this rate)."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
