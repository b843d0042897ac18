"""`?search=` on the lists uses the reader site's search, and finds only published material."""

import pytest

from .conftest import SECRET, ids

pytestmark = pytest.mark.django_db


def test_claims_search_finds_matching_published_claims(anon, desk):
    assert ids(anon.get("/api/v1/claims/", {"search": "brigade positions"})) == {desk.holding.pk}


def test_search_finds_nothing_unpublished(anon, desk):
    for resource in ("claims", "explainers", "places", "sources"):
        response = anon.get(f"/api/v1/{resource}/", {"search": SECRET})
        assert ids(response) == set(), resource


def test_explainers_places_and_sources_search(anon, desk):
    assert ids(anon.get("/api/v1/explainers/", {"search": "hilltop"})) == {desk.explainer.pk}
    assert ids(anon.get("/api/v1/places/", {"search": "Dzerzhynsk"})) == {desk.toretsk.pk}
    assert ids(anon.get("/api/v1/sources/", {"search": "mapping"})) == {desk.mapper.pk}


def test_search_combines_with_filters_and_ordering(anon, desk):
    params = {"search": "Toretsk", "verdict": "disputed", "ordering": "claimed_on"}
    assert ids(anon.get("/api/v1/claims/", params)) == {desk.capture.pk}


def test_odd_search_text_is_not_an_error(anon, desk):
    for text in ["", "   ", '"unclosed', "-", "a" * 5000, "<script>", "\u0000"]:
        assert anon.get("/api/v1/claims/", {"search": text}).status_code == 200


def test_lists_without_search_refuse_the_parameter(anon, desk):
    response = anon.get("/api/v1/verifications/", {"search": "Toretsk"})
    assert response.status_code == 400
    assert "search" in response.json()["errors"]


@pytest.mark.parametrize(
    "resource, expected",
    [("claims", 3), ("explainers", 1), ("places", 1), ("sources", 1)],
)
def test_unpublished_matches_change_nothing_in_a_search(anon, kupiansk, resource, expected):
    url = f"/api/v1/{resource}/"
    before = anon.get(url, {"search": "Kupiansk", "page_size": 100}).json()
    kupiansk.add_hidden_matches()
    after = anon.get(url, {"search": "Kupiansk", "page_size": 100}).json()
    assert after == before
    assert after["count"] == expected


def test_the_claimreview_feed_search_ignores_unpublished_matches(anon, kupiansk):
    kupiansk.add_hidden_matches()
    feed = anon.get("/api/v1/claimreviews/", {"search": "Kupiansk"}).json()
    reviewed = {item["item"]["claimReviewed"] for item in feed["dataFeedElement"]}
    assert reviewed == {claim.statement for claim in kupiansk.claims}


def test_search_finds_a_claimant_a_misspelt_town_and_a_region(anon, far_towns):
    assert ids(anon.get("/api/v1/claims/", {"search": "Grossi"})) == {far_towns.shutdown.pk}
    assert ids(anon.get("/api/v1/places/", {"search": "bakhmt"})) == {far_towns.bakhmut.pk}
    assert ids(anon.get("/api/v1/claims/", {"search": "bakhmt"})) == {far_towns.withdrawal.pk}
    assert ids(anon.get("/api/v1/sources/", {"search": "Zelenskiy"})) == {far_towns.zelensky.pk}
    assert ids(anon.get("/api/v1/places/", {"search": "Zaporizhzhia"})) == {far_towns.enerhodar.pk}


def test_search_by_a_confidential_sources_real_name_finds_nothing(anon, far_towns):
    for resource in ("claims", "places", "sources"):
        assert ids(anon.get(f"/api/v1/{resource}/", {"search": "Hrytsenko"})) == set(), resource
