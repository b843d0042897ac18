"""`manage.py bench_probe`: the benchmark's endpoints and their queries per request, as JSON."""

import json

from django.conf import settings
from django.core.management.base import CommandError

from claims.devtools.bench import endpoints
from claims.management.base import DeskCommand


class Command(DeskCommand):
    help = (
        "Print, as JSON, the benchmark's endpoints in this (seeded) database with the number of "
        "database queries each request makes. Used by `make bench` (claims/devtools/bench/run.py)."
    )

    def handle(self, *args, **options):
        if not settings.READER_CACHE_BYPASS_TOKEN:
            raise CommandError("Set READER_CACHE_BYPASS_TOKEN (the benchmark sets it).")
        self.stdout.write(json.dumps(endpoints.probe(settings.READER_CACHE_BYPASS_TOKEN)))
