"""ETags and conditional requests.

An ETag is a digest of the representation a client receives, so it changes whenever anything
the client can see changes (a new verdict, a correction, an edited note) and is the same on
every worker. An object with a `version` (claims.models.base.VersionedModel) has it in front:
`"v4-<digest>"`, the version the admin's change form checks too. Reads answer `If-None-Match`
with 304; updates require `If-Match` (428 without it, 412 when it is stale), and the update
itself is `UPDATE … WHERE version = <the If-Match version>`, so one desk member cannot silently
overwrite another's change, even one landing between the check and the write.
"""

import hashlib
import json
import re

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from rest_framework import status
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from claims.web.cache.conditional import none_match

from .exceptions import PreconditionFailed, PreconditionRequired

VERSIONED_TAG = re.compile(r'^"v(?P<version>[0-9]{1,18})-[0-9a-f]+"$')


def etag_for(data, version=None):
    """A strong ETag for response data: the same data always gives the same tag; with the
    object's `version` in front when it has one."""
    encoded = json.dumps(
        data, cls=JSONEncoder, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    digest = hashlib.sha256(encoded).hexdigest()[:40]
    return f'"v{version}-{digest}"' if version is not None else f'"{digest}"'


def version_of(etag):
    """The object version named by an ETag of `etag_for`, or None."""
    match = VERSIONED_TAG.match(etag.strip())
    return int(match["version"]) if match else None


def if_match_version(request):
    """The version the request's If-Match names (one tag, versioned), or None ("*", none)."""
    tags = parse_etags(request.headers.get("If-Match", ""))
    versions = {version_of(tag) for tag in tags} - {None}
    return versions.pop() if len(versions) == 1 else None


def check_if_match(request, current_etag, *, required):
    """Refuse the request unless its If-Match names `current_etag` (strong comparison).

    Without an If-Match header: 428 when `required`, otherwise allowed. The 412 says which
    version the object is now at and which one the request named; a header that names no
    entity tag at all (unquoted, garbled) names no state of the object, so it is a 412 too.
    """
    header = request.headers.get("If-Match", "").strip()
    if not header:
        if required:
            raise PreconditionRequired()
        return
    tags = parse_etags(header)
    if "*" in tags:
        return
    if current_etag not in tags:
        raise stale(current=version_of(current_etag), sent=if_match_version(request))


def stale(*, current, sent):
    """The 412 for an If-Match naming an older state than the object's."""
    if current is None:
        return PreconditionFailed()
    had = f"version {sent}" if sent is not None else "an older state"
    return PreconditionFailed(
        f"Someone has changed this object since you fetched it: it is now version {current}, "
        f"your If-Match names {had}. Fetch it again (its new ETag) and reapply your change."
    )


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
        ):
            etag = response.headers.get("ETag") or etag_for(response.data)
            if none_match(request, etag):
                response = Response(status=status.HTTP_304_NOT_MODIFIED)
            response["ETag"] = etag
        patch_vary_headers(response, ("Authorization", "Cookie"))
        if request.method in ("GET", "HEAD") and response.status_code in (200, 304):
            # The 304 varies as the 200 does (the reader cache sends the 200 gzipped).
            patch_vary_headers(response, ("Accept-Encoding",))
            if not request.user.is_authenticated and "HTTP_AUTHORIZATION" not in request.META:
                # Published material, the same for every anonymous consumer: browsers and a
                # CDN may reuse it briefly, as they do the reader pages; then revalidate.
                patch_cache_control(
                    response,
                    public=True,
                    max_age=settings.READER_BROWSER_MAX_AGE,
                    s_maxage=settings.READER_CDN_MAX_AGE,
                )
        return super().finalize_response(request, response, *args, **kwargs)
