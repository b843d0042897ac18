"""`manage.py bench_reader_mix`: the newsroom day's reader addresses, as JSON."""

import json
import random

from claims import selectors
from claims.devtools.bench import day
from claims.management.base import DeskCommand


class Command(DeskCommand):
    help = (
        "Print, as JSON, the newsroom day's reader mix in this (seeded) database: published "
        "explainers and claim pages in a fixed order of popularity with Zipf shares, and the "
        "fixed addresses. Used by `make bench` (claims/devtools/bench/run.py)."
    )

    def handle(self, *args, **options):
        explainers = list(selectors.explainers_for_readers().order_by("pk")[: day.MIX_EXPLAINERS])
        claims = list(
            selectors.claims_for_readers()
            .exclude(current_verdict="")
            .order_by("pk")[: day.MIX_CLAIMS]
        )
        ranked = [("explainer", e.pk, e.get_absolute_url()) for e in explainers]
        ranked += [("claim", c.pk, c.get_absolute_url()) for c in claims]
        random.Random(day.MIX_SEED).shuffle(ranked)  # nosec B311 # a fixed order, not security
        mix = day.reader_mix([path for _, _, path in ranked])
        kinds = {path: (kind, pk) for kind, pk, path in ranked}
        entries = [
            {
                "path": path,
                "share": share,
                "kind": kinds.get(path, ("fixed", None))[0],
                "id": kinds.get(path, ("fixed", None))[1],
            }
            for path, share in mix
        ]
        self.stdout.write(json.dumps(entries))
