"""On PostgreSQL: a claim's search vector stored with its row, and trigram indexes on the names
the reader search matches.

**The stored vector.** The search ranks the newest claims that match (`claims.web.search`,
`_claims_full_text`): PostgreSQL walks the claims' date index backwards and tests each claim
on its way. With the vector as an expression (migration 0005), each test computed the claim's
weighted text vector afresh: for a common word, about 300 claims at 20 µs each, 7 ms on the
benchmark's large set and its 100,000 claims. A generated column keeps the vector computed
when the claim is written, and the walk reads it (0.3 ms). The GIN index on the expression is
replaced by one on the column. Adding the column rewrites the claims table once: about ten
seconds for 100,000 claims, during which the table is locked.

**Trigram indexes on names.** A word is matched against every name readers may see: places'
names, other names and regions, sources' names and aliases, and confidential sources'
descriptions. Without an index each name is compared in turn (2,000 sources: 8 ms); with a
trigram index PostgreSQL reads only the names that share trigrams with the word.

SQLite has neither: there the search matches words in Python and this migration does nothing.
"""

from django.db import migrations

VECTOR = (
    "setweight(to_tsvector('english'::regconfig, COALESCE(statement, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(quote, '')), 'B')"
)
OLD_EXPRESSION_INDEX = "CREATE INDEX claim_search_idx ON claims_claim USING gin ((" + VECTOR + "))"
NAME_INDEXES = [
    ("place_name_trgm_idx", "claims_place", "name"),
    ("place_region_trgm_idx", "claims_place", "region"),
    ("placename_name_trgm_idx", "claims_placename", "name"),
    ("source_name_trgm_idx", "claims_source", "name"),
    ("source_description_trgm_idx", "claims_source", "redacted_description"),
    ("sourcealias_name_trgm_idx", "claims_sourcealias", "name"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE claims_claim ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({VECTOR}) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX claim_search_vector_idx ON claims_claim USING gin (search_vector)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS claim_search_idx")
    for name, table, column in NAME_INDEXES:
        schema_editor.execute(f"CREATE INDEX {name} ON {table} USING gin ({column} gin_trgm_ops)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in NAME_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(OLD_EXPRESSION_INDEX)
    schema_editor.execute("ALTER TABLE claims_claim DROP COLUMN search_vector")


class Migration(migrations.Migration):
    dependencies = [("claims", "0021_timeline_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
