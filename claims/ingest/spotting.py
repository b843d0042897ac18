"""The claim spotter: the candidate claims of an article body, read sentence by sentence.

Rule-based, so that an editor can see why a sentence was picked and the desk can run it
anywhere. This module reads an article in order and decides what needs the sentences before:
who a pronoun, "the ministry" or a passive without an agent points back to; that a quotation
carrying on in the next sentence without a new attribution is a candidate of the same
claimant; and which candidates a note that a claim could not be verified applies to. For the
rest it asks the rooms beside it: sentences.py (where sentences end, what is quoted),
attribution.py (whether one sentence attributes a statement, and the claimant phrase),
claimants.py (the name and role a phrase gives), matching.py (the Source and the Places),
worthiness.py (how check-worthy a candidate is); their word lists are in lexicon.py.
"""

import bisect
import re
from dataclasses import dataclass, field

from . import claimants, worthiness
from .attribution import PASSIVE_AGENTLESS, find_attribution, sentence_subject, two_claimants
from .config import ingest_setting
from .lexicon import (
    ATTACKS,
    BOTH_SIDES,
    NOTE_ON_SEVERAL,
    PRONOUNS,
    QUANTIFIERS,
    SEVERAL_CLAIMS,
    SIDES,
    UNVERIFIED_NOTE,
)
from .matching import PlaceIndex, SourceIndex
from .sentences import QUOTE_CLOSE, QUOTE_OPEN, quotation, split_sentences

# A quotation carried on from the previous sentence: its claimant, resolved again.
CARRIED = "\x00carried"

# The text says it could not confirm what was claimed.
_UNVERIFIED = re.compile(UNVERIFIED_NOTE, re.X | re.I)
_BOTH_SIDES = re.compile(BOTH_SIDES, re.I)
_PLURAL_DISCLAIMER = re.compile(SEVERAL_CLAIMS, re.I)
_NOTE_ON_SEVERAL = re.compile(rf"^(?:{NOTE_ON_SEVERAL})\b", re.I)


@dataclass
class Candidate:
    """A sentence (or two) where someone asserts something, as found in the article body."""

    sentence: str
    start: int
    end: int
    claimant: str
    verb: str
    source_id: int | None = None
    source_name: str = ""
    places: list[str] = field(default_factory=list)
    place_ids: list[int] = field(default_factory=list)
    unverified: bool = False
    quote: str = ""
    claimant_role: str = ""
    claimant_organisation: str = ""  # the organisation the role names ("IAEA")
    worthiness: int = 0
    worthiness_note: str = ""

    def as_json(self):
        """The shape `spot_claims --format json` prints."""
        return {
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "claimant": self.claimant,
            "source_id": self.source_id,
            "verb": self.verb,
            "places": self.places,
            "unverified": self.unverified,
            "claimant_role": self.claimant_role,
            "claimant_organisation": self.claimant_organisation,
            "worthiness": self.worthiness,
        }


