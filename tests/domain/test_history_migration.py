"""Rows that were on the desk before history was kept get a first history row when the
history migrations run, so every record has a version to compare later ones with."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("claims", "0008_claim_submission_roles")]
AFTER = [("claims", "0010_seed_history")]

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_rows_from_before_history_get_their_first_history_row():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    source = old.get_model("claims", "Source").objects.create(
        name="Russian Defence Ministry", slug="russian-mod", kind="ministry"
    )
    claim = old.get_model("claims", "Claim").objects.create(
        statement="Toretsk captured",
        slug="toretsk-captured",
        quote="Liberated.",
        claimant_id=source.pk,
        claimed_on="2025-02-07",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    try:
        history = new.get_model("claims", "HistoricalClaim").objects.filter(id=claim.pk)
        (row,) = history.values("statement", "version", "history_type", "history_change_reason")
        assert row == {
            "statement": "Toretsk captured",
            "version": 1,
            "history_type": "+",
            "history_change_reason": "history starts here",
        }
        assert new.get_model("claims", "HistoricalSource").objects.filter(id=source.pk).count() == 1
        # Running the seeding again (a re-run migration) adds nothing.
        MigrationExecutor(connection).migrate([("claims", "0009_history_and_versions")])
        MigrationExecutor(connection).migrate(AFTER)
        assert history.count() == 1
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
