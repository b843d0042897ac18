"""The desk's merge and archive actions through the API: the same rules as in the admin
(claims.services), refusals that say why, and nothing half-done."""

import hashlib

import pytest

from claims.models import Claim, EvidenceCapture, MergedClaim

from .. import factories
from ..archives import PAGE, SITE_URL
from ..ingest.conftest import respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(db):
    kept = factories.ClaimFactory(statement="Russia says its forces captured Toretsk")
    duplicate = factories.ClaimFactory(statement="Moscow claims Toretsk has fallen")
    factories.EvidenceFactory(claim=duplicate, description="A map of the town centre")
    return kept, duplicate


def merge(client, duplicate, into, **extra):
    return client.post(f"/api/v1/claims/{duplicate.pk}/merge/", {"into": into, **extra})


def test_an_editor_merges_a_duplicate_and_its_address_leads_to_the_claim_kept(pair, as_editor):
    kept, duplicate = pair
    response = merge(as_editor, duplicate, kept.pk, reason="Same statement, other wording")
    assert response.status_code == 200, response.content
    assert response.json()["id"] == kept.pk
    assert response["Location"].endswith(f"/api/v1/claims/{kept.pk}/")
    assert not Claim.objects.filter(pk=duplicate.pk).exists()
    assert kept.evidence.filter(description="A map of the town centre").exists()
    assert MergedClaim.objects.get(old_id=duplicate.pk).into == kept
    moved = as_editor.get(f"/api/v1/claims/{duplicate.pk}/")
    assert moved.status_code == 301 and moved["Location"].endswith(f"/claims/{kept.pk}/")


def test_a_reporter_is_told_who_may_merge_and_nothing_moves(pair, as_reporter):
    kept, duplicate = pair
    response = merge(as_reporter, duplicate, kept.pk)
    assert response.status_code == 403
    assert "not allowed to merge" in response.json()["detail"]
    assert Claim.objects.filter(pk=duplicate.pk).exists()


@pytest.mark.parametrize(
    "into, reason",
    [(None, "missing"), ("toretsk", "not a number"), (0, "below one"), (10**9, "no such claim")],
)
def test_a_bad_claim_to_merge_into_is_a_400_naming_the_field(pair, as_editor, into, reason):
    kept, duplicate = pair
    body = {} if into is None else {"into": into}
    response = as_editor.post(f"/api/v1/claims/{duplicate.pk}/merge/", body)
    assert response.status_code == 400, reason
    assert "into" in response.json()["errors"], response.json()
    assert Claim.objects.filter(pk=duplicate.pk).exists()


def test_merging_a_claim_into_itself_or_a_live_one_away_is_refused(
    pair, as_editor, publish_verification
):
    kept, duplicate = pair
    assert merge(as_editor, duplicate, duplicate.pk).status_code == 400
    publish_verification(duplicate)
    refused = merge(as_editor, duplicate, kept.pk)
    assert refused.status_code == 409
    assert "merge the other claim into it" in refused.json()["detail"].lower()


def test_anonymous_clients_cannot_merge(pair, anon):
    kept, duplicate = pair
    assert merge(anon, duplicate, kept.pk).status_code == 401


@pytest.fixture
def page_at(web_server, settings):
    settings.SITE_URL = SITE_URL
    settings.EVIDENCE_ARCHIVE_CHROMIUM = ""  # the WARC file alone: no browser needed
    web_server.routes["/statement"] = respond(body=PAGE)
    return web_server.url


def test_archiving_keeps_a_warc_file_whose_hash_the_answer_gives(claim, page_at, as_reporter):
    evidence = factories.EvidenceFactory(claim=claim, url=page_at("/statement"))
    response = as_reporter.post(f"/api/v1/evidence/{evidence.pk}/archive/")
    assert response.status_code == 201, response.content
    body = response.json()
    capture = EvidenceCapture.objects.get(pk=body["id"])
    assert body["warc_sha256"] == hashlib.sha256(capture.warc.read()).hexdigest()
    assert (body["http_status"], body["has_screenshot"]) == (200, False)
    assert body["archived_url"].startswith(SITE_URL)
    evidence.refresh_from_db()
    assert evidence.archived_url == body["archived_url"]


def test_a_page_that_cannot_be_fetched_is_a_400_and_nothing_is_kept(claim, page_at, as_reporter):
    evidence = factories.EvidenceFactory(claim=claim, url=page_at("/gone"), archived_url="")
    response = as_reporter.post(f"/api/v1/evidence/{evidence.pk}/archive/")
    assert response.status_code == 400
    assert "could not archive" in response.json()["detail"].lower()
    assert not EvidenceCapture.objects.exists()
    evidence.refresh_from_db()
    assert evidence.archived_url == ""


def test_evidence_without_an_address_or_for_anonymous_clients_is_not_archived(
    claim, anon, as_editor
):
    evidence = factories.EvidenceFactory(claim=claim, url="")
    assert as_editor.post(f"/api/v1/evidence/{evidence.pk}/archive/").status_code == 400
    assert anon.post(f"/api/v1/evidence/{evidence.pk}/archive/").status_code == 401
    assert not EvidenceCapture.objects.exists()
