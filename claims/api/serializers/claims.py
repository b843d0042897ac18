"""Claims: what a client reads of a claim (its verdict history, appearances, linked claims
and explainers) and the lists it writes with it (`appearance_entries`, `link_entries`).

A live claim's update is kept as a pending revision: `revision_changes` says which parts of
its document the update changes.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims import services
from claims.models import Article, Claim, ClaimLink, Source
from claims.models.claims import appearance_order_problem
from claims.verdicts import Verdict, verdict_info
from claims.web import links

from ..fields import DateTimeField, IdField, ObjectUrlField, StrictCharField
from .base import (
    ClaimSummarySerializer,
    ExplainerRefSerializer,
    PendingRevisionField,
    PlaceSummarySerializer,
    RevisableSerializer,
    SourceSummarySerializer,
    StrictModelSerializer,
    UserSummarySerializer,
    VerdictField,
    WholeRow,
    nested_list,
    place_ids_field,
    service_rows,
)


class VerdictStepSerializer(serializers.Serializer):
    """One published verdict in a claim's history."""

    verification = serializers.IntegerField(read_only=True)
    verdict = serializers.ChoiceField(choices=Verdict.choices, read_only=True)
    verdict_label = serializers.CharField(read_only=True)
    published_at = DateTimeField(read_only=True)


class AppearanceArticleSerializer(StrictModelSerializer):
    api_url = ObjectUrlField(view_name="api:article-detail")
    outlet = SourceSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Article
        fields = ("id", "api_url", "headline", "outlet", "url", "published_at")
        read_only_fields = fields


class AppearanceSerializer(serializers.Serializer):
    article = AppearanceArticleSerializer(read_only=True)
    passage = serializers.CharField(read_only=True)


class LinkedClaimSerializer(serializers.Serializer):
    """Another claim this one disputes or supports (`direction` "out"), or that disputes or
    supports this one (`direction` "in")."""

    claim = ClaimSummarySerializer(read_only=True)
    relation = serializers.ChoiceField(choices=["disputes", "supports"], read_only=True)
    direction = serializers.ChoiceField(choices=["out", "in"], read_only=True)
    note = serializers.CharField(read_only=True)


class AppearanceWriteSerializer(WholeRow, serializers.Serializer):
    article_id = IdField(queryset=Article.objects.all(), help_text="The article (id).")
    passage = StrictCharField(
        allow_blank=True, required=False, default="", help_text="The passage quoted."
    )


class LinkWriteSerializer(WholeRow, serializers.Serializer):
    claim_id = IdField(queryset=Claim.objects.all(), help_text="The other claim (id).")
    relation = serializers.ChoiceField(choices=ClaimLink.Relation.choices)
    note = StrictCharField(allow_blank=True, required=False, default="", max_length=300)


