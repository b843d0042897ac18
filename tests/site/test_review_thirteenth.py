"""Thirteenth outside review: can an anonymous outsider (no session, no token) make the server
render reader pages afresh again and again, past the reader cache, or fill it?

Each test says in its docstring what the outsider sends and what it costs. A test marked
FOUND failed on the code reviewed (ae9f15b) and says how it was mended; the others passed
there, and are kept as regression tests.

How a render is seen: a page answered from the reader cache makes no database query and
renders no template (`CaptureQueriesContext`, the test client's `response.templates`); where
the costly work is one call (the search, a COUNT over the archive), that call is counted.
Costs quoted were measured here, on SQLite with the tests' small desk, with the test client
(the middleware stack included): a kept page takes 0.2-0.5 ms and no query.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims.site import share, views

# Once, on SQLite, when `make test` runs both databases: what is under test is how the reader
# cache keys and answers a request, which no database changes.
pytestmark = [pytest.mark.django_db, pytest.mark.one_database]

EXPLAINER = "/explainers/why-toretsk-matters/"


# --- helpers -------------------------------------------------------------------------------


def ask(client, path, method="GET", **extra):
    """The answer to `method path`, with `queries` (the SQL it ran) and `seen` (a line that
    says what happened, for assertion messages)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.generic(method, path, **extra)
    response.queries = [q["sql"] for q in queries.captured_queries]
    response.seen = (
        f"{method} {path[:80]} -> {response.status_code}, {len(queries)} queries, "
        f"{len(response.templates)} templates, X-Reader-Cache={response.get('X-Reader-Cache')}, "
        f"{len(response.content)} bytes"
    )
    return response


def warm(client, path):
    """`path` asked twice: rendered and kept, then answered from the cache."""
    first = client.get(path)
    assert first.status_code == 200, path
    again = ask(client, path)
    assert again.get("X-Reader-Cache") == "hit" and not again.queries, again.seen
    return first


def rendered_nothing(response):
    """No query and no template: what an answer from a kept page (or from no view) costs."""
    return not response.queries and not response.templates


def counts(response):
    return [sql for sql in response.queries if "COUNT(" in sql.upper()]


@pytest.fixture
def searches(monkeypatch):
    """The reader search's calls (claims.site.views.run_search), one list item a call."""
    calls = []
    real = views.run_search

    def counted(raw, **kwargs):
        calls.append(raw)
        return real(raw, **kwargs)

    monkeypatch.setattr(views, "run_search", counted)
    return calls


@pytest.fixture
def csrf_client():
    """An anonymous client whose unsafe requests meet the CSRF check, as a real one's do (the
    test client skips it by default)."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def api(client, fresh_cache_and_generous_rates):
    return client


@pytest.fixture
def schedule_read(client, desk):
    """The reader cache's first request after the cache is emptied reads the explainers'
    schedule (one query, then kept for every request): read here, so that what a test counts
    is the request's own cost."""
    assert client.get("/robots.txt").status_code == 200


# --- 1. methods: OPTIONS and TRACE ---------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        EXPLAINER,  # 18 queries, 27-32 ms an OPTIONS, every time
        "CLAIM",  # 12 queries, 23-27 ms
        "/search/?q=toretsk",  # the search run: 9 queries, 17-18 ms
        "/explainers/why-toretsk-matters/share.png",  # the PNG drawn: 50-52 ms
        "/sitemap-claims.xml",  # on the benchmark archive, ~1 s a page (docs/benchmarks.md)
        "/places/toretsk/",  # 6 queries, 11-12 ms
    ],
)
def test_options_on_a_reader_page_does_not_render_it(client, desk, monkeypatch, path):
    """FOUND. An outsider sent `OPTIONS <any reader page>` in a loop. `reader_cache`
    (claims/web/cache/decorators.py, `wrapped`) hands every method but GET and HEAD straight
    to the view, CsrfViewMiddleware lets OPTIONS through as a safe method, and the reader
    views do not look at the method: each OPTIONS renders the whole page afresh (pieces off,
    so at full cost) and sends it back as the body, with no Cache-Control. Varnish's VCL passes
    every OPTIONS to the app (`if (req.method != "GET" && req.method != "HEAD") return
    (pass)`), so a front cache does not shield it either. A kept GET of the same page costs
    no query and 0.3 ms.

    Mended: `reader_cache` refuses every method but GET and HEAD (405, `require_safe`)
    before the view. A robust server answers OPTIONS without running the view (an `Allow`
    and no body, or a 405, as the downloads and the ClaimReview file already do)."""
    if path == "CLAIM":
        path = desk.capture.get_absolute_url()
    drawn = []
    real_png = share.share_png
    monkeypatch.setattr(share, "share_png", lambda *a, **k: drawn.append(1) or real_png(*a, **k))
    page = warm(client, path)
    drawn.clear()  # the GET's own render drew it once
    for _ in range(2):
        response = ask(client, path, "OPTIONS")
        assert rendered_nothing(response) and not drawn, response.seen
        assert response.content != page.content, response.seen


