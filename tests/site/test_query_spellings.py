"""One reader page, however its address is written: a query parameter the page does not
read, a value it does not tell apart, another order or encoding of the ones it reads. Each
spelling is answered from the page the reader cache keeps, with no render and no query,
and only the page's own spelling (the one its links write) is offered to a front cache;
the others say `Surrogate-Control: max-age=0`. Before, every spelling was rendered afresh
and kept apart, in the shared cache and in Varnish: a loop adding `?x=1`, `?x=2`, … to an
explainer's address made the app servers render it again on every request."""

import pytest
from django.http import HttpResponse

from claims.site.views import paged
from claims.web.cache.store import every_parameter, not_for_shared_caches, read_as_written
from tests import factories

# Once, on SQLite, when `make test` runs both databases: what is under test is how the reader
# cache and the API read and key an address, which no database changes.
pytestmark = [pytest.mark.django_db, pytest.mark.one_database]

EXPLAINER = "/explainers/why-toretsk-matters/"


def kept_by_front_caches(response):
    return response["Surrogate-Control"] != "max-age=0"


def answered_as(client, django_assert_num_queries, spelling, page):
    """The answer to `spelling`: `page`'s, from the reader cache, for no front cache."""
    with django_assert_num_queries(0):
        response = client.get(spelling)
    assert response.status_code == 200, spelling
    assert response["X-Reader-Cache"] == "hit", spelling
    assert response.content == page.content, spelling
    assert not kept_by_front_caches(response), spelling
    return response


@pytest.mark.parametrize(
    "query",
    [
        "?utm_source=newsletter&utm_medium=email",
        "?fbclid=IwAR0",
        "?x=1",
        "?x=2",
        "?page=2",  # an explainer has one page: it reads no page number
        "?verdict=false",
        "?=",
        "?%00=%ff",
    ],
)
def test_a_parameter_the_page_does_not_read_gets_the_kept_page_with_no_render(
    client, desk, django_assert_num_queries, query
):
    page = client.get(EXPLAINER)
    assert kept_by_front_caches(page)
    answered_as(client, django_assert_num_queries, EXPLAINER + query, page)


@pytest.fixture
def two_pages_of_claims(desk, publish_verification):
    for _ in range(25):
        publish_verification(factories.ClaimFactory(), verdict="false")


@pytest.mark.parametrize(
    "spelling",
    [
        "/claims/?page=%32",
        "/claims/?page=1&page=2",  # the page reads the last, as Django's GET.get does
        "/claims/?page=2&utm_campaign=spring",
        "/claims/?page=2&",
        "/claims/?verdict=nonsense&page=2",  # a verdict it does not tell apart: every claim
        "/claims/?verdict=%3Cscript%3E&page=2",
    ],
)
def test_each_spelling_of_a_list_page_is_that_page(
    client, two_pages_of_claims, django_assert_num_queries, spelling
):
    page = client.get("/claims/?page=2")
    assert page.status_code == 200 and kept_by_front_caches(page)
    answered_as(client, django_assert_num_queries, spelling, page)


def test_a_filter_the_page_tells_apart_is_a_page_of_its_own_written_in_its_links_order(
    client, two_pages_of_claims, django_assert_num_queries
):
    everything = client.get("/claims/?page=2")
    filtered = client.get("/claims/?verdict=false&page=2")
    assert filtered.status_code == 200 and kept_by_front_caches(filtered)
    assert filtered.content != everything.content
    # The order the list's own links write is the page's address; the other is answered.
    assert 'href="?verdict=false&amp;page=1"' in filtered.content.decode()
    answered_as(client, django_assert_num_queries, "/claims/?page=2&verdict=false", filtered)


def test_a_search_reads_its_words_and_a_kind_it_knows(client, desk, django_assert_num_queries):
    words = client.get("/search/?q=toretsk")
    claims = client.get("/search/?q=toretsk&type=claims")
    assert kept_by_front_caches(words) and kept_by_front_caches(claims)
    assert words.content != claims.content
    answered_as(client, django_assert_num_queries, "/search/?type=claims&q=toretsk", claims)
    answered_as(client, django_assert_num_queries, "/search/?q=toretsk&type=bogus", words)
    answered_as(client, django_assert_num_queries, "/search/?q=toretsk&utm_source=x", words)


def test_a_spelling_asked_first_keeps_the_page_for_its_own_address(
    client, desk, django_assert_num_queries
):
    """The page rendered for an odd spelling is kept under the page's own address, which
    is then answered with no render, and is offered to front caches as usual."""
    odd = client.get(EXPLAINER + "?ref=homepage")
    assert odd.status_code == 200 and not kept_by_front_caches(odd)
    with django_assert_num_queries(0):
        own = client.get(EXPLAINER)
    assert own["X-Reader-Cache"] == "hit" and kept_by_front_caches(own)
    assert own.content == odd.content


def test_staff_see_the_query_as_sent(client, desk, editor, two_pages_of_claims):
    """The desk is never answered from the cache: what it asks for is read as it asks."""
    client.force_login(editor)
    response = client.get("/claims/?page=1&page=2&x=1")
    assert 'rel="prev"' in response.content.decode()  # page 2, read as sent
    assert "private" in response["Cache-Control"]


def test_the_query_a_page_reads(rf):
    def read(query, params=("verdict", "page")):
        request = rf.get("/claims/" + query)
        written = read_as_written(request, params)
        assert request.META["QUERY_STRING"] == request.GET.urlencode()
        return written, request.GET.urlencode()

    assert read("") == (True, "")
    assert read("?verdict=false&page=2") == (True, "verdict=false&page=2")
    assert read("?page=2&verdict=false") == (False, "verdict=false&page=2")
    assert read("?page=2&page=3") == (False, "page=3")
    assert read("?q=a+b", params=("q",)) == (True, "q=a+b")
    assert read("?q=a%20b", params=("q",)) == (False, "q=a+b")
    assert read("?anything=1", params=()) == (False, "")
    # A function says how the page reads it: here, a page number as paginate reads it.
    assert read("?page=02&x=1", params=paged) == (False, "page=2")
    assert read("?page=two", params=paged) == (True, "page=two")  # a 404, as sent
    # None: a view that reads the whole query: names in the client's order, values once
    # (the last kept), no empty pieces.
    assert read("?b=1&a=2&a=3", params=None) == (True, "b=1&a=2&a=3")
    assert read("?a=1&a=2&a=1&&", params=None) == (False, "a=2&a=1")
    assert read("?a=1&b=2&a=3", params=None) == (False, "a=1&a=3&b=2")
    assert read("?&", params=None) == (False, "")


def test_a_value_sent_a_thousand_times_is_read_once_at_no_great_cost(rf):
    """Django takes up to 1,000 fields a request: each value is compared once, not with
    every other (a first version compared each with all those after it)."""
    request = rf.get("/api/v1/claims/?" + "&".join(f"verdict=v{i % 7}" for i in range(1000)))
    assert every_parameter(request.GET) == [("verdict", f"v{i}") for i in (6, 0, 1, 2, 3, 4, 5)]


def test_an_answer_that_says_less_than_private_keeps_what_it_says():
    assert (
        not_for_shared_caches(HttpResponse(headers={"Cache-Control": "no-cache"}))["Cache-Control"]
        == "no-cache"
    )
    public = HttpResponse(headers={"Cache-Control": "public, max-age=60, s-maxage=60"})
    answer = not_for_shared_caches(public)
    assert answer["Cache-Control"] == "private, max-age=60"
    assert answer["Surrogate-Control"] == "max-age=0"
