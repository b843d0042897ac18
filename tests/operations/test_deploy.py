"""Production settings: `check --deploy` passes with production variables, https and the
security headers are on by default with DEBUG off, and the demo still works over plain http."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Everything the settings read that could leak in from the shell running the suite.
SETTINGS_VARIABLES = (
    "DATABASE_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "REDIS_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_COOKIES",
    "STATIC_HASHED_NAMES",
    "CSP_REPORT_URI",
    "CONN_MAX_AGE",
    "REDIS_TIMEOUT",
    "PORT",
    "WEB_CONCURRENCY",
    "GUNICORN_BIND",
    "GUNICORN_THREADS",
    # Set by the test process while the browser tests run (tests/browser/conftest.py); never
    # in production, where Django's deploy checks refuse it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SITE_URL",
    "READER_CLIENT_IP_HEADER",
)


def production_environment(**overrides):
    """What docs/deploy.md tells an operator to set."""
    env = {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "claims.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://claims.example.org",
        "DATABASE_URL": "postgres://desk:pw@db.internal:5432/desk",
        "REDIS_URL": "redis://cache.internal:6379/0",
        "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "SITE_URL": "https://claims.example.org",
        "READER_CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
    }
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def run_in_project(args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    clean.update(env, DJANGO_SETTINGS_MODULE="newsroom.settings")
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def deploy_check(**env):
    return run_in_project(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)


PRINT_SECURITY_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'redirect': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS, "
    "'subdomains': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, 'preload': s.SECURE_HSTS_PRELOAD, "
    "'session_secure': s.SESSION_COOKIE_SECURE, 'csrf_secure': s.CSRF_COOKIE_SECURE, "
    "'proxy_header': s.SECURE_PROXY_SSL_HEADER, "
    "'static': s.STORAGES['staticfiles']['BACKEND'], 'debug': s.DEBUG}))"
)


def security_settings(**env):
    result = run_in_project(["-c", PRINT_SECURITY_SETTINGS], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_passes_with_production_variables():
    result = deploy_check(**production_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "override, warning",
    [
        ({"SECRET_KEY": None}, "security.W009"),
        ({"DEBUG": "1"}, "security.W018"),
        ({"SECURE_SSL_REDIRECT": "0"}, "security.W008"),
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"SECURE_COOKIES": "0"}, "security.W012"),
        ({"SITE_URL": None}, "claims.W001"),
        ({"READER_CLIENT_IP_HEADER": None}, "claims.W002"),
    ],
)
def test_check_deploy_fails_when_a_production_value_is_missing(override, warning):
    result = deploy_check(**production_environment(**override))
    assert result.returncode != 0
    assert warning in result.stderr


def test_with_debug_off_https_and_secure_cookies_are_the_default():
    s = security_settings(**production_environment())
    assert s["redirect"] is True
    assert s["hsts"] == 365 * 24 * 3600 and s["subdomains"] is True and s["preload"] is False
    assert s["session_secure"] is True and s["csrf_secure"] is True
    assert s["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_the_demo_runs_on_plain_http_with_static_files_from_source():
    s = security_settings(DEBUG="1")
    assert s["debug"] is True
    assert s["redirect"] is False and s["hsts"] == 0
    assert s["session_secure"] is False and s["csrf_secure"] is False
    assert s["static"] == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_the_suite_itself_is_not_redirected_to_https(client, db):
    response = client.get("/methodology/")
    assert response.status_code == 200


def test_a_plain_http_request_is_redirected_to_https_in_production(client, db, settings):
    from django.test import Client

    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/methodology/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/methodology/"


@pytest.mark.parametrize("path", ["/", "/admin/login/", "/api/v1/claims/", "/api/docs/"])
def test_every_kind_of_page_sends_the_security_headers(client, db, path):
    response = client.get(path, secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_session_and_csrf_cookies_are_secure(client, editor):
    login = client.get("/admin/login/", secure=True)
    assert login.cookies["csrftoken"]["secure"] is True
    response = client.post(
        "/admin/login/",
        {"username": editor.username, "password": "correct horse battery"},
        secure=True,
    )
    assert response.status_code == 302, response.content[:2000]
    assert response.cookies["sessionid"]["secure"] is True
    assert response.cookies["sessionid"]["httponly"] is True


def test_production_static_files_have_hashed_names_and_are_cached_for_ever(db, settings, tmp_path):
    """`collectstatic` as in production; pages then name each file by its content's hash and
    whitenoise serves it compressed, for browsers and CDNs to keep for ever."""
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", "--no-input", verbosity=0)
    cache.clear()

    client = Client()
    html = client.get("/methodology/").content.decode()
    stylesheet = re.search(r'href="(/static/site/site\.[0-9a-f]{12}\.css)"', html)
    assert stylesheet, html[:2000]

    response = client.get(stylesheet.group(1), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
    # The admin's files are collected and hashed too.
    admin = client.get("/admin/login/").content.decode()
    assert re.search(r"/static/admin/css/base\.[0-9a-f]{12}\.css", admin)


def test_gunicorn_runs_the_desk_with_workers_from_the_environment():
    result = run_in_project(
        ["-m", "gunicorn", "--print-config"],
        WEB_CONCURRENCY="5",
        GUNICORN_THREADS="2",
        GUNICORN_BIND="0.0.0.0:9000",
    )
    assert result.returncode == 0, result.stderr
    config = dict(
        (name.strip(), value.strip())
        for name, _, value in (line.partition("=") for line in result.stdout.splitlines())
    )
    assert config["wsgi_app"] == "newsroom.wsgi:application"
    assert config["workers"] == "5" and config["threads"] == "2"
    assert config["bind"] == "['0.0.0.0:9000']"
    check = run_in_project(["-m", "gunicorn", "--check-config"], **production_environment())
    assert check.returncode == 0, check.stderr


PRINT_SERVICES = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "from django.core.cache import cache; db = s.DATABASES['default']; "
    "cache.set('deploy-check', 'kept', 30); "
    "print(json.dumps({'conn_max_age': db['CONN_MAX_AGE'], "
    "'health_checks': db['CONN_HEALTH_CHECKS'], 'cache': s.CACHES['default']['BACKEND'], "
    "'kept': cache.get('deploy-check')}))"
)


def redis_answers(url="redis://127.0.0.1:6379/15"):
    import redis

    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def test_production_keeps_database_connections_and_shares_a_redis_cache():
    if not redis_answers():
        pytest.skip("needs a Redis server at 127.0.0.1:6379 (CI's machine has one)")
    result = run_in_project(
        ["-c", PRINT_SERVICES],
        **production_environment(REDIS_URL="redis://127.0.0.1:6379/15", CONN_MAX_AGE="300"),
    )
    assert result.returncode == 0, result.stderr
    services = json.loads(result.stdout)
    assert services["conn_max_age"] == 300 and services["health_checks"] is True
    # django-redis (tests/operations/test_cache_backend.py).
    assert services["cache"] == "django_redis.cache.RedisCache"
    assert services["kept"] == "kept"
