"""The desk's own copy of an evidence page, so that evidence does not rot when the page
changes or goes: the page fetched with the import's safe fetcher (public addresses only, a
size limit, one deadline), kept as a WARC file, and, where the server has Chromium, a
full-page screenshot drawn from the same bytes (`claims.archive.screenshot`).

`capture_page` only fetches and builds the files; it writes nothing. Storing a capture, and
who may make one, is `claims.services.evidence.evidence_archive`.

Its limits are DEFAULTS below, overridable in settings as `DESK_ARCHIVE = {"SECONDS": ...}`;
the page's own size limit and the time one address may take are the import's (`DESK_INGEST`:
MAX_BYTES, FETCH_TIMEOUT).
"""

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from claims.ingest.config import ingest_setting
from claims.ingest.fetch import Fetched, fetch_url

from . import screenshot, warc

DEFAULTS = {
    # Seconds a whole capture may take: the page, then the screenshot with what it loads. An
    # Archive button waits for it, so keep it below the app server's timeout (gunicorn's 30).
    "SECONDS": 25,
    # Seconds the screenshot may take at most, its browser's start included.
    "SCREENSHOT_SECONDS": 15,
    # A screenshot is not taken with less time than this left.
    "SCREENSHOT_MIN_SECONDS": 3,
    # The tallest screenshot kept (pixels, 1280 wide); a longer page is cut off there.
    "SCREENSHOT_MAX_HEIGHT": 10_000,
    # What the screenshot's browser may load besides the page: addresses, and bytes in all.
    "SCREENSHOT_MAX_REQUESTS": 60,
    "SCREENSHOT_MAX_BYTES": 20 * 1024 * 1024,
}

WEB_PAGE_TYPES = ("text/html", "application/xhtml+xml")


def archive_setting(name):
    return getattr(settings, "DESK_ARCHIVE", {}).get(name, DEFAULTS[name])


@dataclass(frozen=True)
class Capture:
    """A capture made, not yet stored: the page as fetched, the WARC file's bytes and the
    screenshot's (or why there is none), with their SHA-256s."""

    source_url: str
    page: Fetched
    captured_at: datetime
    warc: bytes
    warc_sha256: str
    screenshot: bytes | None
    screenshot_sha256: str
    screenshot_note: str


def capture_page(url):
    """Fetch `url` and capture it. Raises `IngestError` (an Invalid) saying why when the
    page cannot be fetched; a screenshot that cannot be taken only leaves a note."""
    started = time.monotonic()
    seconds = archive_setting("SECONDS")
    captured_at = timezone.now()
    page = fetch_url(url, timeout=min(ingest_setting("FETCH_TIMEOUT"), seconds), accept=None)
    exchanges = [warc.Exchange(page, captured_at)]
    png, note = None, ""
    left = seconds - (time.monotonic() - started)
    if page.content_type and page.content_type not in WEB_PAGE_TYPES:
        note = f"the address gives {page.content_type}, not a web page"
    elif screenshot.chromium() is None:
        note = "Chromium is not installed on the server"
    elif left < archive_setting("SCREENSHOT_MIN_SECONDS"):
        note = "no time was left after fetching the page"
    else:
        try:
            shot = screenshot.take(
                page,
                seconds=min(archive_setting("SCREENSHOT_SECONDS"), left),
                max_height=archive_setting("SCREENSHOT_MAX_HEIGHT"),
                max_requests=archive_setting("SCREENSHOT_MAX_REQUESTS"),
                max_bytes=archive_setting("SCREENSHOT_MAX_BYTES"),
                fetch_seconds=ingest_setting("FETCH_TIMEOUT"),
            )
        except screenshot.ScreenshotFailed as failed:
            note = str(failed)
        else:
            png = shot.png
            exchanges += shot.loaded
    data = warc.warc_bytes(
        exchanges,
        filename=f"capture-{captured_at:%Y%m%dT%H%M%SZ}.warc.gz",
        description=f"Captured by the claims desk from {url}",
    )
    return Capture(
        source_url=url,
        page=page,
        captured_at=captured_at,
        warc=data,
        warc_sha256=hashlib.sha256(data).hexdigest(),
        screenshot=png,
        screenshot_sha256=hashlib.sha256(png).hexdigest() if png else "",
        screenshot_note=f"No screenshot: {note}." if note else "",
    )
