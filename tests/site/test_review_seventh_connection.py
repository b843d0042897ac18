"""The reader search on a new database connection whose first search failed before the name
query loaded pg_trgm (a statement timeout in the full-text query): the next search on that
connection failed with a 500 (found by the seventh session's outside review; older than it)."""

import pytest
from django.db import DatabaseError, connection

from claims.web import search as search_module
from claims.web.search import search


class SlowClaims:
    """The claims' full-text query cancelled by statement_timeout."""

    def __call__(self, query, limit):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 1")
            cursor.execute("SELECT pg_sleep(1)")
        return []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_search_after_a_failed_first_search_on_a_new_connection(client, monkeypatch):
    connection.close()
    monkeypatch.setattr(search_module, "_claims_full_text", SlowClaims())
    with pytest.raises(DatabaseError):
        search("Toretsk")
    monkeypatch.undo()
    # The next reader's search on the same connection, which holds pg_trgm's threshold as
    # "" (set by the failed search before the module was loaded).
    assert search("Toretsk").total == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_search_page_after_a_failed_first_search_on_a_new_connection(client, monkeypatch):
    connection.close()
    monkeypatch.setattr(search_module, "_claims_full_text", SlowClaims())
    client.raise_request_exception = False
    assert client.get("/search/", {"q": "Toretsk"}).status_code == 503
    monkeypatch.undo()
    assert client.get("/search/", {"q": "Bakhmut"}).status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_search_after_a_failed_one_in_the_same_outer_transaction(monkeypatch):
    from django.db import transaction

    connection.close()
    with transaction.atomic():
        monkeypatch.setattr(search_module, "_claims_full_text", SlowClaims())
        with pytest.raises(DatabaseError):
            search("Toretsk")
        monkeypatch.undo()
        assert search("Toretsk").total == 0
