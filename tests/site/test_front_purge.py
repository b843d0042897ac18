"""The desk's purges at the front cache (claims/web/cache/front.py), against small stand-ins
for Varnish: one that records what it is sent, one that refuses, and a port nobody listens on.

Varnish itself, with the repository's VCL, is run in tests/operations/test_varnish.py.
"""

import io
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from claims.web.cache import front

LOGGER = "claims.cache.front"


class StandIn:
    """An HTTP server answering PURGE with `statuses` in turn (then the last one again), and
    keeping the `xkey-purge` header of each."""

    def __init__(self, *statuses):
        self.statuses = list(statuses) or [200]
        self.received = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):  # noqa: N802 # http.server's naming: do_<METHOD>
                stand_in.received.append((self.path, self.headers.get(front.PURGE_HEADER)))
                status = (
                    stand_in.statuses.pop(0) if len(stand_in.statuses) > 1 else stand_in.statuses[0]
                )
                self.send_response(status)
                self.send_header("Content-Length", "8")
                self.end_headers()
                self.wfile.write(b"purged 1")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stand_in():
    servers = []

    def start(*statuses):
        servers.append(StandIn(*statuses))
        return servers[-1]

    yield start
    assert front.wait_for_purges(10)
    for server in servers:
        server.close()


@pytest.fixture
def quick_retries(monkeypatch):
    monkeypatch.setattr(front, "RETRY_DELAYS", (0.01, 0.01, 0.01))


@pytest.fixture(autouse=True)
def _one_round(settings, monkeypatch):
    """Each purge is sent twice: at once, and again once every worker has read it (below,
    test_each_purge_is_sent_again_once_every_worker_has_read_it). The other tests look at
    one round: the second is left out (a negative delay)."""
    settings.READER_VERSION_CHECK_SECONDS = 0
    monkeypatch.setattr(front, "SETTLE_MARGIN", -1)
    monkeypatch.setattr(front, "_rounds", lambda now: (now,))


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_with_no_front_cache_configured_nothing_is_queued(settings):
    settings.FRONT_CACHE_PURGE_URLS = []
    front.purge_at_front(["claim-1", "claims"])
    assert front._jobs.unfinished_tasks == 0


def test_every_front_cache_is_sent_the_keys_once_in_the_xkey_purge_header(settings, stand_in):
    first, second = stand_in(), stand_in()
    settings.FRONT_CACHE_PURGE_URLS = [first.url, second.url]

    front.purge_at_front(["claims", "claim-12", "explainer-3", "claim-12"])
    assert front.wait_for_purges(10)

    for server in (first, second):
        assert server.received == [("/", "claim-12 claims explainer-3")]


def test_each_purge_is_sent_again_once_every_worker_has_read_it(settings, stand_in, monkeypatch):
    # A Varnish that lost a page may fetch it again, before the other workers have read the
    # purge, from one still holding its old copy: the second round drops that.
    monkeypatch.undo()
    settings.READER_VERSION_CHECK_SECONDS = 0.2
    server = stand_in()
    settings.FRONT_CACHE_PURGE_URLS = [server.url]
    started = time.monotonic()
    front.purge_at_front(["claim-12"])
    assert front.wait_for_purges(10)
    assert time.monotonic() - started >= 0.2 + front.SETTLE_MARGIN
    assert server.received == [("/", "claim-12"), ("/", "claim-12")]


def test_keys_given_as_one_string_are_sent_as_keys(settings, stand_in):
    server = stand_in()
    settings.FRONT_CACHE_PURGE_URLS = [server.url]
    front.purge_at_front("place-4-claims place-4")
    assert front.wait_for_purges(10)
    assert server.received == [("/", "place-4 place-4-claims")]


