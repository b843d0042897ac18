"""The claim spotter: sentences of an article in which someone asserts something.

Rule-based, so that an editor can see why a sentence was picked and the desk can run it
anywhere: a sentence splitter (pysbd), then attribution verbs and phrases ("said", "claimed",
"according to", "wrote on Telegram", "was quoted as saying" ...) found outside quotations,
the claimant phrase around them, the best matching Source, the places mentioned, and whether
the text itself says the claim could not be verified.

Claims over two sentences ("... . ...," he said) are one candidate; a quotation that carries
on in the next sentence without a new attribution is a candidate of the same claimant.
"""

import bisect
import re
from dataclasses import dataclass, field
from functools import cache

import pysbd

from . import claimants, worthiness
from .config import ingest_setting
from .lexicon import PERSON_NOUNS

# --- what an attribution looks like --------------------------------------------------------

# Verb forms that attribute a statement. Forms that are as often nouns ("claims", "reports")
# count only when no determiner or possessive comes right before them.
_VERBS = {
    "say": "say says said saying",
    "claim": "claim claims claimed claiming",
    "tell": "tell tells told telling",
    "report": "report reports reported reporting",
    "announce": "announce announces announced announcing",
    "deny": "deny denies denied denying",
    "insist": "insist insists insisted insisting",
    "accuse": "accuse accuses accused accusing",
    "predict": "predict predicts predicted predicting",
    "concede": "concede concedes conceded conceding",
    "state": "stated",
    "add": "added adds",
    "warn": "warn warns warned warning",
    "confirm": "confirm confirms confirmed confirming",
    "allege": "allege alleges alleged alleging",
    "assert": "assert asserts asserted asserting",
    "argue": "argue argues argued arguing",
    "acknowledge": "acknowledge acknowledges acknowledged acknowledging",
    "admit": "admit admits admitted admitting",
    "declare": "declare declares declared declaring",
    "maintain": "maintains maintained",
    "estimate": "estimated estimates",
    "write": "write writes wrote writing",
    "post": "posted",
    "tweet": "tweeted",
    "explain": "explained explains",
    "stress": "stressed stresses",
    "suggest": "suggested suggests",
    "reiterate": "reiterated reiterates",
    "dispute": "disputed disputes",
    "reject": "rejected rejects",
    "dismiss": "dismissed dismisses",
    "counter": "countered",
    "blame": "blamed blames",
    "boast": "boasted boasts",
    "contend": "contended contends",
    "assess": "assessed assesses",
    "believe": "believe believes believed",
    "cite": "citing cited",
    "quote": "quoting",
    "brief": "briefed",
    "publish": "published",
    "describe": "described describes",
    "call": "calls called calling",
    "show": "show shows showed showing",
}
VERB_FORMS = {form: lemma for lemma, forms in _VERBS.items() for form in forms.split()}

_CALLS = (
    r"^\s*(?:the|it|this|that|these|those|them|him|her|such|Ukraine|Russia|Kyiv|Moscow)\b"
    r"(?!\s+(?:on|for|off|up)\b)"
)
# Forms that need company: "added that", "posted on Telegram", "published a video".
_NEEDS_CONTEXT = {
    "added": r"^\s*(?:that\b|,|\.|$|on\b|in\b)",
    "adds": r"^\s*(?:that\b|,|\.|$)",
    "posted": r"^\s*(?:on|to|a|an|the|in)\b",
    "published": r"^\s*(?:a|an|its|their|the|on|in)\s+(?:\w+\s+)?(?:video|statement|report|"
    r"update|message|post|footage|map|assessment|figures?|data)\b",
    "maintains": r"^\s*(?:that\b|it\b|its\b|they\b|the\b)",
    "maintained": r"^\s*(?:that\b|it\b|its\b|they\b|the\b)",
    "believe": r"^\s*(?:that\b|the\b|it\b|russia|ukraine|moscow|kyiv)",
    "believes": r"^\s*(?:that\b|the\b|it\b|russia|ukraine|moscow|kyiv)",
    "believed": r"^\s*(?:that\b|the\b|it\b|russia|ukraine|moscow|kyiv)",
    "described": r"^\s*(?:the|it|this|that|a|an|russia|ukraine|moscow|kyiv)\b.*\bas\b",
    "describes": r"^\s*(?:the|it|this|that|a|an|russia|ukraine|moscow|kyiv)\b.*\bas\b",
    "estimates": r"^\s*(?:that\b|the\b|russia|ukraine)",
    "briefed": r"^\s*(?:reporters|journalists|the\s+media|lawmakers)\b",
    "dismissed": r"^\s*(?:the|a|an|it|this|that|those|these|such|kyiv|moscow|russia|ukraine)\b",
    "rejected": r"^\s*(?:the|a|an|it|this|that|those|these|such|kyiv|moscow|russia|ukraine)\b",
    "confirm": r"^\s*(?:that\b|the\b|it\b)",
    "telling": r"^\s*(?:reporters|journalists|the|a|an|local|state|[A-Z])",
    "tell": r"^\s*(?:reporters|journalists|the\s+\w+\s+(?:agency|service|channel|newspaper)|[A-Z])",
    "reporting": r"^\s*(?:that\b|on\b)",
    "citing": r"^\s*(?:the|a|an|its|unnamed|local|military|officials|sources|[A-Z])",
    "cited": r"^\s*(?:the|a|an|its|unnamed|local|military|officials|sources|[A-Z])",
    "warning": r"^\s*that\b",
    "saying": r"^\s*(?:that\b|it\b|its\b|the\b|they\b|he\b|she\b|russia|ukraine|[A-Z\"“])",
    "claiming": r"^\s*(?:that\b|it\b|its\b|to\b|the\b|[A-Z])",
    "denying": r"^\s*(?:that\b|it\b|the\b|any\b|reports?\b)",
    "accusing": r"^\s*(?:the|it|russia|ukraine|moscow|kyiv|[A-Z])",
    "predicting": r"^\s*(?:that\b|the\b|a\b|an\b)",
    "writing": r"^\s*(?:on|in)\b",
    "calls": _CALLS,
    "called": _CALLS,
    "calling": _CALLS,
    "write": r"^\s*(?:on|in)\b",
}

