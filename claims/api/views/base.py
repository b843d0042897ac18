"""What every viewset of the API shares.

`DeskViewSet` decides who sees what (readers get `claims.selectors`' querysets, desk staff
every object), checks the query parameters, gives ETags, and runs a change on the locked
object (`transition`, declared with `transition_action`); `ResourceViewSet` adds the detail;
`ReadWriteViewSet` the writes, under the model's permissions and `If-Match`, with a live
claim's or explainer's update kept as a pending revision. `change_reason` reads the history's
reason from the request.
"""

from contextlib import contextmanager

from django.db import transaction
from django.db.models import Prefetch
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from claims import services
from claims.models import Revision
from claims.models.base import StaleVersion
from claims.services import revisions as revision_services
from claims.web.cache import keys

from .. import filters
from ..conditional import ConditionalMixin, check_if_match, etag_for, if_match_version, stale
from ..permissions import CanRequestTransition, DeskModelPermissions, sees_desk_material
from ..readercache import ReaderCacheMixin, reader_cached
from ..serializers.revisions import RevisionSerializer


class DeskViewSet(ReaderCacheMixin, ConditionalMixin, viewsets.GenericViewSet):
    """Shared behaviour: who sees what, strict query parameters, ETags, If-Match on writes."""

    model = None
    # What the serializer shows of related objects, for `with_related`: joined, prefetched.
    select_related = ()
    prefetch_related = ()
    permission_classes = [DeskModelPermissions]
    filter_backends = [
        filters.FilterBackend,
        filters.SiteSearchFilter,
        filters.StableOrderingFilter,
    ]
    lookup_value_regex = r"[0-9]+"

    # --- what the user sees

    def for_desk(self):
        """Does the requesting user see the desk's material (drafts, confidential names)?"""
        if not hasattr(self, "_for_desk"):
            self._for_desk = sees_desk_material(self.request.user, self.model)
        return self._for_desk

    def readers_queryset(self):
        raise NotImplementedError

    def with_related(self, queryset, *, desk):
        """`queryset` with what the serializer shows loaded in a fixed number of queries: by
        default, the view's `select_related` and `prefetch_related`."""
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        return queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        desk = self.for_desk()
        queryset = self.model.objects.all() if desk else self.readers_queryset()
        return self.with_related(queryset, desk=desk)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["desk"] = self.for_desk()
            context["change_reason"] = change_reason(self.request, "")
        return context

    # --- reads

    @reader_cached
    def list(self, request, *args, **kwargs):
        filters.check_query_parameters(request, self)
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.page_data(page))

    def page_data(self, page):
        """What the list shows of the objects of `page`."""
        return self.get_serializer(page, many=True).data

    # --- writes

    def etag_of(self, instance, data=None):
        """The ETag a GET of `instance` gives this user now (its version in front)."""
        data = self.get_serializer(instance).data if data is None else data
        return etag_for(data, version=getattr(instance, "version", None))

    def get_locked_object(self):
        """The object, its row locked until the transaction ends (PostgreSQL), read afresh."""
        self.model.objects.select_for_update().filter(pk=self.kwargs["pk"]).exists()
        return self.get_object()

    def fresh_response(self, pk, status_code=status.HTTP_200_OK):
        """The object as a GET would now show it, with its new ETag."""
        instance = self.get_queryset().filter(pk=pk).first()
        if instance is None:
            instance = self.model.objects.get(pk=pk)
        data = self.get_serializer(instance).data
        return Response(data, status=status_code, headers={"ETag": self.etag_of(instance, data)})

    @contextmanager
    def locked_for_change(self):
        """The locked object, for a change made in one transaction with the lock. If-Match is
        optional here: the workflow and the services themselves refuse a move from a state
        the object is no longer in."""
        with transaction.atomic():
            instance = self.get_locked_object()
            if self.request.headers.get("If-Match"):
                check_if_match(self.request, self.etag_of(instance), required=False)
            yield instance

    def transition(self, change, *, status_code=status.HTTP_200_OK):
        """Run `change(instance)` (a workflow call) on the locked object; respond with the
        object as it now is."""
        # The body read first, even by an action that takes none: a body the API cannot read
        # (415, 400) is refused before anything changes, not after (the browsable API reads
        # it to draw its form, and the 415 then came as a 500 for a change already made).
        self.request.data  # noqa: B018
        with self.locked_for_change() as instance:
            change(instance)
        return self.fresh_response(instance.pk, status_code)

    def request_data(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class ResourceViewSet(DeskViewSet):
    """A resource with a list and a detail per object."""

    @reader_cached
    def retrieve(self, request, *args, **kwargs):
        filters.check_query_parameters(request, self, detail=True)
        instance = self.get_object()
        keys.shows(*self.shown_with(instance))
        data = self.get_serializer(instance).data
        return Response(data, headers={"ETag": self.etag_of(instance, data)})

    def shown_with(self, instance):
        """Surrogate keys a reader's copy of `instance` carries beyond those of the rows it
        loads: for an object public only through others (a place, a source, an article),
        what moves when those come or go (claims.web.cache.keys)."""
        return ()


class ReadWriteViewSet(ResourceViewSet):
    """A resource the desk creates, updates and deletes under its model permissions."""

    def check_editable(self, instance):
        """Hook: refuse (403/409) an update of `instance` in its current state."""

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            self.perform_create(serializer)
        return self.fresh_response(serializer.instance.pk, status.HTTP_201_CREATED)

    def perform_create(self, serializer):
        serializer.save()

    def update(self, request, *args, **kwargs):
        """Update under If-Match; the UPDATE lands only on the version If-Match names."""
        partial = kwargs.pop("partial", False)
        # Parsed first: a body that is not JSON is a 400 before any precondition is weighed.
        data = request.data
        with transaction.atomic():
            instance = self.get_locked_object()
            check_if_match(request, self.etag_of(instance), required=True)
            self.check_editable(instance)
            serializer = self.get_serializer(instance, data=data, partial=partial)
            serializer.is_valid(raise_exception=True)
            if hasattr(serializer, "revision_changes") and revision_services.is_live(instance):
                return self.propose_revision(request, instance, serializer)
            seen = if_match_version(request)
            if seen is not None:
                instance.version = seen
            try:
                self.perform_update(serializer)
            except StaleVersion as error:
                raise stale(current=error.current, sent=error.seen) from error
        return self.fresh_response(instance.pk)

    def perform_update(self, serializer):
        serializer.save()

    def propose_revision(self, request, instance, serializer):
        """A live claim or explainer: the update is kept as its pending revision, and readers
        go on seeing the live version until an editor publishes it (202 with the revision)."""
        revision = revision_services.revision_propose(
            subject=instance,
            by=request.user,
            changes=serializer.revision_changes(serializer.validated_data),
            reason=change_reason(request, ""),
        )
        if revision is None:
            return self.fresh_response(instance.pk)
        data = RevisionSerializer(revision, context=self.get_serializer_context()).data
        return Response(
            data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["api_url"]}
        )

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with self.locked_for_change() as instance:
            services.record_delete(
                obj=instance,
                by=request.user,
                reason=change_reason(request, "deleted through the API"),
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


def transition_action(**kwargs):
    """A workflow action on one object, `POST …/{id}/<action>/`: open to any logged-in user,
    `claims.workflow` deciding whether this one may make the change."""
    return action(
        detail=True, methods=["post"], permission_classes=[CanRequestTransition], **kwargs
    )


def change_reason(request, default):
    """Why, for the history: the request's `X-Change-Reason` header, or `default`."""
    reason = " ".join(request.headers.get("X-Change-Reason", "").split())[:500]
    return reason or default


def pending_revisions(relation):
    """The pending revision of each claim or explainer, as `pending_revisions` (0 or 1)."""
    return Prefetch(
        relation,
        queryset=Revision.objects.filter(status=Revision.Status.PENDING),
        to_attr="pending_revisions",
    )
