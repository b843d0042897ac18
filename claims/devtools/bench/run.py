"""`make bench`: seed two PostgreSQL databases, run the production stack on each, drive it
with wrk, and write docs/benchmarks.md.

Run as `python -m claims.devtools.bench.run` from the checkout (the Makefile does). Everything
is set from the environment (defaults in brackets):

  BENCH_PG_URL        PostgreSQL server, no database name [postgres://postgres@127.0.0.1:5432]
  BENCH_REDIS_URL     Redis database for the first data set's cache, the next number for the
                      next [redis://127.0.0.1:6379/7]
  BENCH_SIZES         data sets to run, in order [small large]
  BENCH_RESEED        1: drop and seed the databases again even if their seed is current [0]
  BENCH_DURATION      seconds of measured load per endpoint [10]
  BENCH_WARMUP        seconds of unmeasured load before each measurement [3]
  BENCH_CONNECTIONS   concurrent connections [16]
  BENCH_THREADS       wrk threads [2]
  BENCH_WORKERS       gunicorn workers [one per core, `nproc`]
  BENCH_PORT          the first data set's gunicorn port on 127.0.0.1, the next for the next,
                      then the minimal baseline app's, then the newsroom day's Varnish [8100]
  BENCH_OUTPUT        the report [docs/benchmarks.md]; "-" prints it only
  BENCH_ONLY          comma-separated endpoint names (substrings) to run, for profiling []
  BENCH_DAY           0 skips the newsroom day; with BENCH_ONLY it runs only if 1 [1]
  BENCH_DAY_DURATION  seconds of reader load in each of the newsroom day's four phases [60]
  BENCH_VARNISH_VCL   the front cache's VCL for the newsroom day [docs/varnish/claimsdesk.vcl]

The newsroom day (claims/devtools/bench/day.py) runs on a copy of the largest set's
database, claimsdesk_bench_<size>_day, dropped afterwards, as the desk's publishes change it.
The databases are claimsdesk_bench_<size>; a database is reused when its comment says it was
seeded by the current seed version for that size. The exit status is non-zero if any request
failed (socket error, timeout, or a status other than 2xx/3xx) or the stack did not start.
"""

import json
import os
import platform
import re
import secrets
import select
import shutil
import signal
import subprocess  # nosec B404 # runs fixed commands: psql, gunicorn, wrk
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime
from http.client import HTTPConnection
from pathlib import Path

from claims.devtools.bench import (
    BENCH_EDITOR,
    BENCH_EDITOR_PASSWORD,
    NOTHING_KEPT,
    ONE_CLAIM_CHANGED,
    SEED_VERSION,
    day,
    seed_marker,
)

ROOT = Path(__file__).resolve().parents[3]
PYTHON = sys.executable

# wrk's own summary, as one line of JSON. No `response` callback: with one, wrk keeps every
# response's headers and body and copies them into Lua, work in proportion to the page's size
# done by the load generator on the same cores as the server (the 24 kB cached explainer
# went from about 2,400 to 2,800 requests a second without it; /healthz stayed where it
# was). wrk counts statuses of 400 and above as errors; each endpoint is checked to answer
# 200 right before and right after its run.
LUA_REPORT = r"""
function done(summary, latency, requests)
  io.write("BENCH-JSON ")
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d,' ..
    '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout))
end
"""

MINIMAL = "baseline: minimal Django app"
CACHED_EXPLAINER = "explainer, 50 claims (cached)"
HEALTHZ = "/healthz (the desk's whole middleware stack)"

# The desk's speed targets (docs/benchmarks.md), checked on the large set: (row, the row its
# rate is divided by, minimum). A page the desk keeps is held to the minimal Django app (what
# gunicorn and Django cost with nothing of the desk); a page rendered afresh to /healthz (the
# desk's own stack), as issue 19 states its render-cost targets, so that neither target moves
# when the other baseline does.
RATIO_TARGETS = [
    (CACHED_EXPLAINER, MINIMAL, 0.8),
    # Checked both as after a verdict on one claim the page shows (what a publish costs) and
    # with nothing kept (a worker's first render), endpoints.rendered_afresh.
    *(
        (f"{name} (cache bypassed, {case})", HEALTHZ, minimum)
        for name, minimum in (
            ("explainer, 50 claims", 0.02),
            ("claim page", 0.08),
            ("API claims, verdict+place, 50/page", 0.02),
            ("API ClaimReview feed", 0.06),
        )
        for case in (ONE_CLAIM_CHANGED, NOTHING_KEPT)
    ),
    # The targets from before issue 19, against /healthz as they were set.
    ("place page (cache bypassed)", HEALTHZ, 0.3),
    ("source page (cache bypassed)", HEALTHZ, 0.3),
    # As polling consumers get them (from the reader cache).
    ("API claims, verdict+place, 50/page (cached)", HEALTHZ, 0.25),
    ("API ClaimReview feed (cached)", HEALTHZ, 0.25),
    # As readers get a popular search (kept by each worker), and rendered afresh.
    ("search 'drone' (cached)", HEALTHZ, 0.15),
    ("search 'drone' (cache bypassed)", HEALTHZ, 0.15),
]
P95_TARGETS = [
    ("search 'drone' (cached)", 50.0),
    ("search 'drone' (cache bypassed)", 50.0),
    ("admin claim changelist (editor)", 300.0),
]
GROWTH_LIMIT = 1.3


