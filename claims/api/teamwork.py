"""Assignments and internal notes through the API, for desk staff only.

`POST …/{id}/assign/` on claims and verifications; `GET` and `POST …/{id}/notes/` on claims,
verifications and explainers. The rules are claims.services.teamwork's; anyone who does not
see the desk's material gets the same 404 as for an object that does not exist.
"""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from claims.services import teamwork

from .fields import IdField, StrictCharField
from .permissions import sees_desk_material
from .serializers.base import UserSummarySerializer


class AssignSerializer(serializers.Serializer):
    # A JSON integer, as every id the API takes: 2.5, "2" and " 2 " were taken for user 2.
    assignee = IdField(
        queryset=get_user_model().objects.filter(is_active=True, is_staff=True),
        allow_null=True,
        help_text="The desk member's user id, or null to clear the assignment.",
    )
    due_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Due by (date), or null."
    )
    note = StrictCharField(required=False, allow_blank=True, default="", max_length=2000)


class NoteSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    author = UserSummarySerializer(read_only=True)
    text = StrictCharField(max_length=teamwork.NOTE_LENGTH)
    mentions = UserSummarySerializer(many=True, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class NoteThreadSerializer(serializers.Serializer):
    notes = NoteSerializer(many=True, help_text="Oldest first.")


class NotesMixin:
    """`GET`/`POST …/{id}/notes/`: the object's internal thread."""

    def desk_object(self):
        if not sees_desk_material(self.request.user, self.model):
            raise NotFound()
        return self.get_object()

    @extend_schema(
        methods=["GET"],
        summary="The internal notes (desk staff only)",
        responses=NoteThreadSerializer,
    )
    @extend_schema(
        methods=["POST"],
        summary="Add an internal note (desk staff only)",
        request=NoteSerializer,
        responses={201: NoteSerializer},
    )
    @action(detail=True, methods=["get", "post"], permission_classes=[IsAuthenticated])
    def notes(self, request, pk=None, format=None):
        """The internal notes on this object, oldest first; `POST {"text": …}` adds one
        (mention desk members as @username to e-mail them). Desk staff only."""
        subject = self.desk_object()
        if request.method == "POST":
            text = self.request_data(NoteSerializer)["text"]
            note = teamwork.note_add(subject=subject, by=request.user, text=text)
            return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)
        thread = teamwork.notes_of(subject).prefetch_related("mentions")
        return Response({"notes": NoteSerializer(thread, many=True).data})


class AssignMixin(NotesMixin):
    """`POST …/{id}/assign/`: assign the object to a desk member, or clear it (and its
    notes)."""

    @extend_schema(
        summary="Assign it, or clear the assignment (desk staff only)", request=AssignSerializer
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def assign(self, request, pk=None):
        """Assign this to a desk member (`assignee`, with an optional `due_on`), or clear it
        (`assignee: null`). Editors assign anyone; others take work on themselves."""
        self.desk_object()
        data = self.request_data(AssignSerializer)
        user = request.user
        return self.transition(
            lambda obj: teamwork.assignment_set(
                obj=obj,
                by=user,
                assignee=data["assignee"],
                due_on=data["due_on"],
                note=data["note"],
            )
        )
