"""Archiving evidence in headless Chromium: a reporter opens published evidence whose page is
served by a local test server, clicks Archive, and sees the desk's copy listed with its
screenshot and SHA-256s; a reader then finds it on the claim page and downloads the WARC
file, which holds the page under its address, with the hash the page shows. axe finds
nothing serious on either page."""

import io
import re
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from claims.archive import screenshot
from claims.models import EvidenceCapture

from .. import factories
from ..archives import PAGE, sha256
from ..ingest.conftest import respond
from .test_accessibility import audit, report

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture
def published_evidence(publish_verification, web_server):
    web_server.routes["/statement"] = respond(body=PAGE)
    claim = factories.ClaimFactory(
        statement="Ukrainian brigade says it still holds positions in Toretsk",
        quote="Our positions in the town are held.",
    )
    evidence = factories.EvidenceFactory(
        claim=claim,
        kind="social_post",
        description="The brigade's statement on its channel.",
        url=web_server.url("/statement"),
    )
    publish_verification(claim, evidence=[evidence])
    return evidence


def test_archive_an_evidence_page_and_a_reader_downloads_the_same_bytes(
    browse, reporter, published_evidence
):
    evidence = published_evidence
    if screenshot.chromium() is None:
        pytest.skip("the archive's screenshot needs Chromium at /usr/bin/chromium")
    desk = browse()
    browse.login(desk, reporter)
    desk.goto(f"/admin/claims/evidence/{evidence.pk}/change/")
    panel = desk.locator("#desk-archive")
    assert "has not archived this evidence's page yet" in panel.inner_text()

    with desk.expect_navigation(timeout=60_000):
        panel.locator("button", has_text="Archive").click()

    capture = EvidenceCapture.objects.get(evidence=evidence)
    [message] = desk.locator("ul.messagelist li").all_inner_texts()
    assert message.startswith(f"Archived {evidence.url} (HTTP 200): WARC file")
    assert capture.warc_sha256 in message and capture.screenshot_sha256 in message
    assert "The desk's archived copies (1)" in panel.inner_text()
    assert capture.warc_sha256 in panel.inner_text()
    image = panel.locator("img.desk-capture-image")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 1280
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    desk.screenshot(path=str(ARTIFACTS / "evidence-archived-1280.png"), full_page=True)
    desk_page = f"/admin/claims/evidence/{evidence.pk}/change/"

    reader = browse()
    reader.goto(evidence.claim.get_absolute_url())
    item = reader.locator(".evidence-list li", has_text="The brigade's statement")
    warc_link = item.locator("a", has_text="web archive file")
    hashes = re.findall(r"[0-9a-f]{64}", item.inner_text())
    warc = reader.request.get(warc_link.get_attribute("href"))
    assert warc.status == 200
    assert warc.headers["content-type"] == "application/warc"
    assert warc.headers["content-disposition"].startswith("attachment;")
    assert warc.headers["x-content-type-options"] == "nosniff"
    data = warc.body()
    assert sha256(data) == capture.warc_sha256 == hashes[0]
    responses = [
        (r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
        for r in ArchiveIterator(io.BytesIO(data))
        if r.rec_type == "response"
    ]
    assert responses[0] == (evidence.url, PAGE)
    shot = reader.request.get(item.locator("a", has_text="screenshot").get_attribute("href"))
    assert shot.headers["content-type"] == "image/png"
    assert sha256(shot.body()) == capture.screenshot_sha256 == hashes[1]

    results = [audit(desk, desk_page), audit(reader, evidence.claim.get_absolute_url())]
    blocking = report("archive", results)
    assert not blocking, "\n".join(blocking)
