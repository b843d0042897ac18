"""Explainers and their public corrections.

An explainer's claims are written with it (`claim_entries`, in order); a correction is issued
through the explainer's `corrections` action and never edited.
"""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims import services
from claims.models import Claim, Correction, Explainer, ExplainerClaim
from claims.web import links

from ..fields import IdField, ObjectUrlField, StrictCharField
from .base import (
    ClaimSummarySerializer,
    DeskModelSerializer,
    ExplainerRefSerializer,
    PendingRevisionField,
    PlaceSummarySerializer,
    RevisableSerializer,
    StrictModelSerializer,
    UserSummarySerializer,
    WholeRow,
    place_ids_field,
    service_rows,
)


class ExplainerClaimSerializer(serializers.ModelSerializer):
    claim = ClaimSummarySerializer(read_only=True)

    class Meta:
        model = ExplainerClaim
        fields = ("position", "claim", "context_note")
        read_only_fields = fields


class ExplainerClaimWriteSerializer(WholeRow, serializers.Serializer):
    claim_id = IdField(queryset=Claim.objects.all())
    context_note = StrictCharField(allow_blank=True, required=False, default="")


class CorrectionSummarySerializer(StrictModelSerializer):
    class Meta:
        model = Correction
        fields = ("id", "kind", "text", "published_at")
        read_only_fields = fields


class ExplainerSerializer(RevisableSerializer):
    """An explainer with its claims in the editor's order and its public log of corrections.

    The status and publication times change only through the workflow actions (submit,
    return, publish, unpublish); `claim_entries` sets the claims and their order.
    """

    api_url = ObjectUrlField(view_name="api:explainer-detail")
    site_url = serializers.SerializerMethodField()
    places = PlaceSummarySerializer(many=True, read_only=True)
    place_ids = place_ids_field("explainer")
    claims = ExplainerClaimSerializer(source="explainer_claims", many=True, read_only=True)
    claim_entries = ExplainerClaimWriteSerializer(
        many=True,
        required=False,
        write_only=True,
        help_text="The explainer's claims in order, each with the editor's context note. "
        "Sending the list replaces the claims.",
    )
    authors = serializers.SerializerMethodField()
    author_ids = IdField(
        source="authors",
        queryset=get_user_model().objects.filter(is_staff=True),
        many=True,
        required=False,
        help_text="The desk members credited in the byline (user ids).",
    )
    corrections = serializers.SerializerMethodField()
    created_by = UserSummarySerializer(read_only=True, allow_null=True)
    pending_revision = PendingRevisionField()
    row_fields = ("claim_entries",)
    document_fields = ("title", "standfirst", "body", "places", "authors", "slug")

    class Meta:
        model = Explainer
        fields = (
            "id",
            "api_url",
            "site_url",
            "title",
            "slug",
            "standfirst",
            "body",
            "status",
            "publish_at",
            "first_published_at",
            "last_substantive_update",
            "places",
            "place_ids",
            "claims",
            "claim_entries",
            "authors",
            "author_ids",
            "corrections",
            "pending_revision",
            "created_by",
            "created_at",
            "updated_at",
        )
        read_only_fields = (
            "status",
            "publish_at",
            "first_published_at",
            "last_substantive_update",
            "created_at",
            "updated_at",
        )
        desk_only_fields = ("author_ids", "created_by", "pending_revision")

    def get_site_url(self, explainer) -> str:
        return links.absolute_url(explainer.get_absolute_url(), self.context.get("request"))

    def get_authors(self, explainer) -> list[str]:
        """The byline: the authors' names."""
        return [a.get_full_name() or a.get_username() for a in explainer.authors.all()]

    @extend_schema_field(CorrectionSummarySerializer(many=True))
    def get_corrections(self, explainer):
        return CorrectionSummarySerializer(
            explainer.visible_corrections, many=True, context=self.context
        ).data

    def validate_claim_entries(self, entries):
        ids = [entry["claim_id"].pk for entry in entries]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError("A claim can appear only once in an explainer.")
        return entries

    def document_rows(self, data):
        return {
            "claims": service_rows(
                data.get("claim_entries"), claim="claim_id", context_note="context_note"
            )
        }

    def save_rows(self, explainer, rows):
        entries = self.document_rows(rows)["claims"]
        services.explainer_claims_set(explainer=explainer, by=self._by(), entries=entries)


class CorrectionSerializer(DeskModelSerializer):
    api_url = ObjectUrlField(view_name="api:correction-detail")
    explainer = ExplainerRefSerializer(read_only=True)
    created_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Correction
        fields = ("id", "api_url", "explainer", "kind", "text", "published_at", "created_by")
        read_only_fields = fields
        desk_only_fields = ("created_by",)
