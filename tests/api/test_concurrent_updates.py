"""Two desk members updating the same object at once with the same ETag: one update lands,
the other gets a 412 and must fetch the object again. (PostgreSQL: row locks are real.)"""

import threading

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.models import Source

from .. import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _client(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.mark.parametrize("trial", range(3))
def test_concurrent_patches_with_one_etag_one_lands(trial, reporter, factchecker):
    source = factories.SourceFactory(name="A brigade")
    url = f"/api/v1/sources/{source.pk}/"
    clients = [_client(reporter), _client(factchecker)]
    etag = clients[0].get(url)["ETag"]
    barrier = threading.Barrier(2)
    statuses = [None, None]

    def patch(index, name):
        try:
            barrier.wait(timeout=10)
            response = clients[index].patch(url, {"name": name}, format="json", HTTP_IF_MATCH=etag)
            statuses[index] = response.status_code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=patch, args=(0, "First name")),
        threading.Thread(target=patch, args=(1, "Second name")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(statuses) == [200, 412]
    winner = ["First name", "Second name"][statuses.index(200)]
    assert Source.objects.get(pk=source.pk).name == winner
