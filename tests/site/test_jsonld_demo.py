"""Structured data on the demo desk (`manage.py load_demo`): the ClaimReview of every claim it
has published, whole and named alike. A module of its own: the demo is loaded into a
database without the desk the other structured-data tests keep (tests/shared_rows.py)."""

import io

import pytest
from django.core.management import call_command

from claims.devtools import demo
from claims.models import Claim

from .test_jsonld import structured_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_desk(db):
    call_command("load_demo", stdout=io.StringIO())


def test_claim_review_of_the_demo_capture_claim_has_every_property(client, demo_desk, settings):
    settings.DESK = {**settings.DESK, "ORGANISATION_NAME": "Kyiv Claims Desk"}
    claim = Claim.objects.get(slug=demo.CAPTURE_CLAIM)
    url = claim.get_absolute_url()
    (review,), html = structured_data(client, url)

    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == f"http://testserver{url}"
    assert f'<link rel="canonical" href="{review["url"]}">' in html
    assert review["claimReviewed"] == claim.statement  # whole, never cut
    assert review["author"] == {
        "@type": "NewsMediaOrganization",
        "name": "Kyiv Claims Desk",
        "url": "http://testserver/",
    }
    verifications = list(claim.verifications.filter(status="published").order_by("published_at"))
    assert review["datePublished"] == verifications[0].published_at.isoformat()
    assert review["dateModified"] == verifications[-1].published_at.isoformat()

    rating = review["reviewRating"]
    assert rating == {
        "@type": "Rating",
        "name": "Disputed",
        "ratingValue": 4,
        "bestRating": 7,
        "worstRating": 1,
        "alternateName": "Disputed",
        "ratingExplanation": rating["ratingExplanation"],
    }
    assert len(rating["ratingExplanation"]) > 20
    assert "<" not in rating["ratingExplanation"]  # Markdown rendered to plain text

    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {
        "@type": "Organization",
        "name": "Russian Defence Ministry",
        "url": claim.claimant.home_url,
        "sameAs": claim.claimant.home_url,
    }
    assert item["datePublished"] == "2025-02-07"
    assert len(item["appearance"]) == claim.appearances.count() >= 1
    for work in item["appearance"]:
        assert work["@type"] == "CreativeWork" and work["url"].startswith("https://")
    assert item["firstAppearance"] == item["appearance"][0]
    assert item["firstAppearance"]["datePublished"][:10] == item["datePublished"]


def test_every_claim_review_of_the_demo_is_whole_named_and_in_order(client, demo_desk):
    ratings = {}
    for claim in Claim.objects.exclude(current_verdict=""):
        (review, *_), _ = structured_data(client, claim.get_absolute_url())
        assert review["claimReviewed"] == claim.statement
        rating = review["reviewRating"]
        assert rating["name"] == rating["alternateName"]
        ratings.setdefault(rating["ratingValue"], set()).add(rating["name"])
        item = review["itemReviewed"]
        first = item.get("firstAppearance")
        # A first appearance dated after the claim was made would contradict datePublished.
        assert first is None or first["datePublished"][:10] <= item["datePublished"]
        if claim.claimant.home_url and not claim.claimant.is_confidential:
            assert item["author"]["sameAs"] == claim.claimant.home_url
    assert all(len(names) == 1 for names in ratings.values()), ratings
