"""Evidence and verifications: what the desk found, and its assessment of one claim.

A verification's status, author and reviewer are never written by a client: the workflow
actions (submit, return, reopen, publish) change them.
"""

from rest_framework import serializers

from claims.models import Evidence, EvidenceCapture, Verification
from claims.models.verifications import PART_FIELDS

from ..fields import IdField, ObjectUrlField
from .base import (
    EVIDENCE_ITEM,
    ClaimSummarySerializer,
    DeskModelSerializer,
    EvidenceSummarySerializer,
    SourceSummarySerializer,
    UserSummarySerializer,
    source_id_field,
)


class EvidenceSerializer(DeskModelSerializer):
    api_url = ObjectUrlField(view_name="api:evidence-detail")
    source = SourceSummarySerializer(read_only=True, allow_null=True)
    source_id = source_id_field("source", "Who supplied or published the evidence (a source id).")
    file = serializers.FileField(
        read_only=True,
        help_text="Where to download the evidence file, if there is one (upload files in the "
        "desk's admin). Served only to those who may see the evidence, as an attachment "
        "except for images.",
    )
    added_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Evidence
        fields = (
            "id",
            "api_url",
            "claim",
            *EVIDENCE_ITEM,
            "source",
            "source_id",
            "latitude",
            "longitude",
            "captured_at",
            "added_by",
            "created_at",
            "updated_at",
        )
        read_only_fields = (
            "file_name",
            "file_type",
            "file_size",
            "sha256",
            "created_at",
            "updated_at",
        )
        desk_only_fields = ("added_by",)
        extra_kwargs = {"claim": {"help_text": "The claim this is evidence about (a claim id)."}}


class VerificationSerializer(DeskModelSerializer):
    """One assessment of one claim. Only drafts and returned ones can be edited; the status
    changes only through the workflow actions (submit, return, reopen, publish)."""

    api_url = ObjectUrlField(view_name="api:verification-detail")
    claim_summary = ClaimSummarySerializer(source="claim", read_only=True)
    verdict_label = serializers.CharField(source="get_verdict_display", read_only=True)
    evidence = EvidenceSummarySerializer(many=True, read_only=True)
    evidence_ids = IdField(
        source="evidence",
        queryset=Evidence.objects.all(),
        many=True,
        required=False,
        write_only=True,
        help_text="Evidence this verification cites: the claim's own evidence. Sending the "
        "list replaces it.",
    )
    is_current = serializers.SerializerMethodField()
    author = UserSummarySerializer(read_only=True)
    reviewer = UserSummarySerializer(read_only=True, allow_null=True)
    assigned_to = UserSummarySerializer(read_only=True, allow_null=True)
    set_by_view = ("author",)

    class Meta:
        model = Verification
        fields = (
            "id",
            "api_url",
            "claim",
            "claim_summary",
            "status",
            "verdict",
            "verdict_label",
            "rationale",
            *PART_FIELDS,  # the verdict and note on each part of the claim
            "evidence",
            "evidence_ids",
            "is_current",
            "author",
            "reviewer",
            "review_note",
            "submitted_at",
            "published_at",
            "assigned_to",
            "due_on",
            "created_at",
            "updated_at",
        )
        read_only_fields = (
            "status",
            "review_note",
            "submitted_at",
            "published_at",
            "created_at",
            "updated_at",
        )
        desk_only_fields = (
            "author",
            "reviewer",
            "review_note",
            "submitted_at",
            "assigned_to",
            "due_on",
        )
        extra_kwargs = {"claim": {"help_text": "The claim assessed (a claim id); set on create."}}

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and "claim" in fields:
            fields["claim"].read_only = True
        return fields

    def get_is_current(self, verification) -> bool:
        """Is this the verification behind the claim's current verdict?"""
        return verification.claim.current_verification_id == verification.pk


class EvidenceCaptureSerializer(serializers.ModelSerializer):
    """A capture of an evidence item's page (`POST …/evidence/{id}/archive/`): where it was
    fetched, what answered, and the SHA-256 of each file kept."""

    evidence = serializers.IntegerField(source="evidence_id", read_only=True)
    archived_url = serializers.CharField(source="evidence.archived_url", read_only=True)
    has_screenshot = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceCapture
        fields = [
            "id",
            "evidence",
            "source_url",
            "fetched_url",
            "http_status",
            "content_type",
            "warc_sha256",
            "warc_size",
            "has_screenshot",
            "screenshot_sha256",
            "screenshot_note",
            "captured_at",
            "archived_url",
        ]
        read_only_fields = fields

    def get_has_screenshot(self, capture) -> bool:
        return bool(capture.screenshot)
