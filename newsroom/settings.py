"""Settings for the claims desk, read from the environment.

With nothing set, the desk runs on a SQLite file in the checkout (the demo). In production
every value below comes from the environment: DATABASE_URL, SECRET_KEY, DEBUG,
ALLOWED_HOSTS, REDIS_URL, TIME_ZONE (see README.md, "Configuration", and docs/deploy.md).
Each variable is read once, by environs: a value it cannot read (DEBUG=maybe, a
DATABASE_URL that is no database address, a number that is not one) stops the start-up
with an error that names the variable, never its value, which may hold a password.

With DEBUG off the https and security-header settings default to production values
(https redirect, HSTS, secure cookies, hashed static files); the test suite switches the
redirect and the hashed static files off for itself (tests/conftest.py), so that it can
talk plain http to the test client and live server without running collectstatic.
"""

from datetime import date, timedelta
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from environs import Env, validate

BASE_DIR = Path(__file__).resolve().parent.parent

env = Env()
# What DEBUG and the other switches accept; anything else is an error naming the variable.
switch_error = {"invalid": "must be a boolean: 1/0, true/false, yes/no or on/off"}


def env_bool(name, default):
    """A switch; unset or empty: `default`."""
    if not env.str(name, ""):
        return default
    return env.bool(name, error_messages=switch_error)


def env_list(name, default):
    """A comma-separated list, spaces around items dropped; unset or empty: `default`."""
    return [item for item in env.list(name, [], subcast=str.strip) if item] or default


DEBUG = env_bool("DEBUG", False)

# A development key is used only when none is set; `manage.py check --deploy` flags it, and
# README.md says to set SECRET_KEY in production.
SECRET_KEY = env.str("SECRET_KEY", "") or "django-insecure-claims-desk-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The demo desk and the benchmark (claims.devtools: `load_demo`, `seed_bench`, `bench_probe`)
# are for developers: installed with DEBUG on or when DESK_DEVTOOLS=1 asks (`make bench`, the
# test suite); a production wheel does not contain them at all.
DESK_DEVTOOLS = env_bool("DESK_DEVTOOLS", DEBUG)

INSTALLED_APPS = [
    "claims.apps.DeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "simple_history",
    "claims.apps.ClaimsConfig",
    # The Content-Security-Policy header (below).
    "csp",
    # sitemap.xml is built by django.contrib.sitemaps, whose template needs the app installed.
    "django.contrib.sitemaps",
    "rest_framework.authtoken",  # API tokens, issued to consumers and desk tools in the admin
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc as static files: the docs work offline
    # Failed logins counted and locked out (below).
    "axes",
    # Cross-origin reads of what is public (below, and claims/cors.py).
    "corsheaders",
    *(["claims.devtools"] if DESK_DEVTOOLS else []),
]

