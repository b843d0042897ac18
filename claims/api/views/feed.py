"""The ClaimReview feed for fact-check aggregators: paged at /api/v1/claimreviews/, whole at
/api/v1/claimreviews.jsonld; the same for everyone, built by the reader site's ClaimReview
builder (`claims.web.jsonld`)."""

import hashlib
import json
import time
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

import claims as claims_package
import newsroom
from claims import selectors
from claims.models import Claim
from claims.web import jsonld, links
from claims.web.cache import keys, pieces, shared, store

from .. import filters
from ..exceptions import problem_response
from ..pagination import UncountedPagination
from ..readercache import reader_cached
from ..serializers.feed import DataFeedSerializer
from .base import DeskViewSet


class JSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


class ClaimReviewFeedViewSet(DeskViewSet):
    """The published claim reviews as schema.org JSON-LD: a DataFeed of ClaimReview items
    for fact-check aggregators, built by the reader site's own ClaimReview builder.

    Everyone gets the same feed (published verdicts only). Takes the claims list's filters,
    e.g. `updated_since` to fetch only what changed since the last poll."""

    model = Claim
    serializer_class = DataFeedSerializer
    filterset_class = filters.ClaimFilterSet
    ordering_fields = ("current_verdict_as_of", "updated_at", "id")
    ordering = ("-current_verdict_as_of",)
    renderer_classes = [JSONRenderer, JSONLDRenderer, BrowsableAPIRenderer]
    pagination_class = UncountedPagination
    search_kind = "claims"

    def for_desk(self):
        return False  # the feed is the public record, whoever asks

    def readers_queryset(self):
        return selectors.assessed_claims_for_readers()

    def with_related(self, queryset, *, desk):
        if self.items_kept():
            # Their ids alone: review_items reads again whole the claims whose items are not
            # kept (a page of 50 claims with their claimants was a third of a render).
            return queryset.only("id")
        return with_review_material(queryset)

    def items_kept(self):
        """Whether this is a page of the feed rendered by the reader cache, whose claims'
        items each worker keeps (claims.web.cache.pieces): a page re-rendered because one
        claim got a verdict loads and builds that claim's item alone."""
        return self.action == "list" and pieces.active()

    def review_items(self, claims):
        """The DataFeedItems of `claims`, kept ones reused, the others built."""
        request = self.request
        items = pieces.per_object(
            claims,
            lambda claim: ("api:claimreview", claim.pk, request.scheme, request.get_host()),
            selectors.verdict_prefetches,
            lambda missing: [
                feed_item(claim, request, works)
                for claim, works in zip(missing, jsonld.kept_appearance_works(missing), strict=True)
            ],
            # By id: the page's query found them visible to readers in this same render.
            reload=Claim.objects.select_related("claimant"),
        )
        return [item for item in items if item is not None]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "Link",
                OpenApiTypes.STR,
                location=OpenApiParameter.HEADER,
                response=[200],
                description="The next and previous pages (also `next` and `previous` in the "
                'body): <url>; rel="next", <url>; rel="prev".',
            )
        ]
    )
    @reader_cached
    def list(self, request, *args, **kwargs):
        filters.check_query_parameters(request, self)
        claims = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        pages = {
            "next": self.paginator.get_next_link(),
            "previous": self.paginator.get_previous_link(),
        }
        items = self.review_items(claims) if self.items_kept() else None
        feed = claim_review_feed(claims, request, pages=pages, items=items)
        links = [
            f'<{url}>; rel="{rel}"'
            for url, rel in ((pages["next"], "next"), (pages["previous"], "prev"))
            if url
        ]
        return Response(feed, headers={"Link": ", ".join(links)} if links else None)


# The feed's context: schema.org, and Hydra's words for the links between its pages.
FEED_CONTEXT = [
    "https://schema.org",
    {
        "hydra": "http://www.w3.org/ns/hydra/core#",
        "next": {"@id": "hydra:next", "@type": "@id"},
        "previous": {"@id": "hydra:previous", "@type": "@id"},
    },
]


def with_review_material(claims):
    """`claims` with what a ClaimReview is built from (jsonld.claim_review): the verdict
    history with its evidence, and the appearances; not the claim page's places, links and
    explainers."""
    return claims.select_related("claimant").prefetch_related(*selectors.claim_card_prefetches())


def feed_item(claim, request, works=None):
    """The DataFeedItem of `claim`'s ClaimReview, as its claim page carries it (`works`: its
    `jsonld.appearance_works`, else read from its appearances); None for a claim with no
    published verdict."""
    review = jsonld.claim_review(claim, request, works)
    if review is None:
        return None
    review.pop("@context", None)
    return {"@type": "DataFeedItem", "dateModified": review["dateModified"], "item": review}


