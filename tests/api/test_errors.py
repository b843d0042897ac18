"""Bad input of any kind is a clear JSON 4xx, never a 500, and leaves nothing half-written."""

from http import HTTPStatus

import pytest

from claims.models import Claim

pytestmark = pytest.mark.django_db

HUGE = "9" * 40


PROBLEM_JSON = "application/problem+json"


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["type"] == "about:blank" and body["title"] == HTTPStatus(status).phrase
    assert body["status"] == status
    assert body["code"] == code
    assert body["detail"]
    return body


@pytest.mark.parametrize(
    "params, field",
    [
        ({"colour": "red"}, "colour"),
        ({"verdict": "probably"}, "verdict"),
        ({"claimant": "abc"}, "claimant"),
        ({"claimant": HUGE}, "claimant"),
        ({"claimant": "-1"}, "claimant"),
        ({"claimed_from": "2025-02-30"}, "claimed_from"),
        ({"claimed_from": "yesterday"}, "claimed_from"),
        ({"updated_since": "2025-13-01T00:00"}, "updated_since"),
        ({"updated_since": "0001-01-01T00:00:00+05:00"}, "updated_since"),
        ({"verdict_changed_since": "9999-12-31T23:59:59-05:00"}, "verdict_changed_since"),
        ({"has_evidence": "perhaps"}, "has_evidence"),
        ({"place": "a\x00b"}, "place"),
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"page_size": "-5"}, "page_size"),
        ({"page_size": "many"}, "page_size"),
        ({"ordering": "quote"}, "ordering"),
        ({"ordering": ","}, "ordering"),
    ],
)
def test_bad_query_parameters_are_a_400_naming_the_parameter(anon, desk, params, field):
    body = assert_error(anon.get("/api/v1/claims/", params), 400, "invalid")
    assert field in body["errors"]


def test_page_past_the_end_is_a_404(anon, desk):
    assert_error(anon.get("/api/v1/claims/", {"page": HUGE}), 404, "not_found")


LISTS = [
    "sources",
    "articles",
    "places",
    "claims",
    "verifications",
    "evidence",
    "explainers",
    "corrections",
    "claimreviews",
]
OUT_OF_RANGE = [HUGE, "99999999999999999999", str(2**63), str(2**63 - 1), str(2**62), "2"]


def json_404s(client, urls):
    """The addresses among `urls` that are not answered with the API's JSON 404."""
    wrong = {}
    for url in urls:
        response = client.get(url)
        if response.status_code != 404 or response["Content-Type"] != PROBLEM_JSON:
            wrong[url] = (response.status_code, response["Content-Type"])
        elif response.json()["code"] != "not_found":
            wrong[url] = response.json()
    return wrong


@pytest.mark.parametrize("reader", ["anon", "as_editor"])
@pytest.mark.parametrize("resource", LISTS)
def test_a_page_number_past_the_end_is_a_404_on_every_list(request, desk, reader, resource):
    client = request.getfixturevalue(reader)
    urls = [f"/api/v1/{resource}/?page={page}" for page in OUT_OF_RANGE]
    assert json_404s(client, urls) == {}


@pytest.mark.parametrize("resource", LISTS)
def test_a_malformed_page_number_is_a_400_on_every_list(anon, desk, resource):
    for page in ["0", "-1", "-99999999999999999999", "1.5", "x", "", "1e3", "\u0661"]:
        body = assert_error(anon.get(f"/api/v1/{resource}/", {"page": page}), 400, "invalid")
        assert "page" in body["errors"], page


@pytest.mark.parametrize("resource", LISTS)
def test_a_page_size_beyond_the_largest_number_is_cut_to_the_maximum(anon, desk, resource):
    assert anon.get(f"/api/v1/{resource}/", {"page_size": HUGE}).status_code == 200


@pytest.mark.parametrize("reader", ["anon", "as_editor"])
@pytest.mark.parametrize("resource", LISTS)
def test_an_id_out_of_range_or_malformed_in_an_address_is_a_json_404(
    request, desk, reader, resource
):
    client = request.getfixturevalue(reader)
    ids = [HUGE, str(2**63), str(2**63 - 1), "-1", "0", "1.5", "1e3", "abc"]
    assert json_404s(client, [f"/api/v1/{resource}/{pk}/" for pk in ids]) == {}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/verifications/{pk}/publish/",
        "/api/v1/verifications/{pk}/submit/",
        "/api/v1/explainers/{pk}/publish/",
        "/api/v1/explainers/{pk}/corrections/",
    ],
)
def test_a_workflow_step_on_an_id_out_of_range_or_malformed_is_a_json_404(as_editor, desk, url):
    for pk in [HUGE, str(2**63), "-1", "0", "x"]:
        response = as_editor.post(url.format(pk=pk), {"text": "x", "note": "x"}, format="json")
        assert_error(response, 404, "not_found")


ID_FILTERS = [
    ("articles", "outlet"),
    ("claims", "claimant"),
    ("claims", "explainer"),
    ("claimreviews", "claimant"),
    ("claimreviews", "explainer"),
    ("verifications", "claim"),
    ("evidence", "claim"),
    ("evidence", "source"),
    ("corrections", "explainer"),
]


