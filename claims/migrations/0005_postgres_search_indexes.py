"""On PostgreSQL: GIN indexes for the reader site's full-text search.

Each index is built from the very expression `claims.web.search` searches with (weighted
English text vectors), so PostgreSQL can use it. SQLite has no full-text indexes of this kind;
there the site falls back to a simpler word match and this migration does nothing.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

CONFIG = "english"


def _indexes():
    claim = GinIndex(
        SearchVector("statement", weight="A", config=CONFIG)
        + SearchVector("quote", weight="B", config=CONFIG),
        name="claim_search_idx",
    )
    explainer = GinIndex(
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("standfirst", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG),
        name="explainer_search_idx",
    )
    return [("Claim", claim), ("Explainer", explainer)]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in _indexes():
        schema_editor.add_index(apps.get_model("claims", model_name), index)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in _indexes():
        schema_editor.remove_index(apps.get_model("claims", model_name), index)


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_constraint_messages")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
