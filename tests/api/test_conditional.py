"""ETags on reads and conditional GETs: a consumer polling the API re-downloads only changes."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1/claims/", "/api/v1/claims/{desk.capture.pk}/"])
def test_if_none_match_with_the_current_etag_is_a_304(anon, desk, url):
    url = url.format(desk=desk)
    first = anon.get(url)
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    again = anon.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again.content == b""
    assert anon.get(url, HTTP_IF_NONE_MATCH=f'W/{etag}, "other"').status_code == 304


def test_etag_changes_when_what_the_reader_sees_changes(anon, desk, publish_verification):
    url = f"/api/v1/claims/{desk.holding.pk}/"
    etag = anon.get(url)["ETag"]
    publish_verification(desk.holding, verdict="confirmed")
    response = anon.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["current_verdict"] == "confirmed"
    assert response["ETag"] != etag


def test_list_etag_changes_with_a_new_published_item(anon, desk, publish_verification):
    etag = anon.get("/api/v1/verifications/")["ETag"]
    publish_verification(desk.capture, verdict="false")
    assert anon.get("/api/v1/verifications/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_readers_and_the_desk_get_different_etags_and_vary_headers(anon, as_reporter, desk):
    url = f"/api/v1/claims/{desk.officer.pk}/"
    reader, staff = anon.get(url), as_reporter.get(url)
    assert reader["ETag"] != staff["ETag"]
    assert "Authorization" in reader["Vary"] and "Cookie" in reader["Vary"]


def test_head_gives_the_same_etag_as_get(anon, desk):
    url = f"/api/v1/claims/{desk.capture.pk}/"
    head = anon.head(url)
    assert head.status_code == 200
    assert head["ETag"] == anon.get(url)["ETag"]