def claim_review_feed(claims, request, *, pages=None, items=None):
    """A schema.org DataFeed of the ClaimReviews of `claims` (reader-visible, assessed), as
    the reader site's claim pages carry them, or of `items` when they are built already;
    with `pages`, the next and previous pages' addresses (None at either end) in the body."""
    if items is None:
        items = [item for item in (feed_item(claim, request) for claim in claims) if item]
    feed = {
        "@context": FEED_CONTEXT if pages is not None else "https://schema.org",
        "@type": "DataFeed",
        "name": f"{settings.DESK['ORGANISATION_NAME']}: claim reviews",
        "url": links.absolute_url(request.get_full_path(), request),
        **(pages or {}),
        "publisher": jsonld.organization(request),
        "dateModified": max((item["dateModified"] for item in items), default=None),
        "dataFeedElement": items,
    }
    return feed


# Claims read at a time for the whole file (and their verdicts, evidence and appearances).
FILE_CHUNK = 2000
# The whole file's order: newest verdict first.
FILE_ORDER = ("-current_verdict_as_of", "-id")
# What an item of the whole file is kept under in the shared cache: the layout's number, then
# a digest of what else it depends on (file_item_context), then the claim's id.
FILE_ITEM_PREFIX = "claimreview-item:1:"
# Held by the one request building a context's items (`BuildLock`); a client told the file is
# not ready is asked to come back after FILE_RETRY_AFTER seconds.
FILE_BUILD_LOCK = "claimreview-file:building"
FILE_RETRY_AFTER = 30


class FileNotReady(Exception):
    """The whole file cannot be put together in this request: another is building its items,
    or this one ran out of time (CLAIMREVIEW_FILE_BUILD_SECONDS) having kept those it built."""


@csrf_exempt
def claim_review_file(request):
    """The whole ClaimReview feed as one file (`/api/v1/claimreviews.jsonld`), as fact-check
    aggregators ingest it: every published verdict, newest first, with no pages. Served
    through the reader cache, so it is put together once per change readers see in a claim
    and revalidated with its ETag and Last-Modified; put together from items kept in the
    shared cache (`file_body`), so that only the claims changed since are built again.

    While the items are being built (a new archive, a new release, a day with nobody asking),
    a request that cannot finish within CLAIMREVIEW_FILE_BUILD_SECONDS (and the chunk of
    FILE_CHUNK claims under way then, about 2 s) gets a 503 with Retry-After, and the items it
    built are kept for the next. `manage.py prepare_claimreview_file` builds them off the
    request path."""
    if request.GET:
        detail = "The whole feed takes no parameters; /api/v1/claimreviews/ filters and pages it."
        return problem_response(request, 400, "invalid", detail)
    deadline = time.monotonic() + settings.CLAIMREVIEW_FILE_BUILD_SECONDS
    try:
        # Tagged with the lists it shows (its route's), not row by row: it shows every claim
        # readers may see with a verdict.
        with keys.lists_only():
            body = file_body(request, shared.current_seq(), deadline)
    except FileNotReady:
        detail = (
            "The whole file is being prepared. Ask again after the seconds in Retry-After, "
            "or read the same items page by page at /api/v1/claimreviews/."
        )
        response = problem_response(request, 503, "not_ready", detail)
        response["Retry-After"] = str(FILE_RETRY_AFTER)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponse(body, content_type="application/ld+json")


