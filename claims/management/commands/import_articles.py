"""manage.py import_articles PATH... [--url URL]... [--outlet NAME] [--published WHEN]
[--title TEXT] [--language CODE]"""

import shlex

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from claims import dates
from claims.ingest.importing import FAILED, IMPORTED, SKIPPED, Overrides, import_file, import_url
from claims.management.base import DeskCommand


class Command(DeskCommand):
    help = (
        "Import articles from plain-text files, saved HTML pages and (with --url) web pages. "
        "Each article is written in its own transaction; the same URL or text is skipped. "
        "Exits with status 1 if any item failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH", help="Text or HTML files.")
        parser.add_argument(
            "--url",
            action="append",
            default=[],
            dest="urls",
            metavar="URL",
            help="Fetch and import this page (repeatable).",
        )
        parser.add_argument("--outlet", help="The outlet (a Source name or alias; made if new).")
        parser.add_argument(
            "--published", help="Publication time, e.g. 2025-02-07 or 2025-02-07T10:15+02:00."
        )
        parser.add_argument("--title", help="The headline (only with a single item).")
        parser.add_argument("--language", help="ISO 639-1 code of the articles' language.")
        parser.add_argument(
            "--user",
            required=True,
            help="Who imports (a username): recorded as the importer, with that person's "
            "permissions to add articles and sources.",
        )

    def handle(self, *args, paths, urls, outlet, published, title, language, user, **options):
        if not paths and not urls:
            raise CommandError("Give at least one PATH or --url URL.")
        if title and len(paths) + len(urls) > 1:
            raise CommandError("--title names one article; give a single PATH or --url.")
        overrides = Overrides(
            outlet=outlet or None,
            headline=(title or "").strip(),
            published_at=_parse_when(published) if published else None,
            language=(language or "").strip(),
        )
        by = _user(user)

        outcomes = [import_file(path, by=by, overrides=overrides) for path in paths]
        outcomes += [import_url(url, by=by, overrides=overrides) for url in urls]

        for outcome in outcomes:
            style = {
                IMPORTED: self.style.SUCCESS,
                SKIPPED: self.style.WARNING,
                FAILED: self.style.ERROR,
            }[outcome.status]
            line = style(f"{outcome.status:8} {outcome.item}: {outcome.message}")
            (self.stderr if outcome.status == FAILED else self.stdout).write(line)
        counts = {s: sum(o.status == s for o in outcomes) for s in (IMPORTED, SKIPPED, FAILED)}
        self.stdout.write(
            f"Imported {counts[IMPORTED]}, skipped {counts[SKIPPED]}, failed {counts[FAILED]}."
        )
        without_outlet = [o.item for o in outcomes if o.needs_outlet]
        if without_outlet:
            self.stderr.write(_outlet_remedy(without_outlet, user))
        if counts[FAILED]:
            raise CommandError(f"{counts[FAILED]} of {len(outcomes)} items failed.")


def _outlet_remedy(items, user):
    """How to import again the items refused for want of an outlet: one command each."""
    if len(items) == 1:
        head = (
            f"{items[0]} needs the outlet that published it, which neither --outlet nor its "
            "text gives; nothing of it was imported. Import it again naming its outlet"
        )
    else:
        head = (
            f"{len(items)} items need the outlet that published them, which neither --outlet "
            "nor their text gives; nothing of them was imported. Import each again naming its "
            "outlet"
        )
    commands = [
        f"  manage.py import_articles {'--url ' if '://' in item else ''}{shlex.quote(item)} "
        f'--outlet "OUTLET" --user {shlex.quote(user)}'
        for item in items
    ]
    return "\n".join([f"{head} (a Source's name or alias; a new one is added):", *commands])


def _parse_when(value):
    try:
        when = parse_datetime(value)
    except ValueError:
        when = None
    if when is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"--published {value!r} is not a date or date and time.")
        when = timezone.datetime(day.year, day.month, day.day)
    when = timezone.make_aware(when) if timezone.is_naive(when) else when
    if not dates.is_plausible(when):
        raise CommandError(f"--published {value!r}: {dates.out_of_range_message()}")
    return when


def _user(username):
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist as error:
        raise CommandError(f"No user called {username!r}.") from error
