"""manage.py import_desk FILE"""

from django.core.management.base import CommandError

from claims.ingest.desk import import_desk
from claims.management.base import DeskCommand


class Command(DeskCommand):
    help = (
        "Restore a desk exported with export_desk into an empty, freshly migrated database, "
        "all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")

    def handle(self, *args, file, **options):
        try:
            count = import_desk(file)
        except OSError as error:
            raise CommandError(f"{file} cannot be read ({error.strerror or error}).") from error
        self.stdout.write(self.style.SUCCESS(f"Imported {count} objects from {file}."))
