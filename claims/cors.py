"""Which requests a web page on another origin may read the answer to (CORS).

Everything published is open to everyone, and a newsroom's or a researcher's browser app on
its own site must be able to read it: the API's public reads, its schema, the feeds and the
bulk downloads. django-cors-headers writes the headers; this module decides, by path and
method, which requests get them (its `check_request_enabled` signal, with
settings.CORS_URLS_REGEX matching nothing):

- an anonymous read (GET, HEAD, and the preflight OPTIONS asking for one) of a path under
  settings.CORS_PUBLIC_PATHS gets `Access-Control-Allow-Origin: *`;
- a write, or a preflight asking for one, gets no CORS header at all, so the browser neither
  sends the write nor shows its answer;
- credentials never pass: `*` with no `Access-Control-Allow-Credentials` makes the browser
  refuse a request sent with cookies, and `Authorization` is not among the headers a
  preflight may ask for (settings.CORS_ALLOW_HEADERS), so a token never leaves another
  origin's page.
"""

import re
from functools import lru_cache

from django.conf import settings

READS = frozenset({"GET", "HEAD"})


@lru_cache(maxsize=4)
def _public_paths(pattern):
    return re.compile(pattern)


def public_read(sender, request, **kwargs):
    """`check_request_enabled` receiver: is `request` an anonymous read of public material?"""
    if not _public_paths(settings.CORS_PUBLIC_PATHS).match(request.path_info):
        return False
    method = request.method
    if method == "OPTIONS":
        method = request.headers.get("Access-Control-Request-Method", "GET").upper()
    return method in READS


def connect_signals():
    from corsheaders.signals import check_request_enabled

    check_request_enabled.connect(public_read, dispatch_uid="claims.cors.public_read")
