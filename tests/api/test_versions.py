"""The API's ETags carry the object's version, the same one the desk's change forms check: an
If-Match from an older version is a 412 that says which version the object is at, and the
UPDATE itself only lands on the version If-Match names."""

import pytest
from django.db.models import F

from claims import workflow
from claims.api.views.base import ReadWriteViewSet
from claims.models import Claim, Source

from .. import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(db):
    return factories.SourceFactory(name="A brigade")


def test_etag_names_the_version(as_reporter, source):
    response = as_reporter.get(f"/api/v1/sources/{source.pk}/")
    assert response.status_code == 200
    assert response["ETag"].startswith('"v1-')


def test_a_patch_moves_the_version_on_and_answers_with_the_new_etag(as_reporter, source):
    url = f"/api/v1/sources/{source.pk}/"
    etag = as_reporter.get(url)["ETag"]

    response = as_reporter.patch(url, {"name": "The brigade"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"].startswith('"v2-')
    assert response["ETag"] == as_reporter.get(url)["ETag"]
    assert Source.objects.get(pk=source.pk).version == 2


def test_if_match_from_an_older_version_is_a_412_naming_the_versions(
    as_reporter, as_factchecker, source
):
    url = f"/api/v1/sources/{source.pk}/"
    old = as_reporter.get(url)["ETag"]
    as_factchecker.patch(url, {"name": "First"}, format="json", HTTP_IF_MATCH=old)

    response = as_reporter.patch(url, {"name": "Second"}, format="json", HTTP_IF_MATCH=old)

    assert response.status_code == 412
    body = response.json()
    assert body["code"] == "precondition_failed"
    assert "it is now version 2, your If-Match names version 1" in body["detail"]
    assert Source.objects.get(pk=source.pk).name == "First"


@pytest.mark.parametrize("header", ["v1-abc", '"v1-abc', "W/", ","])
def test_an_if_match_naming_no_entity_tag_is_a_412_and_changes_nothing(as_reporter, source, header):
    # A garbled header is not the same as none: it names no state of the object, so it can
    # never stand for "I have seen the current version".
    url = f"/api/v1/sources/{source.pk}/"
    response = as_reporter.patch(url, {"name": "Changed"}, format="json", HTTP_IF_MATCH=header)
    assert response.status_code == 412
    assert Source.objects.get(pk=source.pk).name == "A brigade"


def test_a_change_landing_between_the_check_and_the_write_is_a_412(
    as_reporter, source, monkeypatch
):
    """Someone else's save slips in after If-Match was checked: the conditional UPDATE
    (WHERE version = the If-Match version) refuses, and nothing of this request is kept."""
    url = f"/api/v1/sources/{source.pk}/"
    etag = as_reporter.get(url)["ETag"]

    def someone_else_saves(self, instance):
        Source.objects.filter(pk=instance.pk).update(
            description="Their change", version=F("version") + 1
        )

    monkeypatch.setattr(ReadWriteViewSet, "check_editable", someone_else_saves)
    response = as_reporter.patch(
        url, {"name": "Mine", "aliases": ["Mine too"]}, format="json", HTTP_IF_MATCH=etag
    )

    assert response.status_code == 412
    assert "it is now version 2, your If-Match names version 1" in response.json()["detail"]
    source.refresh_from_db()
    assert (source.name, source.description) == ("A brigade", "")
    assert not source.aliases.exists()


def test_a_workflow_step_makes_an_older_etag_stale(as_factchecker, factchecker, draft_verification):
    url = f"/api/v1/verifications/{draft_verification.pk}/"
    etag = as_factchecker.get(url)["ETag"]
    assert etag.startswith('"v1-')
    workflow.verification_submit(verification=draft_verification, by=factchecker)
    workflow.verification_return(
        verification=draft_verification,
        by=factories.UserFactory(username="chief", role="Editor"),
        note="More evidence.",
    )
    workflow.verification_reopen(verification=draft_verification, by=factchecker)

    response = as_factchecker.patch(url, {"rationale": "x"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 412
    assert "it is now version 4" in response.json()["detail"]


def test_api_saves_are_in_the_history_with_the_user_and_reason(as_reporter, reporter, claim):
    url = f"/api/v1/claims/{claim.pk}/"
    etag = as_reporter.get(url)["ETag"]

    plain = as_reporter.patch(url, {"quote": "Toretsk is ours."}, format="json", HTTP_IF_MATCH=etag)
    reasoned = as_reporter.patch(
        url,
        {"quote": "Toretsk has been liberated."},
        format="json",
        HTTP_IF_MATCH=plain["ETag"],
        HTTP_X_CHANGE_REASON="the ministry's exact words",
    )

    assert reasoned.status_code == 200
    rows = list(Claim.objects.get(pk=claim.pk).history.all()[:2])
    assert [(r.history_user, r.history_change_reason, r.quote, r.version) for r in rows] == [
        (reporter, "the ministry's exact words", "Toretsk has been liberated.", 3),
        (reporter, "edited through the API", "Toretsk is ours.", 2),
    ]


def test_api_creates_are_in_the_history_with_the_user(as_reporter, reporter):
    response = as_reporter.post(
        "/api/v1/places/", {"name": "Chasiv Yar", "kind": "town"}, format="json"
    )
    assert response.status_code == 201, response.json()
    (row,) = factories.PlaceFactory._meta.model.history.filter(id=response.json()["id"])
    assert (row.history_user, row.history_change_reason, row.history_type) == (
        reporter,
        "added through the API",
        "+",
    )


def test_the_api_has_no_route_for_history(as_editor, claim):
    urls = (
        "/api/v1/history/",
        "/api/v1/historicalclaims/",
        f"/api/v1/claims/{claim.pk}/history/",
        "/api/v1/auditevents/",
        "/api/v1/audit/",
    )
    for url in urls:
        for method in ("get", "post", "put", "patch", "delete"):
            response = getattr(as_editor, method)(url, {}, format="json")
            assert response.status_code == 404, (method, url, response.status_code)
    assert Claim.history.count() == 1


def test_a_version_sent_in_the_body_is_ignored(as_reporter, source):
    url = f"/api/v1/sources/{source.pk}/"
    etag = as_reporter.get(url)["ETag"]

    response = as_reporter.patch(
        url, {"name": "Renamed", "version": 99}, format="json", HTTP_IF_MATCH=etag
    )

    assert response.status_code == 200
    assert Source.objects.get(pk=source.pk).version == 2
    assert response["ETag"].startswith('"v2-')
