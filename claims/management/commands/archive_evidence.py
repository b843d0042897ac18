"""manage.py archive_evidence --user USERNAME [--site-url URL] [--dry-run]"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from claims import selectors
from claims.errors import DeskError, Forbidden
from claims.management.base import DeskCommand
from claims.services import evidence_archive
from claims.services.evidence import archive_summary


class Command(DeskCommand):
    help = (
        "Archive the page of every piece of evidence that a published verification cites and "
        "that the desk has no copy of yet: a WARC file, and a screenshot where the server has "
        "Chromium. Each is archived on its own; one that fails is reported and changes "
        "nothing. Exits with status 1 if any failed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--user",
            required=True,
            help="Who archives (a username): recorded with each copy, with that person's "
            "permission to change evidence.",
        )
        parser.add_argument(
            "--site-url",
            default="",
            help="The desk's public address, which names its copies (default: SITE_URL).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be archived; change nothing."
        )

    def handle(self, *args, user, site_url, dry_run, **options):
        by = _user(user)
        if not (settings.SITE_URL or site_url):
            raise CommandError(
                "The desk's public address names its copies: set SITE_URL or give --site-url."
            )
        pending = list(selectors.evidence_to_archive())
        if dry_run:
            for evidence in pending:
                self.stdout.write(f"would archive  evidence {evidence.pk}: {evidence.url}")
            self.stdout.write(f"{len(pending)} to archive.")
            return
        archived = failed = 0
        for evidence in pending:
            try:
                capture = evidence_archive(evidence=evidence, by=by, site_url=site_url)
            except DeskError as error:
                if isinstance(error, Forbidden):
                    raise  # the user may archive none of them: stop
                failed += 1
                self.stderr.write(
                    self.style.ERROR(f"failed    evidence {evidence.pk}: {error.message}")
                )
            else:
                archived += 1
                self.stdout.write(
                    self.style.SUCCESS(f"archived  evidence {evidence.pk}: ")
                    + archive_summary(capture)
                )
        self.stdout.write(f"Archived {archived}, failed {failed}.")
        if failed:
            raise CommandError(f"{failed} of {len(pending)} pieces of evidence failed.")


def _user(username):
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist as error:
        raise CommandError(f"No user called {username!r}.") from error
