"""Sources, places and articles: who says things, where they are about, where they appeared.

A place's alternative names and a source's aliases are written with it, as lists that replace
the old ones. Readers never see an article's full text or how it was imported.
"""

from rest_framework import serializers

from claims import services
from claims.models import Article, Place, PlaceName, Source
from claims.site import links

from ..fields import IdField, StrictCharField
from .base import (
    DeskModelSerializer,
    SourceSummarySerializer,
    StrictModelSerializer,
    UserSummarySerializer,
)


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
        path = links.source_path(source)
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
        return links.absolute_url(links.place_path(place), self.context.get("request"))

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