@pytest.mark.parametrize("resource, name", ID_FILTERS)
def test_an_id_filter_out_of_range_or_malformed_is_a_400_naming_it(anon, desk, resource, name):
    for value in [HUGE, str(2**63), "-1", "0", "1.5", "x", "1e3"]:
        body = assert_error(anon.get(f"/api/v1/{resource}/", {name: value}), 400, "invalid")
        assert name in body["errors"], value


@pytest.mark.parametrize("resource, name", ID_FILTERS)
def test_an_id_filter_at_the_largest_id_finds_nothing(anon, desk, resource, name):
    response = anon.get(f"/api/v1/{resource}/", {name: str(2**63 - 1)})
    assert response.status_code == 200, response.content
    results = response.json().get("results", response.json().get("dataFeedElement"))
    assert results == []


@pytest.mark.parametrize("resource", ["claims", "explainers", "claimreviews"])
def test_a_place_filter_given_a_number_finds_nothing(anon, desk, resource):
    response = anon.get(f"/api/v1/{resource}/", {"place": HUGE})
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("pk", ["999999", HUGE, "0"])
def test_unknown_ids_are_a_404(anon, desk, pk):
    assert_error(anon.get(f"/api/v1/claims/{pk}/"), 404, "not_found")


def test_non_numeric_id_is_not_a_route(anon, desk):
    assert anon.get("/api/v1/claims/abc/").status_code == 404


def test_malformed_json_is_a_400(as_reporter, desk):
    response = as_reporter.generic(
        "POST", "/api/v1/claims/", "{not json", content_type="application/json"
    )
    assert_error(response, 400, "parse_error")


def test_wrong_types_are_a_400_by_field(as_reporter, desk):
    before = Claim.objects.count()
    response = as_reporter.post(
        "/api/v1/claims/",
        {
            "statement": ["a list"],
            "quote": 12,
            "claimant_id": "the ministry",
            "claimed_on": "7 Feb",
            "place_ids": "Toretsk",
        },
        format="json",
    )
    body = assert_error(response, 400, "invalid")
    assert {"statement", "claimant_id", "claimed_on", "place_ids"} <= set(body["errors"])
    assert Claim.objects.count() == before


def test_huge_ids_in_a_body_are_a_400(as_reporter, desk):
    response = as_reporter.post(
        "/api/v1/claims/",
        {
            "statement": "A claim",
            "quote": "Said.",
            "claimant_id": int(HUGE),
            "claimed_on": "2025-02-07",
            "place_ids": [int(HUGE)],
        },
        format="json",
    )
    body = assert_error(response, 400, "invalid")
    assert {"claimant_id", "place_ids"} <= set(body["errors"])


@pytest.mark.parametrize("if_match", ['"v1-0"', 'W/"3Ij#YY~CHn", ""', "*"])
def test_a_body_that_is_not_json_is_a_400_whatever_if_match_says(as_editor, desk, if_match):
    response = as_editor.generic(
        "PUT",
        f"/api/v1/places/{desk.toretsk.pk}/",
        b"5\xffl\xfeq",
        content_type="application/json",
        HTTP_IF_MATCH=if_match,
    )
    assert_error(response, 400, "parse_error")


def test_body_that_is_not_an_object_is_a_400(as_reporter, desk):
    response = as_reporter.post("/api/v1/claims/", [1, 2, 3], format="json")
    assert_error(response, 400, "invalid")


def test_unsupported_media_type_is_a_415(as_reporter, desk):
    response = as_reporter.generic(
        "POST", "/api/v1/claims/", "statement=x", content_type="text/plain"
    )
    assert_error(response, 415, "unsupported_media_type")


def test_method_not_allowed_is_a_405(as_editor, desk):
    assert_error(as_editor.delete("/api/v1/claims/"), 405, "method_not_allowed")


def test_writes_without_credentials_are_a_401(anon, desk):
    response = anon.post("/api/v1/claims/", {}, format="json")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


def test_bad_token_is_a_401(anon, desk):
    anon.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert_error(anon.get("/api/v1/claims/"), 401, "authentication_failed")


def test_unknown_api_address_is_a_json_404(anon):
    response = anon.get("/api/v1/no-such-thing/")
    assert_error(response, 404, "not_found")
    assert anon.get("/api/v1/claims").status_code == 301  # the slash is still appended


UNMATCHED = [
    "/api",
    "/api/",
    "/api/v0/",
    "/api/v2/claims/",
    "/api/v2/claims",
    "/api/v1/nothing",
    "/api/v1/nothing/",
    "/api/v1/claims/1/junk",
    "/api/v1/claims/1/junk/",
    "/api/v1/claims/1/publish/more/",
    "/api/v1/claims/%0A/",
    "/api/v1/claims/x%0Ay/",
    "/api/v1/claims/1%0A",
    "/api/v1/claims/1%0A/",
    "/api/v1/%0D%0A/",
    "/api/%00/",
    "/api/v1/claims/%E2%80%AE/",
    "/api/v1/claims/%FF/",
    "/api/v1/claims/%2F/",
    "/api/v1/claims.xml",
    "/api/v1/claims/1.xml",
    "/api/v1/auth/nothing/",
    "/api/schema/junk",
    "/api/docs/junk/",
]


