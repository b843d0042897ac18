"""How the desk's objects look in the API, and what a client may set.

Every serializer lists its fields. Fields in `Meta.read_only_fields` (status, authors and
reviewers, current verdict, timestamps, hashes) are never taken from a request, whatever it
sends. Fields in `Meta.desk_only_fields` (who wrote or reviewed what, internal notes, the text
of imported articles) are left out for readers. A confidential source is shown to readers by
its redacted description only, never by name or id.

Nested objects are read-only summaries; writes name related objects by id
(`claimant_id`, `place_ids`, `evidence_ids` …).
"""

import copy

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.reverse import reverse

from claims import services
from claims.dates import PlausibleDate
from claims.models import (
    Article,
    Claim,
    ClaimLink,
    Correction,
    Evidence,
    Explainer,
    ExplainerClaim,
    Place,
    PlaceName,
    Revision,
    Source,
    Verification,
)
from claims.models.claims import appearance_order_problem
from claims.services import revisions as revision_services
from claims.verdicts import Verdict, verdict_info
from claims.web import links

from .fields import (
    DateTimeField,
    IdField,
    OptionalURLField,
    StrictBooleanField,
    StrictCharField,
    StrictDecimalField,
    StrictIntegerField,
    StrictSlugField,
)

# --- building blocks ---------------------------------------------------------------------


def _for_desk(serializer):
    """Is this response for desk staff? (Schema generation documents the desk's view.)"""
    return serializer.context.get("desk", True)


def _api_url(serializer, view_name, pk):
    request = serializer.context.get("request")
    return reverse(f"api:{view_name}", kwargs={"pk": pk}, request=request)


def _nested_list(serializer, serializer_class):
    """A `many=True` instance of `serializer_class` with `serializer`'s context, built once
    per `serializer` and reused for every object it represents: building a serializer's
    fields (a deep copy of the declared ones, model introspection) costs far more than
    representing one object, and a list of 50 claims would otherwise build hundreds."""
    built = serializer.__dict__.setdefault("_nested_lists", {})
    if serializer_class not in built:
        built[serializer_class] = serializer_class(many=True, context=serializer.context)
    return built[serializer_class]


class StrictModelSerializer(serializers.ModelSerializer):
    """Model fields map to the strict fields of `claims.api.fields`."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.SlugField: StrictSlugField,
        models.URLField: OptionalURLField,
        models.IntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
        models.BooleanField: StrictBooleanField,
        models.DecimalField: StrictDecimalField,
        models.DateTimeField: DateTimeField,
    }
    serializer_related_field = IdField


class DeskModelSerializer(StrictModelSerializer):
    """A ModelSerializer that hides desk-only fields from readers and validates writes
    against the model (field validators and database constraints) before saving, so that a
    request that would break a constraint is a 400 that says which, not a database error."""

    # Fields the model fills in itself when they are not given (e.g. a slug from the name).
    filled_by_model = ()
    # Fields set by the view from the request (e.g. the author), not known while validating.
    set_by_view = ()

    def get_fields(self):
        fields = super().get_fields()
        if not _for_desk(self):
            for name in getattr(self.Meta, "desk_only_fields", ()):
                fields.pop(name, None)
        return fields

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        concrete = {f.name for f in model._meta.concrete_fields}
        for name, value in attrs.items():
            if name in concrete:
                setattr(instance, name, value)
        self.prepare_for_validation(instance, attrs)
        exclude = set(self.set_by_view)
        exclude |= {name for name in self.filled_by_model if not getattr(instance, name)}
        try:
            instance.full_clean(exclude=sorted(exclude))
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        return attrs

    def prepare_for_validation(self, instance, attrs):
        """Hook: fill in what the model's save() would compute, so constraints see it."""

    # Saving: through the desk's services (claims.services), like the admin, so the rules of
    # each kind of record hold here too. Many-to-many values are set after the row is saved.

    def create(self, validated_data):
        many = self._pop_many(validated_data)
        instance = self.Meta.model(**validated_data)
        self._save(instance, "added through the API", relations_changed=bool(many))
        for name, value in many.items():
            getattr(instance, name).set(value)
        return instance

    def update(self, instance, validated_data):
        many = self._pop_many(validated_data)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        relations_changed = any(
            {obj.pk for obj in value} != set(getattr(instance, name).values_list("pk", flat=True))
            for name, value in many.items()
        )
        self._save(instance, "edited through the API", relations_changed=relations_changed)
        for name, value in many.items():
            getattr(instance, name).set(value)
        return instance

    def _pop_many(self, validated_data):
        names = {field.name for field in self.Meta.model._meta.many_to_many}
        return {name: validated_data.pop(name) for name in list(validated_data) if name in names}

    def _by(self):
        return getattr(self.context.get("request"), "user", None)

    def _save(self, instance, default_reason, *, relations_changed):
        services.record_save(
            obj=instance,
            by=self._by(),
            reason=self.context.get("change_reason", ""),
            default_reason=default_reason,
            relations_changed=relations_changed,
        )


