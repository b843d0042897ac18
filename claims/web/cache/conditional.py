"""Validators and conditional requests for anonymous pages: ETag, Last-Modified, 304/412."""

import time
from functools import lru_cache

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_etags

from .store import vary_on_encoding
from .version import front_max_age


def public(response, last_modified, etag, compressed=None, rendered=None):
    """`response` as every reader gets it: its validators, who may keep it and for how long.
    `rendered` is (purge number, keys) for a page rendered for this request
    (`version.front_max_age`)."""
    # The same ETag for the compressed and the plain page would claim they are byte for byte
    # the same; a weak one says they are the same page (as Django's GZipMiddleware does). A 304
    # carries the tag the 200 would have (`compressed`).
    if compressed is None:
        compressed = bool(response.get("Content-Encoding"))
    response["ETag"] = f"W/{etag}" if compressed else etag
    vary_on_encoding(response)
    last_modified = second_over(last_modified)
    if last_modified is not None:
        response["Last-Modified"] = _http_date(last_modified)
    elif "Last-Modified" in response:  # a feed's own (its newest item's): as young
        del response["Last-Modified"]
    if "Cache-Control" in response:
        patch_cache_control(
            response,
            public=True,
            max_age=settings.READER_BROWSER_MAX_AGE,
            s_maxage=settings.READER_CDN_MAX_AGE,
        )
    else:  # as patch_cache_control would write it, without parsing an empty header
        response["Cache-Control"] = _cache_control(
            settings.READER_BROWSER_MAX_AGE, settings.READER_CDN_MAX_AGE
        )
    # For a front cache that is purged by key (Varnish's VCL, Fastly): longer, as long as no
    # scheduled explainer goes live meanwhile.
    response["Surrogate-Control"] = f"max-age={front_max_age(rendered)}"
    return response


def second_over(last_modified):
    """`last_modified` (whole seconds, as HTTP dates are) once that second is over, else None.

    Within the second, another change may still come and leave the date where it is: a
    client that had the page from before it, asking If-Modified-Since alone (as feed readers
    do), would be told the page had not changed. Until the second is over the page goes
    without Last-Modified, and is revalidated by its ETag."""
    if last_modified is None or last_modified >= int(time.time()):
        return None
    return last_modified


# The Last-Modified of the current content version, formatted once a version per worker.
_http_date = lru_cache(maxsize=64)(http_date)


@lru_cache(maxsize=8)
def _cache_control(max_age, s_maxage):
    return f"public, max-age={max_age}, s-maxage={s_maxage}"


# Request headers that can make a GET conditional; without any, there is nothing to check.
CONDITIONAL_HEADERS = (
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def conditional_response(request, etag, last_modified):
    """Django's 304 or 412 for a conditional request, else None (at once when the request
    carries no conditional header, as most first visits do)."""
    if not any(name in request.META for name in CONDITIONAL_HEADERS):
        return None
    return get_conditional_response(request, etag=etag, last_modified=second_over(last_modified))


def _opaque(tag):
    return tag.removeprefix("W/")


def none_match(request, etag):
    """Whether the request's If-None-Match names `etag` (the weak comparison GET uses)."""
    tags = parse_etags(request.META.get("HTTP_IF_NONE_MATCH", ""))
    return "*" in tags or _opaque(etag) in {_opaque(tag) for tag in tags}
