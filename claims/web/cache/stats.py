"""Counts of kept pages served and pages rendered afresh, for the benchmark.

With READER_CACHE_STATS on, each worker counts the answers it gave from the reader cache
(`hit`), the pages it rendered to keep (`render`) and the out-of-date copies it served
while another worker rendered their successors (`stale`, store.stale_copy), and adds its
counts to the shared cache's `site:stats:<kind>` at most once a second, so that counting
costs a request no round trip. `make bench` reads them to report the hit ratio and the pages
re-rendered per publish (docs/benchmarks.md). Off (the default), `note` does nothing.
"""

import threading
import time

from django.conf import settings
from django.core.cache import cache

PREFIX = "site:stats:"
KINDS = ("hit", "render", "stale")
FLUSH_SECONDS = 1.0

_counts = dict.fromkeys(KINDS, 0)
_lock = threading.Lock()
_flushed_at = [time.monotonic()]


def note(kind):
    if not settings.READER_CACHE_STATS:
        return
    with _lock:
        _counts[kind] += 1
        if time.monotonic() - _flushed_at[0] < FLUSH_SECONDS:
            return
        counts = dict(_counts)
        for name in KINDS:
            _counts[name] = 0
        _flushed_at[0] = time.monotonic()
    add(counts)


def add(counts):
    for kind, count in counts.items():
        if count:
            cache.add(PREFIX + kind, 0, timeout=None)
            cache.incr(PREFIX + kind, count)


def flush():
    """Add this worker's counts now (a test, or the end of a run)."""
    with _lock:
        counts = dict(_counts)
        for name in KINDS:
            _counts[name] = 0
    add(counts)


def read():
    """{kind: count} from the shared cache (all workers, as last flushed)."""
    found = cache.get_many([PREFIX + kind for kind in KINDS])
    return {kind: found.get(PREFIX + kind, 0) for kind in KINDS}
