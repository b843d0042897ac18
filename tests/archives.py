"""What the archive tests share: a page to capture from the local test server
(tests/ingest/conftest.py's `web_server`), reading a WARC file back with warcio, and a capture
stored as the service stores one, for tests about who gets its files."""

import hashlib
import io

from django.core.files.base import ContentFile
from django.utils import timezone
from warcio.archiveiterator import ArchiveIterator

from claims.models import EvidenceCapture

from . import evidence_files

PAGE = b"""<!doctype html><html lang="uk"><head><meta charset="utf-8">
<title>Brigade statement on Toretsk</title></head>
<body><h1>The brigade holds its positions</h1>
<p>Our units hold their positions in the town; the enemy's claim is false.</p></body></html>"""

SITE_URL = "https://claims.example.org"


def warc_records(data):
    """[(type, target URI, HTTP status or None, payload bytes)] of a WARC file's records."""
    records = []
    for record in ArchiveIterator(io.BytesIO(data)):
        status = record.http_headers.get_statuscode() if record.http_headers else None
        records.append(
            (
                record.rec_type,
                record.rec_headers.get_header("WARC-Target-URI"),
                status,
                record.content_stream().read(),
            )
        )
    return records


def stored_bytes(field_file):
    with field_file.open("rb") as handle:
        return handle.read()


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def store_capture(evidence, *, warc=b"WARC/1.1 not a real one", screenshot=True):
    """A capture of `evidence` stored directly (no fetch), with a PNG screenshot if asked."""
    capture = EvidenceCapture(
        evidence=evidence,
        source_url=evidence.url,
        fetched_url=evidence.url,
        http_status=200,
        content_type="text/html",
        warc_sha256=sha256(warc),
        warc_size=len(warc),
        captured_at=timezone.now(),
    )
    capture.warc.save("capture.warc.gz", ContentFile(warc), save=False)
    if screenshot:
        png = evidence_files.png()
        capture.screenshot.save("screenshot.png", ContentFile(png), save=False)
        capture.screenshot_sha256 = sha256(png)
    capture.save()
    return capture
