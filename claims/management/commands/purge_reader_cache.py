"""`manage.py purge_reader_cache`: every page and piece the reader cache keeps out of date, and
everything purged at the front caches (docs/deploy.md, after a change made without Django's
model signals)."""

from django.conf import settings
from django.core.management.base import CommandError

from claims.management.base import DeskCommand
from claims.web.cache import front
from claims.web.cache.keys import ALL
from claims.web.cache.version import purge_all

FRONT_WAIT_SECONDS = 30


class Command(DeskCommand):
    help = (
        "Make every page and piece the reader cache keeps out of date (each worker renders "
        "what readers ask for again), and purge everything at the front caches in "
        "FRONT_CACHE_PURGE_URLS. For a change made without the desk's code (SQL, a queryset's "
        "update()), which purges nothing."
    )

    def handle(self, *args, **options):
        purge_all()
        self.stdout.write("Reader cache: every kept page and piece is out of date.")
        endpoints = settings.FRONT_CACHE_PURGE_URLS
        if not endpoints:
            return
        front.purge_at_front([ALL])
        if not front.wait_for_purges(FRONT_WAIT_SECONDS):
            raise CommandError(
                f"The front caches had not all answered after {FRONT_WAIT_SECONDS} s: "
                f"{', '.join(endpoints)}. The purge is still being sent; see the log "
                "(claims.cache.front)."
            )
        self.stdout.write(
            f"Front caches sent a purge of everything: {', '.join(endpoints)} (one that did "
            "not take it is logged as an error, claims.cache.front)."
        )