MIDDLEWARE = [
    # SITE_URL's host, however the Host header spells it, is one host from here on (one
    # kept page, not one per spelling): newsroom/middleware.py.
    "newsroom.middleware.one_spelling_of_the_public_host",
    "django.middleware.security.SecurityMiddleware",
    # Cross-origin reads of public material (claims/cors.py): before anything that answers.
    "corsheaders.middleware.CorsMiddleware",
    # Static files straight from the app server, with far-future caching of hashed names.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The Content-Security-Policy header (django-csp), stricter on the reader site.
    "newsroom.middleware.ContentSecurityPolicyMiddleware",
    # A request that failed because the database is away or stays busy is a 503 with
    # Retry-After, not a 500, whichever layer inside this one met it (newsroom/outage.py).
    "newsroom.outage.DatabaseOutageMiddleware",
    # A reader's request for a page the cache holds is answered here, before anything below
    # runs (claims/web/cache/middleware.py): no session, CSRF, user or history for a hit.
    "claims.web.cache.middleware.KeptPageMiddleware",
    # An answer that sets a cookie is private, whatever the view said: outside the session
    # and CSRF middleware, which set theirs on the way out.
    "newsroom.middleware.private_answers_that_set_cookies",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Answers to a desk session or an API token: private, never stored; all: Vary: Cookie.
    "newsroom.middleware.private_answers_to_credentials",
    # Makes the request's user the author of the history rows its saves write.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Refuses a locked-out login (django-axes, below); last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The project's templates, and the API's own (the offline Redoc page).
        "DIRS": [BASE_DIR / "templates", BASE_DIR / "claims" / "api" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "claims.site.context_processors.reader_site",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

DATABASES = {
    "default": env.dj_db_url(
        "DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env.int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # A write waits up to this many seconds for another connection's write lock
            # (SQLite's busy timeout) before the request gets a 503 (newsroom/outage.py).
            "timeout": env.float("SQLITE_BUSY_TIMEOUT", 10),
            # Every transaction takes the write lock as it begins (BEGIN IMMEDIATE), so it
            # waits its turn under the busy timeout. A transaction begun as a read that then
            # writes while another connection holds the lock fails at once, "database is
            # locked", since SQLite cannot make it wait without risking a deadlock.
            "transaction_mode": "IMMEDIATE",
            # Write-ahead logging: readers (every reader page) neither wait for a writer nor
            # hold one up. With WAL, synchronous=NORMAL cannot corrupt the database; a power
            # cut may lose the last commits, and each commit saves an fsync.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database server that does not answer fails the connection attempt in seconds (a 503,
    # newsroom/outage.py), rather than holding the worker until gunicorn's timeout kills it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", 5)
    )
    # Prepared statements: parameters bound by the server, and a query run five times on a
    # connection kept parsed and planned by PostgreSQL for the rest of its life (CONN_MAX_AGE),
    # instead of planned again on every request. The reader pages' queries carry the
    # visibility rules as nested EXISTS, which took PostgreSQL 1 to 2.5 ms each to plan on the
    # benchmark's large set: a quarter of a claim page's time (docs/benchmarks.md). Off
    # behind a pooler that cannot keep them (PgBouncer in transaction pooling before 1.21, or
    # without max_prepared_statements; docs/deploy.md).
    if env.bool("DATABASE_PREPARED_STATEMENTS", True):
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=5)

redis_url = env.str("REDIS_URL", "")
# A cache that does not answer makes a request fail in seconds, not hang.
redis_timeout = env.float("REDIS_TIMEOUT", 2)
CACHES = {
    "default": (
        {
            # django-redis: one Redis client per connection pool, where Django's own RedisCache
            # builds a new one for every operation (claims/devtools/redis_client_timing.py:
            # 40-100 µs an operation, a fifth of an anonymous API request served from the cache).
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "claimsdesk",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": redis_timeout, "SOCKET_TIMEOUT": redis_timeout},
        }
        if redis_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# Times are stored in UTC and shown in the newsroom's time zone.
USE_TZ = True
TIME_ZONE = env.str("TIME_ZONE", "Europe/Kyiv")
USE_I18N = True

STATIC_URL = "static/"
# Where `collectstatic` puts the files whitenoise serves.
STATIC_ROOT = env.path("STATIC_ROOT", BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]

# Evidence files live under MEDIA_ROOT, each under a random name; nothing serves that folder
# directly. The app serves each file to those who may see it (claims/site/files.py); in
# production it hands the sending to the front server with X-Accel-Redirect to this internal
# prefix (docs/deploy.md, "The proxy in front"); empty, the app sends the bytes itself.
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", BASE_DIR / "media")
EVIDENCE_FILES_ACCEL_REDIRECT = env.str("EVIDENCE_FILES_ACCEL_REDIRECT", "")
# The largest evidence file the desk accepts, refused with a clear message above it; keep the
# front server's body limit (nginx client_max_body_size) a little above it.
EVIDENCE_MAX_UPLOAD_MB = env.int("EVIDENCE_MAX_UPLOAD_MB", 200)
# The browser that takes the screenshot of an evidence page the desk archives (claims.archive);
# empty, or a path that is not there, and the desk keeps the WARC file alone.
EVIDENCE_ARCHIVE_CHROMIUM = env.str("EVIDENCE_ARCHIVE_CHROMIUM", "/usr/bin/chromium")
# Evidence files are hashed as they arrive; keep big uploads on disk, not in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Production: https, security headers, static files -------------------------------------
# Each defaults to the production value when DEBUG is off and can be set through the
# environment (docs/deploy.md). `manage.py check --deploy --fail-level WARNING` passes with
# them (tests/operations/test_deploy.py).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe /healthz, and the front cache /readyz, over plain http on the
# internal network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Behind a proxy that terminates TLS: the header it sets to "https" on secure requests,
# e.g. X-Forwarded-Proto. Only name a header the proxy always sets or overwrites. Unset: None,
# Django's default (no request is taken for https on a header's word).
proxy_ssl_header = env.str("SECURE_PROXY_SSL_HEADER", "")
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + proxy_ssl_header.upper().replace("-", "_"), "https") if proxy_ssl_header else None
)
# Strict-Transport-Security: a year by default. A first deployment may start lower (300)
# and raise it once https is known to work everywhere it should.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Asking browsers to preload HSTS for the domain is the domain owner's decision (and hard to
# undo), so it is off unless set; `check --deploy` is then told not to ask for it.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Other sites learn nothing of our addresses (drafts' admin paths included) from links.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp, newsroom/middleware.py): everything from this server;
# scripts only from files or with the response's nonce (no inline script, event handler or
# javascript: link runs); no plugins, no <base>, no framing. The desk's and the API's pages
# (the Django admin, DRF's browsable API, Swagger UI and Redoc use inline styles) also allow
# inline styles, which cannot run code; the reader site does not. CSP_REPORT_URI, when set:
# where browsers report what the policy blocked, e.g. a collector the newsroom runs (read
# into a lower-case name: django-csp takes a CSP_* setting for its old format).
csp_report_uri = env.str("CSP_REPORT_URI", "")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        **({"report-uri": csp_report_uri} if csp_report_uri else {}),
    },
}
CSP_INLINE_STYLE_PATHS = ("/admin/", "/api/")

