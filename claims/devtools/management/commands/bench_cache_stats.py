"""`manage.py bench_cache_stats`: the reader cache's shared counters, as JSON."""

import json

from django.core.cache import cache

from claims.management.base import DeskCommand
from claims.web.cache.version import GENERATION_KEY

# Kept by the app when READER_CACHE_STATS is on: reader pages and API reads answered from the
# reader cache, and rendered afresh, added up over the workers (each flushes its own at most
# once a second).
HIT_KEY = "site:stats:hit"
RENDER_KEY = "site:stats:render"


class Command(DeskCommand):
    help = (
        "Print, as JSON, the reader cache's hit and render counters (kept when "
        "READER_CACHE_STATS=1; null when not) and the content generation. Used by `make bench`."
    )

    def handle(self, *args, **options):
        values = cache.get_many([HIT_KEY, RENDER_KEY, GENERATION_KEY])
        self.stdout.write(
            json.dumps(
                {
                    "hits": values.get(HIT_KEY),
                    "renders": values.get(RENDER_KEY),
                    "generation": values.get(GENERATION_KEY),
                }
            )
        )
