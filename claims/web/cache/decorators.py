"""`reader_cache`: the view decorator that serves anonymous pages from the cache."""

import time
from functools import wraps

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseNotModified
from django.utils.cache import add_never_cache_headers

from claims.web import ratelimit

from . import stats
from .conditional import conditional_response, none_match, public
from .keys import collecting
from .keys import header as keys_header
from .pieces import rendering_after
from .store import (
    accepts_gzip,
    bypasses_cache,
    cached_response,
    content_etag,
    keys_taken_for_purged,
    look_up,
    mark_stale,
    not_for_shared_caches,
    page_key,
    read_as_written,
    rendering,
    send_compressed,
    stale_copy,
    store_page,
    vary_on_encoding,
    worker_pages,
)


def kept_answer(request, key, own=None, *, again=False):
    """(last purge applied, Last-Modified, answer): the answer to `request` from the page kept
    under `key` if it is current (a 304 or 412 for a conditional request, else the page), or
    None as the answer when none is. Looked up once a request: the early path
    (KeptPageMiddleware) and the view's decorator share it; `again` looks a second time."""
    looked_up = None if again else getattr(request, "_kept_page", None)
    if own is None and looked_up is not None and looked_up[0] == key:
        _, seq, last_modified, entry = looked_up
    else:
        seq, last_modified, entry = look_up(key, own)
        if own is None:
            request._kept_page = (key, seq, last_modified, entry)
    if entry is None:
        return seq, last_modified, None
    stats.note("hit")
    etag = dict(entry[3])["ETag"]
    not_modified = conditional_response(request, etag, last_modified)
    if not_modified is not None:
        compressed = key is not None and accepts_gzip(request)
        return seq, last_modified, public(not_modified, last_modified, etag, compressed)
    return seq, last_modified, public(cached_response(request, entry), last_modified, etag)


def copy_while_rendered_elsewhere(request, key, claim, kept_since):
    """The answer from this worker's copy of the page under `key` while another worker
    renders its successor; None when this worker takes `claim` (store.rendering) and renders
    the page itself. With no copy it may serve (store.stale_copy), for a request that names
    another ETag (a client that already has a newer page, from the worker that rendered it,
    is not sent back to the old one), or for one sending credentials, it waits for the other
    worker's render instead (`rendered_elsewhere`).

    The copy is answered as it was kept, or with a 304 when the request names its ETag; but
    with no Last-Modified (nothing claims it is as new as the purge that outdated it) and
    kept by nobody (store.mark_stale).

    With the claim taken, the page is looked for once more (`kept_since()`: the answer from
    the page kept now, or None): the worker that rendered it drops its claim once the page is
    kept, so a worker that looked just before that and claimed just after would otherwise
    render the page a second time (seen in the newsroom day: a publish's pages rendered by
    both workers, a tenth of a second apart). The answer found then is returned, the claim
    dropped."""
    if claim.acquire():
        return _kept_since_claimed(claim, kept_since)
    # A client sending credentials (an Authorization header the site does not read) is
    # answered from a current page, never from a copy out of date.
    entry = None if "HTTP_AUTHORIZATION" in request.META else stale_copy(key)
    if entry is None:
        return rendered_elsewhere(claim, kept_since)
    etag = dict(entry[3]).get("ETag")
    if "HTTP_IF_NONE_MATCH" in request.META:
        if not (etag and none_match(request, etag)):
            return rendered_elsewhere(claim, kept_since)
        response = HttpResponseNotModified()
        vary_on_encoding(response)
    else:
        response = cached_response(request, entry)
    if etag:
        response["ETag"] = f"W/{etag}" if accepts_gzip(request) else etag
    stats.note("stale")
    return mark_stale(response)


def _kept_since_claimed(claim, kept_since):
    answer = kept_since()
    if answer is not None:
        claim.release()
    return answer


RENDER_POLL_SECONDS = 0.01


def rendered_elsewhere(claim, kept_since):
    """The answer from the page another worker is rendering (it holds `claim`), once it is
    kept; None when READER_RENDER_WAIT_SECONDS pass first (this worker then renders it too),
    or when the other worker lets go without keeping it (this one then holds the claim and
    renders it).

    A worker learns of another's purge up to READER_VERSION_CHECK_SECONDS late, and serves
    no copy more than READER_STALE_SECONDS after the purge: when it learns late, its copy
    may be too old to serve before the render it waits for is done. Rendering the page a
    second time would cost the same worker time as waiting and CPU besides (seen in the
    newsroom day: a publish's claim page, home and the API's list rendered by both workers
    within 20 ms of each other, after every other publish). So it waits, as a front cache's
    requests for a page being fetched wait for that fetch, asking the shared cache every
    RENDER_POLL_SECONDS whether the claim is let go."""
    deadline = time.monotonic() + settings.READER_RENDER_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(RENDER_POLL_SECONDS)
        if claim.held_elsewhere():
            continue
        if claim.acquire():
            return _kept_since_claimed(claim, kept_since)
        # Let go and claimed again at once (a failed render, or a later purge's): wait on.
    return None


def answered_as_read(request, params, answer):
    """`answer()` to `request` read as its page reads a query (`params`), for no shared cache
    if the query was written otherwise (`store.read_as_written`)."""
    if read_as_written(request, params):
        return answer()
    return not_for_shared_caches(answer())


# Headers a view sets that are kept with its page and given with every answer from it (a
# download's file name), beside the ETag and the surrogate keys.
KEPT_HEADERS = ("Content-Disposition",)


def kept_headers(response):
    return [(name, response[name]) for name in KEPT_HEADERS if name in response]


