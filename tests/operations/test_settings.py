"""Settings come from the environment; with nothing set the desk runs on SQLite."""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "db = s.DATABASES['default']; "
    "print(json.dumps({'engine': db['ENGINE'], 'name': str(db['NAME']), 'debug': s.DEBUG, "
    "'hosts': s.ALLOWED_HOSTS, 'cache': s.CACHES['default']['BACKEND'], "
    "'tz': s.TIME_ZONE, 'use_tz': s.USE_TZ, 'secret': s.SECRET_KEY}))"
)
VARIABLES = (
    "DATABASE_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "REDIS_URL",
    "TIME_ZONE",
    "SQLITE_BUSY_TIMEOUT",
    "DESK_EARLIEST_DATE",
    "READER_CACHE_SECONDS",
    "LOG_FORMAT",
    "LOG_LEVEL",
    "SENTRY_DSN",
    "FRONT_CACHE_PURGE_URLS",
    "SURROGATE_KEY_HEADER",
    "READER_FRONT_MAX_AGE",
)


def run_with(script, **env):
    """Run Python `script` in a fresh process whose environment sets only `env` of the
    desk's variables (the settings read the environment once, at start-up)."""
    clean = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    clean.update(env, DJANGO_SETTINGS_MODULE="newsroom.settings")
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_with(**env):
    result = run_with(PRINT_SETTINGS, **env)
    if result.returncode:
        return result.stderr
    return json.loads(result.stdout)


def test_with_nothing_set_it_runs_on_sqlite_in_the_checkout():
    s = settings_with()
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["name"] == str(ROOT / "db.sqlite3")
    assert s["debug"] is False
    assert s["cache"].endswith("LocMemCache")
    assert s["tz"] == "Europe/Kyiv" and s["use_tz"] is True


def test_production_values_come_from_the_environment():
    s = settings_with(
        DATABASE_URL="postgres://desk:pw@db.internal:5432/desk",
        SECRET_KEY="s3cret-from-env",
        DEBUG="0",
        ALLOWED_HOSTS="claims.example, www.claims.example",
        REDIS_URL="redis://127.0.0.1:6379/1",
        TIME_ZONE="UTC",
    )
    assert s["engine"] == "django.db.backends.postgresql"
    assert s["name"] == "desk"
    assert s["secret"] == "s3cret-from-env"
    assert s["hosts"] == ["claims.example", "www.claims.example"]
    assert s["cache"].endswith("RedisCache")
    assert s["tz"] == "UTC"


SQLITE_CONNECTION = (
    "import json, django; django.setup(); from django.db import connection; "
    "connection.ensure_connection(); raw = connection.connection; "
    "print(json.dumps({'options': connection.settings_dict['OPTIONS'], "
    "'journal': raw.execute('PRAGMA journal_mode').fetchone()[0], "
    "'synchronous': raw.execute('PRAGMA synchronous').fetchone()[0], "
    "'busy_ms': raw.execute('PRAGMA busy_timeout').fetchone()[0], "
    "'begin': connection.transaction_mode}))"
)


def test_sqlite_waits_for_a_busy_database_and_takes_the_write_lock_as_a_transaction_begins(
    tmp_path,
):
    database = tmp_path / "demo.sqlite3"
    result = run_with(SQLITE_CONNECTION, DATABASE_URL=f"sqlite:///{database}")
    assert result.returncode == 0, result.stderr
    s = json.loads(result.stdout)
    assert s["options"]["timeout"] == 10
    assert s["busy_ms"] == 10_000
    assert s["begin"] == "IMMEDIATE"
    # Readers never wait for the writer, nor it for them; NORMAL (1) is safe under WAL.
    assert s["journal"] == "wal" and s["synchronous"] == 1
    result = run_with(
        SQLITE_CONNECTION, DATABASE_URL=f"sqlite:///{database}", SQLITE_BUSY_TIMEOUT="2.5"
    )
    assert json.loads(result.stdout)["busy_ms"] == 2500


def test_the_earliest_date_the_desk_accepts_is_a_setting_and_a_bad_one_a_clear_error():
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DESK['EARLIEST_DATE'].isoformat())"
    )
    assert run_with(script).stdout.strip() == "1900-01-01"
    assert run_with(script, DESK_EARLIEST_DATE="2014-02-20").stdout.strip() == "2014-02-20"
    error = run_with(script, DESK_EARLIEST_DATE="20/02/2014").stderr
    assert 'Environment variable "DESK_EARLIEST_DATE" invalid: must be a date (YYYY-MM-DD)' in error


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_bad_boolean_is_a_clear_error(value):
    error = settings_with(DEBUG=value)
    assert (
        'Environment variable "DEBUG" invalid: must be a boolean: 1/0, true/false, yes/no or on/off'
    ) in error


