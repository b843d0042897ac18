"""Where reader pages are kept: the shared cache, each worker's copies, gzipped once."""

import gzip
import hashlib
import secrets
import threading
import time
import zlib
from collections import OrderedDict
from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.crypto import constant_time_compare
from django.utils.encoding import escape_uri_path, iri_to_uri
from django.utils.http import quote_etag

from .version import VERSION_KEYS, current, purge_log, send_unsent

# Entries are (purge number, gzipped content, content type, headers with the page's ETag and
# surrogate keys among them, the keys, when the shared cache lets it go: time.time());
# a new layout gets a new prefix.
PAGE_KEY_PREFIX = "site:pagez4"


@lru_cache(maxsize=8192)
def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


def _address(request):
    """(host, path with query) of `request`, worked out once a request.

    The host is the Host header as sent, unchecked: only a host in ALLOWED_HOSTS can have a
    page kept under it, since pages are kept by views, which run after CommonMiddleware has
    checked it; any other finds nothing and goes on down the stack to be refused. (Checking
    it again here was a tenth of the cost of answering with a kept page.)

    The query is its bytes as sent, percent-encoded where they are not ASCII: Django's
    `get_full_path()` takes them for Latin-1 text and encodes that, so raw UTF-8 `è` (which
    the view reads as `è`) came out as the address of `Ã¨`, and was answered with its page."""
    try:
        return request._reader_address
    except AttributeError:
        host = None if settings.USE_X_FORWARDED_HOST else request.META.get("HTTP_HOST")
        path = escape_uri_path(request.path)
        query = request.META.get("QUERY_STRING", "")
        if query:
            try:
                path = f"{path}?{quote(query.encode('latin-1'), safe=URI_SAFE)}"
            except UnicodeEncodeError:  # not from a WSGI server: text already
                path = f"{path}?{iri_to_uri(query)}"
        request._reader_address = (host or request.get_host(), path)
        return request._reader_address


# What Django's iri_to_uri leaves as it is in an address.
URI_SAFE = "/#%[]=:;$&()+,!?*@'~"


def every_parameter(sent):
    """The query `sent` (a QueryDict) as a view reading all of it reads it: names in the
    order they first come, each name's values once, in the order of their last appearance
    (`GET.get` reads the last; a list filter reads them all, in any order, once each). The
    names' order is the client's own: an API consumer polling `?verdict=…&place=…` has its
    polls kept by a front cache, whatever order it writes them in (the newsroom day's polls,
    read with the names sorted, all went past Varnish to the app); a client can make only as
    many addresses of one read as its names have orders."""
    read = []
    for name in sent:
        last_first = dict.fromkeys(reversed(sent.getlist(name)))
        read.extend((name, value) for value in reversed(last_first))
    return read


def read_as_written(request, params):
    """Make `request` read as a reader page reads it, and say whether its query was already
    written as that page writes its own links.

    `params` is the page's reading of a query: the names of the parameters it reads, in the
    order its links write them (each read with its last value, the one `GET.get` gives), or
    a function giving the (name, value) pairs it reads from the QueryDict sent, values as the
    page reads them (a page number `01` as `1`, an unknown choice left out); None for a view
    that reads the whole query itself (`every_parameter`). The view then sees only those
    (`request.GET`, and the query string), and is kept under its address with only those,
    encoded as Django encodes them. So `?page=2&utm_source=x`, `?page=%32`, `?page=02`,
    `?page=1&page=2` and `?page=2` are one page, rendered once. A query written any other way
    is answered from that page but is no address for a shared cache to keep
    (`decorators.reader_cache`): endless spellings of one page would otherwise each be kept
    and rendered, pushing the pages readers share out."""
    raw = request.META.get("QUERY_STRING", "")
    if not raw:
        return True
    sent = request.GET
    if params is None:
        pairs = every_parameter(sent)
    elif callable(params):
        pairs = params(sent)
    else:
        pairs = [(name, sent[name]) for name in params if name in sent]
    query = QueryDict(mutable=True)
    for name, value in pairs:
        query.appendlist(name, value)
    written = query.urlencode()
    if written == raw:
        return True
    query._mutable = False
    request.GET = query
    request.META["QUERY_STRING"] = written
    request.__dict__.pop("_reader_address", None)  # the early path's, of the query as sent
    return False


