"""Filters, ordering, search and pagination of the lists, as a consumer uses them."""

import datetime

import pytest
from django.utils import timezone

from claims.models import Claim, Verification

from .. import factories
from .conftest import ids

pytestmark = pytest.mark.django_db

CLAIMS = "/api/v1/claims/"
FEED = "/api/v1/claimreviews/"


def test_claims_about_a_place_whose_verdict_changed_since_a_date(anon, desk):
    Claim.objects.filter(pk=desk.holding.pk).update(
        current_verdict_as_of=timezone.now() - datetime.timedelta(days=30)
    )
    since = (timezone.now() - datetime.timedelta(days=1)).date().isoformat()
    found = ids(anon.get("/api/v1/claims/", {"place": "Toretsk", "verdict_changed_since": since}))
    assert found == {desk.capture.pk, desk.officer.pk}


@pytest.mark.parametrize("name", ["Toretsk", "toretsk", "Dzerzhynsk", "DZERZHYNSK"])
def test_claims_by_any_name_of_a_place(anon, desk, name):
    assert ids(anon.get("/api/v1/claims/", {"place": name})) == {
        desk.capture.pk,
        desk.holding.pk,
        desk.officer.pk,
    }


def test_claims_by_current_verdict_including_not_yet_assessed(anon, desk, make_live_explainer):
    cited = factories.ClaimFactory()
    explainer = make_live_explainer()
    explainer.explainer_claims.create(claim=cited, position=0)
    assert ids(anon.get("/api/v1/claims/", {"verdict": "disputed"})) == {desk.capture.pk}
    assert ids(anon.get("/api/v1/claims/", {"verdict": ["disputed", "likely_true"]})) == {
        desk.capture.pk,
        desk.holding.pk,
    }
    assert ids(anon.get("/api/v1/claims/", {"verdict": "none"})) == {cited.pk}


def test_claims_by_claimant_and_affiliation(anon, desk):
    assert ids(anon.get("/api/v1/claims/", {"claimant": desk.ministry.pk})) == {desk.capture.pk}
    assert ids(anon.get("/api/v1/claims/", {"claimant_affiliation": "ukrainian_state"})) == {
        desk.holding.pk,
        desk.officer.pk,
    }


def test_claims_by_date_range(anon, desk):
    dates = {"claimed_from": "2025-02-08", "claimed_to": "2025-02-08"}
    found = ids(anon.get("/api/v1/claims/", dates))
    assert found == {desk.holding.pk}


def test_claims_cited_by_an_explainer(anon, desk):
    assert ids(anon.get("/api/v1/claims/", {"explainer": desk.explainer.pk})) == {
        desk.capture.pk,
        desk.holding.pk,
        desk.officer.pk,
    }


def test_claims_updated_since(anon, desk):
    Claim.objects.exclude(pk=desk.capture.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=10)
    )
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert ids(anon.get("/api/v1/claims/", {"updated_since": since})) == {desk.capture.pk}


def test_verifications_by_verdict_claim_and_date(anon, desk):
    assert ids(anon.get("/api/v1/verifications/", {"verdict": "unconfirmed"})) == {
        desk.first.pk,
        desk.officer_verdict.pk,
    }
    assert ids(anon.get("/api/v1/verifications/", {"claim": desk.capture.pk})) == {
        desk.first.pk,
        desk.second.pk,
    }
    Verification.objects.filter(pk=desk.first.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=5)
    )
    until = (timezone.now() - datetime.timedelta(days=2)).isoformat()
    assert ids(anon.get("/api/v1/verifications/", {"published_until": until})) == {desk.first.pk}


def test_explainers_by_place_and_published_or_updated_since(anon, desk):
    assert ids(anon.get("/api/v1/explainers/", {"place": "Dzerzhynsk"})) == {desk.explainer.pk}
    assert ids(anon.get("/api/v1/explainers/", {"place": "Pivnichne"})) == set()
    tomorrow = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    assert ids(anon.get("/api/v1/explainers/", {"updated_since": tomorrow})) == set()
    assert ids(anon.get("/api/v1/explainers/", {"published_since": "2020-01-01"})) == {
        desk.explainer.pk
    }


def test_articles_by_outlet_and_date(anon, desk):
    desk.wire.published_at = timezone.now() - datetime.timedelta(days=3)
    desk.wire.save()
    assert ids(anon.get("/api/v1/articles/", {"outlet": desk.mapper.pk})) == {desk.wire.pk}
    assert ids(anon.get("/api/v1/articles/", {"outlet": desk.ministry.pk})) == set()
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert ids(anon.get("/api/v1/articles/", {"published_since": since})) == set()


def test_sources_places_evidence_and_corrections_filters(anon, desk):
    assert ids(anon.get("/api/v1/sources/", {"affiliation": "independent"})) == {desk.mapper.pk}
    assert ids(anon.get("/api/v1/sources/", {"name": "brigade"})) == {desk.brigade.pk}
    assert ids(anon.get("/api/v1/places/", {"name": "Dzerzhynsk"})) == {desk.toretsk.pk}
    assert ids(anon.get("/api/v1/evidence/", {"kind": "satellite_imagery"})) == {desk.imagery.pk}
    assert ids(anon.get("/api/v1/corrections/", {"explainer": desk.explainer.pk})) == {
        desk.correction.pk
    }


