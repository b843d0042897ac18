"""Measuring the spotter against hand-labelled sample articles.

Two sets, reported apart:

- the **tuning set** (`tests/ingest/samples/`): the articles the rules were written and tuned
  on. Its figures say the rules still do what they were made for, not how good they are;
- the **held-out set** (`tests/ingest/heldout/`): articles written and labelled before the
  spotter first ran on them, never read while tuning and never edited after a run. Its
  figures are the ones to quote.

A labelled claim is found when a candidate's span covers the start of the labelled text
(when two candidates cover it, as for two claimants in one sentence, the one naming the
labelled claimant, else the first not yet used); a candidate is right when it covers at least
one labelled claim. Of the claims found:

- *claimant named right*: the candidate's claimant phrase and the label name the same one —
  the significant words of one contain the other's ("Grossi", "IAEA Director General Rafael
  Grossi" and "Rafael Grossi" all do), and the phrase is a name, not a name with the
  scene around it ("on Wednesday, Rafael Grossi" has a comma and is not);
- *unverified markers attached*: of the claims the article says could not be verified, how
  many candidates say so; and how many candidates say so of a claim the article does not.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from claims.ingest.reading import article_text_of
from claims.ingest.spotting import Spotter

TUNING_SAMPLES = Path(settings.BASE_DIR) / "tests" / "ingest" / "samples"
HELDOUT_SAMPLES = Path(settings.BASE_DIR) / "tests" / "ingest" / "heldout"
DEFAULT_SAMPLES = TUNING_SAMPLES

# What the spotter should reach on the held-out set; the tuning set keeps its own.
HELDOUT_TARGETS = {"recall": 0.9, "precision": 0.8, "claimant_right": 0.95, "unverified": 1.0}
TUNING_TARGETS = {"recall": 0.9, "precision": 0.75}


@dataclass
class FileResult:
    name: str
    labels: int = 0
    found: int = 0
    candidates: int = 0
    right: int = 0
    claimant_agrees: int = 0
    claimant_right: int = 0
    unverified_agrees: int = 0
    unverified_labelled: int = 0
    unverified_attached: int = 0
    unverified_wrongly: int = 0
    missed: list = field(default_factory=list)
    wrong: list = field(default_factory=list)
    misnamed: list = field(default_factory=list)
    unattached: list = field(default_factory=list)


@dataclass
class BenchmarkResult:
    files: list

    def _sum(self, name):
        return sum(getattr(f, name) for f in self.files)

    def _share(self, part, whole):
        total = self._sum(whole)
        return self._sum(part) / total if total else 0.0

    @property
    def recall(self):
        return self._share("found", "labels")

    @property
    def precision(self):
        return self._share("right", "candidates")

    @property
    def claimant_accuracy(self):
        """Share of found claims whose claimant phrase shares a significant word with the label."""
        return self._share("claimant_agrees", "found")

    @property
    def claimant_right(self):
        """Share of found claims whose claimant is named right (see the module docstring)."""
        return self._share("claimant_right", "found")

    @property
    def unverified_accuracy(self):
        return self._share("unverified_agrees", "found")

    @property
    def unverified_attached(self):
        """Share of found claims labelled unverified whose candidate says so (1.0 if none)."""
        return (
            self._share("unverified_attached", "unverified_labelled")
            if self._sum("unverified_labelled")
            else 1.0
        )

    def meets(self, targets):
        """The names of the `targets` this result falls short of."""
        values = {
            "recall": self.recall,
            "precision": self.precision,
            "claimant_right": self.claimant_right,
            "unverified": self.unverified_attached,
        }
        return [name for name, target in targets.items() if values[name] < target]


def load_labels(path):
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {name: claims for name, claims in data.items() if not name.startswith("_")}


def run_benchmark(samples=DEFAULT_SAMPLES, labels_path=None, spotter=None):
    """Spot the claims in every labelled sample and compare them with the labels."""
    samples = Path(samples)
    labels = load_labels(labels_path or samples / "labels.json")
    spotter = spotter or Spotter()
    return BenchmarkResult(
        [
            _compare(name, claims, *article_text_of(samples / name), spotter)
            for name, claims in sorted(labels.items())
        ]
    )


def _compare(name, claims, headline, body, spotter):
    candidates = spotter.spot(body)
    result = FileResult(name, labels=len(claims), candidates=len(candidates))
    used = set()
    for claim in claims:
        at = body.find(claim["text"])
        if at < 0:
            raise ValueError(f"{name}: labelled text not in the body: {claim['text']!r}")
        hit = _covering(candidates, at, claim["claimant"], used)
        if hit is None:
            result.missed.append(claim["text"])
            continue
        used.add(id(hit))
        result.found += 1
        result.claimant_agrees += _same_claimant(hit.claimant, claim["claimant"])
        if named_right(hit.claimant, claim["claimant"]):
            result.claimant_right += 1
        else:
            result.misnamed.append((claim["text"], hit.claimant, claim["claimant"]))
        result.unverified_agrees += hit.unverified == claim["unverified"]
        if claim["unverified"]:
            result.unverified_labelled += 1
            result.unverified_attached += hit.unverified
            if not hit.unverified:
                result.unattached.append(claim["text"])
        elif hit.unverified:
            result.unverified_wrongly += 1
    result.right = len(used)
    result.wrong = [c.sentence for c in candidates if id(c) not in used]
    return result


def _covering(candidates, at, claimant, used):
    covering = [c for c in candidates if c.start <= at < c.end]
    fresh = [c for c in covering if id(c) not in used] or covering
    return next((c for c in fresh if named_right(c.claimant, claimant)), None) or next(
        iter(fresh), None
    )


_SKIP = frozenset("the a an of for in at by to and 's".split())


def _words(text):
    return {w.removesuffix("'s") for w in re.findall(r"[\w'-]+", text.lower().replace("’", "'"))}


def _same_claimant(found, labelled):
    """The claimant phrases share a significant word ("the ministry" / "Defence Ministry")."""
    return bool((_words(found) - _SKIP) & (_words(labelled) - _SKIP))


def named_right(found, labelled):
    """`found` names the labelled claimant: one's significant words hold the other's, and it is
    a name alone (no comma: not "on Wednesday, Rafael Grossi", not "X, head of Y")."""
    if not found or "," in found:
        return False
    mine, theirs = _words(found) - _SKIP, _words(labelled) - _SKIP
    return bool(mine and theirs) and (mine <= theirs or theirs <= mine)
