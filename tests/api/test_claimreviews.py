"""The ClaimReview feed: what a fact-check aggregator ingests."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims import selectors
from claims.models import Claim
from claims.web import jsonld

from .. import factories
from .conftest import SECRET

pytestmark = pytest.mark.django_db


def reviewed_urls(response):
    assert response.status_code == 200, response.content
    feed = response.json()
    assert feed["@context"][0] == "https://schema.org"
    assert feed["@type"] == "DataFeed"
    return [element["item"]["url"] for element in feed["dataFeedElement"]]


def test_feed_holds_the_site_claim_review_of_each_assessed_claim(anon, desk, rf):
    feed = anon.get("/api/v1/claimreviews/").json()
    items = {element["item"]["url"]: element for element in feed["dataFeedElement"]}
    assert len(items) == 3
    claim = (
        selectors.claims_for_readers()
        .select_related("claimant")
        .prefetch_related(*selectors.reader_claim_prefetches())
        .get(pk=desk.capture.pk)
    )
    expected = jsonld.claim_review(claim, rf.get("/", HTTP_HOST="testserver"))
    expected.pop("@context")
    element = items[expected["url"]]
    assert element["item"] == expected
    assert element["@type"] == "DataFeedItem"
    assert element["dateModified"] == expected["dateModified"]
    assert element["item"]["reviewRating"]["alternateName"] == "Disputed"


def test_feed_shows_no_draft_verdict_and_no_confidential_name(anon, desk):
    text = anon.get("/api/v1/claimreviews/").content.decode()
    assert SECRET not in text
    assert "an officer serving in the area" in text
    assert '"alternateName":"False"' not in text


def test_claims_cited_but_not_assessed_are_not_in_the_feed(anon, desk, make_live_explainer):
    cited = factories.ClaimFactory(statement="Cited but not assessed")
    make_live_explainer().explainer_claims.create(claim=cited)
    assert "Cited but not assessed" not in anon.get("/api/v1/claimreviews/").content.decode()


def test_feed_filtered_by_updated_since(anon, desk):
    Claim.objects.exclude(pk=desk.holding.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=20)
    )
    since = (timezone.now() - datetime.timedelta(days=1)).date().isoformat()
    urls = reviewed_urls(anon.get("/api/v1/claimreviews/", {"updated_since": since}))
    assert len(urls) == 1 and f"/claims/{desk.holding.pk}-" in urls[0]


def test_feed_pages_are_linked_in_the_link_header(anon, desk):
    first = anon.get("/api/v1/claimreviews/", {"page_size": 2})
    assert len(reviewed_urls(first)) == 2
    assert 'rel="next"' in first["Link"]
    second = anon.get("/api/v1/claimreviews/", {"page_size": 2, "page": 2})
    assert len(reviewed_urls(second)) == 1
    assert 'rel="prev"' in second["Link"]


def test_feed_is_served_as_json_ld_when_asked(anon, desk):
    response = anon.get("/api/v1/claimreviews/", HTTP_ACCEPT="application/ld+json")
    assert response["Content-Type"] == "application/ld+json"
    etag = response["ETag"]
    assert anon.get("/api/v1/claimreviews/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_desk_gets_the_same_public_feed(anon, as_editor, desk):
    assert as_editor.get("/api/v1/claimreviews/").json() == anon.get("/api/v1/claimreviews/").json()


def test_feed_queries_do_not_grow_with_its_length(anon, desk, publish_verification):
    def count():
        with CaptureQueriesContext(connection) as captured:
            assert anon.get("/api/v1/claimreviews/", {"page_size": 100}).status_code == 200
        return len(captured)

    before = count()
    for _ in range(4):
        claim = factories.ClaimFactory()
        evidence = factories.EvidenceFactory(claim=claim, archived_url="https://arch.example/1")
        claim.appearances.create(article=factories.ArticleFactory())
        publish_verification(claim, evidence=[evidence])
    # Not more: the first read may also have read the schedule of explainers, kept since.
    assert count() <= before


def published_review_urls(request_host="http://testserver"):
    """The claim page address of every claim readers see with a published verdict."""

    return {
        request_host + claim.get_absolute_url() for claim in selectors.assessed_claims_for_readers()
    }


def test_a_feed_reader_follows_the_feed_to_its_end_from_the_body_alone(anon, desk):
    url, seen, pages = "/api/v1/claimreviews/?page_size=1", [], 0
    while url:
        response = anon.get(url)
        seen += reviewed_urls(response)
        feed = response.json()
        assert feed["@context"][1]["next"]["@id"] == "hydra:next"
        assert (feed["previous"] is None) == (pages == 0)
        url, pages = feed["next"], pages + 1
    assert pages == 3
    assert len(seen) == len(set(seen))
    assert set(seen) == published_review_urls()


def test_the_whole_feed_is_one_file_of_every_published_review_once(anon, desk, monkeypatch):
    from claims.api.pagination import UncountedPagination

    monkeypatch.setattr(UncountedPagination, "page_size", 2)  # the file has no pages at all
    response = anon.get("/api/v1/claimreviews.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    feed = response.json()
    assert feed["@type"] == "DataFeed" and "next" not in feed
    urls = [element["item"]["url"] for element in feed["dataFeedElement"]]
    assert len(urls) == len(set(urls))
    assert set(urls) == published_review_urls()
    assert SECRET not in response.content.decode()
    assert "Link" not in response
    paged = anon.get("/api/v1/claimreviews/", {"page_size": 100}).json()
    assert feed["dataFeedElement"] == paged["dataFeedElement"]


def test_the_whole_feed_file_is_read_a_chunk_of_claims_at_a_time_and_tagged_by_its_lists(
    anon, desk, monkeypatch, settings
):
    """Read whole, the benchmark's archive (50,000 claims with verdicts) asked PostgreSQL for
    more than its 65,535 parameters at once (a 503), and named every claim in its surrogate
    keys; a chunk at a time it is the same file, tagged with the lists of what it shows: the
    claims, their claimants and the outlets of their articles (sources), the articles."""
    from django.core.cache import cache

    from claims.api.views import feed
    from claims.web.cache.store import local_pages

    whole = anon.get("/api/v1/claimreviews.jsonld")
    assert len(whole.json()["dataFeedElement"]) >= 3
    assert set(whole[settings.SURROGATE_KEY_HEADER].split()) == {
        "all",
        "claims",
        "sources",
        "articles",
    }
    monkeypatch.setattr(feed, "FILE_CHUNK", 2)
    cache.clear()
    local_pages.clear()
    with CaptureQueriesContext(connection) as queries:
        chunked = anon.get("/api/v1/claimreviews.jsonld")
    assert chunked.content == whole.content
    asked = [
        listed.split(",")
        for query in queries.captured_queries
        for listed in re.findall(r" IN \(([0-9, ]+)\)", query["sql"])
    ]
    assert asked and max(map(len, asked)) <= 2


def test_the_whole_feed_file_is_revalidated_and_rebuilt_when_a_verdict_is_published(
    anon, desk, publish_verification, served_a_second_later
):
    first = anon.get("/api/v1/claimreviews.jsonld")
    assert first["ETag"] and first["Last-Modified"]
    assert (
        anon.get("/api/v1/claimreviews.jsonld", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    )
    claim = factories.ClaimFactory(statement="A claim assessed after the first download")
    factories.VerificationFactory(claim=claim, rationale=f"Draft {SECRET}")
    unchanged = anon.get("/api/v1/claimreviews.jsonld", HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304  # a draft saved changes nothing readers get
    publish_verification(claim, "confirmed")
    again = anon.get("/api/v1/claimreviews.jsonld", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "A claim assessed after the first download" in again.content.decode()
    assert again["ETag"] != first["ETag"]


def test_the_whole_feed_file_takes_no_parameters_and_no_writes(anon, as_editor, desk):
    assert anon.get("/api/v1/claimreviews.jsonld", {"page": 2}).status_code == 400
    refused = as_editor.post("/api/v1/claimreviews.jsonld", {})
    assert refused.status_code == 405 and refused.json()["status"] == 405
