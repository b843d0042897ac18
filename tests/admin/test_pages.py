"""Every model's changelist, add and change pages, for each role."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import workflow

from .. import factories

MODELS = (
    "source", "article", "place", "claim", "verification", "evidence", "explainer",
    "correction", "auditevent",
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
}


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


def test_superuser_cannot_change_or_delete_audit_events_or_corrections(
    admin_client, desk_objects
):
    for model in ("auditevent", "correction"):
        obj = desk_objects[model]
        change = reverse(f"admin:claims_{model}_change", args=[obj.pk])
        assert admin_client.post(change, {"note": "rewritten"}).status_code == 403
        delete = reverse(f"admin:claims_{model}_delete", args=[obj.pk])
        assert admin_client.post(delete, {"post": "yes"}).status_code == 403
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


@pytest.mark.parametrize("model", [m for m in MODELS if m != "claim"])
def test_changelist_queries_do_not_grow_with_rows(client, desk_objects, claim, factchecker,
                                                   editor, model):
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
    response = client.get(reverse("admin:claims_auditevent_changelist"),
                          {"action": "correction.correction"})

    events = list(response.context["cl"].result_list)
    assert [event.action for event in events] == ["correction.correction"]
    assert events[0].actor.username == "editor"
