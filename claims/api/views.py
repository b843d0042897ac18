"""The API's viewsets: thin translations between HTTP and the desk's selectors and workflow.

Each viewset serves one resource. Readers (anonymous or without the model's view permission)
get the querysets of `claims.selectors`; desk staff get every object. Writes need the model's
Django permissions; updates need `If-Match`. Workflow transitions are actions that call
`claims.workflow` and nothing else.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from claims import selectors, services, workflow
from claims.ingest import candidates as candidate_services
from claims.models import (
    Appearance,
    Article,
    Claim,
    ClaimLink,
    Correction,
    Evidence,
    Explainer,
    ExplainerClaim,
    Place,
    Revision,
    Source,
    Verification,
)
from claims.models.base import StaleVersion
from claims.services import revisions as revision_services
from claims.web import jsonld

from . import filters, serializers
from .conditional import ConditionalMixin, check_if_match, etag_for, if_match_version, stale
from .exceptions import Conflict, problem_response
from .pagination import UncountedPagination
from .permissions import CanRequestTransition, DeskModelPermissions, sees_desk_material
from .readercache import ReaderCacheMixin, reader_cached
from .teamwork import AssignMixin, NotesMixin


class DeskViewSet(ReaderCacheMixin, ConditionalMixin, viewsets.GenericViewSet):
    """Shared behaviour: who sees what, strict query parameters, ETags, If-Match on writes."""

    model = None
    permission_classes = [DeskModelPermissions]
    filter_backends = [
        DjangoFilterBackend,
        filters.SiteSearchFilter,
        filters.StableOrderingFilter,
    ]
    lookup_value_regex = r"[0-9]+"

    # --- what the user sees

    def for_desk(self):
        """Does the requesting user see the desk's material (drafts, confidential names)?"""
        if not hasattr(self, "_for_desk"):
            self._for_desk = sees_desk_material(self.request.user, self.model)
        return self._for_desk

    def readers_queryset(self):
        raise NotImplementedError

    def with_related(self, queryset, *, desk):
        """`queryset` with what the serializer shows loaded in a fixed number of queries."""
        return queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        desk = self.for_desk()
        queryset = self.model.objects.all() if desk else self.readers_queryset()
        return self.with_related(queryset, desk=desk)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["desk"] = self.for_desk()
            context["change_reason"] = change_reason(self.request, "")
        return context

    # --- reads

    @reader_cached
    def list(self, request, *args, **kwargs):
        filters.check_query_parameters(request, self)
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    # --- writes

    def etag_of(self, instance, data=None):
        """The ETag a GET of `instance` gives this user now (its version in front)."""
        data = self.get_serializer(instance).data if data is None else data
        return etag_for(data, version=getattr(instance, "version", None))

    def get_locked_object(self):
        """The object, its row locked until the transaction ends (PostgreSQL), read afresh."""
        self.model.objects.select_for_update().filter(pk=self.kwargs["pk"]).exists()
        return self.get_object()

    def fresh_response(self, pk, status_code=status.HTTP_200_OK):
        """The object as a GET would now show it, with its new ETag."""
        instance = self.get_queryset().filter(pk=pk).first()
        if instance is None:
            instance = self.model.objects.get(pk=pk)
        data = self.get_serializer(instance).data
        return Response(data, status=status_code, headers={"ETag": self.etag_of(instance, data)})

    def transition(self, change, *, status_code=status.HTTP_200_OK):
        """Run `change(instance)` (a workflow call) on the locked object; respond with the
        object as it now is. If-Match is optional here: the workflow itself refuses a move
        from a state the object is no longer in."""
        with transaction.atomic():
            instance = self.get_locked_object()
            if self.request.headers.get("If-Match"):
                check_if_match(self.request, self.etag_of(instance), required=False)
            change(instance)
        return self.fresh_response(instance.pk, status_code)

    def request_data(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class ResourceViewSet(DeskViewSet):
    """A resource with a list and a detail per object."""

    @reader_cached
    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.get_serializer(instance).data
        return Response(data, headers={"ETag": self.etag_of(instance, data)})


class ReadWriteViewSet(ResourceViewSet):
    """A resource the desk creates, updates and deletes under its model permissions."""

    def check_editable(self, instance):
        """Hook: refuse (403/409) an update of `instance` in its current state."""

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            self.perform_create(serializer)
        return self.fresh_response(serializer.instance.pk, status.HTTP_201_CREATED)

    def perform_create(self, serializer):
        serializer.save()

    def update(self, request, *args, **kwargs):
        """Update under If-Match; the UPDATE lands only on the version If-Match names."""
        partial = kwargs.pop("partial", False)
        # Parsed first: a body that is not JSON is a 400 before any precondition is weighed.
        data = request.data
        with transaction.atomic():
            instance = self.get_locked_object()
            check_if_match(request, self.etag_of(instance), required=True)
            self.check_editable(instance)
            serializer = self.get_serializer(instance, data=data, partial=partial)
            serializer.is_valid(raise_exception=True)
            if hasattr(serializer, "revision_changes") and revision_services.is_live(instance):
                return self.propose_revision(request, instance, serializer)
            seen = if_match_version(request)
            if seen is not None:
                instance.version = seen
            try:
                self.perform_update(serializer)
            except StaleVersion as error:
                raise stale(current=error.current, sent=error.seen) from error
        return self.fresh_response(instance.pk)

    def perform_update(self, serializer):
        serializer.save()

    def propose_revision(self, request, instance, serializer):
        """A live claim or explainer: the update is kept as its pending revision, and readers
        go on seeing the live version until an editor publishes it (202 with the revision)."""
        revision = revision_services.revision_propose(
            subject=instance,
            by=request.user,
            changes=serializer.revision_changes(serializer.validated_data),
            reason=change_reason(request, ""),
        )
        if revision is None:
            return self.fresh_response(instance.pk)
        data = serializers.RevisionSerializer(revision, context=self.get_serializer_context()).data
        return Response(
            data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["api_url"]}
        )

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self.get_locked_object()
            if request.headers.get("If-Match"):
                check_if_match(request, self.etag_of(instance), required=False)
            services.record_delete(
                obj=instance,
                by=request.user,
                reason=change_reason(request, "deleted through the API"),
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


def change_reason(request, default):
    """Why, for the history: the request's `X-Change-Reason` header, or `default`."""
    reason = " ".join(request.headers.get("X-Change-Reason", "").split())[:500]
    return reason or default


# --- sources, places, articles -----------------------------------------------------------


class SourceViewSet(ReadWriteViewSet):
    """Sources: outlets, ministries, units, officials, open-source projects.

    Readers see the named sources cited in published material; confidential sources are
    never listed (claims show them by their redacted description)."""

    model = Source
    serializer_class = serializers.SourceSerializer
    filterset_class = filters.SourceFilterSet
    ordering_fields = ("name", "updated_at", "id")
    ordering = ("name",)
    search_kind = "sources"

    def readers_queryset(self):
        return selectors.sources_for_readers()

    def with_related(self, queryset, *, desk):
        return queryset.prefetch_related("aliases")


class PlaceViewSet(ReadWriteViewSet):
    """Towns, villages and regions, with their other names."""

    model = Place
    serializer_class = serializers.PlaceSerializer
    filterset_class = filters.PlaceFilterSet
    ordering_fields = ("name", "updated_at", "id")
    ordering = ("name",)
    search_kind = "places"

    def readers_queryset(self):
        return selectors.places_for_readers()

    def with_related(self, queryset, *, desk):
        return queryset.prefetch_related("alternative_names")


class ArticleViewSet(ReadWriteViewSet):
    """Published pieces in which claims appear. Readers see those carrying a published claim,
    without their full text."""

    model = Article
    serializer_class = serializers.ArticleSerializer
    filterset_class = filters.ArticleFilterSet
    ordering_fields = ("published_at", "updated_at", "id")
    ordering = ("-published_at",)

    def readers_queryset(self):
        return selectors.articles_for_readers()

    def with_related(self, queryset, *, desk):
        return queryset.select_related("outlet", "imported_by")

    def perform_create(self, serializer):
        article = serializer.save(
            imported_by=self.request.user,
            imported_from=serializer.validated_data.get("imported_from") or "API",
        )
        candidate_services.article_spot_candidates(article=article, by=self.request.user)

    def perform_update(self, serializer):
        """A new text has its claims spotted again, as in the desk, in the same transaction."""
        new_text = serializer.validated_data.get("body", serializer.instance.body)
        text_changed = new_text != serializer.instance.body
        article = serializer.save()
        if text_changed:
            candidate_services.article_spot_candidates(article=article, by=self.request.user)


# --- claims ------------------------------------------------------------------------------


def pending_revisions(relation):
    """The pending revision of each claim or explainer, as `pending_revisions` (0 or 1)."""
    return Prefetch(
        relation,
        queryset=Revision.objects.filter(status=Revision.Status.PENDING),
        to_attr="pending_revisions",
    )


def desk_claim_prefetches():
    """For the desk: the same attributes `selectors.reader_claim_prefetches` gives readers,
    over every linked claim and explainer (the verdict history is the published one)."""
    links = ClaimLink.objects.all()
    return [
        "places",
        pending_revisions("revisions"),
        Prefetch(
            "verifications",
            queryset=selectors.verifications_for_readers().order_by("published_at", "id"),
            to_attr="published_verifications",
        ),
        Prefetch(
            "appearances",
            queryset=Appearance.objects.select_related("article__outlet").order_by(
                "article__published_at", "id"
            ),
        ),
        Prefetch(
            "links_out",
            queryset=links.select_related("to_claim__claimant"),
            to_attr="reader_links_out",
        ),
        Prefetch(
            "links_in",
            queryset=links.select_related("from_claim__claimant"),
            to_attr="reader_links_in",
        ),
        Prefetch(
            "explainers",
            queryset=Explainer.objects.order_by("-publish_at", "-id"),
            to_attr="live_explainers",
        ),
    ]


class ClaimViewSet(AssignMixin, ReadWriteViewSet):
    """Claims, with their claimant, places, appearances, linked claims and verdict history.

    The current verdict changes only when a verification is published."""

    model = Claim
    serializer_class = serializers.ClaimSerializer
    filterset_class = filters.ClaimFilterSet
    ordering_fields = ("claimed_on", "current_verdict_as_of", "updated_at", "id")
    ordering = ("-claimed_on",)
    search_kind = "claims"

    def readers_queryset(self):
        return selectors.claims_for_readers()

    def with_related(self, queryset, *, desk):
        prefetches = desk_claim_prefetches() if desk else selectors.reader_claim_prefetches()
        return queryset.select_related("claimant", "created_by").prefetch_related(*prefetches)

    def perform_create(self, serializer):
        serializer.save(created_by=self.request.user)


# --- verifications and evidence ----------------------------------------------------------


class EvidenceViewSet(ReadWriteViewSet):
    """Evidence about claims. Readers see the evidence published verifications cite. Evidence
    a published verification cites is frozen: changing or deleting it is a 409."""

    model = Evidence
    serializer_class = serializers.EvidenceSerializer
    filterset_class = filters.EvidenceFilterSet
    ordering_fields = ("captured_at", "created_at", "id")
    ordering = ("id",)

    def readers_queryset(self):
        return selectors.evidence_for_readers()

    def with_related(self, queryset, *, desk):
        return queryset.select_related("source", "added_by")

    def perform_create(self, serializer):
        serializer.save(added_by=self.request.user)

    def check_editable(self, evidence):
        if evidence.is_frozen():
            raise Conflict(
                "This evidence is cited by a published verification and cannot be changed. "
                "Add new evidence instead."
            )


class VerificationViewSet(AssignMixin, ReadWriteViewSet):
    """Assessments of claims. Readers see published verifications (the public history).

    Drafts and returned verifications can be edited; the status changes only through the
    actions submit, return, reopen and publish, which apply the desk's workflow."""

    model = Verification
    serializer_class = serializers.VerificationSerializer
    filterset_class = filters.VerificationFilterSet
    ordering_fields = ("published_at", "created_at", "updated_at", "id")
    ordering = ("-published_at", "-created_at")

    def readers_queryset(self):
        return selectors.verifications_for_readers()

    def with_related(self, queryset, *, desk):
        return queryset.select_related("claim__claimant", "author", "reviewer").prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("source"))
        )

    def check_editable(self, verification):
        if not workflow.can_edit_verification(self.request.user, verification):
            raise Conflict(
                f"This verification is {verification.get_status_display().lower()}; only "
                "drafts and returned verifications can be changed."
            )

    @extend_schema(request=None, responses=serializers.VerificationSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanRequestTransition])
    def submit(self, request, pk=None):
        """Send a draft to an editor for review (Fact-checker, Editor)."""
        user = request.user
        return self.transition(lambda v: workflow.verification_submit(verification=v, by=user))

    @extend_schema(
        request=serializers.ReturnNoteSerializer,
        responses=serializers.VerificationSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        permission_classes=[CanRequestTransition],
    )
    def return_to_author(self, request, pk=None):
        """Send a submitted verification back to its author with a note (Editor, not the
        author)."""
        note = self.request_data(serializers.ReturnNoteSerializer)["note"]
        user = request.user
        return self.transition(
            lambda v: workflow.verification_return(verification=v, by=user, note=note)
        )

    @extend_schema(request=None, responses=serializers.VerificationSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanRequestTransition])
    def reopen(self, request, pk=None):
        """Turn a returned verification back into a draft to revise it."""
        user = request.user
        return self.transition(lambda v: workflow.verification_reopen(verification=v, by=user))

    @extend_schema(request=None, responses=serializers.VerificationSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanRequestTransition])
    def publish(self, request, pk=None):
        """Publish a submitted verification (Editor, not the author); it becomes the claim's
        current verdict."""
        user = request.user
        return self.transition(lambda v: workflow.verification_publish(verification=v, by=user))