def test_trace_on_a_reader_page_does_not_render_it(client, desk):
    """FOUND, mended as OPTIONS (direct to the app only: Varnish's VCL answers TRACE 405 itself).
    `TRACE /explainers/<slug>/` is, like OPTIONS, a safe method to the CSRF middleware and not
    GET or HEAD to `reader_cache`: the explainer is rendered afresh (18 queries, 27-32 ms) and
    echoed back in full on every request. A robust server refuses TRACE (405) before any view
    runs."""
    warm(client, EXPLAINER)
    response = ask(client, EXPLAINER, "TRACE")
    assert rendered_nothing(response), response.seen


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "PROPFIND", "CONNECT"])
def test_unsafe_or_unknown_methods_are_refused_before_any_render(csrf_client, desk, method):
    """Resisted. Any method other than GET, HEAD, OPTIONS and TRACE on a reader page meets the
    CSRF check first: 403 with no query and no page render (~1 ms)."""
    warm(csrf_client, EXPLAINER)
    response = ask(csrf_client, EXPLAINER, method)
    assert response.status_code == 403, response.seen
    assert not response.queries, response.seen
    assert b"Why Toretsk matters" not in response.content


@pytest.mark.parametrize("path", ["/downloads/claims.csv", "/api/v1/claimreviews.jsonld"])
def test_options_on_a_bulk_file_is_refused_without_building_it(client, desk, path):
    """Resisted. The bulk downloads (`require_safe`) and the whole ClaimReview file (its own
    method check) answer OPTIONS 405 with `Allow: GET, HEAD`, building nothing."""
    warm(client, path)
    response = ask(client, path, "OPTIONS")
    assert response.status_code == 405 and rendered_nothing(response), response.seen


def test_head_is_answered_from_the_kept_page(client, desk):
    """Resisted. HEAD shares GET's key: answered from the kept page, no query."""
    warm(client, EXPLAINER)
    response = ask(client, EXPLAINER, "HEAD")
    assert response.status_code == 200 and response.get("X-Reader-Cache") == "hit"
    assert rendered_nothing(response), response.seen


