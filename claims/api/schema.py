"""The OpenAPI description's additions for what every operation shares.

drf-spectacular describes each endpoint from its viewset, serializer and FilterSet; this
module adds what those do not say: that reads need no credentials, the conditional-request
headers (ETag, If-None-Match, If-Match), the error responses each kind of operation can give,
with their one JSON body, and Retry-After on 429.
"""

import json

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.permissions import SAFE_METHODS

from .serializers.base import DeskModelSerializer
from .serializers.revisions import RevisionSerializer
from .serializers.workflow import ErrorSerializer

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


# Each operation's one-line summary (docs, generated clients' method comments), by the
# viewset's action; {a} {one} is the model's name with its article, {many} its plural.
SUMMARIES = {
    "list": "List {many}",
    "retrieve": "Read {a} {one}",
    "create": "Create {a} {one}",
    "update": "Replace {a} {one}",
    "partial_update": "Change {a} {one}",
    "destroy": "Delete {a} {one}",
    "submit": "Submit {a} {one} for review",
    "return_to_author": "Return {a} {one} to its author",
    "return_to_draft": "Return {a} {one} to draft",
    "reopen": "Reopen {a} returned {one}",
    "publish": "Publish {a} {one}",
    "unpublish": "Unpublish {a} {one}",
    "corrections": "Issue a correction to {a} {one}",
    "discard": "Discard {a} {one}",
}
# Names that read better than the model's verbose name: (one, many).
NOUNS = {"evidence": ("piece of evidence", "evidence"), "claimreview": ("claim", "claim reviews")}


class DeskAutoSchema(AutoSchema):
    def get_summary(self):
        summary = super().get_summary()
        action = getattr(self.view, "action", None)
        if summary or action not in SUMMARIES:
            return summary
        one, many = self._nouns()
        article = "an" if one[0] in "aeiou" else "a"
        return SUMMARIES[action].format(a=article, one=one, many=many)

    def _nouns(self):
        basename = getattr(self.view, "basename", "")
        if basename in NOUNS:
            return NOUNS[basename]
        meta = self.view.model._meta
        return str(meta.verbose_name), str(meta.verbose_name_plural)

    def _is_detail(self):
        return "{id}" in self.path or "{pk}" in self.path

    def _is_transition(self):
        return self.method == "POST" and self._is_detail()

    def _is_revisable_update(self):
        """An update that a live claim or explainer answers with a pending revision (202)."""
        if self.method not in ("PUT", "PATCH"):
            return False
        serializer_class = getattr(self.view, "serializer_class", None)
        return hasattr(serializer_class, "revision_changes")

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
        etag = header(
            "ETag",
            "The representation's entity tag, for If-None-Match and If-Match.",
            response=[200, 201, 304],
        )
        if self.method in SAFE_METHODS:
            parameters.append(
                header(
                    "If-None-Match",
                    "An ETag from an earlier response: 304 if it is still current.",
                    required=False,
                )
            )
            parameters.append(etag)
        elif self.method in ("PUT", "PATCH"):
            parameters.append(
                header(
                    "If-Match",
                    "The object's current ETag (from a GET): 428 without it, 412 when someone "
                    "has changed the object since.",
                    required=True,
                )
            )
            parameters.append(etag)
            if self._is_revisable_update():
                parameters.append(
                    header(
                        "Location",
                        "The pending revision's address.",
                        type=OpenApiTypes.URI,
                        response=[202],
                    )
                )
        elif self._is_detail():
            parameters.append(
                header(
                    "If-Match",
                    "Optional: the object's ETag as you saw it; 412 when it has changed since.",
                    required=False,
                )
            )
            if self.method == "POST":
                parameters.append(etag)
        else:
            parameters.append(etag)
        parameters.append(
            header(
                "Retry-After",
                "Seconds to wait before the next request.",
                type=OpenApiTypes.INT,
                response=[429],
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
        if self._is_revisable_update():
            responses["202"] = self._get_response_for_code(
                OpenApiResponse(
                    RevisionSerializer,
                    description="The object is live: the change is kept as its pending "
                    "revision, which readers see only once an editor publishes it.",
                ),
                "202",
                direction=direction,
            )
        for code in self.error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=ERRORS[code]),
                    code,
                    direction=direction,
                )
                # Problem details, as application/json to clients that ask for that only.
                body = responses[code]["content"]["application/json"]
                responses[code]["content"] = {
                    "application/problem+json": body,
                    **responses[code]["content"],
                }
        return dict(sorted(responses.items()))


def header(name, description, *, type=OpenApiTypes.STR, **kwargs):
    """An HTTP header parameter, of a request or (`response=[codes]`) of responses."""
    return OpenApiParameter(
        name, type, location=OpenApiParameter.HEADER, description=description, **kwargs
    )


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
        serializer_class
        for serializer_class in _subclasses(DeskModelSerializer)
        if getattr(getattr(serializer_class, "Meta", None), "desk_only_fields", ())
    ]


def _subclasses(cls):
    """Every subclass of `cls`, however indirect."""
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


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


def unused_components_dropped(result, generator, request, public):
    """Postprocessing hook: component schemas no operation reaches are left out (the nested
    write serializers' response twins, which COMPONENT_SPLIT_REQUEST makes and nothing
    returns)."""
    schemas = result.get("components", {}).get("schemas", {})
    while True:
        text = json.dumps(result, default=str).replace('"', "'")
        unused = [name for name in schemas if f"'#/components/schemas/{name}'" not in text]
        if not unused:
            return result
        for name in unused:
            del schemas[name]


NULL_REF = {"$ref": "#/components/schemas/NullEnum"}


def null_as_a_choice(result, generator, request, public):
    """Postprocessing hook: a field that may be null and is one of several schemas (a link to
    another object, a verdict, a URL that may also be blank) says so in a way OpenAPI 3.0.3
    and the clients generated from it understand.

    drf-spectacular writes `nullable: true` beside an `allOf` or `oneOf` with no `type`; 3.0.3
    gives `nullable` a meaning only next to a `type`, so validators (openapi-core) and
    generated clients refuse the nulls the API sends. Here the null becomes one more choice
    of the `oneOf` (`NullEnum`, a nullable string whose only value is null) or, where every
    choice has a type already, a nullable first choice."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for schema in _subschemas(result):
        if schema.get("nullable") is not True or "type" in schema:
            continue
        if "allOf" in schema:
            if len(schema["allOf"]) != 1:
                continue
            schema["oneOf"] = schema.pop("allOf")
        if "oneOf" not in schema:
            continue
        del schema["nullable"]
        choices = schema["oneOf"]
        if all("type" in choice for choice in choices):
            choices[0]["nullable"] = True  # a URL that may be blank: null is a string choice
        elif NULL_REF not in choices:
            choices.append(dict(NULL_REF))
    schemas["NullEnum"] = {"type": "string", "nullable": True, "enum": [None]}
    return result


def _subschemas(node):
    """Every mapping inside `node`, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _subschemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _subschemas(value)
