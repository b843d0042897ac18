"""When the database stops answering, readers get a 503 page and API clients a JSON 503, with
Retry-After and no traceback, wherever the request first touched the database; other errors
are still 500s. (The same against a real PostgreSQL server stopped and started under a
running gunicorn: .ci/db_outage_check.py, run by CI.)

"All queries fail" is simulated with Django's own query hook, `connection.execute_wrapper`,
so the real middleware, views and templates run, on SQLite and PostgreSQL alike.
"""

import json
import logging
import os
import sqlite3
import subprocess
import sys
from contextlib import closing, contextmanager
from pathlib import Path

import psycopg
import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.db.utils import DatabaseErrorWrapper
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from rest_framework.authtoken.models import Token

from claims.models import Claim
from claims.web.cache import pieces
from claims.web.cache.store import local_pages, worker_pages
from newsroom import outage
from newsroom.urls import urlpatterns as project_urlpatterns

# A URLconf for the tests that need a view of their own: the project's URLs, plus views that
# fail in the ways a view can while the database is away.
OUTAGE_MESSAGE = (
    'connection failed: connection to server at "127.0.0.1", port 5432 failed: '
    "Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?"
)


def view_losing_the_database(request):
    raise OperationalError(OUTAGE_MESSAGE)


def view_with_a_bug(request):
    raise ValueError("a bug, not an outage")


def view_with_a_mistake_in_its_sql(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM claims_no_such_table")
    return HttpResponse("unreachable")


def view_writing_the_session(request):
    """Succeeds; the session is saved afterwards, by SessionMiddleware on the way out."""
    request.session["seen_outage_test"] = True
    return HttpResponse("ok")


urlpatterns = [
    path("outage-test/db-gone/", view_losing_the_database),
    path("api/outage-test/db-gone/", view_losing_the_database),
    path("outage-test/bug/", view_with_a_bug),
    path("outage-test/bad-sql/", view_with_a_mistake_in_its_sql),
    path("outage-test/session/", view_writing_the_session),
    *project_urlpatterns,
]

ROOT = Path(__file__).resolve().parents[2]
LEAKS = ("Traceback", "OperationalError", "psycopg", "Connection refused", 'File "')


@contextmanager
def database_down(only=None):
    """Every query (or each one `only(sql)` picks) fails as when the server is gone."""

    def fail(execute, sql, params, many, context):
        if only is None or only(sql):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail):
        yield


@pytest.fixture
def browser():
    """A client that gets the response a browser would, not the exception behind it."""
    return Client(raise_request_exception=False)


def assert_clean_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == str(outage.RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    for leak in LEAKS:
        assert leak not in body
    return body


def assert_reader_503_page(response):
    body = assert_clean_503(response)
    assert response["Content-Type"].startswith("text/html")
    assert "We will be back shortly" in body
    # The site's own page: its header, navigation and stylesheet.
    assert 'class="site-header"' in body and "site/site.css" in body
    assert "The Claims Desk" in body
    return body


def assert_api_503(response):
    assert_clean_503(response)
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content) == {
        "type": "about:blank",
        "title": "Service Unavailable",
        "status": 503,
        "code": "service_unavailable",
        "detail": outage.API_DETAIL,
    }