def within_render_budget(request):
    """Whether this client may have one more page rendered for it this minute
    (READER_RENDERS_PER_MINUTE; 0: no limit). Asked only of a page not kept: a kept page
    costs nothing to serve, and every reader may have as many as they like. The benchmark's
    bypass is not asked (it renders on purpose)."""
    limit = settings.READER_RENDERS_PER_MINUTE
    return not limit or ratelimit.allow(request, scope="render", limit=limit, period=60)


def too_many_renders(request, problem=None):
    """429 until the minute is out, kept by nobody; as `problem` details where given (the
    API's: `problem(request, status, code, detail)`)."""
    detail = (
        "This address has asked for more pages not yet kept than one reader reads in a "
        "minute. Pages already kept are still served; try this one again in a minute."
    )
    if problem is not None:
        response = problem(request, 429, "throttled", detail)
    else:
        response = HttpResponse(f"{detail}\n", status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(60 - int(time.time()) % 60)
    add_never_cache_headers(response)
    return response


def reads_only(view, problem=None):
    """`view`, for GET and HEAD; any other method refused (405) here, not given to it, as
    `problem` details where given (the API's) or Django's.

    Reader pages are read, nothing else. The CSRF check lets OPTIONS and TRACE through as
    safe, and the views do not look at the method, so each rendered its page afresh, in
    full, and sent it back, on every request (a front cache passes them to the app). A CORS
    preflight is answered before this, by django-cors-headers."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        if problem is None:
            return HttpResponseNotAllowed(["GET", "HEAD"])
        detail = f'Method "{request.method}" not allowed.'
        response = problem(request, 405, "method_not_allowed", detail)
        response["Allow"] = "GET, HEAD"
        return response

    return wrapped


def reader_cache(view=None, *, worker_only=False, lists=(), params=(), problem=None):
    """Serve anonymous GET/HEAD requests of `view` from the cache, with ETag/Last-Modified.

    Pages are kept in the shared cache (and each worker's copies); with `worker_only`, in the
    worker that rendered them only, within READER_SEARCH_CACHE_MB: for pages with unbounded
    addresses, such as search results, so that a popular search is rendered once per worker
    and purge and a flood of different ones cannot push anything else out. Each is tagged
    with the surrogate keys of what it showed (keys.py), and `lists`: the lists it lists.

    `params` is how the view reads a query (`store.read_as_written`): the names of the
    parameters it reads, in the order its own links write them, or a function; None for a
    view that reads the whole query itself (and refuses what it does not take). A reader's
    request carries nothing else to it, and is kept under its address with only that. An
    address written otherwise is answered from the same page, for that client alone
    (`store.not_for_shared_caches`): a shared cache keeps only the page's own address.

    Any method but GET and HEAD is refused before the view (`reads_only`), and a client past
    its render budget is answered 429 (`within_render_budget`): both as `problem` details
    where given (the API's `problem_response`), else as the reader site's.
    """
    own = worker_pages if worker_only else None

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.is_authenticated:
                # Marked private and not to be stored by the project's middleware
                # (newsroom.middleware.private_answers_to_credentials): the desk is never
                # answered from the cache (it may see previews).
                return view(request, *args, **kwargs)
            # An Authorization header alone is no one here: these views read the desk's
            # session, never a token, and show its sender what they show anyone. It is
            # answered from the kept page (made private by that middleware all the same);
            # rendered afresh each time, any header made a page, a download or the whole
            # ClaimReview file cost a render per request, with no limit.
            return answered_as_read(request, params, lambda: for_a_reader(request, *args, **kwargs))

        def for_a_reader(request, *args, **kwargs):
            key = None if bypasses_cache(request) else page_key(request)
            seq, last_modified, kept = kept_answer(request, key, own)
            if kept is not None:
                return kept
            if key is None or own is not None:  # not shared: no other worker renders it
                return render(request, key, seq, last_modified, *args, **kwargs)
            claim = rendering(key)
            answer = copy_while_rendered_elsewhere(
                request, key, claim, lambda: kept_answer(request, key, again=True)[2]
            )
            if answer is not None:
                return answer
            try:
                return render(request, key, seq, last_modified, *args, **kwargs)
            finally:
                claim.release()

        def render(request, key, seq, last_modified, *args, **kwargs):
            if key is not None and not within_render_budget(request):
                return too_many_renders(request, problem)
            compressed = key is not None and accepts_gzip(request)

            # Not kept, or out of date: rendered, and then the conditional request (if it is
            # one) answered from what the page says.
            taken = keys_taken_for_purged(request)
            with collecting(*lists) as shown, rendering_after(seq, taken) as rendered:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
            if response.status_code != 200 or response.streaming:
                return response
            stats.note("render")
            etag = content_etag(response.content)
            surrogate = keys_header(shown)
            response[surrogate[0]] = surrogate[1]
            if key is not None:
                entry = store_page(
                    key,
                    seq,
                    response.content,
                    response["Content-Type"],
                    headers=[("ETag", etag), surrogate, *kept_headers(response)],
                    own=own,
                    keys=shown,
                    timeout=rendered.timeout(),
                )
            # A purge of what it shows may have come while it rendered: then no front cache
            # is to keep it (version.front_max_age).
            rendered_after_purge = (seq, shown)
            not_modified = conditional_response(request, etag, last_modified)
            if not_modified is not None:
                return public(not_modified, last_modified, etag, compressed, rendered_after_purge)
            if key is not None:
                send_compressed(request, response, entry)
            return public(response, last_modified, etag, rendered=rendered_after_purge)

        return reads_only(wrapped, problem)

    return decorator(view) if view is not None else decorator
