"""How alike two claims are: one score, the same on every database the desk runs on.

`score(a, b)` is the share of the shorter text's significant words that the longer one says
too. Words are compared after folding what a desk would not count as a difference:

- case, punctuation and the possessive ("Russia's" = "Russia", "Ukrainian" = "Ukraine");
- attribution verbs and small words ("says", "said", "claimed", "its", "the") are left out:
  the claim is what is said, not the saying of it;
- words that news copy uses for one another ("troops" = "forces", "taken" = "captured");
- a place's other names ("Dzerzhinsk" = "Toretsk"), when the caller passes them;
- spelling: two words match when rapidfuzz's ratio between them is at least WORD_MATCH
  ("Rusian" = "Russian", "capturd" = "captured").

A name (a capitalised word) weighs twice a common word. Two texts are similar at THRESHOLD
or above. A candidate sentence from an article is long and
a claim's statement short, so the statement's words found in the sentence are what counts.
Which rows are scored is the database's part (claims.selectors.similar_claims): the trigram
index on PostgreSQL, shared words on SQLite; the score and the threshold are this module's.

Search forgives typos in names by the same rule: `name_match` takes a word a reader typed for
a name's word at WORD_MATCH ("bakhmt" for Bakhmut); claims.web.search picks which names to
score (pg_trgm on PostgreSQL, every name readers may see on SQLite).
"""

import re

from rapidfuzz import fuzz, process

THRESHOLD = 0.75
WORD_MATCH = 80
# Fewer significant words than this say too little to call two claims alike.
MIN_WORDS = 3
NAME_WEIGHT = 2

_SMALL = frozenset(
    "a an and are as at be been being by for from had has have in is it its of on or that the "
    "their they this to was were which with will would could should also now over after before "
    "than into about up out he she his her them we our us our not no all any".split()
)
_SAYING = frozenset(
    "say says said saying claim claims claimed claiming announce announces announced "
    "report reports reported tell tells told according insist insists insisted state states "
    "stated add adds added write writes wrote statement".split()
)
_SAME = {
    "troops": "forces",
    "units": "forces",
    "soldiers": "forces",
    "army": "forces",
    "military": "forces",
    "taken": "captured",
    "took": "captured",
    "take": "captured",
    "seized": "captured",
    "capture": "captured",
    "captures": "captured",
    "liberated": "captured",
    "liberation": "captured",
    "fallen": "captured",
    "fell": "captured",
    "russian": "russia",
    "ukrainian": "ukraine",
    "defense": "defence",
    "withdrew": "withdrawn",
    "withdrawal": "withdrawn",
    "pulled": "withdrawn",
    "shows": "show",
    "showed": "show",
    "shown": "show",
}


def words(text, aliases=None):
    """The significant words of `text`, folded as the module docstring says."""
    return list(_weighted(text, aliases))


def _weighted(text, aliases=None):
    """{significant word: weight}: a name (a capitalised word: a place, a side, a unit)
    weighs NAME_WEIGHT, so that "… captured Toretsk" and "… captured Chasiv Yar" differ."""
    aliases = aliases or {}
    out = {}
    for written in re.findall(r"[\w'’-]+", (text or "").replace("’", "'")):
        word = written.casefold().strip("'-").removesuffix("'s")
        word = aliases.get(word, word)
        word = _SAME.get(word, word)
        if len(word) > 1 and word not in _SMALL and word not in _SAYING:
            weight = NAME_WEIGHT if written[:1].isupper() else 1
            out[word] = max(out.get(word, 0), weight)
    return out


def score(a, b, aliases=None):
    """Share, from 0 to 1, of the shorter text's significant words (names weigh more) that the
    longer one says."""
    one, two = _weighted(a, aliases), _weighted(b, aliases)
    shorter, longer = (one, two) if len(one) <= len(two) else (two, one)
    if len(shorter) < MIN_WORDS:
        return 0.0
    found = sum(
        weight
        for word, weight in shorter.items()
        if word in longer
        or process.extractOne(word, list(longer), scorer=fuzz.ratio, score_cutoff=WORD_MATCH)
    )
    return found / sum(shorter.values())


def similar(a, b, aliases=None):
    return score(a, b, aliases) >= THRESHOLD


# --- names a reader types: one or two typos forgiven --------------------------------------

# Shorter words match a name only where the name contains them: a typo in three letters
# makes another word ("the" and "then").
MIN_NEAR_WORD = 4


def name_words(text):
    """The words of a name, as written."""
    return re.findall(r"\w+", text or "")


def name_match(word, name):
    """How `word`, one word a reader typed, matches `name`: `(True, word)` when the name
    contains it (any case), `(False, name_word)` when a word of the name is spelt within
    WORD_MATCH of it ("bakhmt" for Bakhmut, "Zelenskiy" for Zelensky), or None.

    The same rule as two claims' words (`score`), so the desk has one idea of a typo."""
    folded = word.casefold()
    if folded in (name or "").casefold():
        return True, word
    if len(folded) < MIN_NEAR_WORD:
        return None
    spelt = {w.casefold(): w for w in name_words(name)}
    best = process.extractOne(folded, list(spelt), scorer=fuzz.ratio, score_cutoff=WORD_MATCH)
    return (False, spelt[best[0]]) if best else None


def nearest(word, spellings):
    """Of `spellings` (names' words `name_match` took `word` for), the closest to it; the
    first in alphabetical order among equals."""
    folded = word.casefold()
    return min(spellings, key=lambda spelt: (-fuzz.ratio(folded, spelt.casefold()), spelt))
