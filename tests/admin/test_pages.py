"""Every model's changelist, add and change pages, for each role."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import workflow
from claims.models import ClaimSubmission
from claims.services import claim_merge
from claims.services.revisions import revision_propose

from .. import factories

MODELS = (
    "source",
    "article",
    "place",
    "claim",
    "verification",
    "evidence",
    "explainer",
    "correction",
    "auditevent",
    "standingpage",
    "claimsubmission",
    "revision",
    "mergedclaim",
)
ROLES = ("reporter", "factchecker", "editor")

# (model, role) pairs whose add page is refused; every role may see every list and object.
ADD_REFUSED = {
    ("explainer", "reporter"),
    ("correction", "reporter"),
    ("correction", "factchecker"),
    ("auditevent", "reporter"),
    ("auditevent", "factchecker"),
    ("auditevent", "editor"),
    ("standingpage", "reporter"),
    ("standingpage", "factchecker"),
    # Submissions come from readers through the site, never from the desk.
    ("claimsubmission", "reporter"),
    ("claimsubmission", "factchecker"),
    ("claimsubmission", "editor"),
    # Revisions are made by editing a live claim or explainer, never added by hand.
    ("revision", "reporter"),
    ("revision", "factchecker"),
    ("revision", "editor"),
    # Merges are recorded by merging, never added by hand.
    ("mergedclaim", "reporter"),
    ("mergedclaim", "factchecker"),
    ("mergedclaim", "editor"),
}


def test_every_model_with_an_admin_is_covered_here():
    from django.contrib import admin

    registered = {m._meta.model_name for m in admin.site._registry if m._meta.app_label == "claims"}
    assert registered == set(MODELS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", MODELS)
def test_changelist_renders_for_every_role(client, role_users, desk_objects, model, role):
    client.force_login(role_users[role])
    response = client.get(reverse(f"admin:claims_{model}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", MODELS)
def test_add_page_renders_or_is_refused_by_role(client, role_users, desk_objects, model, role):
    client.force_login(role_users[role])
    response = client.get(reverse(f"admin:claims_{model}_add"))
    assert response.status_code == (403 if (model, role) in ADD_REFUSED else 200)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", MODELS)
def test_change_page_renders_for_every_role(client, role_users, desk_objects, model, role):
    client.force_login(role_users[role])
    obj = desk_objects[model]
    response = client.get(reverse(f"admin:claims_{model}_change", args=[obj.pk]))
    assert response.status_code == 200


def test_changelist_search_and_filters_render(admin_client, desk_objects):
    for model, query in (
        ("claim", "?q=Toretsk&queue=unassessed"),
        ("claim", "?queue=stale&current_verdict__exact=unconfirmed"),
        ("verification", "?status__exact=submitted&q=Toretsk"),
        ("explainer", "?status__exact=published"),
        ("auditevent", "?q=correction"),
        ("place", "?q=Toretsk"),
    ):
        response = admin_client.get(reverse(f"admin:claims_{model}_changelist") + query)
        assert response.status_code == 200, (model, query)


def test_superuser_cannot_change_or_delete_audit_events_or_corrections(admin_client, desk_objects):
    for model in ("auditevent", "correction"):
        obj = desk_objects[model]
        change = reverse(f"admin:claims_{model}_change", args=[obj.pk])
        assert admin_client.post(change, {"note": "rewritten"}).status_code == 403
        delete = reverse(f"admin:claims_{model}_delete", args=[obj.pk])
        response = admin_client.post(delete, {"post": "yes"})
        # The audit trail's admin is Django's own; a correction's says why, on its page.
        assert (response.status_code, response.get("Location")) == (
            (403, None) if model == "auditevent" else (302, change)
        )
        assert type(obj).objects.filter(pk=obj.pk).exists()


def _more_rows(model, n, claim, factchecker, editor):
    """Add `n` rows that show on `model`'s changelist, with their related objects."""
    for i in range(n):
        if model == "article":
            factories.ArticleFactory()
        elif model == "evidence":
            factories.EvidenceFactory(claim=claim, source=factories.SourceFactory())
        elif model == "verification":
            verification = factories.VerificationFactory(claim=claim, author=factchecker)
            workflow.verification_submit(verification=verification, by=factchecker)
        elif model == "explainer":
            factories.ExplainerFactory()
        elif model in ("correction", "auditevent"):
            explainer = factories.ExplainerFactory()
            workflow.explainer_submit(explainer=explainer, by=factchecker)
            workflow.explainer_publish(explainer=explainer, by=editor)
            workflow.correction_issue(explainer=explainer, by=editor, text=f"Fix {i}.")
        elif model == "source":
            factories.SourceFactory()
        elif model == "place":
            factories.PlaceFactory()
        elif model == "claimsubmission":
            ClaimSubmission.objects.create(text=f"Please check claim number {i} about the front.")
        elif model == "mergedclaim":
            into = factories.ClaimFactory(claimant=claim.claimant)
            duplicate = factories.ClaimFactory(statement=f"Duplicate number {i} of a claim")
            claim_merge(duplicate=duplicate, into=into, by=editor)
        elif model == "revision":
            explainer = factories.ExplainerFactory()
            workflow.explainer_submit(explainer=explainer, by=factchecker)
            workflow.explainer_publish(explainer=explainer, by=editor)
            revision_propose(subject=explainer, by=factchecker, changes={"body": f"Body {i}."})


