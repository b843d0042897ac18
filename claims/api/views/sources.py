"""Sources, places and articles. An article sent or changed through the API has its claims
spotted, as in the desk."""

from claims import selectors
from claims.ingest import candidates as candidate_services
from claims.models import Article, Place, Source

from .. import filters
from ..serializers.sources import ArticleSerializer, PlaceSerializer, SourceSerializer
from .base import ReadWriteViewSet


class SourceViewSet(ReadWriteViewSet):
    """Sources: outlets, ministries, units, officials, open-source projects.

    Readers see the named sources cited in published material; confidential sources are
    never listed (claims show them by their redacted description)."""

    model = Source
    serializer_class = SourceSerializer
    prefetch_related = ("aliases",)
    filterset_class = filters.SourceFilterSet
    ordering_fields = ("name", "updated_at", "id")
    ordering = ("name",)
    search_kind = "sources"

    def readers_queryset(self):
        return selectors.sources_for_readers()

    def shown_with(self, instance):
        # Public while a claim it made, an article it published or evidence it gave is.
        return (f"source-{instance.pk}-list",)


class PlaceViewSet(ReadWriteViewSet):
    """Towns, villages and regions, with their other names."""

    model = Place
    serializer_class = PlaceSerializer
    prefetch_related = ("alternative_names",)
    filterset_class = filters.PlaceFilterSet
    ordering_fields = ("name", "updated_at", "id")
    ordering = ("name",)
    search_kind = "places"

    def readers_queryset(self):
        return selectors.places_for_readers()

    def shown_with(self, instance):
        # Public while a claim or an explainer about it is.
        return (f"place-{instance.pk}-list",)


class ArticleViewSet(ReadWriteViewSet):
    """Published pieces in which claims appear. Readers see those carrying a published claim,
    without their full text."""

    model = Article
    serializer_class = ArticleSerializer
    select_related = ("outlet", "imported_by")
    filterset_class = filters.ArticleFilterSet
    ordering_fields = ("published_at", "updated_at", "id")
    ordering = ("-published_at",)

    def readers_queryset(self):
        return selectors.articles_for_readers()

    def shown_with(self, instance):
        # Public while a claim that appeared in it is: its appearances are around each.
        claims = instance.appearances.values_list("claim_id", flat=True)
        return tuple(f"claim-{pk}-around" for pk in claims)

    def perform_create(self, serializer):
        article = serializer.save(
            imported_by=self.request.user,
            imported_from=serializer.validated_data.get("imported_from") or "API",
        )
        candidate_services.article_spot_candidates(article=article, by=self.request.user)

    def perform_update(self, serializer):
        """A new text has its claims spotted again, as in the desk, in the same transaction."""
        new_text = serializer.validated_data.get("body", serializer.instance.body)
        text_changed = new_text != serializer.instance.body
        article = serializer.save()
        if text_changed:
            candidate_services.article_spot_candidates(article=article, by=self.request.user)
