"""Evidence files, served only to those who may see them, in a form no browser runs.

The files are those uploaded as evidence and the desk's own copies of evidence pages (an
`EvidenceCapture`'s WARC file and screenshot, stored under archive/). Readers get a file only
when its evidence belongs to a published verification (the rule of
`claims.selectors.evidence_for_readers`, as on the pages); logged-in desk staff get any file.
Anyone else gets the same 404 as for a file that does not exist.

Every response is one a browser saves or shows as an image or a PDF, never a page: the type
detected from the bytes when it was uploaded (`claims.files`), `nosniff`, a sandboxing
Content-Security-Policy, and `Content-Disposition: attachment` for every kind but the images
browsers draw. In production the app only decides and the front server sends the bytes
(`X-Accel-Redirect` to an internal location, settings.EVIDENCE_FILES_ACCEL_REDIRECT);
docs/deploy.md shows the nginx side, which must add the two security headers itself because
nginx does not pass them on from an X-Accel-Redirect response.
"""

from urllib.parse import quote

from django.conf import settings
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from claims import selectors
from claims.files import ARCHIVE_FOLDER
from claims.models import Evidence, EvidenceCapture

from .views import is_desk_user

# Sent with every evidence file, whoever serves it (the app, or nginx as docs/deploy.md says):
# no script, no plugin, no request of any kind, an opaque origin. Inline style is allowed
# because the browser's own viewer styles the image it shows with it (GitHub's raw file
# server sends the same policy); a style runs no code and, with nothing loadable, can send
# nothing anywhere.
FILE_CONTENT_SECURITY_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'"
# Published evidence is frozen: its file never changes, so shared caches may keep it a day.
PUBLIC_FILE_MAX_AGE = 24 * 60 * 60


def evidence_for(request, name):
    """(stored file, public): the file stored as `name` (claims.files.StoredFile), if this
    request may fetch it; else 404, the same whether it exists or not."""
    # No stored name holds a NUL, and PostgreSQL refuses one in a query's text (a 500).
    if not name or "\x00" in name:
        raise Http404("No such file.")
    readers = selectors.evidence_for_readers()
    found = _stored(name, readers, EvidenceCapture.objects.filter(evidence__in=readers))
    if found is not None:
        return found, True
    if is_desk_user(request.user):
        found = _stored(name, Evidence.objects.all(), EvidenceCapture.objects.all())
        if found is not None:
            return found, False
    raise Http404("No such file.")


def _stored(name, evidence, captures):
    if name.startswith(ARCHIVE_FOLDER):
        capture = captures.filter(Q(warc=name) | Q(screenshot=name)).first()
        return capture.stored_file(name) if capture is not None else None
    found = evidence.filter(file=name).first()
    return found.stored_file if found is not None else None


@require_safe
def evidence_file(request, name):
    """The file stored as `name` (the address `EvidenceFileStorage.url` gives)."""
    stored, public = evidence_for(request, name)
    etag = f'"{stored.sha256}"' if stored.sha256 else None
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        response = not_modified
    else:
        response = file_response(stored)
    if public:
        patch_cache_control(response, public=True, max_age=PUBLIC_FILE_MAX_AGE)
    else:
        # Only desk staff reach a file readers cannot see: never kept by a shared cache.
        patch_cache_control(response, private=True, no_store=True)
        patch_vary_headers(response, ("Cookie",))
    return response


def file_response(stored):
    """The file's bytes (or the front server's cue to send them) with the safe headers;
    `stored` is a claims.files.StoredFile."""
    kind = stored.kind
    content_type = kind.media_type
    if content_type.startswith("text/") or content_type == "application/json":
        content_type += "; charset=utf-8"
    accel_prefix = settings.EVIDENCE_FILES_ACCEL_REDIRECT
    if accel_prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel_prefix.rstrip("/") + "/" + quote(stored.file.name)
    else:
        try:
            handle = stored.file.open("rb")
        except FileNotFoundError as missing:
            raise Http404("No such file.") from missing
        response = FileResponse(handle, content_type=content_type)
    if stored.sha256:
        response["ETag"] = f'"{stored.sha256}"'
    response["Content-Disposition"] = content_disposition_header(not kind.inline, stored.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CONTENT_SECURITY_POLICY
    return response