def test_a_cors_preflight_on_a_public_path_is_answered_without_the_view(client, desk):
    """Resisted. A CORS preflight on a public read (the feeds, the API) is answered by
    django-cors-headers before the view: no query."""
    warm(client, "/feeds/verdicts.atom")
    response = ask(
        client,
        "/feeds/verdicts.atom",
        "OPTIONS",
        HTTP_ORIGIN="https://aggregator.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert rendered_nothing(response), response.seen


def test_options_on_an_api_list_runs_no_query(api, desk):
    """Resisted. DRF answers OPTIONS on an API list from its metadata: no query, no list."""
    response = ask(api, "/api/v1/claims/", "OPTIONS")
    assert response.status_code == 200 and not response.queries, response.seen


# --- 2. the same address answered 404 again and again ---------------------------------------


def test_a_search_page_past_its_last_is_searched_at_most_the_render_budget(
    client, desk, searches, settings, one_window
):
    """FOUND. An outsider repeats `/search/?q=toretsk&type=claims&page=9` (a page past the
    last). `views.search` runs the whole search first and only then finds the page missing:
    a 404, which `reader_cache` (`render`) never keeps (it keeps 200s alone), and which
    Varnish passes on every time (its VCL keeps nothing but a 200). So the one address cost a
    full search on every request: 9 queries, 16-20 ms here; a search rendered afresh is
    180-225 ms p50 on the benchmark archive (docs/benchmarks.md, "search 'drone' (cache
    bypassed)"), with no rate limit on the reader site.

    Mended by bounding what any one client may have rendered (READER_RENDERS_PER_MINUTE,
    `decorators.within_render_budget`): past it, a 429 with no search. The 404 itself is
    still not kept: each client's repeats cost a search each, up to its budget."""
    settings.READER_RENDERS_PER_MINUTE = 3
    path = "/search/?q=toretsk&type=claims&page=9"
    statuses = [client.get(path).status_code for _ in range(6)]
    assert statuses == [404, 404, 404, 429, 429, 429]
    assert len(searches) == 3, f"the same 404 searched {len(searches)} times"


@pytest.mark.parametrize("path", ["/claims/?page=999", "/sitemap-claims.xml?p=999"])
def test_a_list_page_past_its_last_counts_the_archive_at_most_the_render_budget(
    client, desk, path, settings, one_window
):
    """FOUND (low: a COUNT, not a page). An outsider repeats `/claims/?page=999` (or
    `?page=99999999999999`, or the sitemap's `?p=999`): a number written as the page writes
    it, so it is no odd spelling, and past the last page. `views.paginate` (Django's sitemap
    view alike) asks the Paginator for the page, which COUNTs every claim readers may see
    (`claims_for_readers`: a verdict or a live citation, an EXISTS per claim) before it
    finds the page missing; the 404 is never kept (`reader_cache` keeps 200s) and Varnish
    keeps no 404. Here: 2 queries and 3.5-7 ms a request, the 404 page rendered each time,
    where the kept list costs none; the COUNT grows with the archive.

    Mended as the search's: past the client's render budget, a 429 that counts nothing."""
    settings.READER_RENDERS_PER_MINUTE = 2
    for _ in range(2):
        counted = ask(client, path)
        assert counted.status_code == 404
        assert counts(counted), counted.seen
    refused = ask(client, path)
    assert refused.status_code == 429, refused.seen
    assert not refused.queries, refused.seen


@pytest.mark.parametrize("number", ["0", "-1", "last", "abc", "%2B2", "2.0", "1e3", "%D9%A2"])
def test_a_page_number_that_is_no_number_is_a_404_without_counting(client, schedule_read, number):
    """Resisted. `page=0`, negative, `last`, words, `+2`, decimals, non-ASCII digits: a 404
    decided before any COUNT (1 query: the 404 page's standing-page links, ~2-4 ms)."""
    response = ask(client, f"/claims/?page={number}")
    assert response.status_code == 404, response.seen
    assert not counts(response) and len(response.queries) <= 1, response.seen


def test_a_claims_address_with_a_wrong_slug_is_a_redirect_not_a_render(client, desk, schedule_read):
    """Resisted. `/claims/<id>-<anything>/`: one lookup of the claim by key and a 301 to its
    address (1 query, ~1.5 ms), never a page render; nor kept, which costs little."""
    for slug in ("wrong", "RUSSIA-SAYS", "x" * 200):
        response = ask(client, f"/claims/{desk.capture.pk}-{slug}/")
        assert response.status_code == 301, response.seen
        assert len(response.queries) <= 1 and not response.templates, response.seen


@pytest.mark.parametrize("path", ["/places/dzerzhynsk/", "/places/TORETSK/"])
def test_a_place_by_another_name_is_a_redirect_not_a_render(client, schedule_read, path):
    """Resisted. A place's other name or its slug in capitals: a name lookup and a 301
    (2 queries, ~8 ms), no page render."""
    response = ask(client, path)
    assert response.status_code == 301, response.seen
    assert len(response.queries) <= 2 and not response.templates, response.seen


@pytest.mark.parametrize(
    "path",
    [
        "/explainers/WHY-TORETSK-MATTERS/",  # a slug in capitals
        "/explainers/why-toretsk-matters-%C3%A9/",  # a letter the slug converter refuses
        pytest.param("/explainers/" + "a" * 3000 + "/", id="a-very-long-slug"),
        "/nothing/here/",
    ],
)
def test_unknown_addresses_are_cheap_404s(client, schedule_read, path):
    """Resisted (as far as any site can). An address that names nothing is a 404 after at
    most the object's lookup and the 404 page's standing-page links (≤ 2 queries, 2-4 ms)."""
    response = ask(client, path)
    assert response.status_code == 404, response.seen
    assert len(response.queries) <= 2, response.seen


def test_a_path_with_a_double_slash_or_no_final_slash_renders_no_page(client, desk):
    """Resisted. `//claims/` (sent raw: the test client would read `//claims` as a host) is a
    cheap 404; `/explainers/<slug>` without its slash is CommonMiddleware's 301 (its 404 page
    rendered and dropped, 1 query)."""
    warm(client, EXPLAINER)
    double = ask(client, "/", PATH_INFO="//claims/")
    assert double.status_code == 404 and len(double.queries) <= 1, double.seen
    no_slash = ask(client, EXPLAINER.rstrip("/"))
    assert no_slash.status_code == 301 and len(no_slash.queries) <= 1, no_slash.seen


# --- 3. query and path spellings on the reader site ------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        EXPLAINER + "?page=1&page=1&x=1",
        EXPLAINER + "?%70age=2",
        pytest.param(EXPLAINER + "?" + "&".join(f"j{n}={n}" for n in range(200)), id="200-junk"),
        pytest.param(EXPLAINER + "?q=" + "a" * 8000, id="a-very-long-address"),
        "/explainers/why%2Dtoretsk%2Dmatters/",  # the slug percent-encoded
        "/explainers/why-toretsk-matters/?",
    ],
)
def test_spellings_of_a_page_are_answered_from_the_kept_page(client, desk, spelling):
    """Resisted. Parameters the page does not read, repeated or encoded names, thousands of
    characters of junk, a percent-encoded slug: all answered from the one kept page, no
    query (the query spellings are for the client alone: store.read_as_written)."""
    page = warm(client, EXPLAINER)
    response = ask(client, spelling)
    assert response.status_code == 200 and response.get("X-Reader-Cache") == "hit", response.seen
    assert rendered_nothing(response), response.seen
    assert response.content == page.content


