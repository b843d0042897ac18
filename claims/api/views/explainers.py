"""Explainers and corrections, and the explainer workflow's actions (submit, return, publish,
unpublish, issue a correction), which call `claims.workflow`."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from claims import selectors, workflow
from claims.models import Correction, Explainer, ExplainerClaim

from .. import filters
from ..serializers.explainers import CorrectionSerializer, ExplainerSerializer
from ..serializers.workflow import (
    NewCorrectionSerializer,
    PublishOptionsSerializer,
    ReturnNoteSerializer,
    UnpublishReasonSerializer,
)
from ..teamwork import NotesMixin
from .base import ReadWriteViewSet, ResourceViewSet, pending_revisions, transition_action


class ExplainerViewSet(NotesMixin, ReadWriteViewSet):
    """Explainers for readers, with their claims in order and their corrections.

    Readers see live explainers (published, or scheduled and due). The status changes only
    through the actions submit, return, publish and unpublish; corrections are issued with
    `POST …/corrections/`."""

    model = Explainer
    serializer_class = ExplainerSerializer
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

    @extend_schema(request=None, responses=ExplainerSerializer)
    @transition_action()
    def submit(self, request, pk=None):
        """Send a draft (or unpublished) explainer for review (Fact-checker, Editor)."""
        user = request.user
        return self.transition(lambda e: workflow.explainer_submit(explainer=e, by=user))

    @extend_schema(request=ReturnNoteSerializer, responses=ExplainerSerializer)
    @transition_action(url_path="return", url_name="return")
    def return_to_draft(self, request, pk=None):
        """Send an explainer in review back to draft with a note (Editor)."""
        note = self.request_data(ReturnNoteSerializer)["note"]
        user = request.user
        return self.transition(lambda e: workflow.explainer_return(explainer=e, by=user, note=note))

    @extend_schema(
        request=PublishOptionsSerializer,
        responses=ExplainerSerializer,
    )
    @transition_action()
    def publish(self, request, pk=None):
        """Publish now, or schedule for `at` (Editor). Every publication after the first is an
        update and needs a `change_note`, which readers see."""
        data = self.request_data(PublishOptionsSerializer)
        user = request.user
        return self.transition(
            lambda e: workflow.explainer_publish(
                explainer=e, by=user, at=data.get("at"), change_note=data.get("change_note", "")
            )
        )

    @extend_schema(request=UnpublishReasonSerializer, responses=ExplainerSerializer)
    @transition_action()
    def unpublish(self, request, pk=None):
        """Take a published or scheduled explainer away from readers, with the reason
        (Editor)."""
        reason = self.request_data(UnpublishReasonSerializer)["reason"]
        user = request.user
        return self.transition(
            lambda e: workflow.explainer_unpublish(explainer=e, by=user, reason=reason)
        )

    @extend_schema(
        request=NewCorrectionSerializer,
        responses={201: CorrectionSerializer},
    )
    @transition_action()
    def corrections(self, request, pk=None):
        """Issue a public, dated correction or clarification to a live explainer (Editor)."""
        data = self.request_data(NewCorrectionSerializer)
        user = request.user
        with self.locked_for_change() as explainer:
            correction = workflow.correction_issue(
                explainer=explainer, by=user, text=data["text"], kind=data["kind"]
            )
        correction = Correction.objects.select_related("explainer", "created_by").get(
            pk=correction.pk
        )
        body = CorrectionSerializer(correction, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


class CorrectionViewSet(ResourceViewSet):
    """The public log of corrections and update notes on explainers. Corrections are never
    edited or removed; issue one with `POST /explainers/{id}/corrections/`."""

    model = Correction
    serializer_class = CorrectionSerializer
    select_related = ("explainer", "created_by")
    filterset_class = filters.CorrectionFilterSet
    ordering_fields = ("published_at", "id")
    ordering = ("-published_at",)

    def readers_queryset(self):
        return selectors.corrections_for_readers()
