"""A database that is away or stays busy is a 503, not a 500: "try again shortly", never a
traceback, whichever layer met it and whatever DEBUG says.

Django reports every exception nobody else handled with the `got_request_exception` signal,
from whichever layer caught it: the view, or a middleware (a logged-in user's session is
loaded wherever `request.user` is first used, and saved by the session middleware on the way
out). `note_database_outage` marks the request when the exception is the database failing to
answer; `DatabaseOutageMiddleware`, just inside the security headers and the
Content-Security-Policy in MIDDLEWARE, then answers that request with the 503 instead of the
500 Django made of it: its 500 page, or with DEBUG on (as in the demo) its debug page, since
a database that is busy or away is not a bug to debug. Readers get templates/503.html, API
clients (`/api/…`) the API's JSON error shape, both with `Retry-After` and not cacheable, and
the 503 passes out through the security headers and the CSP like any page. Every other
exception is still a 500.

The database failing to answer is Django's `OperationalError` or `InterfaceError`, which wrap
psycopg's (connection refused, server closed the connection, admin shutdown, a lock or
statement timeout, a deadlock). SQLite raises `OperationalError` for mistakes in SQL as well
("no such table"), so from SQLite only a database that is busy or locked by another writer
past the busy timeout, or that cannot be opened, read or written, counts; the rest stay 500s.

The page is rendered without a request, so no context processor runs and nothing queries the
database. Recovery needs nothing here: each worker's persistent connection (CONN_MAX_AGE) is
health-checked before reuse (CONN_HEALTH_CHECKS) and dropped after an error, so the first
request after the database is back opens a fresh one (docs/deploy.md, *When the database goes
away*; .ci/db_outage_check.py proves it against a real PostgreSQL server).
"""

import logging
import sqlite3
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

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

# SQLite's primary result codes for a database that cannot serve the request now, as opposed
# to a mistake in the SQL (SQLITE_ERROR): busy or locked by another connection, or not
# openable, readable or writable (a missing file or folder, a full or read-only disk).
SQLITE_UNAVAILABLE = frozenset(
    {
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_READONLY,
    }
)

# The request attribute that carries the outage from the signal to the middleware.
_OUTAGE = "database_outage"


def is_database_outage(exc):
    """Whether `exc`, or an exception it was raised from or while handling, is the database
    failing to answer (as opposed to a bug or bad data, which stay 500s and 4xxs)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, sqlite3.Error):
            return _sqlite_unavailable(exc)
        if isinstance(exc, OUTAGE_ERRORS):
            driver_error = exc.__cause__
            if isinstance(driver_error, sqlite3.Error):  # Django's wrapper of SQLite's error
                return _sqlite_unavailable(driver_error)
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _sqlite_unavailable(error):
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in SQLITE_UNAVAILABLE


def database_unavailable(request, exc):
    """The 503 response for `request` while the database is down or busy; logs the failure."""
    reason = " ".join(str(exc).split())[:300]
    logger.error(
        "database unavailable, answered 503 to %s %s: %s: %s",
        request.method,
        request.path,
        type(exc).__name__,
        reason,
    )
    if request.path_info.startswith(API_PATH_PREFIX):
        # The API's problem details (claims/api/exceptions.py); it needs no database.
        from claims.api.exceptions import problem_response

        response = problem_response(request, 503, "service_unavailable", API_DETAIL)
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


@receiver(got_request_exception, dispatch_uid="newsroom.outage.note_database_outage")
def note_database_outage(sender, request=None, **kwargs):
    """Marks `request` when the exception Django is reporting is the database failing."""
    exc = sys.exc_info()[1]
    if request is not None and exc is not None and is_database_outage(exc):
        setattr(request, _OUTAGE, exc)


class DatabaseOutageMiddleware:
    """Answers a request that failed because the database did not answer with the 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        exc = getattr(request, _OUTAGE, None)
        if exc is not None and response.status_code == 500:
            return database_unavailable(request, exc)
        return response


class SkipDatabaseOutages(logging.Filter):
    """For the django.request log: a request that failed because the database is down is
    already logged on one line by `database_unavailable`; a traceback per request during an
    outage would bury everything else in the log. Every other error keeps its traceback."""

    def filter(self, record):
        exc = record.exc_info[1] if record.exc_info else None
        return not is_database_outage(exc)
