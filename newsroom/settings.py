"""Settings for the claims desk, read from the environment.

With nothing set, the desk runs on a SQLite file in the checkout (the demo). In production
every value below comes from the environment: DATABASE_URL, SECRET_KEY, DEBUG,
ALLOWED_HOSTS, REDIS_URL, TIME_ZONE (see README.md, "Configuration", and docs/deploy.md).

With DEBUG off the https and security-header settings default to production values
(https redirect, HSTS, secure cookies, hashed static files); the test suite switches the
redirect and the hashed static files off for itself (tests/conftest.py), so that it can
talk plain http to the test client and live server without running collectstatic.
"""

import os
from datetime import date, timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_date(name, default):
    value = os.environ.get(name) or default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a date (YYYY-MM-DD), not {value!r}.") from None


DEBUG = env_bool("DEBUG", default=False)

# A development key is used only when none is set; `manage.py check --deploy` flags it, and
# README.md says to set SECRET_KEY in production.
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-claims-desk-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

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
]

MIDDLEWARE = [
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
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # A write waits up to this many seconds for another connection's write lock
            # (SQLite's busy timeout) before the request gets a 503 (newsroom/outage.py).
            "timeout": float(os.environ.get("SQLITE_BUSY_TIMEOUT", "10")),
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
        "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
    )

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            # Django's Redis cache, reusing its client objects (newsroom/cache.py).
            "BACKEND": "newsroom.cache.ReusingRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "claimsdesk",
            # A cache that does not answer makes a request fail in seconds, not hang.
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_TIMEOUT", "2")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "2")),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# Times are stored in UTC and shown in the newsroom's time zone.
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Kyiv")
USE_I18N = True

STATIC_URL = "static/"
# Where `collectstatic` puts the files whitenoise serves.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Evidence files live under MEDIA_ROOT, each under a random name; nothing serves that folder
# directly. The app serves each file to those who may see it (claims/site/files.py); in
# production it hands the sending to the front server with X-Accel-Redirect to this internal
# prefix (docs/deploy.md, "The proxy in front"); empty, the app sends the bytes itself.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
EVIDENCE_FILES_ACCEL_REDIRECT = os.environ.get("EVIDENCE_FILES_ACCEL_REDIRECT", "")
# The largest evidence file the desk accepts, refused with a clear message above it; keep the
# front server's body limit (nginx client_max_body_size) a little above it.
EVIDENCE_MAX_UPLOAD_MB = int(os.environ.get("EVIDENCE_MAX_UPLOAD_MB", "200"))
# Evidence files are hashed as they arrive; keep big uploads on disk, not in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Production: https, security headers, static files (issue 6) -------------------------
# Each defaults to the production value when DEBUG is off and can be set through the
# environment (docs/deploy.md). `manage.py check --deploy --fail-level WARNING` passes with
# them (tests/test_deploy.py).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe /healthz over plain http on the internal network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a proxy that terminates TLS: the header it sets to "https" on secure requests,
# e.g. X-Forwarded-Proto. Only name a header the proxy always sets or overwrites.
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + os.environ["SECURE_PROXY_SSL_HEADER"].upper().replace("-", "_"),
        "https",
    )
# Strict-Transport-Security: a year by default. A first deployment may start lower (300)
# and raise it once https is known to work everywhere it should.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Asking browsers to preload HSTS for the domain is the domain owner's decision (and hard to
# undo), so it is off unless set; `check --deploy` is then told not to ask for it.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Other sites learn nothing of our addresses (drafts' admin paths included) from links.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp, newsroom/middleware.py): everything from this server;
# scripts only from files or with the response's nonce (no inline script, event handler or
# javascript: link runs); no plugins, no <base>, no framing. The desk's and the API's pages
# (the Django admin, DRF's browsable API, Swagger UI and Redoc use inline styles) also allow
# inline styles, which cannot run code; the reader site does not.
INSTALLED_APPS += ["csp"]
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
    },
}
if os.environ.get("CSP_REPORT_URI"):
    # Where browsers report what the policy blocked, e.g. a collector the newsroom runs.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = os.environ["CSP_REPORT_URI"]
