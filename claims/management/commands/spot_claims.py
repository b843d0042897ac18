"""manage.py spot_claims PATH... [--format json|text]"""

import json

from django.core.management.base import CommandError

from claims.ingest.errors import IngestError
from claims.ingest.reading import article_text_of
from claims.ingest.spotting import Spotter
from claims.management.base import DeskCommand


class Command(DeskCommand):
    help = (
        "Print the candidate claims in text or HTML files, without importing them. With "
        '--format json, one JSON object per file and line: {"file", "candidates": [...]}; '
        "offsets are into the body as import_articles would store it. Reads Sources and "
        "Places to match claimants and places; writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--format", choices=("json", "text"), default="text")
        parser.add_argument(
            "--indent",
            type=int,
            default=None,
            help="Indent the JSON by this many spaces (one object per file).",
        )

    def handle(self, *args, paths, format, indent, **options):
        spotter = Spotter.from_database()
        failures = 0
        for path in paths:
            try:
                headline, body = article_text_of(path)
            except IngestError as error:
                failures += 1
                self.stderr.write(self.style.ERROR(f"failed   {path}: {error.message}"))
                continue
            candidates = spotter.spot(body)
            if format == "json":
                self.stdout.write(
                    json.dumps(
                        {"file": str(path), "candidates": [c.as_json() for c in candidates]},
                        ensure_ascii=False,
                        indent=indent,
                    )
                )
            else:
                self._write_text(path, headline, candidates)
                if not spotter.reads_all_of(body):
                    read = f"{len(spotter.part_read(body)):,} characters"
                    self.stdout.write(f"  (claims were spotted in the first {read} only)")
        if failures:
            raise CommandError(f"{failures} of {len(paths)} files could not be read.")

    def _write_text(self, path, headline, candidates):
        self.stdout.write(self.style.MIGRATE_HEADING(f"{path}: {headline}"))
        self.stdout.write(f"  {len(candidates)} candidate claims")
        for number, c in enumerate(candidates, 1):
            source = f" → source #{c.source_id} {c.source_name}" if c.source_id else " (new source)"
            flags = " [could not be verified]" if c.unverified else ""
            places = f" places: {', '.join(c.places)}" if c.places else ""
            self.stdout.write(f"  {number}. {c.claimant} ({c.verb}){source}{places}{flags}")
            self.stdout.write(f"     {c.sentence}")