def test_an_empty_switch_or_list_means_its_default():
    s = settings_with(DEBUG="", ALLOWED_HOSTS="")
    assert s["debug"] is False
    assert s["hosts"] == ["localhost", "127.0.0.1", "[::1]"]


def test_a_bad_database_url_is_named_without_its_password():
    error = settings_with(DATABASE_URL="postgress://desk:hunter2@db.internal/desk")
    assert 'Environment variable "DATABASE_URL" invalid: Not a valid database URL.' in error
    assert "hunter2" not in error


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("READER_CACHE_SECONDS", "ten minutes", "Not a valid integer."),
        ("SQLITE_BUSY_TIMEOUT", "soon", "Not a valid number."),
        ("LOG_FORMAT", "xml", "Must be one of: json, text."),
        (
            "FRONT_CACHE_PURGE_URLS",
            "varnish.internal:6081",
            "comma-separated addresses, each starting with http:// or https://",
        ),
    ],
)
def test_a_value_that_cannot_be_read_is_an_error_naming_its_variable(variable, value, message):
    result = run_with(PRINT_SETTINGS, **{variable: value})
    assert result.returncode != 0
    assert f'Environment variable "{variable}" invalid:' in result.stderr
    assert message in result.stderr


def test_the_front_cache_is_off_until_its_addresses_are_set():
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.FRONT_CACHE_PURGE_URLS, s.SURROGATE_KEY_HEADER, "
        "s.READER_FRONT_MAX_AGE]))"
    )
    assert json.loads(run_with(script).stdout) == [[], "xkey", 3600]
    result = run_with(
        script,
        FRONT_CACHE_PURGE_URLS="http://10.0.0.5:6081/, http://10.0.0.6:6081/",
        SURROGATE_KEY_HEADER="Surrogate-Key",
        READER_FRONT_MAX_AGE="600",
    )
    assert json.loads(result.stdout) == [
        ["http://10.0.0.5:6081/", "http://10.0.0.6:6081/"],
        "Surrogate-Key",
        600,
    ]


def test_installed_apps_middleware_and_templates_are_each_declared_once():
    """Each list is written in one statement, so a reader finds all of it in one place."""
    tree = ast.parse((ROOT / "newsroom" / "settings.py").read_text())
    assigned = [
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    ]
    for name in ("INSTALLED_APPS", "MIDDLEWARE", "TEMPLATES", "LOGGING"):
        assert assigned.count(name) == 1, name
    changed_in_place = [
        node.func.value.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id.isupper()
        and node.func.attr in {"append", "extend", "insert", "update", "setdefault"}
    ]
    assert not {"INSTALLED_APPS", "MIDDLEWARE", "TEMPLATES", "LOGGING"} & set(changed_in_place)


@pytest.mark.django_db
def test_times_are_stored_in_utc_and_shown_in_the_newsrooms_time_zone(claim, publish_verification):
    import datetime

    from django.db import connection
    from django.template import Context, Template
    from django.utils import timezone

    from claims.models import Verification

    verification = publish_verification(claim)
    utc_moment = datetime.datetime(2025, 2, 7, 22, 30, tzinfo=datetime.UTC)
    Verification.objects.filter(pk=verification.pk).update(published_at=utc_moment)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT published_at FROM claims_verification WHERE id = %s", [verification.pk]
        )
        (stored,) = cursor.fetchone()
    if isinstance(stored, str):
        stored = datetime.datetime.fromisoformat(stored)
    # SQLite keeps naive UTC; PostgreSQL returns an aware time in the connection's UTC.
    assert stored.utcoffset() in (None, datetime.timedelta(0))
    assert (stored.day, stored.hour, stored.minute) == (7, 22, 30)
    verification.refresh_from_db()
    with timezone.override("Europe/Kyiv"):
        shown = Template('{{ when|date:"j M Y H:i" }}').render(
            Context({"when": verification.published_at})
        )
    assert shown == "8 Feb 2025 00:30"