@pytest.mark.parametrize(
    "spelling",
    ["/claims/?page=1&page=1&x=1", "/claims/?%70age=1", "/claims/?page=0001&verdict=junk"],
)
def test_spellings_of_a_list_page_are_answered_from_the_kept_page(client, desk, spelling):
    """Resisted. Repeated, encoded and zero-padded page numbers, a verdict the list does not
    tell apart: the kept `/claims/?page=1`, no query."""
    warm(client, "/claims/?page=1")
    response = ask(client, spelling)
    assert response.get("X-Reader-Cache") == "hit" and rendered_nothing(response), response.seen


def test_a_search_longer_than_the_search_reads_is_one_search(client, desk, searches):
    """FOUND (minor), mended. The search reads at most 200 characters of `q`
    (`claims.web.search.clean_query`) and the page shows just those, but `views.search_query`
    (the page's `params`) keys it by the squeezed text uncut: `q=<200 characters>X` and
    `q=<200 characters>Y` are two addresses, each searched and rendered (4 queries, ~10-12
    ms here), with byte-identical pages. An outsider appends a counter after the 200th
    character. (Any different short query renders afresh anyway: see the next test; this
    only means the cut is no bound.) Now keyed by `clean_query(q)[0]`, what the page reads."""
    stem = "toretsk " + "a" * 300
    first = client.get("/search/", {"q": stem + "b"})
    second = client.get("/search/", {"q": stem + "c"})
    assert first.status_code == second.status_code == 200
    assert first.content == second.content  # one page: the search reads 200 characters
    assert len(searches) == 1, f"{len(searches)} searches for one page"


def test_one_client_cannot_make_the_search_render_without_limit(
    client, desk, searches, settings, one_window
):
    """FOUND. Searches are kept per query, per worker (`reader_cache(worker_only=True)`,
    READER_SEARCH_CACHE_MB): that bounds the memory a flood of searches takes, not the CPU.
    An outsider sending `/search/?q=toretsk+<n>` for n = 1, 2, 3, … had every one searched
    and rendered: here 100 of 100, 10 ms each on the small desk; a search rendered afresh is
    180-225 ms p50 on the benchmark archive, 33 ms of CPU in process. Varnish keeps each,
    but never sees the same one twice. Unlike the API (AnonymousThrottle, 120/min) the
    reader site had no rate limit on it.

    Mended: READER_RENDERS_PER_MINUTE (60 unless set) renders a minute for one client, then
    429 until the minute is out."""
    settings.READER_RENDERS_PER_MINUTE = 60
    statuses = [client.get("/search/", {"q": f"toretsk {n}"}).status_code for n in range(100)]
    assert len(searches) == 60, f"{len(searches)} of 100 searched"
    assert statuses == [200] * 60 + [429] * 40


