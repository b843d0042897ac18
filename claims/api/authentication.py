"""API authentication: tokens issued in the admin, with guessing throttled.

There is no endpoint that trades a password for a token (an administrator issues tokens in
the admin, or with `manage.py drf_create_token`), so the token check itself is where a
guesser would knock. `DeskTokenAuthentication` counts unknown tokens per client address in
the shared cache; once an address has sent `API_TOKEN_FAILURES_PER_HOUR` of them in the
current hour, its token requests get a 429 with Retry-After, without the token being looked
up, until the hour is out. Each refusal is logged to `claims.security` by the API's
exception handler.
"""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from claims.web.ratelimit import count_one, window_key

WINDOW = 3600  # seconds


class DeskTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, throttled after repeated unknown tokens."""

    def authenticate(self, request):
        if not request.META.get("HTTP_AUTHORIZATION", "").lower().startswith("token"):
            return None  # no token offered: nothing to count
        now = time.time()
        key = window_key("api-token-failures", request, WINDOW, now)
        if (cache.get(key) or 0) >= settings.API_TOKEN_FAILURES_PER_HOUR:
            raise exceptions.Throttled(
                wait=WINDOW - (now % WINDOW),
                detail="Too many requests with unknown tokens from this address.",
            )
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            count_one(key, WINDOW)
            raise