# Phrases that attribute without a verb of their own, and the claimant's side of them.
_ACCORDING_TO = re.compile(
    r"\b(?:according\s+to|as\s+(?:reported|claimed|stated)\s+by|per)\s+", re.I
)
_QUOTED_AS = re.compile(r"\b(?:was|were|is|are)\s+quoted\s+(?:by\s+[^,]+?\s+)?as\s+saying\b", re.I)
_STATEMENT_READ = re.compile(
    r"\b(?:(?:a|the|its|their|his|her)\s+)?(?:statement|communiqu[eé]|post|message|report|"
    r"update|notice|briefing|bulletin|summary)\s+(?:from\s+[^,.]+?\s+|by\s+[^,.]+?\s+)?"
    r"(?:read|reads|said|says|stated|claimed|added)\b",
    re.I,
)
_IN_A_STATEMENT = re.compile(
    r"\b[Ii]n\s+(?:a|an|its|their|his|her|the)\s+(?:\w+\s+){0,2}?(?:statement|post|video|"
    r"address|interview|briefing|update|report|message|comments?|remarks|speech|assessment|"
    r"summary|bulletin)\b",
)

_NEGATED = re.compile(
    r"(?:\b(?:not|never|n't|no\s+one|nobody|neither|nor)\s+(?:\w+\s+){0,2}|\b(?:declined|refused|"
    r"unwilling|unable|failed|reluctant)\s+to\s+(?:\w+\s+)?)$",
    re.I,
)
_IDIOMS = re.compile(
    r"\b(?:so[- ]called|needless\s+to\s+say|that\s+is\s+to\s+say|suffice\s+(?:it\s+)?to\s+say"
    r"|(?:was|were)\s+told\s+to|is\s+said\s+to|are\s+said\s+to|it\s+is\s+said"
    r"|according\s+to\s+(?:the\s+)?(?:plan|schedule|tradition|custom|legend|protocol)"
    r"|(?:if|unless|until|once|when)\s+(?:\w+ly\s+)?(?:confirmed|verified|true))\b",
    re.I,
)
_DETERMINERS = frozenset(
    "the a an this that these those its their his her our your my such any some no every "
    "each another other latest new earlier previous similar initial first official unverified "
    "unconfirmed false these russian ukrainian western kremlin's media press news".split()
)
# "show" attributes only when a map, images or data do the showing.
_EVIDENCE_SUBJECT = re.compile(
    r"\b(?:maps?|mapping|data|footage|videos?|images?|imagery|photos?|photographs?|figures|"
    r"satellite|analysis|records?|documents?|tracking|project|survey|poll|statistics|tally|"
    r"DeepState|geolocated)\b",
    re.I,
)
_FINITE = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|could|should|can|cannot|may|might|must|"
    r"did|does|do|been|not|verify|confirm)\b",
    re.I,
)
# Words that may stand between a subject and its verb ("Moscow has also said").
_AUXILIARIES = frozenset(
    "has have had is are was were also later then earlier previously already again would will "
    "could may might did does do once repeatedly publicly".split()
)
_PASSIVE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|has\s+been|have\s+been|had\s+been)\s+(?:\w+ly\s+)?$",
    re.I,
)

