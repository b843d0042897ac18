"""Anonymous API reads come from the reader cache, and nothing else does: a poll answered
from the cache is exactly what a fresh read would give, for anonymous consumers only."""

import gzip

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import workflow

from .conftest import SECRET, ids

pytestmark = pytest.mark.django_db

CLAIMS = "/api/v1/claims/"
FEED = "/api/v1/claimreviews/"


def test_a_repeated_anonymous_read_is_served_without_a_query(anon, desk):
    first = anon.get(CLAIMS)
    assert "X-Reader-Cache" not in first
    with CaptureQueriesContext(connection) as queries:
        second = anon.get(CLAIMS)
    assert len(queries) == 0
    assert second["X-Reader-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"] == first["Content-Type"]
    assert "Accept" in second["Vary"] and "Authorization" in second["Vary"]


def test_each_address_and_media_type_is_kept_apart(anon, desk):
    anon.get(FEED)
    as_json_ld = anon.get(FEED, HTTP_ACCEPT="application/ld+json")
    assert as_json_ld["Content-Type"] == "application/ld+json"
    assert "X-Reader-Cache" not in as_json_ld
    other_page = anon.get(FEED, {"page_size": 1})
    assert "X-Reader-Cache" not in other_page
    assert len(other_page.json()["dataFeedElement"]) == 1


def test_the_kept_etag_answers_304(anon, desk):
    etag = anon.get(f"/api/v1/explainers/{desk.explainer.pk}/")["ETag"]
    again = anon.get(f"/api/v1/explainers/{desk.explainer.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag


def test_the_feeds_link_header_is_kept(anon, desk):
    first = anon.get(FEED, {"page_size": 2})
    second = anon.get(FEED, {"page_size": 2})
    assert second["X-Reader-Cache"] == "hit"
    assert second["Link"] == first["Link"] and 'rel="next"' in second["Link"]


def test_gzip_for_clients_that_ask_for_it(anon, desk):
    plain = anon.get(CLAIMS)
    zipped = anon.get(CLAIMS, HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert "Accept-Encoding" in zipped["Vary"]


def test_publishing_a_verdict_is_in_the_next_poll(anon, desk, editor):
    before = anon.get(CLAIMS, {"verdict": "false"})
    assert desk.unpublished.pk not in ids(before)
    workflow.verification_submit(verification=desk.draft, by=desk.draft.author)
    workflow.verification_publish(verification=desk.draft, by=editor)
    after = anon.get(CLAIMS, {"verdict": desk.draft.verdict})
    assert "X-Reader-Cache" not in after
    assert desk.draft.claim.pk in ids(after)


def test_unpublishing_an_explainer_takes_it_out_at_once(anon, desk, editor):
    path = f"/api/v1/explainers/{desk.explainer.pk}/"
    assert anon.get(path).status_code == 200
    assert anon.get(path)["X-Reader-Cache"] == "hit"
    workflow.explainer_unpublish(explainer=desk.explainer, by=editor, reason="Under review.")
    assert anon.get(path).status_code == 404
    assert desk.explainer.pk not in ids(anon.get("/api/v1/explainers/"))


def test_desk_staff_are_never_served_from_the_cache_nor_stored_in_it(anon, as_editor, desk):
    anon.get(CLAIMS)
    desk_view = as_editor.get(CLAIMS)
    assert "X-Reader-Cache" not in desk_view
    assert desk.unpublished.pk in ids(desk_view)
    # and the other way round: the desk's view, with drafts, is never kept for readers
    anon_path = "/api/v1/claims/?ordering=id"
    assert desk.unpublished.pk in ids(as_editor.get(anon_path))
    readers = anon.get(anon_path)
    assert "X-Reader-Cache" not in readers
    assert desk.unpublished.pk not in ids(readers) and SECRET not in readers.content.decode()


def test_logged_in_sessions_are_not_cached(anon, client, desk, editor):
    anon.get(CLAIMS)
    client.force_login(editor)
    response = client.get(CLAIMS, HTTP_ACCEPT="application/json")
    assert "X-Reader-Cache" not in response
    assert desk.unpublished.pk in ids(response)


def test_the_browsable_api_is_not_cached(anon, desk):
    for _ in range(2):
        page = anon.get(CLAIMS, HTTP_ACCEPT="text/html")
        assert page["Content-Type"].startswith("text/html")
        assert "X-Reader-Cache" not in page


def test_free_text_searches_are_not_kept(anon, desk):
    for _ in range(2):
        response = anon.get(CLAIMS, {"search": "Toretsk"})
        assert response.status_code == 200 and "X-Reader-Cache" not in response


def test_errors_are_not_cached(anon, desk):
    for _ in range(2):
        response = anon.get(CLAIMS, {"verdict": "nonsense"})
        assert response.status_code == 400 and "X-Reader-Cache" not in response


def test_the_rate_limit_still_counts_polls_answered_from_the_cache(anon, desk, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute"},
    }
    statuses = [anon.get(CLAIMS).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_anonymous_reads_say_how_long_they_may_be_reused(anon, as_editor, desk, settings):
    public = anon.get(CLAIMS)
    cache_control = public["Cache-Control"]
    assert "public" in cache_control
    assert f"max-age={settings.READER_BROWSER_MAX_AGE}" in cache_control
    assert f"s-maxage={settings.READER_CDN_MAX_AGE}" in cache_control
    hit = anon.get(CLAIMS)
    assert hit["X-Reader-Cache"] == "hit" and "public" in hit["Cache-Control"]
    staff = as_editor.get(CLAIMS)
    assert "private" in staff["Cache-Control"] and "public" not in staff["Cache-Control"]


def test_a_304_varies_as_its_200_does(anon, desk):
    first = anon.get(CLAIMS, HTTP_ACCEPT_ENCODING="gzip")
    for _ in range(2):  # rendered afresh, then from the reader cache
        again = anon.get(CLAIMS, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
        assert "Accept-Encoding" in again["Vary"]
        assert "public" in again["Cache-Control"]


@pytest.mark.parametrize("path", [CLAIMS, f"{CLAIMS}?page_size=1", FEED])
def test_the_browsable_api_sets_its_csrf_cookie_on_an_answer_no_shared_cache_may_keep(
    anon, desk, path
):
    """Its page links to the login form and sets a CSRF cookie: a CDN keeping it (it said
    `public, s-maxage=60`) would hand one reader's cookie to the next."""
    response = anon.get(path, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert not {"public", "s-maxage=60"} & directives
    assert "Surrogate-Control" not in response
    # The same address as JSON sets no cookie and is every reader's.
    plain = anon.get(path)
    assert not plain.cookies
    assert "public" in plain["Cache-Control"]
