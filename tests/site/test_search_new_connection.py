"""The reader search on a new database connection, where pg_trgm is not loaded yet."""

import pytest
from django.db import connection, transaction

from claims.web.search import search


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_search_on_a_new_connection_works_and_leaves_the_default_threshold(client):
    """On a new connection pg_trgm is not loaded until the name query uses its operator, so
    its threshold is read as unset before the search; putting that back as "" once the
    module is loaded made every search on a new connection fail (500), which the browser
    journeys found."""
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('pg_trgm.word_similarity_threshold', true)")
        assert cursor.fetchone()[0] in (None, "")  # not loaded yet on this connection
    assert search("Toretsk").total == 0
    assert client.get("/search/", {"q": "Bakhmut"}).status_code == 200
    with transaction.atomic():
        search("Toretsk")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setting = reset_val FROM pg_settings"
                " WHERE name = 'pg_trgm.word_similarity_threshold'"
            )
            assert cursor.fetchone()[0]  # pg_trgm's own default again
