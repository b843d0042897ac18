#!/usr/bin/env python3
"""What the whole ClaimReview file (/api/v1/claimreviews.jsonld) costs to make, in process,
on the database DATABASE_URL names (the benchmark's large set: claimsdesk_bench_large) with
the shared cache REDIS_URL names:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/claimsdesk_bench_large \\
    REDIS_URL=redis://127.0.0.1:6379/9 SECRET_KEY=x DEBUG=0 ALLOWED_HOSTS=testserver \\
        .venv/bin/python claims/devtools/claimreview_file_timing.py

In one run, on the same machine state:
- in one go: every claim read with its review material and every item built, the way the
  file was made before items were kept (the simplest thing that makes the same bytes);
- from nothing kept: every item built and kept in the shared cache, the file put together;
- with every item kept;
- after a verdict: as the render after a verdict on one claim, whose item is taken for
  purged (pieces.rendering_after, as the benchmark's X-Reader-Cache-Purged does).
It prints CPU and wall seconds for each, checks that all four make the same bytes, and the
gzip the reader cache keeps. It deletes the items it finds kept before it starts.
"""

import gzip
import hashlib
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from claims import selectors  # noqa: E402
from claims.api.views import feed  # noqa: E402
from claims.web.cache import keys, shared  # noqa: E402
from claims.web.cache.pieces import rendering_after  # noqa: E402


def timed(label, make):
    cpu, wall = time.process_time(), time.perf_counter()
    body = make()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"{label:<26} CPU {cpu:7.2f} s   wall {wall:7.2f} s   {len(body):,} bytes", flush=True)
    return hashlib.sha256(body).hexdigest()


def main():
    request = RequestFactory().get("/api/v1/claimreviews.jsonld", HTTP_HOST="testserver")
    seq = shared.current_seq()

    def from_items(taken=frozenset()):
        with keys.lists_only(), rendering_after(seq, taken):
            return feed.file_body(request, seq)

    newest = selectors.assessed_claims_for_readers().order_by("-current_verdict_as_of").first()
    deleted = cache.delete_pattern(f"*{feed.FILE_ITEM_PREFIX}*")
    print(f"{deleted} items kept before: deleted")
    digests = {
        timed("in one go", lambda: feed.file_in_one_go(request)),
        timed("from nothing kept", from_items),
        timed("every item kept", from_items),
        timed("after a verdict", lambda: from_items({f"claim-{newest.pk}"})),
    }
    print("the same bytes in all four:", "yes" if len(digests) == 1 else "NO")
    body = from_items()
    cpu = time.process_time()
    kept = gzip.compress(body, compresslevel=6, mtime=0)
    cpu = time.process_time() - cpu
    print(f"gzip as the reader cache keeps it: {cpu:.2f} s, {len(kept):,} bytes")


if __name__ == "__main__":
    main()