@pytest.mark.parametrize("model", [m for m in MODELS if m not in ("claim", "standingpage")])
def test_changelist_queries_do_not_grow_with_rows(
    client, desk_objects, claim, factchecker, editor, model
):
    url = reverse(f"admin:claims_{model}_changelist")
    client.force_login(editor)
    _more_rows(model, 2, claim, factchecker, editor)
    with CaptureQueriesContext(connection) as few:
        client.get(url)

    _more_rows(model, 8, claim, factchecker, editor)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert response.context["cl"].result_count > 10
    assert len(many.captured_queries) == len(few.captured_queries)


def test_audit_events_can_be_filtered_by_action(client, reporter, desk_objects):
    client.force_login(reporter)
    response = client.get(
        reverse("admin:claims_auditevent_changelist"), {"action": "correction.correction"}
    )

    events = list(response.context["cl"].result_list)
    assert [event.action for event in events] == ["correction.correction"]
    assert events[0].actor.username == "editor"


def test_editor_edits_a_standing_page_and_readers_see_it(client, editor, reporter, desk_objects):
    page = desk_objects["standingpage"]
    client.force_login(reporter)
    url = reverse("admin:claims_standingpage_change", args=[page.pk])
    refused = client.post(url, {"title": "Hijacked", "summary": "", "body": "x"})
    assert refused.status_code == 403
    client.force_login(editor)
    response = client.post(url, {"title": "How we work", "summary": "", "body": "We **check**."})
    assert response.status_code == 302
    page.refresh_from_db()
    assert (page.title, page.updated_by) == ("How we work", editor)
    client.logout()
    assert "We <strong>check</strong>." in client.get(reverse("site:methodology")).text


def test_submission_triage_records_who_handled_it(client, factchecker, desk_objects):
    submission = desk_objects["claimsubmission"]
    client.force_login(factchecker)
    url = reverse("admin:claims_claimsubmission_change", args=[submission.pk])
    page = client.get(url)
    assert "Start a claim from this submission" in page.text
    response = client.post(url, {"status": "declined", "claim": ""})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert (submission.status, submission.handled_by) == ("declined", factchecker)
    assert submission.text.startswith("Is it true")


def test_dashboard_lists_readers_submissions(client, reporter, desk_objects):
    client.force_login(reporter)
    response = client.get(reverse("admin:index"))
    assert "Claims readers asked us to check" in response.text
    assert "dam near the town" in response.text


def test_declining_submissions_in_bulk_records_who_and_skips_handled_ones(
    client, factchecker, reporter, desk_objects
):
    new = desk_objects["claimsubmission"]
    accepted = ClaimSubmission.objects.create(text="Is it true the bridge fell?", status="accepted")
    client.force_login(factchecker)
    response = client.post(
        reverse("admin:claims_claimsubmission_changelist"),
        {"action": "decline_selected", "_selected_action": [new.pk, accepted.pk]},
    )
    assert response.status_code == 302
    new.refresh_from_db()
    accepted.refresh_from_db()
    assert (new.status, new.handled_by) == ("declined", factchecker)
    assert (accepted.status, accepted.handled_by) == ("accepted", None)