# Static files are served by whitenoise. With DEBUG off they are collected (`collectstatic`)
# under hashed names, compressed, and cached by browsers and CDNs for ever; with DEBUG on
# (the demo) they are served from the source folders as they change.
STATIC_HASHED_NAMES = env_bool("STATIC_HASHED_NAMES", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_HASHED_NAMES
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Logs and error reports -------------------------------------------------------------------
# The desk's loggers write to standard error, for gunicorn and the service manager to keep.
# LOG_FORMAT=json (the default with DEBUG off) writes one JSON object a line (python-json-logger)
# with every field a log call passes in `extra`, e.g. the security log's `security_event` and
# `status_code`, for a log collector to filter on; text (the default with DEBUG on, the demo)
# writes plain lines for a person at a terminal.
LOG_LEVEL = env.log_level("LOG_LEVEL", "INFO")
LOG_FORMAT = env.str(
    "LOG_FORMAT", "text" if DEBUG else "json", validate=validate.OneOf(["json", "text"])
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            # "time": when it happened, in UTC, ISO 8601.
            "timestamp": "time",
        },
        "text": {"format": "%(levelname)s %(name)s: %(message)s"},
    },
    "filters": {"skip_database_outages": {"()": "newsroom.outage.SkipDatabaseOutages"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
        "errors": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["skip_database_outages"],
        },
    },
    "loggers": {
        "claims": {"handlers": ["console"], "level": LOG_LEVEL},
        # Failed logins, lockouts and refused authorisations (claims/security.py), through
        # the `claims` logger's handlers, whatever LOG_LEVEL says of the rest.
        "claims.security": {"level": "INFO"},
        # newsroom.outage: every request answered 503 because the database did not answer.
        "newsroom": {"handlers": ["console"], "level": LOG_LEVEL},
        # Unhandled errors (500s, with their tracebacks) reach the server's log in production
        # too; Django's own console handler only writes them with DEBUG on. A database
        # outage is logged once per request by newsroom.outage instead, without a traceback.
        "django.request": {"handlers": ["errors"], "level": "ERROR", "propagate": False},
    },
}

# Errors and their tracebacks also go to Sentry when SENTRY_DSN is set (unset: nothing is
# sent anywhere). Without personal data: no cookies, no user, no client address, no request
# body (send_default_pii off), and no values of the local variables in the traceback, which
# would carry session keys, form data and unpublished drafts; the event names the request's
# method and path and the code's lines. The address is kept in a lower-case name, out of the
# settings Django's error pages list.
sentry_dsn = env.str("SENTRY_DSN", "")
if sentry_dsn:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import ignore_logger

    sentry_sdk.init(
        dsn=sentry_dsn,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        environment=env.str("SENTRY_ENVIRONMENT", "production"),
        # Performance traces are off unless asked for (a share of requests, 0 to 1).
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", 0),
    )
    # The security log names usernames and client addresses: it stays in the server's log.
    ignore_logger("claims.security")