CSP_INLINE_STYLE_PATHS = ("/admin/", "/api/")

# Static files are served by whitenoise. With DEBUG off they are collected (`collectstatic`)
# under hashed names, compressed, and cached by browsers and CDNs for ever; with DEBUG on
# (the demo) they are served from the source folders as they change.
STATIC_HASHED_NAMES = env_bool("STATIC_HASHED_NAMES", default=not DEBUG)
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"skip_database_outages": {"()": "newsroom.outage.SkipDatabaseOutages"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "errors": {"class": "logging.StreamHandler", "filters": ["skip_database_outages"]},
    },
    "loggers": {
        "claims": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
        # newsroom.outage: every request answered 503 because the database did not answer.
        "newsroom": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
        # Unhandled errors (500s, with their tracebacks) reach the server's log in production
        # too; Django's own console handler only writes them with DEBUG on. A database
        # outage is logged once per request by newsroom.outage instead, without a traceback.
        "django.request": {"handlers": ["errors"], "level": "ERROR", "propagate": False},
    },
}

# Four eyes: whoever wrote or edited something is never the one who publishes it. A desk with
# a single editor may switch that off for explainers only (never for verdicts or claims);
# every publication that uses the waiver is recorded in the audit trail.
DESK_FOUR_EYES = env_bool("DESK_FOUR_EYES", True)
# The desk's own settings.
DESK = {
    # The publishing organisation named in bylines and structured data.
    "ORGANISATION_NAME": os.environ.get("DESK_ORGANISATION_NAME", "The Claims Desk"),
    # The dashboard flags unconfirmed claims whose verdict is older than this many days.
    "STALE_UNCONFIRMED_DAYS": int(os.environ.get("DESK_STALE_UNCONFIRMED_DAYS", "14")),
    # The dates the desk accepts (claims/dates.py): from this day to this many days from
    # now; an explainer may be scheduled up to DESK_SCHEDULE_DAYS_AHEAD days ahead.
    "EARLIEST_DATE": env_date("DESK_EARLIEST_DATE", "1900-01-01"),
    "LATEST_DAYS_AHEAD": int(os.environ.get("DESK_LATEST_DAYS_AHEAD", "1")),
    "SCHEDULE_DAYS_AHEAD": int(os.environ.get("DESK_SCHEDULE_DAYS_AHEAD", "366")),
    # The licence the desk's published material is open under (the API's description, the
    # bulk downloads and their data dictionary).
    "DATA_LICENCE_NAME": os.environ.get("DESK_DATA_LICENCE_NAME", "CC BY 4.0"),
    "DATA_LICENCE_URL": os.environ.get(
        "DESK_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"
    ),
}

# Links the desk pastes without a scheme are taken as https (Django 6.0's default).
FORMS_URLFIELD_ASSUME_HTTPS = True

# --- The reader site (claims/site, issue 3) ------------------------------------------------
# The public address readers use (e.g. https://claims.example.org), for canonical links, feeds,
# the sitemap and structured data. Empty: the address the request came in on.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
TEMPLATES[0]["OPTIONS"]["context_processors"].append("claims.site.context_processors.reader_site")
# sitemap.xml is built by django.contrib.sitemaps, whose template needs the app installed.
INSTALLED_APPS += ["django.contrib.sitemaps"]
# Anonymous reader pages: kept in the cache (invalidated whenever the desk publishes,
# corrects or unpublishes anything) for at most READER_CACHE_SECONDS; browsers and a CDN in
# front may reuse a page for READER_BROWSER_MAX_AGE / READER_CDN_MAX_AGE seconds.
READER_CACHE_SECONDS = int(os.environ.get("READER_CACHE_SECONDS", "600"))
# Each worker also keeps the pages it served last in its own memory, up to this many MB
# (gzipped), still checked against the shared content version on every request.
READER_LOCAL_CACHE_MB = int(os.environ.get("READER_LOCAL_CACHE_MB", "32"))
# Search results (unbounded addresses) are kept by each worker alone, within this many MB
# apart from READER_LOCAL_CACHE_MB's pages; 0 keeps none.
READER_SEARCH_CACHE_MB = int(os.environ.get("READER_SEARCH_CACHE_MB", "8"))
# How long a worker trusts the content version it last read from the shared cache before
# reading it again (seconds; 0: on every request). A publish, correction or unpublish in one
# worker is seen at once there, and within this time by the others.
READER_VERSION_CHECK_SECONDS = float(os.environ.get("READER_VERSION_CHECK_SECONDS", "1"))
READER_BROWSER_MAX_AGE = int(os.environ.get("READER_BROWSER_MAX_AGE", "60"))
READER_CDN_MAX_AGE = int(os.environ.get("READER_CDN_MAX_AGE", "60"))
# A request whose X-Reader-Cache-Bypass header carries this token is rendered afresh and not
# stored: how the benchmark (docs/benchmarks.md) measures a page's real cost. Unset (the
# default, and production) means no request can bypass the cache.
READER_CACHE_BYPASS_TOKEN = os.environ.get("READER_CACHE_BYPASS_TOKEN", "")
# Reader claim submissions: how many one client may send per hour, and the request header
# holding the client's address when a trusted proxy sets it (e.g. HTTP_X_REAL_IP).
READER_SUBMISSIONS_PER_HOUR = int(os.environ.get("READER_SUBMISSIONS_PER_HOUR", "5"))
READER_CLIENT_IP_HEADER = os.environ.get("READER_CLIENT_IP_HEADER", "")

