"""The number of queries a list takes does not grow with the number of rows on the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Appearance, ClaimLink, ExplainerClaim, PlaceName

from .. import factories

pytestmark = pytest.mark.django_db

LISTS = [
    "sources",
    "articles",
    "places",
    "claims",
    "verifications",
    "evidence",
    "explainers",
    "corrections",
]


@pytest.fixture
def grow(publish_verification, make_live_explainer, editor):
    """Add `size` more of everything: claims with places, appearances, links, evidence and
    published verifications, each in an explainer with a correction."""
    from claims import workflow

    def grow(size):
        previous = None
        for _ in range(size):
            place = factories.PlaceFactory()
            PlaceName.objects.create(place=place, name=f"Other name of {place.name}")
            claimant = factories.SourceFactory()
            claimant.aliases.create(name=f"Alias of {claimant.name}")
            claim = factories.ClaimFactory(claimant=claimant)
            claim.places.add(place)
            Appearance.objects.create(claim=claim, article=factories.ArticleFactory())
            evidence = [
                factories.EvidenceFactory(claim=claim, source=factories.SourceFactory())
                for _ in range(2)
            ]
            publish_verification(claim, evidence=evidence)
            publish_verification(claim, verdict="disputed", evidence=evidence[:1])
            if previous:
                ClaimLink.objects.create(from_claim=claim, to_claim=previous, relation="disputes")
            previous = claim
            explainer = make_live_explainer()
            explainer.places.add(place)
            explainer.authors.add(editor)
            ExplainerClaim.objects.create(explainer=explainer, claim=claim)
            workflow.correction_issue(explainer=explainer, by=editor, text="A fix.")

    return grow


def measured(client):
    """The queries of every list as `client` reads it, once the schedule the desk's last
    changes left to read again (version._schedule) has been read."""
    client.get(f"/api/v1/{LISTS[0]}/")
    return {name: queries(client, f"/api/v1/{name}/") for name in LISTS}


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"page_size": 100})
    assert response.status_code == 200
    return len(captured), response.json()["count"]


@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_list_queries_do_not_grow_with_page_size(grow, anon, as_editor, who):
    client = anon if who == "anonymous" else as_editor
    grow(2)
    small = measured(client)
    grow(4)
    large = measured(client)
    for name in LISTS:
        (small_queries, small_count), (large_queries, large_count) = small[name], large[name]
        assert large_count > small_count, name
        assert large_queries == small_queries, f"{name}: {small_queries} → {large_queries}"
