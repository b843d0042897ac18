"""Confidential sources: only an editor may name one to readers, with a reason; anyone who
edits sources may make one confidential. The same over the admin and the API, for every role
(a reporter must not unmask a confidential source with one PATCH)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from claims.models import AuditEvent, Source

from .. import factories
from ..admin.conftest import messages_of

pytestmark = pytest.mark.django_db

ROLES = ("reporter", "factchecker", "editor")


@pytest.fixture
def confidential(db):
    return factories.SourceFactory(
        name="Major Petrenko",
        slug="major-petrenko",
        is_confidential=True,
        redacted_description="a Ukrainian officer serving near the town",
    )


@pytest.fixture
def public(db):
    return factories.SourceFactory(
        name="Local volunteer",
        slug="local-volunteer",
        redacted_description="a volunteer driver in the district",
    )


def admin_form(source, **changes):
    data = {
        "name": source.name,
        "slug": source.slug,
        "kind": source.kind,
        "affiliation": source.affiliation,
        "description": source.description,
        "home_url": source.home_url,
        "redacted_description": source.redacted_description,
        "seen_version": source.version,
        "change_reason": "",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    if source.is_confidential:
        data["is_confidential"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def api_patch(user, source, data, reason=None):
    client = APIClient()
    client.force_authenticate(user)
    url = f"/api/v1/sources/{source.pk}/"
    headers = {"HTTP_IF_MATCH": client.get(url)["ETag"]}
    if reason:
        headers["HTTP_X_CHANGE_REASON"] = reason
    return client.patch(url, data, format="json", **headers)


def change_url(source):
    return reverse("admin:claims_source_change", args=[source.pk])


@pytest.mark.parametrize("role", ["reporter", "factchecker"])
def test_only_an_editor_can_make_a_confidential_source_public_through_the_api(
    request, confidential, role
):
    response = api_patch(
        request.getfixturevalue(role), confidential, {"is_confidential": False}, "he agreed"
    )

    assert response.status_code == 403
    assert "Only an editor" in response.json()["detail"]
    confidential.refresh_from_db()
    assert confidential.is_confidential
    assert client_sees_no_name(confidential)


@pytest.mark.parametrize("role", ["reporter", "factchecker"])
def test_in_the_desk_a_confidential_sources_confidentiality_is_not_offered_but_to_editors(
    client, request, confidential, role
):
    client.force_login(request.getfixturevalue(role))

    page = client.get(change_url(confidential)).content.decode()
    response = client.post(change_url(confidential), admin_form(confidential, is_confidential=None))

    assert 'name="is_confidential"' not in page
    assert response.status_code == 302
    confidential.refresh_from_db()
    assert confidential.is_confidential  # the crafted post's unticked box was not taken


def test_an_editor_makes_a_source_public_only_with_a_reason_in_the_api(confidential, editor):
    refused = api_patch(editor, confidential, {"is_confidential": False})
    assert refused.status_code == 400
    assert "needs a reason" in refused.json()["detail"]
    confidential.refresh_from_db()
    assert confidential.is_confidential

    done = api_patch(
        editor, confidential, {"is_confidential": False}, "He asked to be named on the record."
    )

    assert done.status_code == 200, done.content
    confidential.refresh_from_db()
    assert not confidential.is_confidential
    event = AuditEvent.objects.get(action="source.reveal")
    assert (event.actor, event.note) == (editor, "He asked to be named on the record.")
    assert confidential.history.first().history_change_reason == (
        "He asked to be named on the record."
    )


def test_an_editor_makes_a_source_public_only_with_a_reason_in_the_desk(
    client, confidential, editor
):
    client.force_login(editor)
    unticked = admin_form(confidential, is_confidential=None)

    refused = client.post(change_url(confidential), unticked)

    assert refused.status_code == 200
    assert "needs a reason" in refused.content.decode()
    confidential.refresh_from_db()
    assert confidential.is_confidential

    unticked["change_reason"] = "Named in his own statement on 9 February."
    done = client.post(change_url(confidential), unticked)

    assert done.status_code == 302, messages_of(done)
    confidential.refresh_from_db()
    assert not confidential.is_confidential
    assert AuditEvent.objects.get(action="source.reveal").note == (
        "Named in his own statement on 9 February."
    )


@pytest.mark.parametrize("role", ROLES)
def test_anyone_who_edits_sources_can_make_one_confidential(request, client, public, role):
    user = request.getfixturevalue(role)

    response = api_patch(user, public, {"is_confidential": True})
    assert response.status_code == 200, response.content
    public.refresh_from_db()
    assert public.is_confidential
    assert AuditEvent.objects.filter(action="source.conceal", actor=user).exists()

    other = factories.SourceFactory(name="Second volunteer", redacted_description="a driver")
    client.force_login(user)
    response = client.post(change_url(other), admin_form(other, is_confidential="on"))
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.is_confidential


def client_sees_no_name(source):
    """The reader API and site show the source by its redacted description only."""
    from django.test import Client

    reader = Client()
    assert reader.get(f"/sources/{source.slug}/").status_code == 404
    return source.name not in reader.get("/api/v1/sources/").content.decode()


def test_a_new_source_can_be_created_confidential_by_a_reporter(reporter):
    client = APIClient()
    client.force_authenticate(reporter)
    response = client.post(
        "/api/v1/sources/",
        {
            "name": "Captain in the 93rd",
            "is_confidential": True,
            "redacted_description": "a Ukrainian company commander",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Source.objects.get(pk=response.json()["id"]).is_confidential
