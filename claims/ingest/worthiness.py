"""How check-worthy a candidate claim is: a score from 0 to 100 and a short note why.

ClaimBuster's idea (a sentence stating a checkable fact is worth checking; an opinion or a
plan is not), with our own rules for war reporting: figures, places and actions (captured,
destroyed, killed, advanced …) raise it; a statement of intent or opinion ("aims to take",
"must stop", "is unacceptable") marks it low. The spotter scores each candidate once, when it
is found; the article's page lists candidates by it.
"""

import re

from .lexicon import ACTIONS, INTENT_OR_OPINION, NUMBER_WORDS

BASE = 20
LOW = 30  # at or below: shown as low

_ACTION = re.compile(rf"\b(?:{ACTIONS})\b", re.I)
_NUMBER = re.compile(rf"\b(?:{NUMBER_WORDS})\b", re.I)
_INTENT = re.compile(rf"\b(?:{INTENT_OR_OPINION})\b", re.I)
_NAME = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][a-z]{2,}")


def score(sentence, places=()):
    """(score 0-100, note) of one candidate sentence; `places` are the Places it names."""
    points, why = BASE, []
    if _ACTION.search(sentence):
        points += 35
        why.append("an action")
    if _NUMBER.search(sentence):
        points += 20
        why.append("figures")
    if places or _NAME.search(sentence):
        points += 15
        why.append("places or names")
    if _INTENT.search(sentence):
        points = min(points, LOW) - 10
        return max(points, 0), "low: a statement of intent or opinion"
    return min(points, 100), ", ".join(why)


def is_low(points):
    return points <= LOW
