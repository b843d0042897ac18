"""Settings of the minimal baseline app: no database, no cache, no sessions, no templates.

Only what Django needs to answer a request, and the two middleware the issue names
(SecurityMiddleware and CommonMiddleware), configured as the desk configures them for a reader
behind a TLS-terminating proxy, so that both do the same work here as there.
"""

import os

SECRET_KEY = os.environ.get("SECRET_KEY", "bench-minimal-baseline")  # nosec B105 # nothing to sign
DEBUG = False
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
ROOT_URLCONF = "claims.devtools.bench.minimal.urls"
WSGI_APPLICATION = "claims.devtools.bench.minimal.wsgi.application"
INSTALLED_APPS = []
DATABASES = {}
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]
USE_TZ = True
# As the desk's production settings (newsroom/settings.py): the proxy says https.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_CONTENT_TYPE_NOSNIFF = True
LOGGING_CONFIG = None
