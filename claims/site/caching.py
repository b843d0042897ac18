"""Caching of anonymous reader pages, with invalidation, ETag and Last-Modified.

Every reader page is a function of the published content and the clock. The content's
*generation* (a timestamp in Django's cache, shared by all workers when the cache is Redis) is
moved forward whenever anything in the desk is saved or deleted; scheduled explainers go live
by the clock alone, so the time the latest one became due is part of the version too. A page
is cached under (scheme, host, path and query) with the version it was rendered for: when
anything is published, corrected or unpublished, the version changes and every page is
rendered afresh, so no page can show something that is no longer true, or miss something new,
for longer than it takes to render plus READER_VERSION_CHECK_SECONDS (below). The times of the
latest and the next scheduled explainer are kept in the cache for the current generation (and
looked up again once the next is due), so a page served from the cache costs at most one round
trip to the cache and no database query.

Anonymous responses get an ETag and Last-Modified, so repeat visits are answered 304 without
rendering, and a `Cache-Control: public` a CDN may honour for a short time. Both come from
what readers can see, never from the generation (which a draft saved moves too, and would
tell anyone when the desk is at work): the ETag is a digest of the page itself, kept with
it, and Last-Modified is when readers last saw anything change (a publish, an unpublish, a
correction, an edit of live material, a scheduled explainer coming due; see "readers'
Last-Modified" below). Logged-in users
(the desk, and its previews) are never served from or stored in the cache; what they get is
marked private and not to be stored (newsroom.middleware), and every page says it varies by
cookie.

A page is kept gzip-compressed, compressed once when it is stored: readers' browsers all ask
for gzip, and get the stored bytes as they are (`Content-Encoding: gzip`, a weak ETag, `Vary:
Accept-Encoding`); a client that does not is sent the page decompressed. Each worker also
keeps the pages it served most recently in its own memory (up to READER_LOCAL_CACHE_MB), with
the version each was rendered for, and serves a copy only while it is current, exactly like
the shared one; so a busy page no longer travels from Redis on every request. A worker reads
the version from the shared cache again when the one it holds is READER_VERSION_CHECK_SECONDS
old (1 s): a publish, correction or unpublish made in another worker reaches its readers
within that second; one made in this worker, at once. (Browsers and a CDN may keep a page for
READER_BROWSER_MAX_AGE / READER_CDN_MAX_AGE, a minute, anyway.) A page this worker holds,
under a version read within the second, is served with no round trip at all.

With the local-memory cache (the demo, one process) the generation lives in each process; in
production REDIS_URL makes it one for all workers.
"""

import gzip
import hashlib
import threading
import time
from collections import OrderedDict
from functools import lru_cache, wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.crypto import constant_time_compare
from django.utils.http import http_date, quote_etag

from claims import selectors
from claims.signals import published_record_changed

GENERATION_KEY = "site:generation"
SCHEDULE_KEY = "site:schedule"
# When readers last saw something change: their Last-Modified (with the schedule's due time).
READERS_KEY = "site:readers-changed"
VERSION_KEYS = (GENERATION_KEY, SCHEDULE_KEY, READERS_KEY)
# Entries are (version, gzipped content, content type, headers, the page's ETag among them);
# a new layout gets a new prefix.
PAGE_KEY_PREFIX = "site:pagez2"

# Saves that never change what readers see.
IGNORED_MODELS = {"claimsubmission"}


class VersionSnapshot:
    """The generation, schedule and readers' last change as this worker last read them from
    the shared cache, and when (time.monotonic()); reused for READER_VERSION_CHECK_SECONDS,
    so that a page this worker holds can be served with no round trip at all."""

    def __init__(self):
        self.values = None
        self.read_at = 0.0

    def fresh(self):
        ttl = settings.READER_VERSION_CHECK_SECONDS
        if self.values is not None and ttl > 0 and time.monotonic() - self.read_at < ttl:
            return self.values
        return None

    def keep(self, values):
        self.values = values if values.get(GENERATION_KEY) else None
        self.read_at = time.monotonic()

    def forget(self):
        self.values = None


version_snapshot = VersionSnapshot()


def bump_generation():
    """Move the content generation forward: every cached page is now out of date (at once in
    this process; other workers notice within READER_VERSION_CHECK_SECONDS)."""
    version_snapshot.forget()
    cache.set(GENERATION_KEY, time.time(), timeout=None)


def content_changed(sender, **kwargs):
    if sender._meta.app_label != "claims" or sender._meta.model_name in IGNORED_MODELS:
        return
    # Now, for this process; again when the transaction commits, so that a page rendered by
    # another request from the old data meanwhile is not kept.
    bump_generation()
    transaction.on_commit(bump_generation)


