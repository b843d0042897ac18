"""The ClaimReview DataFeed, for the schema only: the feed itself is built by
`claims.web.jsonld` (see `claims.api.views.feed`), and these serializers describe it.
"""

import copy

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers


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
