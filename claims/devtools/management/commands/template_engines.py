"""`manage.py template_engines`: Django templates against Jinja2 on an explainer's cards."""

import statistics
import time

from django.core.management.base import CommandError
from django.db.models import Count

from claims import selectors
from claims.devtools.jinja_compare import card_renderers, same_markup
from claims.management.base import DeskCommand


class Command(DeskCommand):
    help = (
        "Render every claim card of a live explainer (the one with the most claims, or "
        "--slug) with Django templates and with Jinja2 (Django's Jinja2 backend) from the same "
        "rows, check that both give the same markup, and print the median time of each over "
        "-n rounds. A developer tool: the reader site renders Django templates."
    )

    def add_arguments(self, parser):
        parser.add_argument("--slug")
        parser.add_argument("-n", type=int, default=20)

    def handle(self, *args, **options):
        live = selectors.explainers_for_readers()
        if options["slug"]:
            explainer = live.filter(slug=options["slug"]).first()
        else:
            explainer = live.annotate(cards=Count("claims")).order_by("-cards", "id").first()
        if explainer is None:
            raise CommandError("No live explainer to render.")
        # The rows the explainer's page loads for its cards, loaded once for both engines.
        entries = list(selectors.explainer_claims_for_readers(explainer))
        cards = [(entry.claim, entry.context_note) for entry in entries]
        with_django, with_jinja = card_renderers()
        for claim, note in cards:
            if same_markup(with_django(claim, note)) != same_markup(with_jinja(claim, note)):
                raise CommandError(f"The engines' cards differ for claim {claim.pk}.")
        timings = {}
        for name, render in (("Django templates", with_django), ("Jinja2", with_jinja)):
            rounds = []
            for _ in range(options["n"]):
                started = time.process_time()
                for claim, note in cards:
                    render(claim, note)
                rounds.append((time.process_time() - started) * 1000)
            timings[name] = statistics.median(rounds)
        django_ms, jinja_ms = timings["Django templates"], timings["Jinja2"]
        self.stdout.write(
            f"{len(cards)} claim cards of {explainer.slug!r}, the same markup from both engines;"
            f" median CPU of {options['n']} rounds:\n"
            f"  Django templates {django_ms:8.1f} ms\n"
            f"  Jinja2           {jinja_ms:8.1f} ms  ({django_ms / jinja_ms:.2f} × as fast)"
        )