# The text says it could not confirm what was claimed.
UNVERIFIED = re.compile(
    r"""\b(?:could|can|was|were|is|are|has|have)\s*(?:not|n't)\s+(?:\w+\s+){0,3}?(?:verif|confirm
    |corroborat)
    |cannot\s+(?:\w+\s+){0,2}?(?:verif|confirm)
    |unable\s+to\s+(?:independently\s+)?(?:verify|confirm|corroborate)
    |(?:not|never)\s+(?:been\s+|yet\s+been\s+)?able\s+to\s+(?:independently\s+)?(?:verify|confirm)
    |not\s+(?:been\s+)?(?:independently\s+)?(?:verified|confirmed|corroborated)
    |(?:were|was)\s+not\s+(?:immediately\s+)?(?:verifiable|possible\s+to\s+verify)
    |(?:not\s+|im)possible\s+to\s+(?:independently\s+)?(?:verify|confirm)
    |\b(?:neither|none|no\s+one)\b[^.]{0,80}?\bcould\s+(?:be\s+)?(?:independently\s+)?(?:verif|confirm)
    |\bunverified\b|\bunconfirmed\b|remains?\s+unconfirmed|remained\s+unconfirmed
    |no\s+independent\s+(?:confirmation|verification)
    |without\s+(?:providing|offering|giving)\s+(?:any\s+)?evidence
    |(?:provided|offered|gave|presented)\s+no\s+evidence
    |did\s+not\s+(?:provide|offer|give|present)\s+(?:any\s+)?evidence
    |no\s+(?:immediate\s+)?(?:independent\s+)?(?:way\s+to\s+(?:verify|confirm))""",
    re.X | re.I,
)

_PRONOUNS = frozenset("he she they it we i you this that who".split())
_LEADING_NOISE = re.compile(
    r"^(?:(?:and|but|while|as|so|because|although|though|when|after|before|if|which|yet|"
    r"however|meanwhile|also|separately|instead|later|earlier|then|now|still|that|where|"
    r"since|whereas|even|previously|in\s+turn|for\s+(?:its|his|her|their)\s+part|in\s+a\s+"
    r"(?:\w+\s+){0,2}?(?:statement|post|video|address|interview|briefing|update|report|"
    r"message)(?:\s+(?:on|to|late|early)\s+\w+(?:\s+\w+)?)?)[\s,]+)+",
    re.I,
)
_TRAILING_NOISE = re.compile(
    r"(?:[\s,]+(?:has|have|had|is|are|was|were|also|later|then|previously|repeatedly|again|"
    r"earlier|already|publicly|officially|separately|recently|first|now|once|itself|"
    r"themselves|himself|herself|would|will|could|may|might|can|did|does|do|not|never|"
    r"had\s+earlier|on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"(?:late|early)\s+on\s+\w+|on\s+(?:telegram|x|twitter|facebook|tv|television)|"
    r"last\s+(?:week|month|year|night)|this\s+(?:week|month|year)|yesterday|today|"
    r"overnight|in\s+(?:a|an|its|his|her|their)\s+(?:\w+\s+)?(?:statement|post|video|"
    r"address|interview|briefing|update|report|message)|in\s+\w+|at\s+(?:a|the)\s+\w+(?:\s+\w+)?)"
    r")+$",
    re.I,
)
_DAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"

_QUOTE_OPEN = '"“«„'
_QUOTE_CLOSE = '"”»“'


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
            "worthiness": self.worthiness,
        }


# --- sentences -----------------------------------------------------------------------------

# The most the spotter reads as one sentence, and the most pysbd is given at once (characters).
# pysbd's time grows with the square of what it is given, and so would the spotter's with the
# length of a sentence; news sentences are rarely over 400 characters, and a quotation running
# over several sentences is joined only while it stays within this.
SENTENCE_CHARS = 1_000
# pysbd's time also grows with the square of the list items and abbreviations it is given
# ("1.", "b)", "Mr."), so a block for it also ends after this many of them.
SPLITTER_MARKS = 32
_LIST_ITEM_OR_ABBREVIATION = re.compile(r"(?<!\w)\w{1,3}[.)]")


@cache
def _segmenter():
    return pysbd.Segmenter(language="en", clean=False)


@dataclass
class _Sentence:
    text: str
    start: int
    end: int
    paragraph: int


def split_sentences(body):
    """The sentences of `body` with their offsets; quotations running over several
    sentences ("We hold it. We will not leave," he said.) are kept together.

    No sentence is longer than SENTENCE_CHARS: a longer stretch without a sentence end is
    cut at a space.
    """
    sentences = []
    for number, match in enumerate(re.finditer(r"[^\n]+", body)):
        pieces = [
            _Sentence(body[start:end], start, end, number)
            for start, end in _sentence_spans(match.group(), match.start())
        ]
        sentences.extend(_join_open_quotes(pieces, body))
    return sentences


