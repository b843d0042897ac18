"""Revisions of live claims and explainers, for desk staff only: read them, publish or discard
one (`claims.services.revisions`)."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.decorators import action
from rest_framework.response import Response

from claims.models import Revision
from claims.services import revisions as revision_services

from .. import filters
from ..pagination import UncountedPagination
from ..serializers.revisions import (
    DiscardRevisionSerializer,
    PublishRevisionSerializer,
    RevisionSerializer,
)
from .base import ResourceViewSet


class CanReviewRevisions(permissions.BasePermission):
    """Desk staff who may see revisions (every role); anonymous consumers never."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("claims.view_revision"))


@extend_schema(tags=["revisions"])
class RevisionViewSet(ResourceViewSet):
    """Pending and decided changes to live claims and explainers, for desk staff.

    An update (`PATCH`/`PUT`) of a live claim or explainer answers 202 with its pending
    revision; readers keep seeing the live version until an editor who is none of its authors
    publishes it here, as an update or a correction (a dated note readers see) or a minor
    edit; or it is discarded. Anonymous consumers never see revisions (401).
    """

    model = Revision
    serializer_class = RevisionSerializer
    select_related = ("claim", "explainer", "created_by", "decided_by")
    prefetch_related = ("authors",)
    permission_classes = [CanReviewRevisions]
    filterset_class = filters.RevisionFilterSet
    pagination_class = UncountedPagination
    ordering_fields = ("created_at", "id")
    ordering = ("-created_at",)

    def readers_queryset(self):
        return Revision.objects.none()

    def _decide(self, decide):
        with transaction.atomic():
            revision = self.get_object()
            decide(revision)
        revision.refresh_from_db()
        return Response(self.get_serializer(revision).data)

    @extend_schema(request=PublishRevisionSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        data = self.request_data(PublishRevisionSerializer)
        user = request.user
        return self._decide(
            lambda r: revision_services.revision_publish(revision=r, by=user, **data)
        )

    @extend_schema(request=DiscardRevisionSerializer)
    @action(detail=True, methods=["post"])
    def discard(self, request, pk=None):
        reason = self.request_data(DiscardRevisionSerializer)["reason"]
        user = request.user
        return self._decide(
            lambda r: revision_services.revision_discard(revision=r, by=user, reason=reason)
        )
