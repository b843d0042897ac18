"""Which of the desk's Sources a claimant phrase names, and which Places a text names.

A Source fits by its exact name or an alias first, then by a multi-word name inside the
phrase ("spokesman Viktor Trehubov"), then by word overlap ("Russia's Defence Ministry" =
"Russian Ministry of Defence"), and a person by their surname; when two Sources fit equally,
none is chosen, so the editor does. A Place is named by its name or one of its alternative
names ("Dzerzhynsk" is Toretsk). The spellings matched as one word are in lexicon.py.
"""

import re

from .lexicon import MATCH_STOP_WORDS, SAME_WORD

# Source kinds that are people: named by their surname too, and preferred when an
# organisation fits as well.
_PERSON_KINDS = ("official", "individual")


def _tokens(text):
    """The words of `text` as names are matched: folded, spelt alike, without small words."""
    words = re.findall(r"[\w.'’-]+", text.casefold().replace("’", "'"))
    out = []
    for word in words:
        word = word.strip(".'-")
        if word.endswith("'s") and word not in SAME_WORD:
            word = word[:-2]
        word = SAME_WORD.get(word, word)
        if word and word not in MATCH_STOP_WORDS:
            out.append(word)
    return out


class SourceIndex:
    """The desk's Sources, to find the one a claimant phrase names."""

    def __init__(self, sources):
        self.entries = []  # (source id, display name, kind, names as token tuples)
        for source_id, name, kind, aliases in sources:
            names = [tuple(_tokens(n)) for n in [name, *aliases] if _tokens(n)]
            self.entries.append((source_id, name, kind, names))

    def best(self, claimant):
        """(source id, name) of the Source the claimant phrase names, or (None, "")."""
        if not claimant or not self.entries:
            return None, ""
        head = claimant.split(",")[0]
        head_tokens, all_tokens = tuple(_tokens(head)), tuple(_tokens(claimant))
        scored = []
        for source_id, name, kind, names in self.entries:
            score = 0.0
            for tokens in names:
                if tokens == head_tokens:
                    score = max(score, 10.0)
                elif _contains(all_tokens, tokens) and (
                    len(tokens) >= 2 or _is_head(tokens, head_tokens)
                ):
                    score = max(score, 5.0 + len(tokens))
                else:
                    overlap = set(tokens) & set(head_tokens)
                    union = set(tokens) | set(head_tokens)
                    if (
                        overlap
                        and union
                        and (set(head_tokens) <= set(tokens) or set(tokens) <= set(head_tokens))
                    ):
                        jaccard = len(overlap) / len(union)
                        if jaccard >= 0.5 and (
                            len(overlap) >= 2 or _is_surname(head_tokens, tokens, kind)
                        ):
                            score = max(score, 1.0 + jaccard)
            if score:
                bonus = 0.5 if kind in _PERSON_KINDS else 0.0
                scored.append((score + bonus, source_id, name))
        if not scored:
            return None, ""
        scored.sort(key=lambda s: -s[0])
        if len(scored) > 1 and scored[0][0] == scored[1][0]:
            return None, ""  # two Sources fit equally well: let the editor choose
        return scored[0][1], scored[0][2]


def _contains(haystack, needle):
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def _is_head(tokens, head_tokens):
    """A one-word name ("Kremlin") counts when it is the claimant's head word."""
    return bool(head_tokens) and head_tokens[-1] == tokens[-1] and len(head_tokens) <= 2


def _is_surname(head_tokens, tokens, kind):
    """A later mention by surname ("Trehubov") of a person Source ("Viktor Trehubov")."""
    return kind in _PERSON_KINDS and len(head_tokens) == 1 and head_tokens[0] == tokens[-1]


class PlaceIndex:
    """The desk's Places by every name they go by, to find those a text names."""

    def __init__(self, places):
        self.names = {}  # a name as written → (place id, place name)
        for place_id, name, alternatives in places:
            for written in [name, *alternatives]:
                if written and written.strip():
                    self.names.setdefault(written.strip(), (place_id, name))
        if self.names:
            alternation = "|".join(re.escape(n) for n in sorted(self.names, key=len, reverse=True))
            self.pattern = re.compile(rf"(?<![\w-])({alternation})(?![\w])")
            self.folded = {n.casefold(): v for n, v in self.names.items()}
        else:
            self.pattern = None

    def mentioned(self, text):
        """(ids, names) of the Places named in `text`, in order of first mention."""
        if self.pattern is None:
            return [], []
        ids, names = [], []
        for match in self.pattern.finditer(text):
            place_id, name = self.names[match.group(1)]
            if place_id not in ids:
                ids.append(place_id)
                names.append(name)
        return ids, names
