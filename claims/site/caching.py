"""Caching of anonymous reader pages, with invalidation, ETag and Last-Modified.

Every reader page is a function of the published content and the clock. The content's
*generation* (a timestamp in Django's cache, shared by all workers when the cache is Redis) is
moved forward whenever anything in the desk is saved or deleted; scheduled explainers go live
by the clock alone, so the time the latest one became due is part of the version too. A page
is cached under (host, path and query) with the version it was rendered for: when anything is
published, corrected or unpublished, the version changes and every page is rendered afresh, so
no page can show something that is no longer true, or miss something new, for longer than it
takes to render. The times of the latest and the next scheduled explainer are kept in the
cache for the current generation (and looked up again once the next is due), so a page served
from the cache costs one round trip to the cache and no database query.

Anonymous responses get an ETag and Last-Modified, so repeat visits are answered 304 without
rendering, and a `Cache-Control: public` a CDN may honour for a short time. Logged-in users
(the desk, and its previews) are never served from or stored in the cache.

With the local-memory cache (the demo, one process) the generation lives in each process; in
production REDIS_URL makes it one for all workers.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.crypto import constant_time_compare
from django.utils.http import http_date, quote_etag

from claims import selectors

GENERATION_KEY = "site:generation"
SCHEDULE_KEY = "site:schedule"
PAGE_KEY_PREFIX = "site:page"

# Saves that never change what readers see.
IGNORED_MODELS = {"claimsubmission"}


def bump_generation():
    """Move the content generation forward: every cached page is now out of date."""
    cache.set(GENERATION_KEY, time.time(), timeout=None)


def content_changed(sender, **kwargs):
    if sender._meta.app_label != "claims" or sender._meta.model_name in IGNORED_MODELS:
        return
    # Now, for this process; again when the transaction commits, so that a page rendered by
    # another request from the old data meanwhile is not kept.
    bump_generation()
    transaction.on_commit(bump_generation)


def connect_signals():
    """Invalidate reader pages on any save or delete in the desk (called by the app config)."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(content_changed, dispatch_uid=f"reader-site-cache-{signal}")


def _new_generation():
    cache.add(GENERATION_KEY, time.time(), timeout=None)
    return cache.get(GENERATION_KEY) or time.time()


def _schedule(entry, changed, now):
    """(latest due, next due) Unix timestamps of scheduled explainers, from `entry` (as kept
    in the cache) while it is for this generation and the next one is not yet due, else from
    the database (and kept for the next request)."""
    if entry is not None:
        for_generation, latest_due, next_due = entry
        if for_generation == changed and (next_due is None or now < next_due):
            return latest_due
    times = selectors.scheduled_publication_times()
    latest_due = times["latest_due"].timestamp() if times["latest_due"] else 0.0
    next_due = times["next_due"].timestamp() if times["next_due"] else None
    cache.set(SCHEDULE_KEY, (changed, latest_due, next_due), timeout=None)
    return latest_due


def content_version(values):
    """(version string, Last-Modified as a Unix timestamp) of what readers can see now, from
    the generation and schedule `values` fetched from the cache."""
    changed = values.get(GENERATION_KEY) or _new_generation()
    due_ts = _schedule(values.get(SCHEDULE_KEY), changed, time.time())
    return f"{changed:.6f}-{due_ts:.6f}", int(max(changed, due_ts))


def _page_key(request):
    where = f"{request.get_host()}|{request.get_full_path()}"
    return f"{PAGE_KEY_PREFIX}:{hashlib.sha256(where.encode()).hexdigest()}"


def _etag(request, version):
    where = f"{version}|{request.get_host()}|{request.get_full_path()}"
    return quote_etag(hashlib.sha256(where.encode()).hexdigest()[:32])


def bypasses_cache(request):
    """Whether the request carries READER_CACHE_BYPASS_TOKEN in X-Reader-Cache-Bypass.

    The benchmark measures what rendering a reader page costs with it; with no token set (the
    default, and production) no request can bypass the cache.
    """
    token = settings.READER_CACHE_BYPASS_TOKEN
    given = request.headers.get("X-Reader-Cache-Bypass")
    return bool(token and given) and constant_time_compare(given, token)


def _public(response, last_modified, etag):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(
        response,
        public=True,
        max_age=settings.READER_BROWSER_MAX_AGE,
        s_maxage=settings.READER_CDN_MAX_AGE,
    )
    return response


def reader_cache(view=None, *, store=True):
    """Serve anonymous GET/HEAD requests of `view` from the cache, with ETag/Last-Modified.

    With `store=False` responses still get validators and Cache-Control but are not kept
    server-side (for pages with unbounded addresses, such as search results).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            if request.user.is_authenticated:
                response = view(request, *args, **kwargs)
                patch_cache_control(response, private=True, no_cache=True)
                return response

            # One round trip to the cache: the content generation, the schedule, the page.
            key = _page_key(request)
            use_cache = store and not bypasses_cache(request)
            values = cache.get_many(
                [GENERATION_KEY, SCHEDULE_KEY, key] if use_cache else [GENERATION_KEY, SCHEDULE_KEY]
            )
            version, last_modified = content_version(values)
            etag = _etag(request, version)
            not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
            if not_modified is not None:
                return _public(not_modified, last_modified, etag)

            cached = values.get(key)
            if cached is not None and cached[0] == version:
                _, content, content_type = cached
                response = HttpResponse(content, content_type=content_type)
                response["X-Reader-Cache"] = "hit"
                return _public(response, last_modified, etag)

            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code != 200 or response.streaming:
                return response
            if use_cache:
                cache.set(
                    key,
                    (version, response.content, response["Content-Type"]),
                    timeout=settings.READER_CACHE_SECONDS,
                )
            return _public(response, last_modified, etag)

        return wrapped

    return decorator(view) if view is not None else decorator
