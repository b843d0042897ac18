"""The OpenAPI description's additions for what every operation shares.

drf-spectacular describes each endpoint from its viewset, serializer and FilterSet; this
module adds what those do not say: that reads need no credentials, the conditional-request
headers (ETag, If-None-Match, If-Match), the error responses each kind of operation can give,
with their one JSON body, and Retry-After on 429.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.permissions import SAFE_METHODS

from . import serializers

ERRORS = {
    "400": "Invalid input: a parameter, filter, ordering, page or body field is wrong (see "
    "`errors`), or a workflow rule refuses the request as incomplete.",
    "401": "The token or session is invalid, or the operation needs one.",
    "403": "The user may not do this (role, four eyes, CSRF for session users).",
    "404": "No such object for this user (readers see published material only), or no such page.",
    "406": "The Accept header asks for a format the API does not serve.",
    "409": "The object is not in a state that allows this (workflow), or other records "
    "refer to it.",
    "412": "If-Match does not name the object's current ETag: someone changed it since you "
    "fetched it.",
    "415": "The body is not JSON (Content-Type: application/json).",
    "428": "Updates need an If-Match header with the object's current ETag.",
    "429": "Too many requests: wait for the seconds in Retry-After.",
}


class DeskAutoSchema(AutoSchema):
    def _is_detail(self):
        return "{id}" in self.path or "{pk}" in self.path

    def _is_transition(self):
        return self.method == "POST" and self._is_detail()

    def error_codes(self):
        if self.method in SAFE_METHODS:
            codes = ["400", "401", "406", "429"]
            if self._is_detail() or self._is_list_view():
                codes.append("404")
            return codes
        codes = ["400", "401", "403", "406", "409", "415", "429"]
        if self._is_detail():
            codes += ["404", "412"]
        if self.method in ("PUT", "PATCH"):
            codes.append("428")
        if self.method == "DELETE":
            codes.remove("415")
        return codes

    def get_auth(self):
        auths = super().get_auth()
        if self.method in SAFE_METHODS and {} not in auths:
            auths.append({})  # reads are open to anonymous consumers
        return auths

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        etag = OpenApiParameter(
            "ETag",
            OpenApiTypes.STR,
            location=OpenApiParameter.HEADER,
            response=[200, 201, 304],
            description="The representation's entity tag, for If-None-Match and If-Match.",
        )
        if self.method in SAFE_METHODS:
            parameters.append(
                OpenApiParameter(
                    "If-None-Match",
                    OpenApiTypes.STR,
                    location=OpenApiParameter.HEADER,
                    required=False,
                    description="An ETag from an earlier response: 304 if it is still current.",
                )
            )
            parameters.append(etag)
        elif self.method in ("PUT", "PATCH"):
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    location=OpenApiParameter.HEADER,
                    required=True,
                    description="The object's current ETag (from a GET): 428 without it, 412 "
                    "when someone has changed the object since.",
                )
            )
            parameters.append(etag)
        elif self._is_detail():
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    location=OpenApiParameter.HEADER,
                    required=False,
                    description="Optional: the object's ETag as you saw it; 412 when it has "
                    "changed since.",
                )
            )
            if self.method == "POST":
                parameters.append(etag)
        else:
            parameters.append(etag)
        parameters.append(
            OpenApiParameter(
                "Retry-After",
                OpenApiTypes.INT,
                location=OpenApiParameter.HEADER,
                response=[429],
                description="Seconds to wait before the next request.",
            )
        )
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method in SAFE_METHODS:
            responses["304"] = {
                "description": "Not modified: the If-None-Match ETag is still current.",
                "headers": self._get_response_headers_for_code("304", direction),
            }
        for code in self.error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(serializers.ErrorSerializer, description=ERRORS[code]),
                    code,
                    direction=direction,
                )
        return dict(sorted(responses.items()))


def desk_only_fields_not_required(result, generator, request, public):
    """Postprocessing hook: fields readers do not receive are optional in responses, and
    their descriptions say so."""
    schemas = result.get("components", {}).get("schemas", {})
    for serializer_class in _serializers_with_desk_only_fields():
        component = schemas.get(serializer_class.__name__.removesuffix("Serializer"))
        if not component:
            continue
        desk_only = serializer_class.Meta.desk_only_fields
        if "required" in component:
            component["required"] = [f for f in component["required"] if f not in desk_only]
        for name in desk_only:
            field = component.get("properties", {}).get(name)
            if field is None:
                continue
            note = "Desk staff only: left out for readers."
            if "$ref" in field:
                component["properties"][name] = {"allOf": [field], "description": note}
            else:
                field["description"] = f"{field.get('description', '')} {note}".strip()
    return result


def _serializers_with_desk_only_fields():
    return [
        value
        for value in vars(serializers).values()
        if isinstance(value, type)
        and issubclass(value, serializers.DeskModelSerializer)
        and getattr(getattr(value, "Meta", None), "desk_only_fields", ())
    ]


def empty_filters_allowed(result, generator, request, public):
    """Postprocessing hook: a filter, ordering or search parameter sent empty (as the
    browsable API's filter form does) means "not filtered"; say so with allowEmptyValue.
    Page numbers and sizes must not be empty."""
    for item in result.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and parameter["name"] not in STRICT_QUERY:
                    parameter["allowEmptyValue"] = True
    return result


STRICT_QUERY = {"page", "page_size"}
