"""`import_articles --url`: fetching pages from a local HTTP server the test starts."""

import socket
import time

import pytest

from claims.ingest.config import DEFAULTS
from claims.models import Article

from .conftest import respond

PAGE = b"""<!doctype html><html lang="en"><head>
<title>Ukraine says it repelled attacks near Pokrovsk</title>
<meta property="og:site_name" content="Donbas Daily">
<meta property="article:published_time" content="2025-03-01T08:00:00+00:00">
</head><body><article><h1>Ukraine says it repelled attacks near Pokrovsk</h1>
<p>Ukraine's General Staff said on Saturday its troops had repelled 42 Russian attacks near
Pokrovsk over the previous day, the highest number in a week.</p>
<p>Russia's Defence Ministry said its forces had improved their positions west of the town.
Neither claim could be independently verified.</p></article></body></html>"""


def test_a_page_is_fetched_with_a_clear_user_agent_and_imported(run_command, web_server):
    web_server.routes["/news/pokrovsk"] = respond(body=PAGE)
    url = web_server.url("/news/pokrovsk")

    result = run_command("import_articles", "--url", url)

    assert result.failed is None, result.err
    article = Article.objects.get()
    assert article.headline == "Ukraine says it repelled attacks near Pokrovsk"
    assert article.url == url
    assert article.imported_from == url
    assert article.outlet.name == "Donbas Daily"
    assert article.outlet.home_url == web_server.url("/")
    assert article.body.startswith("Ukraine's General Staff said on Saturday")
    assert web_server.requests[0]["User-Agent"] == DEFAULTS["USER_AGENT"]


def test_the_same_url_is_skipped_without_fetching_it_again(run_command, web_server):
    web_server.routes["/a"] = respond(body=PAGE)
    run_command("import_articles", "--url", web_server.url("/a"))

    result = run_command("import_articles", "--url", web_server.url("/a"))

    assert "(same URL)" in result.out
    assert "Imported 0, skipped 1, failed 0." in result.out
    assert len(web_server.requests) == 1


def test_redirects_are_followed_and_the_final_address_is_kept(run_command, web_server):
    web_server.routes["/short"] = respond(301, headers={"Location": "/long/story"})
    web_server.routes["/long/story"] = respond(body=PAGE)

    run_command("import_articles", "--url", web_server.url("/short"))

    article = Article.objects.get()
    assert article.url == web_server.url("/long/story")
    assert article.imported_from == web_server.url("/short")


def test_a_redirect_loop_fails_that_item(run_command, web_server):
    web_server.routes["/loop"] = respond(302, headers={"Location": "/loop"})
    result = run_command("import_articles", "--url", web_server.url("/loop"))
    assert "too many redirects (more than 5)." in result.err
    assert result.failed == "1 of 1 items failed."


@pytest.mark.parametrize(("status", "text"), [(404, "HTTP 404 Not Found"), (503, "HTTP 503")])
def test_http_errors_fail_that_item_and_the_others_still_import(
    run_command, web_server, status, text
):
    web_server.routes["/bad"] = respond(status, body=b"<p>nope</p>")
    web_server.routes["/good"] = respond(body=PAGE)

    result = run_command(
        "import_articles", "--url", web_server.url("/bad"), "--url", web_server.url("/good")
    )

    assert f"failed   {web_server.url('/bad')}: the server answered {text}" in result.err
    assert Article.objects.count() == 1
    assert result.failed == "1 of 2 items failed."


def test_a_server_that_does_not_answer_in_time_fails_that_item(run_command, web_server, settings):
    settings.DESK_INGEST = {**settings.DESK_INGEST, "FETCH_TIMEOUT": 0.5}

    def slow(request):
        time.sleep(2)
        respond(body=PAGE)(request)

    web_server.routes["/slow"] = slow
    started = time.monotonic()

    result = run_command("import_articles", "--url", web_server.url("/slow"))

    assert time.monotonic() - started < 2
    assert "did not answer in time (timeout)" in result.err
    assert not Article.objects.exists()