# --- 4. headers and cookies on the reader site ---------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ACCEPT": "application/json"},
        {"HTTP_ACCEPT": "text/html; x=1"},
        {"HTTP_ACCEPT_LANGUAGE": "uk"},
        {"HTTP_ACCEPT_ENCODING": "br"},
        {"HTTP_ACCEPT_ENCODING": "gzip;q=abc"},
        {"HTTP_ACCEPT_ENCODING": "identity"},
        {"HTTP_IF_NONE_MATCH": '"garbage"'},
        {"HTTP_IF_NONE_MATCH": "garbage, W/"},
        {"HTTP_IF_MODIFIED_SINCE": "garbage"},
        {"HTTP_IF_MODIFIED_SINCE": "Thu, 01 Jan 1970 00:00:00 GMT"},
        {"HTTP_RANGE": "bytes=0-10"},
        {"HTTP_X_FORWARDED_PROTO": "https"},
        {"HTTP_X_FORWARDED_HOST": "other.example"},
        {"HTTP_X_READER_CACHE_BYPASS": "guess"},  # the benchmark's bypass, no token set
        {"HTTP_X_READER_CACHE_BYPASS": "", "HTTP_X_READER_CACHE_PURGED": "all"},
        {"HTTP_CACHE_CONTROL": "no-cache", "HTTP_PRAGMA": "no-cache"},
        {"HTTP_AUTHORIZATION": "Bearer x"},  # the twelfth review's finding, mended
    ],
)
def test_request_headers_do_not_make_a_page_render_again(client, desk, headers):
    """Resisted. Accept, Accept-Language and Accept-Encoding variants, validators that are
    garbage, a Range, forwarded scheme and host (not trusted by default), a guessed bypass
    token, `Cache-Control: no-cache`, an Authorization header: each answered from the kept
    page with no query."""
    warm(client, EXPLAINER)
    response = ask(client, EXPLAINER, **headers)
    assert response.status_code in (200, 304), response.seen
    assert response.get("X-Reader-Cache") == "hit" and rendered_nothing(response), response.seen


@pytest.mark.parametrize(
    "cookie",
    [
        "sessionid=garbage",
        "sessionid=" + "a" * 32,  # well formed: one lookup of the session, found nowhere
        "csrftoken=x",
        "csrftoken=" + "a" * 64,
        "tracking=1; other=2",
        "sessionid=; csrftoken=",
    ],
)
def test_cookies_that_are_no_session_do_not_make_a_page_render_again(client, desk, cookie):
    """Resisted. A session cookie that names no session skips the early path (Varnish passes
    it too), but the view's decorator answers from the kept page: at most the session's one
    lookup, no render; a CSRF or any other cookie, no query at all."""
    warm(client, EXPLAINER)
    response = ask(client, EXPLAINER, HTTP_COOKIE=cookie)
    assert response.status_code == 200 and response.get("X-Reader-Cache") == "hit", response.seen
    assert len(response.queries) <= 1 and not response.templates, response.seen