# --- readers' Last-Modified: moved only by what readers can see -----------------------------
#
# The generation above moves on any save in the desk, drafts included, so that no page is
# ever kept past a change; it is never shown. What a reader's browser is told is another
# matter: a Last-Modified that moved with every draft saved would tell anyone when the desk
# is at work. So readers' Last-Modified is READERS_KEY, moved (when the transaction commits:
# a change rolled back was never seen) only by a write that readers see the object of,
# before or after it (claims.selectors.seen_by_readers), and by the workflow's transitions
# that change the published record (claims.signals.published_record_changed). A page's
# ETag is a digest of the page itself.


def readers_saw_a_change(seen_at=None, **kwargs):
    """Move readers' Last-Modified on when the transaction commits (at once outside one): to
    then, or to `seen_at` (a datetime) if readers saw the change earlier and it is later than
    the last one (a scheduled explainer marked published after its time came)."""
    transaction.on_commit(lambda: _move_readers_stamp(seen_at))


def _move_readers_stamp(seen_at=None):
    version_snapshot.forget()
    stamp = time.time()
    if seen_at is not None:
        stamp = max(seen_at.timestamp(), cache.get(READERS_KEY) or 0.0)
    cache.set(READERS_KEY, stamp, timeout=None)


def _may_be_seen(sender):
    return sender._meta.app_label == "claims" and not selectors.never_public(sender)


def _before_save(sender, instance, **kwargs):
    if not _may_be_seen(sender) or instance._state.adding:
        return
    stored = sender._base_manager.filter(pk=instance.pk).first()
    instance._seen_by_readers = stored is not None and selectors.seen_by_readers(stored)


def _after_save(sender, instance, **kwargs):
    if not _may_be_seen(sender):
        return
    if instance.__dict__.pop("_seen_by_readers", False) or selectors.seen_by_readers(instance):
        readers_saw_a_change()


def _before_delete(sender, instance, **kwargs):
    if _may_be_seen(sender):
        instance._seen_by_readers = selectors.seen_by_readers(instance)


def _after_delete(sender, instance, **kwargs):
    if _may_be_seen(sender) and instance.__dict__.pop("_seen_by_readers", False):
        readers_saw_a_change()


def _relation_changed(sender, instance, action, **kwargs):
    """A many-to-many change (claim.places.add(…), explainer.claims.remove(…)): seen when
    readers see the object it is made on, before or after (a place added to a live claim, a
    claim added to a live explainer)."""
    if not _may_be_seen(sender):
        return
    if action.startswith("pre_"):
        instance._seen_by_readers = selectors.seen_by_readers(instance)
    elif instance.__dict__.pop("_seen_by_readers", False) or selectors.seen_by_readers(instance):
        readers_saw_a_change()


def connect_signals():
    """Invalidate reader pages on any save or delete in the desk, and move readers'
    Last-Modified on for those readers see (called by the app config)."""
    for signal, receiver in (
        (pre_save, _before_save),
        (post_save, _after_save),
        (pre_delete, _before_delete),
        (post_delete, _after_delete),
        (m2m_changed, _relation_changed),
        (published_record_changed, readers_saw_a_change),
    ):
        signal.connect(receiver, dispatch_uid=f"reader-site-validators-{signal}")
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(content_changed, dispatch_uid=f"reader-site-cache-{signal}")


def _new_generation():
    cache.add(GENERATION_KEY, time.time(), timeout=None)
    return cache.get(GENERATION_KEY) or time.time()


def _first_readers_stamp():
    """Readers' last change when the cache has none (a new or emptied cache): now, which is
    never earlier than the truth; kept, so that it moves only with what readers see."""
    cache.add(READERS_KEY, time.time(), timeout=None)
    stamp = cache.get(READERS_KEY) or time.time()
    if version_snapshot.values is not None:
        version_snapshot.values[READERS_KEY] = stamp
    return stamp


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
    if version_snapshot.values is not None:
        version_snapshot.values[SCHEDULE_KEY] = (changed, latest_due, next_due)
    return latest_due


def content_version(values):
    """(version string, Last-Modified as a Unix timestamp) of what readers can see now, from
    the generation, schedule and readers' last change `values` fetched from the cache.

    The version (which kept pages are current) moves with any save; Last-Modified only when
    readers saw something change, or a scheduled explainer came due.
    """
    changed = values.get(GENERATION_KEY) or _new_generation()
    due_ts = _schedule(values.get(SCHEDULE_KEY), changed, time.time())
    readers_changed = values.get(READERS_KEY) or _first_readers_stamp()
    return f"{changed:.6f}-{due_ts:.6f}", int(max(readers_changed, due_ts))