def test_a_long_list_of_keys_is_split_into_requests_varnish_accepts(settings, stand_in):
    server = stand_in()
    settings.FRONT_CACHE_PURGE_URLS = [server.url]
    keys = {f"claim-{number}" for number in range(2000)}

    front.purge_at_front(keys)
    assert front.wait_for_purges(10)

    assert len(server.received) > 1
    assert all(len(header) <= front.MAX_HEADER_LENGTH for _, header in server.received)
    sent = [key for _, header in server.received for key in header.split(" ")]
    assert sorted(sent) == sorted(keys)


def test_a_front_cache_that_is_down_never_holds_up_the_caller_and_is_logged_after_retries(
    settings, quick_retries, caplog
):
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    endpoint = f"http://127.0.0.1:{closed_port()}/"
    settings.FRONT_CACHE_PURGE_URLS = [endpoint]

    started = time.monotonic()
    front.purge_at_front(["claim-7", "claims"])
    assert time.monotonic() - started < 0.1
    assert front.wait_for_purges(10)

    errors = [r for r in caplog.records if r.name == LOGGER and r.levelno == logging.ERROR]
    assert len(errors) == 1
    message = errors[0].getMessage()
    assert endpoint in message
    assert "claim-7 claims" in message
    assert "ConnectionRefusedError" in message
    assert f"after {1 + len(front.RETRY_DELAYS)} tries" in message


def test_a_refused_purge_is_tried_again_and_a_success_is_logged_at_debug_only(
    settings, stand_in, quick_retries, caplog
):
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    server = stand_in(503, 503, 200)
    settings.FRONT_CACHE_PURGE_URLS = [server.url]

    front.purge_at_front(["place-4-claims"])
    assert front.wait_for_purges(10)

    assert len(server.received) == 3
    logged = [r for r in caplog.records if r.name == LOGGER]
    assert [r.levelno for r in logged] == [logging.DEBUG]


def test_a_front_cache_that_keeps_refusing_is_logged_with_its_answer(
    settings, stand_in, quick_retries, caplog
):
    server = stand_in(403)
    settings.FRONT_CACHE_PURGE_URLS = [server.url]

    front.purge_at_front(["all"])
    assert front.wait_for_purges(10)

    assert len(server.received) == 1 + len(front.RETRY_DELAYS)
    errors = [r for r in caplog.records if r.name == LOGGER and r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "HTTP 403" in errors[0].getMessage()


def test_a_publish_completes_while_the_front_cache_is_down_and_the_failure_is_logged(
    settings, quick_retries, caplog, claim, publish_verification, django_capture_on_commit_callbacks
):
    endpoint = f"http://127.0.0.1:{closed_port()}/"
    settings.FRONT_CACHE_PURGE_URLS = [endpoint]

    with django_capture_on_commit_callbacks(execute=True):
        verification = publish_verification(claim, verdict="false")
    assert verification.status == "published"
    assert front.wait_for_purges(10)

    errors = [r for r in caplog.records if r.name == LOGGER and r.levelno == logging.ERROR]
    assert errors, "no purge was attempted"
    assert all(endpoint in r.getMessage() for r in errors)
    assert any(f"claim-{claim.pk}" in r.getMessage().split() for r in errors)


@pytest.mark.django_db
def test_the_purge_command_empties_the_reader_cache_and_every_front_cache(
    client, settings, stand_in
):
    from django.core.management import call_command

    varnish = stand_in()
    settings.FRONT_CACHE_PURGE_URLS = [varnish.url]
    client.get("/")
    assert client.get("/")["X-Reader-Cache"] == "hit"
    out = io.StringIO()
    call_command("purge_reader_cache", stdout=out)
    assert "X-Reader-Cache" not in client.get("/")  # rendered again
    assert varnish.received == [("/", "all")]
    assert "purge of everything" in out.getvalue()
    # Without a front cache, the reader cache alone.
    settings.FRONT_CACHE_PURGE_URLS = []
    call_command("purge_reader_cache", stdout=out)
    assert "X-Reader-Cache" not in client.get("/")
    assert len(varnish.received) == 1
