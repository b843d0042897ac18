"""Eleventh outside review, through a real varnishd with docs/varnish/claimsdesk.vcl: the
campaign-tag stripping, which spellings of an address Varnish ends up keeping, and whether
a spelling can make the app's cache hand Varnish another request's answer.

A test that passes says what holds; a test that fails shows a fault (its docstring says
which). The faults it found are mended (tests/site/test_review_eleventh.py lists them); a
trailing `?` or `&` is now taken off by the VCL, so those spellings are answered from the
page's own copy (`test_an_empty_query_end_is_the_page_without_it`)."""

import http.client

import pytest
from django.core.cache import cache

from claims.web.cache import front

from .. import factories
from .test_review_tenth_varnish import direct, get, send, text, x_cache
from .test_varnish import varnishd_in_front_of

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.one_database,
]


@pytest.fixture(scope="module")
def varnishd(live_server, tmp_path_factory, django_db_blocker):
    workdir = tmp_path_factory.mktemp("varnish11")
    with varnishd_in_front_of(live_server, workdir, django_db_blocker) as port:
        yield port


@pytest.fixture
def varnish(varnishd, settings):
    settings.FRONT_CACHE_PURGE_URLS = [f"http://127.0.0.1:{varnishd}/"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }
    cache.clear()
    emptied, _ = send(varnishd, "PURGE", "/", {"xkey-purge": "all"})
    assert emptied.status == 200
    yield varnishd
    assert front.wait_for_purges(10)


@pytest.fixture
def verdict(varnish, claim, publish_verification, settings):
    purge_urls, settings.FRONT_CACHE_PURGE_URLS = settings.FRONT_CACHE_PURGE_URLS, []
    publish_verification(claim, verdict="disputed", rationale="First look at the footage.")
    settings.FRONT_CACHE_PURGE_URLS = purge_urls
    return claim


# --- 1. the campaign tags ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "means"),
    [
        ("/claims/?verdict=disputed&utm_source=x", "/claims/?verdict=disputed"),
        ("/claims/?utm_source=a&utm_medium=b&verdict=disputed", "/claims/?verdict=disputed"),
        ("/claims/?utm_source=a&&verdict=disputed", "/claims/?verdict=disputed"),
        ("/claims/?verdict=disputed&utm_source=a&", "/claims/?verdict=disputed"),
        ("/claims/?verdict=disputed&fbclid=", "/claims/?verdict=disputed"),
        ("/claims/?autm_source=1", "/claims/"),
        ("/claims/?x=utm_source=1", "/claims/"),
        ("/claims/?verdict=disputed&%75tm_source=1", "/claims/?verdict=disputed"),
        ("/claims/?verdict=disputed&UTM_SOURCE=1", "/claims/?verdict=disputed"),
        ("/claims/?fbclid=1?verdict=disputed", "/claims/"),
        ("/search/?q=utm_source%3D1", "/search/?q=utm_source%3D1"),
        ("/search/?q=a%26utm_source%3Db", "/search/?q=a%26utm_source%3Db"),
        ("/search/?q=captured&utm_source=b&type=claims", "/search/?q=captured&type=claims"),
        ("/search/?q=captured&gclid=1&type=claims&mc_eid=2", "/search/?q=captured&type=claims"),
        ("/search/?q=captured+utm_source=b", "/search/?q=captured+utm_source%3Db"),
    ],
)
def test_campaign_tags_come_off_and_nothing_else_does(varnish, verdict, live_server, sent, means):
    """Whatever Varnish does to the address, the reader gets the page the address means to
    the app (taken from the app directly, Varnish bypassed)."""
    # As Varnish passes the reader's Host on (the page's absolute links name it).
    expected_response, expected = direct(live_server, means, {"Host": f"127.0.0.1:{varnish}"})
    assert expected_response.status == 200, means
    for _ in range(2):
        response, body = get(varnish, sent)
        assert response.status == 200, sent
        assert text(response, body) == text(expected_response, expected), sent


# --- 2. which spellings Varnish keeps ------------------------------------------------------


def kept_on_second_ask(port, path):
    first, _ = get(port, path)
    assert first.status == 200, path
    second, _ = get(port, path)
    return x_cache(second) == "HIT", first.getheader("Cache-Control")


@pytest.mark.parametrize(
    "spelling",
    [
        "/claims/?page=1&x=1",
        "/claims/?verdict=disputed&x=1",
        "/claims/?page=1&utm_source=a&x=2",
        "/claims/?page=%31",
        "/claims/?verdict=disputed&verdict=disputed",
        "/search/?q=captured&x=1",
        "/api/v1/claims/?&x=1",
    ],
)
def test_an_odd_spelling_is_not_kept(varnish, verdict, spelling):
    """Holds (the change): answered, not kept. (The API list's `?&x=1` is a 400.)"""
    first, _ = get(varnish, spelling)
    if spelling.startswith("/api/"):
        assert first.status == 400
        return
    kept, _ = kept_on_second_ask(varnish, spelling)
    assert not kept, spelling