def file_body(request, seq, deadline=None, counts=None):
    """The whole ClaimReview feed's bytes, for a render after purge `seq`: the same bytes as
    `claim_review_feed` of every assessed claim readers may see (newest verdict first) dumped
    as JSON, put together from each claim's item as kept in the shared cache (shared.py), the
    items not kept built, FILE_CHUNK claims at a time, and kept. With `deadline`
    (time.monotonic()), FileNotReady once it has passed with items still to build, or when
    another request is building them. `counts`, a dict, is given the number of items kept
    already ("kept") and built ("built").

    On the benchmark's large archive (94,000 items, 155 MB) building every item takes some
    90 s of CPU; with the items kept, the file is put together in about 2 s."""
    ids = list(
        selectors.assessed_claims_for_readers().order_by(*FILE_ORDER).values_list("id", flat=True)
    )
    context = file_item_context(request)
    prefix = f"{FILE_ITEM_PREFIX}{context}:"
    lock = BuildLock(context) if deadline is not None else None
    parts, newest = [], None
    try:
        for start in range(0, len(ids), FILE_CHUNK):
            chunk = ids[start : start + FILE_CHUNK]
            names = [f"{prefix}{pk}" for pk in chunk]
            items = shared.look_up_many(names, seq)
            missing = [pk for pk, name in zip(chunk, names, strict=True) if name not in items]
            if missing:
                if lock is not None:
                    lock.hold(deadline)
                built = _file_items(missing, request)
                if counts is not None:
                    counts["built"] = counts.get("built", 0) + len(built)
                shared.keep_many({f"{prefix}{pk}": item for pk, item in built.items()}, seq)
                items.update((f"{prefix}{pk}", item[0]) for pk, item in built.items())
            if counts is not None:
                counts["kept"] = counts.get("kept", 0) + len(chunk) - len(missing)
            for name in names:
                item = items.get(name)
                if item:  # None: unpublished since its id was read; b"": no published verdict
                    modified, text = item
                    parts.append(text)
                    newest = modified if newest is None else max(newest, modified)
    finally:
        if lock is not None:
            lock.release()
    envelope = claim_review_feed((), request)
    envelope["dateModified"] = newest
    del envelope["dataFeedElement"]  # its last member: written after the rest, from the items
    head = _dumped(envelope)[:-1].encode()
    # Joined as the bytes kept: on the large set, 155 MB copied once, not decoded and encoded.
    return b"".join((head, b',"dataFeedElement":[', b",".join(parts), b"]}"))


def file_in_one_go(request):
    """The whole file built as it was before items were kept: every claim read with its
    review material and every item built, a chunk at a time. What the file put together from
    kept items must equal byte for byte (the tests), and the baseline its cost is measured
    against (claims/devtools/claimreview_file_timing.py)."""
    claims = with_review_material(selectors.assessed_claims_for_readers()).order_by(*FILE_ORDER)
    with keys.lists_only():
        whole = claim_review_feed(claims.iterator(chunk_size=FILE_CHUNK), request)
    return _dumped(whole).encode()


class BuildLock:
    """The claim to build the items of one context (`file_item_context`), a render claim in the
    shared cache (store.rendering): one request builds them at a time, the others answer 503
    at once. Taken before the first chunk a request builds, and renewed before each one after,
    until the request's deadline (and a little more); a request whose deadline has passed, or
    whose claim lapsed, builds no more (FileNotReady)."""

    def __init__(self, context):
        self.claim = store.rendering(f"{FILE_BUILD_LOCK}:{context}")
        self.name = self.claim.name

    def hold(self, deadline):
        left = deadline - time.monotonic()
        timeout = max(1, int(left) + 5)
        if self.claim.token is None:
            held = self.claim.acquire(timeout)
        else:
            held = left > 0 and self.claim.renew(timeout)
        if not held:
            raise FileNotReady

    def release(self):
        self.claim.release()


def _file_items(ids, request):
    """{id: ((dateModified, item as UTF-8 JSON) or b"", keys of what it shows)} of the claims of
    `ids` readers may still see, built with everything they are built from read at once."""
    claims = list(with_review_material(selectors.assessed_claims_for_readers().filter(pk__in=ids)))
    built = {}
    with keys.collecting() as read_lazily:  # none expected: a row read lazily, for all
        for claim in claims:
            item = feed_item(claim, request)
            value = (item["dateModified"], _dumped(item).encode()) if item else b""
            built[claim.pk] = value
    # Each item's keys are those of the rows reachable from its claim (some 8), not of every
    # row its chunk loaded (some 8,000: any change to any claim of the chunk would purge it).
    return {claim.pk: (built[claim.pk], keys.loaded_keys(claim) | read_lazily) for claim in claims}


def file_item_context(request):
    """A digest of what a file item depends on besides its claim: the public address its
    links are written with, the language, time zone and script prefix, the organisation
    it names as author, and the code that writes it (so that a new release's items are not
    taken for the previous one's)."""
    context = (
        links.absolute_url("/", request),
        get_language(),
        timezone.get_current_timezone_name(),
        get_script_prefix(),
        jsonld.organization(request),
        _FILE_CODE,
    )
    return hashlib.sha256(repr(context).encode()).hexdigest()[:16]


def _code_digest(*packages):
    """A digest of the Python source of `packages`: an item's JSON comes from the models
    (a source's public name, a claim's address), the URLconf, the settings and the feed's own
    code, so any release takes none of the items the previous one kept."""
    digest = hashlib.sha256()
    for package in packages:
        root = Path(package.__file__).parent
        for path in sorted(root.rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


_FILE_CODE = _code_digest(claims_package, newsroom)


def _dumped(data):
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
