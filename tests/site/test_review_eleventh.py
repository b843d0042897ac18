"""Eleventh outside review: the reader pages' query spellings (reader_cache(params=...)), the
early path keyed by the raw address, the API's 400 on an object's address for a parameter
it does not take, and the middleware that makes an answer setting a cookie private.

A test that passes says what holds; a test that fails shows a fault (its docstring says
which request, and what the answer should have been). Written by an outside review in the
eleventh session, against the first version of the change (eabcdd4, 5cb2632): 41 of its 108
attempts here and in test_review_eleventh_varnish.py failed, each mended since:

- page numbers written otherwise (`?page=01`, the sitemap's `?p=+1`), a search's words with
  extra spaces, a search of every kind with a `page` it does not read: each a new address,
  rendered and kept; now read as the page reads them (`views.paged`, `search_query`,
  `sitemaps.sitemap_query`) and answered from the one page kept;
- an API read kept under `get_full_path()`, which writes raw UTF-8 as the address of its
  mojibake: a client sending `?name=è` raw got the list kept for `?name=Ã¨`; addresses are
  now the bytes sent (`store._address`), and an API read is kept under its query as the
  view reads it (names in order, values once), `?&` and repeated values included;
- the ClaimReview file kept anew for `?&`, `?&&`, …;
- the search page's own links written with `%20` (`|query_value` now), and the claim list
  form's "Any verdict" (`?verdict=`) not an address a front cache keeps;
- an odd spelling still `public, s-maxage=60` (now `private`), and an answer deleting a
  stale session cookie public."""

import gzip
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.web.cache.store import local_pages, worker_pages
from tests import factories

# Once, on SQLite, when `make test` runs both databases: what is under test is how the reader
# cache and the API read and key an address, which no database changes.
pytestmark = [pytest.mark.django_db, pytest.mark.one_database]

EXPLAINER = "/explainers/why-toretsk-matters/"


def kept_by_front_caches(response):
    return response.get("Surrogate-Control", "max-age=0") != "max-age=0"


def forget_every_page():
    cache.clear()
    local_pages.clear()
    worker_pages.clear()


def body(response):
    if response.get("Content-Encoding") == "gzip":
        return gzip.decompress(response.content)
    return response.content


def fresh(client, path):
    """`path` rendered for a reader with nothing kept anywhere (what it should show)."""
    forget_every_page()
    response = client.get(path)
    assert response.status_code == 200, path
    assert "X-Reader-Cache" not in response, path
    content = body(response)
    forget_every_page()
    return content


