"""CSRF: every write made with a session (cookie) needs the CSRF token.

Every URL that takes a POST (the routes with a POST expectation in test_url_access: the
admin's forms, workflow buttons, import and candidate views, login, logout and password
change; the site's submit form; the API's creates and workflow actions with a session) is
posted without a token by a logged-in editor and by an anonymous visitor, through a client
that enforces CSRF checks as a browser's requests are checked: each is refused with 403 (the
API refuses an anonymous write earlier, with 401: without a session there is nothing to
forge).

API requests authenticated with a token (`Authorization: Token …`) are exempt by design: a
browser never adds that header by itself, so another site cannot make one on a user's behalf;
DRF checks CSRF only for session-authenticated requests.
"""

import json

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from .test_url_access import address, expectations, url_patterns

pytestmark = pytest.mark.django_db

# POST routes that take no session write: the API's catch-all 404s, and the read-only files
# (the whole ClaimReview feed, the bulk downloads: a POST is a 405 and writes nothing).
NOT_A_WRITE = {
    r"api/^[\s\S]*$",
    "api",
    "api/v1/claimreviews.jsonld",
    "downloads/<slug:dataset>.<slug:file_format>",
}


def post_routes(world):
    for route, name, pattern in url_patterns():
        if "POST" in (expectations(route) or {}) and route not in NOT_A_WRITE:
            yield route, address(route, name, pattern, world)


def _post(client, url, **extra):
    if url.startswith("/api/") and not url.startswith("/api/v1/auth/"):
        return client.post(url, json.dumps({}), content_type="application/json", **extra)
    return client.post(url, {}, **extra)


def is_csrf_refusal(response):
    body = response.content.decode(errors="replace")
    return response.status_code == 403 and "CSRF" in body


def test_every_session_write_needs_the_csrf_token(world, editor):
    logged_in = Client(enforce_csrf_checks=True)
    logged_in.force_login(editor)
    anonymous = Client(enforce_csrf_checks=True)
    routes = list(post_routes(world))
    assert len(routes) > 40
    wrong = []
    for _route, url in routes:
        for who, client in (("editor", logged_in), ("anonymous", anonymous)):
            response = _post(client, url)
            if who == "anonymous" and url.startswith("/api/v1/") and "/auth/" not in url:
                # No session, so no cookie to ride on: the API wants credentials first.
                refused = response.status_code in (401, 405)
            else:
                refused = is_csrf_refusal(response)
            if not refused:
                wrong.append(f"POST {url} as {who}: {response.status_code}")
    print(f"\nCSRF: {len(routes)} POST routes × 2 (session, anonymous) refused without a token")
    assert not wrong, "\n".join(wrong)


def test_with_the_token_the_same_writes_go_through(world, editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    client.get("/admin/claims/claim/add/")  # sets the CSRF cookie, as a browser's visit does
    token = client.cookies["csrftoken"].value
    add = client.post(
        "/admin/claims/place/add/",
        {"name": "Niu-York", "kind": "town", "slug": ""},
        HTTP_X_CSRFTOKEN=token,
    )
    assert add.status_code in (200, 302) and not is_csrf_refusal(add)
    api = client.post(
        "/api/v1/places/",
        json.dumps({"name": "Pivnichne"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert api.status_code == 201, api.content
    reader = Client(enforce_csrf_checks=True)
    reader.get("/submit/")
    submit = reader.post(
        "/submit/",
        {"text": "A channel says the bridge is down.", "csrfmiddlewaretoken": "x"},
    )
    assert is_csrf_refusal(submit)  # a made-up token is no token
    good = reader.post(
        "/submit/",
        {
            "text": "A channel says the bridge is down.",
            "csrfmiddlewaretoken": reader.cookies["csrftoken"].value,
        },
    )
    assert good.status_code == 302


def test_token_authenticated_api_writes_are_exempt_by_design(world, editor):
    client = Client(enforce_csrf_checks=True)
    key = Token.objects.get_or_create(user=editor)[0].key
    response = client.post(
        "/api/v1/places/",
        json.dumps({"name": "Pivnichne"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 201, response.content