def _sentence_spans(paragraph, offset):
    """(start, end) in the body of each sentence of a paragraph that starts at `offset`.

    pysbd reads the paragraph a block at a time (SENTENCE_CHARS, or up to the
    SPLITTER_MARKS-th list item or abbreviation). When more follows a block, its last
    sentence may be cut short, so it is read again at the head of the next block; when that
    sentence starts in the block's first half it is too long for that, and is cut at the
    block's last space instead. Each block moves on by half its length or more, so pysbd
    reads each character at most twice.
    """
    start = 0
    while start < len(paragraph):
        block = paragraph[start : _block_end(paragraph, start)]
        spans = _pysbd_spans(block)
        if start + len(block) == len(paragraph):
            yield from ((offset + start + a, offset + start + b) for a, b in spans)
            return
        if not spans:
            start += len(block)
            continue
        last_start = spans[-1][0]
        yield from ((offset + start + a, offset + start + b) for a, b in spans[:-1])
        if last_start >= len(block) // 2:
            start += last_start
            continue
        space = block.rfind(" ", last_start + 1)
        cut = space if space > last_start else len(block)
        yield offset + start + last_start, offset + start + len(block[:cut].rstrip())
        start += cut


def _block_end(paragraph, start):
    end = min(len(paragraph), start + SENTENCE_CHARS)
    marks = _LIST_ITEM_OR_ABBREVIATION.finditer(paragraph, start, end)
    for count, mark in enumerate(marks, 1):
        if count == SPLITTER_MARKS:
            return mark.end()
    return end


def _pysbd_spans(block):
    """(start, end) of each sentence pysbd finds in `block`, without surrounding spaces."""
    spans, cursor = [], 0
    for piece in _segmenter().segment(block):
        text = piece.strip()
        if not text:
            continue
        at = block.find(text, cursor)
        if at < 0:
            continue
        cursor = at + len(text)
        spans.append((at, cursor))
    return spans


def _join_open_quotes(pieces, body):
    joined = []
    for piece in pieces:
        opens_new_quote = piece.text.startswith(tuple(_QUOTE_OPEN))
        if (
            joined
            and _open_quote(joined[-1].text)
            and not opens_new_quote
            and piece.end - joined[-1].start <= SENTENCE_CHARS
        ):
            previous = joined[-1]
            joined[-1] = _Sentence(
                body[previous.start : piece.end], previous.start, piece.end, previous.paragraph
            )
        else:
            joined.append(piece)
    return joined


def _open_quote(text):
    """A double quotation is still open at the end of `text`."""
    straight = text.count('"') % 2 == 1
    curly = text.count("“") > text.count("”")
    return straight or curly


def _mask_quotes(text):
    """`text` with quoted words blanked out (same length), so only the frame is searched."""
    out, inside, opener = [], False, ""
    for char in text:
        if not inside and char in _QUOTE_OPEN:
            inside, opener = True, char
            out.append(char)
        elif inside and (char in _QUOTE_CLOSE and (char != "“" or opener == "„")):
            inside = False
            out.append(char)
        else:
            out.append(" " if inside and char != "\n" else char)
    return "".join(out)


# --- the engine ----------------------------------------------------------------------------


class Spotter:
    """Finds candidate claims; knows the desk's Sources and Places to match them against.

    `sources` is a list of (id, name, kind, [aliases]); `places` a list of (id, name,
    [alternative names]). `Spotter.from_database()` reads them from the desk (read only).
    It reads the first `max_chars` characters of a body (the SPOT_MAX_CHARS setting).
    """

    def __init__(self, sources=(), places=(), *, max_chars=None):
        self.sources = _SourceIndex(sources)
        self.places = _PlaceIndex(places)
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
            quote=_quotation(text),
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
    second = _second_claimant(text, found)
    if second:
        return second
    return [(0, len(text), *found)]


# A quotation carried on from the previous sentence: its claimant, resolved again.
CARRIED = "\x00carried"
# A passive without an agent ("Only 46 attacks were reported"): the claimant named before.
PASSIVE_AGENTLESS = "\x00passive"

_CLAUSE_BREAK = re.compile(r",?\s+(?:while|whereas)\s+|;\s+|,\s+but\s+")


def _second_claimant(text, first):
    """Two clauses each with its own claimant, or None."""
    frame = _mask_quotes(text)
    for count, match in enumerate(_CLAUSE_BREAK.finditer(frame)):
        if count == 3:
            break
        head, tail = text[: match.start()], text[match.end() :]
        one, two = find_attribution(head), find_attribution(tail)
        if not (one and two) or two[0].startswith("\x00"):
            continue
        if two[0].lower() in _PRONOUNS or two[0].lower() == one[0].lower():
            continue
        return [(0, match.start(), *one), (match.end(), len(text), *two)]
    return None


# "Many said …", "Some said …": the people named before, as "they" would be.
_QUANTIFIERS = dict.fromkeys(("many", "some", "most", "others", "several", "both"), "they")