def hit_with_no_render(client, django_assert_num_queries, path, **extra):
    """The answer to `path`, with `queries` (how many it took) and `seen` (what to show)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    response.queries = len(queries)
    response.seen = (
        path,
        f"queries={len(queries)}",
        f"X-Reader-Cache={response.get('X-Reader-Cache')}",
        f"Surrogate-Control={response.get('Surrogate-Control')}",
    )
    return response


@pytest.fixture
def api(client, fresh_cache_and_generous_rates):
    return client


@pytest.fixture
def two_pages_of_claims(desk, publish_verification):
    for _ in range(25):
        publish_verification(factories.ClaimFactory(), verdict="false")


# --- 1. a junk spelling must not make the app render again, nor be offered to Varnish -----


@pytest.mark.parametrize(
    ("canonical", "spelling"),
    [
        ("/claims/?page=1", "/claims/?page=01"),
        ("/claims/?page=1", "/claims/?page=0001"),
        ("/explainers/?page=1", "/explainers/?page=01"),
        ("/places/?page=1", "/places/?page=01"),
        ("/sources/?page=1", "/sources/?page=01"),
        ("/places/toretsk/?page=1", "/places/toretsk/?page=01"),
        ("/sources/russian-defence-ministry/?page=1", "/sources/russian-defence-ministry/?page=01"),
        ("/sitemap.xml?p=1", "/sitemap.xml?p=01"),
        ("/sitemap.xml?p=1", "/sitemap.xml?p=%2B1"),
        ("/sitemap.xml?p=1", "/sitemap.xml?p=+1"),
    ],
)
def test_a_page_number_written_otherwise_is_answered_from_the_kept_page(
    client, desk, django_assert_num_queries, canonical, spelling
):
    """FAULT if it fails: `?page=01`, `?page=0001`, … (and the sitemap's `?p=01`, `?p=+1`)
    name page 1 (the view reads int("01")), yet each is a page address of its own: rendered
    afresh, kept in the shared cache under its own key, and offered to Varnish for an hour
    (`Surrogate-Control: max-age=3600`): the endless spellings the change meant to stop."""
    page = client.get(canonical)
    assert page.status_code == 200
    response = hit_with_no_render(client, django_assert_num_queries, spelling)
    assert response.status_code == 200
    assert body(response) == body(page)
    assert response.get("X-Reader-Cache") == "hit", response.seen
    assert response.queries == 0, response.seen
    assert not kept_by_front_caches(response), response.seen


@pytest.mark.parametrize("junk", ["page=2", "page=7", "page=99999", "page="])
def test_a_search_of_every_kind_reads_no_page_number(client, desk, django_assert_num_queries, junk):
    """FAULT if it fails: a search with no `type` has no pages (the view never reads `page`),
    but `page` is among the search's `params`, so `/search/?q=toretsk&page=N`, for every N,
    is a new address: rendered afresh (with the same content) and offered to Varnish."""
    words = client.get("/search/?q=toretsk")
    response = hit_with_no_render(client, django_assert_num_queries, f"/search/?q=toretsk&{junk}")
    assert response.status_code == 200
    assert body(response) == body(words)
    assert response.get("X-Reader-Cache") == "hit", response.seen
    assert not kept_by_front_caches(response), response.seen


def test_search_words_written_with_extra_spaces_are_one_search(
    client, desk, django_assert_num_queries
):
    """Searches are unbounded by design; noted: `?q=toretsk+`, `?q=+toretsk`, `?q=toretsk++`
    are cleaned to the same words (clean_query) yet each is rendered and kept anew."""
    words = client.get("/search/?q=toretsk")
    response = hit_with_no_render(client, django_assert_num_queries, "/search/?q=toretsk+")
    assert body(response) == body(words)
    assert response.get("X-Reader-Cache") == "hit", response.seen


# --- 2. the site's own links and forms write the page's own spelling ----------------------


def links_in(response):
    return [
        href.replace("&amp;", "&")
        for href in re.findall(r'href="(\?[^"]*)"', body(response).decode())
    ]


def test_the_search_pages_own_links_are_addresses_front_caches_keep(
    client, desk, django_assert_num_queries
):
    """FAULT if it fails: the search page writes "Show every kind of result" (and "More …
    matching", "Did you mean") with Django's |urlencode filter, a space as %20; the kept
    spelling is urlencode()'s `+`. So a reader following the page's own link for a search of
    two words gets an answer Varnish may not keep (Surrogate-Control: max-age=0): every such
    click reaches the app."""
    page = client.get("/search/?q=russia+says&type=claims")
    assert page.status_code == 200
    own_links = [link for link in links_in(page) if "page=" not in link]
    assert own_links, body(page).decode()
    for link in own_links:
        response = client.get("/search/" + link)
        assert response.status_code == 200
        assert kept_by_front_caches(response), (link, response["Surrogate-Control"])


def test_the_claim_lists_any_verdict_choice_is_an_address_front_caches_keep(client, desk):
    """Minor if it fails: the filter form's "Any verdict" (value "") submits
    `/claims/?verdict=`, which the page does not keep for front caches (max-age=0)."""
    client.get("/claims/")
    response = client.get("/claims/?verdict=")
    assert response.status_code == 200
    assert kept_by_front_caches(response), response["Surrogate-Control"]


def test_pagination_and_filter_links_are_the_kept_spelling(client, two_pages_of_claims):
    for path in ("/claims/", "/claims/?verdict=false", "/places/toretsk/"):
        page = client.get(path)
        for link in links_in(page):
            base = path.split("?")[0]
            response = client.get(base + link)
            assert response.status_code == 200
            assert kept_by_front_caches(response), (path, link)


# --- 3. no spelling gets another page's content ------------------------------------------


def test_more_than_a_thousand_parameters_is_a_400_kept_nowhere(client, desk):
    response = client.get("/claims/?" + "x=1&" * 1001)
    assert response.status_code == 400
    assert not kept_by_front_caches(response)


@pytest.mark.parametrize(
    ("spelling", "means"),
    [
        ("/claims/?verdict=false;page=2", "/claims/"),
        ("/claims/?verdict=fals%65&page=2", "/claims/?verdict=false&page=2"),
        ("/claims/?VERDICT=false&page=2", "/claims/?page=2"),
        ("/claims/?verdict=false%00&page=2", "/claims/?page=2"),
        ("/claims/?page=2&verdict=none&verdict=false", "/claims/?verdict=false&page=2"),
        ("/claims/?verdict%3Dfalse%26page%3D2", "/claims/"),
        ("/claims/?page=2&page=", "/claims/?page="),
        ("/claims/?&verdict=false&&page=2&", "/claims/?verdict=false&page=2"),
        ("/claims/?verdict=false&page=2#x", "/claims/?verdict=false&page=2"),
        pytest.param("/claims/?" + "x=1&" * 900 + "page=2", "/claims/?page=2", id="900-junk"),
        ("/search/?q=toretsk&type=claims&type=bogus", "/search/?q=toretsk"),
        ("/search/?q=a&q=toretsk", "/search/?q=toretsk"),
        ("/search/?q=toretsk%2Btown", "/search/?q=toretsk%2Btown"),
        ("/search/?q=toretsk+town", "/search/?q=toretsk%20town"),
    ],
)
def test_an_odd_spelling_asked_first_keeps_the_page_it_means(
    client, two_pages_of_claims, spelling, means
):
    """The odd spelling, asked first, renders the page it means and keeps it under that
    page's own address; the page's own address then serves what a fresh render gives, and so
    does the odd spelling."""
    expected = fresh(client, means)
    expected_other = fresh(client, spelling)
    assert expected_other == expected, "the spelling does not mean what the test says"
    first = client.get(spelling)
    assert first.status_code == 200
    assert body(first) == expected
    own = client.get(means)
    assert body(own) == expected
    again = client.get(spelling)
    assert body(again) == expected


@pytest.mark.parametrize(
    ("raw", "means"),
    [
        # A byte that is not UTF-8: Django reads U+FFFD; the raw address (get_full_path,
        # iri_to_uri) writes the latin-1 character's UTF-8, %C3%A9.
        ("page=\xe9", None),
        ("verdict=\xe9&page=2", "/claims/?page=2"),
        ("verdict=false&page=2\xff", None),
    ],
)
def test_raw_bytes_in_a_reader_query_do_not_reach_another_page(
    client, two_pages_of_claims, raw, means
):
    response = client.get("/claims/", QUERY_STRING=raw)
    if means is None:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert body(response) == fresh(client, means)


def test_a_head_asked_first_keeps_the_whole_page(client, desk):
    expected = fresh(client, EXPLAINER)
    head = client.head(EXPLAINER + "?x=1")
    assert head.status_code == 200
    assert not kept_by_front_caches(head)
    response = client.get(EXPLAINER)
    assert body(response) == expected
    assert kept_by_front_caches(response)


def test_a_conditional_request_for_an_odd_spelling_is_kept_by_no_front_cache(
    client, desk, django_assert_num_queries
):
    page = client.get(EXPLAINER)
    etag = page["ETag"]
    with django_assert_num_queries(0):
        again = client.get(EXPLAINER + "?x=1", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert not kept_by_front_caches(again)
    # Asked first, before the page is kept.
    forget_every_page()
    first = client.get("/claims/?x=2", HTTP_IF_NONE_MATCH='"nope"')
    assert first.status_code == 200 and not kept_by_front_caches(first)
    gz = client.get("/claims/?x=3", HTTP_ACCEPT_ENCODING="gzip")
    assert gz["Content-Encoding"] == "gzip" and not kept_by_front_caches(gz)
    assert gzip.decompress(gz.content) == first.content


def test_the_early_path_never_answers_a_spelling_with_another_pages_copy(
    client, two_pages_of_claims
):
    """The early path looks pages up by the raw address: warm the filtered page 2 and the
    unfiltered one, then ask spellings whose raw address looks like the other's."""
    filtered = fresh(client, "/claims/?verdict=false&page=2")
    everything = fresh(client, "/claims/?page=2")
    client.get("/claims/?verdict=false&page=2")
    client.get("/claims/?page=2")
    assert body(client.get("/claims/?page=2&verdict=false")) == filtered
    assert body(client.get("/claims/?verdict=nonsense&page=2")) == everything
    assert body(client.get("/claims/", QUERY_STRING="verdict=false&page=2")) == filtered


def test_the_desk_is_never_served_a_readers_copy_through_an_odd_spelling(client, desk, editor):
    client.get(EXPLAINER)
    client.force_login(editor)
    response = client.get("/explainers/draft-explainer/?x=1")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    client.logout()
    reader = client.get("/explainers/draft-explainer/?x=1")
    assert reader.status_code == 404
    reader = client.get("/explainers/draft-explainer/")
    assert reader.status_code == 404


# --- 4. the API ---------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["?&", "?&&", "?format=json&format=json"])
def test_an_api_objects_address_is_not_kept_anew_for_each_empty_or_repeated_parameter(
    api, desk, django_assert_num_queries, query
):
    """FAULT if it fails: the 400 on unknown parameters stops `?_=1`, but `?&`, `?&&`, …
    (no parameter at all), a repeated `format` or a filter the claim passes are still each
    rendered afresh, kept in the shared cache under their own key and offered to Varnish
    (Surrogate-Control: max-age=N): the endless spellings the 400 was meant to stop."""
    url = f"/api/v1/claims/{desk.capture.pk}/"
    own = api.get(url)
    assert own.status_code == 200
    response = hit_with_no_render(api, django_assert_num_queries, url + query)
    assert response.status_code == 200
    assert response.get("X-Reader-Cache") == "hit" or not kept_by_front_caches(response), (
        response.seen
    )


@pytest.mark.parametrize("query", ["?&", "?verdict=disputed&page=1", "?verdict=disputed&&page=1"])
def test_an_api_lists_address_is_not_kept_anew_for_each_spelling(api, desk, query):
    """Noted (lists were never canonicalised): each spelling of a list's address is kept
    apart, in the shared cache and by Varnish. (Mended: empty pieces and repeated values
    are one read. The names' order stays the client's own, so that a consumer's polls are
    kept by a front cache whatever order it writes them in:
    test_a_consumers_own_order_of_names_is_kept.)"""
    api.get("/api/v1/claims/?verdict=disputed&page=1")
    response = api.get("/api/v1/claims/" + query)
    assert response.status_code == 200
    assert response.get("X-Reader-Cache") == "hit" or not kept_by_front_caches(response)


def test_a_consumers_own_order_of_names_is_kept(api, desk, django_assert_num_queries):
    for query in ("?page=1&verdict=disputed", "?verdict=disputed&page=1"):
        assert api.get("/api/v1/claims/" + query).status_code == 200
        response = hit_with_no_render(api, django_assert_num_queries, "/api/v1/claims/" + query)
        assert response.get("X-Reader-Cache") == "hit" and kept_by_front_caches(response)


@pytest.fixture
def ministere(desk, publish_verification):
    source = factories.SourceFactory(name="Ministère des Armées", slug="ministere")
    publish_verification(factories.ClaimFactory(claimant=source), verdict="false")
    return source


def names(response):
    assert response.status_code == 200
    return [row["name"] for row in response.json()["results"]]


def test_an_api_read_with_a_latin_1_byte_reads_as_that_letter(api, ministere):
    """Holds: a byte that is not UTF-8 (`?name=<0xE8>`) is read as latin-1 (`è`) by
    Django, which is what the cache key (get_full_path: %C3%A8) says too."""
    assert names(api.get("/api/v1/sources/", QUERY_STRING="name=\xe8")) == [ministere.name]
    assert names(api.get("/api/v1/sources/?name=%C3%A8")) == [ministere.name]


def test_an_api_read_with_raw_utf8_is_not_kept_as_the_read_of_its_mojibake(api, ministere):
    """FAULT if it fails. A client that sends `è` as the raw UTF-8 bytes C3 A8 (curl with
    the letter typed in) means `è`: Django decodes the query as UTF-8. But the key is made
    from get_full_path(), which reads META's latin-1 `Ã¨` and writes it %C3%83%C2%A8: the
    key of `?name=%C3%83%C2%A8`, a request for the text `Ã¨`, which matches nothing. Whichever
    is asked first, the other is answered with its list: here, a client's `?name=è` (raw)
    gets the empty list an earlier `?name=%C3%83%C2%A8` was kept with."""
    poison = api.get("/api/v1/sources/?name=%C3%83%C2%A8")
    assert names(poison) == []
    # The bytes C3 A8 as the WSGI server hands them on (PEP 3333: latin-1).
    victim = api.get("/api/v1/sources/", QUERY_STRING="name=\xc3\xa8")
    assert victim.wsgi_request.GET["name"] == "è"
    assert names(victim) == [ministere.name], victim.get("X-Reader-Cache")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("{url}", 200),
        ("{url}?format=json", 200),
        ("{url}?format=api", 200),
        ("{url_no_slash}.json", 200),
        ("{url}?verdict=disputed", 200),
        ("{url}?place=Toretsk", 200),
        ("{url}?verdict=false", 404),
        ("{url}?_=1699999999", 400),
        ("{url}?page=1", 400),
    ],
)
def test_an_api_objects_address_takes_what_the_docs_say(api, desk, path, status):
    url = f"/api/v1/claims/{desk.capture.pk}/"
    response = api.get(path.format(url=url, url_no_slash=url.rstrip("/")))
    assert response.status_code == status, response.content[:300]