class Spotter:
    """Finds candidate claims; knows the desk's Sources and Places to match them against.

    `sources` is a list of (id, name, kind, [aliases]); `places` a list of (id, name,
    [alternative names]). `Spotter.from_database()` reads them from the desk (read only).
    It reads the first `max_chars` characters of a body (the SPOT_MAX_CHARS setting).
    """

    def __init__(self, sources=(), places=(), *, max_chars=None):
        self.sources = SourceIndex(sources)
        self.places = PlaceIndex(places)
        self.max_chars = ingest_setting("SPOT_MAX_CHARS") if max_chars is None else max_chars

    @classmethod
    def from_database(cls):
        from claims.models import Place, Source

        sources = [
            (s.pk, s.name, s.kind, [a.name for a in s.aliases.all()])
            for s in Source.objects.prefetch_related("aliases")
        ]
        places = [
            (p.pk, p.name, [n.name for n in p.alternative_names.all()])
            for p in Place.objects.prefetch_related("alternative_names")
        ]
        return cls(sources, places)

    def reads_all_of(self, body):
        """Whether `spot` reads the whole of `body` (else only its first `max_chars`)."""
        return len(body) <= self.max_chars

    def part_read(self, body):
        """The part of `body` that `spot` reads: all of it, or its first `max_chars` up to the
        last paragraph end within them, so that no sentence is cut short."""
        if self.reads_all_of(body):
            return body
        end = body.rfind("\n", 0, self.max_chars + 1)
        return body[: end if end > 0 else self.max_chars]

    def spot(self, body):
        """The candidate claims in the part of `body` the spotter reads, in order."""
        text = self.part_read(body)
        sentences = split_sentences(text)
        context = _Context(claimants.surnames(text))
        candidates, by_sentence = [], {}
        for index, sentence in enumerate(sentences):
            previous = by_sentence.get(index - 1, [])
            made = []
            for offset, end, phrase, verb in _attributions(sentences, index, previous):
                candidate = self._candidate(sentence, offset, end, verb)
                name = context.resolve(phrase, sentence, index, previous)
                candidate.claimant, candidate.claimant_role = name.name, name.role
                candidate.claimant_organisation = name.organisation
                candidate.source_id, candidate.source_name = self._source(name, context)
                made.append(candidate)
                context.claimed(name.name)
            context.saw(index, sentence)
            if made:
                by_sentence[index] = made
                candidates.extend(made)
        _flag_unverified(sentences, by_sentence)
        return candidates

    def _candidate(self, sentence, offset, end, verb):
        text = sentence.text[offset:end]
        candidate = Candidate(
            sentence=text,
            start=sentence.start + offset,
            end=sentence.start + end,
            claimant="",
            verb=verb,
            quote=quotation(text),
        )
        candidate.place_ids, candidate.places = self.places.mentioned(text)
        candidate.worthiness, candidate.worthiness_note = worthiness.score(text, candidate.places)
        return candidate

    def _source(self, name, context):
        """The Source the claimant names: the one "the ministry" refers back to, else by its
        name (a person is not matched to the organisation of their role)."""
        referent = _referent(name.name, context.claimants[-6:])
        return self.sources.best(referent or name.name)


def _attributions(sentences, index, previous):
    """[(start, end, claimant phrase, verb)] of a sentence: one, or one per clause when two
    claimants speak in it ("the General Staff said X, while Russia's Defence Ministry claimed
    Y"), or the previous sentence's claimant when a quotation carries on; [] for no claim."""
    sentence = sentences[index]
    text = claimants.without_link_labels(sentence.text)
    found = find_attribution(text)
    if found is None:
        if index and previous and _continues_quote(sentence, sentences[index - 1], previous[-1]):
            return [(0, len(text), CARRIED, previous[-1].verb)]
        return []
    second = two_claimants(text)
    if second:
        return second
    return [(0, len(text), *found)]


class _Context:
    """What the spotter has read so far that a pronoun may point back to: the recent
    claimants, and the subject of each recent sentence."""

    def __init__(self, surnames):
        self.surnames = surnames
        self.claimants = []
        self.subject = (-1, "")  # (index, subject) of the last sentence read

    def claimed(self, name):
        if name:
            self.claimants.append(name)

    def saw(self, index, sentence):
        subject = sentence_subject(sentence.text)
        tidy = claimants.tidy(subject) if subject else None
        if tidy and tidy.name.lower() not in PRONOUNS:
            self.subject = (index, tidy.name)

    def resolve(self, phrase, sentence, index, previous):
        """The Claimant `phrase` names, pronouns and carried quotations resolved."""
        if phrase == CARRIED:
            return claimants.Claimant(previous[-1].claimant, previous[-1].claimant_role)
        if phrase == PASSIVE_AGENTLESS:
            return claimants.Claimant(self._reporter_of(sentence.text))
        tidy = claimants.tidy(phrase)
        if tidy is None:
            return claimants.Claimant("")
        pronoun = QUANTIFIERS.get(tidy.name.lower(), tidy.name.lower())
        if pronoun not in PRONOUNS:
            return tidy
        # The sentence before: its claimants, nearest first, else its subject.
        subject = [self.subject[1]] if self.subject[0] == index - 1 else []
        nearest = subject + [c.claimant for c in previous]
        named = self._antecedent(pronoun, nearest) or self._antecedent(pronoun, self.claimants)
        if (
            not named
            and pronoun in ("it", "they")
            and re.search(r",\s*(?:it|they)\s+\w+", sentence.text)
        ):
            # "The air force shot down 50 drones, it said.": the sentence's own subject.
            named = sentence_subject(sentence.text)
        return claimants.Claimant(named or "")

    def _antecedent(self, pronoun, recent):
        """The nearest of `recent` that "he", "she", "it" or "they" can stand for."""
        for name in reversed(recent[-4:]):
            if not name or name.lower() in PRONOUNS:
                continue
            person = claimants.is_person(name, self.surnames)
            plural = claimants.is_plural(name)
            if pronoun in ("he", "she", "i") and person:
                return name
            if pronoun in ("they", "we") and (plural or not person):
                return name
            if pronoun in ("it", "this", "that") and not person:
                return name
        return ""

    def _reporter_of(self, text):
        """Who reported what a passive sentence says was reported: the nearest organisation
        that claimed something; of the other side when the sentence names one side's attacks."""
        attacker = next((s for s, p in SIDES.items() if re.search(p + ATTACKS, text)), None)
        others = [c for c in reversed(self.claimants[-4:]) if not claimants.is_person(c)]
        if attacker:
            other = SIDES["ukraine" if attacker == "russia" else "russia"]
            for name in others:
                if re.search(other, name):
                    return name
        return others[0] if others else ""