def test_ordering_is_applied_and_ends_with_the_id(anon, desk):
    response = anon.get("/api/v1/claims/", {"ordering": "claimed_on"})
    assert [c["id"] for c in response.json()["results"]] == [
        desk.capture.pk,
        desk.holding.pk,
        desk.officer.pk,
    ]
    response = anon.get("/api/v1/claims/", {"ordering": "-claimed_on"})
    assert [c["id"] for c in response.json()["results"]] == [
        desk.officer.pk,
        desk.holding.pk,
        desk.capture.pk,
    ]


def test_unknown_ordering_is_a_400_naming_what_is_offered(anon, desk):
    response = anon.get("/api/v1/claims/", {"ordering": "claimant__name"})
    assert response.status_code == 400
    assert "claimed_on" in response.json()["errors"]["ordering"][0]


def test_pages_of_equal_rows_never_overlap(anon, desk, publish_verification):
    source = factories.SourceFactory()
    made = set()
    for _ in range(7):
        claim = factories.ClaimFactory(claimant=source, claimed_on=datetime.date(2024, 1, 1))
        publish_verification(claim)
        made.add(claim.pk)
    seen = []
    page = 1
    while True:
        response = anon.get(
            "/api/v1/claims/", {"claimed_to": "2024-12-31", "page_size": 3, "page": page}
        )
        seen += [c["id"] for c in response.json()["results"]]
        if not response.json()["next"]:
            break
        page += 1
    assert len(seen) == len(set(seen)) == 7
    assert set(seen) == made


def test_page_size_is_capped_at_the_maximum(anon, desk, monkeypatch):
    from claims.api.pagination import DeskPagination

    monkeypatch.setattr(DeskPagination, "max_page_size", 2)
    response = anon.get("/api/v1/claims/", {"page_size": 10**30})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 2
    assert response.json()["count"] == 3


def test_desk_sees_drafts_and_filters_them(as_reporter, desk):
    assert ids(as_reporter.get("/api/v1/verifications/", {"status": "draft"})) == {desk.draft.pk}
    assert desk.unpublished.pk in ids(as_reporter.get("/api/v1/claims/", {"page_size": 100}))
    officer = as_reporter.get(f"/api/v1/claims/{desk.officer.pk}/").json()
    assert officer["claimant"]["name"] == desk.confidential.name


# --- a list asked for with none of its filters skips the filterset (filters.FilterBackend):
# every parameter as before -------------------------------


@pytest.mark.parametrize("path", [CLAIMS, FEED])
@pytest.mark.parametrize(
    "query", ["bogus=1", "verdict=false&bogus=1", "Verdict=false", "verdict[]=false"]
)
def test_an_unknown_parameter_is_still_a_400(anon, desk, path, query):
    response = anon.get(f"{path}?{query}")
    assert response.status_code == 400, response.content


@pytest.mark.parametrize("path", [CLAIMS, FEED])
@pytest.mark.parametrize(
    "query",
    [
        "verdict=bogus",
        "has_evidence=perhaps",
        "explainer=0",
        "claimant=x",
        "claimed_from=yesterday",
        "updated_since=1800-01-01",
    ],
)
def test_a_bad_filter_value_is_still_a_400(anon, desk, path, query):
    assert anon.get(f"{path}?{query}").status_code == 400


@pytest.mark.parametrize(
    "query",
    ["", "claimant=", "place=", "has_evidence=", "explainer=", "updated_since="],
)
def test_a_filter_given_empty_filters_nothing(anon, desk, query):
    assert ids(anon.get(f"{CLAIMS}?{query}")) == {desk.capture.pk, desk.holding.pk, desk.officer.pk}


def test_a_repeated_filter_is_any_of_its_values(anon, desk):
    both = anon.get(f"{CLAIMS}?verdict=disputed&verdict=likely_true")
    assert ids(both) == {desk.capture.pk, desk.holding.pk}


@pytest.mark.parametrize("path", [CLAIMS, FEED])
@pytest.mark.parametrize("query", ["verdict=", "verdict=disputed&verdict="])
def test_an_empty_verdict_is_refused_as_before(anon, desk, path, query):
    """django-filter's multiple choice takes "" for a choice: a 400, with or without the
    shortcut (the filterset is built whenever a filter's name is given)."""
    assert anon.get(f"{path}?{query}").status_code == 400


def test_a_filter_on_a_claims_own_address_still_applies(anon, desk):
    """The detail reads the filtered queryset as before (get_object runs the filters)."""
    url = f"{CLAIMS}{desk.capture.pk}/"
    assert anon.get(url).status_code == 200
    assert anon.get(f"{url}?verdict=false").status_code == 404
    assert anon.get(f"{url}?verdict=disputed").status_code == 200


@pytest.mark.parametrize("query", ["_=1699999999", "page=2", "ordering=-id", "verdict=false&x=1"])
def test_an_objects_own_address_refuses_a_parameter_it_does_not_take(anon, desk, query):
    """As a list does: each such spelling would otherwise be rendered and kept anew."""
    response = anon.get(f"{CLAIMS}{desk.capture.pk}/?{query}")
    assert response.status_code == 400
    assert "Unknown parameter. This address accepts:" in response.content.decode()
    assert "format" in response.json()["errors"][next(iter(response.json()["errors"]))][0]
    assert anon.get(f"{CLAIMS}{desk.capture.pk}/?format=json").status_code == 200


def test_a_readers_assigned_to_filter_is_still_refused(anon, desk):
    assert anon.get(f"{CLAIMS}?assigned_to=me").status_code == 400
    assert anon.get(f"{FEED}?assigned_to=none").status_code == 400
