"""Rates from settings: over the limit a client gets a 429 that says when to come back."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute"},
    }


def test_anonymous_clients_get_a_429_with_retry_after(anon, desk, tight_rates):
    statuses = [anon.get("/api/v1/claims/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = anon.get("/api/v1/claims/")
    assert response.json()["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60


def test_users_have_their_own_higher_limit(anon, as_reporter, desk, tight_rates):
    for _ in range(3):
        anon.get("/api/v1/places/")
    assert anon.get("/api/v1/places/").status_code == 429
    statuses = [as_reporter.get("/api/v1/places/").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


def test_behind_a_proxy_each_reader_has_their_own_count(anon, desk, tight_rates, settings):
    # Every rate limit counts clients by the address the proxy passes on, as the reader
    # site's and the login's do; not by the proxy's own address, which all readers share.
    settings.READER_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    for _ in range(3):
        assert anon.get("/api/v1/claims/", HTTP_X_REAL_IP="203.0.113.5").status_code == 200
    assert anon.get("/api/v1/claims/", HTTP_X_REAL_IP="203.0.113.5").status_code == 429
    assert anon.get("/api/v1/claims/", HTTP_X_REAL_IP="198.51.100.7").status_code == 200