_SIDES = {
    "russia": r"\b(?:Russian?|Russia's|Moscow|Kremlin)\b",
    "ukraine": r"\b(?:Ukrainian|Ukraine's|Ukraine|Kyiv)\b",
}
_ATTACKS = r"\s+(?:\w+\s+)?(?:attacks?|assaults?|strikes?|drones?|missiles?|shelling)\b"


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
        subject = _sentence_subject(sentence.text)
        tidy = claimants.tidy(subject) if subject else None
        if tidy and tidy.name.lower() not in _PRONOUNS:
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
        pronoun = _QUANTIFIERS.get(tidy.name.lower(), tidy.name.lower())
        if pronoun not in _PRONOUNS:
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
            named = _sentence_subject(sentence.text)
        return claimants.Claimant(named or "")

    def _antecedent(self, pronoun, recent):
        """The nearest of `recent` that "he", "she", "it" or "they" can stand for."""
        for name in reversed(recent[-4:]):
            if not name or name.lower() in _PRONOUNS:
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
        attacker = next((s for s, p in _SIDES.items() if re.search(p + _ATTACKS, text)), None)
        others = [c for c in reversed(self.claimants[-4:]) if not claimants.is_person(c)]
        if attacker:
            other = _SIDES["ukraine" if attacker == "russia" else "russia"]
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
            and text[:1] in _QUOTE_OPEN
            and text.rstrip()[-1:] in _QUOTE_CLOSE
            and previous_candidate.quote != ""
        )
    return text[:1] in _QUOTE_OPEN


def _quotation(text):
    """The first quotation in `text` with three characters or more between its marks.

    One pass: the closing mark after an opening one is looked for once, not again from each
    of thousands of opening marks with no closing one after them.
    """
    closing = -1
    for at, char in enumerate(text):
        if char not in _QUOTATION_OPENS:
            continue
        if closing <= at:
            closing = next(
                (i for i in range(at + 1, len(text)) if text[i] in _QUOTATION_CLOSES), len(text)
            )
        if closing < len(text) and closing - at > 3:
            return text[at + 1 : closing].strip(" ,")
    return ""


_QUOTATION_OPENS = '"“«'
_QUOTATION_CLOSES = '"”»'


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
        if not UNVERIFIED.search(sentence.text):
            continue
        if index in by_sentence:
            for candidate in by_sentence[index]:
                candidate.unverified = True
            # "... said X, a claim that could not be verified": this one; and a closing
            # "Neither claim could be verified" after others in the paragraph is handled below.
            if not re.match(r"^(?:neither|none|both|the\s+claims)\b", sentence.text, re.I):
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


_BOTH_SIDES = re.compile(r"\b(?:neither|either\s+side|both\s+sides|either\s+account)\b", re.I)
_PLURAL_DISCLAIMER = re.compile(
    r"\b(?:neither|either\s+side|both\s+sides|claims|reports|accounts|figures|statements)\b",
    re.I,
)
_INSTRUCTION = re.compile(r"^\s+(?:[\w'’-]+\s+){1,3}?to\s+(?!the\b|a\b|an\b)[a-z]+\b")
# "the ministry, which rarely acknowledges losses, said": the verb of a relative clause.
_RELATIVE = re.compile(r"\b(?:which|who|whom)\s+(?:\w+ly\s+)?$", re.I)
_WORD = re.compile(r"[A-Za-z][\w'’-]*")


# The most attribution words and phrases weighed in one sentence: a sentence of news copy has
# three or four at most, and each costs time in proportion to the sentence.
VERBS_WEIGHED = 16


def find_attribution(sentence):
    """(claimant phrase, verb) if `sentence` attributes a statement to someone, else None.

    The earliest attribution in the sentence wins; at most VERBS_WEIGHED words and phrases
    that could be one are weighed.
    """
    if len(sentence) < 12:
        return None
    frame = _mask_quotes(sentence)
    frame = _IDIOMS.sub(lambda m: " " * len(m.group()), frame)
    # "Ukraine's Defence Intelligence (HUR) said": asides in brackets are not the subject.
    frame = re.sub(r"\([^()]{0,60}\)", lambda m: " " * len(m.group()), frame)
    fully_quoted = frame.strip(" .,") and not re.search(r"[A-Za-z]", frame.replace("\n", ""))
    if fully_quoted:
        return None

    results = []
    weighed = 0
    # "according to X", "as reported by X", "X was quoted as saying", "a statement from X
    # read", "the ministry's statement said": the first of each kind that names someone.
    for kind in (_ACCORDING_TO, _QUOTED_AS, _STATEMENT_READ):
        for match in kind.finditer(frame):
            if weighed == VERBS_WEIGHED:
                break
            weighed += 1
            found = _phrase_attribution(kind, match, sentence, frame)
            if found:
                results.append(found)
                break
    first_phrase = min((r[0] for r in results), default=len(frame))

    for match in _WORD.finditer(frame):
        if match.start() >= first_phrase or weighed == VERBS_WEIGHED:
            break  # an attribution found earlier in the sentence wins anyway
        if match.group().lower() not in VERB_FORMS:
            continue
        weighed += 1
        found = _verb_attribution(match, sentence, frame)
        if found:
            results.append(found)
            break

    if not results:
        return None
    results.sort(key=lambda r: r[0])
    _, claimant, verb = results[0]
    return claimant, verb


