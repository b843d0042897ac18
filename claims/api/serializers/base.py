"""The building blocks every resource's serializers share.

`StrictModelSerializer` maps model fields to the strict fields of `claims.api.fields`;
`DeskModelSerializer` hides desk-only fields from readers, validates a write against the model
before saving and saves through `claims.services`. The summary serializers are the read-only
forms in which one resource shows another (a claim's claimant, a verification's evidence).
"""

import copy

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from claims import services
from claims.models import Claim, Evidence, Explainer, Place, Source
from claims.services import revisions as revision_services
from claims.verdicts import Verdict

from ..fields import (
    DateTimeField,
    IdField,
    ObjectUrlField,
    OptionalURLField,
    StrictBooleanField,
    StrictCharField,
    StrictDecimalField,
    StrictIntegerField,
    StrictSlugField,
    api_object_url,
)


def _for_desk(serializer):
    """Is this response for desk staff? (Schema generation documents the desk's view.)"""
    return serializer.context.get("desk", True)


def _api_url(serializer, view_name, pk):
    request = serializer.context.get("request")
    return api_object_url(f"api:{view_name}", pk, request)


def nested_list(serializer, serializer_class):
    """A `many=True` instance of `serializer_class` with `serializer`'s context, built once
    per `serializer` and reused for every object it represents: building a serializer's
    fields (a deep copy of the declared ones, model introspection) costs far more than
    representing one object, and a list of 50 claims would otherwise build hundreds."""
    built = serializer.__dict__.setdefault("_nested_lists", {})
    if serializer_class not in built:
        built[serializer_class] = serializer_class(many=True, context=serializer.context)
    return built[serializer_class]


class WholeRow:
    """A row of a list that a document replaces whole (a claim's appearances and links, an
    explainer's claims, a place's other names): read with every key, each required one given
    and each default filled in, whether or not the document itself is patched. DRF reads a
    nested row under a PATCH as partial too, skipping its missing keys, required ones
    included: `{"link_entries": [{"note": "x"}]}` reached the code that reads the row, a 500."""

    def to_internal_value(self, data):
        attrs = super().to_internal_value(data)
        missing = {}
        for field in self._writable_fields:
            if field.source in attrs:
                continue
            if field.required:
                missing[field.field_name] = [field.error_messages["required"]]
            elif field.default is not empty:
                # Not field.get_default(), which skips the field, and so the whole list,
                # under a PATCH.
                default = field.default
                if callable(default):
                    default = (
                        default(field) if getattr(default, "requires_context", False) else default()
                    )
                attrs[field.source] = default
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


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
    # Write-only lists of the object's rows in other tables (a source's aliases, a claim's
    # appearances …), handed to `save_rows` once the object is saved; None when not sent.
    row_fields = ()

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
    # each kind of record hold here too. Many-to-many values and the rows of other tables
    # (`row_fields`) are written after the object itself, in one transaction with it.

    @transaction.atomic
    def create(self, validated_data):
        rows = self._pop_rows(validated_data)
        many = self._pop_many(validated_data)
        instance = self.Meta.model(**validated_data)
        self._save(instance, "added through the API", many, rows, relations_changed=bool(many))
        return instance

    @transaction.atomic
    def update(self, instance, validated_data):
        rows = self._pop_rows(validated_data)
        many = self._pop_many(validated_data)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        relations_changed = any(
            {obj.pk for obj in value} != set(getattr(instance, name).values_list("pk", flat=True))
            for name, value in many.items()
        )
        self._save(
            instance, "edited through the API", many, rows, relations_changed=relations_changed
        )
        return instance

    def save_rows(self, instance, rows):
        """Hook: write `rows` ({name in `row_fields`: the list sent, or None}) for the saved
        `instance`, through the row services (claims.services.rows)."""

    def _pop_rows(self, validated_data):
        return {name: validated_data.pop(name, None) for name in self.row_fields}

    def _pop_many(self, validated_data):
        names = {field.name for field in self.Meta.model._meta.many_to_many}
        return {name: validated_data.pop(name) for name in list(validated_data) if name in names}

    def _by(self):
        return getattr(self.context.get("request"), "user", None)

    def _save(self, instance, default_reason, many, rows, *, relations_changed):
        services.record_save(
            obj=instance,
            by=self._by(),
            reason=self.context.get("change_reason", ""),
            default_reason=default_reason,
            relations_changed=relations_changed,
        )
        for name, value in many.items():
            getattr(instance, name).set(value)
        self.save_rows(instance, rows)


class RevisableSerializer(DeskModelSerializer):
    """A claim or an explainer: once it is live, an update is kept as a pending revision of
    its document (claims.services.revisions) instead of being saved."""

    # The parts of the document that are the model's own fields and many-to-many values.
    document_fields = ()

    def document_rows(self, data):
        """The parts of the document that are rows of other tables, from `data` (validated)
        in the row services' terms: {part: rows, or None when not sent}."""
        return {}

    def revision_changes(self, validated_data):
        """The parts of the live document this update changes (claims.services.revisions)."""
        changes = {
            part: validated_data[part] for part in self.document_fields if part in validated_data
        }
        rows = self.document_rows(validated_data)
        return changes | {part: value for part, value in rows.items() if value is not None}


class RevisionSummarySerializer(serializers.Serializer):
    """The pending revision of a live claim or explainer, as the desk sees it on the object."""

    id = serializers.IntegerField()
    api_url = ObjectUrlField(view_name="api:revision-detail")
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
    api_url = ObjectUrlField(view_name="api:place-detail")

    class Meta:
        model = Place
        fields = ("id", "api_url", "name", "slug")
        read_only_fields = fields


class ClaimSummarySerializer(serializers.ModelSerializer):
    api_url = ObjectUrlField(view_name="api:claim-detail")
    claimant = SourceSummarySerializer(read_only=True)
    current_verdict = VerdictField()

    class Meta:
        model = Claim
        fields = ("id", "api_url", "statement", "claimant", "claimed_on", "current_verdict")
        read_only_fields = fields


# What a piece of evidence is, and its file: listed alike by its summary and its full form.
EVIDENCE_ITEM = (
    "kind",
    "description",
    "url",
    "archived_url",
    "file",
    "file_name",
    "file_type",
    "file_size",
    "sha256",
)


class EvidenceSummarySerializer(StrictModelSerializer):
    api_url = ObjectUrlField(view_name="api:evidence-detail")
    source = SourceSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Evidence
        fields = ("id", "api_url", *EVIDENCE_ITEM, "source", "latitude", "longitude", "captured_at")
        read_only_fields = fields


class ExplainerRefSerializer(serializers.ModelSerializer):
    api_url = ObjectUrlField(view_name="api:explainer-detail")

    class Meta:
        model = Explainer
        fields = ("id", "api_url", "title", "slug")
        read_only_fields = fields


def place_ids_field(subject):
    """`place_ids`: the places a claim or explainer is about, written as ids."""
    return IdField(
        source="places",
        queryset=Place.objects.all(),
        many=True,
        required=False,
        write_only=True,
        help_text=f"The places the {subject} is about. Sending the list replaces it.",
    )


def source_id_field(source, help_text):
    """`outlet_id`, `source_id`: a source written by its id; null or left out for none."""
    return IdField(
        source=source,
        queryset=Source.objects.all(),
        allow_null=True,
        required=False,
        write_only=True,
        help_text=help_text,
    )


def service_rows(entries, **names):
    """`entries` as validated (None: not sent) in the row services' terms, {their name: ours}."""
    if entries is None:
        return None
    return [
        {theirs: entry[ours] for theirs, ours in names.items() if ours in entry}
        for entry in entries
    ]
