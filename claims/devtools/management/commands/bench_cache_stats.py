"""`manage.py bench_cache_stats`: the reader cache's shared counters, as JSON."""

import json

from django.core.cache import cache

from claims.management.base import DeskCommand
from claims.web.cache import stats
from claims.web.cache.version import PURGES_KEY

# Kept by the app when READER_CACHE_STATS is on (claims/web/cache/stats.py): reader pages and
# API reads answered from the reader cache, and rendered afresh, added up over the workers.
# Read directly rather than with stats.read(), which says 0 for a counter never written: here
# that means "not counted", which the report must not show as no renders.
HIT_KEY = stats.PREFIX + "hit"
RENDER_KEY = stats.PREFIX + "render"
STALE_KEY = stats.PREFIX + "stale"


class Command(DeskCommand):
    help = (
        "Print, as JSON, the reader cache's hit, render and stale-copy counters (kept when "
        "READER_CACHE_STATS=1; null when not) and the purge counter. Used by `make bench`."
    )

    def handle(self, *args, **options):
        values = cache.get_many([HIT_KEY, RENDER_KEY, STALE_KEY, PURGES_KEY])
        self.stdout.write(
            json.dumps(
                {
                    "hits": values.get(HIT_KEY),
                    "renders": values.get(RENDER_KEY),
                    # Out-of-date copies served while another worker rendered their successor.
                    # (Written at the first one: none yet is 0 where renders are counted.)
                    "stale": values.get(STALE_KEY, None if values.get(RENDER_KEY) is None else 0),
                    "purges": values.get(PURGES_KEY),
                }
            )
        )
