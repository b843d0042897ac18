"""Attribution within one sentence: whether someone is said to assert something, and who.

Decides, for a sentence read on its own, which attribution verb or phrase counts ("said",
"claimed", "according to", "was quoted as saying", "a statement read", a passive with its agent)
and which does not (negated, an idiom, a noun, an instruction), looking only outside the
quotations; then the claimant phrase around it: the verb's subject past any asides, the
name after an inverted verb or "according to", or the agent of a passive. Two claimants
in one sentence are two attributions. The words read are in lexicon.py; who a pronoun stands
for is decided across sentences, in spotting.py.
"""

import re

from .lexicon import (
    A_REPORT_FROM,
    ACCORDING_TO,
    ASIDE_OPENERS,
    AUXILIARIES,
    CLAUSE_CONJUNCTIONS,
    DETERMINERS,
    EVIDENCE_SUBJECTS,
    FINITE_WORDS,
    IDIOMS,
    IRREGULAR_PAST,
    LEADING_NOISE,
    NEGATED,
    NOT_CLAIMANT_OPENERS,
    NOT_NOUNS,
    NOUN_PHRASE_ENDS,
    PERSON_NOUNS,
    PRONOUNS,
    QUOTED_AS_SAYING,
    REPORTED_THINGS,
    REPORTS_FROM,
    SCENE_SETTERS,
    STATEMENT_CHANNELS,
    STATEMENT_READ,
    TRAILING_NOISE,
    VERB_FORMS,
    VERBS_NAMING_A_CHANNEL,
    VERBS_NEEDING_COMPANY,
)
from .sentences import mask_quotes

# The most attribution words and phrases weighed in one sentence: a sentence of news copy has
# three or four at most, and each costs time in proportion to the sentence.
VERBS_WEIGHED = 16
# A claimant is at most 14 words once the noise around it is gone; a phrase of more than this
# is not one, and is not worth the noise patterns' time.
_LONGEST_PHRASE = 40

# A claimant phrase that starts with "\x00" is a marker the spotter resolves, not words of the
# text. A passive without an agent ("Only 46 attacks were reported"): the claimant named before.
PASSIVE_AGENTLESS = "\x00passive"

_ACCORDING_TO = re.compile(ACCORDING_TO, re.I)
_QUOTED_AS = re.compile(QUOTED_AS_SAYING, re.I)
_STATEMENT_READ = re.compile(STATEMENT_READ, re.I)
_NEGATED = re.compile(NEGATED, re.I)
_IDIOMS = re.compile(IDIOMS, re.I)
_EVIDENCE_SUBJECT = re.compile(EVIDENCE_SUBJECTS, re.I)
_FINITE = re.compile(FINITE_WORDS, re.I)
_REPORTED_THING = re.compile(REPORTED_THINGS, re.I)
_SCENE_SETTER = re.compile(SCENE_SETTERS, re.I)
_LEADING_NOISE = re.compile(LEADING_NOISE, re.I)
_TRAILING_NOISE = re.compile(TRAILING_NOISE, re.I)
_A_REPORT_FROM = re.compile(rf"^{A_REPORT_FROM}", re.I)
_REPORTS_FROM = re.compile(rf"^{REPORTS_FROM}", re.I)
_ASIDE = re.compile(rf",\s*(?:{ASIDE_OPENERS})\b")
_NEW_CLAUSE = re.compile(rf"\s(?:{CLAUSE_CONJUNCTIONS})\s")
_CHANNEL = re.compile(rf"^\s+(on|in)\s+({STATEMENT_CHANNELS})\b")
_ROLE = re.compile(
    rf"(?:(?:the|a|an|his|her|its|their)\s+)?(?:[\w-]+\s+){{0,2}}?(?:{PERSON_NOUNS})\b", re.I
)
_NP_STOP = re.compile(r"[,;:.!?()\[\]\"“”«»—–]|\s(?:" + NOUN_PHRASE_ENDS + r")\b", re.I)
_PASSIVE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|has\s+been|have\s+been|had\s+been)\s+(?:\w+ly\s+)?$",
    re.I,
)
_INSTRUCTION = re.compile(r"^\s+(?:[\w'’-]+\s+){1,3}?to\s+(?!the\b|a\b|an\b)[a-z]+\b")
# "the ministry, which rarely acknowledges losses, said": the verb of a relative clause.
_RELATIVE = re.compile(r"\b(?:which|who|whom)\s+(?:\w+ly\s+)?$", re.I)
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_CLAUSE_BREAK = re.compile(r",?\s+(?:while|whereas)\s+|;\s+|,\s+but\s+")


