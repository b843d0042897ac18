#!/usr/bin/env python3
"""How long one cache operation takes with Django's RedisCache as it is, and with
django-redis (the desk's backend: one client object per connection pool), against a Redis
server on this machine.

    .venv/bin/python claims/devtools/redis_client_timing.py [redis://127.0.0.1:6379/15] [rounds]

Each backend runs the operations the reader pages and the API make (a `get_many` of the
content version and a page, a `get`, a `set`, and the throttle's `get` + `set`), alternating
backends so both see the machine in the same state; it prints the median per operation.
It writes and then deletes only its own keys (prefix "timing").
"""

import statistics
import sys
import time

import django
from django.conf import settings

settings.configure()
django.setup()

from django.core.cache.backends.redis import RedisCache  # noqa: E402
from django_redis.cache import RedisCache as DjangoRedisCache  # noqa: E402

LOCATION = sys.argv[1] if len(sys.argv) > 1 else "redis://127.0.0.1:6379/15"
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 20
CALLS = 500
PAGE = (1.5, b"\x1f\x8b" + bytes(24_000), "text/html; charset=utf-8", ())


def backends():
    return {
        "Django RedisCache": RedisCache(LOCATION, {"KEY_PREFIX": "timing"}),
        "django-redis": DjangoRedisCache(LOCATION, {"KEY_PREFIX": "timing"}),
    }


OPERATIONS = {
    "get_many(3 keys)": lambda c: c.get_many(["generation", "schedule", "page"]),
    "get": lambda c: c.get("generation"),
    "set(24 kB page)": lambda c: c.set("page", PAGE, 600),
    "throttle get+set": lambda c: c.set("throttle", (c.get("throttle") or [])[:10] + [1.0], 60),
}


def main():
    caches = backends()
    for c in caches.values():
        c.set("generation", 1.0, None)
        c.set("schedule", (None, None, None), None)
        c.set("page", PAGE, 600)
        for operation in OPERATIONS.values():
            operation(c)  # connect, warm up
    times = {(name, op): [] for name in caches for op in OPERATIONS}
    for _ in range(ROUNDS):
        for op, operation in OPERATIONS.items():
            for name, c in caches.items():
                start = time.perf_counter()
                for _ in range(CALLS):
                    operation(c)
                times[name, op].append((time.perf_counter() - start) / CALLS * 1e6)
    for c in caches.values():
        c.delete_many(["generation", "schedule", "page", "throttle"])
    width = max(map(len, OPERATIONS))
    print(f"{LOCATION}, {ROUNDS} rounds of {CALLS} calls; median µs per operation")
    print(" " * width + "".join(f"  {name:>22}" for name in caches))
    for op in OPERATIONS:
        row = "".join(f"  {statistics.median(times[name, op]):22.1f}" for name in caches)
        print(f"{op:<{width}}{row}")


if __name__ == "__main__":
    main()