@pytest.mark.urls(__name__)
def test_a_view_losing_the_database_gets_the_503_page_rendered_without_a_query(
    browser, db, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = browser.get("/outage-test/db-gone/")
    assert_reader_503_page(response)
    # It went out through the middleware like any page: security headers and the CSP.
    assert "Content-Security-Policy" in response
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.urls(__name__)
def test_under_the_api_the_503_is_the_apis_json_error(browser, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = browser.get("/api/outage-test/db-gone/")
    assert_api_503(response)


@pytest.mark.urls(__name__)
def test_the_outage_is_logged_with_what_failed(browser, db, caplog):
    with caplog.at_level(logging.ERROR, logger="newsroom.outage"):
        browser.get("/outage-test/db-gone/")
    [record] = [r for r in caplog.records if r.name == "newsroom.outage"]
    message = record.getMessage()
    assert "answered 503 to GET /outage-test/db-gone/" in message
    assert "OperationalError: connection failed" in message and "\n" not in message


@pytest.mark.urls(__name__)
def test_any_other_error_is_still_the_500_page(browser, db):
    response = browser.get("/outage-test/bug/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "Retry-After" not in response


@pytest.mark.urls(__name__)
def test_with_debug_on_as_in_the_demo_an_outage_is_the_503_not_the_debug_page(
    browser, db, settings
):
    settings.DEBUG = True
    assert_reader_503_page(browser.get("/outage-test/db-gone/"))
    assert_api_503(browser.get("/api/outage-test/db-gone/"))
    with database_down(only=lambda sql: "django_session" in sql):
        assert_reader_503_page(browser.get("/outage-test/session/"))
    # A bug is still Django's debug page, traceback and all.
    response = browser.get("/outage-test/bug/")
    assert response.status_code == 500 and "a bug, not an outage" in response.content.decode()


@pytest.mark.urls(__name__)
def test_a_mistake_in_the_sql_is_a_500_not_an_outage(browser, db):
    # SQLite raises OperationalError for it, as for a locked database; PostgreSQL a
    # ProgrammingError. Either way it is a bug to fix, not a database to wait for.
    response = browser.get("/outage-test/bad-sql/")
    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.urls(__name__)
def test_a_session_save_failing_in_the_middleware_after_the_view_is_a_503(browser, db):
    # The view has answered; SessionMiddleware's INSERT of the new session fails on the way out.
    with database_down(only=lambda sql: "django_session" in sql):
        response = browser.get("/outage-test/session/")
    assert_reader_503_page(response)


def test_reader_pages_are_503_while_every_query_fails(browser, claim, publish_verification):
    publish_verification(claim)
    pages = ["/", claim.get_absolute_url(), "/claims/", "/explainers/", "/search/?q=Toretsk"]
    assert all(browser.get(page).status_code == 200 for page in pages)
    # The pages anonymous readers just saw are still in the reader cache, which needs no
    # database: they keep getting them while the database is away (the search from this
    # worker's own copy).
    with database_down():
        assert [browser.get(page).status_code for page in pages] == [200] * 5
    # Anything not in the cache (the shared one, nor this worker's own copies) is the 503 page.
    cache.clear()
    local_pages.clear()
    worker_pages.clear()
    pieces.kept.clear()
    with database_down():
        for page in pages:
            assert_reader_503_page(browser.get(page))
    # Back as soon as the database answers again.
    assert all(browser.get(page).status_code == 200 for page in pages)


def test_a_logged_in_editor_whose_session_cannot_be_loaded_gets_the_503(browser, editor):
    browser.force_login(editor)
    with database_down():
        for page in ("/admin/", "/", "/admin/claims/claim/"):
            assert_reader_503_page(browser.get(page))
    assert browser.get("/admin/").status_code == 200


def test_api_reads_and_token_writes_are_json_503s_and_write_nothing(browser, reporter, source):
    token = Token.objects.create(user=reporter)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    new_claim = {
        "statement": "Written while the database was away",
        "quote": "We hold the line.",
        "claimant_id": source.pk,
        "claimed_on": "2025-02-07",
    }
    with database_down():
        assert_api_503(browser.get("/api/v1/claims/"))
        assert_api_503(browser.get("/api/v1/claims/", **auth))
        assert_api_503(
            browser.post("/api/v1/claims/", new_claim, content_type="application/json", **auth)
        )
    assert not Claim.objects.filter(statement=new_claim["statement"]).exists()
    # And the same write goes through once the database is back.
    response = browser.post("/api/v1/claims/", new_claim, content_type="application/json", **auth)
    assert response.status_code == 201, response.content


def test_the_drivers_own_errors_and_errors_raised_from_them_count_as_an_outage():
    assert outage.is_database_outage(psycopg.OperationalError("terminating connection"))
    assert outage.is_database_outage(psycopg.InterfaceError("the connection is closed"))
    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError as exc:
            raise RuntimeError("while rendering") from exc
    except RuntimeError as wrapped:
        assert outage.is_database_outage(wrapped)
    assert not outage.is_database_outage(ValueError("a bug"))


def test_sqlites_busy_locked_and_unopenable_databases_count_as_an_outage_its_sql_errors_not(
    tmp_path,
):
    def error_of(statement, path):
        try:
            with DatabaseErrorWrapper(connection):  # wrapped, as Django raises it
                with closing(sqlite3.connect(path, timeout=0)) as database:
                    database.execute(statement)
        except Exception as error:
            return error

    path = tmp_path / "desk.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert outage.is_database_outage(error_of("INSERT INTO t VALUES (1)", path))
    finally:
        holder.rollback()
        holder.close()
    assert outage.is_database_outage(error_of("SELECT 1", tmp_path / "missing" / "desk.sqlite3"))
    assert not outage.is_database_outage(error_of("SELECT * FROM no_such_table", path))
    assert not outage.is_database_outage(error_of("SELEKT 1", path))


@pytest.mark.parametrize(
    "prepared, options",
    [
        (None, {"server_side_binding": True, "prepare_threshold": 5}),
        ("0", {}),  # behind a pooler that cannot keep prepared statements
    ],
)
def test_production_connections_are_health_checked_and_give_up_connecting_in_seconds(
    prepared, options
):
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "db = s.DATABASES['default']; print(json.dumps({'checks': db['CONN_HEALTH_CHECKS'], "
        "'age': db['CONN_MAX_AGE'], 'options': db.get('OPTIONS', {})}))"
    )
    settings_read = ("DATABASE_URL", "CONN_MAX_AGE", "DATABASE_PREPARED_STATEMENTS")
    env = {k: v for k, v in os.environ.items() if k not in settings_read}
    if prepared is not None:
        env["DATABASE_PREPARED_STATEMENTS"] = prepared
    env.update(
        DATABASE_URL="postgres://desk:pw@db.internal:5432/desk",
        DATABASE_CONNECT_TIMEOUT="3",
        DJANGO_SETTINGS_MODULE="newsroom.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    db = json.loads(result.stdout)
    assert db == {"checks": True, "age": 60, "options": {"connect_timeout": 3, **options}}