# --- The REST API (claims/api, issue 4) ----------------------------------------------------
INSTALLED_APPS += [
    "rest_framework.authtoken",  # API tokens, issued to consumers and desk tools in the admin
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc as static files: the docs work offline
]

# The API's own templates (the offline Redoc page).
TEMPLATES[0]["DIRS"].append(BASE_DIR / "claims" / "api" / "templates")

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
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Coordinates are JSON numbers, as in GeoJSON.
    "COERCE_DECIMAL_TO_STRING": False,
    "DEFAULT_PAGINATION_CLASS": "claims.api.pagination.DeskPagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "claims.api.throttling.AnonymousThrottle",
        "claims.api.throttling.UserThrottle",
    ],
    # Requests per client: anonymous by address, others per user ("N/second|minute|hour|day").
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "120/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "1200/minute"),
    },
    # Behind a reverse proxy, the number of proxies whose X-Forwarded-For entries to trust.
    "NUM_PROXIES": int(os.environ.get("API_NUM_PROXIES", "0")),
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

# --- Cross-origin reads (issue 20) -------------------------------------------------------
# Any web page may read what is public (claims/cors.py decides which requests, by path and
# method): the API's reads and schema, the feeds and the bulk downloads. Never a write, never
# with credentials.
INSTALLED_APPS += ["corsheaders"]
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

# --- Login protection and the security log (issue 6) -------------------------------------
# django-axes counts failed logins (the admin's and the browsable API's login forms): after
# LOGIN_FAILURE_LIMIT failures the username is locked out from that address for
# LOGIN_COOLOFF_MINUTES, with a page that says so (templates/registration/locked_out.html).
# Locking the username-and-address pair, not the username alone, keeps someone elsewhere
# from locking an editor out of the desk by guessing on their name.
INSTALLED_APPS += ["axes"]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last, as django-axes asks
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# The client's address as the reader site's rate limit sees it (READER_CLIENT_IP_HEADER).
AXES_CLIENT_IP_CALLABLE = "claims.security.client_address"
# API tokens are issued in the admin; there is no endpoint that trades a password for one.
# Guessing tokens is throttled instead: after this many unknown tokens from one address in
# an hour, its requests get a 429 until the hour is out (claims/api/authentication.py).
API_TOKEN_FAILURES_PER_HOUR = int(os.environ.get("API_TOKEN_FAILURES_PER_HOUR", "20"))
# Failed logins, lockouts and refused authorisations go to the `claims.security` logger
# (through the `claims` logger's handlers), whatever LOG_LEVEL says of the rest.
LOGGING["loggers"]["claims.security"] = {"level": "INFO"}

# --- History (django-simple-history, issue 6) ----------------------------------------------
# Past versions are shown, never restored: no "revert" button, and the admin refuses a POST to
# a past version (claims/admin/history.py). History rows are written only by saves.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_EDIT = False
