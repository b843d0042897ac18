"""The minimal baseline app for gunicorn: `gunicorn -c gunicorn.conf.py
claims.devtools.bench.minimal.wsgi:application` (the argument overrides the file's wsgi_app)."""

import os

from django.core.wsgi import get_wsgi_application

# Set, not defaulted: the benchmark's environment names the desk's settings for the desk.
os.environ["DJANGO_SETTINGS_MODULE"] = "claims.devtools.bench.minimal.settings"
application = get_wsgi_application()