@pytest.mark.parametrize("method", ["get", "head", "post", "put", "patch", "delete", "options"])
def test_every_unmatched_address_under_the_api_is_a_json_404(anon, method):
    wrong = {}
    for url in UNMATCHED:
        response = getattr(anon, method)(url)
        json = response["Content-Type"] == PROBLEM_JSON
        if response.status_code != 404 or not json:
            wrong[url] = (response.status_code, response["Content-Type"])
        elif method != "head" and response.json()["code"] != "not_found":
            wrong[url] = response.json()
    assert wrong == {}


@pytest.mark.parametrize(
    "method, status", [("get", 301), ("head", 301), ("post", 308), ("put", 308), ("delete", 308)]
)
def test_an_address_missing_only_its_final_slash_is_sent_to_it_in_json(anon, method, status):
    response = getattr(anon, method)("/api/v1/claims?verdict=disputed")
    assert response.status_code == status
    assert response["Location"] == "/api/v1/claims/?verdict=disputed"
    assert response["Content-Type"] == "application/json"
    if method != "head":
        assert response.json()["status"] == status


@pytest.mark.parametrize(
    "method, url",
    [
        ("delete", "/api/v1/claims/"),
        ("put", "/api/v1/"),
        ("post", "/api/v1/claimreviews/"),
        ("post", "/api/schema/"),
        ("delete", "/api/schema/"),
        ("post", "/api/docs/"),
        ("put", "/api/redoc/"),
    ],
)
def test_a_method_an_address_does_not_take_is_a_json_405(as_editor, method, url):
    response = getattr(as_editor, method)(url)
    assert response["Content-Type"] == PROBLEM_JSON
    assert_error(response, 405, "method_not_allowed")


@pytest.mark.parametrize(
    "field, value",
    [
        ("statement", 12),
        ("quote", True),
        ("claimant_id", "1"),
        ("claimant_id", True),
        ("place_ids", {"1": 1}),
        ("place_ids", "1"),
        ("claimed_on", 20250207),
    ],
)
def test_near_miss_types_are_refused_not_coerced(as_reporter, desk, field, value):
    data = {
        "statement": "A claim",
        "quote": "Said.",
        "claimant_id": desk.ministry.pk,
        "claimed_on": "2025-02-07",
        field: value,
    }
    body = assert_error(as_reporter.post("/api/v1/claims/", data, format="json"), 400, "invalid")
    assert field in body["errors"]


def test_coordinates_are_numbers_and_missing_links_null(as_reporter, desk):
    response = as_reporter.post(
        "/api/v1/evidence/",
        {
            "claim": desk.holding.pk,
            "kind": "photo",
            "description": "A photo.",
            "latitude": "48.1",
            "longitude": 37.5,
        },
        format="json",
    )
    assert_error(response, 400, "invalid")
    response = as_reporter.post(
        "/api/v1/evidence/",
        {
            "claim": desk.holding.pk,
            "kind": "photo",
            "description": "A photo.",
            "latitude": 48.1,
            "longitude": 37.5,
            "url": None,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["latitude"] == 48.1
    assert response.json()["url"] is None
    assert response.json()["archived_url"] is None


def test_time_offsets_python_accepts_but_postgresql_does_not_are_fine(anon, desk):
    response = anon.get("/api/v1/claims/", {"verdict_changed_since": "2025-02-01T08:00:00-20:49"})
    assert response.status_code == 200
    assert anon.get("/api/v1/claims/").status_code == 200


def test_errors_are_rfc_9457_problem_details_with_the_fields_clients_had(anon):
    response = anon.get("/api/v1/claims/", {"colour": "red"})
    assert response["Content-Type"] == PROBLEM_JSON
    body = assert_error(response, 400, "invalid")
    assert set(body) == {"type", "title", "status", "code", "detail", "errors"}
    assert "colour" in body["errors"]


def test_a_client_that_accepts_only_problem_details_is_not_refused(anon, desk):
    accept = {"HTTP_ACCEPT": PROBLEM_JSON}
    error = anon.get("/api/v1/claims/999999/", **accept)
    assert error["Content-Type"] == PROBLEM_JSON
    assert_error(error, 404, "not_found")
    found = anon.get(f"/api/v1/claims/{desk.capture.pk}/", **accept)
    assert found.status_code == 200 and found.json()["id"] == desk.capture.pk


def test_a_client_that_asks_for_json_only_gets_the_same_body_as_json(anon):
    response = anon.get("/api/v1/claims/", {"colour": "red"}, HTTP_ACCEPT="application/json")
    assert response["Content-Type"] == "application/json"
    assert_error(response, 400, "invalid")
    unmatched = anon.get("/api/v2/nothing", HTTP_ACCEPT="application/json")
    assert unmatched["Content-Type"] == "application/json"
    assert_error(unmatched, 404, "not_found")
