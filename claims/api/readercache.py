"""Anonymous API reads from the reader cache (claims/web/cache/).

Aggregators poll the same few addresses (the ClaimReview feed, the latest verdicts, an
explainer) over and over, and every anonymous consumer gets the same published material. So
a successful anonymous JSON read is kept, gzipped, under its scheme, host, path, query and
media type, tagged with the surrogate keys of what it shows (a list, with the list of its
kind too), until a change readers see purges one of them, exactly as the reader pages are
(claims/web/cache/keys.py; other workers notice within READER_VERSION_CHECK_SECONDS, 1 s).

What is never cached: a request from a logged-in user or with an API token (desk staff see
drafts), the browsable API (it shows the user and a CSRF token), free-text `?search=`, anything
but a 200, and requests carrying the benchmark's bypass token. Throttling, authentication and
content negotiation run before the cache is consulted, on every request; `If-None-Match` is
answered 304 from the kept ETag.
"""

from functools import wraps

from django.http import HttpResponseNotModified
from django.utils.http import parse_header_parameters
from rest_framework.response import Response

from claims.web.cache import keys, pieces, stats, store
from claims.web.cache.conditional import none_match
from claims.web.cache.decorators import copy_while_rendered_elsewhere
from claims.web.cache.version import front_max_age

from .filters import StableOrderingFilter
from .pagination import DeskPagination, number_as_read

CACHED_FORMATS = ("json", "jsonld")
KEPT_HEADERS = ("ETag", "Link")


def reader_cached(handler):
    """For a viewset's `list` / `retrieve`: serve anonymous JSON reads from the cache, and
    mark a miss so that `ReaderCacheMixin.finalize_response` keeps what it renders."""

    @wraps(handler)
    def wrapped(self, request, *args, **kwargs):
        key = self.reader_cache_key(request)
        if key is None:
            if self.is_reader_read(request) and store.bypasses_cache(request):
                # The benchmark's render afresh: with the pieces a render here would reuse.
                seq, _, _ = store.look_up(None)
                with pieces.rendering_after(seq, store.keys_taken_for_purged(request)):
                    return handler(self, request, *args, **kwargs)
            return handler(self, request, *args, **kwargs)
        # Kept here, so a front cache may keep it too (finalize_response says for how long).
        self._reader_cache_kept = True
        seq, _, entry = store.look_up(key)
        if entry is not None:
            return answer_kept(request, entry)
        claim = store.rendering(key)
        answer = copy_while_rendered_elsewhere(request, key, claim, lambda: kept_now(request, key))
        if answer is not None:
            return answer
        # A list is tagged with the lists of its kind too: a new row joins it.
        lists = keys.list_keys(self.model) if self.action == "list" else ()
        try:
            with keys.collecting(*lists) as shown, pieces.rendering_after(seq) as rendered:
                response = handler(self, request, *args, **kwargs)
        except BaseException:
            claim.release()
            raise
        # Kept, and the claim to render it dropped, when the response is final.
        self._reader_cache_pending = (key, seq, shown, claim, rendered.timeout())
        return response

    return wrapped


def answer_kept(request, entry):
    """The answer to `request` from a kept response: a 304 when it names the ETag."""
    stats.note("hit")
    etag = dict(entry[3]).get("ETag")
    if etag and none_match(request, etag):
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = etag
        return not_modified
    return store.cached_response(request, entry)


def kept_now(request, key):
    """The answer from the response kept under `key` if it is current now, else None."""
    _, _, entry = store.look_up(key)
    return None if entry is None else answer_kept(request, entry)


def media_variant(request):
    """The media type a read is rendered in, as it changes what is rendered: the renderer's,
    with the JSON renderer's `indent` as DRF reads it (a whole number, 0 to 8). DRF keeps
    every parameter of the client's Accept in `accepted_media_type`, so `Accept: */*; x=1`,
    `x=2`, … were each a read of their own, rendered and kept anew."""
    variant = request.accepted_renderer.media_type
    indent = parse_header_parameters(request.accepted_media_type or "")[1].get("indent")
    if indent is not None:
        try:
            variant = f"{variant}; indent={max(min(int(indent), 8), 0)}"
        except ValueError:
            pass  # not read (DRF's JSONRenderer.get_indent)
    return variant