class RevisionSummarySerializer(serializers.Serializer):
    """The pending revision of a live claim or explainer, as the desk sees it on the object."""

    id = serializers.IntegerField()
    api_url = serializers.HyperlinkedIdentityField(view_name="api:revision-detail")
    updated_at = serializers.DateTimeField(help_text="When it was last amended.")


@extend_schema_field(RevisionSummarySerializer(allow_null=True))
class PendingRevisionField(serializers.Field):
    """The object's pending revision (desk only), or null. Amending it changes the object's
    ETag, so two clients amending one revision at once cannot overwrite each other: the
    second PATCH names the older ETag and gets 412."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, subject):
        pending = getattr(subject, "pending_revisions", None)
        if pending is None:
            revision = revision_services.pending_revision(subject)
        else:
            revision = pending[0] if pending else None
        if revision is None:
            return None
        return RevisionSummarySerializer(revision, context=self.context).data


class VerdictField(serializers.ChoiceField):
    """A verdict value from the scale; null while a claim is not yet assessed."""

    def __init__(self, **kwargs):
        super().__init__(choices=Verdict.choices, allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value):
        return value or None


class SourceSummarySerializer(serializers.Serializer):
    """A source as cited by a claim, article or piece of evidence.

    Readers see a confidential source only by its redacted description: `id`, `kind` and
    `api_url` are then null and `is_confidential` is true.
    """

    id = serializers.IntegerField(allow_null=True, read_only=True)
    api_url = serializers.URLField(allow_null=True, read_only=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=Source.Kind.choices, allow_null=True, read_only=True)
    affiliation = serializers.ChoiceField(choices=Source.Affiliation.choices, read_only=True)
    is_confidential = serializers.BooleanField(read_only=True)

    def to_representation(self, source):
        if source.is_confidential and not _for_desk(self):
            return {
                "id": None,
                "api_url": None,
                "name": source.redacted_description,
                "kind": None,
                "affiliation": source.affiliation,
                "is_confidential": True,
            }
        return {
            "id": source.pk,
            "api_url": _api_url(self, "source-detail", source.pk),
            "name": source.name,
            "kind": source.kind,
            "affiliation": source.affiliation,
            "is_confidential": source.is_confidential,
        }


class UserSummarySerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = ("id", "username", "name")
        read_only_fields = fields

    def get_name(self, user) -> str:
        return user.get_full_name() or user.get_username()


class PlaceSummarySerializer(serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api:place-detail")

    class Meta:
        model = Place
        fields = ("id", "api_url", "name", "slug")
        read_only_fields = fields


class ClaimSummarySerializer(serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api:claim-detail")
    claimant = SourceSummarySerializer(read_only=True)
    current_verdict = VerdictField()

    class Meta:
        model = Claim
        fields = ("id", "api_url", "statement", "claimant", "claimed_on", "current_verdict")
        read_only_fields = fields


class EvidenceSummarySerializer(StrictModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api:evidence-detail")
    source = SourceSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Evidence
        fields = (
            "id",
            "api_url",
            "kind",
            "description",
            "url",
            "archived_url",
            "file",
            "file_name",
            "file_type",
            "file_size",
            "sha256",
            "source",
            "latitude",
            "longitude",
            "captured_at",
        )
        read_only_fields = fields


# --- sources, places, articles -----------------------------------------------------------


class AliasesField(serializers.ListField):
    """A source's other names, as a list of strings."""

    def get_attribute(self, source):
        return [alias.name for alias in source.aliases.all()]