def find_attribution(sentence):
    """(claimant phrase, verb) if `sentence` attributes a statement to someone, else None.

    The earliest attribution in the sentence wins; at most VERBS_WEIGHED words and phrases
    that could be one are weighed.
    """
    if len(sentence) < 12:
        return None
    frame = mask_quotes(sentence)
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
    if previous_word in DETERMINERS or previous_word.endswith(("'s", "’s")):
        return None
    if previous_word == "to" and not re.search(r"\b(?:went\s+on|according)\s+to\s*$", before):
        return None  # "expected to announce", "appeared to show"
    pattern = VERBS_NEEDING_COMPANY.get(lower)
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
        claimant = sentence_subject(sentence)
    if not claimant:
        return None
    if VERB_FORMS[lower] == "show" and not _EVIDENCE_SUBJECT.search(_clause_of(before)):
        return None
    verb = lower
    phrase = _CHANNEL.match(sentence[end:])
    if phrase and lower in VERBS_NAMING_A_CHANNEL:
        verb = f"{lower} {phrase.group(1)} {phrase.group(2)}"
    return start, claimant, verb


def _agentless(sentence, before, start, lower, passive):
    """(start, PASSIVE_AGENTLESS, verb) for "N attacks were reported", else None."""
    if lower not in ("reported", "confirmed", "recorded") or not _REPORTED_THING.search(before):
        return None
    return start, PASSIVE_AGENTLESS, f"{passive.group().strip()} {lower}"


def two_claimants(text):
    """[(start, end, claimant phrase, verb)] of the two clauses of a sentence when each has
    its own claimant ("the General Staff said X, while Russia's Defence Ministry claimed Y";
    also after ";" and ", but"), else None."""
    frame = mask_quotes(text)
    for count, match in enumerate(_CLAUSE_BREAK.finditer(frame)):
        if count == 3:
            break
        head, tail = text[: match.start()], text[match.end() :]
        one, two = find_attribution(head), find_attribution(tail)
        if not (one and two) or two[0].startswith("\x00"):
            continue
        if two[0].lower() in PRONOUNS or two[0].lower() == one[0].lower():
            continue
        return [(0, match.start(), *one), (match.end(), len(text), *two)]
    return None


def _noun_phrase_after(sentence, at):
    """The noun phrase starting at `at` ("Ukraine's General Staff" in "according to ...")."""
    rest = sentence[at:]
    stop = _NP_STOP.search(rest)
    phrase = rest[: stop.start()] if stop else rest
    phrase = _A_REPORT_FROM.sub("", phrase.strip())
    phrase = _REPORTS_FROM.sub("", phrase)
    return _clean_claimant(phrase)


def sentence_subject(sentence):
    """The words that open a sentence up to its verb ("Ukraine's air force" in "Ukraine's air
    force shot down 50 drones, it said"), or "" if that is not clear."""
    head = sentence.split(",", 1)[0]
    if "," in sentence and 0 < len(head.split()) <= 7 and not _SCENE_SETTER.match(head):
        candidate = _clean_claimant(head)
        if candidate and not any(
            w.lower() in IRREGULAR_PAST or w.lower().endswith("ed") for w in head.split()
        ):
            return candidate
    words = []
    for word in sentence.split()[:9]:
        bare = word.strip(',.;:"“”').lower()
        if word != word.lstrip('"“') or (
            bare in IRREGULAR_PAST
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


def _clause_of(before):
    """The current clause of the text before a verb (after the last quote or semicolon)."""
    cut = max(before.rfind(";"), before.rfind('"'), before.rfind("”"), before.rfind("“"))
    return before[cut + 1 :]


def _noun_phrase_before(sentence, frame, verb_start):
    """The subject of the verb at `verb_start`: the clause's words just before it."""
    before = re.sub(r"\s*[—–]\s*", ", ", frame[:verb_start]).rstrip()
    before = _without_trailing(before, AUXILIARIES)
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
    if aside and _ASIDE.match(aside.group()):
        head = before[: aside.start()]
        appos = aside.group().strip(", ")
        candidate = _clause_tail(head)
        if candidate:
            if re.match(r"(?:a|an|the)\b", appos) and not re.match(r"(?:which|who)\b", appos):
                return _clean_claimant(f"{candidate}, {appos}")
            return _clean_claimant(candidate)
    if re.search(r"\s(?:and|but)$", before):
        # "The General Staff listed 14 assaults and said all had been repelled."
        return sentence_subject(sentence)
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
    parts = _NEW_CLAUSE.split(tail)
    return parts[-1].strip()


def _without_trailing(text, words):
    """`text` without any of `words` at its end ("Moscow has also" → "Moscow")."""
    text = text.rstrip()
    while True:
        parts = text.rsplit(None, 1)
        if len(parts) < 2 or parts[1].lower() not in words:
            return text
        text = parts[0]


def _clean_claimant(phrase):
    """The claimant in `phrase` without the words around it, or "" when it names no one."""
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
    if words[0].lower() in NOT_CLAIMANT_OPENERS:
        return ""
    if len(words) == 1 and (words[0].lower().endswith("ly") or words[0].lower() in NOT_NOUNS):
        return ""
    return phrase
