"""Revisions of live claims and explainers, and the bodies that publish or discard one."""

from rest_framework import serializers

from claims.models import Revision
from claims.services import revisions as revision_services

from ..fields import ObjectUrlField, StrictCharField
from .base import StrictModelSerializer, UserSummarySerializer


class RevisionSerializer(StrictModelSerializer):
    """A pending (or decided) change to a live claim or explainer: what readers see (`base`
    when it was started), what they will see (`proposed`), and which parts differ."""

    api_url = ObjectUrlField(view_name="api:revision-detail")
    subject_type = serializers.SerializerMethodField()
    subject_id = serializers.SerializerMethodField()
    changed = serializers.SerializerMethodField()
    authors = UserSummarySerializer(many=True, read_only=True)
    created_by = UserSummarySerializer(read_only=True, allow_null=True)
    decided_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Revision
        fields = (
            "id",
            "api_url",
            "subject_type",
            "subject_id",
            "status",
            "changed",
            "base",
            "proposed",
            "authors",
            "created_by",
            "created_at",
            "updated_at",
            "kind",
            "note",
            "decided_by",
            "decided_at",
        )
        read_only_fields = fields

    def get_subject_type(self, revision) -> str:
        return "claim" if revision.claim_id else "explainer"

    def get_subject_id(self, revision) -> int:
        return revision.claim_id or revision.explainer_id

    def get_changed(self, revision) -> list[str]:
        """The parts it changes from what readers see now (while pending), or changed."""
        if revision.status == Revision.Status.PENDING:
            return revision_services.changed_parts(revision)
        return [p for p in revision.proposed if revision.proposed[p] != revision.base.get(p)]


class PublishRevisionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=Revision.Kind.choices,
        help_text="update or correction (shown to readers, dated, with the note) or minor "
        "(no public note; never for a claim's statement, quote, claimant or date).",
    )
    note = StrictCharField(allow_blank=True, required=False, default="")


class DiscardRevisionSerializer(serializers.Serializer):
    reason = StrictCharField(allow_blank=True, required=False, default="")
