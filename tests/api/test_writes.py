"""The desk's writes: model permissions, read-only fields, If-Match, constraints, deletes."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from claims.models import Article, Claim, Evidence, Source, Verification

from .. import factories

pytestmark = pytest.mark.django_db


def get_etag(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response["ETag"]


def patch(client, url, data, etag=None):
    headers = {"HTTP_IF_MATCH": etag or get_etag(client, url)}
    return client.patch(url, data, format="json", **headers)


def test_reporter_records_a_claim_with_its_places(as_reporter, reporter, desk):
    response = as_reporter.post(
        "/api/v1/claims/",
        {
            "statement": "Russia says its forces entered Pivnichne",
            "quote": "Our units have entered the village.",
            "claimant_id": desk.ministry.pk,
            "claimed_on": "2025-02-11",
            "place_ids": [desk.pivnichne.pk, desk.toretsk.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert response["ETag"]
    assert data["claimant"]["id"] == desk.ministry.pk
    assert {p["name"] for p in data["places"]} == {"Pivnichne", "Toretsk"}
    assert data["slug"] == "russia-says-its-forces-entered-pivnichne"
    assert data["current_verdict"] is None
    assert data["created_by"]["username"] == "reporter"
    claim = Claim.objects.get(pk=data["id"])
    assert claim.created_by == reporter


def test_read_only_fields_are_ignored_whatever_the_client_sends(as_reporter, reporter, desk):
    response = as_reporter.post(
        "/api/v1/verifications/",
        {
            "claim": desk.holding.pk,
            "verdict": "false",
            "rationale": "Geolocated video contradicts it.",
            "status": "published",
            "author": desk.explainer.pk,
            "reviewer": 1,
            "published_at": "2025-01-01T00:00:00Z",
            "review_note": "looks fine",
            "is_current": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    verification = Verification.objects.get(pk=response.json()["id"])
    assert verification.status == "draft"
    assert verification.author == reporter
    assert verification.reviewer is None
    assert verification.published_at is None
    assert verification.review_note == ""
    desk.holding.refresh_from_db()
    assert desk.holding.current_verdict == "likely_true"

    url = f"/api/v1/claims/{desk.holding.pk}/"
    response = patch(
        as_reporter,
        url,
        {"current_verdict": "false", "current_verdict_as_of": "2020-01-01T00:00:00Z"},
    )
    assert response.status_code == 200
    desk.holding.refresh_from_db()
    assert desk.holding.current_verdict == "likely_true"

    url = f"/api/v1/evidence/{desk.draft_only_evidence.pk}/"
    response = patch(as_reporter, url, {"sha256": "0" * 64, "description": "Re-described."})
    assert response.status_code == 200
    evidence = Evidence.objects.get(pk=desk.draft_only_evidence.pk)
    assert evidence.sha256 == ""
    assert evidence.description == "Re-described."


def test_update_without_if_match_is_a_428_and_changes_nothing(as_reporter, desk):
    url = f"/api/v1/sources/{desk.brigade.pk}/"
    response = as_reporter.patch(url, {"name": "Renamed"}, format="json")
    assert response.status_code == 428
    assert response.json()["code"] == "precondition_required"
    assert Source.objects.get(pk=desk.brigade.pk).name == "A Ukrainian brigade"


def test_update_with_a_stale_etag_is_a_412(as_reporter, as_factchecker, desk):
    url = f"/api/v1/sources/{desk.brigade.pk}/"
    seen_by_reporter = get_etag(as_reporter, url)
    assert patch(as_factchecker, url, {"description": "Holds the town's north."}).status_code == 200
    response = patch(as_reporter, url, {"name": "Renamed"}, etag=seen_by_reporter)
    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"
    assert Source.objects.get(pk=desk.brigade.pk).name == "A Ukrainian brigade"


def test_update_returns_the_new_etag_for_the_next_update(as_reporter, desk):
    url = f"/api/v1/places/{desk.pivnichne.pk}/"
    first = patch(as_reporter, url, {"region": "Donetsk region"})
    assert first.status_code == 200
    assert first["ETag"] == get_etag(as_reporter, url)
    second = patch(as_reporter, url, {"population_prewar": 1200}, etag=first["ETag"])
    assert second.status_code == 200


def test_put_replaces_the_writable_fields(as_reporter, desk):
    url = f"/api/v1/places/{desk.pivnichne.pk}/"
    response = as_reporter.put(
        url,
        {
            "name": "Pivnichne",
            "kind": "village",
            "alternative_names": [{"name": "Kirove", "language": "uk", "note": "until 2016"}],
        },
        format="json",
        HTTP_IF_MATCH=get_etag(as_reporter, url),
    )
    assert response.status_code == 200, response.content
    assert response.json()["alternative_names"] == [
        {"name": "Kirove", "language": "uk", "note": "until 2016"}
    ]
    assert response.json()["kind"] == "village"


def test_source_aliases_are_replaced_by_the_list_sent(as_reporter, desk):
    desk.ministry.aliases.create(name="MoD")
    url = f"/api/v1/sources/{desk.ministry.pk}/"
    response = patch(as_reporter, url, {"aliases": ["Russian MoD", "Minoborony"]})
    assert response.status_code == 200
    assert sorted(response.json()["aliases"]) == ["Minoborony", "Russian MoD"]


def test_database_constraints_are_a_400_that_says_which(as_reporter, desk):
    response = as_reporter.post(
        "/api/v1/sources/",
        {"name": "A soldier", "kind": "individual", "is_confidential": True},
        format="json",
    )
    assert response.status_code == 400
    assert "redacted description" in response.json()["detail"]

    response = as_reporter.post(
        "/api/v1/articles/",
        {"headline": "Copy", "url": desk.wire.url, "body": "Other text."},
        format="json",
    )
    assert response.status_code == 400
    assert "already exists" in response.json()["detail"]

    response = as_reporter.post(
        "/api/v1/evidence/",
        {"claim": desk.holding.pk, "kind": "photo", "description": "A photo.", "latitude": 48},
        format="json",
    )
    assert response.status_code == 400
    assert "both latitude and longitude" in response.json()["detail"]


def test_article_import_records_who_brought_it_in(as_reporter, reporter, desk):
    response = as_reporter.post(
        "/api/v1/articles/",
        {"headline": "New report", "outlet_id": desk.mapper.pk, "body": "Text of the report."},
        format="json",
    )
    assert response.status_code == 201, response.content
    article = Article.objects.get(pk=response.json()["id"])
    assert article.imported_by == reporter
    assert article.imported_from == "API"
    assert response.json()["content_hash"] == Article.hash_of("Text of the report.")


def test_an_article_sent_through_the_api_has_its_claims_spotted_as_in_the_desk(as_reporter, desk):
    """Candidates are stored when the text arrives or changes, whichever face it comes by."""
    response = as_reporter.post(
        "/api/v1/articles/",
        {
            "headline": "Ministry report",
            "outlet_id": desk.mapper.pk,
            "body": "Russia's Defence Ministry said its forces had entered Pivnichne.",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    article = Article.objects.get(pk=response.json()["id"])
    assert article.spotting.body_hash == article.content_hash
    [candidate] = article.candidates.all()
    assert candidate.source == desk.ministry

    url = f"/api/v1/articles/{article.pk}/"
    new_body = article.body + " The General Staff said the village was still contested."
    assert patch(as_reporter, url, {"body": new_body}).status_code == 200
    article.refresh_from_db()
    assert article.spotting.body_hash == Article.hash_of(new_body)
    assert article.candidates.count() == 2

    spotted_at = article.spotting.spotted_at
    assert patch(as_reporter, url, {"byline": "Desk staff"}).status_code == 200
    article.refresh_from_db()
    assert article.spotting.spotted_at == spotted_at  # the text did not change


def test_only_drafts_and_returned_verifications_can_be_edited(as_factchecker, desk, factchecker):
    from claims import workflow

    url = f"/api/v1/verifications/{desk.draft.pk}/"
    assert patch(as_factchecker, url, {"rationale": "Better reasons."}).status_code == 200
    workflow.verification_submit(
        verification=Verification.objects.get(pk=desk.draft.pk), by=factchecker
    )
    response = patch(as_factchecker, url, {"rationale": "Even better."})
    assert response.status_code == 409
    assert "submitted" in response.json()["detail"]

    response = patch(
        as_factchecker, f"/api/v1/verifications/{desk.second.pk}/", {"verdict": "false"}
    )
    assert response.status_code == 409
    assert Verification.objects.get(pk=desk.second.pk).verdict == "disputed"


def test_verification_claim_cannot_be_moved_after_creation(as_factchecker, desk):
    url = f"/api/v1/verifications/{desk.draft.pk}/"
    assert patch(as_factchecker, url, {"claim": desk.holding.pk}).status_code == 200
    assert Verification.objects.get(pk=desk.draft.pk).claim == desk.capture


def test_evidence_cited_by_a_published_verification_is_frozen(as_editor, desk):
    response = patch(as_editor, f"/api/v1/evidence/{desk.imagery.pk}/", {"description": "New"})
    assert response.status_code == 409
    response = as_editor.delete(f"/api/v1/evidence/{desk.imagery.pk}/")
    assert response.status_code == 409
    assert Evidence.objects.filter(pk=desk.imagery.pk).exists()


def test_a_change_to_a_live_explainer_waits_for_an_editor_as_a_revision(
    as_factchecker, as_editor, as_second_editor, anon, desk
):
    url = f"/api/v1/explainers/{desk.explainer.pk}/"
    before = anon.get(url).json()["standfirst"]

    response = patch(as_factchecker, url, {"standfirst": "Changed."})

    assert response.status_code == 202, response.content
    revision = response.json()
    assert (revision["status"], revision["changed"]) == ("pending", ["standfirst"])
    assert revision["proposed"]["standfirst"] == "Changed."
    assert response["Location"] == revision["api_url"]
    assert anon.get(url).json()["standfirst"] == before
    assert anon.get(revision["api_url"]).status_code == 401
    # The desk's explainer is by `editor`: four eyes.
    refused = as_editor.post(
        f"/api/v1/revisions/{revision['id']}/publish/",
        {"kind": "update", "note": "A shorter standfirst."},
        format="json",
    )
    assert refused.status_code == 403
    published = as_second_editor.post(
        f"/api/v1/revisions/{revision['id']}/publish/",
        {"kind": "update", "note": "A shorter standfirst."},
        format="json",
    )
    assert published.status_code == 200, published.content
    assert anon.get(url).json()["standfirst"] == "Changed."


def test_explainer_claims_are_set_in_order_with_notes(as_factchecker, desk):
    response = as_factchecker.post(
        "/api/v1/explainers/",
        {
            "title": "What is known about Pivnichne",
            "slug": "pivnichne",
            "standfirst": "A village north of Toretsk.",
            "body": "The village lies on the road.",
            "place_ids": [desk.pivnichne.pk],
            "claim_entries": [
                {"claim_id": desk.holding.pk, "context_note": "The brigade's account."},
                {"claim_id": desk.capture.pk},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    claims = response.json()["claims"]
    assert [(c["position"], c["claim"]["id"]) for c in claims] == [
        (0, desk.holding.pk),
        (1, desk.capture.pk),
    ]
    assert claims[0]["context_note"] == "The brigade's account."
    assert response.json()["status"] == "draft"

    duplicate = as_factchecker.post(
        "/api/v1/explainers/",
        {
            "title": "Twice",
            "slug": "twice",
            "standfirst": "x",
            "body": "y",
            "claim_entries": [{"claim_id": desk.holding.pk}, {"claim_id": desk.holding.pk}],
        },
        format="json",
    )
    assert duplicate.status_code == 400


@pytest.mark.parametrize(
    "user_fixture, status", [("as_reporter", 403), ("as_factchecker", 403), ("as_editor", 204)]
)
def test_deleting_needs_the_delete_permission(request, desk, user_fixture, status):
    source = factories.SourceFactory()
    client = request.getfixturevalue(user_fixture)
    assert client.delete(f"/api/v1/sources/{source.pk}/").status_code == status


def test_deleting_what_others_refer_to_or_what_is_published_is_a_409(as_editor, desk):
    assert as_editor.delete(f"/api/v1/sources/{desk.ministry.pk}/").status_code == 409
    assert as_editor.delete(f"/api/v1/claims/{desk.capture.pk}/").status_code == 409
    response = as_editor.delete(f"/api/v1/verifications/{desk.second.pk}/")
    assert response.status_code == 409
    assert "history stays public" in response.json()["detail"]
    assert as_editor.delete(f"/api/v1/explainers/{desk.explainer.pk}/").status_code == 409
    assert as_editor.delete(f"/api/v1/verifications/{desk.draft.pk}/").status_code == 204


def test_delete_with_a_stale_if_match_is_a_412(as_editor, desk):
    url = f"/api/v1/verifications/{desk.draft.pk}/"
    response = as_editor.delete(url, HTTP_IF_MATCH='"stale"')
    assert response.status_code == 412
    assert Verification.objects.filter(pk=desk.draft.pk).exists()


def test_consumer_token_without_a_role_cannot_write(client_for, desk):
    from django.contrib.auth import get_user_model

    consumer = get_user_model().objects.create_user("aggregator")
    response = client_for(consumer).post("/api/v1/sources/", {"name": "X"}, format="json")
    assert response.status_code == 403


def test_session_writes_need_the_csrf_token(reporter, desk):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(reporter)
    response = client.post("/api/v1/sources/", {"name": "New outlet"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert client.get("/api/v1/verifications/", {"status": "draft"}).json()["count"] == 1


def test_claim_appearances_and_links_are_set_with_the_claim(as_reporter, desk):
    response = as_reporter.post(
        "/api/v1/claims/",
        {
            "statement": "A channel says the brigade has left Toretsk",
            "quote": "The brigade has gone.",
            "claimant_id": desk.ministry.pk,
            "claimed_on": "2025-02-09",
            "appearance_entries": [{"article_id": desk.wire.pk, "passage": "It has gone."}],
            "link_entries": [{"claim_id": desk.holding.pk, "relation": "disputes"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert [a["article"]["id"] for a in data["appearances"]] == [desk.wire.pk]
    assert data["appearances"][0]["passage"] == "It has gone."
    assert [
        (link["claim"]["id"], link["relation"], link["direction"]) for link in data["linked_claims"]
    ] == [(desk.holding.pk, "disputes", "out")]

    url = f"/api/v1/claims/{data['id']}/"
    itself = patch(
        as_reporter, url, {"link_entries": [{"claim_id": data["id"], "relation": "supports"}]}
    )
    assert itself.status_code == 400
    cleared = patch(as_reporter, url, {"appearance_entries": [], "link_entries": []})
    assert cleared.json()["appearances"] == [] and cleared.json()["linked_claims"] == []


def test_a_claim_cannot_appear_in_an_article_older_than_itself(as_reporter, desk):
    desk.wire.published_at = timezone.make_aware(datetime.datetime(2025, 2, 8, 10))
    desk.wire.save()
    body = {
        "statement": "A channel says the brigade has left Toretsk",
        "quote": "The brigade has gone.",
        "claimant_id": desk.ministry.pk,
        "claimed_on": "2025-02-09",
        "appearance_entries": [{"article_id": desk.wire.pk}],
    }
    refused = as_reporter.post("/api/v1/claims/", body, format="json")
    assert refused.status_code == 400
    assert "before the claim was made" in refused.json()["errors"]["appearance_entries"][0]
    created = as_reporter.post("/api/v1/claims/", {**body, "claimed_on": "2025-02-08"})
    assert created.status_code == 201, created.content
    later = patch(
        as_reporter, f"/api/v1/claims/{created.json()['id']}/", {"claimed_on": "2025-02-10"}
    )
    assert later.status_code == 400
    assert "claimed_on" in later.json()["errors"]
