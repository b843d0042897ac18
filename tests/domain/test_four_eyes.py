"""Four eyes on verifications: nobody who wrote or edited one may review it, whichever face
the edit came through (otherwise an editor could rewrite a reporter's draft, submit it and
publish it alone, were only the original author checked)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from claims import services, workflow
from claims.errors import DeskError
from claims.models import Verification

from .. import factories

pytestmark = pytest.mark.django_db

VS = Verification.Status


@pytest.fixture
def reporters_draft(claim, reporter):
    evidence = factories.EvidenceFactory(claim=claim)
    return workflow.verification_create(
        claim=claim,
        by=reporter,
        verdict="likely_true",
        rationale="Two local accounts agree.",
        evidence=[evidence],
    )


def admin_form(verification, **changes):
    """The verification's change form as a browser posts it, unchanged but for `changes`."""
    data = {
        "claim": verification.claim_id,
        "verdict": verification.verdict,
        "rationale": verification.rationale,
        "evidence": [e.pk for e in verification.evidence.all()],
        "seen_version": verification.version,
        "change_reason": "",
    }
    for name in ("location", "time", "actor"):
        data[f"{name}_verdict"] = getattr(verification, f"{name}_verdict")
        data[f"{name}_note"] = getattr(verification, f"{name}_note")
    data["authenticity"] = verification.authenticity
    data["authenticity_note"] = verification.authenticity_note
    data.update(changes)
    return data


def api_client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def api_patch(client, verification, data):
    url = f"/api/v1/verifications/{verification.pk}/"
    etag = client.get(url)["ETag"]
    return client.patch(url, data, format="json", HTTP_IF_MATCH=etag)


def test_four_eyes_an_editor_who_rewrote_a_draft_in_the_desk_cannot_publish_it(
    client, reporters_draft, editor, second_editor, factchecker
):
    client.force_login(editor)
    url = reverse("admin:claims_verification_change", args=[reporters_draft.pk])
    response = client.post(url, admin_form(reporters_draft, verdict="false", rationale="Wrong."))
    assert response.status_code == 302, response.content.decode()[:3000]
    workflow.verification_submit(verification=reporters_draft, by=factchecker)

    with pytest.raises(DeskError, match="Four eyes: you wrote or edited"):
        workflow.verification_publish(verification=reporters_draft, by=editor)
    with pytest.raises(DeskError, match="Four eyes"):
        workflow.verification_return(verification=reporters_draft, by=editor, note="Mine.")

    reporters_draft.refresh_from_db()
    assert reporters_draft.status == VS.SUBMITTED
    workflow.verification_publish(verification=reporters_draft, by=second_editor)
    assert reporters_draft.status == VS.PUBLISHED


def test_four_eyes_an_editor_who_rewrote_a_draft_through_the_api_cannot_publish_it(
    reporters_draft, editor, second_editor, factchecker
):
    as_editor = api_client(editor)
    assert api_patch(as_editor, reporters_draft, {"rationale": "Rewritten."}).status_code == 200
    workflow.verification_submit(verification=reporters_draft, by=factchecker)

    url = f"/api/v1/verifications/{reporters_draft.pk}/publish/"
    refused = as_editor.post(url, {}, format="json")
    assert refused.status_code == 403
    assert "wrote or edited" in refused.json()["detail"]
    assert api_client(second_editor).post(url, {}, format="json").status_code == 200


def test_changing_only_the_evidence_a_draft_cites_is_editing_it(
    reporters_draft, claim, editor, factchecker
):
    other = factories.EvidenceFactory(claim=claim)
    response = api_patch(api_client(editor), reporters_draft, {"evidence_ids": [other.pk]})
    assert response.status_code == 200, response.content
    workflow.verification_submit(verification=reporters_draft, by=factchecker)

    with pytest.raises(DeskError, match="Four eyes"):
        workflow.verification_publish(verification=reporters_draft, by=editor)


def test_saving_a_draft_without_changing_it_does_not_make_a_contributor(
    client, reporters_draft, editor, factchecker
):
    client.force_login(editor)
    url = reverse("admin:claims_verification_change", args=[reporters_draft.pk])
    assert client.post(url, admin_form(reporters_draft)).status_code == 302
    workflow.verification_submit(verification=reporters_draft, by=factchecker)

    workflow.verification_publish(verification=reporters_draft, by=editor)
    assert reporters_draft.status == VS.PUBLISHED


def test_every_contributor_is_recorded_and_shown_on_the_verification(
    client, reporters_draft, reporter, factchecker, editor
):
    services.record_save(
        obj=Verification.objects.get(pk=reporters_draft.pk), by=factchecker, reason="typo"
    )  # saved unchanged: no contribution
    draft = Verification.objects.get(pk=reporters_draft.pk)
    draft.rationale += " A third account, from a volunteer driver, agrees."
    services.record_save(obj=draft, by=factchecker)

    assert set(draft.contributors.all()) == {reporter, factchecker}
    client.force_login(editor)
    page = client.get(reverse("admin:claims_verification_change", args=[draft.pk]))
    assert "Written or edited by" in page.content.decode()


def test_a_contributor_is_told_on_the_page_why_they_cannot_review(
    client, reporters_draft, editor, factchecker
):
    draft = Verification.objects.get(pk=reporters_draft.pk)
    draft.verdict = "unconfirmed"
    services.record_save(obj=draft, by=editor)
    workflow.verification_submit(verification=draft, by=factchecker)
    client.force_login(editor)

    page = client.get(reverse("admin:claims_verification_change", args=[draft.pk]))

    assert "Four eyes: you wrote or edited this verification" in page.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_counts_everyone_who_edited_a_verification_before_as_a_contributor():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    before, after = (
        [("claims", "0013_plausible_dates")],
        [("claims", "0014_contributors_and_source_reveal")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    User = old.get_model("auth", "User")
    author, rewriter, submitter = (
        User.objects.create(username=name) for name in ("author", "rewriter", "submitter")
    )
    source = old.get_model("claims", "Source").objects.create(name="MoD", slug="mod")
    claim = old.get_model("claims", "Claim").objects.create(
        statement="Toretsk captured",
        slug="t",
        quote="Q",
        claimant_id=source.pk,
        claimed_on="2025-02-07",
    )
    verification = old.get_model("claims", "Verification").objects.create(
        claim_id=claim.pk,
        author_id=author.pk,
        verdict="unconfirmed",
        rationale="R",
        status="submitted",
    )
    History = old.get_model("claims", "HistoricalVerification")
    row = {
        f.attname: getattr(verification, f.attname)
        for f in verification._meta.concrete_fields
        if f.attname != "id"
    }
    for user, reason in (
        (author, "drafted"),
        (rewriter, "edited in the desk"),
        (submitter, "submitted for review"),
    ):
        History.objects.create(
            id=verification.pk,
            history_date=timezone.now(),
            history_type="~",
            history_user_id=user.pk,
            history_change_reason=reason,
            **row,
        )

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    try:
        migrated = new.get_model("claims", "Verification").objects.get(pk=verification.pk)
        names = set(migrated.contributors.values_list("username", flat=True))
        assert names == {"author", "rewriter"}
        editor_group = new.get_model("auth", "Group").objects.get(name="Editor")
        assert editor_group.permissions.filter(codename="reveal_source").exists()
        assert (
            not new.get_model("auth", "Group")
            .objects.get(name="Reporter")
            .permissions.filter(codename="reveal_source")
            .exists()
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