def _phrase_attribution(kind, match, sentence, frame):
    """(start, claimant, verb) for an attribution phrase, or None when it names no one."""
    if kind is _ACCORDING_TO:
        if match.group().lower().startswith("per ") and not re.match(
            r"[A-Z]", frame[match.end() :]
        ):
            return None
        claimant = _noun_phrase_after(sentence, match.end())
        return (match.start(), claimant, "according to") if claimant else None
    if kind is _QUOTED_AS:
        claimant = _noun_phrase_before(sentence, frame, match.start())
        return (match.start(), claimant, "was quoted as saying") if claimant else None
    text = match.group()
    source = re.search(r"\b(?:from|by)\s+(.+?)\s+\w+$", text)
    claimant = (
        _clean_claimant(source.group(1))
        if source
        else _noun_phrase_before(sentence, frame, match.start())
    )
    if not claimant:
        return None
    last = text.split()[-1]
    verb = f"a statement {last}" if "statement" in text.lower() else last
    return match.start(), claimant, verb.lower()


def _verb_attribution(match, sentence, frame):
    """(start, claimant, verb) for an attribution verb, or None when it attributes nothing."""
    lower = match.group().lower()
    start, end = match.span()
    before, after = frame[:start], frame[end:]
    if _NEGATED.search(before) or _RELATIVE.search(before):
        return None
    previous = re.search(r"([\w'’-]+)\W*$", before)
    previous_word = previous.group(1).lower() if previous else ""
    if previous_word in _DETERMINERS or previous_word.endswith(("'s", "’s")):
        return None
    if previous_word == "to" and not re.search(r"\b(?:went\s+on|according)\s+to\s*$", before):
        return None  # "expected to announce", "appeared to show"
    pattern = _NEEDS_CONTEXT.get(lower)
    if pattern and not re.match(pattern, sentence[end:]):
        return None
    if VERB_FORMS[lower] in ("tell", "warn") and _INSTRUCTION.match(sentence[end:]):
        return None  # "officials told residents to leave": an instruction, not a statement
    passive = _PASSIVE.search(before)
    if passive:
        by = re.match(r"^\s+by\s+", after)
        if not by:
            return _agentless(sentence, before, start, lower, passive)
        claimant = _noun_phrase_after(sentence, end + by.end())
        if not claimant:
            return None
        return start, claimant, f"{passive.group().strip()} {lower} by"
    claimant = _inverted_claimant(sentence, before, end)
    if not claimant:
        claimant = _noun_phrase_before(sentence, frame, start)
    if not claimant and lower.endswith("ing") and before.rstrip().endswith(","):
        # "Kyiv has stepped up its strikes, arguing that ...": the sentence's subject.
        claimant = _sentence_subject(sentence)
    if not claimant:
        return None
    if VERB_FORMS[lower] == "show" and not _EVIDENCE_SUBJECT.search(_clause_of(before)):
        return None
    verb = lower
    phrase = re.match(
        r"^\s+(on|in)\s+(Telegram|X|Twitter|Facebook|Instagram|VKontakte|"
        r"YouTube|social\s+media|a\s+statement|a\s+video)\b",
        sentence[end:],
    )
    if phrase and lower in ("wrote", "said", "posted", "claimed", "says", "announced"):
        verb = f"{lower} {phrase.group(1)} {phrase.group(2)}"
    return start, claimant, verb


# "Only 46 Russian attacks were reported on Thursday": what was reported, counted or
# confirmed, said by whoever the article last quoted (resolved by the spotter).
_REPORTED_THING = re.compile(
    r"\b(?:\d[\d,]*|dozens|hundreds|several|no|only\s+\d[\d,]*)\s+(?:\w+\s+){0,2}?(?:attacks?|"
    r"assaults?|strikes?|drones?|missiles?|clashes|casualties|deaths|explosions|"
    r"shelling|battles|engagements)\b",
    re.I,
)


def _agentless(sentence, before, start, lower, passive):
    """(start, PASSIVE_AGENTLESS, verb) for "N attacks were reported", else None."""
    if lower not in ("reported", "confirmed", "recorded") or not _REPORTED_THING.search(before):
        return None
    return start, PASSIVE_AGENTLESS, f"{passive.group().strip()} {lower}"


_ROLE = re.compile(
    rf"(?:(?:the|a|an|his|her|its|their)\s+)?(?:[\w-]+\s+){{0,2}}?(?:{PERSON_NOUNS})\b", re.I
)