def not_for_shared_caches(response):
    """`response`, to a query not written as its page writes it: for the client alone (a
    browser may keep it for READER_BROWSER_MAX_AGE), not for a CDN or Varnish. An answer
    that says less already (a copy being replaced says no-cache) keeps what it says."""
    if "public" in response.get("Cache-Control", ""):
        response["Cache-Control"] = f"private, max-age={settings.READER_BROWSER_MAX_AGE}"
    response["Surrogate-Control"] = "max-age=0"
    return response


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

    Entries are (purge number, gzipped content, content type, headers, surrogate keys),
    each kept for at most `timeout` seconds (READER_CACHE_SECONDS, as in the shared cache; 0
    keeps nothing). `get` returns one only while `current(entry)` says it is, asked again
    only when `stamp` (the last purge applied) has moved since it last said so (every time
    when it is None), so that an entry rendered before a purge of what it shows is never
    served.
    """

    def __init__(self, max_bytes, largest=None):
        self.max_bytes = max_bytes
        # A page larger than this is not kept here (served from the shared cache each time).
        self.largest = max_bytes if largest is None else largest
        self.size = 0
        self.entries = OrderedDict()  # key: [deadline, entry, stamp when last found current]
        self.lock = threading.Lock()

    def __contains__(self, key):
        return key in self.entries

    def get(self, key, current, stamp):
        with self.lock:
            kept = self.entries.get(key)
            if kept is None:
                return None
            deadline, entry, checked = kept
            if deadline <= time.monotonic():
                self._drop(key)
                return None
            if stamp is None or checked != stamp:
                if not current(entry):
                    return None
                if stamp is not None:
                    kept[2] = stamp
            self.entries.move_to_end(key)
            return entry

    def out_of_date(self, key):
        """(entry, purge number) of the copy under `key` whatever its state, with the last
        purge at which it was found current (or rendered); None when there is none."""
        with self.lock:
            kept = self.entries.get(key)
            if kept is None or kept[0] <= time.monotonic():
                return None
            _, entry, checked = kept
            return entry, entry[0] if checked is None else max(checked, entry[0])

    def put(self, key, entry, timeout):
        size = len(entry[1])
        with self.lock:
            self._drop(key)
            if timeout <= 0 or size > self.largest:
                return
            self.entries[key] = [time.monotonic() + timeout, entry, None]
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


# A bulk file (the whole ClaimReview file of the benchmark's archive is 14.5 MB gzipped, its
# verdicts download more) would push out hundreds of the pages readers ask for most: a worker
# keeps no copy of a page larger than an eighth of its copies' room, and reads such a file, a
# rare request, from the shared cache.
local_pages = LocalPages(
    settings.READER_LOCAL_CACHE_MB * 1024 * 1024,
    largest=settings.READER_LOCAL_CACHE_MB * 1024 * 1024 // 8,
)
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


def _is_current(entry):
    return purge_log.is_current(entry[0], entry[4])


def look_up(key, own=None):
    """(purge number, Last-Modified, entry): the last purge applied, and the page kept under
    `key` if it is current (None when there is none, or when `key` is None).

    At most one round trip to the shared cache: the purge counter and the schedule, and the
    page too unless this worker holds a copy already (and one more for the purges made
    since this worker last looked, if any). None when this worker read the counter less
    than READER_VERSION_CHECK_SECONDS ago and holds the page, or when the page is one kept
    by this worker alone (`own`, a LocalPages such as `worker_pages`), which is looked for
    there only.
    """
    send_unsent()
    pages = own if own is not None else local_pages
    fetch_page = key is not None and own is None and key not in pages
    wanted = list(VERSION_KEYS)
    values = None if fetch_page else purge_log.fresh()
    if values is None:
        if fetch_page:
            wanted.append(key)
        values = cache.get_many(wanted)
        purge_log.keep({name: values.get(name) for name in VERSION_KEYS})
    seq, last_modified = current(values)
    entry = None
    if key is not None:
        # A copy is checked again when the purge counter has moved since it was last found
        # current; and while this worker holds purges the cache did not take, every time.
        entry = pages.get(key, _is_current, None if purge_log.unsent else seq)
        if entry is None and own is None:
            # The page came with the counter, or this worker's copy is out of date.
            entry = values.get(key) if key in wanted else cache.get(key)
            if entry is not None and _is_current(entry):
                # For what is left of its time there (a page made of pieces may have been
                # kept for less than READER_CACHE_SECONDS).
                local_pages.put(key, entry, entry[5] - time.time())
            else:
                entry = None
    return seq, last_modified, entry


def stale_copy(key):
    """This worker's copy of the page under `key`, out of date for less than
    READER_STALE_SECONDS (since the first purge after it was last found current), to be
    served while another worker renders its successor; else None.

    So a page purged is rendered once, by the first worker to ask for it, while the others
    keep answering its readers with the copy they hold for the second or so the render
    takes, instead of each rendering it too (or waiting). No reader is served a copy more
    than READER_STALE_SECONDS after the purge that outdated it: past that, they render.
    """
    limit = settings.READER_STALE_SECONDS
    found = local_pages.out_of_date(key) if limit > 0 else None
    if found is None:
        return None
    entry, seq = found
    if seq < purge_log.floor:
        return None
    age = purge_log.out_of_date_for(seq, limit)
    # A purge dated in the future (another machine's clock ahead of this one's) could be
    # taken for a recent one for as long as that clock is ahead: render instead.
    return entry if age is not None and 0 <= age < limit else None


RENDER_LOCK_SECONDS = 30


class rendering:
    """The claim to render the page under `key` now, in the shared cache: `acquire` says
    whether this worker has it (the others may serve their copies meanwhile: `stale_copy`);
    `release` drops it once the page is kept (or the render failed); it lapses after
    RENDER_LOCK_SECONDS (or the `timeout` given) if the worker dies first. Only its holder
    lets it go, so a worker whose claim lapsed cannot free the one another took since."""

    def __init__(self, key):
        self.name = f"{key}:rendering"
        self.token = None

    def acquire(self, timeout=RENDER_LOCK_SECONDS):
        token = secrets.token_hex(8)
        if cache.add(self.name, token, timeout=timeout):
            self.token = token
        return self.token is not None

    def renew(self, timeout):
        """Hold the claim `timeout` seconds more; False when it is not this worker's now (it
        lapsed, and another may hold it)."""
        if self.token is None or cache.get(self.name) != self.token:
            return False
        return cache.touch(self.name, timeout)

    def held_elsewhere(self):
        """Whether another worker holds the claim now."""
        return self.token is None and cache.get(self.name) is not None

    def release(self):
        if self.token is not None and cache.get(self.name) == self.token:
            cache.delete(self.name)
        self.token = None


def mark_stale(response):
    """Mark `response`, an out-of-date copy (or a 304 for one), as kept by nobody: browsers
    ask again before they show it again, the front cache does not keep it (Varnish's VCL
    keeps nothing that says no-cache, and it has no Surrogate-Control)."""
    response["Cache-Control"] = "no-cache"
    if "Surrogate-Control" in response:
        del response["Surrogate-Control"]
    response["X-Reader-Cache"] = "stale"
    response.reader_stale = True
    return response


def store_page(key, seq, content, content_type, headers=(), own=None, keys=(), timeout=None):
    """Keep `content` (rendered after purge `seq`, showing `keys`) under `key`, gzipped, with
    `headers`, in the shared cache and this worker's copies, or with `own` in that
    LocalPages only, for `timeout` seconds (READER_CACHE_SECONDS unless less is given: a
    page made of kept pieces lives no longer than they do); returns the entry."""
    if timeout is None:
        timeout = settings.READER_CACHE_SECONDS
    gzipped = gzip.compress(content, compresslevel=6, mtime=0)
    entry = (seq, gzipped, content_type, tuple(headers), frozenset(keys), time.time() + timeout)
    if own is None:
        cache.set(key, entry, timeout=timeout)
        local_pages.put(key, entry, timeout)
    else:
        own.put(key, entry, timeout)
    return entry


def send_compressed(request, response, entry):
    """Give `response` the stored gzipped bytes of `entry` if the client accepts gzip."""
    if accepts_gzip(request):
        response.content = entry[1]
        response["Content-Encoding"] = "gzip"
    vary_on_encoding(response)
    return response


# A kept page larger than this, gzipped, goes to a client that does not take gzip (curl
# without --compressed) decompressed a piece at a time as it is sent, not whole: the whole
# ClaimReview file of 100,000 claims is 14.5 MB gzipped and 155 MB as text, which a worker
# held for each such request at once.
DECOMPRESS_WHOLE_UP_TO = 1 << 20
DECOMPRESS_PIECE = 1 << 16  # gzipped bytes read at a time
DECOMPRESS_OUT = 1 << 20  # text sent at a time, at most


def decompressed_pieces(gzipped):
    """`gzipped` (one gzip member, as `gzip.compress` writes) as text, a piece of at most
    DECOMPRESS_OUT bytes at a time."""
    inflate = zlib.decompressobj(wbits=31)
    data = memoryview(gzipped)
    for start in range(0, len(data), DECOMPRESS_PIECE):
        given = data[start : start + DECOMPRESS_PIECE]
        while given:
            piece = inflate.decompress(given, DECOMPRESS_OUT)
            if piece:
                yield piece
            given = inflate.unconsumed_tail  # what did not fit in the piece
    rest = inflate.flush()
    if rest:
        yield rest


def cached_response(request, entry):
    """The stored page as a response: its gzipped bytes as they are when the client accepts
    gzip, else decompressed (a large page as it is sent, `decompressed_pieces`)."""
    gzipped, content_type, headers = entry[1:4]
    if accepts_gzip(request):
        response = HttpResponse(gzipped, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    elif len(gzipped) > DECOMPRESS_WHOLE_UP_TO:
        response = StreamingHttpResponse(decompressed_pieces(gzipped), content_type=content_type)
        # Its length, as gzip's trailer gives it (modulo 4 GiB: one member, of one page).
        response["Content-Length"] = str(int.from_bytes(gzipped[-4:], "little"))
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


def keys_taken_for_purged(request):
    """The surrogate keys the benchmark asks a render to take for purged
    (X-Reader-Cache-Purged, space-separated, e.g. `claim-1`, or `all`): honoured only with
    the bypass token, like the bypass itself (pieces.rendering_after)."""
    given = request.META.get("HTTP_X_READER_CACHE_PURGED")
    if not given or not bypasses_cache(request):
        return frozenset()
    return frozenset(given.replace(",", " ").split())