# --- The desk's rules -------------------------------------------------------------------------
# Four eyes: whoever wrote or edited something is never the one who publishes it. A desk with
# a single editor may switch that off for explainers only (never for verdicts or claims);
# every publication that uses the waiver is recorded in the audit trail.
DESK_FOUR_EYES = env_bool("DESK_FOUR_EYES", True)
# The desk's own settings.
DESK = {
    # The publishing organisation named in bylines and structured data.
    "ORGANISATION_NAME": env.str("DESK_ORGANISATION_NAME", "The Claims Desk"),
    # The dashboard flags unconfirmed claims whose verdict is older than this many days.
    "STALE_UNCONFIRMED_DAYS": env.int("DESK_STALE_UNCONFIRMED_DAYS", 14),
    # The dates the desk accepts (claims/dates.py): from this day to this many days from
    # now; an explainer may be scheduled up to DESK_SCHEDULE_DAYS_AHEAD days ahead.
    "EARLIEST_DATE": env.date(
        "DESK_EARLIEST_DATE",
        date(1900, 1, 1),
        error_messages={"invalid": "must be a date (YYYY-MM-DD)"},
    ),
    "LATEST_DAYS_AHEAD": env.int("DESK_LATEST_DAYS_AHEAD", 1),
    "SCHEDULE_DAYS_AHEAD": env.int("DESK_SCHEDULE_DAYS_AHEAD", 366),
    # The licence the desk's published material is open under (the API's description, the
    # bulk downloads and their data dictionary).
    "DATA_LICENCE_NAME": env.str("DESK_DATA_LICENCE_NAME", "") or "CC BY 4.0",
    "DATA_LICENCE_URL": env.str("DESK_DATA_LICENCE_URL", "")
    or "https://creativecommons.org/licenses/by/4.0/",
}

# Links the desk pastes without a scheme are taken as https (Django 6.0's default).
FORMS_URLFIELD_ASSUME_HTTPS = True

