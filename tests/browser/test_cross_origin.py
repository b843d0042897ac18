"""A consumer's web app on another origin, in headless Chromium: it reads the public API and
the ClaimReview feed across origins, and cannot write with a token or with the desk's cookies.
The browser itself enforces CORS here; tests/api/test_cors.py checks the headers."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rest_framework.authtoken.models import Token

from claims.models import Claim

from .. import factories
from .conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CONSUMER_PAGE = b"<!doctype html><html lang=en><title>A newsroom's app</title><p>Reading</p>"


class _ConsumerApp(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(CONSUMER_PAGE)))
        self.end_headers()
        self.wfile.write(CONSUMER_PAGE)

    def log_message(self, *args):
        pass


@pytest.fixture
def consumer_app():
    """Another origin: a page served from a port of its own, as a newsroom's app would be."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ConsumerApp)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def consumer_page(chromium, consumer_app):
    context = chromium.new_context()
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(consumer_app)
    yield page
    context.close()


FETCH = """async ([url, init]) => {
  try {
    const response = await fetch(url, init);
    return {
      status: response.status,
      etag: response.headers.get("ETag"),
      link: response.headers.get("Link"),
      body: await response.text(),
    };
  } catch (error) {
    return {error: String(error)};
  }
}"""


@pytest.fixture
def published_claim(publish_verification):
    claim = factories.ClaimFactory(statement="Russia says its forces captured Toretsk")
    publish_verification(claim, "disputed")
    return claim


def test_another_origins_page_reads_the_public_api_and_the_feed(
    consumer_page, live_server, published_claim
):
    for path in ("/api/v1/claims/", "/api/v1/claimreviews/?page_size=1"):
        result = consumer_page.evaluate(FETCH, [live_server.url + path, {}])
        assert result.get("status") == 200, (path, result)
        assert "Russia says its forces captured Toretsk" in result["body"]
        assert result["etag"], "the ETag is exposed to the page"


def test_another_origins_page_revalidates_with_if_none_match(
    consumer_page, live_server, published_claim
):
    url = live_server.url + "/api/v1/claims/"
    first = consumer_page.evaluate(FETCH, [url, {}])
    again = consumer_page.evaluate(
        FETCH, [url, {"headers": {"If-None-Match": first["etag"]}, "cache": "no-store"}]
    )
    assert again.get("status") == 304, again


def test_another_origins_page_cannot_write_with_a_token(
    consumer_page, live_server, published_claim, editor
):
    token = Token.objects.create(user=editor)
    init = {
        "method": "POST",
        "headers": {"Authorization": f"Token {token.key}", "Content-Type": "application/json"},
        "body": '{"statement": "Written from another site", "quote": "q", "claimed_on": '
        f'"2025-02-07", "claimant_id": {published_claim.claimant_id}}}',
    }
    result = consumer_page.evaluate(FETCH, [live_server.url + "/api/v1/claims/", init])
    assert "error" in result, result  # the preflight is refused: the POST is never sent
    assert not Claim.objects.filter(statement="Written from another site").exists()


def test_another_origins_page_cannot_use_the_desks_session(
    chromium, consumer_app, live_server, published_claim, editor
):
    editor.set_password(PASSWORD)
    editor.save()
    context = chromium.new_context()
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/?next=/admin/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(consumer_app)
    for init in (
        {"credentials": "include"},
        {"credentials": "include", "method": "DELETE"},
    ):
        url = f"{live_server.url}/api/v1/claims/{published_claim.pk}/"
        result = page.evaluate(FETCH, [url, init])
        assert "error" in result, (init, result)
    context.close()
    assert Claim.objects.filter(pk=published_claim.pk).exists()
