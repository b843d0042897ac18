"""Reader pages of a desk that has published nothing yet. A module of its own: the other
modules' tests keep a desk in the database for all their tests (tests/shared_rows.py)."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_balance_page_says_nothing_is_published_yet(client):
    assert "not published any verdicts yet" in client.get("/balance/").content.decode()
