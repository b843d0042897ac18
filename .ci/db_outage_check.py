#!/usr/bin/env python3
"""The database goes away and comes back while the desk is served: a check CI runs.

It starts a private, throwaway PostgreSQL cluster (never the shared server), migrates a
database in it, loads the demo, and serves the desk with gunicorn (gunicorn.conf.py, two
workers, DEBUG off, production settings behind a TLS-terminating proxy). Then:

1. reader pages, the desk (logged in), and the API answer 200, and both workers hold a
   persistent database connection;
2. a claim is written through the API with a reporter's token;
3. the PostgreSQL server is stopped (`pg_ctl stop -m fast`);
4. every request, spread over both workers, is a 503 — the site's page, or the API's JSON
   error — with Retry-After and no traceback, an API write is refused, and the workers stay
   up (same PIDs);
5. the server is started again;
6. within a few seconds every request is a 200 again from both workers, with no restart of
   gunicorn (same master and worker PIDs), and the claim written before the outage is there,
   once, while the write refused during it is not.

It prints the figures and exits non-zero on any failure; everything it started is stopped and
deleted on the way out. Run as root (as CI does) it runs PostgreSQL as the `postgres` user.

    .venv/bin/python .ci/db_outage_check.py      # or: make db-outage-check
"""

import concurrent.futures
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
DB_NAME = "claimsdesk_outage"
DEMO_USER, DEMO_PASSWORD = "reporter", "reporter-demo-2025"  # claims/devtools/demo.py
STOP_MODE = os.environ.get("DB_OUTAGE_STOP_MODE", "fast")  # or "immediate": a crash
RECOVERY_DEADLINE = 15.0  # seconds after the server is back
LEAKS = ("Traceback", "OperationalError", "InterfaceError", "psycopg", 'File "', "Exception")
MAX_ROUNDS = 10
ROUNDS_WHILE_DOWN = 3  # at least; more until both workers have answered


class CheckFailed(Exception):
    pass


def say(message):
    try:
        print(f"[db-outage] {message}", flush=True)
    except OSError:  # the reader went away (a closed pipe): carry on, and clean up
        pass


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin():
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if not found:
        raise CheckFailed("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin")
    return found[-1].parent