_NP_STOP = re.compile(
    r"[,;:.!?()\[\]\"“”«»—–]|\s(?:that|who|which|where|when|as|on\s+" + _DAYS + r"|said|says|"
    r"told|claimed|reported|added|wrote|had|has|have|was|were|is|are|would|will)\b",
    re.I,
)


def _noun_phrase_after(sentence, at):
    """The noun phrase starting at `at` ("Ukraine's General Staff" in "according to ...")."""
    rest = sentence[at:]
    stop = _NP_STOP.search(rest)
    phrase = rest[: stop.start()] if stop else rest
    phrase = re.sub(
        r"^(?:a|an)\s+(?:statement|report|post|update|message|video|briefing|"
        r"assessment|summary|tally|count|estimate|figures?)\s+(?:from|by|of)\s+",
        "",
        phrase.strip(),
        flags=re.I,
    )
    phrase = re.sub(
        r"^(?:data|figures|estimates|reports?|statements?|a\s+tally)\s+(?:from|by|"
        r"of)\s+",
        "",
        phrase,
        flags=re.I,
    )
    return _clean_claimant(phrase)


_IRREGULAR_PAST = frozenset(
    "shot hit struck took fired lost held won saw made began came went fell left kept put "
    "sent set spent stood brought bought built caught drove fought found gave got grew heard "
    "knew led met ran rose sank sought shut took threw told wrote flew overran retook".split()
)


def _sentence_subject(sentence):
    """The words that open a sentence up to its verb ("Ukraine's air force" in "Ukraine's air
    force shot down 50 drones, it said"), or "" if that is not clear."""
    head = sentence.split(",", 1)[0]
    if "," in sentence and 0 < len(head.split()) <= 7 and not _SCENE_SETTER.match(head):
        candidate = _clean_claimant(head)
        if candidate and not any(
            w.lower() in _IRREGULAR_PAST or w.lower().endswith("ed") for w in head.split()
        ):
            return candidate
    words = []
    for word in sentence.split()[:9]:
        bare = word.strip(',.;:"“”').lower()
        if word != word.lstrip('"“') or (
            bare in _IRREGULAR_PAST
            or bare.endswith("ed")
            or _FINITE.fullmatch(bare)
            or bare in VERB_FORMS
        ):
            break
        words.append(word)
        if word.endswith(","):
            return ""
    else:
        return ""
    return _clean_claimant(" ".join(words)) if 0 < len(words) <= 7 else ""


def _inverted_claimant(sentence, before, verb_end):
    """ "...," said Viktor Trehubov, a spokesman — the claimant after the verb."""
    stripped = before.rstrip()
    if not stripped.endswith((",", '"', "”", "’", "»")) or not stripped:
        return ""
    quote_close = stripped.endswith(('"', "”", "»")) or stripped.endswith((',"', ",”"))
    rest = sentence[verb_end:]
    match = re.match(r"^\s+((?:the|a|an|one|two|three|several|[A-Z])[^,.;:!?]{0,120})", rest)
    if not match:
        return ""
    phrase = match.group(1)
    if re.search(r"\b(?:had|has|have|was|were|is|are|would|will|could|did)\b", phrase):
        return ""
    tail = rest[match.end() :].strip()
    if not quote_close and tail and not tail.startswith(","):
        return ""
    return _clean_claimant(phrase)


_SCENE_SETTER = re.compile(
    r"^(?:(?:and|but)\s+)?(?:(?:in|on|at|after|before|during|from|since|near|across|over|under|"
    r"for|within|amid|despite)\s|(?:earlier|later|meanwhile|separately|elsewhere|overnight|also|"
    r"however|yesterday|today|now|then|still|instead|again|in\s+turn|as\s+a\s+result)$|\w+ly$)",
    re.I,
)


def _clause_of(before):
    """The current clause of the text before a verb (after the last quote or semicolon)."""
    cut = max(before.rfind(";"), before.rfind('"'), before.rfind("”"), before.rfind("“"))
    return before[cut + 1 :]


