"""Measuring the spotter against hand-labelled sample articles: precision and recall.

A labelled claim is found when a candidate's span covers the start of the labelled text; a
candidate is right when it covers at least one labelled claim. Sentences are what the desk
confirms, so that is the unit: a quotation over two sentences is one candidate and may cover
two labels.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from .reading import article_text_of
from .spotting import Spotter

DEFAULT_SAMPLES = Path(settings.BASE_DIR) / "tests" / "ingest" / "samples"


@dataclass
class FileResult:
    name: str
    labels: int = 0
    found: int = 0
    candidates: int = 0
    right: int = 0
    claimant_agrees: int = 0
    unverified_agrees: int = 0
    missed: list = field(default_factory=list)
    wrong: list = field(default_factory=list)


@dataclass
class BenchmarkResult:
    files: list

    def _sum(self, name):
        return sum(getattr(f, name) for f in self.files)

    @property
    def recall(self):
        labels = self._sum("labels")
        return self._sum("found") / labels if labels else 0.0

    @property
    def precision(self):
        candidates = self._sum("candidates")
        return self._sum("right") / candidates if candidates else 0.0

    @property
    def claimant_accuracy(self):
        found = self._sum("found")
        return self._sum("claimant_agrees") / found if found else 0.0

    @property
    def unverified_accuracy(self):
        found = self._sum("found")
        return self._sum("unverified_agrees") / found if found else 0.0


def load_labels(path):
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {name: claims for name, claims in data.items() if not name.startswith("_")}


def run_benchmark(samples=DEFAULT_SAMPLES, labels_path=None, spotter=None):
    """Spot the claims in every labelled sample and compare them with the labels."""
    samples = Path(samples)
    labels = load_labels(labels_path or samples / "labels.json")
    spotter = spotter or Spotter()
    results = []
    for name, claims in sorted(labels.items()):
        _, body = article_text_of(samples / name)
        candidates = spotter.spot(body)
        result = FileResult(name, labels=len(claims), candidates=len(candidates))
        covered = set()
        for claim in claims:
            at = body.find(claim["text"])
            if at < 0:
                raise ValueError(f"{name}: labelled text not in the body: {claim['text']!r}")
            hit = next((c for c in candidates if c.start <= at < c.end), None)
            if hit is None:
                result.missed.append(claim["text"])
                continue
            covered.add(id(hit))
            result.found += 1
            result.claimant_agrees += _same_claimant(hit.claimant, claim["claimant"])
            result.unverified_agrees += hit.unverified == claim["unverified"]
        result.right = len(covered)
        result.wrong = [c.sentence for c in candidates if id(c) not in covered]
        results.append(result)
    return BenchmarkResult(results)


_SKIP = frozenset("the a an of for in at by to and 's".split())


def _same_claimant(found, labelled):
    """The claimant phrases share a significant word ("the ministry" / "Defence Ministry")."""

    def words(text):
        return {w.removesuffix("'s") for w in re.findall(r"[\w'-]+", text.lower())} - _SKIP

    return bool(words(found) & words(labelled))
