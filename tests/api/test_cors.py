"""Cross-origin reads (claims/cors.py): any web page may read what is public, never write
and never with credentials. tests/browser/test_cross_origin.py makes the same requests from a
real browser on another origin."""

import pytest

ORIGIN = "https://other.example"
PUBLIC_READS = [
    "/api/v1/claims/",
    "/api/v1/claimreviews/",
    "/api/schema/",
    "/feeds/verdicts.atom",
    "/feeds/explainers.rss",
]


@pytest.mark.parametrize("path", PUBLIC_READS)
def test_any_origin_may_read_public_material(desk, anon, path):
    response = anon.get(path, HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    exposed = response["Access-Control-Expose-Headers"].lower().split(", ")
    assert {"etag", "link", "retry-after"} <= set(exposed)


def test_a_preflight_for_a_read_is_allowed_with_the_revalidation_headers(anon):
    response = anon.options(
        "/api/v1/claims/",
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert set(response["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    allowed = response["Access-Control-Allow-Headers"].split(", ")
    assert "if-none-match" in allowed
    assert "authorization" not in allowed
    assert int(response["Access-Control-Max-Age"]) > 0


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_preflight_for_a_write_gets_no_cors_headers(anon, method):
    response = anon.options(
        "/api/v1/claims/",
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    assert not [name for name in response.headers if name.lower().startswith("access-control")]


def test_a_write_sent_anyway_gets_no_cors_headers(desk, as_editor):
    response = as_editor.post(
        "/api/v1/claims/", {"statement": "x"}, format="json", HTTP_ORIGIN=ORIGIN
    )
    assert "Access-Control-Allow-Origin" not in response


def test_the_desk_and_the_api_login_are_not_opened_to_other_origins(anon):
    for path in ("/admin/login/", "/api/v1/auth/login/"):
        response = anon.get(path, HTTP_ORIGIN=ORIGIN)
        assert "Access-Control-Allow-Origin" not in response, path


def test_a_cached_read_and_a_304_carry_the_cors_headers_too(desk, anon):
    first = anon.get("/api/v1/claimreviews/", HTTP_ORIGIN=ORIGIN)
    again = anon.get("/api/v1/claimreviews/", HTTP_ORIGIN=ORIGIN)
    assert again["X-Reader-Cache"] == "hit"
    assert again["Access-Control-Allow-Origin"] == "*"
    not_modified = anon.get(
        "/api/v1/claimreviews/", HTTP_ORIGIN=ORIGIN, HTTP_IF_NONE_MATCH=first["ETag"]
    )
    assert not_modified.status_code == 304
    assert not_modified["Access-Control-Allow-Origin"] == "*"