def _noun_phrase_before(sentence, frame, verb_start):
    """The subject of the verb at `verb_start`: the clause's words just before it."""
    before = re.sub(r"\s*[—–]\s*", ", ", frame[:verb_start]).rstrip()
    before = _without_trailing(before, _AUXILIARIES)
    if before.endswith(","):
        # "The region's governor, Alexander Bogomaz, said" / "Ukraine's military, for its part,
        # said": the subject is the clause's first part, before the asides.
        clause = _clause_of(before[:-1]).strip()
        parts = [p.strip() for p in clause.split(",")]
        while len(parts) > 2 and _SCENE_SETTER.match(parts[0]):
            parts.pop(0)  # "In Zaporizhzhia, the regional governor, Ivan Fedorov, said"
        if len(parts) >= 2 and not _SCENE_SETTER.match(parts[0]):
            head = _clean_claimant(parts[0])
            if head and not _FINITE.search(head) and len(head.split()) <= 12:
                name = parts[1]
                if len(parts) >= 2 and re.fullmatch(r"(?:[A-Z][\w'’.-]+\s?){1,4}", name):
                    return f"{head}, {name}"
                if _ROLE.match(name) and len(name.split()) <= 8:
                    return f"{head}, {name}"  # "Rafael Grossi, head of the IAEA": kept as role
                return head
            # "Danielle Bell, head of the mission, said": a name first, then who it is.
    # "X, which publishes daily figures, said" / "X, a spokesman for Y, said": skip the aside.
    aside = re.search(r",\s*[^,]{3,80},\s*$", before)
    if aside and re.match(
        r",\s*(?:which|who|whose|a|an|the|one|its|his|her|speaking|citing|"
        r"quoted|in|on|at|according)\b",
        aside.group(),
    ):
        head = before[: aside.start()]
        appos = aside.group().strip(", ")
        candidate = _clause_tail(head)
        if candidate:
            if re.match(r"(?:a|an|the)\b", appos) and not re.match(r"(?:which|who)\b", appos):
                return _clean_claimant(f"{candidate}, {appos}")
            return _clean_claimant(candidate)
    if re.search(r"\s(?:and|but)$", before):
        # "The General Staff listed 14 assaults and said all had been repelled."
        return _sentence_subject(sentence)
    tail = _clause_tail(before)
    if not tail and before.endswith(","):
        return ""
    return _clean_claimant(tail)


def _clause_tail(text):
    """The words after the last clause boundary in `text`."""
    cut = max(
        text.rfind(","),
        text.rfind(";"),
        text.rfind(":"),
        text.rfind("—"),
        text.rfind("–"),
        text.rfind("("),
        text.rfind('"'),
        text.rfind("“"),
        text.rfind("”"),
        text.rfind("»"),
    )
    tail = text[cut + 1 :] if cut >= 0 else text
    # A new clause inside: "... and Ukraine said", "... but the ministry said".
    parts = re.split(
        r"\s(?:and|but|while|whereas|although|though|because|after|before|when|"
        r"as|since|if|so|which|that|where|even\s+as|even\s+though)\s",
        tail,
    )
    return parts[-1].strip()


def _without_trailing(text, words):
    """`text` without any of `words` at its end ("Moscow has also" → "Moscow")."""
    text = text.rstrip()
    while True:
        parts = text.rsplit(None, 1)
        if len(parts) < 2 or parts[1].lower() not in words:
            return text
        text = parts[0]


# A claimant is at most 14 words once the noise around it is gone; a phrase of more than this
# is not one, and is not worth the noise patterns' time.
_LONGEST_PHRASE = 40


def _clean_claimant(phrase):
    phrase = re.sub(r"\s+", " ", phrase or "").strip(" ,.;:-—–'\"“”")
    if not phrase or phrase.count(" ") >= _LONGEST_PHRASE:
        return ""
    phrase = _LEADING_NOISE.sub("", phrase)
    previous = None
    while previous != phrase:
        previous = phrase
        phrase = _TRAILING_NOISE.sub("", phrase).strip(" ,")
    words = phrase.split()
    if not words or len(words) > 14 or _FINITE.search(phrase):
        return ""
    if not re.search(r"[A-Za-z]", phrase):
        return ""
    if words[0].lower() in ("there", "here", "what", "how", "why", "whether", "who"):
        return ""
    if len(words) == 1 and (words[0].lower().endswith("ly") or words[0].lower() in _NOT_NOUNS):
        return ""
    return phrase


# --- matching Sources and Places -----------------------------------------------------------

_NORMAL = {
    "russian": "russia",
    "russia's": "russia",
    "ukrainian": "ukraine",
    "ukraine's": "ukraine",
    "defense": "defence",
    "defence's": "defence",
    "armed": "armed",
    "ministry's": "ministry",
    "u.s.": "us",
    "american": "us",
    "united": "united",
    "kremlin's": "kremlin",
}
_STOP = frozenset("the of for a an and in on at by to 's its".split())
_PERSON_KINDS = ("official", "individual")
_NOT_NOUNS = frozenset(
    "also only even just still then now again first later soon often never always both all "
    "some many most few several each either neither one".split()
) - {"many", "some", "several", "both", "one"}


def _tokens(text):
    words = re.findall(r"[\w.'’-]+", text.casefold().replace("’", "'"))
    out = []
    for word in words:
        word = word.strip(".'-")
        if word.endswith("'s") and word not in _NORMAL:
            word = word[:-2]
        word = _NORMAL.get(word, word)
        if word and word not in _STOP:
            out.append(word)
    return out


class _SourceIndex:
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


class _PlaceIndex:
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


def spot_claims(body, *, spotter=None):
    """The candidate claims in an article body, matched against the desk's Sources and Places."""
    return (spotter or Spotter.from_database()).spot(body)
