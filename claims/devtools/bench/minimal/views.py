"""The minimal app's one view: a fixed page, sent gzipped as it was compressed once.

The desk's cached explainer is kept gzipped and sent as it is to clients that accept gzip
(claims/web/cache/), so serving it costs no compression. To compare like with like, this page
is compressed once at start-up too and sent with `Content-Encoding: gzip` to every request
(the benchmark's all accept gzip): neither side pays for compression, and both send about the
same number of bytes. `make bench` hands it the very bytes the desk sent for its cached
explainer (BENCH_MINIMAL_BODY, a file); without one, it makes a page of that size.
"""

import gzip
import os
import random

from django.http import HttpResponse


def _generated_page():
    """About 200 kB of HTML that gzips to about 24 kB, as the showcase explainer does."""
    rnd = random.Random(20250207)  # nosec B311 # filler text, not security
    words = [
        "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(3, 9)))
        for _ in range(400)
    ]
    cards = []
    for number in range(150):
        text = " ".join(rnd.choice(words) for _ in range(60))
        cards.append(
            f'<article class="claim-card" id="claim-{number}"><h3>{text[:80]}</h3>'
            f'<p class="verdict">Unconfirmed</p><p>{text}</p></article>' * 2
        )
    return f"<!doctype html><html><body>{''.join(cards)}</body></html>".encode()


def _body():
    path = os.environ.get("BENCH_MINIMAL_BODY")
    if path:
        with open(path, "rb") as kept:
            return kept.read()
    return gzip.compress(_generated_page(), mtime=0)


BODY = _body()


def page(request):
    response = HttpResponse(BODY, content_type="text/html; charset=utf-8")
    response["Content-Encoding"] = "gzip"
    response["Vary"] = "Accept-Encoding"
    return response