class SourceSerializer(DeskModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api:source-detail")
    site_url = serializers.SerializerMethodField()
    aliases = AliasesField(
        child=StrictCharField(max_length=200),
        required=False,
        max_length=50,
        help_text="Other names the source goes by. Sending the list replaces it.",
    )
    filled_by_model = ("slug",)

    class Meta:
        model = Source
        fields = (
            "id",
            "api_url",
            "site_url",
            "name",
            "slug",
            "kind",
            "affiliation",
            "aliases",
            "description",
            "home_url",
            "is_confidential",
            "redacted_description",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("created_at", "updated_at")
        extra_kwargs = {"slug": {"required": False}}

    def get_site_url(self, source) -> str | None:
        path = source.get_absolute_url() if source else None
        return links.absolute_url(path, self.context.get("request")) if path else None

    def create(self, validated_data):
        aliases = validated_data.pop("aliases", None)
        source = super().create(validated_data)
        services.source_aliases_set(source=source, by=self._by(), names=aliases)
        return source

    def update(self, source, validated_data):
        aliases = validated_data.pop("aliases", None)
        source = super().update(source, validated_data)
        services.source_aliases_set(source=source, by=self._by(), names=aliases)
        return source


class PlaceNameSerializer(StrictModelSerializer):
    class Meta:
        model = PlaceName
        fields = ("name", "language", "note")


class PlaceSerializer(DeskModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api:place-detail")
    site_url = serializers.SerializerMethodField()
    alternative_names = PlaceNameSerializer(
        many=True,
        required=False,
        help_text="Other names of the place (older, Russian-usage …). Sending the list "
        "replaces it.",
    )
    filled_by_model = ("slug",)

    class Meta:
        model = Place
        fields = (
            "id",
            "api_url",
            "site_url",
            "name",
            "slug",
            "kind",
            "region",
            "alternative_names",
            "population_prewar",
            "description",
            "latitude",
            "longitude",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("created_at", "updated_at")
        extra_kwargs = {"slug": {"required": False}}

    def get_site_url(self, place) -> str:
        return links.absolute_url(place.get_absolute_url(), self.context.get("request"))

    def validate_alternative_names(self, names):
        seen = set()
        for entry in names:
            key = entry["name"].strip().lower()
            if key in seen:
                raise serializers.ValidationError(f"{entry['name']!r} is listed twice.")
            seen.add(key)
        return names

    def create(self, validated_data):
        names = validated_data.pop("alternative_names", None)
        place = super().create(validated_data)
        services.place_names_set(place=place, by=self._by(), names=names)
        return place

    def update(self, place, validated_data):
        names = validated_data.pop("alternative_names", None)
        place = super().update(place, validated_data)
        services.place_names_set(place=place, by=self._by(), names=names)
        return place


class ArticleSerializer(DeskModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api:article-detail")
    outlet = SourceSummarySerializer(read_only=True, allow_null=True)
    outlet_id = IdField(
        source="outlet",
        queryset=Source.objects.all(),
        allow_null=True,
        required=False,
        write_only=True,
        help_text="The source that published the article.",
    )
    imported_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Article
        fields = (
            "id",
            "api_url",
            "headline",
            "outlet",
            "outlet_id",
            "url",
            "byline",
            "published_at",
            "language",
            "body",
            "raw_text",
            "content_hash",
            "imported_at",
            "imported_from",
            "imported_by",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("content_hash", "imported_at", "created_at", "updated_at")
        desk_only_fields = (
            "body",
            "raw_text",
            "content_hash",
            "imported_at",
            "imported_from",
            "imported_by",
        )

    def prepare_for_validation(self, article, attrs):
        article.content_hash = Article.hash_of(article.body)


# --- claims ------------------------------------------------------------------------------


class VerdictStepSerializer(serializers.Serializer):
    """One published verdict in a claim's history."""

    verification = serializers.IntegerField(read_only=True)
    verdict = serializers.ChoiceField(choices=Verdict.choices, read_only=True)
    verdict_label = serializers.CharField(read_only=True)
    published_at = DateTimeField(read_only=True)


class AppearanceArticleSerializer(StrictModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api:article-detail")
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


class ExplainerRefSerializer(serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api:explainer-detail")

    class Meta:
        model = Explainer
        fields = ("id", "api_url", "title", "slug")
        read_only_fields = fields


class AppearanceWriteSerializer(serializers.Serializer):
    article_id = IdField(queryset=Article.objects.all(), help_text="The article (id).")
    passage = StrictCharField(
        allow_blank=True, required=False, default="", help_text="The passage quoted."
    )


class LinkWriteSerializer(serializers.Serializer):
    claim_id = IdField(queryset=Claim.objects.all(), help_text="The other claim (id).")
    relation = serializers.ChoiceField(choices=ClaimLink.Relation.choices)
    note = StrictCharField(allow_blank=True, required=False, default="", max_length=300)


class ClaimSerializer(DeskModelSerializer):
    """A claim with its claimant, places, current verdict and its history.

    The current verdict is that of the latest published verification (null: not yet
    assessed); `verdict_history` lists every published verdict, oldest first.
    """

    api_url = serializers.HyperlinkedIdentityField(view_name="api:claim-detail")
    site_url = serializers.SerializerMethodField()
    claimant = SourceSummarySerializer(read_only=True)
    claimant_id = IdField(
        source="claimant",
        queryset=Source.objects.all(),
        write_only=True,
        help_text="Who made the claim (a source id).",
    )
    places = PlaceSummarySerializer(many=True, read_only=True)
    place_ids = IdField(
        source="places",
        queryset=Place.objects.all(),
        many=True,
        required=False,
        write_only=True,
        help_text="The places the claim is about. Sending the list replaces it.",
    )
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
        return _nested_list(self, VerdictStepSerializer).to_representation(steps)

    @extend_schema_field(AppearanceSerializer(many=True))
    def get_appearances(self, claim):
        return _nested_list(self, AppearanceSerializer).to_representation(claim.appearances.all())

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
        return _nested_list(self, LinkedClaimSerializer).to_representation(entries)

    @extend_schema_field(ExplainerRefSerializer(many=True))
    def get_explainers(self, claim):
        return _nested_list(self, ExplainerRefSerializer).to_representation(claim.live_explainers)

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

    def revision_changes(self, validated_data):
        """The parts of a live claim's document this update changes
        (claims.services.revisions)."""
        changes = {
            part: validated_data[part]
            for part in ("statement", "quote", "claimant", "claimed_on", "places", "slug")
            if part in validated_data
        }
        rows = {
            "appearances": _rows(
                validated_data.get("appearance_entries"), article="article_id", passage="passage"
            ),
            "links": _rows(
                validated_data.get("link_entries"),
                to_claim="claim_id",
                relation="relation",
                note="note",
            ),
        }
        return changes | {part: value for part, value in rows.items() if value is not None}

    @transaction.atomic
    def create(self, validated_data):
        appearances = validated_data.pop("appearance_entries", None)
        links_out = validated_data.pop("link_entries", None)
        claim = super().create(validated_data)
        services.claim_rows_set(
            claim=claim,
            by=self._by(),
            appearances=_rows(appearances, article="article_id", passage="passage"),
            links=_rows(links_out, to_claim="claim_id", relation="relation", note="note"),
        )
        return claim

    @transaction.atomic
    def update(self, claim, validated_data):
        appearances = validated_data.pop("appearance_entries", None)
        links_out = validated_data.pop("link_entries", None)
        claim = super().update(claim, validated_data)
        services.claim_rows_set(
            claim=claim,
            by=self._by(),
            appearances=_rows(appearances, article="article_id", passage="passage"),
            links=_rows(links_out, to_claim="claim_id", relation="relation", note="note"),
        )
        return claim


def _rows(entries, **names):
    """`entries` as validated (None: not sent) in the row services' terms, {their name: ours}."""
    if entries is None:
        return None
    return [
        {theirs: entry[ours] for theirs, ours in names.items() if ours in entry}
        for entry in entries
    ]


class EvidenceSerializer(DeskModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api:evidence-detail")
    source = SourceSummarySerializer(read_only=True, allow_null=True)
    source_id = IdField(
        source="source",
        queryset=Source.objects.all(),
        allow_null=True,
        required=False,
        write_only=True,
        help_text="Who supplied or published the evidence (a source id).",
    )
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
            "kind",
            "description",
            "url",
            "archived_url",
            "file",
            "file_name",
            "file_type",
            "file_size",
            "sha256",
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

    api_url = serializers.HyperlinkedIdentityField(view_name="api:verification-detail")
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
            "location_verdict",
            "location_note",
            "time_verdict",
            "time_note",
            "actor_verdict",
            "actor_note",
            "authenticity",
            "authenticity_note",
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


# --- explainers and corrections ----------------------------------------------------------


class ExplainerClaimSerializer(serializers.ModelSerializer):
    claim = ClaimSummarySerializer(read_only=True)

    class Meta:
        model = ExplainerClaim
        fields = ("position", "claim", "context_note")
        read_only_fields = fields


class ExplainerClaimWriteSerializer(serializers.Serializer):
    claim_id = IdField(queryset=Claim.objects.all())
    context_note = StrictCharField(allow_blank=True, required=False, default="")


class CorrectionSummarySerializer(StrictModelSerializer):
    class Meta:
        model = Correction
        fields = ("id", "kind", "text", "published_at")
        read_only_fields = fields


class ExplainerSerializer(DeskModelSerializer):
    """An explainer with its claims in the editor's order and its public log of corrections.

    The status and publication times change only through the workflow actions (submit,
    return, publish, unpublish); `claim_entries` sets the claims and their order.
    """

    api_url = serializers.HyperlinkedIdentityField(view_name="api:explainer-detail")
    site_url = serializers.SerializerMethodField()
    places = PlaceSummarySerializer(many=True, read_only=True)
    place_ids = IdField(
        source="places",
        queryset=Place.objects.all(),
        many=True,
        required=False,
        write_only=True,
        help_text="The places the explainer is about. Sending the list replaces it.",
    )
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

    def revision_changes(self, validated_data):
        """The parts of a live explainer's document this update changes
        (claims.services.revisions)."""
        changes = {
            part: validated_data[part]
            for part in ("title", "standfirst", "body", "places", "authors", "slug")
            if part in validated_data
        }
        entries = _rows(
            validated_data.get("claim_entries"), claim="claim_id", context_note="context_note"
        )
        return changes if entries is None else changes | {"claims": entries}

    @transaction.atomic
    def create(self, validated_data):
        entries = validated_data.pop("claim_entries", None)
        explainer = super().create(validated_data)
        services.explainer_claims_set(
            explainer=explainer,
            by=self._by(),
            entries=_rows(entries, claim="claim_id", context_note="context_note"),
        )
        return explainer

    @transaction.atomic
    def update(self, explainer, validated_data):
        entries = validated_data.pop("claim_entries", None)
        explainer = super().update(explainer, validated_data)
        services.explainer_claims_set(
            explainer=explainer,
            by=self._by(),
            entries=_rows(entries, claim="claim_id", context_note="context_note"),
        )
        return explainer


class CorrectionSerializer(DeskModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api:correction-detail")
    explainer = ExplainerRefSerializer(read_only=True)
    created_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Correction
        fields = ("id", "api_url", "explainer", "kind", "text", "published_at", "created_by")
        read_only_fields = fields
        desk_only_fields = ("created_by",)


# --- workflow requests -------------------------------------------------------------------


class ReturnNoteSerializer(serializers.Serializer):
    note = StrictCharField(max_length=5000, help_text="What needs to change; the author sees it.")


class PublishOptionsSerializer(serializers.Serializer):
    at = DateTimeField(
        required=False,
        allow_null=True,
        validators=[PlausibleDate(scheduled=True)],
        help_text="Publish at this time instead of now (at most a year ahead). A time in the "
        "past publishes now.",
    )
    change_note = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Required for every publication after the first: what changed, for readers.",
    )


class UnpublishReasonSerializer(serializers.Serializer):
    reason = StrictCharField(
        max_length=2000, help_text="Why it is taken down; recorded in the audit trail."
    )


class NewCorrectionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Correction.Kind.choices, default="correction")
    text = StrictCharField(max_length=5000, help_text="What was wrong, for readers.")


class ErrorSerializer(serializers.Serializer):
    """The body of every error response: RFC 9457 problem details
    (`application/problem+json`), with the desk's `code` and `errors`."""

    type = serializers.CharField(help_text='"about:blank": the status says what kind of problem.')
    title = serializers.CharField(help_text="The status's name, as in HTTP.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    code = serializers.CharField(
        help_text='A stable code: "invalid", "not_found", "forbidden", "conflict", '
        '"precondition_required", "precondition_failed", "throttled" …'
    )
    detail = serializers.CharField(help_text="What went wrong, in words for people.")
    errors = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="For invalid input: the messages for each field (non_field_errors for the "
        "request as a whole).",
    )


# --- the ClaimReview feed (schema only: the feed is built by claims.web.jsonld) ----------


class _JsonLdSerializer(serializers.Serializer):
    """A serializer whose field names are JSON-LD keys ("@type"), for the schema."""

    json_ld_fields = {}

    def get_fields(self):
        return {name: copy.deepcopy(field) for name, field in self.json_ld_fields.items()}


class DataFeedItemSerializer(_JsonLdSerializer):
    """One ClaimReview in the feed."""

    json_ld_fields = {
        "@type": serializers.CharField(help_text='"DataFeedItem".'),
        "dateModified": serializers.DateTimeField(
            help_text="When the review's current verdict was published."
        ),
        "item": serializers.DictField(
            help_text="A schema.org ClaimReview, exactly as on the claim's page on the "
            "reader site: claimReviewed, reviewRating (with ratingValue, bestRating, "
            "worstRating, alternateName, ratingExplanation), itemReviewed (the Claim, its "
            "author and appearances), url, author, datePublished, dateModified."
        ),
    }


@extend_schema_serializer(many=False)
class DataFeedSerializer(_JsonLdSerializer):
    """A schema.org DataFeed of ClaimReviews: the claims with a published verdict, the most
    recently (re)assessed first. Pages are linked in the body (`next`, `previous`: Hydra's
    terms, named in the `@context`) and with `Link` headers (rel="next" and rel="prev");
    the whole feed is one file at /api/v1/claimreviews.jsonld."""

    json_ld_fields = {
        "@context": serializers.ListField(
            child=serializers.JSONField(),
            help_text='"https://schema.org", and the Hydra terms for `next` and `previous`.',
        ),
        "@type": serializers.CharField(help_text='"DataFeed".'),
        "name": serializers.CharField(),
        "url": serializers.URLField(help_text="This page of the feed."),
        "next": serializers.URLField(
            allow_null=True, help_text="The next page's address; null on the last page."
        ),
        "previous": serializers.URLField(
            allow_null=True, help_text="The previous page's address; null on the first page."
        ),
        "publisher": serializers.DictField(help_text="The publishing organisation."),
        "dateModified": serializers.DateTimeField(
            allow_null=True, help_text="The latest dateModified of the items on this page."
        ),
        "dataFeedElement": DataFeedItemSerializer(many=True),
    }


# --- revisions of live claims and explainers ------------------------------------------------


class RevisionSerializer(StrictModelSerializer):
    """A pending (or decided) change to a live claim or explainer: what readers see (`base`
    when it was started), what they will see (`proposed`), and which parts differ."""

    api_url = serializers.HyperlinkedIdentityField(view_name="api:revision-detail")
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