def env(name, default):
    return os.environ.get(name) or default


def say(text=""):
    print(text, flush=True)


class Config:
    def __init__(self):
        self.pg = env("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
        self.redis = env("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
        self.sizes = env("BENCH_SIZES", "small large").split()
        self.reseed = env("BENCH_RESEED", "0") == "1"
        self.duration = int(env("BENCH_DURATION", "10"))
        self.warmup = int(env("BENCH_WARMUP", "3"))
        self.connections = int(env("BENCH_CONNECTIONS", "16"))
        self.threads = int(env("BENCH_THREADS", "2"))
        self.workers = int(env("BENCH_WORKERS", str(os.cpu_count() or 1)))
        self.port = int(env("BENCH_PORT", "8100"))
        self.output = env("BENCH_OUTPUT", str(ROOT / "docs" / "benchmarks.md"))
        self.only = [s.strip() for s in env("BENCH_ONLY", "").split(",") if s.strip()]
        self.token = secrets.token_urlsafe(24)
        # The newsroom day runs by default, but not with BENCH_ONLY unless BENCH_DAY=1 says so.
        day_asked = os.environ.get("BENCH_DAY")
        self.day = day_asked == "1" if day_asked is not None else not self.only
        self.day_duration = int(env("BENCH_DAY_DURATION", "60"))
        self.vcl = Path(env("BENCH_VARNISH_VCL", str(ROOT / "docs" / "varnish" / "claimsdesk.vcl")))

    def database_url(self, size):
        return f"{self.pg}/claimsdesk_bench_{size}"

    def port_for(self, size):
        """Each data set has its own server, on BENCH_PORT, BENCH_PORT + 1, ..."""
        return self.port + self.sizes.index(size)

    @property
    def minimal_port(self):
        """The minimal baseline app's server: the port after the data sets'."""
        return self.port + len(self.sizes)

    @property
    def varnish_port(self):
        return self.port + len(self.sizes) + 1

    def redis_for(self, size):
        """Each data set has its own Redis database: BENCH_REDIS_URL's, the next one, ..."""
        base, _, number = self.redis.rpartition("/")
        return f"{base}/{int(number or 0) + self.sizes.index(size)}"

    def django_env(self, size):
        """The production settings, as docs/deploy.md gives them, for loopback http."""
        return {
            **os.environ,
            "DEBUG": "0",
            # The benchmark's own commands (seed_bench, bench_probe) are developer tools.
            "DESK_DEVTOOLS": "1",
            "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": self.database_url(size),
            "REDIS_URL": self.redis_for(size),
            # wrk speaks plain http to gunicorn, as a TLS-terminating proxy would, and says
            # the original request was https, as that proxy would.
            "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
            "READER_CACHE_BYPASS_TOKEN": self.token,
            # One client address makes all the load: the API's per-address limit would
            # otherwise answer 429 within a second. The throttle still runs on every request.
            "API_THROTTLE_ANON": "1000000/second",
            "API_THROTTLE_USER": "1000000/second",
            # Likewise the reader site's renders a client may have a minute (the newsroom day's
            # readers render what each publish changed, all from this one address).
            "READER_RENDERS_PER_MINUTE": "0",
            "WEB_CONCURRENCY": str(self.workers),
            "GUNICORN_BIND": f"127.0.0.1:{self.port_for(size)}",
            # No recycling of workers within a ten-second run: it would measure restarts.
            "GUNICORN_MAX_REQUESTS": "0",
            "LOG_LEVEL": "WARNING",
        }


def run(cmd, *, environ=None, capture=False, check=True):
    result = subprocess.run(  # nosec B603 # argument lists built here, no shell
        cmd,
        cwd=ROOT,
        env=environ,
        text=True,
        check=False,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.PIPE if capture else None,
    )
    if check and result.returncode != 0:
        if capture:
            sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"bench: failed: {' '.join(cmd)}")
    return result


def psql(config, sql, database="postgres"):
    url = f"{config.pg}/{database}"
    result = run(["psql", url, "-Atc", sql], capture=True, check=False)
    return result.stdout.strip() if result.returncode == 0 else None


def ensure_wrk():
    if shutil.which("wrk"):
        return
    say("wrk is not installed: installing the Debian package with apt-get")
    run(["apt-get", "install", "-y", "wrk"])
    if not shutil.which("wrk"):
        raise SystemExit("bench: wrk could not be installed")


def prepare_database(config, size):
    """Create, migrate and seed claimsdesk_bench_<size>, unless a current seed is there."""
    name = f"claimsdesk_bench_{size}"
    environ = config.django_env(size)
    # "=<comment>" for an existing database (empty comment if none), "" for none at all.
    found = psql(
        config,
        "SELECT '=' || coalesce(shobj_description(oid, 'pg_database'), '') "  # nosec B608 # name: claimsdesk_bench_small/large
        f"FROM pg_database WHERE datname = '{name}'",
    )
    if found is None:
        raise SystemExit(f"bench: cannot reach PostgreSQL at {config.pg}")
    comment = found[1:] if found else None
    seed_seconds = None
    if comment == seed_marker(size) and not config.reseed:
        say(f"== {name}: seeded by seed version {SEED_VERSION}, reused (BENCH_RESEED=1 reseeds)")
        run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], environ=environ)
    else:
        if comment is None:
            say(f"== {name}: creating and seeding it")
        elif config.reseed:
            say(f"== {name}: BENCH_RESEED=1, dropping and seeding it again")
        elif comment:
            say(f"== {name}: {comment!r} is not the current seed; dropping it")
        else:
            say(f"== {name}: exists but was never seeded completely; dropping it")
        maintenance = f"--maintenance-db={config.pg}/postgres"
        run(["dropdb", "--if-exists", "--force", maintenance, name])
        run(["createdb", maintenance, name])
        run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], environ=environ)
        started = time.monotonic()
        run([PYTHON, "manage.py", "seed_bench", "--size", size], environ=environ)
        seed_seconds = time.monotonic() - started
    counts = psql(
        config,
        "SELECT (SELECT count(*) FROM claims_claim), (SELECT count(*) FROM claims_verification),"
        " (SELECT count(*) FROM claims_evidence), (SELECT count(*) FROM claims_explainer),"
        " pg_size_pretty(pg_database_size(current_database()))",
        database=name,
    )
    return seed_seconds, counts


