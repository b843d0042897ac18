"""The desk runs the whole workflow through the API; refusals are clear 400/403/409s."""

import datetime

import pytest
from django.utils import timezone

from claims.models import AuditEvent, Claim, Explainer, Verification

from .. import factories

pytestmark = pytest.mark.django_db


def post(client, url, data=None):
    return client.post(url, data or {}, format="json")


def test_the_whole_verification_workflow(
    anon, as_reporter, as_factchecker, as_editor, factchecker, editor, desk
):
    # A reporter records the claim and the evidence.
    claim = as_reporter.post(
        "/api/v1/claims/",
        {
            "statement": "Russia says it took Pivnichne",
            "quote": "The village is under our control.",
            "claimant_id": desk.ministry.pk,
            "claimed_on": "2025-02-12",
            "place_ids": [desk.pivnichne.pk],
        },
        format="json",
    ).json()
    evidence = as_reporter.post(
        "/api/v1/evidence/",
        {
            "claim": claim["id"],
            "kind": "geolocated_video",
            "description": "Video of a flag raised in the village centre.",
            "url": "https://video.example/flag",
            "latitude": 48.4062,
            "longitude": 37.8661,
        },
        format="json",
    ).json()
    assert anon.get(f"/api/v1/claims/{claim['id']}/").status_code == 404

    # A fact-checker drafts a verification and submits it.
    draft = as_factchecker.post(
        "/api/v1/verifications/",
        {
            "claim": claim["id"],
            "verdict": "likely_true",
            "rationale": "The video is geolocated to the centre.",
            "evidence_ids": [evidence["id"]],
            "location_verdict": "confirmed",
        },
        format="json",
    ).json()
    url = f"/api/v1/verifications/{draft['id']}"
    submitted = post(as_factchecker, f"{url}/submit/")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"

    # The editor returns it with a note; the fact-checker reopens, revises, resubmits.
    returned = post(as_editor, f"{url}/return/", {"note": "Say when the video was filmed."})
    assert returned.json()["status"] == "returned"
    assert returned.json()["review_note"] == "Say when the video was filmed."
    assert post(as_factchecker, f"{url}/reopen/").json()["status"] == "draft"
    revised = as_factchecker.patch(
        f"{url}/",
        {"time_verdict": "likely", "time_note": "Shadows suggest the morning of 12 February."},
        format="json",
        HTTP_IF_MATCH=as_factchecker.get(f"{url}/")["ETag"],
    )
    assert revised.status_code == 200
    assert post(as_factchecker, f"{url}/submit/").status_code == 200

    # The editor publishes; it becomes the claim's current verdict, visible to readers.
    published = post(as_editor, f"{url}/publish/")
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published"
    assert published.json()["reviewer"]["username"] == "editor"
    assert published.json()["is_current"] is True
    public = anon.get(f"/api/v1/claims/{claim['id']}/").json()
    assert public["current_verdict"] == "likely_true"
    assert public["verdict_history"][0]["verification"] == draft["id"]
    assert anon.get(f"{url}/").json()["evidence"][0]["id"] == evidence["id"]

    actions = list(
        AuditEvent.objects.filter(object_id=str(draft["id"]))
        .order_by("created_at", "id")
        .values_list("action", "actor__username")
    )
    assert actions == [
        ("verification.create", "factchecker"),
        ("verification.submit", "factchecker"),
        ("verification.return", "editor"),
        ("verification.reopen", "factchecker"),
        ("verification.submit", "factchecker"),
        ("verification.publish", "editor"),
    ]


def test_refusals_say_why(as_reporter, as_factchecker, as_editor, editor, desk):
    url = f"/api/v1/verifications/{desk.draft.pk}"
    refused = post(as_reporter, f"{url}/submit/")
    assert refused.status_code == 403
    assert refused.json() == {
        "type": "about:blank",
        "title": "Forbidden",
        "status": 403,
        "code": "forbidden",
        "detail": "You are not allowed to submit verifications for review.",
    }
    premature = post(as_editor, f"{url}/publish/")
    assert premature.status_code == 409
    assert premature.json()["code"] == "conflict"
    assert "draft" in premature.json()["detail"]

    assert post(as_factchecker, f"{url}/submit/").status_code == 200
    no_note = post(as_editor, f"{url}/return/", {"note": ""})
    assert no_note.status_code == 400
    assert "note" in no_note.json()["errors"]
    assert post(as_editor, f"{url}/publish/").status_code == 200
    again = post(as_editor, f"{url}/publish/")
    assert again.status_code == 409


def test_four_eyes_the_author_cannot_publish(as_editor, as_second_editor, desk):
    draft = as_editor.post(
        "/api/v1/verifications/",
        {"claim": desk.holding.pk, "verdict": "confirmed", "rationale": "Seen on video."},
        format="json",
    ).json()
    url = f"/api/v1/verifications/{draft['id']}"
    assert post(as_editor, f"{url}/submit/").status_code == 200
    refused = post(as_editor, f"{url}/publish/")
    assert refused.status_code == 403
    assert "Four eyes" in refused.json()["detail"]
    assert post(as_second_editor, f"{url}/publish/").status_code == 200


