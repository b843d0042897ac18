"""Evidence and verifications, and the verification workflow's actions (submit, return,
reopen, publish), which call `claims.workflow`."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from claims import selectors, services, workflow
from claims.models import Evidence, Verification

from .. import filters
from ..exceptions import Conflict
from ..serializers.verifications import (
    EvidenceCaptureSerializer,
    EvidenceSerializer,
    VerificationSerializer,
)
from ..serializers.workflow import ReturnNoteSerializer
from ..teamwork import AssignMixin
from .base import ReadWriteViewSet, transition_action


class EvidenceViewSet(ReadWriteViewSet):
    """Evidence about claims. Readers see the evidence published verifications cite. Evidence
    a published verification cites is frozen: changing or deleting it is a 409."""

    model = Evidence
    serializer_class = EvidenceSerializer
    select_related = ("source", "added_by")
    filterset_class = filters.EvidenceFilterSet
    ordering_fields = ("captured_at", "created_at", "id")
    ordering = ("id",)

    def readers_queryset(self):
        return selectors.evidence_for_readers()

    def perform_create(self, serializer):
        serializer.save(added_by=self.request.user)

    def check_editable(self, evidence):
        if evidence.is_frozen():
            raise Conflict(
                "This evidence is cited by a published verification and cannot be changed. "
                "Add new evidence instead."
            )

    @extend_schema(
        summary="Archive the page at the evidence's address",
        request=None,
        responses={201: EvidenceCaptureSerializer},
    )
    @transition_action()
    def archive(self, request, pk=None):
        """Fetch the evidence's address now and keep the page: a WARC file and, where the
        server has Chromium, a full-page screenshot, each with its SHA-256; `archived_url`
        becomes the desk's copy. A page that cannot be fetched is a 400 saying why, and
        nothing is stored. For anyone on the desk who may change evidence (frozen evidence
        too: archiving adds a copy, it changes nothing said)."""
        capture = services.evidence_archive(
            evidence=self.get_object(), by=request.user, site_url=request.build_absolute_uri("/")
        )
        return Response(EvidenceCaptureSerializer(capture).data, status=status.HTTP_201_CREATED)


class VerificationViewSet(AssignMixin, ReadWriteViewSet):
    """Assessments of claims. Readers see published verifications (the public history).

    Drafts and returned verifications can be edited; the status changes only through the
    actions submit, return, reopen and publish, which apply the desk's workflow."""

    model = Verification
    serializer_class = VerificationSerializer
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

    @extend_schema(request=None, responses=VerificationSerializer)
    @transition_action()
    def submit(self, request, pk=None):
        """Send a draft to an editor for review (Fact-checker, Editor)."""
        user = request.user
        return self.transition(lambda v: workflow.verification_submit(verification=v, by=user))

    @extend_schema(
        request=ReturnNoteSerializer,
        responses=VerificationSerializer,
    )
    @transition_action(url_path="return", url_name="return")
    def return_to_author(self, request, pk=None):
        """Send a submitted verification back to its author with a note (Editor, not the
        author)."""
        note = self.request_data(ReturnNoteSerializer)["note"]
        user = request.user
        return self.transition(
            lambda v: workflow.verification_return(verification=v, by=user, note=note)
        )

    @extend_schema(request=None, responses=VerificationSerializer)
    @transition_action()
    def reopen(self, request, pk=None):
        """Turn a returned verification back into a draft to revise it."""
        user = request.user
        return self.transition(lambda v: workflow.verification_reopen(verification=v, by=user))

    @extend_schema(request=None, responses=VerificationSerializer)
    @transition_action()
    def publish(self, request, pk=None):
        """Publish a submitted verification (Editor, not the author); it becomes the claim's
        current verdict."""
        user = request.user
        return self.transition(lambda v: workflow.verification_publish(verification=v, by=user))
