"""Evidence: the desk's own archived copy of an evidence item's page.

`evidence_archive` captures the page at the evidence's address (`claims.archive`: a WARC file
and, where the server has Chromium, a screenshot) and keeps it as an `EvidenceCapture`. Whoever
may change evidence may archive it, also once a published verification cites it: a capture
only adds a copy of what the evidence already points to, and changes nothing an editor
assessed (its description, address, file, source). The desk's copy then fills the evidence's
empty "archived copy" address, which readers of published evidence see at once; that change
is in the evidence's history and in the audit trail (`evidence.archive`), with who made it.
An archived copy kept elsewhere (a web archive's address someone entered) is never replaced.
"""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from claims import archive
from claims.errors import Conflict, DeskError, Invalid
from claims.models import Evidence, EvidenceCapture
from claims.trail import record_event, record_history, require


def evidence_archive(*, evidence, by, site_url=""):
    """Capture the page at `evidence`'s address as `by` and keep it; return the capture.

    `site_url` is the desk's address for this request (`https://desk.example`), used when
    SITE_URL is not set, to name the copy in `archived_url`. The page is fetched before
    anything is written, outside any transaction: a page that cannot be fetched (no answer,
    a private address, too large, too slow, an HTTP error) raises a DeskError saying why,
    and nothing is stored, no file and no row.
    """
    _check(evidence, by)
    base = _public_base(site_url)
    try:
        made = archive.capture_page(evidence.url)
    except DeskError as failed:
        raise Invalid(
            f"Could not archive {evidence.url}: {failed.message} Nothing was stored."
        ) from failed
    return _keep(evidence, by=by, made=made, base=base)


def archive_summary(capture):
    """One line for the desk about a capture just made."""
    parts = [f"WARC file {filesizeformat(capture.warc_size)}, SHA-256 {capture.warc_sha256}"]
    if capture.screenshot:
        parts.append(f"screenshot SHA-256 {capture.screenshot_sha256}")
    summary = f"Archived {capture.source_url} (HTTP {capture.http_status}): {'; '.join(parts)}."
    return f"{summary} {capture.screenshot_note}".strip()


def _check(evidence, by):
    require(by, "change_evidence", "archive evidence")
    if not evidence.url:
        raise Invalid("This evidence has no address to archive: give its link first.")


def _public_base(site_url):
    base = (settings.SITE_URL or site_url or "").rstrip("/")
    if not base.startswith(("https://", "http://")):
        raise Invalid(
            "The desk's public address is not known, so its copy cannot be named: set SITE_URL "
            "(e.g. https://claims.example.org)."
        )
    return base


def _keep(evidence, *, by, made, base):
    """Store `made` (a claims.archive.Capture) for `evidence`, all or nothing."""
    stored = []
    try:
        with transaction.atomic():
            locked = Evidence.objects.select_for_update().filter(pk=evidence.pk).first()
            if locked is None:
                raise Conflict("This evidence no longer exists.")
            _check(locked, by)
            if locked.url != made.source_url:
                raise Conflict(
                    "The evidence's address changed while its page was being archived; "
                    "archive it again."
                )
            capture = EvidenceCapture(
                evidence=locked,
                source_url=made.source_url,
                fetched_url=made.page.url,
                http_status=made.page.status,
                content_type=made.page.content_type[:100],
                warc_sha256=made.warc_sha256,
                warc_size=len(made.warc),
                screenshot_sha256=made.screenshot_sha256,
                screenshot_note=made.screenshot_note[:300],
                captured_at=made.captured_at,
                captured_by=by,
            )
            capture.warc.save("capture.warc.gz", ContentFile(made.warc), save=False)
            stored.append(capture.warc)
            if made.screenshot:
                capture.screenshot.save("screenshot.png", ContentFile(made.screenshot), save=False)
                stored.append(capture.screenshot)
            # Its save tells the reader cache, as for any row readers see through evidence.
            capture.save()
            _fill_archived_url(locked, capture, base)
            published = locked.is_frozen()
            record_history(locked, by=by, reason=_reason(capture, published))
            record_event(
                actor=by,
                obj=locked,
                action="evidence.archive",
                from_state="",
                to_state="",
                note=archive_summary(capture),
            )
    except BaseException:
        for file in stored:
            file.storage.delete(file.name)
        raise
    evidence.archived_url, evidence.version = locked.archived_url, locked.version
    return capture


def _fill_archived_url(evidence, capture, base):
    """Name the desk's copy in `archived_url` when it is empty or names an earlier copy of
    the desk's own; a copy kept elsewhere stays."""
    if evidence.archived_elsewhere:
        return
    address = base + capture.warc.url
    Evidence.objects.filter(pk=evidence.pk).update(
        archived_url=address, version=F("version") + 1, updated_at=timezone.now()
    )
    evidence.refresh_from_db(fields=["archived_url", "version", "updated_at"])


def _reason(capture, published):
    reason = f"archived: the desk's copy of {capture.source_url} captured"
    if published:
        reason += " (cited by a published verification: readers see the copy)"
    return reason