def empty_caches(config):
    """Empty each data set's Redis database: every run starts from an empty cache, and none
    reads what an earlier version of the code wrote there in another format."""
    import redis

    for size in config.sizes:
        redis.Redis.from_url(config.redis_for(size)).flushdb()


class Server:
    """gunicorn with the checkout's gunicorn.conf.py, as in production; `app` replaces the
    file's wsgi_app (the minimal baseline app), `extra` adds to the environment."""

    def __init__(self, config, size, *, app=None, port=None, extra=None, health="/healthz"):
        self.config = config
        self.port = port or config.port_for(size)
        self.environ = {**config.django_env(size), "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        self.environ.update(extra or {})
        self.app = [app] if app else []
        self.health = health
        self.log = tempfile.NamedTemporaryFile("w+", prefix="bench-gunicorn-", suffix=".log")
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(  # nosec B603 # our gunicorn, our config, no shell
            [str(Path(PYTHON).parent / "gunicorn"), "-c", "gunicorn.conf.py", *self.app],
            cwd=ROOT,
            env=self.environ,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                status, _, _ = request(self.port, self.health)
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.__exit__()
        self.log.seek(0)
        sys.stderr.write(self.log.read())
        raise SystemExit("bench: gunicorn did not start")

    def worker_pids(self):
        out = run(["pgrep", "-P", str(self.process.pid)], capture=True, check=False).stdout
        return [int(pid) for pid in out.split()]

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return False


def request(port, path, *, method="GET", headers=None, body=None):
    connection = HTTPConnection("127.0.0.1", port, timeout=60)
    all_headers = {"Host": f"127.0.0.1:{port}", "X-Forwarded-Proto": "https"}
    all_headers.update(headers or {})
    connection.request(method, path, body=body, headers=all_headers)
    response = connection.getresponse()
    data = response.read()
    result = (response.status, response.getheaders(), data)
    connection.close()
    return result


def cookies_of(headers):
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _, val = pair.partition("=")
            jar[key.strip()] = val.strip()
    return jar


def editor_cookie(port):
    """Log in to the admin as the benchmark's editor over http; the Cookie header to send."""
    status, headers, body = request(port, "/admin/login/")
    jar = cookies_of(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "username": BENCH_EDITOR,
            "password": BENCH_EDITOR_PASSWORD,
            "next": "/admin/",
        }
    )
    status, headers, body = request(
        port,
        "/admin/login/",
        method="POST",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
            "Origin": f"https://127.0.0.1:{port}",
            "Referer": f"https://127.0.0.1:{port}/admin/login/",
        },
    )
    jar.update(cookies_of(headers))
    if status != 302 or "sessionid" not in jar:
        raise SystemExit(f"bench: could not log in as {BENCH_EDITOR} (HTTP {status})")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


# What every browser sends, and so every request in the benchmark: the reader cache keeps
# pages gzipped and sends them as they are to clients that accept gzip (claims/web/cache/).
ACCEPT_ENCODING = "gzip, deflate, br"