def test_the_claimreview_file_is_not_kept_anew_for_each_empty_query(
    api, desk, django_assert_num_queries
):
    """FAULT if it fails: `/api/v1/claimreviews.jsonld` takes no parameters (a 400 for any),
    but `?&`, `?&&`, … have no parameters either: each is built afresh (the whole feed, the
    desk's most expensive read), kept in the shared cache under its own key and offered to
    Varnish (params=None keeps the address as sent)."""
    path = "/api/v1/claimreviews.jsonld"
    own = api.get(path)
    assert own.status_code == 200
    response = hit_with_no_render(api, django_assert_num_queries, path + "?&&")
    assert response.status_code == 200
    assert response.get("X-Reader-Cache") == "hit" or not kept_by_front_caches(response), (
        response.seen
    )


# --- 5. answers that set a cookie ---------------------------------------------------------


def directives(response):
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


def test_an_api_filter_on_an_objects_address_is_an_address_of_its_own_rendered_once(
    api, desk, django_assert_num_queries
):
    """(Decided after this review.) A filter the object passes is a read of its own (a filter
    it fails is a 404): rendered once, then kept. Its values are unbounded, as a list's are;
    a client sending endless ones is held back by the anonymous throttle, as on lists."""
    url = f"/api/v1/claims/{desk.capture.pk}/?verdict=disputed"
    assert api.get(url).status_code == 200
    response = hit_with_no_render(api, django_assert_num_queries, url)
    assert response.get("X-Reader-Cache") == "hit" and kept_by_front_caches(response)