# --- The reader site (claims/site) -----------------------------------------------------------
# The public address readers use (e.g. https://claims.example.org), for canonical links, feeds,
# the sitemap and structured data. Empty: the address the request came in on.
SITE_URL = env.str("SITE_URL", "").rstrip("/")
# Anonymous reader pages: kept in the cache (invalidated whenever the desk publishes,
# corrects or unpublishes anything) for at most READER_CACHE_SECONDS; browsers and a CDN in
# front may reuse a page for READER_BROWSER_MAX_AGE / READER_CDN_MAX_AGE seconds.
READER_CACHE_SECONDS = env.int("READER_CACHE_SECONDS", 600)
# Each worker also keeps the pages it served last in its own memory, up to this many MB
# (gzipped), still checked against the shared content version on every request.
READER_LOCAL_CACHE_MB = env.int("READER_LOCAL_CACHE_MB", 32)
# Search results (unbounded addresses) are kept by each worker alone, within this many MB
# apart from READER_LOCAL_CACHE_MB's pages; 0 keeps none.
READER_SEARCH_CACHE_MB = env.int("READER_SEARCH_CACHE_MB", 8)
# How many pages not kept one client (READER_CLIENT_IP_HEADER, else its address) may have
# rendered for it a minute; past that it is answered 429 with Retry-After until the minute
# is out, while kept pages are still served to it. Every address a search can be, pages past
# a list's last: an outsider can ask for addresses nothing keeps without end, each a render.
# 0: no limit.
READER_RENDERS_PER_MINUTE = env.int("READER_RENDERS_PER_MINUTE", 60)
# How long a worker trusts the content version it last read from the shared cache before
# reading it again (seconds; 0: on every request). A publish, correction or unpublish in one
# worker is seen at once there, and within this time by the others.
READER_VERSION_CHECK_SECONDS = env.float("READER_VERSION_CHECK_SECONDS", 1)
# While one worker renders a page just purged, the others answer its readers with the copy
# they hold, for at most this many seconds after the purge (claims/web/cache/store.py,
# `stale_copy`); past that they render it too. 0: every worker renders what it needs.
READER_STALE_SECONDS = env.float("READER_STALE_SECONDS", 1)
# A worker with no copy it may serve waits at most this long for another worker's render of
# the same page before it renders the page too (claims/web/cache/decorators.py,
# `rendered_elsewhere`). 0: it renders at once.
READER_RENDER_WAIT_SECONDS = env.float("READER_RENDER_WAIT_SECONDS", 1)
# The whole ClaimReview file (/api/v1/claimreviews.jsonld) is put together from items kept in
# the shared cache; a request builds the items not kept for at most this many seconds, then
# answers 503 with Retry-After, keeping what it built (claims/api/views/feed.py). Below the
# app server's timeout (gunicorn's 30 s). `manage.py prepare_claimreview_file` builds them all.
CLAIMREVIEW_FILE_BUILD_SECONDS = env.float("CLAIMREVIEW_FILE_BUILD_SECONDS", 15)
READER_BROWSER_MAX_AGE = env.int("READER_BROWSER_MAX_AGE", 60)
READER_CDN_MAX_AGE = env.int("READER_CDN_MAX_AGE", 60)
# Surrogate keys (claims/web/cache/keys.py): the response header naming what each kept page
# shows, for a front cache that purges by key: `xkey` (Varnish with varnish-modules, the
# VCL in docs/varnish/), `Surrogate-Key` (Fastly), `Cache-Tag` (Cloudflare). The front cache
# keeps a page READER_FRONT_MAX_AGE seconds (Surrogate-Control), unless purged sooner; and
# the desk purges what each change touches, in the background, at every address in
# FRONT_CACHE_PURGE_URLS (comma-separated, e.g. http://varnish1.internal:6081/;
# claims/web/cache/front.py, docs/deploy.md "Front cache: Varnish"). Empty: nothing is
# purged, and nothing is sent.
SURROGATE_KEY_HEADER = env.str("SURROGATE_KEY_HEADER", "") or "xkey"
READER_FRONT_MAX_AGE = env.int("READER_FRONT_MAX_AGE", 3600)
front_cache_purge_urls = env.str(
    "FRONT_CACHE_PURGE_URLS",
    "",
    validate=validate.Regexp(
        r"^\s*(https?://[^,\s]+\s*(,\s*|$))*$",
        error="comma-separated addresses, each starting with http:// or https://",
    ),
)
FRONT_CACHE_PURGE_URLS = [url.strip() for url in front_cache_purge_urls.split(",") if url.strip()]
# Count kept pages served and pages rendered, in the shared cache (claims/web/cache/stats.py):
# for the benchmark.
READER_CACHE_STATS = env.bool("READER_CACHE_STATS", False)
# A request whose X-Reader-Cache-Bypass header carries this token is rendered afresh and not
# stored: how the benchmark (docs/benchmarks.md) measures a page's real cost. Unset (the
# default, and production) means no request can bypass the cache.
READER_CACHE_BYPASS_TOKEN = env.str("READER_CACHE_BYPASS_TOKEN", "")
# Reader claim submissions: how many one client may send per hour; and the request header
# holding the client's address when a trusted proxy sets it (e.g. HTTP_X_REAL_IP), which every
# rate limit counts clients by (claims.web.ratelimit).
READER_SUBMISSIONS_PER_HOUR = env.int("READER_SUBMISSIONS_PER_HOUR", 5)
READER_CLIENT_IP_HEADER = env.str("READER_CLIENT_IP_HEADER", "")

