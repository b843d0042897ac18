"""Sources, places and articles: who says things, where they are about, where they appeared.

A place's alternative names and a source's aliases are written with it, as lists that replace
the old ones. Readers never see an article's full text or how it was imported.
"""

from rest_framework import serializers

from claims import services
from claims.models import Article, Place, PlaceName, Source
from claims.web import links

from ..fields import ObjectUrlField, StrictCharField
from .base import (
    DeskModelSerializer,
    SourceSummarySerializer,
    StrictModelSerializer,
    UserSummarySerializer,
    WholeRow,
    source_id_field,
)


class AliasesField(serializers.ListField):
    """A source's other names, as a list of strings."""

    def get_attribute(self, source):
        return [alias.name for alias in source.aliases.all()]


# What a source and a place share: a name, a slug made from it unless one is sent, other names
# written with it (`row_fields`) and a page on the reader site. (A comment, not a docstring:
# drf-spectacular would describe the Source and Place components by it.)
class NamedSerializer(DeskModelSerializer):
    site_url = serializers.SerializerMethodField()
    filled_by_model = ("slug",)

    class Meta:
        fields = ("id", "api_url", "site_url", "name", "slug")  # first; then each its own
        read_only_fields = ("created_at", "updated_at")
        extra_kwargs = {"slug": {"required": False}}


class SourceSerializer(NamedSerializer):
    api_url = ObjectUrlField(view_name="api:source-detail")
    aliases = AliasesField(
        child=StrictCharField(max_length=200),
        required=False,
        max_length=50,
        help_text="Other names the source goes by. Sending the list replaces it.",
    )
    row_fields = ("aliases",)

    class Meta(NamedSerializer.Meta):
        model = Source
        fields = (
            *NamedSerializer.Meta.fields,
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

    def get_site_url(self, source) -> str | None:
        path = source.get_absolute_url() if source else None
        return links.absolute_url(path, self.context.get("request")) if path else None

    def save_rows(self, source, rows):
        services.source_aliases_set(source=source, by=self._by(), names=rows["aliases"])


class PlaceNameSerializer(WholeRow, StrictModelSerializer):
    class Meta:
        model = PlaceName
        fields = ("name", "language", "note")


class PlaceSerializer(NamedSerializer):
    api_url = ObjectUrlField(view_name="api:place-detail")
    alternative_names = PlaceNameSerializer(
        many=True,
        required=False,
        help_text="Other names of the place (older, Russian-usage …). Sending the list "
        "replaces it.",
    )
    row_fields = ("alternative_names",)

    class Meta(NamedSerializer.Meta):
        model = Place
        fields = (
            *NamedSerializer.Meta.fields,
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

    def save_rows(self, place, rows):
        services.place_names_set(place=place, by=self._by(), names=rows["alternative_names"])


class ArticleSerializer(DeskModelSerializer):
    api_url = ObjectUrlField(view_name="api:article-detail")
    outlet = SourceSummarySerializer(read_only=True, allow_null=True)
    outlet_id = source_id_field("outlet", "The source that published the article.")
    imported_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Article
        # The article's text as imported, and the import's record.
        desk_only_fields = (
            "body",
            "raw_text",
            "content_hash",
            "imported_at",
            "imported_from",
            "imported_by",
        )
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
            *desk_only_fields,
            "created_at",
            "updated_at",
        )
        read_only_fields = ("content_hash", "imported_at", "created_at", "updated_at")

    def prepare_for_validation(self, article, attrs):
        article.content_hash = Article.hash_of(article.body)