def test_reader_pages_stay_public_and_set_no_cookie(client, desk):
    """(`/claims/?x=1`, public when this review was written, is now answered for its client
    alone: test_an_odd_spelling_says_no_shared_cache_may_keep_it.)"""
    for path in (EXPLAINER, "/claims/", "/search/?q=toretsk", "/sitemap.xml"):
        response = client.get(path)
        assert response.status_code == 200
        assert not response.cookies, path
        assert "public" in directives(response), path


def test_a_reader_with_a_malformed_csrf_cookie_gets_a_private_answer_not_a_kept_one(client, desk):
    """Django replaces a malformed CSRF cookie on any page that goes through the stack: the
    page is then private (it sets a cookie), so Varnish would pass it; the page kept for
    everyone is unharmed."""
    client.cookies["csrftoken"] = "short"
    response = client.get("/claims/?x=9")
    if response.cookies.get("csrftoken") and response.cookies["csrftoken"].value:
        assert {"private", "no-store"} <= directives(response)
        assert "Surrogate-Control" not in response
    client.cookies.clear()
    assert "public" in directives(client.get("/claims/"))


def test_an_answer_that_deletes_a_stale_session_cookie_is_not_public(client, desk):
    """Low, if it fails: a reader with a stale `sessionid` gets the page with
    `Set-Cookie: sessionid=""; Max-Age=0` and `Cache-Control: public, s-maxage=60` and
    `Surrogate-Control: max-age=N` (the middleware skips a deleted cookie). Varnish passes a
    request with a session cookie, but a CDN honouring s-maxage that kept it would log out
    every reader (and desk member) it handed the page to."""
    client.cookies["sessionid"] = "stale-session-key"
    response = client.get(EXPLAINER)
    assert response.status_code == 200
    morsel = response.cookies.get("sessionid")
    assert morsel is not None and morsel.value == ""
    assert "public" not in directives(response), response["Cache-Control"]
    assert "Surrogate-Control" not in response, response["Surrogate-Control"]