def run(args, *, as_postgres=False, env=None, timeout=120):
    if as_postgres and os.geteuid() == 0:  # initdb refuses to run as root
        args = ["runuser", "-u", "postgres", "--", *args]
    result = subprocess.run(
        [str(a) for a in args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise CheckFailed(f"{' '.join(map(str, args))} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


class Cluster:
    """A PostgreSQL cluster of its own in a temporary directory, listening on 127.0.0.1."""

    def __init__(self, workdir):
        self.bin = postgres_bin()
        self.data = workdir / "pgdata"
        self.socket_dir = workdir
        self.log = workdir / "postgres.log"
        self.port = free_port()

    def init(self):
        run(
            [
                self.bin / "initdb",
                "-D",
                self.data,
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
            as_postgres=True,
        )

    def start(self):
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1"
        run(
            [
                self.bin / "pg_ctl",
                "-D",
                self.data,
                "-l",
                self.log,
                "-o",
                options,
                "-w",
                "-t",
                "30",
                "start",
            ],
            as_postgres=True,
        )

    def stop(self, mode="fast"):
        run(
            [self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "30", "stop"],
            as_postgres=True,
        )

    def sql(self, query, database=DB_NAME):
        return run(
            [
                self.bin / "psql",
                "-h",
                "127.0.0.1",
                "-p",
                self.port,
                "-U",
                "postgres",
                "-d",
                database,
                "-XAtqc",
                query,
            ]
        ).strip()

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/{DB_NAME}"


class Site:
    """HTTP to the gunicorn under test, as the TLS-terminating proxy in front would send it."""

    def __init__(self, port):
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"

    def request(self, method, path, *, headers=None, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        started = time.monotonic()
        try:
            conn.request(
                method,
                path,
                body=body,
                headers={"X-Forwarded-Proto": "https", "Connection": "close", **(headers or {})},
            )
            response = conn.getresponse()
            content = response.read().decode("utf-8", "replace")
            return Response(response.status, response.headers, content, time.monotonic() - started)
        except (OSError, http.client.HTTPException) as error:
            # No answer at all (a worker killed mid-request, say): status 0, which every
            # check refuses.
            return Response(0, http.client.HTTPMessage(), repr(error), time.monotonic() - started)
        finally:
            conn.close()


class Response:
    def __init__(self, status, headers, text, seconds):
        self.status, self.headers, self.text, self.seconds = status, headers, text, seconds

    def json(self):
        return json.loads(self.text)


def cookies(response):
    jar = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def children(pid):
    """PIDs of the processes whose parent is `pid` (gunicorn's workers)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


class Check:
    def __init__(self, workdir):
        self.workdir = workdir
        self.cluster = Cluster(workdir)
        self.app_port = free_port()
        self.site = Site(self.app_port)
        self.access_log = workdir / "access.log"
        self.app_log = workdir / "gunicorn.log"
        self.gunicorn = None
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/root"),
            "LANG": "C.UTF-8",
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            # Production, as docs/deploy.md sets it up behind a proxy that terminates TLS.
            "DEBUG": "0",
            # For `load_demo`, the demo desk the check serves (a developer tool).
            "DESK_DEVTOOLS": "1",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
            "DATABASE_URL": self.cluster.url,
            "WEB_CONCURRENCY": "2",
            "GUNICORN_BIND": f"127.0.0.1:{self.app_port}",
            "GUNICORN_ACCESS_LOG": str(self.access_log),
            # This one client sends bursts no real consumer would be allowed; the point here
            # is the database, not the API's rate limit.
            "API_THROTTLE_ANON": "100000/minute",
            "API_THROTTLE_USER": "100000/minute",
            # Every reader page is rendered from the database here. With the reader cache on,
            # pages already in it keep being served while the database is away, which is
            # better for readers but would hide the 503 path this check is about
            # (tests/operations/test_database_outage.py covers both).
            "READER_CACHE_SECONDS": "0",
            # Nothing is written into the checkout.
            "STATIC_ROOT": str(workdir / "static"),
            "MEDIA_ROOT": str(workdir / "media"),
        }
        self.failures = []
        self.figures = {}

    # --- setting up ------------------------------------------------------------------------

    def manage(self, *args):
        return run([VENV_BIN / "python", "manage.py", *args], env=self.env, timeout=300)

    def set_up(self):
        say(f"PostgreSQL {self.cluster.bin.parent.name} cluster on port {self.cluster.port}")
        self.cluster.init()
        self.cluster.start()
        self.cluster.sql(f"CREATE DATABASE {DB_NAME}", database="postgres")
        self.manage("migrate", "--no-input")
        self.manage("load_demo")
        self.manage("collectstatic", "--no-input")
        token = re.search(r"Generated token (\w+)", self.manage("drf_create_token", DEMO_USER))
        self.token_header = {"Authorization": f"Token {token.group(1)}"}
        say(f"gunicorn on port {self.app_port}")
        self.gunicorn = subprocess.Popen(
            [VENV_BIN / "gunicorn", "--access-logformat", "%(p)s %(m)s %(U)s %(s)s"],
            cwd=ROOT,
            env=self.env,
            stdout=self.app_log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while self.site.request("GET", "/api/v1/").status != 200:
            if self.gunicorn.poll() is not None or time.monotonic() > deadline:
                raise CheckFailed("gunicorn did not start:\n" + self.app_log.read_text()[-3000:])
            time.sleep(0.2)
        self.master = self.gunicorn.pid
        self.workers = children(self.master)
        if len(self.workers) != 2:
            raise CheckFailed(f"expected 2 gunicorn workers, found {sorted(self.workers)}")

    def log_in_to_the_desk(self):
        page = self.site.request("GET", "/admin/login/?next=/admin/")
        csrf_cookie = cookies(page).get("csrftoken")
        form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status != 200 or not csrf_cookie or not form_token:
            raise CheckFailed(f"the desk's login page: {page.status}")
        body = (
            f"csrfmiddlewaretoken={form_token.group(1)}&username={DEMO_USER}"
            f"&password={DEMO_PASSWORD}&next=/admin/"
        )
        response = self.site.request(
            "POST",
            "/admin/login/?next=/admin/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf_cookie}",
                "Origin": self.site.origin,
                "Referer": f"{self.site.origin}/admin/login/",
            },
        )
        session = cookies(response).get("sessionid")
        if response.status != 302 or not session:
            raise CheckFailed(f"logging in to the desk: {response.status} {response.text[:300]}")
        self.session_header = {"Cookie": f"sessionid={session}"}

    # --- the requests ----------------------------------------------------------------------

    def reads(self):
        """(label, method, path, headers, kind) of every read the check makes."""
        return [
            ("home", "GET", "/", {}, "page"),
            ("explainer", "GET", self.explainer_path, {}, "page"),
            ("claim", "GET", self.claim_path, {}, "page"),
            ("search", "GET", "/search/?q=Toretsk", {}, "page"),
            ("desk (logged in)", "GET", "/admin/", self.session_header, "page"),
            ("API claims", "GET", "/api/v1/claims/", {}, "api"),
            ("API claim (token)", "GET", self.written_path, self.token_header, "api"),
        ]

    def round(self, requests):
        """Send `requests` four at a time, so that both workers take some."""
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            sent = [(r, pool.submit(self.site.request, r[1], r[2], headers=r[3])) for r in requests]
            return [(r, future.result()) for r, future in sent]

    def served_by(self, status, since):
        """PIDs of the workers that answered `status` in the access log after line `since`."""
        lines = self.access_log.read_text().splitlines()[since:]
        return {
            int(line.split()[0].strip("<>")) for line in lines if line.split()[-1] == str(status)
        }

    def access_log_lines(self):
        return len(self.access_log.read_text().splitlines())

    def app_connections(self):
        """How many connections the app holds open to its database (besides this query's)."""
        return int(
            self.cluster.sql(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
            )
        )

    def fail(self, message):
        self.failures.append(message)
        say("FAIL: " + message)

    # --- the check -------------------------------------------------------------------------

    def before_the_outage(self):
        claims = self.site.request("GET", "/api/v1/claims/")
        explainers = self.site.request("GET", "/api/v1/explainers/")
        if claims.status != 200 or explainers.status != 200:
            raise CheckFailed(f"API lists: {claims.status}, {explainers.status}")
        self.claim_path = "/" + claims.json()["results"][0]["site_url"].split("/", 3)[3]
        self.explainer_path = f"/explainers/{explainers.json()['results'][0]['slug']}/"
        self.log_in_to_the_desk()

        self.marker = f"Outage check {secrets.token_hex(4)}: written before the database stops"
        source = self.site.request("GET", "/api/v1/sources/").json()["results"][0]["id"]
        self.new_claim = {
            "statement": self.marker,
            "quote": "Our positions are unchanged.",
            "claimant_id": source,
            "claimed_on": "2025-02-07",
        }
        created = self.site.request(
            "POST",
            "/api/v1/claims/",
            body=json.dumps(self.new_claim),
            headers={**self.token_header, "Content-Type": "application/json"},
        )
        if created.status != 201:
            raise CheckFailed(f"writing a claim through the API: {created.status} {created.text}")
        self.written_id = created.json()["id"]
        self.written_path = f"/api/v1/claims/{self.written_id}/"
        say(f"wrote claim {self.written_id} through the API")

        since = self.access_log_lines()
        for _ in range(MAX_ROUNDS):
            for (label, _m, path, _h, _k), response in self.round(self.reads()):
                if response.status != 200:
                    self.fail(f"before the outage, {label} {path}: {response.status}")
            connections = self.app_connections()
            if self.served_by(200, since) == self.workers and connections == 2:
                break
        self.figures["persistent connections before"] = connections
        if connections != 2:
            self.fail(f"expected both workers to keep a database connection, found {connections}")

    def during_the_outage(self):
        self.cluster.stop(STOP_MODE)
        say(f"PostgreSQL stopped (-m {STOP_MODE})")
        since = self.access_log_lines()
        tried = answered_503 = 0
        slowest = 0.0
        refused_write = dict(self.new_claim, statement=self.marker + " (sent while it was down)")
        self.refused_marker = refused_write["statement"]
        write = (
            "API write (token)",
            "POST",
            "/api/v1/claims/",
            {**self.token_header, "Content-Type": "application/json"},
            "api",
        )
        for rounds in range(1, MAX_ROUNDS + 1):
            requests = self.reads()
            results = self.round(requests)
            results.append(
                (
                    write,
                    self.site.request(
                        "POST", write[2], headers=write[3], body=json.dumps(refused_write)
                    ),
                )
            )
            for (label, _m, path, _h, kind), response in results:
                tried += 1
                slowest = max(slowest, response.seconds)
                if self.is_clean_503(label, path, kind, response):
                    answered_503 += 1
            if rounds >= ROUNDS_WHILE_DOWN and self.served_by(503, since) == self.workers:
                break
        if self.served_by(503, since) != self.workers:
            self.fail("not every worker answered while the database was down")
        if self.gunicorn.poll() is not None or children(self.master) != self.workers:
            self.fail(f"gunicorn's workers changed during the outage: {children(self.master)}")
        self.figures.update(
            {"requests while down": tried, "503s": answered_503, "slowest 503 (s)": slowest}
        )

    def is_clean_503(self, label, path, kind, response):
        problems = []
        if response.status != 503:
            problems.append(f"status {response.status}")
        if not response.headers.get("Retry-After"):
            problems.append("no Retry-After")
        problems += [f"body shows {leak!r}" for leak in LEAKS if leak in response.text]
        if kind == "api":
            try:
                body = response.json()
            except ValueError:
                body = None
            if not isinstance(body, dict) or body.get("status") != 503 or not body.get("detail"):
                problems.append(f"not the JSON 503: {response.text[:200]!r}")
        elif "We will be back shortly" not in response.text or "site-header" not in response.text:
            problems.append("not the site's 503 page")
        if problems:
            self.fail(f"while down, {label} {path}: {', '.join(problems)}")
        return not problems

    def after_the_outage(self):
        self.cluster.start()
        say("PostgreSQL started again")
        if not self.recovered():
            return
        self.every_worker_answers()
        self.nothing_lost_or_written_twice()
        self.outage_logged()

    def recovered(self):
        """Whether every read answers 200 again within RECOVERY_DEADLINE (503s meanwhile)."""
        back = time.monotonic()
        attempts = 0
        while True:
            attempts += 1
            results = self.round(self.reads())
            if all(response.status == 200 for _r, response in results):
                break
            unexpected = [
                f"{label}: {response.status}"
                for (label, *_), response in results
                if response.status not in (200, 503)
            ]
            if unexpected:
                self.fail("while recovering: " + ", ".join(unexpected))
            if time.monotonic() - back > RECOVERY_DEADLINE:
                self.fail(f"still failing {RECOVERY_DEADLINE:.0f} s after the database was back")
                return False
            time.sleep(0.2)
        self.figures["seconds to recover"] = time.monotonic() - back
        self.figures["request rounds to recover"] = attempts
        return True

    def every_worker_answers(self):
        since = self.access_log_lines()
        for _ in range(MAX_ROUNDS):
            for (label, _m, path, _h, _k), response in self.round(self.reads()):
                if response.status != 200:
                    self.fail(f"after the outage, {label} {path}: {response.status}")
            if self.served_by(200, since) == self.workers:
                break
        if self.served_by(200, since) != self.workers:
            self.fail("not every worker answered 200 after the outage")
        if self.gunicorn.poll() is not None or children(self.master) != self.workers:
            self.fail(f"gunicorn was restarted: workers now {children(self.master)}")

    def nothing_lost_or_written_twice(self):
        written = self.site.request("GET", self.written_path, headers=self.token_header)
        if written.status != 200 or written.json().get("statement") != self.marker:
            self.fail(f"the claim written before the outage: {written.status} {written.text[:200]}")
        rows = self.cluster.sql(
            "SELECT statement FROM claims_claim WHERE statement LIKE 'Outage check %' ORDER BY id"
        ).splitlines()
        if rows != [self.marker]:
            self.fail(f"claims in the database after the outage: {rows}")

    def outage_logged(self):
        log = self.app_log.read_text()
        logged = log.count("database unavailable, answered 503")
        self.figures["503s logged"] = logged
        sample = re.search(r".*database unavailable, answered 503.*", log)
        say(f"{logged} lines logged, e.g.: {sample.group(0) if sample else '-'}")
        if logged < self.figures["503s"]:
            self.fail(f"{self.figures['503s']} 503s but {logged} logged")
        if "Traceback" in log:
            self.fail("gunicorn's log shows a traceback")
        if log.count("Booting worker") != 2:
            self.fail("a worker was restarted (gunicorn's log)")

    def blink(self):
        """The server restarts between two requests: each worker's persistent connection is
        dead, and must be noticed (CONN_HEALTH_CHECKS) and replaced before it is used, so
        that not even the first request after the restart fails."""
        connections = self.app_connections()
        if connections != 2:
            self.fail(f"before the restart, the app held {connections} connections, not 2")
        self.cluster.stop(STOP_MODE)
        self.cluster.start()
        say("PostgreSQL restarted between requests")
        since = self.access_log_lines()
        tried = answered_200 = 0
        for _ in range(MAX_ROUNDS):
            for (label, _m, path, _h, _k), response in self.round(self.reads()):
                tried += 1
                answered_200 += response.status == 200
                if response.status != 200:
                    self.fail(f"first requests after a restart, {label} {path}: {response.status}")
            if self.served_by(200, since) == self.workers:
                break
        if self.served_by(200, since) != self.workers:
            self.fail("not every worker answered after the restart")
        self.figures["requests after a restart"] = tried
        self.figures["200s after a restart"] = answered_200

    def run(self):
        started = time.monotonic()
        self.set_up()
        self.before_the_outage()
        self.during_the_outage()
        self.after_the_outage()
        self.blink()
        f = self.figures
        say(
            f"{f['requests while down']} requests while the database was down "
            f"(both workers, {len(self.reads()) + 1} kinds), {f['503s']} clean 503s "
            f"(slowest {f['slowest 503 (s)']:.2f} s); recovered "
            f"{f.get('seconds to recover', float('nan')):.2f} s after the server was back "
            f"(round {f.get('request rounds to recover')} of requests), "
            f"{f['persistent connections before']} persistent connections before, "
            f"same gunicorn master {self.master} and workers {sorted(self.workers)}; "
            f"the claim written before the outage is there; after a restart between "
            f"requests, {f.get('200s after a restart')} of "
            f"{f.get('requests after a restart')} first requests answered 200; "
            f"{time.monotonic() - started:.0f} s in all"
        )
        return not self.failures

    # --- cleaning up -----------------------------------------------------------------------

    def tear_down(self):
        """Stops gunicorn (its whole process group) and the private cluster, if running."""
        if self.gunicorn is not None and self.gunicorn.poll() is None:
            os.killpg(self.gunicorn.pid, signal.SIGTERM)
            try:
                self.gunicorn.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.gunicorn.pid, signal.SIGKILL)
                self.gunicorn.wait()
        if (self.cluster.data / "postmaster.pid").exists():
            try:
                self.cluster.stop("immediate")
            except (CheckFailed, subprocess.TimeoutExpired) as error:
                say(f"could not stop the private cluster: {error}")


def main():
    if not (VENV_BIN / "gunicorn").exists():
        sys.exit("no .venv: run `make install-dev` first")
    workdir = Path(tempfile.mkdtemp(prefix="db-outage-"))
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")

    def stop(signum, frame):
        raise SystemExit(f"stopped by signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    check = Check(workdir)
    ok = False
    try:
        ok = check.run()
    except CheckFailed as error:
        say(f"FAIL: {error}")
    finally:
        # Clean up first, whatever happened, and without being interrupted again.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        app_log = check.app_log.read_text()[-4000:] if check.app_log.exists() else ""
        check.tear_down()
        shutil.rmtree(workdir, ignore_errors=True)
    if not ok:
        say("the end of gunicorn's log:\n" + app_log)
        say(f"FAILED: {len(check.failures)} problem(s)")
        sys.exit(1)
    say("OK")


if __name__ == "__main__":
    main()
