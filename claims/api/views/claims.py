"""Claims: readers see published ones with what `claims.selectors` gives them; the desk sees
every claim, with the same attributes over every linked claim and explainer."""

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse

from claims import selectors, services
from claims.models import Appearance, Claim, ClaimLink, Explainer
from claims.web.cache import keys, pieces

from .. import filters
from ..fields import StrictCharField, StrictIntegerField, format_asked
from ..serializers.claims import ClaimSerializer
from ..teamwork import AssignMixin
from .base import ReadWriteViewSet, pending_revisions, transition_action


class MergeSerializer(serializers.Serializer):
    # A JSON integer: "2" and 2.0 were taken, for a merge that cannot be undone.
    into = StrictIntegerField(min_value=1, help_text="The id of the claim kept.")
    reason = StrictCharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="Why, for the record.",
    )


def reader_claim_prefetches():
    """What a reader's claim document shows: its verdicts, not their evidence (as for the
    desk)."""
    return selectors.reader_claim_prefetches(evidence=False)


def desk_claim_prefetches():
    """For the desk: the same attributes `selectors.reader_claim_prefetches` gives readers,
    over every linked claim and explainer (the verdict history is the published one)."""
    links = ClaimLink.objects.order_by("id")  # as readers', in the order they were made
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
    serializer_class = ClaimSerializer
    filterset_class = filters.ClaimFilterSet
    ordering_fields = ("claimed_on", "current_verdict_as_of", "updated_at", "id")
    ordering = ("-claimed_on",)
    search_kind = "claims"

    def readers_queryset(self):
        return selectors.claims_for_readers()

    def with_related(self, queryset, *, desk):
        if self.documents_kept():
            # Their ids alone: page_data reads again whole the claims whose documents are not
            # kept (a page of 50 claims with their claimants was a fifth of a render).
            return queryset.only("id")
        queryset = queryset.select_related("claimant", "created_by")
        if desk:
            return queryset.prefetch_related(*desk_claim_prefetches())
        return queryset.prefetch_related(*reader_claim_prefetches())

    def documents_kept(self):
        """Whether this is a list for readers rendered by the reader cache, whose claims'
        documents each worker keeps (claims.web.cache.pieces): a list re-rendered because
        one claim got a verdict loads and serialises that claim alone."""
        return self.action == "list" and pieces.active() and not self.for_desk()

    def page_data(self, page):
        if not self.documents_kept():
            return super().page_data(page)
        # What a document depends on beyond the claim: its absolute addresses (DRF keeps a
        # `?format=` asked for in them).
        request = self.request
        address = (
            request.scheme,
            request.get_host(),
            self.kwargs.get("format"),
            format_asked(request),
        )
        # Each document in two pieces: the claim with its verdicts, and what is around it
        # (`ClaimSerializer.around_fields`), which a verdict on the claim leaves as it was
        # (`claim-<id>-around`): a verdict loads and builds the first alone.
        own = pieces.per_object(
            page,
            lambda claim: ("api:claim", claim.pk, *address),
            lambda: selectors.verdict_prefetches(evidence=False),
            lambda missing: self.document_part(missing, "own"),
            # By id: the page's query found them visible to readers in this same render (the
            # desk's `created_by` is not in a reader's document).
            reload=Claim.objects.select_related("claimant"),
        )
        around = pieces.per_object(
            page,
            lambda claim: ("api:claim-around", claim.pk, *address),
            selectors.claim_around_prefetches,
            lambda missing: self.document_part(missing, "around"),
            keys_of=keys.around_keys,
        )
        order = ClaimSerializer.Meta.fields
        return [
            {name: part[name] for name in order for part in (mine, theirs) if name in part}
            for mine, theirs in zip(own, around, strict=True)
            if mine is not None
        ]

    def document_part(self, claims, part):
        context = {**self.get_serializer_context(), "document_part": part}
        return self.get_serializer(claims, many=True, context=context).data

    def perform_create(self, serializer):
        serializer.save(created_by=self.request.user)

    def retrieve(self, request, *args, **kwargs):
        """A claim; a duplicate merged into another answers 301 with the claim kept as its
        Location (when the client may see that one)."""
        try:
            return super().retrieve(request, *args, **kwargs)
        except Http404:
            kept = selectors.merged_into(kwargs[self.lookup_field])
            if kept is None or not self.get_queryset().filter(pk=kept).exists():
                raise
            location = reverse("api:claim-detail", kwargs={"pk": kept}, request=request)
            return Response(
                status=status.HTTP_301_MOVED_PERMANENTLY, headers={"Location": location}
            )

    @extend_schema(
        summary="Merge a duplicate into the claim kept (editors)",
        request=MergeSerializer,
        responses=ClaimSerializer,
    )
    @transition_action()
    def merge(self, request, pk=None):
        """Merge this claim, a duplicate, into the claim `into` (editors): its appearances,
        links, places, evidence, verifications, notes and assignment move there, and its
        addresses answer 301 with the claim kept. A claim readers have seen is not merged
        away (409: merge the other way round). Answers with the claim kept."""
        data = self.request_data(MergeSerializer)
        duplicate = self.get_object()
        into = self.get_queryset().filter(pk=data["into"]).first()
        if into is None:  # the same answer whether it does not exist or is not theirs to see
            raise ValidationError({"into": [f"There is no claim #{data['into']} to merge into."]})
        kept, _ = services.claim_merge(
            duplicate=duplicate, into=into, by=request.user, reason=data["reason"]
        )
        response = self.fresh_response(kept.pk)
        response["Location"] = reverse("api:claim-detail", kwargs={"pk": kept.pk}, request=request)
        return response