def test_the_anonymous_browsable_api_detail_is_private(api, desk):
    response = api.get(f"/api/v1/claims/{desk.capture.pk}/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    assert {"private", "no-store"} <= directives(response)
    assert "Surrogate-Control" not in response


# --- 6. what a view renders for an odd spelling asked first ---------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        EXPLAINER + "?x=POISON1&utm_source=POISON2",
        "/claims/?verdict=disputed&zz=POISON1&page=1",
        "/search/?q=toretsk&type=claims&x=POISON1",
        "/sitemap.xml?p=1&x=POISON1",
        "/feeds/verdicts.rss?x=POISON1",
        "/?x=POISON1",
    ],
)
def test_nothing_of_an_odd_spelling_is_written_into_the_page_kept_for_everyone(
    client, desk, spelling
):
    first = client.get(spelling)
    assert first.status_code == 200
    assert b"POISON" not in body(first)
    own = client.get(
        spelling.split("?")[0]
        + "?"
        + "&".join(part for part in spelling.split("?")[1].split("&") if "POISON" not in part)
    )
    assert own.status_code == 200 and b"POISON" not in body(own)


def test_an_odd_spelling_says_no_shared_cache_may_keep_it(client, desk):
    """Low, if it fails: the odd spelling tells Varnish not to keep it (Surrogate-Control:
    max-age=0), but its Cache-Control still says `public, s-maxage=60`, which a CDN that
    does not read Surrogate-Control (the header docs/deploy.md says the app also writes for a
    CDN) honours: each `?x=N` is kept there for a minute."""
    client.get(EXPLAINER)
    response = client.get(EXPLAINER + "?x=1")
    assert not kept_by_front_caches(response)
    assert "s-maxage=60" not in response["Cache-Control"], response["Cache-Control"]
