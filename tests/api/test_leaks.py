"""Nothing unpublished or confidential reaches a reader through the API.

Readers are anonymous consumers and consumers with a token but no desk role. The `desk`
fixture puts SECRET in every draft, unpublished claim, hidden article, draft-only evidence,
draft explainer and confidential source; no response to a reader may contain it, and no
count or filter may reveal them.
"""

import pytest
from django.contrib.auth import get_user_model

from .conftest import SECRET, ids

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


@pytest.fixture(params=["anonymous", "consumer token"])
def reader(request, anon, client_for, db):
    if request.param == "anonymous":
        return anon
    consumer = get_user_model().objects.create_user("consumer", is_staff=False)
    return client_for(consumer)


@pytest.mark.parametrize("resource", LISTS)
def test_no_list_shows_unpublished_or_confidential_material(reader, desk, resource):
    response = reader.get(f"/api/v1/{resource}/", {"page_size": 100})
    assert response.status_code == 200
    assert SECRET not in response.content.decode()


def test_unpublished_claims_make_no_page_of_a_list_exist(reader, desk):
    from tests import factories

    for n in range(45):
        factories.ClaimFactory(statement=f"Unpublished claim {n} {SECRET}")
    for resource in ("claims", "claimreviews"):
        url = f"/api/v1/{resource}/"
        assert reader.get(url, {"page_size": 20}).status_code == 200
        for page in ("2", "3"):
            assert reader.get(url, {"page_size": 20, "page": page}).status_code == 404


def test_list_counts_are_of_published_material_only(reader, desk):
    counts = {r: reader.get(f"/api/v1/{r}/").json()["count"] for r in LISTS}
    assert counts == {
        "sources": 3,  # ministry, brigade, mapper: not the confidential or unpublished ones
        "articles": 1,
        "places": 2,  # Toretsk, Pivnichne
        "claims": 3,
        "verifications": 4,
        "evidence": 2,
        "explainers": 1,
        "corrections": 1,
    }


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/claims/{desk.unpublished.pk}/",
        "/api/v1/verifications/{desk.draft.pk}/",
        "/api/v1/evidence/{desk.draft_only_evidence.pk}/",
        "/api/v1/explainers/{desk.draft_explainer.pk}/",
        "/api/v1/sources/{desk.confidential.pk}/",
        "/api/v1/sources/{desk.unpublished_source.pk}/",
        "/api/v1/articles/{desk.hidden_article.pk}/",
        "/api/v1/places/{desk.hidden_place.pk}/",
    ],
)
def test_unpublished_details_are_404_like_missing_ones(reader, desk, url):
    response = reader.get(url.format(desk=desk))
    assert response.status_code == 404
    assert response.json() == reader.get("/api/v1/claims/999999/").json()
    assert SECRET not in response.content.decode()


def test_confidential_claimant_is_shown_by_redacted_description_only(reader, desk):
    response = reader.get(f"/api/v1/claims/{desk.officer.pk}/")
    claimant = response.json()["claimant"]
    assert claimant == {
        "id": None,
        "api_url": None,
        "name": "an officer serving in the area",
        "kind": None,
        "affiliation": "ukrainian_state",
        "is_confidential": True,
    }
    assert SECRET not in response.content.decode()


def test_confidential_evidence_source_is_redacted(reader, desk):
    response = reader.get(f"/api/v1/evidence/{desk.officer_account.pk}/")
    assert response.json()["source"]["name"] == "an officer serving in the area"
    assert response.json()["source"]["id"] is None


def test_claim_shows_neither_draft_verdict_nor_unpublished_linked_claim(reader, desk):
    data = reader.get(f"/api/v1/claims/{desk.capture.pk}/").json()
    assert [step["verdict"] for step in data["verdict_history"]] == ["unconfirmed", "disputed"]
    assert data["current_verdict"] == "disputed"
    assert [link["claim"]["id"] for link in data["linked_claims"]] == [desk.holding.pk]
    assert SECRET not in str(data)


@pytest.mark.parametrize(
    "resource, params",
    [
        ("claims", {"claimant": "{desk.confidential.pk}"}),
        ("claims", {"claimant": "{desk.unpublished_source.pk}"}),
        ("claims", {"place": "Hamlet SECRET-DESK-ONLY"}),
        ("claims", {"explainer": "{desk.draft_explainer.pk}"}),
        ("claims", {"verdict": "false"}),
        ("verifications", {"verdict": "false"}),
        ("verifications", {"status": "draft"}),
        ("verifications", {"claim": "{desk.unpublished.pk}"}),
        ("evidence", {"source": "{desk.unpublished_source.pk}"}),
        ("evidence", {"source": "{desk.confidential.pk}"}),
        ("articles", {"outlet": "{desk.unpublished_source.pk}"}),
        ("explainers", {"status": "draft"}),
        ("explainers", {"place": "hidden-hamlet"}),
        ("corrections", {"explainer": "{desk.draft_explainer.pk}"}),
    ],
)
def test_filters_naming_hidden_material_find_nothing(reader, desk, resource, params):
    params = {key: value.format(desk=desk) for key, value in params.items()}
    assert ids(reader.get(f"/api/v1/{resource}/", params)) == set()


def test_has_evidence_counts_only_published_evidence(reader, desk):
    # Evidence that no published verification cites does not count for readers.
    from tests import factories

    factories.EvidenceFactory(claim=desk.holding, description=f"Unused {SECRET}")
    with_evidence = ids(reader.get("/api/v1/claims/", {"has_evidence": "true"}))
    without = ids(reader.get("/api/v1/claims/", {"has_evidence": "false"}))
    assert with_evidence == {desk.capture.pk, desk.officer.pk}
    assert without == {desk.holding.pk}


def test_explainer_shows_only_corrections_whose_time_has_come(reader, desk, editor):
    from datetime import timedelta

    from django.utils import timezone

    from claims.models import Correction

    Correction.objects.create(
        explainer=desk.explainer,
        kind="update",
        text=f"Scheduled note {SECRET}",
        published_at=timezone.now() + timedelta(days=1),
        created_by=editor,
    )
    response = reader.get(f"/api/v1/explainers/{desk.explainer.pk}/")
    assert [c["id"] for c in response.json()["corrections"]] == [desk.correction.pk]
    assert SECRET not in response.content.decode()
    assert SECRET not in reader.get("/api/v1/corrections/").content.decode()


def test_readers_do_not_get_desk_only_fields(reader, desk):
    verification = reader.get(f"/api/v1/verifications/{desk.second.pk}/").json()
    assert not {"author", "reviewer", "review_note", "submitted_at"} & set(verification)
    article = reader.get(f"/api/v1/articles/{desk.wire.pk}/").json()
    assert not {"body", "raw_text", "imported_by", "imported_from"} & set(article)
    claim = reader.get(f"/api/v1/claims/{desk.capture.pk}/").json()
    assert "created_by" not in claim
