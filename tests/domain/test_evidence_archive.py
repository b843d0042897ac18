"""Archiving an evidence item's page (claims.services.evidence_archive): a WARC file of what the
server sent and, with Chromium, a screenshot, each with its SHA-256; the desk's copy named in
`archived_url`; who may do it; and a failed capture that leaves nothing behind.

Pages come from a local HTTP server the test starts (tests/ingest/conftest.py); Chromium is
switched off except in the tests about the screenshot, which skip without it.
"""

import socket
import time
from urllib.parse import urlsplit

import pytest
from django.core.files.storage import default_storage

from claims import selectors, services
from claims.archive import screenshot
from claims.errors import DeskError
from claims.models import AuditEvent, Evidence, EvidenceCapture
from claims.services import evidence as evidence_service

from .. import factories
from ..archives import PAGE, SITE_URL, sha256, stored_bytes, warc_records
from ..ingest.conftest import respond

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _public_address_and_no_browser(settings):
    settings.SITE_URL = SITE_URL
    settings.EVIDENCE_ARCHIVE_CHROMIUM = ""


@pytest.fixture
def page(web_server):
    """The address of PAGE on the local server."""
    web_server.routes["/statement"] = respond(body=PAGE)
    return web_server.url("/statement")


@pytest.fixture
def evidence(claim, page):
    return factories.EvidenceFactory(claim=claim, url=page, description="The brigade's post.")


def response_of(capture):
    """The page's response record: (type, target URI, status, payload)."""
    return next(r for r in warc_records(stored_bytes(capture.warc)) if r[0] == "response")


def archive_files(settings):
    folder = settings.MEDIA_ROOT / "archive"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_the_warc_file_holds_the_page_as_the_server_sent_it_under_its_address(
    evidence, reporter, page
):
    capture = services.evidence_archive(evidence=evidence, by=reporter)

    records = warc_records(stored_bytes(capture.warc))
    assert sorted(kind for kind, *_ in records) == ["request", "response", "warcinfo"]
    [(_, target, status, payload)] = [r for r in records if r[0] == "response"]
    assert (target, status, payload) == (page, "200", PAGE)
    [request] = [r for r in records if r[0] == "request"]
    assert request[1] == page
    assert capture.warc.name.startswith("archive/") and capture.warc.name.endswith(".warc.gz")
    assert (capture.source_url, capture.fetched_url, capture.http_status) == (page, page, 200)
    assert capture.content_type == "text/html"
    assert capture.captured_by == reporter and capture.captured_at is not None


def test_the_sha256_recorded_is_that_of_the_bytes_stored(evidence, reporter):
    capture = services.evidence_archive(evidence=evidence, by=reporter)

    data = stored_bytes(capture.warc)
    assert capture.warc_sha256 == sha256(data)
    assert capture.warc_size == len(data)


def test_the_desks_copy_fills_an_empty_archived_url_in_the_history_and_audit_trail(
    evidence, reporter
):
    version = evidence.version

    capture = services.evidence_archive(evidence=evidence, by=reporter)

    evidence.refresh_from_db()
    assert evidence.archived_url == SITE_URL + capture.warc.url
    assert urlsplit(evidence.archived_url).path == f"/files/{capture.warc.name}"
    assert evidence.version == version + 1  # a form opened before cannot overwrite it
    latest = evidence.history.first()
    assert latest.history_user == reporter
    assert latest.history_change_reason.startswith("archived: the desk's copy of")
    event = AuditEvent.objects.get(action="evidence.archive")
    assert event.actor == reporter and capture.warc_sha256 in event.note


def test_without_site_url_the_copy_is_named_on_the_address_the_desk_was_reached_at(
    evidence, reporter, settings
):
    settings.SITE_URL = ""

    capture = services.evidence_archive(
        evidence=evidence, by=reporter, site_url="http://desk.example:8000/"
    )

    evidence.refresh_from_db()
    assert evidence.archived_url == "http://desk.example:8000" + capture.warc.url


def test_with_no_public_address_known_nothing_is_fetched(evidence, reporter, settings, web_server):
    settings.SITE_URL = ""

    with pytest.raises(DeskError, match="set SITE_URL"):
        services.evidence_archive(evidence=evidence, by=reporter)

    assert web_server.requests == []
    assert not EvidenceCapture.objects.exists()


def test_a_copy_kept_in_another_archive_is_never_replaced(evidence, reporter):
    Evidence.objects.filter(pk=evidence.pk).update(
        archived_url="https://web.archive.org/web/2025/https://brigade.example/post"
    )
    evidence.refresh_from_db()

    services.evidence_archive(evidence=evidence, by=reporter)

    evidence.refresh_from_db()
    assert evidence.archived_url == "https://web.archive.org/web/2025/https://brigade.example/post"
    assert evidence.captures.count() == 1


