"""manage.py spot_benchmark [--samples DIR] [--labels FILE] [--verbose]"""

from django.core.management.base import BaseCommand, CommandError

from claims.ingest.benchmark import DEFAULT_SAMPLES, run_benchmark


class Command(BaseCommand):
    help = (
        "Measure the claim spotter against hand-labelled sample articles and print its "
        "precision and recall (targets: recall >= 0.9, precision >= 0.75)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--samples",
            default=str(DEFAULT_SAMPLES),
            help="Folder of sample articles with labels.json.",
        )
        parser.add_argument("--labels", help="Labels file (default: SAMPLES/labels.json).")
        parser.add_argument(
            "--verbose",
            action="store_true",
            help="List the missed claims and the wrong candidates.",
        )
        parser.add_argument(
            "--fail-under", action="store_true", help="Exit with status 1 when a target is not met."
        )

    def handle(self, *args, samples, labels, verbose, fail_under, **options):
        result = run_benchmark(samples, labels)
        for f in result.files:
            self.stdout.write(
                f"{f.name:40} labels {f.labels:3}  found {f.found:3}  "
                f"candidates {f.candidates:3}  right {f.right:3}"
            )
            if verbose:
                for text in f.missed:
                    self.stdout.write(self.style.WARNING(f"    missed: {text}"))
                for sentence in f.wrong:
                    self.stdout.write(self.style.NOTICE(f"    not a labelled claim: {sentence}"))
        labels_total = sum(f.labels for f in result.files)
        candidates_total = sum(f.candidates for f in result.files)
        self.stdout.write(
            f"\n{len(result.files)} articles, {labels_total} labelled claims, "
            f"{candidates_total} candidates"
        )
        self.stdout.write(f"precision {result.precision:.3f}  (target 0.75)")
        self.stdout.write(f"recall    {result.recall:.3f}  (target 0.90)")
        self.stdout.write(
            f"claimant agrees on {result.claimant_accuracy:.1%} of found claims; "
            f"'could not be verified' flag on {result.unverified_accuracy:.1%}"
        )
        if fail_under and (result.precision < 0.75 or result.recall < 0.9):
            raise CommandError("The spotter is below its targets.")