# Digests of addresses, kept per worker: a busy page's key is worked out once.
@lru_cache(maxsize=8192)
def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


def _address(request):
    """(host, path with query) of `request`, worked out once a request: Django checks the
    host against ALLOWED_HOSTS each time it is asked."""
    try:
        return request._reader_address
    except AttributeError:
        request._reader_address = (request.get_host(), request.get_full_path())
        return request._reader_address


def page_key(request, variant=""):
    """The cache key of the page `request` asks for (scheme, host, path and query, and the
    `variant`, such as the media type an API response is rendered in)."""
    host, path = _address(request)
    return f"{PAGE_KEY_PREFIX}:{_digest(f'{request.scheme}://{host}{path}|{variant}')}"


def content_etag(content):
    """The ETag of a page: a digest of what it says, and of nothing else (not of when the
    desk last saved anything), so the same on every worker and for as long as it says it."""
    return quote_etag(hashlib.sha256(content).hexdigest()[:32])


READER_VARY = "Accept-Encoding, Cookie"


def vary_on_encoding(response):
    """Add Accept-Encoding and Cookie (a logged-in user gets another answer) to `response`'s
    Vary header; directly while it has no other, since Django's patch_vary_headers parses
    and rebuilds the header, twice for each cached page served."""
    vary = response.get("Vary")
    if vary is None:
        response["Vary"] = READER_VARY
    elif vary != READER_VARY:
        patch_vary_headers(response, ("Accept-Encoding", "Cookie"))


class LocalPages:
    """The pages a worker served most recently, newest last, within `max_bytes` in all.

    Entries are (version, gzipped content, content type, headers), each kept for at most
    `timeout` seconds (READER_CACHE_SECONDS, as in the shared cache; 0 keeps nothing). `get`
    returns one only for the version asked for, so an entry rendered before the content
    changed is never served.
    """

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.size = 0
        self.entries = OrderedDict()  # key: (deadline, entry)
        self.lock = threading.Lock()

    def __contains__(self, key):
        return key in self.entries

    def get(self, key, version):
        with self.lock:
            kept = self.entries.get(key)
            if kept is None:
                return None
            deadline, entry = kept
            if deadline <= time.monotonic():
                self._drop(key)
                return None
            if entry[0] != version:
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, key, entry, timeout):
        size = len(entry[1])
        with self.lock:
            self._drop(key)
            if timeout <= 0 or size > self.max_bytes:
                return
            self.entries[key] = (time.monotonic() + timeout, entry)
            self.size += size
            while self.size > self.max_bytes:
                oldest = next(iter(self.entries))
                self._drop(oldest)

    def _drop(self, key):
        kept = self.entries.pop(key, None)
        if kept is not None:
            self.size -= len(kept[1][1])

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.size = 0


local_pages = LocalPages(settings.READER_LOCAL_CACHE_MB * 1024 * 1024)
# Pages whose addresses are unbounded (search results), kept by each worker alone and apart
# from the others: a client sending endless different searches pushes out only other
# searches, never an explainer, and nothing of it reaches the shared cache.
worker_pages = LocalPages(settings.READER_SEARCH_CACHE_MB * 1024 * 1024)


def accepts_gzip(request):
    """Whether the client accepts gzip (and has not refused it with q=0)."""
    for coding in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        name, _, params = coding.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            q = params.strip().lower().removeprefix("q=")
            try:
                return not params or float(q) > 0
            except ValueError:
                return False
    return False


def look_up(key, own=None):
    """(version, Last-Modified, entry): the content's version now, and the page kept under
    `key` for that version (None when there is none, or when `key` is None).

    At most one round trip to the shared cache: the generation and the schedule, and the page
    too unless this worker holds a copy (of some version) already. None when this worker
    read the generation less than READER_VERSION_CHECK_SECONDS ago and holds the page, or
    when the page is one kept by this worker alone (`own`, a LocalPages such as
    `worker_pages`), which is looked for there only.
    """
    pages = own if own is not None else local_pages
    fetch_page = key is not None and own is None and key not in pages
    wanted = list(VERSION_KEYS)
    values = None if fetch_page else version_snapshot.fresh()
    if values is None:
        if fetch_page:
            wanted.append(key)
        values = cache.get_many(wanted)
        version_snapshot.keep({name: values.get(name) for name in VERSION_KEYS})
    version, last_modified = content_version(values)
    entry = None
    if key is not None:
        entry = pages.get(key, version)
        if entry is None and own is None:
            # The page came with the version, or this worker's copy is of another version.
            entry = values.get(key) if key in wanted else cache.get(key)
            if entry is not None and entry[0] == version:
                local_pages.put(key, entry, settings.READER_CACHE_SECONDS)
            else:
                entry = None
    return version, last_modified, entry


