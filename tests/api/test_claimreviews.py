"""The ClaimReview feed: what a fact-check aggregator ingests."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims import selectors
from claims.models import Claim
from claims.site import jsonld

from .. import factories
from .conftest import SECRET

pytestmark = pytest.mark.django_db


def reviewed_urls(response):
    assert response.status_code == 200, response.content
    feed = response.json()
    assert feed["@context"] == "https://schema.org"
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
    assert count() == before