def test_a_page_over_the_size_limit_is_refused(run_command, web_server, settings):
    settings.DESK_INGEST = {**settings.DESK_INGEST, "MAX_BYTES": 2000}
    web_server.routes["/big"] = respond(body=b"<p>" + b"x" * 5000 + b"</p>")

    result = run_command("import_articles", "--url", web_server.url("/big"))

    # Sizes as Django's filesizeformat writes them: a no-break space before the unit.
    assert "the page is too large (4.9\xa0KB; the limit is 2.0\xa0KB)." in result.err


def test_a_page_over_the_size_limit_without_a_length_header_is_cut_off(
    run_command, web_server, settings
):
    settings.DESK_INGEST = {**settings.DESK_INGEST, "MAX_BYTES": 2000}

    def endless(request):
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        request.end_headers()
        for _ in range(100):
            request.wfile.write(b"<p>" + b"y" * 1000 + b"</p>")

    web_server.routes["/stream"] = endless
    result = run_command("import_articles", "--url", web_server.url("/stream"))
    assert "the page is too large (over 2.0\xa0KB, the limit)." in result.err


def test_something_that_is_not_a_page_is_refused(run_command, web_server):
    web_server.routes["/file.pdf"] = respond(body=b"%PDF-1.7", content_type="application/pdf")
    result = run_command("import_articles", "--url", web_server.url("/file.pdf"))
    assert "the address gives application/pdf, not a web page or text." in result.err


def test_a_server_that_is_not_there_fails_that_item(run_command, settings):
    settings.DESK_INGEST = {"ALLOW_PRIVATE_ADDRESSES": True}
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run_command("import_articles", "--url", f"http://127.0.0.1:{port}/x")
    assert "could not connect to the server." in result.err


def test_only_web_addresses_are_fetched(run_command):
    result = run_command("import_articles", "--url", "file:///etc/passwd")
    assert "only http:// and https:// addresses can be fetched." in result.err


def test_a_page_without_an_outlet_is_refused_and_named_with_its_url(run_command, web_server):
    text = "Kyiv says Russian attack repelled\n\nBy Jane Doe\n\nUkraine's army said it held."
    web_server.routes["/plain"] = respond(
        body=text.encode(), content_type="text/plain; charset=utf-8"
    )
    url = web_server.url("/plain")

    result = run_command("import_articles", "--url", url)

    assert f"failed   {url}: needs its outlet" in result.err
    assert f'manage.py import_articles --url {url} --outlet "OUTLET"' in result.err
    assert not Article.objects.exists()


def test_a_plain_text_page_goes_through_the_text_cleaner(run_command, web_server):
    text = "Kyiv says Russian attack repelled\n\nBy Jane Doe\n\nUkraine's army said it held."
    web_server.routes["/plain"] = respond(
        body=text.encode(), content_type="text/plain; charset=utf-8"
    )
    run_command("import_articles", "--url", web_server.url("/plain"), "--outlet", "Kyiv Wire")
    article = Article.objects.get()
    assert (article.headline, article.byline) == ("Kyiv says Russian attack repelled", "Jane Doe")
    assert article.body == "Ukraine's army said it held."


def test_a_declared_charset_is_honoured(run_command, web_server):
    page = PAGE.replace(
        b"Saturday",
        "Saturday \u2014 in Kramatorsk, caf\u00e9s shut".encode("cp1251", errors="replace"),
    )
    web_server.routes["/cp"] = respond(body=page, content_type="text/html; charset=windows-1251")
    result = run_command("import_articles", "--url", web_server.url("/cp"))
    assert result.failed is None, result.err
    assert "Kramatorsk" in Article.objects.get().body


def test_local_and_private_addresses_are_refused_by_default(run_command, settings):
    settings.DESK_INGEST = {}
    for url in (
        "http://127.0.0.1:9/x",
        "http://localhost/x",
        "http://10.1.2.3/x",
        "http://[::1]/x",
    ):
        result = run_command("import_articles", "--url", url)
        assert "the address is on a private or local network" in result.err, url


def test_a_redirect_is_checked_like_the_first_address(run_command, web_server, settings):
    web_server.routes["/away"] = respond(302, headers={"Location": "ftp://files.example/x"})
    result = run_command("import_articles", "--url", web_server.url("/away"))
    assert "only http:// and https:// addresses can be fetched." in result.err
