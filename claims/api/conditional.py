"""ETags and conditional requests.

An ETag is a digest of the representation a client receives, so it changes whenever anything
the client can see changes (a new verdict, a correction, an edited note) and is the same on
every worker. Reads answer `If-None-Match` with 304; updates require `If-Match` (428 without
it, 412 when it is stale), so one desk member cannot silently overwrite another's change.
"""

import hashlib
import json

from django.utils.cache import patch_vary_headers
from rest_framework import status
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from .exceptions import PreconditionFailed, PreconditionRequired


def etag_for(data):
    """A strong ETag for response data: the same data always gives the same tag."""
    encoded = json.dumps(
        data, cls=JSONEncoder, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    return f'"{hashlib.sha256(encoded).hexdigest()[:40]}"'


def _tags(header):
    """The entity tags in an If-Match / If-None-Match header ("*" stays "*")."""
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def _opaque(tag):
    return tag[2:] if tag.startswith("W/") else tag


def none_match(request, etag):
    """Does the request's If-None-Match name `etag`? (Weak comparison, as for GET.)"""
    header = request.headers.get("If-None-Match", "")
    tags = _tags(header)
    return "*" in tags or _opaque(etag) in {_opaque(tag) for tag in tags}


def check_if_match(request, current_etag, *, required):
    """Refuse the request unless its If-Match names `current_etag` (strong comparison).

    Without an If-Match header: 428 when `required`, otherwise allowed.
    """
    tags = _tags(request.headers.get("If-Match", ""))
    if not tags:
        if required:
            raise PreconditionRequired()
        return
    if "*" in tags:
        return
    if current_etag not in tags:
        raise PreconditionFailed()


class ConditionalMixin:
    """For viewsets: an ETag on every successful read, and 304 for a matching If-None-Match.

    Responses also vary by who asks (desk staff see drafts), so caches key them on the
    credentials as well as on Accept.
    """

    def finalize_response(self, request, response, *args, **kwargs):
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == status.HTTP_200_OK
            and getattr(response, "data", None) is not None
            and not response.has_header("ETag")
        ):
            etag = etag_for(response.data)
            if none_match(request, etag):
                response = Response(status=status.HTTP_304_NOT_MODIFIED)
            response["ETag"] = etag
        patch_vary_headers(response, ("Authorization", "Cookie"))
        return super().finalize_response(request, response, *args, **kwargs)
