"""`manage.py seed_bench --size small|large`: fill an empty benchmark database."""

import time

from django.core.management.base import CommandError
from django.db import connection

from claims.devtools import bench
from claims.devtools.bench import seed
from claims.management.base import DeskCommand
from claims.models import Article, Claim, Explainer, Place, Source, Verification

# Only databases whose name says they are for the benchmark may be seeded.
BENCH_DATABASE_PREFIX = "claimsdesk_bench"


class Command(DeskCommand):
    help = (
        "Fill an empty, migrated PostgreSQL database named claimsdesk_bench* with the "
        "benchmark's synthetic archive (docs/benchmarks.md). Refuses any other database, and "
        "one that already holds desk content."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=["small", "large"], required=True)

    def handle(self, *args, size, **options):
        name = str(connection.settings_dict["NAME"])
        if connection.vendor != "postgresql" or not name.startswith(BENCH_DATABASE_PREFIX):
            raise CommandError(
                f"Refusing to seed {connection.vendor} database {name!r}: only PostgreSQL "
                f"databases named {BENCH_DATABASE_PREFIX}* are benchmark databases."
            )
        non_empty = [
            model._meta.verbose_name_plural
            for model in (Source, Place, Article, Claim, Verification, Explainer)
            if model.objects.exists()
        ]
        if non_empty:
            raise CommandError(
                f"Refusing to seed {name!r}: it already holds {', '.join(map(str, non_empty))}. "
                "Seed only a freshly created and migrated database."
            )
        self.stdout.write(
            f"Seeding {name} with the {size} data set (seed version {bench.SEED_VERSION}):"
        )
        started = time.monotonic()
        seed.seed(size, stdout=self.stdout)
        elapsed = time.monotonic() - started
        mark_seeded(size)
        self.stdout.write(self.style.SUCCESS(f"Seeded {name} ({size}) in {elapsed:.0f} s."))


def mark_seeded(size):
    """Record on the database that it holds a complete seed of `size` (`bench.seed_marker`),
    which `make bench` reads to reuse it. The marker is written into the statement, as
    PostgreSQL's COMMENT takes no parameter: with prepared statements on (server-side
    binding, DATABASE_PREPARED_STATEMENTS) a bound one reached it as `$1`, a syntax error
    that failed every fresh `make bench` once its databases were seeded."""
    name = connection.ops.quote_name(str(connection.settings_dict["NAME"]))
    statement = f"COMMENT ON DATABASE {name} IS %s"
    with connection.cursor() as cursor:
        cursor.execute(connection.ops.compose_sql(statement, [bench.seed_marker(size)]))
