"""The OpenAPI description is complete and valid, and the docs are served offline."""

import json
import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import get_resolver

from claims.api import urls as api_urls
from claims.api.schema import ERRORS

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        from drf_spectacular.generators import SchemaGenerator

        return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_spectacular_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert yaml.safe_load(out.read_text())["openapi"].startswith("3.")


def test_every_api_route_is_described(schema):
    described = set(schema["paths"])
    for pattern in api_urls.router.urls:
        route = str(pattern.pattern)
        if "format" in route:
            continue
        path = "/api/v1/" + re.sub(r"\(\?P<(\w+)>[^)]+\)", r"{\1}", route.strip("^$"))
        path = path.replace("{pk}", "{id}")
        if path != "/api/v1/":  # the root, a list of links
            assert path in described, path
    assert "/api/v1/claimreviews/{id}/" not in described


def test_every_operation_describes_its_errors_auth_and_conditional_headers(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        assert {"400", "401", "406", "429"} <= set(responses), (method, path)
        for code in responses:
            if code in ERRORS:
                ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", (method, path, code)
        assert "Retry-After" in responses["429"]["headers"]
        security = operation["security"]
        assert {"tokenAuth": []} in security and {"cookieAuth": []} in security
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        if method == "get":
            assert {} in security, (method, path)  # reads need no credentials
            assert "304" in responses and "If-None-Match" in headers
        else:
            assert {} not in security, (method, path)
        if method in ("put", "patch"):
            assert "If-Match" in headers and {"412", "428"} <= set(responses)


def test_every_filter_of_every_list_is_described(schema):
    from claims.api.views.base import DeskViewSet

    for path, method, operation in operations(schema):
        if method != "get" or "{id}" in path:
            continue
        resource = path.split("/")[3]
        registry = {prefix: viewset for prefix, viewset, _ in api_urls.router.registry}
        viewset = registry[resource]
        params = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
        expected = set(viewset.filterset_class.base_filters) | {"page", "page_size", "ordering"}
        if getattr(viewset, "search_kind", None):
            expected.add("search")
        assert expected <= params, (path, expected - params)
        assert isinstance(viewset(), DeskViewSet)


def test_auth_schemes_are_described(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["tokenAuth"]["type"] == "apiKey"
    assert schemes["tokenAuth"]["in"] == "header"
    assert schemes["cookieAuth"]["in"] == "cookie"


def test_desk_only_fields_are_optional_in_responses(schema):
    component = schema["components"]["schemas"]["Verification"]
    assert "author" not in component["required"]
    assert "Desk staff only" in component["properties"]["review_note"]["description"]


def test_schema_is_served(anon):
    response = anon.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert "/api/v1/claims/" in response.json()["paths"]


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_load_nothing_from_other_servers(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), html
    assert 'validatorUrl": null' in html or url == "/api/redoc/"
    for asset in re.findall(r"""(?:src|href)="/static/([^"]+)\"""", html):
        assert finders.find(asset), asset


def test_browsable_api_renders_for_a_logged_in_editor(client, editor, desk):
    client.force_login(editor)
    response = client.get("/api/v1/claims/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"Claim List" in response.content


def test_api_root_lists_every_resource(anon):
    names = set(anon.get("/api/v1/").json())
    assert names == {prefix for prefix, _, _ in api_urls.router.registry}
    assert get_resolver().resolve("/api/v1/claims/")


def _subschemas(node, where=""):
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from _subschemas(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _subschemas(value, f"{where}/{index}")


def test_nullable_is_only_ever_beside_a_type_so_generated_clients_accept_the_nulls(schema):
    # OpenAPI 3.0.3 gives `nullable` a meaning only next to `type` (Redocly's
    # nullable-type-sibling); anywhere else openapi-core and generated clients refuse null.
    loose = [
        where
        for where, node in _subschemas(schema)
        if node.get("nullable") is True and "type" not in node
    ]
    assert not loose


def test_the_description_passes_redoclys_recommended_rules_that_we_keep(schema):
    # docs/redocly.yaml: `npx @redocly/cli lint` with the recommended rules, one off with its
    # reason.
    for path, method, operation in operations(schema):
        assert operation.get("summary"), (method, path)
        assert operation.get("tags"), (method, path)
    assert schema["info"]["license"]["url"].startswith("https://")
    assert schema["servers"] and schema["servers"][0]["url"]
    text = json.dumps(schema, default=str)
    unused = [name for name in schema["components"]["schemas"] if f'/{name}"' not in text]
    assert not unused


def test_a_live_objects_update_is_described_with_its_202_revision(schema):
    for path in ("/api/v1/claims/{id}/", "/api/v1/explainers/{id}/"):
        for method in ("put", "patch"):
            accepted = schema["paths"][path][method]["responses"]["202"]
            body = accepted["content"]["application/json"]["schema"]
            assert body["$ref"] == "#/components/schemas/Revision"
            assert "Location" in accepted["headers"]


def test_the_schema_is_sent_compressed_with_a_validator(client):
    plain = client.get("/api/schema/")
    assert plain.status_code == 200 and plain["ETag"]
    zipped = client.get("/api/schema/", HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert len(zipped.content) * 5 < len(plain.content)
    assert "Accept-Encoding" in zipped["Vary"]
    again = client.get(
        "/api/schema/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=zipped["ETag"]
    )
    assert again.status_code == 304
