"""One JSON shape for every error the API returns, and the exceptions it knows how to report.

Every error is an RFC 9457 problem details object, sent as `application/problem+json`:
`{"type": "about:blank", "title": "Conflict", "status": 409, "code": "conflict", "detail":
"…"}`; a 400 for invalid input adds `"errors"`, the messages by field (`"non_field_errors"`
for the request as a whole). `status`, `code`, `detail` and `errors` are the fields clients
had before; a client whose Accept names `application/json` and not `application/problem+json`
gets the same body as `application/json`. Workflow refusals keep the workflow's own message
and code (403 forbidden, 409 conflict, 400 invalid). Bad input of any kind is a 4xx, never a
500.
"""

from http import HTTPStatus

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from claims import security
from claims.errors import DeskError


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = (
        "Send the object's current ETag in an If-Match header (GET it first), so that an "
        "update cannot overwrite someone else's."
    )
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "Someone has changed this object since you fetched it (its ETag no longer matches "
        "If-Match). Fetch it again and reapply your change."
    )
    default_code = "precondition_failed"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The object is not in a state that allows this."
    default_code = "conflict"


PROBLEM_JSON = "application/problem+json"
# Formats whose errors are problem details (the browsable API shows its errors as HTML).
JSON_FORMATS = ("json", "jsonld")


def problem(status_code, code, detail, errors=None):
    """An RFC 9457 problem details body, with the desk's `code` (and `errors`) added."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "code": code,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    return body


def error_media_type(request):
    """`application/problem+json`, unless the client asked for `application/json` only."""
    accept = request.META.get("HTTP_ACCEPT", "")
    if "application/json" in accept and PROBLEM_JSON not in accept:
        return "application/json"
    return PROBLEM_JSON


def problem_response(request, status_code, code, detail):
    """A problem details response outside DRF's views (the catch-all 404, plain views)."""
    return JsonResponse(
        problem(status_code, code, detail),
        status=status_code,
        content_type=error_media_type(request),
    )


class ProblemAwareNegotiation(DefaultContentNegotiation):
    """DRF's content negotiation, except that a client accepting only
    `application/problem+json` (for the errors) is answered in JSON rather than refused 406."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except exceptions.NotAcceptable:
            if PROBLEM_JSON not in request.META.get("HTTP_ACCEPT", "") or format_suffix:
                raise
            json_renderer = next(r for r in renderers if r.format == "json")
            return json_renderer, json_renderer.media_type


def api_exception_handler(exc, context):
    """DRF's exception handler, with the desk's errors added and one body shape for all."""
    request = context.get("request")
    if isinstance(exc, DeskError):
        return _error_response(request, exc.http_status, exc.code, exc.message)
    if isinstance(exc, ProtectedError | RestrictedError):
        return _error_response(
            request,
            409,
            "conflict",
            "Other records refer to this one, so it cannot be deleted.",
        )
    if isinstance(exc, IntegrityError):
        return _error_response(
            request, 409, "conflict", "This would clash with a record already on file."
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=serializers.as_serializer_error(exc))

    if isinstance(exc, Http404 | exceptions.NotFound):
        # One message for every missing or hidden object, naming neither.
        exc = exceptions.NotFound()

    # Imported here: DRF's views read, as they are imported, the settings that name this
    # module's classes (ProblemAwareNegotiation), so this module cannot import them first.
    from rest_framework import views as drf_views

    response = drf_views.exception_handler(exc, context)
    if response is None:
        return None
    refused = exceptions.NotAuthenticated | exceptions.AuthenticationFailed
    if isinstance(exc, refused | exceptions.PermissionDenied):
        security.log_refusal(request, status=response.status_code, reason=exc)
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data
        if not isinstance(errors, dict):
            errors = {"non_field_errors": errors}
        response.data = problem(response.status_code, "invalid", _summary(errors), errors)
        return _as_problem(request, response)
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
    code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
    response.data = problem(response.status_code, code, str(detail))
    return _as_problem(request, response)


def _as_problem(request, response):
    """Label `response` application/problem+json when it will be rendered as JSON."""
    renderer = getattr(request, "accepted_renderer", None)
    if request is not None and (renderer is None or renderer.format in JSON_FORMATS):
        response.content_type = error_media_type(request)
    return response


class JSONErrorsMixin:
    """For the API's views whose answer is not JSON (the schema in YAML, its docs in HTML):
    their errors, such as the 405 for a method they do not take, in JSON like every other
    error under /api/, whatever the request's Accept header chose for a success."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and response.status_code >= 400:
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
            response.content_type = error_media_type(request)
        return response


def _error_response(request, status_code, code, detail):
    from rest_framework import views as drf_views  # as in api_exception_handler

    drf_views.set_rollback()
    response = Response(problem(status_code, code, detail), status=status_code)
    return _as_problem(request, response)


def _summary(errors):
    """The first message, so that a client showing only `detail` still says something useful."""
    for field, messages in errors.items():
        first = messages
        while isinstance(first, list | dict) and first:
            first = first[0] if isinstance(first, list) else next(iter(first.values()))
        if first and not isinstance(first, list | dict):
            return str(first) if field == "non_field_errors" else f"{field}: {first}"
    return "The request is not valid."
