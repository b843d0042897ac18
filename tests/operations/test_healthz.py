"""/healthz answers for load balancers without touching the database; /readyz, for the front
cache, says whether the database answers too."""

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_a_query(client, django_assert_num_queries, settings):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


def test_readyz_answers_ok_while_the_database_answers(client, settings):
    settings.SECURE_SSL_REDIRECT = True  # probed over plain http on the internal network
    response = client.get("/readyz")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_readyz_answers_503_without_the_database_and_healthz_stays_up(client, monkeypatch):
    """The front cache's probe (docs/varnish/claimsdesk.vcl): unready while the database is
    away, so that Varnish serves the pages it holds; the load balancer's stays up."""

    def database_away(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(CursorWrapper, "_execute_with_wrappers", database_away)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"database unavailable\n"
    assert "no-cache" in response["Cache-Control"]
    assert client.get("/healthz").status_code == 200