# --- explainers and corrections ----------------------------------------------------------


class ExplainerViewSet(NotesMixin, ReadWriteViewSet):
    """Explainers for readers, with their claims in order and their corrections.

    Readers see live explainers (published, or scheduled and due). The status changes only
    through the actions submit, return, publish and unpublish; corrections are issued with
    `POST …/corrections/`."""

    model = Explainer
    serializer_class = serializers.ExplainerSerializer
    filterset_class = filters.ExplainerFilterSet
    ordering_fields = ("publish_at", "last_substantive_update", "title", "id")
    ordering = ("-publish_at",)
    search_kind = "explainers"

    def readers_queryset(self):
        return selectors.explainers_for_readers()

    def with_related(self, queryset, *, desk):
        corrections = Correction.objects.all() if desk else selectors.corrections_for_readers()
        desk_only = [pending_revisions("revisions")] if desk else []
        return queryset.select_related("created_by").prefetch_related(
            "places",
            "authors",
            *desk_only,
            Prefetch(
                "explainer_claims",
                queryset=ExplainerClaim.objects.select_related("claim__claimant").order_by(
                    "position", "id"
                ),
            ),
            Prefetch(
                "corrections",
                queryset=corrections.order_by("published_at", "id"),
                to_attr="visible_corrections",
            ),
        )

    def perform_create(self, serializer):
        serializer.save(created_by=self.request.user)

    def check_editable(self, explainer):
        if not workflow.can_edit_explainer(self.request.user, explainer):
            raise PermissionDenied(
                f"This explainer is {explainer.get_status_display().lower()}; only an editor "
                "may change it now."
            )

    @extend_schema(request=None, responses=serializers.ExplainerSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanRequestTransition])
    def submit(self, request, pk=None):
        """Send a draft (or unpublished) explainer for review (Fact-checker, Editor)."""
        user = request.user
        return self.transition(lambda e: workflow.explainer_submit(explainer=e, by=user))

    @extend_schema(
        request=serializers.ReturnNoteSerializer, responses=serializers.ExplainerSerializer
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        permission_classes=[CanRequestTransition],
    )
    def return_to_draft(self, request, pk=None):
        """Send an explainer in review back to draft with a note (Editor)."""
        note = self.request_data(serializers.ReturnNoteSerializer)["note"]
        user = request.user
        return self.transition(lambda e: workflow.explainer_return(explainer=e, by=user, note=note))

    @extend_schema(
        request=serializers.PublishOptionsSerializer,
        responses=serializers.ExplainerSerializer,
    )
    @action(detail=True, methods=["post"], permission_classes=[CanRequestTransition])
    def publish(self, request, pk=None):
        """Publish now, or schedule for `at` (Editor). Every publication after the first is an
        update and needs a `change_note`, which readers see."""
        data = self.request_data(serializers.PublishOptionsSerializer)
        user = request.user
        return self.transition(
            lambda e: workflow.explainer_publish(
                explainer=e, by=user, at=data.get("at"), change_note=data.get("change_note", "")
            )
        )

    @extend_schema(
        request=serializers.UnpublishReasonSerializer, responses=serializers.ExplainerSerializer
    )
    @action(detail=True, methods=["post"], permission_classes=[CanRequestTransition])
    def unpublish(self, request, pk=None):
        """Take a published or scheduled explainer away from readers, with the reason
        (Editor)."""
        reason = self.request_data(serializers.UnpublishReasonSerializer)["reason"]
        user = request.user
        return self.transition(
            lambda e: workflow.explainer_unpublish(explainer=e, by=user, reason=reason)
        )

    @extend_schema(
        request=serializers.NewCorrectionSerializer,
        responses={201: serializers.CorrectionSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[CanRequestTransition])
    def corrections(self, request, pk=None):
        """Issue a public, dated correction or clarification to a live explainer (Editor)."""
        data = self.request_data(serializers.NewCorrectionSerializer)
        user = request.user
        with transaction.atomic():
            explainer = self.get_locked_object()
            if request.headers.get("If-Match"):
                check_if_match(request, self.etag_of(explainer), required=False)
            correction = workflow.correction_issue(
                explainer=explainer, by=user, text=data["text"], kind=data["kind"]
            )
        correction = Correction.objects.select_related("explainer", "created_by").get(
            pk=correction.pk
        )
        body = serializers.CorrectionSerializer(
            correction, context=self.get_serializer_context()
        ).data
        return Response(body, status=status.HTTP_201_CREATED)


class CorrectionViewSet(ResourceViewSet):
    """The public log of corrections and update notes on explainers. Corrections are never
    edited or removed; issue one with `POST /explainers/{id}/corrections/`."""

    model = Correction
    serializer_class = serializers.CorrectionSerializer
    filterset_class = filters.CorrectionFilterSet
    ordering_fields = ("published_at", "id")
    ordering = ("-published_at",)

    def readers_queryset(self):
        return selectors.corrections_for_readers()

    def with_related(self, queryset, *, desk):
        return queryset.select_related("explainer", "created_by")


# --- the ClaimReview feed ----------------------------------------------------------------


class JSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


class ClaimReviewFeedViewSet(DeskViewSet):
    """The published claim reviews as schema.org JSON-LD: a DataFeed of ClaimReview items
    for fact-check aggregators, built by the reader site's own ClaimReview builder.

    Everyone gets the same feed (published verdicts only). Takes the claims list's filters,
    e.g. `updated_since` to fetch only what changed since the last poll."""

    model = Claim
    serializer_class = serializers.DataFeedSerializer
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
        # What a ClaimReview is built from (jsonld.claim_review): the verdict history with its
        # evidence, and the appearances; not the claim page's places, links and explainers.
        return queryset.select_related("claimant").prefetch_related(
            *selectors.claim_card_prefetches()
        )

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
        feed = claim_review_feed(claims, request, pages=pages)
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


def claim_review_feed(claims, request, *, pages=None):
    """A schema.org DataFeed of the ClaimReviews of `claims` (reader-visible, assessed), as
    the reader site's claim pages carry them; with `pages`, the next and previous pages'
    addresses (None at either end) in the body."""
    items = []
    for claim in claims:
        review = jsonld.claim_review(claim, request)
        if review is None:
            continue
        review.pop("@context", None)
        items.append(
            {"@type": "DataFeedItem", "dateModified": review["dateModified"], "item": review}
        )
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
    claims = (
        selectors.assessed_claims_for_readers()
        .select_related("claimant")
        .prefetch_related(*selectors.claim_card_prefetches())
        .order_by("-current_verdict_as_of", "-id")
    )
    feed = claim_review_feed(claims, request)
    body = json.dumps(feed, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body.encode(), content_type="application/ld+json")


def not_allowed(request, methods):
    """The API's JSON 405 for a method an address does not take."""
    detail = f'Method "{request.method}" not allowed.'
    response = problem_response(request, 405, "method_not_allowed", detail)
    response["Allow"] = ", ".join(methods)
    return response


# --- revisions ----------------------------------------------------------------------------


class CanReviewRevisions(permissions.BasePermission):
    """Desk staff who may see revisions (every role); anonymous consumers never."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("claims.view_revision"))


@extend_schema(tags=["revisions"])
class RevisionViewSet(ResourceViewSet):
    """Pending and decided changes to live claims and explainers, for desk staff.

    An update (`PATCH`/`PUT`) of a live claim or explainer answers 202 with its pending
    revision; readers keep seeing the live version until an editor who is none of its authors
    publishes it here, as an update or a correction (a dated note readers see) or a minor
    edit; or it is discarded. Anonymous consumers never see revisions (401).
    """

    model = Revision
    serializer_class = serializers.RevisionSerializer
    permission_classes = [CanReviewRevisions]
    filterset_class = filters.RevisionFilterSet
    pagination_class = UncountedPagination
    ordering_fields = ("created_at", "id")
    ordering = ("-created_at",)

    def readers_queryset(self):
        return Revision.objects.none()

    def with_related(self, queryset, *, desk):
        return queryset.select_related(
            "claim", "explainer", "created_by", "decided_by"
        ).prefetch_related("authors")

    def _decide(self, request, decide):
        with transaction.atomic():
            revision = self.get_object()
            decide(revision)
        revision.refresh_from_db()
        return Response(self.get_serializer(revision).data)

    @extend_schema(request=serializers.PublishRevisionSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        data = serializers.PublishRevisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._decide(
            request,
            lambda r: revision_services.revision_publish(
                revision=r, by=request.user, **data.validated_data
            ),
        )

    @extend_schema(request=serializers.DiscardRevisionSerializer)
    @action(detail=True, methods=["post"])
    def discard(self, request, pk=None):
        data = serializers.DiscardRevisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._decide(
            request,
            lambda r: revision_services.revision_discard(
                revision=r, by=request.user, reason=data.validated_data["reason"]
            ),
        )
