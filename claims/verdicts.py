"""The verdict scale: the one place where verdicts are defined.

Each verdict has a label, a public definition (shown on the methodology page), its
ClaimReview rating (schema.org `reviewRating`), and the attribution line readers see next to
it. Models, admin, site, API and JSON-LD all read from here.

Parts of a claim are assessed on smaller scales of their own: location, time and actor on
`DimensionVerdict`, and media on `Authenticity`, so that the desk can say "the location is
confirmed but not the date".
"""

from dataclasses import dataclass

from django.db import models


class Verdict(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    LIKELY_TRUE = "likely_true", "Likely true"
    UNCONFIRMED = "unconfirmed", "Unconfirmed"
    DISPUTED = "disputed", "Disputed"
    MISLEADING = "misleading", "Misleading"
    LIKELY_FALSE = "likely_false", "Likely false"
    FALSE = "false", "False"


NOT_YET_ASSESSED = "Not yet assessed"

# ClaimReview ratings run from WORST_RATING to BEST_RATING, one number per verdict in the
# scale's order, so that an aggregator that reads only the number tells every verdict apart.
# Unconfirmed and Disputed sit in the middle: the evidence does not let the desk say either way.
BEST_RATING = 7
WORST_RATING = 1


@dataclass(frozen=True)
class VerdictInfo:
    verdict: Verdict
    definition: str
    rating: int
    # Attribution line shown with the verdict; {claimant} and {date} are filled in.
    attribution: str
    # A short text-only marker so the verdict never depends on colour alone.
    symbol: str

    @property
    def value(self):
        return self.verdict.value

    @property
    def label(self):
        return self.verdict.label


SCALE = (
    VerdictInfo(
        Verdict.CONFIRMED,
        "Independent evidence we have examined shows the claim is accurate.",
        7,
        "{claimant}'s claim was independently confirmed as of {date}.",
        "✔",
    ),
    VerdictInfo(
        Verdict.LIKELY_TRUE,
        "The weight of the evidence supports the claim, but a part of it could not be "
        "confirmed independently.",
        6,
        "{claimant}'s claim is likely true on the evidence available as of {date}.",
        "✓",
    ),
    VerdictInfo(
        Verdict.UNCONFIRMED,
        "We could not independently verify the claim either way with the evidence available.",
        5,
        "{claimant}'s claim could not be independently verified as of {date}.",
        "?",
    ),
    VerdictInfo(
        Verdict.DISPUTED,
        "Credible sources contradict each other and the evidence does not settle the question.",
        4,
        "{claimant}'s claim is disputed by other credible sources as of {date}.",
        "⇄",
    ),
    VerdictInfo(
        Verdict.MISLEADING,
        "The claim contains accurate elements but leaves a false impression, for example by "
        "omitting context or mixing up places or dates.",
        3,
        "{claimant}'s claim is misleading on the evidence available as of {date}.",
        "!",
    ),
    VerdictInfo(
        Verdict.LIKELY_FALSE,
        "The weight of the evidence contradicts the claim, though it cannot be ruled out "
        "completely.",
        2,
        "{claimant}'s claim is likely false on the evidence available as of {date}.",
        "✗",
    ),
    VerdictInfo(
        Verdict.FALSE,
        "Independent evidence we have examined shows the claim is inaccurate.",
        1,
        "{claimant}'s claim was shown to be false as of {date}.",
        "✘",
    ),
)

_BY_VALUE = {info.value: info for info in SCALE}


def verdict_info(value):
    """The scale entry for a stored verdict value; KeyError for an unknown one."""
    return _BY_VALUE[value]


class DimensionVerdict(models.TextChoices):
    """Assessment of one part of a claim: its location, its time, or who did it."""

    CONFIRMED = "confirmed", "Confirmed"
    LIKELY = "likely", "Likely"
    UNCONFIRMED = "unconfirmed", "Unconfirmed"
    DISPUTED = "disputed", "Disputed"
    INCORRECT = "incorrect", "Incorrect"


class Authenticity(models.TextChoices):
    """For photos, video and documents: is the media what it is said to be?"""

    ORIGINAL = "original", "Original"
    EDITED = "edited", "Edited"
    STAGED = "staged", "Staged"
    MISCAPTIONED = "miscaptioned", "Miscaptioned"
    UNDETERMINED = "undetermined", "Could not be determined"


# The parts of a claim a verification may assess separately, with the question each answers.
DIMENSIONS = (
    ("location", "Location", "Was it where it is said to have been?"),
    ("time", "Time", "Did it happen when it is said to have happened?"),
    ("actor", "Actor", "Was it done by whom it is said to have been done?"),
    ("authenticity", "Authenticity", "Is the media original, edited, staged or miscaptioned?"),
)