class ReaderCacheMixin:
    """Keeps the rendered responses `reader_cached` handlers mark (goes before
    ConditionalMixin, so that the ETag is set when the response is kept)."""

    def is_reader_read(self, request):
        """Whether `request` is an anonymous JSON read of the kind the reader cache keeps."""
        if request.method not in ("GET", "HEAD"):
            return False
        if request.user.is_authenticated or request.auth is not None:
            return False
        if "HTTP_AUTHORIZATION" in request.META:
            return False
        if request.accepted_renderer.format not in CACHED_FORMATS:
            return False
        # Free-text searches are unbounded: keeping every one anyone sends in the shared cache
        # would push the pages readers share out of it. (The reader site keeps its searches in
        # each worker's own memory instead; the API does not keep them.)
        return "search" not in request.query_params

    def reader_cache_key(self, request):
        if not self.is_reader_read(request) or store.bypasses_cache(request):
            return None
        # Kept under the query as the view reads it (store.every_parameter: values once, no
        # empty pieces): `?&`, `?a=1&a=1` and `?a=1` are one read; a spelling other than that
        # one is answered for its client alone (finalize_response), so no shared cache keeps
        # endless ones.
        self._read_otherwise = not store.read_as_written(request._request, self.query_as_read)
        return store.page_key(request, variant=media_variant(request))

    def query_as_read(self, sent):
        """The query `sent` as this view reads it (`store.read_as_written`): every parameter,
        values once (`store.every_parameter`), and the page number, page size and ordering
        as the pagination and ordering read them: the last value given, a page `01` as `1`,
        a size past the largest as the largest, an ordering's fields without blanks and
        repeats (`?ordering=-id,-id` and `?ordering=+-id,`, whose `+` is a space, are
        `-id`). Each spelling of one read was a read of its own, rendered and kept anew.
        Anything else is left as sent, for the view to refuse (400)."""
        tidy = {}
        paginator = getattr(self, "paginator", None)
        if isinstance(paginator, DeskPagination):
            most = paginator.max_page_size
            tidy[paginator.page_query_param] = number_as_read
            tidy[paginator.page_size_query_param] = lambda value: number_as_read(value, most)
        for backend in getattr(self, "filter_backends", ()):
            if issubclass(backend, StableOrderingFilter):
                tidy[backend.ordering_param] = backend.as_read
        read, tidied = [], set()
        for name, value in store.every_parameter(sent):
            if name not in tidy:
                read.append((name, value))
            elif name not in tidied:  # the one value read: the last
                tidied.add(name)
                read.append((name, tidy[name](sent[name])))
        return read

    def finalize_response(self, request, response, *args, **kwargs):
        response = self._finalize_kept(request, response, *args, **kwargs)
        if getattr(self, "_read_otherwise", False) and response.status_code in (200, 304):
            store.not_for_shared_caches(response)
        return response

    def _finalize_kept(self, request, response, *args, **kwargs):
        pending = getattr(self, "_reader_cache_pending", None)
        self._reader_cache_pending = None
        try:
            response = super().finalize_response(request, response, *args, **kwargs)
            if getattr(response, "reader_stale", False):
                # A copy being replaced (copy_while_rendered_elsewhere): kept by nobody.
                store.mark_stale(response)
            elif getattr(self, "_reader_cache_kept", False) and response.status_code in (
                200,
                304,
            ):
                # As the reader pages: a front cache purged by key (Varnish's VCL) may keep
                # what this cache keeps, as long as no scheduled explainer goes live meanwhile,
                # and a response rendered here only if nothing it shows was purged meanwhile.
                rendered = None if pending is None else (pending[1], pending[2])
                response["Surrogate-Control"] = f"max-age={front_max_age(rendered)}"
            if pending is None:
                return response
            key, seq, shown, _, timeout = pending
            return self._keep(request, response, key, seq, shown, timeout)
        finally:
            if pending is not None:  # the claim to render it, whatever became of the render
                pending[3].release()

    def _keep(self, request, response, key, seq, shown, timeout):
        if not isinstance(response, Response) or response.status_code != 200:
            return response
        response.render()
        stats.note("render")
        surrogate = keys.header(shown)
        response[surrogate[0]] = surrogate[1]
        headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
        headers.append(surrogate)
        content_type = response["Content-Type"]
        entry = store.store_page(
            key, seq, response.content, content_type, headers, keys=shown, timeout=timeout
        )
        return store.send_compressed(request, response, entry)