@pytest.mark.parametrize(
    "spelling",
    [
        "/claims/?page=01",
        "/claims/?page=0000001",
        "/places/?page=01",
        "/sitemap.xml?p=01",
        "/sitemap.xml?p=%2B1",
        "/search/?q=captured&page=12345",
        "/search/?q=captured+",
        "/api/v1/claims/{pk}/?verdict=disputed&verdict=disputed",
    ],
)
def test_a_junk_spelling_of_a_page_is_not_kept_for_an_hour(varnish, verdict, spelling):
    """FAULT if it fails: each of these means a page Varnish already has under its own
    address (page 1, the search without `page`, the file with no query, the claim), yet
    the app offers it `Surrogate-Control: max-age=3600` and Varnish keeps it, so a loop
    over `?page=0…01`, `?p=0…01`, `&page=N`, `?&&…&` fills the front cache (and the app's
    shared cache: each is rendered and kept there too)."""
    path = spelling.format(pk=verdict.pk)
    kept, cache_control = kept_on_second_ask(varnish, path)
    assert not kept, (path, cache_control)


@pytest.mark.parametrize(
    ("spelling", "own"),
    [
        ("/claims/?", "/claims/"),
        ("/claims/??", "/claims/"),
        ("/claims/?verdict=disputed&", "/claims/?verdict=disputed"),
        ("/api/v1/claimreviews.jsonld?&", "/api/v1/claimreviews.jsonld"),
        ("/api/v1/claimreviews.jsonld?&&&", "/api/v1/claimreviews.jsonld"),
        ("/api/v1/claims/?&", "/api/v1/claims/"),
        ("/api/v1/claims/{pk}/?&", "/api/v1/claims/{pk}/"),
    ],
)
def test_an_empty_query_end_is_the_page_without_it(varnish, verdict, spelling, own):
    """(Mended after this review: the VCL takes a trailing `?` or `&` off the address.) Each
    is answered from the one copy Varnish keeps under the page's own address."""
    own = own.format(pk=verdict.pk)
    for _ in range(2):
        first, _ = get(varnish, own)
    assert first.status == 200 and x_cache(first) == "HIT", own
    response, _ = get(varnish, spelling.format(pk=verdict.pk))
    assert x_cache(response) == "HIT", spelling


# --- 3. a spelling that makes the app's cache answer for another request --------------------


class RawConnection(http.client.HTTPConnection):
    """Sends the request line's bytes as given (a str of latin-1 code points), as curl does
    with a letter typed into the address."""

    def _encode_request(self, request):
        return request.encode("latin-1")

    def _validate_path(self, url):
        pass


def raw_get(port, target):
    connection = RawConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest("GET", target, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def test_raw_utf8_in_an_api_query_alone_reads_the_letter(varnish, publish_verification):
    """The control for the test below: with nothing asked before, the raw letter finds."""
    source = factories.SourceFactory(name="Ministère des Armées", slug="ministere")
    publish_verification(factories.ClaimFactory(claimant=source), verdict="false")
    import json

    target = "/api/v1/sources/?name=" + "è".encode().decode("latin-1")
    response, body = raw_get(varnish, target)
    assert response.status == 200
    names = [row["name"] for row in json.loads(text(response, body))["results"]]
    assert names == ["Ministère des Armées"]


def test_raw_utf8_in_an_api_query_is_not_answered_with_another_querys_list(
    varnish, live_server, publish_verification
):
    """FAULT if it fails. The API keeps its reads under get_full_path(), which writes a query
    sent as raw UTF-8 (`?name=è`, bytes C3 A8: Django reads `è`) as %C3%83%C2%A8: the address
    of a search for the text `Ã¨`. So anyone who asks `?name=%C3%83%C2%A8` first (an empty
    list) decides what a client sending the letter raw gets, through Varnish too (which
    files the two apart, and keeps the wrong one under the raw address)."""
    source = factories.SourceFactory(name="Ministère des Armées", slug="ministere")
    publish_verification(factories.ClaimFactory(claimant=source), verdict="false")
    import json

    poison, body = get(varnish, "/api/v1/sources/?name=%C3%83%C2%A8")
    assert poison.status == 200 and json.loads(text(poison, body))["results"] == []
    target = "/api/v1/sources/?name=" + "è".encode().decode("latin-1")
    response, body = raw_get(varnish, target)
    assert response.status == 200
    names = [row["name"] for row in json.loads(text(response, body))["results"]]
    assert names == ["Ministère des Armées"], (x_cache(response), names)
