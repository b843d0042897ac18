"""manage.py spot_benchmark [--set tuning|heldout|both] [--samples DIR] [--verbose]"""

from django.core.management.base import CommandError

from claims.devtools.spot_benchmark import (
    HELDOUT_SAMPLES,
    HELDOUT_TARGETS,
    TUNING_SAMPLES,
    TUNING_TARGETS,
    run_benchmark,
)
from claims.management.base import DeskCommand

_SETS = {
    "tuning": ("Tuning set", TUNING_SAMPLES, TUNING_TARGETS),
    "heldout": ("Held-out set", HELDOUT_SAMPLES, HELDOUT_TARGETS),
}


class Command(DeskCommand):
    help = (
        "Measure the claim spotter against hand-labelled sample articles: the tuning set (the "
        "rules were tuned on it) and the held-out set (never read while tuning), reported apart."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--set",
            dest="which",
            choices=["tuning", "heldout", "both"],
            default="both",
            help="Which labelled set to measure (default: both, reported apart).",
        )
        parser.add_argument(
            "--samples", help="Another folder of sample articles with labels.json (instead)."
        )
        parser.add_argument("--labels", help="Labels file (default: SAMPLES/labels.json).")
        parser.add_argument(
            "--verbose",
            action="store_true",
            help="List the missed claims, the wrong candidates and the claimants named wrong.",
        )
        parser.add_argument(
            "--fail-under", action="store_true", help="Exit with status 1 when a target is not met."
        )

    def handle(self, *args, which, samples, labels, verbose, fail_under, **options):
        if samples:
            runs = [("Samples", samples, TUNING_TARGETS)]
        else:
            runs = [_SETS[name] for name in (["tuning", "heldout"] if which == "both" else [which])]
        short = []
        for title, folder, targets in runs:
            result = run_benchmark(folder, labels)
            self._report(title, result, targets, verbose)
            short += [f"{title.lower()}: {name}" for name in result.meets(targets)]
        if fail_under and short:
            raise CommandError("The spotter is below its targets (" + "; ".join(short) + ").")

    def _report(self, title, result, targets, verbose):
        self.stdout.write(self.style.MIGRATE_HEADING(f"== {title}"))
        for f in result.files:
            self.stdout.write(
                f"{f.name:40} labels {f.labels:3}  found {f.found:3}  "
                f"candidates {f.candidates:3}  right {f.right:3}"
            )
            if verbose:
                self._details(f)
        labels_total = sum(f.labels for f in result.files)
        candidates_total = sum(f.candidates for f in result.files)
        unverified = sum(f.unverified_labelled for f in result.files)
        attached = sum(f.unverified_attached for f in result.files)
        wrongly = sum(f.unverified_wrongly for f in result.files)

        def target(name):
            return f"  (target {targets[name]:.2f})" if name in targets else ""

        self.stdout.write(
            f"\n{len(result.files)} articles, {labels_total} labelled claims, "
            f"{candidates_total} candidates"
        )
        self.stdout.write(f"precision {result.precision:.3f}{target('precision')}")
        self.stdout.write(f"recall    {result.recall:.3f}{target('recall')}")
        self.stdout.write(
            f"claimant named right {result.claimant_right:.3f}{target('claimant_right')}; "
            f"claimant agrees on {result.claimant_accuracy:.1%} of found claims"
        )
        self.stdout.write(
            f"unverified markers attached {attached} of {unverified} found "
            f"({result.unverified_attached:.3f}){target('unverified')}; "
            f"flagged wrongly {wrongly}; 'could not be verified' flag right on "
            f"{result.unverified_accuracy:.1%}\n"
        )

    def _details(self, f):
        for text in f.missed:
            self.stdout.write(self.style.WARNING(f"    missed: {text}"))
        for sentence in f.wrong:
            self.stdout.write(self.style.NOTICE(f"    not a labelled claim: {sentence}"))
        for text, found, labelled in f.misnamed:
            self.stdout.write(f"    claimant {found!r}, labelled {labelled!r}: {text}")
        for text in f.unattached:
            self.stdout.write(f"    unverified marker not attached: {text}")
