"""manage.py export_desk FILE"""

import os
import tempfile
from pathlib import Path

from claims.ingest.desk import export_desk
from claims.management.base import DeskCommand


class Command(DeskCommand):
    help = (
        "Write the whole desk (every object, drafts and history included, users by username) "
        "to FILE as JSON with natural keys; restore it with import_desk. '-' writes to stdout."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")

    def handle(self, *args, file, **options):
        if file == "-":
            export_desk(self.stdout)
            return
        target = Path(file)
        # Write next to the target and rename, so a failed export never leaves half a file.
        handle, temporary = tempfile.mkstemp(dir=target.parent or ".", suffix=".partial")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                count = export_desk(stream)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stdout.write(self.style.SUCCESS(f"Exported {count} objects to {target}."))
