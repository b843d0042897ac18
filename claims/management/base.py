"""What the desk's management commands share: a refusal ends the command with a message and
its kind's exit status (claims.errors), never a traceback."""

from django.core.management.base import BaseCommand, CommandError

from claims.errors import DeskError


class DeskCommand(BaseCommand):
    """A command whose `DeskError` becomes a `CommandError` with the error's exit code
    (`manage.py` prints the message and exits with it; `call_command` raises it)."""

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except DeskError as error:
            raise CommandError(error.message, returncode=error.exit_code) from error