# --- The REST API (claims/api) -----------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so that a request without credentials that needs them gets a 401 with
    # WWW-Authenticate; sessions (with CSRF) serve the browsable API to logged-in desk staff.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "claims.api.authentication.DeskTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["claims.api.permissions.DeskModelPermissions"],
    # Bodies are JSON: nested lists (aliases, a place's names, an explainer's claims) and
    # booleans mean one thing only.
    # JSON, without lone surrogates (claims/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["claims.api.parsers.DeskJSONParser"],
    # Coordinates are JSON numbers, as in GeoJSON.
    "COERCE_DECIMAL_TO_STRING": False,
    "DEFAULT_PAGINATION_CLASS": "claims.api.pagination.DeskPagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "claims.api.throttling.AnonymousThrottle",
        "claims.api.throttling.UserThrottle",
    ],
    # Requests per client: anonymous by address, others per user ("N/second|minute|hour|day").
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", "120/minute"),
        "user": env.str("API_THROTTLE_USER", "1200/minute"),
    },
    "EXCEPTION_HANDLER": "claims.api.exceptions.api_exception_handler",
    # Errors are problem details: a client accepting only application/problem+json is served.
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "claims.api.exceptions.ProblemAwareNegotiation",
    "DEFAULT_SCHEMA_CLASS": "claims.api.schema.DeskAutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Claims desk API",
    "DESCRIPTION": (
        "Claims about the war in eastern Ukraine, their verifications and evidence, and the "
        "explainers that put them in context. Published material is open to everyone without "
        "credentials; desk staff authenticate with a token (`Authorization: Token …`, issued "
        "in the admin) or their admin session, see drafts, and run the verification and "
        "explainer workflow. Errors are RFC 9457 problem details (`application/problem+json`): "
        "`{type, title, status, code, detail, errors?}`."
    ),
    "VERSION": "1",
    "LICENSE": {"name": DESK["DATA_LICENCE_NAME"], "url": DESK["DATA_LICENCE_URL"]},
    # This server (or SITE_URL): the paths start with /api/.
    "SERVERS": [{"url": SITE_URL or "/", "description": "The claims desk"}],
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Separate request and response components: ids are written, objects are read.
    "COMPONENT_SPLIT_REQUEST": True,
    # The docs pages load everything from this server: Swagger UI and Redoc from the sidecar
    # package's static files, no web fonts (claims/api/templates), no online validator.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    # One name for each choice set, wherever fields use it.
    "ENUM_NAME_OVERRIDES": {
        "VerdictEnum": "claims.verdicts.Verdict",
        "DimensionVerdictEnum": "claims.verdicts.DimensionVerdict",
        "AuthenticityEnum": "claims.verdicts.Authenticity",
        "SourceKindEnum": "claims.models.sources.SourceKind",
        "AffiliationEnum": "claims.models.sources.SourceAffiliation",
        "PlaceKindEnum": "claims.models.places.Place.Kind",
        "EvidenceKindEnum": "claims.models.verifications.EvidenceKind",
        "CorrectionKindEnum": "claims.models.explainers.CorrectionKind",
        "VerificationStatusEnum": "claims.models.verifications.VerificationStatus",
        "ExplainerStatusEnum": "claims.models.explainers.ExplainerStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "claims.api.schema.desk_only_fields_not_required",
        "claims.api.schema.empty_filters_allowed",
        "claims.api.schema.null_as_a_choice",
        "claims.api.schema.unused_components_dropped",
    ],
}

# --- Cross-origin reads ---------------------------------------------------------------------
# Any web page may read what is public (claims/cors.py decides which requests, by path and
# method): the API's reads and schema, the feeds and the bulk downloads. Never a write, never
# with credentials.
CORS_URLS_REGEX = r"(?!)"  # nothing by path alone: claims.cors.public_read decides
CORS_PUBLIC_PATHS = r"^/(api/(?!v1/auth/)|feeds/|downloads/)"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
# What a preflight may ask to send: content negotiation and revalidation, not Authorization.
CORS_ALLOW_HEADERS = ["accept", "accept-language", "if-none-match", "if-modified-since"]
# Response headers a page may read besides the CORS-safelisted ones (Last-Modified is one).
CORS_EXPOSE_HEADERS = ["ETag", "Link", "Retry-After", "Content-Disposition"]
CORS_PREFLIGHT_MAX_AGE = 86400

# --- Login protection and the security log ------------------------------------------------
# django-axes counts failed logins (the admin's and the browsable API's login forms): after
# LOGIN_FAILURE_LIMIT failures the username is locked out from that address for
# LOGIN_COOLOFF_MINUTES, with a page that says so (templates/registration/locked_out.html).
# Locking the username-and-address pair, not the username alone, keeps someone elsewhere
# from locking an editor out of the desk by guessing on their name.
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# The client's address as every rate limit sees it (READER_CLIENT_IP_HEADER).
AXES_CLIENT_IP_CALLABLE = "claims.web.ratelimit.client_address"
# API tokens are issued in the admin; there is no endpoint that trades a password for one.
# Guessing tokens is throttled instead: after this many unknown tokens from one address in
# an hour, its requests get a 429 until the hour is out (claims/api/authentication.py).
API_TOKEN_FAILURES_PER_HOUR = env.int("API_TOKEN_FAILURES_PER_HOUR", 20)

# --- History (django-simple-history) --------------------------------------------------------
# Past versions are shown, never restored: no "revert" button, and the admin refuses a POST to
# a past version (claims/admin/history.py). History rows are written only by saves.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_EDIT = False

# --- E-mail: the desk's notifications (claims/notifications.py) -----------------------------
# With DEBUG on (the demo) mail is printed to the console; otherwise it goes to EMAIL_HOST.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", "") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env.str("EMAIL_HOST", "") or "localhost"
EMAIL_PORT = env.int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A mail server that does not answer gives up after this many seconds (mail is sent in the
# background, so a step is never held up by it).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "") or "Claims desk <desk@localhost>"
