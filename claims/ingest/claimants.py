"""Who a claimant phrase names: the name alone, the role it was given, and what kind it is.

The attribution rules (attribution.py) find the words before or after an attribution verb;
these rules make a claimant of them, as a reporter would write it in the desk:

- the scene set before it goes ("On Wednesday, Rafael Grossi", "The same day, …", "Later, …");
- link labels pasted from broadcasters' pages go ("In a post on X, external, …");
- of a name and its apposition, the name is the claimant and the apposition its role
  ("Rafael Grossi, head of the IAEA" and "The region's governor, Alexander Bogomaz" alike);
- "He went on to" is "He", and a function word alone ("if", "when") is no claimant at all.

The organisation a person's role names is kept with it: "head of the IAEA" and "the IAEA's
director general" name the IAEA (the desk proposes its affiliation for a new Source).

A person is told from an organisation by the words of the phrase (minister, spokesman …;
ministry, staff, agency …) and by its shape (two or three capitalised words, or a surname
already named in the article).
"""

import re
from dataclasses import dataclass

from .lexicon import (
    FUNCTION_WORDS,
    LINK_LABELS,
    ORGANISATION_NOUNS,
    PERSON_NOUNS,
    PLURAL_HEADS,
    ROLE_LINKS,
    SCENE_OPENERS,
)


@dataclass(frozen=True)
class Claimant:
    """A claimant as the desk records it: the name, and the role the text gave it."""

    name: str
    role: str = ""

    @property
    def organisation(self):
        """The organisation the role names ("IAEA" for "head of the IAEA"), or ""."""
        return organisation_of(self.role)


_NAME = re.compile(r"(?:[A-Z][\w'’.-]+\s){1,3}[A-Z][\w'’-]+")
# A description before a name: "the …", "a …", "Ukraine's …", "his …".
_DESCRIBED = re.compile(r"(?:the|a|an|his|her|its|their|[A-Z][\w-]*['’]s)\s", re.I)
_PROPER = re.compile(r"[A-Z][\w'’.-]+(?:\s(?:of|for|the|and|on|[A-Z][\w'’.-]+)){0,6}")
_LINK_LABEL = re.compile(rf"(?:,\s*|\s+)(?:{'|'.join(LINK_LABELS)})(?=\s*,|\s*$)", re.I)
_SCENE = re.compile(rf"^(?:{SCENE_OPENERS})\s*,\s*", re.I)
_GOES_ON = re.compile(
    r"\s+(?:went\s+on|goes\s+on|continued|continues|was\s+quick|were\s+quick|also\s+went\s+on)"
    r"(?:\s+to)?$",
    re.I,
)


# "head of the IAEA", "director general of the International Atomic Energy Agency": the
# organisation after a role noun; "The IAEA's director general": the one that holds the role.
# An organisation is written with a capital or a figure ("the region's governor" names none).
_ORGANISATION_AFTER_ROLE = re.compile(
    rf"\b(?i:{PERSON_NOUNS})\b(?:\s+[a-z][\w-]*){{0,2}}?\s+(?:{ROLE_LINKS})\s+(?:the\s+)?"
    r"(?P<organisation>[A-Z0-9][^,;()]*)"
)
_ORGANISATION_BEFORE_ROLE = re.compile(
    r"^(?:[Tt]he\s+)?(?P<organisation>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*)['’]s\s+"
    rf"(?:[\w-]+\s+){{0,2}}?(?i:{PERSON_NOUNS})\b"
)


def without_link_labels(text):
    """`text` with broadcasters' link labels (", external,") blanked, offsets unchanged."""
    return _LINK_LABEL.sub(lambda m: " " * len(m.group()), text)


def tidy(phrase):
    """The Claimant a phrase names, or None when it names no one ("if", "external")."""
    phrase = re.sub(r"\s+", " ", without_link_labels(phrase or "")).strip(" ,")
    phrase = _GOES_ON.sub("", phrase)
    while True:
        shorter = _SCENE.sub("", phrase, count=1)
        if shorter == phrase or not shorter:
            break
        phrase = shorter
    if not phrase or all(w.lower() in FUNCTION_WORDS for w in phrase.split()):
        return None
    parts = [p.strip() for p in phrase.split(",") if p.strip()]
    if len(parts) == 1:
        return Claimant(phrase)
    names = [p for p in parts if _NAME.fullmatch(p) and not _is_organisation(p)]
    if not names and len(parts) == 2 and _DESCRIBED.match(parts[0]) and _PROPER.fullmatch(parts[1]):
        names = [parts[1]]  # "Ukraine's state nuclear company, Energoatom"
    if names:
        name = names[0]
        role = ", ".join(p for p in parts if p != name)
        return Claimant(name, role)
    return Claimant(parts[0], ", ".join(parts[1:]))


def organisation_of(role):
    """The organisation a person's role names: "IAEA" for "head of the IAEA" and for "The
    IAEA's director general"; "" when it names none ("his press secretary", "The region's
    governor") or is no person's role ("Ukraine's state nuclear company")."""
    role = role or ""
    match = _ORGANISATION_AFTER_ROLE.search(role) or _ORGANISATION_BEFORE_ROLE.match(role)
    return match.group("organisation").strip(" .") if match else ""


def _is_organisation(phrase):
    return bool(re.search(rf"\b(?:{ORGANISATION_NOUNS})\b", phrase, re.I))


def is_plural(phrase):
    head = phrase.split(",")[0].strip()
    return bool(re.search(rf"(?:{PLURAL_HEADS})$", head, re.I))


def is_person(phrase, known_surnames=()):
    """A person: a role noun (spokesman, governor …), a name, or a surname named before."""
    head = phrase.split(",")[0].strip()
    if is_plural(head):
        return False
    if re.search(rf"\b(?:{PERSON_NOUNS})\b", phrase, re.I):
        return True
    if _is_organisation(head):
        return False
    if re.search(r"\b[A-Z][a-z]+\s+[A-Z][\w'’-]+$", head):
        return True
    return head in known_surnames


def surnames(text):
    """The surnames of the people named in `text` as First Last ("Grossi", "Trehubov")."""
    return {
        m.group(2)
        for m in re.finditer(r"\b([A-Z][a-z]+)\s+([A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?)\b", text)
        if not _is_organisation(m.group())
    }