# --- 5. the API -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("canonical", "spelling"),
    [
        ("?page=1", "?page=01"),
        ("?page=1", "?page=0000001"),
        ("?page_size=20", "?page_size=020"),
        ("?page_size=100", "?page_size=101"),
        ("?page_size=100", "?page_size=99999999"),
        ("?ordering=-id", "?ordering=-id,-id"),
        ("?ordering=-id", "?ordering=+-id,"),
    ],
)
def test_an_api_list_read_spelt_otherwise_is_not_rendered_and_kept_anew(
    api, desk, canonical, spelling
):
    """FOUND, mended (`ReaderCacheMixin.query_as_read`). The API keyed an anonymous read by its
    query as sent, values and all (`ReaderCacheMixin.reader_cache_key` →
    `store.read_as_written(request, None)` → `every_parameter`: names in order, values once, no
    value read as the view reads it). `page=01` (the spelling the eleventh review mended on the
    reader site), `page_size=020`, any `page_size` above 100 (cut to 100 by `DeskPagination`),
    an ordering with a field repeated or padded: each is the same read, and each is rendered
    afresh (2 queries and 4-6 ms here, every claim's document reused as a piece from the first
    render; 23-27 ms of CPU so on the benchmark archive, 126 ms in a worker that kept none,
    docs/benchmarks.md), kept in the shared cache and this worker's copies
    (READER_LOCAL_CACHE_MB, pushing popular pages out) and offered to Varnish
    (`Surrogate-Control: max-age=3600`; the ordering spellings say max-age=0, their comma being
    written `%2C` by `urlencode`, but are rendered and kept by the app all the same).
    `page_size=N` for N > 100 and zero-padding are endless. The anonymous throttle (120/min per
    address) bounds the rate, not the renders.

    A robust server reads the values as the list does (page numbers and sizes as integers, sizes
    capped, orderings as their fields) before keying, and answers every spelling from the one
    kept read, as `views.paged` does for the site."""
    first = api.get("/api/v1/claims/" + canonical)
    assert first.status_code == 200
    response = ask(api, "/api/v1/claims/" + spelling)
    assert response.status_code == 200, response.seen
    assert response.get("X-Reader-Cache") == "hit" and not response.queries, (
        response.seen,
        response.get("Surrogate-Control"),
    )


@pytest.mark.parametrize("accept", ["*/*; x=1", "*/*; x=2", "application/json; v=1"])
def test_an_accept_header_parameter_does_not_make_an_api_read_render_again(api, desk, accept):
    """FOUND, mended (`readercache.media_variant`). The API's cache key carried
    `request.accepted_media_type` (`reader_cache_key` → `page_key(variant=...)`), and DRF's
    negotiation returns the client's Accept parameters in it: `Accept: */*; x=1` is negotiated
    as `application/json;x=1`, a key of its own. An outsider counting x=1, 2, 3, … gets the list
    rendered afresh for each (2 queries, 4-6 ms here), kept in the shared cache and the worker's
    copies and offered to Varnish (which varies on Accept, and so keeps each too). Only the
    anonymous throttle bounds the rate.

    A robust server keys by the renderer's own media type (and the one parameter it reads,
    `indent`, clamped), not by whatever the client appended."""
    first = api.get("/api/v1/claims/")
    assert first.status_code == 200
    response = ask(api, "/api/v1/claims/", HTTP_ACCEPT=accept)
    assert response.status_code == 200, response.seen
    assert response.get("X-Reader-Cache") == "hit" and not response.queries, response.seen


def test_the_api_read_with_and_without_a_plain_accept_header_is_one_read(api, desk):
    """Resisted. No Accept, `*/*` and `application/json` are negotiated as one media type:
    one kept read."""
    warm(api, "/api/v1/claims/")
    for accept in ("*/*", "application/json", "application/json, */*;q=0.8"):
        response = ask(api, "/api/v1/claims/", HTTP_ACCEPT=accept)
        assert response.get("X-Reader-Cache") == "hit" and not response.queries, response.seen


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/api/v1/claims/?search=toretsk", {}),
        ("/api/v1/claims/", {"HTTP_ACCEPT": "text/html"}),
        ("/api/v1/claims/?format=api", {}),
    ],
)
def test_api_reads_never_kept_are_held_back_by_the_anonymous_throttle(
    api, desk, settings, path, headers
):
    """Resisted, by the throttle alone. The API never keeps a `?search=` read nor the
    browsable API (`ReaderCacheMixin.is_reader_read`; tests/api/test_reader_cache.py says so
    on purpose): the same address is searched or rendered afresh on every request (the
    search 16 queries, 43-47 ms; the browsable list 8 queries, 47-52 ms, here). What bounds
    it is the anonymous throttle (API_THROTTLE_ANON, 120/min per client address), which
    counts before the view runs: past the rate, a 429 and no render. (Per address: an
    outsider with many addresses multiplies it.)"""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "5/minute", "user": "5/minute"},
    }
    answered = []
    for _ in range(8):
        response = ask(api, path, **headers)
        answered.append((response.status_code, len(response.queries)))
    assert [status for status, _ in answered] == [200] * 5 + [429] * 3, answered
    assert all(queries == 0 for _, queries in answered[5:]), answered