def _referent(claimant, recent):
    """Who "the ministry" or "the mission" is: the latest claimant named with that noun."""
    match = re.fullmatch(r"(?i)the\s+(\w+)", claimant.strip())
    if not match:
        return ""
    noun = match.group(1).lower()
    for earlier in reversed(recent[-6:]):
        if earlier.lower() != claimant.lower() and re.search(rf"(?i)\b{noun}\b", earlier):
            return earlier
    return ""


def _continues_quote(sentence, previous_sentence, previous_candidate):
    """A sentence wholly in quotes right after a quoted claim: the same person goes on."""
    if previous_candidate is None:
        return False
    text = sentence.text
    introduced = previous_sentence.text.endswith(":")
    if sentence.paragraph != previous_sentence.paragraph and not introduced:
        return (
            sentence.paragraph == previous_sentence.paragraph + 1
            and text[:1] in QUOTE_OPEN
            and text.rstrip()[-1:] in QUOTE_CLOSE
            and previous_candidate.quote != ""
        )
    return text[:1] in QUOTE_OPEN


def _flag_unverified(sentences, by_sentence):
    """Mark the candidates the text says could not be verified.

    A note in a candidate marks that one; a note after candidates in its paragraph marks the
    last of them, or all of them when it speaks of several ("Neither claim could be
    verified"); a note opening a paragraph marks the candidates of the paragraph before, or
    of up to three before it when it speaks of both sides. Each candidate is looked at a
    bounded number of times, however many notes follow it.
    """
    by_paragraph = {}  # paragraph → its candidates' sentence indexes, in order
    for index in sorted(by_sentence):
        by_paragraph.setdefault(sentences[index].paragraph, []).append(index)
    marked_all_before = {}  # paragraph → how many of its candidates a plural note has marked
    for index, sentence in enumerate(sentences):
        if not _UNVERIFIED.search(sentence.text):
            continue
        if index in by_sentence:
            for candidate in by_sentence[index]:
                candidate.unverified = True
            # "... said X, a claim that could not be verified": this one; and a closing
            # "Neither claim could be verified" after others in the paragraph is handled below.
            if not _NOTE_ON_SEVERAL.match(sentence.text):
                continue
        paragraph = sentence.paragraph
        in_paragraph = by_paragraph.get(paragraph, [])
        earlier = bisect.bisect_left(in_paragraph, index)
        if earlier:
            if _PLURAL_DISCLAIMER.search(sentence.text):
                targets = in_paragraph[marked_all_before.get(paragraph, 0) : earlier]
                marked_all_before[paragraph] = max(marked_all_before.get(paragraph, 0), earlier)
            else:
                targets = in_paragraph[earlier - 1 : earlier]
        else:
            if index and sentences[index - 1].paragraph == paragraph:
                continue  # it follows a sentence of its own paragraph that is no claim
            # The paragraph just before; "Neither account could be verified" reaches back over
            # the run of paragraphs with claims before it (at most three).
            reach = 3 if _BOTH_SIDES.search(sentence.text) else 1
            targets = []
            for before in range(paragraph - 1, paragraph - 1 - reach, -1):
                if not by_paragraph.get(before):
                    break
                targets.extend(by_paragraph[before])
        for i in targets:
            for candidate in by_sentence[i]:
                candidate.unverified = True


def spot_claims(body, *, spotter=None):
    """The candidate claims in an article body, matched against the desk's Sources and Places."""
    return (spotter or Spotter.from_database()).spot(body)