class ClaimSerializer(RevisableSerializer):
    """A claim with its claimant, places, current verdict and its history.

    The current verdict is that of the latest published verification (null: not yet
    assessed); `verdict_history` lists every published verdict, oldest first.
    """

    api_url = ObjectUrlField(view_name="api:claim-detail")
    site_url = serializers.SerializerMethodField()
    claimant = SourceSummarySerializer(read_only=True)
    claimant_id = IdField(
        source="claimant",
        queryset=Source.objects.all(),
        write_only=True,
        help_text="Who made the claim (a source id).",
    )
    places = PlaceSummarySerializer(many=True, read_only=True)
    place_ids = place_ids_field("claim")
    current_verdict = VerdictField()
    current_verdict_label = serializers.SerializerMethodField()
    verdict_history = serializers.SerializerMethodField()
    appearances = serializers.SerializerMethodField()
    linked_claims = serializers.SerializerMethodField()
    explainers = serializers.SerializerMethodField()
    appearance_entries = AppearanceWriteSerializer(
        many=True,
        required=False,
        write_only=True,
        help_text="The articles the claim appeared in, each with the passage. Sending the "
        "list replaces them.",
    )
    link_entries = LinkWriteSerializer(
        many=True,
        required=False,
        write_only=True,
        help_text="Other claims this one disputes or supports. Sending the list replaces "
        "this claim's links (not those other claims make to it).",
    )
    created_by = UserSummarySerializer(read_only=True, allow_null=True)
    pending_revision = PendingRevisionField()
    assigned_to = UserSummarySerializer(read_only=True, allow_null=True)
    filled_by_model = ("slug",)
    row_fields = ("appearance_entries", "link_entries")
    document_fields = ("statement", "quote", "claimant", "claimed_on", "places", "slug")

    class Meta:
        model = Claim
        fields = (
            "id",
            "api_url",
            "site_url",
            "statement",
            "slug",
            "quote",
            "claimant",
            "claimant_id",
            "claimed_on",
            "places",
            "place_ids",
            "current_verdict",
            "current_verdict_label",
            "current_verdict_as_of",
            "current_verification",
            "verdict_history",
            "appearances",
            "appearance_entries",
            "linked_claims",
            "link_entries",
            "explainers",
            "pending_revision",
            "assigned_to",
            "due_on",
            "created_by",
            "created_at",
            "updated_at",
        )
        read_only_fields = (
            "current_verdict_as_of",
            "current_verification",
            "created_at",
            "updated_at",
        )
        desk_only_fields = ("created_by", "pending_revision", "assigned_to", "due_on")
        extra_kwargs = {"slug": {"required": False}}

    # What is around a claim (selectors.claim_around_prefetches), which a verdict on it does
    # not change: the reader cache keeps it apart from the rest (ClaimViewSet.documents). With
    # `document_part` in the context, "around" gives these fields alone, "own" the others.
    around_fields = ("places", "appearances", "linked_claims", "explainers")

    def get_fields(self):
        fields = super().get_fields()
        part = self.context.get("document_part")
        if part is None:
            return fields
        around = part == "around"
        return {name: f for name, f in fields.items() if (name in self.around_fields) == around}

    def get_site_url(self, claim) -> str:
        return links.absolute_url(claim.get_absolute_url(), self.context.get("request"))

    def get_current_verdict_label(self, claim) -> str:
        return claim.current_verdict_label

    @extend_schema_field(VerdictStepSerializer(many=True))
    def get_verdict_history(self, claim):
        steps = [
            {
                "verification": v.pk,
                "verdict": v.verdict,
                "verdict_label": verdict_info(v.verdict).label,
                "published_at": v.published_at,
            }
            for v in claim.published_verifications
        ]
        return nested_list(self, VerdictStepSerializer).to_representation(steps)

    @extend_schema_field(AppearanceSerializer(many=True))
    def get_appearances(self, claim):
        return nested_list(self, AppearanceSerializer).to_representation(claim.appearances.all())

    @extend_schema_field(LinkedClaimSerializer(many=True))
    def get_linked_claims(self, claim):
        entries = [
            {
                "claim": link.to_claim,
                "relation": link.relation,
                "direction": "out",
                "note": link.note,
            }
            for link in claim.reader_links_out
        ] + [
            {
                "claim": link.from_claim,
                "relation": link.relation,
                "direction": "in",
                "note": link.note,
            }
            for link in claim.reader_links_in
        ]
        return nested_list(self, LinkedClaimSerializer).to_representation(entries)

    @extend_schema_field(ExplainerRefSerializer(many=True))
    def get_explainers(self, claim):
        return nested_list(self, ExplainerRefSerializer).to_representation(claim.live_explainers)

    def validate_appearance_entries(self, entries):
        ids = [entry["article_id"].pk for entry in entries]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError("An article can be listed only once.")
        return entries

    def validate(self, attrs):
        attrs = super().validate(attrs)
        claimed_on = attrs.get("claimed_on", getattr(self.instance, "claimed_on", None))
        entries = attrs.get("appearance_entries")
        if entries is not None:
            articles, field = [entry["article_id"] for entry in entries], "appearance_entries"
        elif self.instance is not None and "claimed_on" in attrs:
            articles, field = [a.article for a in self.instance.appearances.all()], "claimed_on"
        else:
            articles, field = [], None
        for article in articles:
            problem = appearance_order_problem(claimed_on, article)
            if problem:
                raise serializers.ValidationError({field: [problem]})
        return attrs

    def validate_link_entries(self, entries):
        ids = [entry["claim_id"].pk for entry in entries]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError("A claim can be linked only once.")
        if self.instance is not None and self.instance.pk in ids:
            raise serializers.ValidationError("A claim cannot dispute or support itself.")
        return entries

    def document_rows(self, data):
        return {
            "appearances": service_rows(
                data.get("appearance_entries"), article="article_id", passage="passage"
            ),
            "links": service_rows(
                data.get("link_entries"), to_claim="claim_id", relation="relation", note="note"
            ),
        }

    def save_rows(self, claim, rows):
        services.claim_rows_set(claim=claim, by=self._by(), **self.document_rows(rows))
