"""The bodies of the workflow actions' requests (a return note, publishing options, the reason
for unpublishing, a new correction), and of every error response.
"""

from rest_framework import serializers

from claims.dates import PlausibleDate
from claims.models import Correction

from ..fields import DateTimeField, StrictCharField


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
