"""Every model's changelist, add and change pages, for each role."""

import pytest
from django.urls import reverse

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
