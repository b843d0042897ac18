"""The ClaimReview feed for fact-check aggregators: paged at /api/v1/claimreviews/, whole at
/api/v1/claimreviews.jsonld; the same for everyone, built by the reader site's ClaimReview
builder (`claims.web.jsonld`)."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from claims import selectors
from claims.models import Claim
from claims.web import jsonld
from claims.web.cache import keys, pieces

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
        "url": request.build_absolute_uri(),
        **(pages or {}),
        "publisher": jsonld.organization(request),
        "dateModified": max((item["dateModified"] for item in items), default=None),
        "dataFeedElement": items,
    }
    return feed


# Claims read at a time for the whole file (and their verdicts, evidence and appearances).
FILE_CHUNK = 2000


@csrf_exempt
def claim_review_file(request):
    """The whole ClaimReview feed as one file (`/api/v1/claimreviews.jsonld`), as fact-check
    aggregators ingest it: every published verdict, newest first, with no pages. Served
    through the reader cache, so it is built once per content version (after a publish,
    correction or unpublish) and revalidated with its ETag and Last-Modified."""
    if request.method not in ("GET", "HEAD"):
        return not_allowed(request, ("GET", "HEAD"))
    if request.GET:
        detail = "The whole feed takes no parameters; /api/v1/claimreviews/ filters and pages it."
        return problem_response(request, 400, "invalid", detail)
    claims = with_review_material(selectors.assessed_claims_for_readers()).order_by(
        "-current_verdict_as_of", "-id"
    )
    # Read a chunk at a time (its prefetches ask for a chunk's ids at once: PostgreSQL takes
    # at most 65,535 parameters in a query), and tagged with the list of claims alone.
    with keys.lists_only():
        feed = claim_review_feed(claims.iterator(chunk_size=FILE_CHUNK), request)
    body = json.dumps(feed, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body.encode(), content_type="application/ld+json")


def not_allowed(request, methods):
    """The API's JSON 405 for a method an address does not take."""
    detail = f'Method "{request.method}" not allowed.'
    response = problem_response(request, 405, "method_not_allowed", detail)
    response["Allow"] = ", ".join(methods)
    return response