def test_archiving_again_adds_a_capture_and_names_the_newest(evidence, reporter, factchecker):
    first = services.evidence_archive(evidence=evidence, by=reporter)
    second = services.evidence_archive(evidence=evidence, by=factchecker)

    evidence.refresh_from_db()
    assert list(evidence.captures.all()) == [second, first]
    assert evidence.archived_url == SITE_URL + second.warc.url
    assert default_storage.exists(first.warc.name)  # the earlier copy stays


def test_without_chromium_the_warc_alone_is_kept_and_the_capture_says_why(evidence, reporter):
    capture = services.evidence_archive(evidence=evidence, by=reporter)

    assert not capture.screenshot and capture.screenshot_sha256 == ""
    assert capture.screenshot_note == "No screenshot: Chromium is not installed on the server."
    assert "No screenshot" in evidence_service.archive_summary(capture)


def test_an_address_that_gives_a_file_is_kept_whole_without_a_screenshot(
    claim, reporter, web_server
):
    pdf = b"%PDF-1.7\n" + b"0" * 2000
    web_server.routes["/report.pdf"] = respond(body=pdf, content_type="application/pdf")
    evidence = factories.EvidenceFactory(claim=claim, url=web_server.url("/report.pdf"))

    capture = services.evidence_archive(evidence=evidence, by=reporter)

    assert response_of(capture)[3] == pdf
    assert capture.screenshot_note == (
        "No screenshot: the address gives application/pdf, not a web page."
    )


def test_redirects_are_followed_and_the_warc_names_where_they_led(claim, reporter, web_server):
    web_server.routes["/short"] = respond(301, headers={"Location": "/statement"})
    web_server.routes["/statement"] = respond(body=PAGE)
    evidence = factories.EvidenceFactory(claim=claim, url=web_server.url("/short"))

    capture = services.evidence_archive(evidence=evidence, by=reporter)

    assert capture.source_url == web_server.url("/short")
    assert capture.fetched_url == web_server.url("/statement")
    assert response_of(capture)[1] == web_server.url("/statement")


# --- a failed capture changes nothing ------------------------------------------------------


def _slow(request):
    time.sleep(2)
    respond(body=PAGE)(request)


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("not found", "the server answered HTTP 404 Not Found."),
        ("server error", "the server answered HTTP 503"),
        ("private address", "the address is on a private or local network"),
        ("too large", "the page is too large"),
        ("too slow", "did not answer in time (timeout)"),
        ("unreachable", "could not connect to the server."),
        ("not the web", "only http:// and https:// addresses can be fetched."),
    ],
)
def test_a_failed_capture_says_why_and_changes_nothing(
    claim, reporter, web_server, settings, case, reason
):
    web_server.routes["/statement"] = respond(body=PAGE)
    url = web_server.url("/statement")
    if case == "not found":
        url = web_server.url("/gone")
    elif case == "server error":
        web_server.routes["/down"] = respond(503, body=b"<p>down</p>")
        url = web_server.url("/down")
    elif case == "private address":
        settings.DESK_INGEST = {}  # as in production: no private address allowed
    elif case == "too large":
        settings.DESK_INGEST = {**settings.DESK_INGEST, "MAX_BYTES": 100}
    elif case == "too slow":
        settings.DESK_INGEST = {**settings.DESK_INGEST, "FETCH_TIMEOUT": 0.5}
        web_server.routes["/slow"] = _slow
        url = web_server.url("/slow")
    elif case == "unreachable":
        url = f"http://127.0.0.1:{_closed_port()}/statement"
    elif case == "not the web":
        url = "ftp://files.example/statement"
    evidence = factories.EvidenceFactory(claim=claim, url=url)
    version = evidence.version
    history = evidence.history.count()

    with pytest.raises(DeskError) as refused:
        services.evidence_archive(evidence=evidence, by=reporter)

    assert refused.value.code == "invalid"
    assert refused.value.message.startswith(f"Could not archive {url}: ")
    assert reason in refused.value.message
    assert refused.value.message.endswith("Nothing was stored.")
    evidence.refresh_from_db()
    assert (evidence.archived_url, evidence.version) == ("", version)
    assert evidence.history.count() == history
    assert not EvidenceCapture.objects.exists()
    assert not AuditEvent.objects.filter(action="evidence.archive").exists()
    assert archive_files(settings) == []


