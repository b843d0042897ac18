"""History in the desk: who changed what, when and why, shown with the changes; and neither the
history nor the audit trail can be edited, deleted or restored from, by anyone."""

from html import unescape

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from claims import workflow
from claims.errors import DeskError
from claims.models import AuditEvent, Claim, Verification

from .conftest import change_url, claim_form, messages_of


def history_url(obj):
    return reverse(f"admin:claims_{obj._meta.model_name}_history", args=[obj.pk])


def version_url(obj, record):
    return reverse(f"admin:claims_{obj._meta.model_name}_simple_history", args=[obj.pk, record.pk])


def save_claim(client, claim, reason="", **changes):
    data = claim_form(claim, change_reason=reason, **changes)
    response = client.post(change_url(claim), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    claim.refresh_from_db()
    return response


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("chief", "chief@desk.example", "pw")


def test_an_admin_save_records_who_and_the_reason_typed(client, editor, claim):
    client.force_login(editor)

    save_claim(client, claim, reason="the ministry's wording", quote="Toretsk is ours.")

    latest = claim.history.first()
    assert (latest.history_user, latest.history_change_reason) == (editor, "the ministry's wording")
    assert (latest.quote, latest.version, latest.history_type) == ("Toretsk is ours.", 2, "~")


def test_an_admin_save_without_a_reason_says_where_it_was_made(client, reporter, claim):
    client.force_login(reporter)
    save_claim(client, claim, quote="Toretsk is ours.")
    assert claim.history.first().history_change_reason == "edited in the desk"


def test_a_workflow_step_records_its_actor_and_the_step_as_reason(
    claim, factchecker, editor, draft_verification
):
    workflow.verification_submit(verification=draft_verification, by=factchecker)
    workflow.verification_publish(verification=draft_verification, by=editor)

    rows = list(draft_verification.history.order_by("history_date", "history_id"))
    assert [(r.history_user, r.history_change_reason, r.status, r.version) for r in rows] == [
        (None, None, "draft", 1),  # made by the factory, outside any request
        (factchecker, "submitted for review", "submitted", 2),
        (editor, "published", "published", 3),
    ]
    claim_row = Claim.objects.get(pk=claim.pk).history.first()
    assert claim_row.history_user == editor
    assert claim_row.history_change_reason == "current verdict: Unconfirmed"


def test_a_returned_verification_records_the_reviewers_note(
    factchecker, editor, submitted_verification
):
    workflow.verification_return(
        verification=submitted_verification, by=editor, note="Find a second source."
    )
    latest = submitted_verification.history.first()
    assert latest.history_user == editor
    assert latest.history_change_reason == "returned to its author: Find a second source."


def test_history_page_lists_versions_with_who_why_and_old_to_new(client, editor, claim):
    client.force_login(editor)
    save_claim(client, claim, reason="shorter", statement="Russia claims Toretsk")

    page = unescape(client.get(history_url(claim)).content.decode())

    assert "View history: Russia claims Toretsk" in page
    assert "<td>editor</td>" in page and "<td>shorter</td>" in page
    assert (
        "<li><strong>Statement:</strong> Russia says its forces captured Toretsk → "
        "Russia claims Toretsk</li>" in page
    )
    assert "revert" not in page.lower()


def test_history_page_shows_workflow_steps_and_their_changes(
    client, editor, factchecker, draft_verification
):
    workflow.verification_submit(verification=draft_verification, by=factchecker)
    client.force_login(editor)

    page = unescape(client.get(history_url(draft_verification)).content.decode())

    assert "<td>factchecker</td>" in page and "<td>submitted for review</td>" in page
    assert "<li><strong>Status:</strong> Draft → Submitted for review</li>" in page


def test_a_past_version_page_shows_it_whole_and_what_it_changed(client, editor, claim):
    client.force_login(editor)
    save_claim(client, claim, reason="shorter", statement="Russia claims Toretsk")
    record = claim.history.first()

    response = client.get(version_url(claim, record))

    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "Saved by <strong>editor</strong>" in page and "<q>shorter</q>" in page
    assert (
        '<th scope="row">Statement</th><td>Russia says its forces captured Toretsk</td>'
        "<td>Russia claims Toretsk</td>" in page
    )
    assert "cannot be edited or restored" in page
    assert "<form" not in page.split('id="content-main"')[1].split("</main>")[0]


def test_choices_show_their_labels_in_the_changes(client, factchecker, editor, draft_verification):
    workflow.verification_submit(verification=draft_verification, by=factchecker)
    client.force_login(editor)
    record = draft_verification.history.first()

    page = unescape(client.get(version_url(draft_verification, record)).content.decode())

    assert "<td>Draft</td><td>Submitted for review</td>" in page


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_restoring_a_past_version_is_refused_for_everyone(client, who, editor, superuser, claim):
    client.force_login(editor)
    save_claim(client, claim, statement="Second wording")
    first_version = claim.history.last()
    client.force_login(superuser if who == "superuser" else editor)
    rows_before = list(claim.history.values_list("history_id", "statement", "version"))

    # What simple-history's revert form would post, and a bare POST.
    revert = client.post(
        version_url(claim, first_version),
        {
            "statement": first_version.statement,
            "quote": first_version.quote,
            "claimant": first_version.claimant_id,
            "claimed_on": first_version.claimed_on.isoformat(),
            "slug": first_version.slug,
            "_change_history": "1",
        },
    )
    bare = client.post(version_url(claim, first_version))

    assert (revert.status_code, bare.status_code) == (405, 405)
    claim.refresh_from_db()
    assert (claim.statement, claim.version) == ("Second wording", 2)
    assert list(claim.history.values_list("history_id", "statement", "version")) == rows_before


def test_posting_to_the_history_page_changes_nothing(client, superuser, claim):
    client.force_login(superuser)
    rows_before = list(claim.history.values_list("history_id", "statement"))
    client.post(history_url(claim), {"statement": "Forged", "action": "delete_selected"})
    assert list(claim.history.values_list("history_id", "statement")) == rows_before
    assert Claim.objects.get(pk=claim.pk).statement == claim.statement


def test_history_has_no_admin_pages_of_its_own(client, superuser, claim):
    registered = {model._meta.model_name for model in admin.site._registry}
    assert not {name for name in registered if name.startswith("historical")}
    record = claim.history.get()
    rows_before = list(Claim.history.values_list("history_id", "statement", "version"))
    client.force_login(superuser)
    forged = {"statement": "Forged", "version": "9", "post": "yes"}
    for page in ("", "add/", f"{record.pk}/change/", f"{record.pk}/delete/"):
        url = f"/admin/claims/historicalclaim/{page}"
        assert client.get(url).status_code == 404, url
        assert client.post(url, forged).status_code == 404, url
    assert list(Claim.history.values_list("history_id", "statement", "version")) == rows_before


@pytest.mark.parametrize("step", ["add", "change", "delete"])
def test_the_audit_trail_cannot_be_written_in_the_admin_even_by_a_superuser(
    client, superuser, submitted_verification, step
):
    event = AuditEvent.objects.latest("id")
    before = list(AuditEvent.objects.values_list("id", "action", "note", "actor"))
    client.force_login(superuser)
    forged = {"action": "verification.publish", "note": "forged", "post": "yes"}
    url = {
        "add": reverse("admin:claims_auditevent_add"),
        "change": reverse("admin:claims_auditevent_change", args=[event.pk]),
        "delete": reverse("admin:claims_auditevent_delete", args=[event.pk]),
    }[step]

    response = client.post(url, forged)

    assert response.status_code == 403
    assert list(AuditEvent.objects.values_list("id", "action", "note", "actor")) == before


def test_the_audit_trail_cannot_be_bulk_deleted_in_the_admin(
    client, superuser, submitted_verification
):
    count = AuditEvent.objects.count()
    client.force_login(superuser)
    response = client.post(
        reverse("admin:claims_auditevent_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": list(AuditEvent.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )
    assert response.status_code in (200, 302)
    assert AuditEvent.objects.count() == count
    assert not any("deleted" in message.lower() for message in messages_of(response))


def test_history_of_a_published_verification_keeps_it_immutable(
    claim, publish_verification, editor
):
    published = publish_verification(claim)
    published.rationale = "Rewritten"
    with pytest.raises(DeskError):
        published.save()
    fresh = Verification.objects.get(pk=published.pk)
    assert fresh.rationale != "Rewritten"
    assert fresh.history.first().status == "published"
    assert not fresh.history.filter(rationale="Rewritten").exists()
