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


def cache_control(response):
    return {d.strip().split("=")[0] for d in response.get("Cache-Control", "").split(",") if d}


def vary(response):
    return {value.strip() for value in response.get("Vary", "").split(",") if value.strip()}


def test_every_answer_to_the_desk_is_private_and_varies_by_credentials(
    as_editor, client, editor, desk
):
    client.force_login(editor)  # a desk session, as the browsable API has
    urls = [
        "/api/v1/claims/",
        f"/api/v1/claims/{desk.unpublished.pk}/",
        f"/api/v1/verifications/{desk.draft.pk}/",
        f"/api/v1/explainers/{desk.draft_explainer.pk}/",
        "/api/v1/claimreviews/",
        "/api/v1/claims/999999/",
    ]
    wrong = {}
    for who, api in (("token", as_editor), ("session", client)):
        for url in urls:
            response = api.get(url, HTTP_ACCEPT="application/json")
            if "private" not in cache_control(response) or not {
                "Authorization",
                "Cookie",
            } <= vary(response):
                wrong[(who, url)] = (response.status_code, response.get("Cache-Control"))
    assert wrong == {}


def test_answers_to_readers_vary_by_credentials_and_are_not_private(anon, desk):
    for url in ["/api/v1/claims/", f"/api/v1/claims/{desk.unpublished.pk}/"]:
        for _ in range(2):  # rendered, then from the cache
            response = anon.get(url)
            assert {"Authorization", "Cookie"} <= vary(response), url
            assert "private" not in cache_control(response), url
