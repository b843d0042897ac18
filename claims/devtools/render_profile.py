"""What a fresh render of the benchmark's rendered endpoints costs, in process.

`manage.py render_profile` (DESK_DEVTOOLS=1) renders each endpoint N times through Django's
test client as an anonymous reader, with the reader cache bypassed, and prints the median
milliseconds per request (the process's CPU time and wall time), the queries per request, and
the ratio of `/healthz` to each (the form `make bench`'s ratio targets take). With --profile it
adds cProfile's top functions for each endpoint.

Run it against a seeded database with production-like settings, e.g.:

    DEBUG=0 DESK_DEVTOOLS=1 STATIC_HASHED_NAMES=0 SECRET_KEY=x ALLOWED_HOSTS=127.0.0.1 \
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/claimsdesk_bench_large \
    python manage.py render_profile -n 20 [--only explainer] [--profile]
"""

import cProfile
import io
import pstats
import statistics
import time
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims.devtools.bench.endpoints import BYPASS_HEADER, endpoints


@dataclass
class Result:
    name: str
    path: str
    status: int
    queries: int
    cpu_ms: float
    wall_ms: float
    size: int
    profile: str = ""


def rendered_endpoints():
    """(name, path, headers): `/healthz` first, then every endpoint `make bench` renders
    afresh (claims/devtools/bench/endpoints.py), with the headers it sends beside the bypass
    token (as after a verdict on one claim, or with nothing kept)."""
    return [
        (endpoint.name, endpoint.path, endpoint.headers)
        for endpoint in endpoints()
        if endpoint.mode == "bypass" or endpoint.path == "/healthz"
    ]


def measure(path, *, token, repeat, headers=None, profile=False, top=25, sort="cumulative"):
    """Render `path` once to warm the process, then `repeat` times measured."""
    client = Client(headers={"X-Forwarded-Proto": "https"}, HTTP_HOST="127.0.0.1")
    headers = {**(headers or {}), **({BYPASS_HEADER: token} if token else {})}
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers, secure=True)
    query_count = len(queries)
    cpu, wall = [], []
    profiler = cProfile.Profile() if profile else None
    for _ in range(repeat):
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        response = client.get(path, headers=headers, secure=True)
        if profiler:
            profiler.disable()
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started_wall)
    text = ""
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(top)
        text = out.getvalue()
    return Result(
        name="",
        path=path,
        status=response.status_code,
        queries=query_count,
        cpu_ms=statistics.median(cpu) * 1000,
        wall_ms=statistics.median(wall) * 1000,
        size=len(response.content),
        profile=text,
    )
