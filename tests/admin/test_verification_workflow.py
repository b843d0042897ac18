"""Verification workflow from the admin: buttons, refusals, audit events, read-only states."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from claims import workflow
from claims.models import AuditEvent, Verification
from claims.verdicts import SCALE

from .. import factories
from .conftest import change_url, messages_of, transition_url

VS = Verification.Status


def test_factchecker_submits_a_draft_with_the_button(client, factchecker, draft_verification):
    client.force_login(factchecker)
    page = client.get(change_url(draft_verification))
    assert transition_url(draft_verification, "submit") in page.content.decode()

    response = client.post(transition_url(draft_verification, "submit"))

    assert response.status_code == 302
    assert response.url == change_url(draft_verification)
    assert messages_of(response) == ["Submitted for review."]
    draft_verification.refresh_from_db()
    assert draft_verification.status == VS.SUBMITTED
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.actor, event.to_state) == (
        "verification.submit",
        factchecker,
        VS.SUBMITTED,
    )


def test_editor_publishes_a_submitted_verification(client, editor, submitted_verification):
    client.force_login(editor)
    response = client.post(transition_url(submitted_verification, "publish"))

    assert response.status_code == 302
    submitted_verification.refresh_from_db()
    assert submitted_verification.status == VS.PUBLISHED
    assert submitted_verification.reviewer == editor
    assert submitted_verification.claim.current_verdict == submitted_verification.verdict
    assert AuditEvent.objects.filter(action="verification.publish", actor=editor).exists()


@pytest.mark.parametrize(("step", "data"), [("publish", {}), ("return", {"note": "Mine."})])
def test_author_editor_is_not_offered_review_and_is_refused(client, editor, claim, step, data):
    verification = factories.VerificationFactory(claim=claim, author=editor)
    workflow.verification_submit(verification=verification, by=editor)
    client.force_login(editor)

    page = client.get(change_url(verification)).content.decode()
    assert transition_url(verification, step) not in page
    assert "Four eyes" in page

    response = client.post(transition_url(verification, step), data)

    assert any("Four eyes" in message for message in messages_of(response))
    verification.refresh_from_db()
    assert verification.status == VS.SUBMITTED


@pytest.mark.parametrize(
    ("fixture", "step", "data"),
    [
        ("draft_verification", "submit", {}),
        ("submitted_verification", "publish", {}),
        ("submitted_verification", "return", {"note": "Needs a second source."}),
        ("live_explainer", "unpublish", {"reason": "Legal asked us to."}),
        ("live_explainer", "correction", {"kind": "correction", "text": "We erred."}),
        ("live_explainer", "publish", {"change_note": "New footage."}),
    ],
)
def test_reporter_crafted_post_is_refused_and_changes_nothing(
    client, reporter, request, fixture, step, data
):
    obj = request.getfixturevalue(fixture)
    status, events = obj.status, AuditEvent.objects.count()
    corrections = obj.corrections.count() if hasattr(obj, "corrections") else 0
    client.force_login(reporter)

    response = client.post(transition_url(obj, step), data)

    assert response.status_code == 302
    assert any("not allowed" in message for message in messages_of(response))
    obj.refresh_from_db()
    assert obj.status == status
    assert AuditEvent.objects.count() == events
    assert (obj.corrections.count() if hasattr(obj, "corrections") else 0) == corrections


def test_reporter_sees_no_workflow_buttons(client, reporter, draft_verification):
    client.force_login(reporter)
    page = client.get(change_url(draft_verification)).content.decode()
    assert "/workflow/" not in page


def test_return_needs_a_note(client, editor, submitted_verification):
    client.force_login(editor)

    refused = client.post(transition_url(submitted_verification, "return"), {"note": "  "})

    assert any("needs a note" in message for message in messages_of(refused))
    submitted_verification.refresh_from_db()
    assert submitted_verification.status == VS.SUBMITTED

    client.post(
        transition_url(submitted_verification, "return"), {"note": "Geolocate the second video."}
    )

    submitted_verification.refresh_from_db()
    assert submitted_verification.status == VS.RETURNED
    assert submitted_verification.review_note == "Geolocate the second video."
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.note) == ("verification.return", "Geolocate the second video.")


def test_author_reopens_a_returned_verification(
    client, factchecker, editor, submitted_verification
):
    workflow.verification_return(
        verification=submitted_verification, by=editor, note="Add the map."
    )
    client.force_login(factchecker)
    page = client.get(change_url(submitted_verification)).content.decode()
    assert "Returned for changes by editor: Add the map." in page

    client.post(transition_url(submitted_verification, "reopen"))

    submitted_verification.refresh_from_db()
    assert submitted_verification.status == VS.DRAFT
    assert AuditEvent.objects.filter(action="verification.reopen", actor=factchecker).exists()


def test_workflow_urls_only_accept_post(client, factchecker, draft_verification):
    client.force_login(factchecker)
    response = client.get(transition_url(draft_verification, "submit"))
    assert response.status_code == 405
    draft_verification.refresh_from_db()
    assert draft_verification.status == VS.DRAFT


def test_unknown_workflow_step_is_not_found(client, editor, draft_verification):
    client.force_login(editor)
    assert client.post(transition_url(draft_verification, "approve")).status_code == 404


def test_change_page_shows_the_audit_trail(client, editor, submitted_verification):
    client.force_login(editor)
    page = client.get(change_url(submitted_verification)).content.decode()
    assert "Audit trail" in page
    assert "verification.submit" in page
    assert "factchecker" in page


def test_verification_added_in_the_admin_is_a_draft_by_its_author(client, factchecker, claim):
    evidence = factories.EvidenceFactory(claim=claim)
    client.force_login(factchecker)

    response = client.post(
        reverse("admin:claims_verification_add"),
        {
            "claim": claim.pk,
            "verdict": "unconfirmed",
            "rationale": "No footage yet.",
            "location_verdict": "likely",
            "location_note": "Matches the skyline.",
            "evidence": [evidence.pk],
            # Read-only fields in a crafted POST are ignored.
            "status": "published",
            "author": "1",
        },
    )

    assert response.status_code == 302
    verification = Verification.objects.get()
    assert verification.status == VS.DRAFT
    assert verification.author == factchecker
    assert verification.location_verdict == "likely"
    assert list(verification.evidence.all()) == [evidence]
    assert AuditEvent.objects.filter(action="verification.create", actor=factchecker).exists()


def test_verification_form_shows_the_verdict_scale(client, factchecker, claim):
    client.force_login(factchecker)
    page = client.get(reverse("admin:claims_verification_add")).content.decode()
    assert "Parts of the claim" in page
    assert "Independent evidence we have examined shows the claim is accurate." in page
    assert "Likely false" in page


def test_evidence_from_another_claim_is_refused_when_chosen(client, factchecker, claim):
    elsewhere = factories.EvidenceFactory(
        claim=factories.ClaimFactory(statement="A bridge at Siversk collapsed"),
        description="Drone video of the Siversk bridge",
    )
    client.force_login(factchecker)
    response = client.post(
        reverse("admin:claims_verification_add"),
        {
            "claim": claim.pk,
            "verdict": "unconfirmed",
            "rationale": "No.",
            "evidence": [elsewhere.pk],
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["evidence"]
    assert errors == [
        f"Gathered for another claim: {elsewhere}. Cite only this claim's evidence (add a copy "
        "to this claim if it applies to both)."
    ]
    assert not Verification.objects.exists()


def test_the_evidence_picker_offers_the_claims_own_evidence_in_full_with_its_claim(
    client, factchecker, draft_verification
):
    claim = draft_verification.claim
    long_description = "Satellite image of the Toretsk mine, " + "seen from the north " * 5
    own = factories.EvidenceFactory(claim=claim, description=long_description)
    factories.EvidenceFactory(description="Evidence about some other claim entirely")
    client.force_login(factchecker)
    page = client.get(change_url(draft_verification)).content.decode()
    field = page[
        page.index('<select name="evidence"') : page.index(
            "</select>", page.index('<select name="evidence"')
        )
    ]
    assert f'value="{own.pk}"' in field
    assert escape(f"{long_description} (claim: {claim.statement})") in field
    assert "some other claim entirely" not in field
    assert 'class="selectfilter"' in field  # the admin's searchable two-list picker


def test_each_verdict_option_shows_its_public_definition_from_the_scale(client, factchecker, claim):
    client.force_login(factchecker)
    page = client.get(reverse("admin:claims_verification_add")).content.decode()
    for number, info in enumerate(SCALE):
        option = f'id="id_verdict_{number}">'
        label_start = page.index(option) + len(option)
        label = page[label_start : page.index("</label>", label_start)]
        assert f"{info.symbol} {info.label}" in label
        assert escape(info.definition) in label


def test_submit_selected_action_submits_each_draft(client, factchecker, claim):
    drafts = factories.VerificationFactory.create_batch(2, claim=claim, author=factchecker)
    client.force_login(factchecker)

    response = client.post(
        reverse("admin:claims_verification_changelist"),
        {
            "action": "submit_selected",
            "_selected_action": [v.pk for v in drafts],
        },
    )

    assert response.status_code == 302
    assert set(Verification.objects.values_list("status", flat=True)) == {VS.SUBMITTED}


def test_publish_selected_action_reports_four_eyes_refusals(client, editor, claim):
    own = factories.VerificationFactory(claim=claim, author=editor)
    workflow.verification_submit(verification=own, by=editor)
    client.force_login(editor)

    response = client.post(
        reverse("admin:claims_verification_changelist"),
        {
            "action": "publish_selected",
            "_selected_action": [own.pk],
        },
    )

    assert any("Four eyes" in message for message in messages_of(response))
    own.refresh_from_db()
    assert own.status == VS.SUBMITTED


def test_reporter_is_not_offered_the_publish_action(client, reporter, draft_verification):
    client.force_login(reporter)
    page = client.get(reverse("admin:claims_verification_changelist")).content.decode()
    assert "submit_selected" not in page
    assert "publish_selected" not in page


class TestPublishedVerification:
    @pytest.fixture
    def published(self, claim, publish_verification):
        return publish_verification(claim, verdict="disputed", rationale="Sources disagree.")

    def test_change_page_is_read_only(self, client, editor, published):
        client.force_login(editor)
        response = client.get(change_url(published))

        assert response.status_code == 200
        page = response.content.decode()
        assert "Sources disagree." in page
        assert 'name="rationale"' not in page
        assert 'name="_save"' not in page

    def test_change_post_is_refused(self, client, editor, published):
        client.force_login(editor)
        response = client.post(
            change_url(published),
            {
                "claim": published.claim_id,
                "verdict": "false",
                "rationale": "Rewritten.",
            },
        )

        assert response.status_code == 403
        published.refresh_from_db()
        assert (published.verdict, published.rationale) == ("disputed", "Sources disagree.")

    def test_delete_is_refused(self, client, editor, published):
        client.force_login(editor)
        url = reverse("admin:claims_verification_delete", args=[published.pk])

        for response in (client.get(url), client.post(url, {"post": "yes"})):
            assert response.url == change_url(published)
            assert messages_of(response)[-1] == (
                "This verification cannot be deleted: readers have seen it, and the desk keeps "
                "what they saw."
            )
        assert Verification.objects.filter(pk=published.pk).exists()

    def test_bulk_delete_is_refused(self, client, editor, published):
        client.force_login(editor)
        client.post(
            reverse("admin:claims_verification_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [published.pk],
                "post": "yes",
            },
        )
        assert Verification.objects.filter(pk=published.pk).exists()

    def test_evidence_it_cites_is_read_only(self, client, editor, claim, factchecker):
        evidence = factories.EvidenceFactory(claim=claim)
        verification = workflow.verification_create(
            claim=claim,
            by=factchecker,
            verdict="confirmed",
            rationale="Geolocated.",
            evidence=[evidence],
        )
        workflow.verification_submit(verification=verification, by=factchecker)
        workflow.verification_publish(verification=verification, by=editor)
        client.force_login(editor)

        page = client.get(change_url(evidence)).content.decode()

        assert 'name="description"' not in page
        url = reverse("admin:claims_evidence_delete", args=[evidence.pk])
        assert client.post(url, {"post": "yes"}).url == change_url(evidence)
