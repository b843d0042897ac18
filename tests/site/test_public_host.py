"""The public host (SITE_URL's) is one host however the Host header spells it: one kept page
for every spelling, the API's addresses on it, the https redirect to it; other hosts are as
they came, and hosts not allowed are refused as before (newsroom.middleware,
`one_spelling_of_the_public_host`)."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

EXPLAINER = "/explainers/why-toretsk-matters/"
PUBLIC = "claims.example.org"
# Django accepts each of these for an allowed host: any port, any capitals, a trailing dot.
SPELLINGS = (f"{PUBLIC}:6666", "CLAIMS.Example.ORG", f"{PUBLIC}.", "Claims.example.org.:443")


@pytest.fixture
def public(settings):
    settings.SITE_URL = f"https://{PUBLIC}"
    settings.ALLOWED_HOSTS = [PUBLIC, "app1.internal"]


def test_every_spelling_of_the_public_host_is_answered_from_one_kept_page(
    client, desk, public, django_assert_num_queries
):
    """Each spelling was a page of its own, rendered afresh: an outsider counting up the
    port had every page rendered again for each, with no limit."""
    first = client.get(EXPLAINER, HTTP_HOST=PUBLIC)
    assert first.status_code == 200
    for host in SPELLINGS:
        with django_assert_num_queries(0):
            again = client.get(EXPLAINER, HTTP_HOST=host)
        assert again["X-Reader-Cache"] == "hit", host
        assert again.content == first.content


def test_the_api_names_its_objects_on_the_public_host_however_it_was_spelt(client, desk, public):
    """DRF builds an object's address on the request's host: a spelling with a port was
    written into the list (and kept for whoever asked with that spelling)."""
    for host in (PUBLIC, *SPELLINGS):
        body = json.loads(client.get("/api/v1/claims/", HTTP_HOST=host).content)
        urls = [claim["api_url"] for claim in body["results"]]
        assert urls and all(url.startswith(f"http://{PUBLIC}/api/v1/claims/") for url in urls)


def test_another_allowed_host_is_left_as_it_came(client, desk, public):
    """An app server's own name (a probe, a purge, an internal client) is not the public
    host: its answers name it, and are kept apart from the public host's."""
    body = json.loads(client.get("/api/v1/claims/", HTTP_HOST="app1.internal:8000").content)
    assert body["results"][0]["api_url"].startswith("http://app1.internal:8000/api/v1/claims/")
    assert client.get(EXPLAINER, HTTP_HOST=PUBLIC).status_code == 200
    assert "X-Reader-Cache" not in client.get(EXPLAINER, HTTP_HOST="app1.internal")


@pytest.mark.parametrize(
    "host",
    [f"{PUBLIC}.evil.example", f"evil{PUBLIC}", f"{PUBLIC}:port", f"{PUBLIC}@evil.example"],
)
def test_a_host_that_only_looks_like_the_public_one_is_still_refused(client, desk, public, host):
    assert client.get(EXPLAINER, HTTP_HOST=host).status_code == 400


def test_the_https_redirect_goes_to_the_public_host_as_site_url_spells_it(desk, public, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get(EXPLAINER, HTTP_HOST="Claims.Example.org:8080")
    assert response.status_code == 301
    assert response["Location"] == f"https://{PUBLIC}{EXPLAINER}"


def test_a_public_host_with_a_port_keeps_its_port(client, desk, settings):
    settings.SITE_URL = f"https://{PUBLIC}:8443"
    settings.ALLOWED_HOSTS = [PUBLIC]
    body = json.loads(client.get("/api/v1/claims/", HTTP_HOST=PUBLIC.upper()).content)
    assert body["results"][0]["api_url"].startswith(f"http://{PUBLIC}:8443/api/v1/claims/")


def test_without_site_url_every_host_is_left_as_it_came(client, desk, settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = [PUBLIC]
    body = json.loads(client.get("/api/v1/claims/", HTTP_HOST=f"{PUBLIC}:6666").content)
    assert body["results"][0]["api_url"].startswith(f"http://{PUBLIC}:6666/api/v1/claims/")