def wrk(config, port, path, headers, seconds, script):
    cmd = [
        "wrk",
        "-t",
        str(config.threads),
        "-c",
        str(config.connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        script,
        "-H",
        "X-Forwarded-Proto: https",
        "-H",
        f"Accept-Encoding: {ACCEPT_ENCODING}",
    ]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    cmd.append(f"http://127.0.0.1:{port}{path}")
    out = run(cmd, capture=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("BENCH-JSON "))
    data = json.loads(line[len("BENCH-JSON ") :])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    data["errors"] = (
        data["connect"] + data["read"] + data["write"] + data["status"] + data["timeout"]
    )
    if data["requests"] == 0:
        data["errors"] += 1  # not one request answered in the whole run
    return data


def probe(config, size):
    say(f"== {size}: probing endpoints (queries per request)")
    found = json.loads(
        run(
            [PYTHON, "manage.py", "bench_probe"], environ=config.django_env(size), capture=True
        ).stdout
    )
    if config.only:
        found = [
            e
            for e in found
            # /healthz is every ratio's baseline; the cached explainer is what the minimal
            # app sends and what the newsroom day measures through Varnish.
            if e["path"] == "/healthz"
            or e["name"] == CACHED_EXPLAINER
            or any(o in e["name"] for o in config.only)
        ]
    for endpoint in found:
        if endpoint["status"] != 200:
            raise SystemExit(
                f"bench: {endpoint['path']} answered {endpoint['status']} to "
                "the test client, not 200"
            )
    return found


def kept_explainer(port, path):
    """The gzipped bytes the desk sends a reader for its cached explainer, or None."""
    for _ in range(2):  # the first request may render and store it; the second is a hit
        status, headers, body = request(port, path, headers={"Accept-Encoding": ACCEPT_ENCODING})
    if status == 200 and dict((k.lower(), v) for k, v in headers).get("content-encoding") == "gzip":
        return body
    return None


def start_minimal(config, stack, servers, probes):
    """The minimal baseline app under the same gunicorn.conf.py and worker count, on its own
    port, sending the bytes the last data set's server sent for its cached explainer."""
    size = config.sizes[-1]
    explainer = next(e for e in probes[size] if e["name"] == CACHED_EXPLAINER)
    body = kept_explainer(servers[size].port, explainer["path"])
    extra = {}
    if body is not None:
        kept = stack.enter_context(tempfile.NamedTemporaryFile(prefix="bench-minimal-"))
        kept.write(body)
        kept.flush()
        extra["BENCH_MINIMAL_BODY"] = kept.name
    server = stack.enter_context(
        Server(
            config,
            size,
            app="claims.devtools.bench.minimal.wsgi:application",
            port=config.minimal_port,
            extra=extra,
            health="/",
        )
    )
    _, _, sent = request(server.port, "/", headers={"Accept-Encoding": ACCEPT_ENCODING})
    say(
        f"== minimal baseline app up on port {server.port}, {len(server.worker_pids())} workers,"
        f" sending {len(sent):,} bytes gzipped"
        + (f" (the {size} set's cached explainer)" if body is not None else " (generated)")
    )
    return server, len(sent)


def bench_all(config, script):
    """{size: results}. Both data sets' servers run side by side, and each endpoint is
    measured on one and then at once on the other, so that the two sizes are compared under
    the same conditions on a machine whose load changes (only one is under load at a time).
    The minimal baseline app runs alongside them and is measured first, once for each set."""
    probes = {size: probe(config, size) for size in config.sizes}
    results = {size: [] for size in config.sizes}
    with ExitStack() as servers_stack:
        servers = {}
        for size in config.sizes:
            servers[size] = servers_stack.enter_context(Server(config, size))
            say(
                f"== {size}: gunicorn up, {len(servers[size].worker_pids())} workers on port "
                f"{servers[size].port}"
            )
        minimal, minimal_bytes = start_minimal(config, servers_stack, servers, probes)
        for size in config.sizes:
            probes[size].insert(
                0,
                {
                    "name": MINIMAL,
                    "path": "/",
                    "mode": "minimal",
                    "headers": {},
                    "queries": 0,
                    "status": 200,
                    "bytes": minimal_bytes,
                },
            )
        cookies = {}
        for index in range(len(probes[config.sizes[0]])):
            for size in config.sizes:
                endpoint = probes[size][index]
                port = minimal.port if endpoint["mode"] == "minimal" else servers[size].port
                headers = dict(endpoint["headers"])
                if endpoint["mode"] == "bypass":
                    headers["X-Reader-Cache-Bypass"] = config.token
                if endpoint["mode"] == "editor":
                    cookies[size] = cookies.get(size) or editor_cookie(port)
                    headers["Cookie"] = cookies[size]
                status, response_headers, _ = request(port, endpoint["path"], headers=headers)
                if status != 200:
                    raise SystemExit(f"bench: {endpoint['path']} answered {status}, not 200")
                if config.warmup:
                    wrk(config, port, endpoint["path"], headers, config.warmup, script)
                result = wrk(config, port, endpoint["path"], headers, config.duration, script)
                result.update(endpoint)
                status, _, _ = request(port, endpoint["path"], headers=headers)
                if status != 200:
                    # wrk does not count a redirect (a lost session, say) as an error.
                    say(f"   {size}: {endpoint['path']} answered {status} after its run")
                    result["errors"] += 1
                results[size].append(result)
                say(
                    f"   {size:<6} {endpoint['name']:<40} {result['rps']:8.1f} req/s  "
                    f"p50 {result['p50'] / 1000:7.1f} ms  p95 {result['p95'] / 1000:7.1f} ms  "
                    f"p99 {result['p99'] / 1000:7.1f} ms  errors {result['errors']}  "
                    f"queries {endpoint['queries']}"
                )
    for size_results in results.values():
        add_ratios(size_results)
    return results


def add_ratios(results):
    """Each row's rate as a share of the minimal app's (`ratio`) and of /healthz's
    (`ratio_healthz`), measured in the same run on the same set."""
    rates = {r["name"]: r["rps"] for r in results}
    for result in results:
        for key, baseline in (("ratio", MINIMAL), ("ratio_healthz", HEALTHZ)):
            base = rates.get(baseline) or 0.0
            result[key] = result["rps"] / base if base else 0.0


# --- the newsroom day ----------------------------------------------------------------------

# The backends file the front cache's VCL includes (docs/varnish/backends.vcl's shape), for
# one app server on loopback.
BACKENDS_VCL = """backend app1 {{
    .host = "127.0.0.1";
    .port = "{port}";
    .host_header = "127.0.0.1";
    .probe = ready;
    .connect_timeout = 2s;
    .first_byte_timeout = 35s;
    .between_bytes_timeout = 35s;
}}

sub vcl_init {{
    app.add_backend(app1);
}}

acl purgers {{
    "127.0.0.1";
}}
"""


def ensure_varnish(config):
    """None when Varnish can run, else why not (the report prints it)."""
    if not config.vcl.exists():
        return f"no VCL at {config.vcl} (BENCH_VARNISH_VCL)"
    if not shutil.which("varnishd") and not Path("/usr/sbin/varnishd").exists():
        if os.geteuid() != 0:
            return "varnishd is not installed, and the benchmark is not running as root"
        say("varnishd is not installed: installing varnish and varnish-modules with apt-get")
        if run(["apt-get", "install", "-y", "varnish", "varnish-modules"], check=False).returncode:
            return "apt-get install varnish varnish-modules failed"
    return None


class Varnish:
    """varnishd in the foreground in a directory of its own, with the front cache's VCL and a
    backends file for one app server on `backend_port`."""

    def __init__(self, config, backend_port):
        self.config = config
        self.port = config.varnish_port
        self.dir = Path(tempfile.mkdtemp(prefix="bench-varnish-"))
        shutil.copy(config.vcl, self.dir / "claimsdesk.vcl")
        (self.dir / "backends.vcl").write_text(BACKENDS_VCL.format(port=backend_port))
        # varnishd started as root compiles the VCL as its own unprivileged user.
        self.dir.chmod(0o755)
        for vcl in self.dir.iterdir():
            vcl.chmod(0o644)
        self.name = str(self.dir / "instance")
        self.log = tempfile.NamedTemporaryFile("w+", prefix="bench-varnish-", suffix=".log")
        self.process = None

    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"

    def __enter__(self):
        varnishd = self.varnishd
        self.process = subprocess.Popen(  # nosec B603 # our arguments, no shell
            [
                varnishd, "-F", "-n", self.name, "-a", f"127.0.0.1:{self.port}",
                "-f", str(self.dir / "claimsdesk.vcl"),
                "-p", f"vcl_path={self.dir}:/usr/share/varnish/vcl",
                "-p", "http_resp_hdr_len=65536", "-p", "http_resp_size=98304",
                "-p", "workspace_backend=131072", "-s", "malloc,256m",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                request(self.port, "/healthz")
                return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        self.log.seek(0)
        sys.stderr.write(self.log.read())
        raise SystemExit("bench: varnishd did not start")

    def counters(self):
        """{"hit": MAIN.cache_hit, "miss": MAIN.cache_miss}."""
        out = run(
            ["varnishstat", "-1", "-n", self.name, "-f", "MAIN.cache_hit", "-f", "MAIN.cache_miss"],
            capture=True,
            check=False,
        ).stdout
        found = {}
        for line in out.splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[0] in ("MAIN.cache_hit", "MAIN.cache_miss"):
                found[parts[0].split("_")[-1]] = int(parts[1])
        return found

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)
        return False


def cache_stats(environ, app_port):
    """The reader cache's shared counters (`manage.py bench_cache_stats`). Each worker adds
    its counts at most once a second, when it serves a request: wait that second, then send
    each worker a request so that what it counted during the phase is added."""
    time.sleep(1.2)
    for _ in range(8):
        request(app_port, "/", headers={"Accept-Encoding": ACCEPT_ENCODING})
    out = run([PYTHON, "manage.py", "bench_cache_stats"], environ=environ, capture=True).stdout
    return json.loads(out)


def day_phase(config, front_port, app_port, environ, script, *, desk=None, varnish=None):
    """The reader mix for BENCH_DAY_DURATION seconds through `front_port`, with the desk at
    work if `desk` (the desk command's arguments); its figures and counters."""
    before = cache_stats(environ, app_port)
    front_before = varnish.counters() if varnish else {}
    process = None
    if desk:
        process = subprocess.Popen(  # nosec B603 # our manage.py, no shell
            [PYTHON, "manage.py", "bench_desk_day", "--seconds", str(config.day_duration), *desk],
            cwd=ROOT,
            # With Varnish answering every reader, wrk and varnishd take both cores, and the
            # desk's process (an app server of its own in production) can wait over 2 s, the
            # production REDIS_TIMEOUT, for a Redis answer: seen at 46,000 requests a second.
            # The desk's publishes are what is measured here, not its patience.
            env={**environ, "REDIS_TIMEOUT": "15"},
            text=True,
            stdout=subprocess.PIPE,
        )
        ready, _, _ = select.select([process.stdout], [], [], 60)
        if not ready or process.stdout.readline().strip() != "ready":
            process.kill()
            raise SystemExit("bench: the desk (bench_desk_day) did not start")
    result = wrk(config, front_port, "/", {}, config.day_duration, script)
    # Readers served: a front that answers 503 at once (Varnish with its backend marked sick)
    # must not pass for a fast one, so failed requests are not counted in the rate.
    served = max(0, result["requests"] - result["errors"])
    result["rps"] = served / (result["duration_us"] / 1e6)
    if process:
        out, _ = process.communicate(timeout=120)
        if process.returncode:
            raise SystemExit("bench: the desk (bench_desk_day) failed")
        result["desk"] = json.loads(out.strip().splitlines()[-1])
    after = cache_stats(environ, app_port)
    result["hits"] = day.delta(after, before, "hits")
    result["renders"] = day.delta(after, before, "renders")
    result["stale"] = day.delta(after, before, "stale")
    if varnish:
        front_after = varnish.counters()
        result["front_hits"] = day.delta(front_after, front_before, "hit")
        result["front_misses"] = day.delta(front_after, front_before, "miss")
    say(
        f"   {'busy' if desk else 'quiet':<6} {result['rps']:8.1f} req/s  "
        f"p50 {result['p50'] / 1000:7.1f} ms  p95 {result['p95'] / 1000:7.1f} ms  "
        f"errors {result['errors']}  renders {result['renders']}  hits {result['hits']}"
        f"  stale {result['stale']}"
        + (
            f"  Varnish hits {result['front_hits']} misses {result['front_misses']}"
            if varnish
            else ""
        )
        + (f"\n          desk: {json.dumps(result['desk'])}" if desk else "")
    )
    return result


def through_varnish(config, varnish, results, report_script):
    """The cached explainer through Varnish, as the main table measures it through gunicorn."""
    explainer = next(r for r in results if r["name"] == CACHED_EXPLAINER)["path"]
    request(varnish.port, explainer, headers={"Accept-Encoding": ACCEPT_ENCODING})
    if config.warmup:
        wrk(config, varnish.port, explainer, {}, config.warmup, report_script)
    result = wrk(config, varnish.port, explainer, {}, config.duration, report_script)
    say(
        f"   explainer, cached, through Varnish {result['rps']:8.1f} req/s  "
        f"p95 {result['p95'] / 1000:7.1f} ms  errors {result['errors']}"
    )
    return result


def warm_up(port, paths):
    """Every address of the mix once, two at a time, so that both phases start with the
    caches full: otherwise the quiet phase, run first, would pay for filling them."""
    started = time.monotonic()
    with ThreadPoolExecutor(2) as pool:
        statuses = list(
            pool.map(
                lambda path: request(port, path, headers={"Accept-Encoding": ACCEPT_ENCODING})[0],
                paths,
            )
        )
    bad = [path for path, status in zip(paths, statuses, strict=True) if status != 200]
    if bad:
        raise SystemExit(f"bench: {len(bad)} reader addresses did not answer 200: {bad[:3]}")
    say(f"   warmed {len(paths)} addresses in {time.monotonic() - started:.0f} s")


def newsroom_day(config, all_results, report_script):
    """The newsroom day on a copy of the largest set: quiet and busy desk, without and with
    Varnish in front. {"size", "fronts": {front: {"quiet", "busy"}}, "varnish_explainer",
    "minimal_rps", "skipped"}."""
    size = config.sizes[-1]
    source = f"claimsdesk_bench_{size}"
    copy = f"{source}_day"
    maintenance = f"--maintenance-db={config.pg}/postgres"
    say(f"== newsroom day on the {size} set (a copy, {copy})")
    run(["dropdb", "--if-exists", "--force", maintenance, copy])
    # A template must have no sessions: the table's servers have just stopped, and their
    # connections may take a moment to close.
    for _ in range(20):
        made = run(["createdb", maintenance, "-T", source, copy], capture=True, check=False)
        if made.returncode == 0:
            break
        time.sleep(1)
    else:
        sys.stderr.write(made.stderr)
        raise SystemExit(f"bench: could not copy {source} for the newsroom day")
    port = config.port_for(size)
    extra = {"DATABASE_URL": f"{config.pg}/{copy}", "READER_CACHE_STATS": "1"}
    minimal = next((r for r in all_results.get(size, []) if r["name"] == MINIMAL), None)
    outcome = {
        "size": size,
        "fronts": {},
        "varnish_explainer": None,
        "minimal_rps": minimal["rps"] if minimal else None,
        "skipped": None,
        "vcl": str(config.vcl.relative_to(ROOT) if config.vcl.is_relative_to(ROOT) else config.vcl),
    }
    with ExitStack() as stack:
        mix_file = stack.enter_context(tempfile.NamedTemporaryFile("w+", suffix=".json"))
        environ = {**config.django_env(size), **extra}
        mix = run([PYTHON, "manage.py", "bench_reader_mix"], environ=environ, capture=True).stdout
        mix_file.write(mix)
        mix_file.flush()
        mix = json.loads(mix)
        outcome["mix"] = len(mix)
        script = stack.enter_context(tempfile.NamedTemporaryFile("w+", suffix=".lua"))
        script.write(day.mix_script([(e["path"], e["share"]) for e in mix], LUA_REPORT))
        script.flush()

        def phases(front_port, server, varnish=None):
            desk = ["--front", f"http://127.0.0.1:{front_port}", "--mix", mix_file.name]
            warm_up(front_port, [e["path"] for e in mix])
            if config.warmup:
                wrk(config, front_port, "/", {}, config.warmup, script.name)
            return {
                "quiet": day_phase(
                    config, front_port, server.port, server.environ, script.name, varnish=varnish
                ),
                "busy": day_phase(
                    config,
                    front_port,
                    server.port,
                    server.environ,
                    script.name,
                    desk=desk,
                    varnish=varnish,
                ),
            }

        with Server(config, size, port=port, extra=extra) as server:
            say(f"== newsroom day, gunicorn alone (port {port})")
            outcome["fronts"]["gunicorn"] = phases(port, server)
        outcome["skipped"] = ensure_varnish(config)
        if outcome["skipped"] is None:
            with Varnish(config, port) as varnish:
                version = run([varnish.varnishd, "-V"], capture=True, check=False)
                found = re.search(r"varnish-[0-9.]+", version.stdout + version.stderr)
                outcome["varnish"] = found.group(0) if found else ""
                purge = {"FRONT_CACHE_PURGE_URLS": f"http://127.0.0.1:{varnish.port}/"}
                with Server(config, size, port=port, extra={**extra, **purge}) as server:
                    say(f"== newsroom day, Varnish (port {varnish.port}) in front")
                    outcome["fronts"]["Varnish"] = phases(varnish.port, server, varnish)
                    outcome["varnish_explainer"] = through_varnish(
                        config, varnish, all_results[size], report_script
                    )
        else:
            say(f"== newsroom day: no Varnish rows: {outcome['skipped']}")
    run(["dropdb", "--if-exists", "--force", maintenance, copy])
    return outcome


def machine(config):
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    import django

    redis_version = "unknown"
    try:
        import redis

        redis_version = redis.Redis.from_url(config.redis).info("server")["redis_version"]
    except Exception:  # noqa: BLE001  (the report says "unknown")  # nosec B110 # the report then says "unknown"
        pass
    wrk_version = run(["wrk", "--version"], capture=True, check=False)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": psql(config, "SHOW server_version") or "unknown",
        "redis": redis_version,
        "wrk": (wrk_version.stdout + wrk_version.stderr).split("\n")[0].split(" Copyright")[0],
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def ms(us):
    return f"{us / 1000:.1f}"


def results_table(results):
    lines = [
        "| endpoint | req/s | p50 ms | p95 ms | p99 ms | errors | ratio to minimal app "
        "| ratio to /healthz | queries/request |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r['name']} | {r['rps']:.1f} | {ms(r['p50'])} | {ms(r['p95'])} | "
            f"{ms(r['p99'])} | {r['errors']} | {r['ratio']:.2f} | {r['ratio_healthz']:.2f} | "
            f"{r['queries']} |"
        )
    return "\n".join(lines)


def targets(all_results):
    """Rows of (target, measured, PASS/FAIL) for the speed targets."""
    rows = []
    large = {r["name"]: r for r in all_results.get("large", [])}
    small = {r["name"]: r for r in all_results.get("small", [])}
    if large:
        for name, baseline, minimum in RATIO_TARGETS:
            if name in large and baseline in large:
                ratio = large[name]["rps"] / large[baseline]["rps"] if large[baseline]["rps"] else 0
                against = "the minimal app" if baseline == MINIMAL else "/healthz"
                rows.append((f"{name}: ≥ {minimum} × {against}", f"{ratio:.2f}", ratio >= minimum))
        for name, limit in P95_TARGETS:
            if name in large:
                p95 = large[name]["p95"] / 1000
                rows.append((f"{name}: p95 ≤ {limit:.0f} ms", f"{p95:.1f} ms", p95 <= limit))
    if large and small:
        for name, r in large.items():
            if name not in small:
                continue
            s = small[name]
            growth = r["p50"] / s["p50"] if s["p50"] else float("inf")
            rows.append(
                (
                    f"{name}: p50 large ≤ {GROWTH_LIMIT} × small",
                    f"{ms(r['p50'])} / {ms(s['p50'])} ms = {growth:.2f}",
                    0 < growth <= GROWTH_LIMIT,
                )
            )
            rows.append(
                (
                    f"{name}: same queries at both sizes",
                    f"{s['queries']} / {r['queries']}",
                    s["queries"] == r["queries"],
                )
            )
    errors = sum(r["errors"] for results in all_results.values() for r in results)
    rows.append(("zero errors in every run", str(errors), errors == 0))
    return rows


def day_errors(outcome):
    if not outcome:
        return 0
    phases = [phase for front in outcome["fronts"].values() for phase in front.values()]
    errors = sum(phase["errors"] for phase in phases)
    if outcome.get("varnish_explainer"):
        errors += outcome["varnish_explainer"]["errors"]
    return errors


def report(config, info, all_results, prepared, outcome=None):
    lines = [
        "<!-- Written by `make bench` (claims/devtools/bench/run.py); "
        "the notes below it are by hand. -->",
        "## Latest run",
        "",
        f"Run at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. {config.duration} s of load "
        f"per endpoint after {config.warmup} s of warm-up, {config.connections} connections, "
        f"{config.threads} wrk threads; for each data set gunicorn with {config.workers} "
        "workers (one per core), DEBUG off, Redis cache, PostgreSQL; the two servers run side "
        "by side and each endpoint is measured on one and then the other, so both sizes see "
        "the machine in the same state. Every request says `Accept-Encoding: "
        f"{ACCEPT_ENCODING}`, as browsers do.",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['ram']} RAM; {info['os']}; "
        f"PostgreSQL {info['postgresql']}, Redis {info['redis']}, Python {info['python']}, "
        f"Django {info['django']}, {info['wrk']}. Load average (1, 5, 15 min) at the end: "
        f"{info['load']}; at the start: {info['load_start']}.",
        "",
    ]
    for size, results in all_results.items():
        seed_seconds, counts = prepared[size]
        seeded = f"seeded in {seed_seconds:.0f} s" if seed_seconds is not None else "seed reused"
        lines += [
            f"### {size} data set ({seeded}; claims, verifications, evidence, "
            f"explainers, size on disk: {counts})",
            "",
            results_table(results),
            "",
        ]
    rows = targets(all_results)
    if outcome:
        lines += day.report_section(outcome, config.day_duration)
        rows += day.day_targets(
            outcome["fronts"], outcome["minimal_rps"], outcome["varnish_explainer"], config.workers
        )
        errors = day_errors(outcome)
        rows.append(("zero errors in the newsroom day", str(errors), errors == 0))
    lines += [
        "### Targets",
        "",
        "| target (large set) | measured | result |",
        "| --- | --- | --- |",
    ]
    verdicts = {True: "PASS", False: "FAIL", None: "not measured"}
    for target, measured, ok in rows:
        lines.append(f"| {target} | {measured} | {verdicts[ok]} |")
    return "\n".join(lines) + "\n"


def write_report(config, text):
    if config.output == "-":
        return
    path = Path(config.output)
    marker_start, marker_end = "<!-- bench:start -->", "<!-- bench:end -->"
    old = path.read_text() if path.exists() else f"# Benchmarks\n\n{marker_start}\n{marker_end}\n"
    if marker_start not in old:
        old = old.rstrip() + f"\n\n{marker_start}\n{marker_end}\n"
    before, rest = old.split(marker_start, 1)
    after = rest.split(marker_end, 1)[1]
    path.write_text(f"{before}{marker_start}\n{text}{marker_end}{after}")
    say(f"== written to {path}")


def main():
    # Stopped by a signal: leave through the context managers, so gunicorn is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("bench: terminated"))
    config = Config()
    load_start = " ".join(f"{x:.2f}" for x in os.getloadavg())
    ensure_wrk()
    run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        environ=config.django_env(config.sizes[0]),
    )
    prepared = {size: prepare_database(config, size) for size in config.sizes}
    empty_caches(config)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA_REPORT)
    try:
        all_results = bench_all(config, script.name)
        outcome = newsroom_day(config, all_results, script.name) if config.day else None
    finally:
        os.unlink(script.name)
    info = machine(config)
    info["load_start"] = load_start
    text = report(config, info, all_results, prepared, outcome)
    say()
    say(text)
    write_report(config, text)
    errors = sum(r["errors"] for results in all_results.values() for r in results)
    errors += day_errors(outcome)
    if errors:
        raise SystemExit(f"bench: {errors} requests failed")


if __name__ == "__main__":
    main()