def store_page(key, version, content, content_type, headers=(), own=None):
    """Keep `content` (rendered for `version`) under `key`, gzipped, with `headers`, in the
    shared cache and this worker's copies, or with `own` in that LocalPages only; returns
    the entry."""
    gzipped = gzip.compress(content, compresslevel=6, mtime=0)
    entry = (version, gzipped, content_type, tuple(headers))
    if own is None:
        cache.set(key, entry, timeout=settings.READER_CACHE_SECONDS)
        local_pages.put(key, entry, settings.READER_CACHE_SECONDS)
    else:
        own.put(key, entry, settings.READER_CACHE_SECONDS)
    return entry


def send_compressed(request, response, entry):
    """Give `response` the stored gzipped bytes of `entry` if the client accepts gzip."""
    if accepts_gzip(request):
        response.content = entry[1]
        response["Content-Encoding"] = "gzip"
    vary_on_encoding(response)
    return response


def cached_response(request, entry):
    """The stored page as a response: its gzipped bytes as they are when the client accepts
    gzip, else decompressed."""
    _, gzipped, content_type, headers = entry
    if accepts_gzip(request):
        response = HttpResponse(gzipped, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(gzipped), content_type=content_type)
    for name, value in headers:
        response[name] = value
    vary_on_encoding(response)
    response["X-Reader-Cache"] = "hit"
    return response


def bypasses_cache(request):
    """Whether the request carries READER_CACHE_BYPASS_TOKEN in X-Reader-Cache-Bypass.

    The benchmark measures what rendering a reader page costs with it; with no token set (the
    default, and production) no request can bypass the cache.
    """
    token = settings.READER_CACHE_BYPASS_TOKEN
    if not token:
        return False
    given = request.META.get("HTTP_X_READER_CACHE_BYPASS")
    return bool(given) and constant_time_compare(given, token)


def _public(response, last_modified, etag, compressed=None):
    # The same ETag for the compressed and the plain page would claim they are byte for byte
    # the same; a weak one says they are the same page (as Django's GZipMiddleware does). A 304
    # carries the tag the 200 would have (`compressed`).
    if compressed is None:
        compressed = bool(response.get("Content-Encoding"))
    response["ETag"] = f"W/{etag}" if compressed else etag
    vary_on_encoding(response)
    response["Last-Modified"] = _http_date(last_modified)
    patch_cache_control(
        response,
        public=True,
        max_age=settings.READER_BROWSER_MAX_AGE,
        s_maxage=settings.READER_CDN_MAX_AGE,
    )
    return response


# The Last-Modified of the current content version, formatted once a version per worker.
_http_date = lru_cache(maxsize=64)(http_date)

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
    return get_conditional_response(request, etag=etag, last_modified=last_modified)


def reader_cache(view=None, *, worker_only=False):
    """Serve anonymous GET/HEAD requests of `view` from the cache, with ETag/Last-Modified.

    Pages are kept in the shared cache (and each worker's copies); with `worker_only`, in the
    worker that rendered them only, within READER_SEARCH_CACHE_MB: for pages with unbounded
    addresses, such as search results, so that a popular search is rendered once per worker
    and version and a flood of different ones cannot push anything else out.
    """
    own = worker_pages if worker_only else None

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            if request.user.is_authenticated:
                # Marked private and not to be stored by the project's middleware
                # (newsroom.middleware.private_answers_to_credentials).
                return view(request, *args, **kwargs)

            key = None if bypasses_cache(request) else page_key(request)
            version, last_modified, entry = look_up(key, own)
            compressed = key is not None and accepts_gzip(request)
            if entry is not None:
                etag = dict(entry[3])["ETag"]
                not_modified = conditional_response(request, etag, last_modified)
                if not_modified is not None:
                    return _public(not_modified, last_modified, etag, compressed)
                return _public(cached_response(request, entry), last_modified, etag)

            # Not kept for this version: rendered, and then the conditional request (if it is
            # one) answered from what the page says.
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code != 200 or response.streaming:
                return response
            etag = content_etag(response.content)
            if key is not None:
                entry = store_page(
                    key,
                    version,
                    response.content,
                    response["Content-Type"],
                    headers=[("ETag", etag)],
                    own=own,
                )
            not_modified = conditional_response(request, etag, last_modified)
            if not_modified is not None:
                return _public(not_modified, last_modified, etag, compressed)
            if key is not None:
                send_compressed(request, response, entry)
            return _public(response, last_modified, etag)

        return wrapped

    return decorator(view) if view is not None else decorator