def test_a_failure_while_storing_the_capture_leaves_no_file_behind(
    evidence, reporter, settings, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(evidence_service, "record_event", broken)

    with pytest.raises(RuntimeError):
        services.evidence_archive(evidence=evidence, by=reporter)

    assert not EvidenceCapture.objects.exists()
    assert archive_files(settings) == []
    evidence.refresh_from_db()
    assert evidence.archived_url == ""


def test_an_address_changed_while_the_page_was_fetched_is_refused(
    evidence, reporter, settings, monkeypatch
):
    real = evidence_service.archive.capture_page

    def capture_while_someone_edits(url):
        made = real(url)
        Evidence.objects.filter(pk=evidence.pk).update(url="https://elsewhere.example/post")
        return made

    monkeypatch.setattr(evidence_service.archive, "capture_page", capture_while_someone_edits)

    with pytest.raises(DeskError, match="address changed"):
        services.evidence_archive(evidence=evidence, by=reporter)

    assert not EvidenceCapture.objects.exists()
    assert archive_files(settings) == []


# --- who may archive -----------------------------------------------------------------------


def test_every_role_may_archive_evidence(evidence, role_users):
    for user in role_users.values():
        services.evidence_archive(evidence=evidence, by=user)
    assert evidence.captures.count() == 3


@pytest.mark.parametrize("who", ["no role", "inactive reporter", "nobody"])
def test_someone_who_may_not_change_evidence_cannot_make_the_desk_fetch_anything(
    evidence, web_server, who
):
    by = {
        "no role": lambda: factories.UserFactory(username="visitor"),
        "inactive reporter": lambda: factories.UserFactory(
            username="gone", role="Reporter", is_active=False
        ),
        "nobody": lambda: None,
    }[who]()

    with pytest.raises(DeskError) as refused:
        services.evidence_archive(evidence=evidence, by=by)

    assert refused.value.code == "forbidden"
    assert refused.value.message == "You are not allowed to archive evidence."
    assert web_server.requests == []
    assert not EvidenceCapture.objects.exists()


def test_evidence_without_an_address_has_nothing_to_archive(claim, reporter):
    evidence = factories.EvidenceFactory(claim=claim, url="")

    with pytest.raises(DeskError, match="no address to archive"):
        services.evidence_archive(evidence=evidence, by=reporter)


def test_published_evidence_is_archived_visibly_and_readers_see_the_copy(
    evidence, reporter, publish_verification, client
):
    publish_verification(evidence.claim, evidence=[evidence])

    capture = services.evidence_archive(evidence=evidence, by=reporter)

    evidence.refresh_from_db()
    assert evidence.is_frozen()
    assert evidence.archived_url == SITE_URL + capture.warc.url
    reason = evidence.history.first().history_change_reason
    assert "cited by a published verification: readers see the copy" in reason
    assert selectors.seen_by_readers(capture)
    assert client.get(capture.warc.url).status_code == 200
    assert not selectors.evidence_to_archive().exists()


def test_a_capture_of_draft_evidence_is_not_seen_by_readers(evidence, reporter):
    capture = services.evidence_archive(evidence=evidence, by=reporter)
    assert not selectors.seen_by_readers(capture)


# --- the screenshot, in the server's Chromium -----------------------------------------------

STYLED_PAGE = b"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Map</title><link rel="stylesheet" href="/style.css"></head>
<body><h1>Front line near Toretsk</h1><img src="/pixel.png" alt="a pixel">
<img src="http://127.0.0.2:%d/secret.png" alt="">
<script>fetch("/script-ran")</script></body></html>"""


@pytest.fixture
def with_chromium(settings):
    settings.EVIDENCE_ARCHIVE_CHROMIUM = "/usr/bin/chromium"
    if screenshot.chromium() is None:
        pytest.skip("needs Chromium at /usr/bin/chromium and playwright")


@pytest.fixture
def internal_server():
    """A server on 127.0.0.2, standing for the newsroom's own network: never to be reached."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
    Thread(target=server.serve_forever, daemon=True).start()
    server.hits = hits
    yield server
    server.shutdown()
    server.server_close()


def test_the_screenshot_is_drawn_from_the_fetched_page_and_what_it_loads_goes_through_the_fetcher(
    claim, reporter, web_server, with_chromium, internal_server
):
    from claims.ingest.config import DEFAULTS
    from tests import evidence_files

    web_server.routes["/map"] = respond(body=STYLED_PAGE % internal_server.server_port)
    web_server.routes["/style.css"] = respond(
        body=b"h1 { color: #8b0000; }", content_type="text/css"
    )
    web_server.routes["/pixel.png"] = respond(body=evidence_files.png(), content_type="image/png")
    script_ran = []
    web_server.routes["/script-ran"] = lambda request: script_ran.append(request.path)
    evidence = factories.EvidenceFactory(claim=claim, url=web_server.url("/map"))

    capture = services.evidence_archive(evidence=evidence, by=reporter)

    png = stored_bytes(capture.screenshot)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert capture.screenshot_sha256 == sha256(png)
    assert capture.screenshot.name.startswith("archive/") and capture.screenshot_note == ""
    records = warc_records(stored_bytes(capture.warc))
    responses = {target for kind, target, *_ in records if kind == "response"}
    assert {web_server.url("/map"), web_server.url("/style.css")} <= responses
    assert web_server.url("/pixel.png") in responses
    # Every request the browser made reached the server through the fetcher, as the desk.
    assert {r["User-Agent"] for r in web_server.requests} == {DEFAULTS["USER_AGENT"]}
    assert internal_server.hits == []  # a private address is refused for the browser too
    assert script_ran == []  # the page's script did not run
    assert len(web_server.requests) == 3  # the page, its style sheet and its image, once each