LOG_A_FAILING_REQUEST = """
import sys, types, django
django.setup()
from django.test import Client, override_settings
from django.urls import path

from django.db import OperationalError

def broken(request):
    raise RuntimeError("the view broke")

def database_down(request):
    raise OperationalError("connection refused")

urls = types.ModuleType("broken_urls")
from newsroom.urls import urlpatterns as project_urls
urls.urlpatterns = [path("broken/", broken), path("down/", database_down), *project_urls]
sys.modules["broken_urls"] = urls
from django.conf import settings
storages = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(ROOT_URLCONF="broken_urls", ALLOWED_HOSTS=["testserver"],
                       STORAGES=storages):
    client = Client(raise_request_exception=False)
    response = client.get("/broken/", secure=True)
    print("status", response.status_code)
    print("outage status", client.get("/down/", secure=True).status_code)
"""


def test_an_unhandled_error_reaches_the_server_log_with_debug_off():
    """In production (DEBUG off) a 500's traceback is written to stderr, where gunicorn's
    log collector finds it; Django alone would only log it with DEBUG on. A database outage
    is logged on one line instead, not a traceback per request."""
    result = run_with(LOG_A_FAILING_REQUEST, DEBUG="0", SECRET_KEY="x" * 50)
    assert "status 500" in result.stdout, result.stderr
    assert "Internal Server Error: /broken/" in result.stderr
    assert "RuntimeError: the view broke" in result.stderr
    # A database outage is a 503, logged on one line by newsroom.outage, without a traceback.
    assert "outage status 503" in result.stdout
    assert "Internal Server Error: /down/" not in result.stderr
    assert "answered 503 to GET /down/" in result.stderr


LOG_A_REFUSAL = """
import django
django.setup()
from django.test import RequestFactory
from claims import security
request = RequestFactory().get("/admin/claims/claim/", REMOTE_ADDR="203.0.113.7")
security.log_refusal(request, status=403, reason="may not see claims")
"""


def test_production_logs_are_json_lines_with_the_security_fields():
    result = run_with(LOG_A_REFUSAL, DEBUG="0")
    (line,) = result.stderr.splitlines()
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["logger"] == "claims.security"
    assert entry["security_event"] == "refused" and entry["status_code"] == 403
    assert entry["message"].startswith("refused 403 GET /admin/claims/claim/ for anonymous")
    assert entry["time"].endswith("+00:00")


def test_the_demo_logs_plain_text_and_either_can_be_chosen():
    assert run_with(LOG_A_REFUSAL, DEBUG="1").stderr.startswith(
        "WARNING claims.security: refused 403 GET /admin/claims/claim/"
    )
    assert run_with(LOG_A_REFUSAL, DEBUG="0", LOG_FORMAT="text").stderr.startswith("WARNING ")
    assert json.loads(run_with(LOG_A_REFUSAL, DEBUG="1", LOG_FORMAT="json").stderr)["level"]


REPORT_AN_ERROR = """
import sys, types, django
django.setup()
import sentry_sdk
from django.test import Client, override_settings
from django.urls import path

def broken(request):
    draft = "an unpublished draft"
    raise RuntimeError("the view broke")

urls = types.ModuleType("broken_urls")
urls.urlpatterns = [path("broken/", broken)]
sys.modules["broken_urls"] = urls
print("sending", sentry_sdk.get_client().is_active())
with override_settings(ROOT_URLCONF="broken_urls", ALLOWED_HOSTS=["testserver"]):
    client = Client(raise_request_exception=False, HTTP_COOKIE="sessionid=s3cret-session")
    client.get("/broken/", secure=True, HTTP_X_FORWARDED_FOR="203.0.113.9")
sentry_sdk.flush()
"""


@pytest.fixture
def error_collector():
    """A stand-in for Sentry on 127.0.0.1: the bodies of the envelopes posted to it."""
    import gzip
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    received = []

    class Collector(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            received.append(body.decode())
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://key@127.0.0.1:{server.server_address[1]}/1", received
    server.shutdown()


def test_errors_go_to_sentry_only_when_a_dsn_is_set_and_without_personal_data(error_collector):
    assert "sending False" in run_with(REPORT_AN_ERROR, SECRET_KEY="x" * 50).stdout
    dsn, received = error_collector
    result = run_with(REPORT_AN_ERROR, SECRET_KEY="x" * 50, SENTRY_DSN=dsn, STATIC_HASHED_NAMES="0")
    assert "sending True" in result.stdout, result.stderr
    sent = "\n".join(received)
    assert "the view broke" in sent
    for private in ("s3cret-session", "203.0.113.9", "an unpublished draft"):
        assert private not in sent
