"""A database outage is a 503, not a 500: "try again shortly", never a traceback.

`server_error` is the project's 500 handler (`handler500` in `newsroom.urls`). Django calls it
for every exception nobody else handled, from inside the `except` block of whichever layer
caught it: the view, or any middleware around it (a logged-in user's session is loaded
wherever `request.user` is first used, and saved by the session middleware on the way out).
So it sees every
failure, wherever the database was first touched, which a middleware's `process_exception`
(views only) would not. When the exception is the database failing to answer — Django's
`OperationalError` or `InterfaceError`, which wrap psycopg's (connection refused, server
closed the connection, admin shutdown) — readers get templates/503.html and API clients
(`/api/…`) the API's JSON error shape, both with `Retry-After` and not cacheable; any other
exception gets Django's own 500 page, as before. (With DEBUG on, as in the demo, Django shows
its debug page for every error instead, this one included.)

The page is rendered without a request, so no context processor runs and nothing queries the
database; the response still passes out through the middleware around the layer that failed
(security headers, Content-Security-Policy).

Recovery needs nothing here: each worker's persistent connection (CONN_MAX_AGE) is
health-checked before reuse (CONN_HEALTH_CHECKS) and dropped after an error, so the first
request after the database is back opens a fresh one (docs/deploy.md, *When the database goes
away*; scripts/db_outage_check.py proves it against a real PostgreSQL server).
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger("newsroom.outage")

# Seconds a client is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30
API_PATH_PREFIX = "/api/"
API_DETAIL = "The service is briefly unavailable: its database is not answering. Try again shortly."

try:  # Django wraps driver errors, but one raised outside a cursor may arrive unwrapped.
    import psycopg

    OUTAGE_ERRORS = (
        OperationalError,
        InterfaceError,
        psycopg.OperationalError,
        psycopg.InterfaceError,
    )
except ImportError:  # pragma: no cover - psycopg is a dependency; SQLite-only installs aside
    OUTAGE_ERRORS = (OperationalError, InterfaceError)


def is_database_outage(exc):
    """Whether `exc`, or an exception it was raised from or while handling, is the database
    failing to answer (as opposed to a bug or bad data, which stay 500s and 4xxs)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, OUTAGE_ERRORS):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def database_unavailable(request, exc):
    """The 503 response for `request` while the database is down; logs the failure."""
    reason = " ".join(str(exc).split())[:300]
    logger.error(
        "database unavailable, answered 503 to %s %s: %s: %s",
        request.method,
        request.path,
        type(exc).__name__,
        reason,
    )
    if request.path_info.startswith(API_PATH_PREFIX):
        response = JsonResponse(
            {"status": 503, "code": "service_unavailable", "detail": API_DETAIL}, status=503
        )
    else:
        # No request: no context processors, so nothing here can query the database.
        context = {
            "desk_name": settings.DESK["ORGANISATION_NAME"],
            "canonical_url": settings.SITE_URL + request.path,
            "standing_page_links": [],
            "noindex": True,
            "retry_after": RETRY_AFTER_SECONDS,
        }
        response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def server_error(request, template_name="500.html"):
    """The 500 handler: a 503 when the database is down, else Django's own 500 page."""
    exc = sys.exc_info()[1]
    if exc is not None and is_database_outage(exc):
        return database_unavailable(request, exc)
    return django_server_error(request, template_name=template_name)


class SkipDatabaseOutages(logging.Filter):
    """For the django.request log: a request that failed because the database is down is
    already logged on one line by `database_unavailable`; a traceback per request during an
    outage would bury everything else in the log. Every other error keeps its traceback."""

    def filter(self, record):
        exc = record.exc_info[1] if record.exc_info else None
        return not is_database_outage(exc)
