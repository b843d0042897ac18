"""gunicorn's settings for the claims desk in production (docs/deploy.md).

gunicorn reads this file from the directory it starts in: `gunicorn` alone, run in the
checkout, serves the desk. Every value can be set through the environment.
"""

import multiprocessing
import os

wsgi_app = "newsroom.wsgi:application"

# Where to listen. Behind a proxy on the same machine the default is right; with a load
# balancer on another machine, e.g. GUNICORN_BIND=0.0.0.0:8000.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:" + os.environ.get("PORT", "8000"))

# Worker processes: WEB_CONCURRENCY, or gunicorn's rule of thumb of two per core plus one.
# The app keeps nothing between requests, so each worker (and each machine) is the same.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
# Threads per worker: more than one lets a worker wait on the database for several
# requests; each thread keeps its own database connection (CONN_MAX_AGE).
threads = int(os.environ.get("GUNICORN_THREADS", "1"))

# A request that takes longer than this is stopped and its worker replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))

# Replace each worker after this many requests (spread out so they do not all restart at
# once), so that a slow leak in any library cannot grow for ever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max(1, max_requests // 10)

# The addresses of proxies whose X-Forwarded-* headers gunicorn trusts.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logs to standard output and error, for the service manager to keep.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Workers report that they are alive through a file; memory is faster than disk for it.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
