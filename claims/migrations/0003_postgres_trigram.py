"""On PostgreSQL: the pg_trgm extension and a trigram index for finding similar claims.

SQLite has no trigram support; there the desk falls back to a simpler word match, and this
migration does nothing.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "claim_statement_trgm_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON claims_claim "
            "USING gin (statement gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_roles")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index),
    ]