def test_transition_with_a_stale_if_match_is_a_412(as_factchecker, desk):
    url = f"/api/v1/verifications/{desk.draft.pk}"
    response = as_factchecker.post(f"{url}/submit/", {}, format="json", HTTP_IF_MATCH='"old"')
    assert response.status_code == 412
    assert Verification.objects.get(pk=desk.draft.pk).status == "draft"
    etag = as_factchecker.get(f"{url}/")["ETag"]
    response = as_factchecker.post(f"{url}/submit/", {}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200


def test_anonymous_transition_is_a_401(anon, desk):
    response = anon.post(f"/api/v1/verifications/{desk.draft.pk}/submit/", {}, format="json")
    assert response.status_code == 401


def test_transition_on_an_object_the_user_cannot_see_is_a_404(client_for, desk):
    from django.contrib.auth import get_user_model

    consumer = client_for(get_user_model().objects.create_user("aggregator"))
    response = consumer.post(f"/api/v1/verifications/{desk.draft.pk}/submit/", {}, format="json")
    assert response.status_code == 404


def test_the_explainer_workflow_with_scheduling_updates_and_corrections(
    anon, as_factchecker, as_editor, desk
):
    created = as_factchecker.post(
        "/api/v1/explainers/",
        {
            "title": "Pivnichne, explained",
            "slug": "pivnichne-explained",
            "standfirst": "Why the village matters.",
            "body": "It guards the northern road.",
            "claim_entries": [{"claim_id": desk.holding.pk}],
        },
        format="json",
    ).json()
    url = f"/api/v1/explainers/{created['id']}"
    assert post(as_factchecker, f"{url}/submit/").json()["status"] == "in_review"

    at = timezone.now() + datetime.timedelta(hours=3)
    scheduled = post(as_editor, f"{url}/publish/", {"at": at.isoformat()})
    assert scheduled.status_code == 200, scheduled.content
    assert scheduled.json()["status"] == "scheduled"
    assert anon.get(f"{url}/").status_code == 404

    published = post(as_editor, f"{url}/publish/")
    assert published.json()["status"] == "published"
    assert anon.get(f"{url}/").status_code == 200

    again = post(as_editor, f"{url}/publish/", {"change_note": "Again."})
    assert again.status_code == 409
    etag = as_factchecker.get(f"{url}/")["ETag"]
    revised = as_factchecker.patch(
        f"{url}/",
        {"body": "It guards the northern road and the rail line."},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert revised.status_code == 202, revised.content
    assert anon.get(f"{url}/").json()["body"] == "It guards the northern road."
    no_note = post(
        as_editor, f"/api/v1/revisions/{revised.json()['id']}/publish/", {"kind": "update"}
    )
    assert no_note.status_code == 400
    assert "what changed" in no_note.json()["detail"]
    update = post(
        as_editor,
        f"/api/v1/revisions/{revised.json()['id']}/publish/",
        {"kind": "update", "note": "Added the brigade's account."},
    )
    assert update.status_code == 200, update.content
    assert anon.get(f"{url}/").json()["body"] == "It guards the northern road and the rail line."
    correction = post(as_editor, f"{url}/corrections/", {"text": "The road runs north-east."})
    assert correction.status_code == 201
    assert correction.json()["kind"] == "correction"
    kinds = [c["kind"] for c in anon.get(f"{url}/").json()["corrections"]]
    assert kinds == ["update", "correction"]

    too_far = post(
        as_editor,
        f"{url}/unpublish/",
        {},
    )
    assert too_far.status_code == 400
    unpublished = post(as_editor, f"{url}/unpublish/", {"reason": "Under legal review."})
    assert unpublished.json()["status"] == "unpublished"
    assert anon.get(f"{url}/").status_code == 404
    assert Explainer.objects.get(pk=created["id"]).status == "unpublished"


def test_explainer_refusals(as_factchecker, as_editor, desk):
    draft = factories.ExplainerFactory()
    url = f"/api/v1/explainers/{draft.pk}"
    assert post(as_factchecker, f"{url}/publish/").status_code == 403
    assert post(as_editor, f"{url}/publish/").status_code == 409  # not reviewed yet
    far = (timezone.now() + datetime.timedelta(days=400)).isoformat()
    post(as_factchecker, f"{url}/submit/")
    assert post(as_editor, f"{url}/publish/", {"at": far}).status_code == 400
    assert post(as_editor, f"{url}/publish/", {"at": "next week"}).status_code == 400
    assert post(as_editor, f"{url}/corrections/", {"text": "Too early."}).status_code == 409
    assert post(as_editor, f"{url}/return/", {"note": "Needs a map."}).json()["status"] == "draft"


def test_correction_of_a_live_explainer_needs_an_editor(as_factchecker, desk):
    response = post(
        as_factchecker, f"/api/v1/explainers/{desk.explainer.pk}/corrections/", {"text": "x"}
    )
    assert response.status_code == 403
    assert Claim.objects.count() == 4
