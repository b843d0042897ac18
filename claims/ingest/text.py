"""Cleaning of news text as it comes from copy-paste of a web page (or from an extractor).

Copy-pasted wire copy carries more than the story: the headline (sometimes twice, sometimes not
at all), section links, photo captions, a byline, "Updated"/"Published" lines, a dateline such
as "KYIV, Ukraine (AP) —", and a tail of "Related topics", "contributed to this report" and
sign-up prompts. `clean_text` keeps the story and says what it found around it.
"""

import re
import unicodedata
import warnings
from dataclasses import dataclass
from datetime import datetime

from dateutil import parser as dateutil_parser
from django.utils import timezone

HEADLINE_MAX = 500
DERIVED_HEADLINE_MAX = 120


@dataclass
class CleanedText:
    """A story taken apart: headline, body (paragraphs separated by blank lines), and what
    was found around it. `headline_derived` is true when the text had no headline line and the
    headline was made from the first sentence."""

    headline: str
    body: str
    byline: str = ""
    published_at: datetime | None = None
    dateline: str = ""
    headline_derived: bool = False
    outlet: str = ""  # the outlet the text names itself by ("(AP) —", "Reuters contributed")


# --- what a line is ------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_TERMINAL = tuple(".!?\"”’')»…:;")

_CAPTION = re.compile(
    r"""\(AP\s+Photo | \bAP\s+Photo/ | \bREUTERS/ | \bReuters/[A-Z] | Getty\s+Images
    | \bAFP\s+via\b | /AFP\b | \bvia\s+Reuters\b | \bEPA-EFE\b | /EPA\b | \bvia\s+AP\b
    | \(Photo[:\s] | ^Photo(?:graph)?\s*by\b | \bPhoto(?:graph)?\s*:\s
    | /(?:Reuters|AFP|AP|EPA|Anadolu)\s*$
    | ^Image(?:\s+caption|\s+source)?\s*[:,]
    | ^Media\s+caption | ^Video\s+caption | ^FILE\s*[-—–:] | ^FILE\s+PHOTO | ^Credit\s*:
    | ^Pictured?\s*: | \bhide\s+caption\b | \btoggle\s+caption\b | ^Enlarge\s+this\s+image
    | \bPhoto\s+credit\b | \bphoto\s*/\s*[A-Z][\w ]+$ | \(Illustrative\s+photo
    """,
    re.X | re.I,
)

# A byline: "By Jane Doe", "BY JANE DOE and JOHN ROE", "By Jane Doe, Associated Press".
_BYLINE = re.compile(r"^(?:by|words\s+by|written\s+by)\s+(?P<names>.+)$", re.I)
_NAME_TOKEN = re.compile(r"^(?:[A-ZÀ-Ý][\w.'’\-]*|and|&|de|da|van|von|der|la|le|del|bin|al-\w+)$")
_BYLINE_TAIL = re.compile(r"\s+(?:updated|published|posted)\b.*$", re.I)

# "Updated 10:15 AM GMT+2, Feb 7, 2025", "Published On 7 Feb 2025", "Last updated: ...".
_DATE_LINE = re.compile(
    r"^(?:last\s+)?(?:updated|published|posted|first\s+published|modified)\b(?:\s+on)?\s*:?\s*(?P<when>.*)$",
    re.I,
)
_DATE_WORDS = re.compile(
    r"""\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?
    |sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:s(?:day)?)?
    |wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|at|on|am|pm|a\.m\.
    |p\.m\.|gmt|utc|bst|est|edt|cet|cest|eet|eest|msk|kyiv|time|local|updated|published|ago
    |hours?|minutes?|mins?|days?)\b
    |[\d:.,/+\-–—|·•()]""",
    re.X | re.I,
)

_BOILERPLATE_LINE = re.compile(
    r"""^(?:advertisement|ad|sponsored|share|share\s+this(?:\s+(?:article|story))?|save
    |comments?|copy\s+link|link\s+copied|print|email|listen(?:\s+to\s+(?:this\s+)?article)?
    |\d+\s*(?:min|minute)s?\s+read|\d+\s*(?:minutes?|mins?|hours?|hrs?|days?)\s+ago|skip\s+to\s+(?:main\s+)?content|subscribe(?:\s+now)?
    |sign\s+up\b.* |newsletter\b.* |read\s+more|show\s+more|continue\s+reading|supported\s+by
    |story\s+continues\s+below(?:\s+advertisement)?|follow\s+(?:us|@\w+)\b.* |click\s+here\b.*
    |watch\s*:.* |video\s*:.* |listen\s*:.* |read\s+more\s*:.* |see\s+also\s*:.* |related\s*:.*
    |more\s*:.* |topics?\s*:.* |tags?\s*:.* |content\s+from\s+our\s+partners|loading\b.*
    |this\s+(?:video|content)\s+(?:can\s*not|cannot)\s+be\s+played|getty\s+images|reuters|ap|afp
    |(?:facebook|twitter|x|whatsapp|telegram|linkedin|reddit)(?:\s*[|·,]\s*\w+)*)$""",
    re.X | re.I,
)

_CONTRIBUTORS = re.compile(
    r"""contributed\s+(?:to\s+this\s+report|reporting)|^\(?(?:additional\s+)?reporting\s+by\b
    |^\(?(?:editing|writing|compiled|translated)\s+by\b|^our\s+standards\s*:
    |thomson\s+reuters\s+trust\s+principles|^(?:copyright|©)|all\s+rights\s+reserved
    |^this\s+(?:story|article)\s+(?:was|has\s+been)\s+(?:updated|corrected)\b.*\.$""",
    re.X | re.I,
)

# Lines after which the story is over: link lists, tags and sign-up prompts.
_TAIL_MARKER = re.compile(
    r"""^(?:related(?:\s+(?:topics|coverage|stories|articles|content|links))?|more\s+on\s+this\s+
    (?:story|topic)|more\s+(?:stories|from\s+.+)|you\s+(?:may|might)\s+also\s+(?:like|be\s+
    interested\s+in)|most\s+(?:read|popular|viewed)|top\s+stories|recommended(?:\s+stories)?
    |trending(?:\s+now)?|read\s+next|latest\s+(?:news|stories)|topics|tags|explore\s+more.*
    |_{3,}|—{3,}|-{3,}|\*{3,}|follow\s+\w+['’]s\s+coverage\b.*|more\s+of\s+\w+['’]s\s+coverage\b.*)$""",
    re.X | re.I,
)

# "KYIV, Ukraine (AP) —", "MOSCOW, Feb 7 (Reuters) -", "Kyiv (AFP) -", "POKROVSK, Ukraine —".
_AGENCY = (
    r"\((?:AP|Reuters|AFP|dpa|DPA|Bloomberg|UNIAN|Ukrinform|TASS|RIA|Interfax[\w-]*|RFE/RL"
    r"|CNN|BBC|Kyiv\s+Independent)\)"
)
_DATELINE = re.compile(
    rf"""^(?P<dateline>
        (?:[A-Z][\w.'’/\-]*(?:\s+[A-Z][\w.'’/\-]*){{0,3}}
           (?:,\s*[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){{0,2}})?
           (?:,?\s+(?:[A-Z][a-z]{{2,8}}\.?\s+\d{{1,2}}|\d{{1,2}}\s+[A-Z][a-z]{{2,8}}))?\s*)?{_AGENCY}
      | [A-Z][A-Z.'’/\-]{{2,}}(?:\s+[A-Z][A-Z.'’/\-]{{2,}}){{0,2}}
        (?:,\s*[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){{0,2}})?
    )\s*[—–-]{{1,2}}\s+""",
    re.X,
)


def normalize(text):
    """Unicode NFC, one kind of newline and space, no invisible characters, trimmed lines."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip()


def is_caption(line):
    return bool(_CAPTION.search(line))


def byline_names(line):
    """The names in `line` if it is a byline ("By Jane Doe, Associated Press"), else ""."""
    if len(line) > 160:
        return ""
    match = _BYLINE.match(line)
    if not match:
        return ""
    names = _BYLINE_TAIL.sub("", match.group("names")).strip(" |·•,")
    tokens = re.split(r"[\s,|·•]+", names)
    if not tokens or len(tokens) > 16 or any(not _NAME_TOKEN.match(t) for t in tokens if t):
        return ""
    if names.endswith(".") and not re.search(r"\b[A-Z]\.$", names):
        return ""
    return names


def is_date_only(line):
    """A line that is nothing but a date and time ("Fri 7 Feb 2025 10.22 GMT")."""
    line = re.sub(r"(\d)([A-Za-z])", r"\1 \2", line)
    if len(line) > 80 or not re.search(r"(?:19|20)\d\d|\d{1,2}:\d\d", line):
        return False
    return not _DATE_WORDS.sub("", line).strip()


def is_boilerplate(line):
    return bool(_BOILERPLATE_LINE.match(line)) or bool(_CONTRIBUTORS.search(line))


def looks_like_headline(line):
    """Short, and not a sentence of the story (headlines carry no full stop)."""
    if not line or len(line) > 250 or len(line.split()) > 30:
        return False
    if _DATELINE.match(line):
        return False
    return not line.endswith(".") or line.endswith("...")


def _norm(line):
    return re.sub(r"\W+", " ", line.casefold()).strip()


def _is_repeat_of(line, headline):
    """`line` is the headline again, perhaps with " | Outlet" after it."""
    a, b = _norm(line), _norm(headline)
    if not b:
        return False
    if a == b:
        return True
    return a.startswith(b) and len(a) - len(b) <= 30 and bool(re.search(r"\s[|–—-]\s", line))


# --- dates ---------------------------------------------------------------------------------

_TZ_OFFSETS = {
    "GMT": 0,
    "UTC": 0,
    "BST": 3600,
    "CET": 3600,
    "CEST": 7200,
    "EET": 7200,
    "EEST": 10800,
    "MSK": 10800,
    "EST": -18000,
    "EDT": -14400,
    "CST": -21600,
    "CDT": -18000,
    "PST": -28800,
    "PDT": -25200,
    "ET": -18000,
}


def parse_when(text):
    """An aware datetime from free text such as "10.22 AM GMT+2, Feb 7, 2025", or None."""
    if not text:
        return None
    # "January 5, 20253:12 PM": a year run into the time, as pages often paste.
    text = re.sub(r"\b((?:19|20)\d\d)(?=\d{1,2}:\d\d)", r"\1 ", text)
    # The first date is the publication; what follows "Updated" is another.
    text = re.split(r"(?i)(?<=\d)\s*updated\b", text)[0]
    if not re.search(r"\b(?:19|20)\d\d\b", text):
        return None
    text = re.sub(
        r"\b(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d\d))?\b",
        lambda m: f"{m[1]}{int(m[2]):02d}:{m[3] or '00'}",
        text,
    )
    text = re.sub(r"\b(\d{1,2})\.(\d\d)\b(?!\.\d)", r"\1:\2", text)
    text = re.sub(r"\b([ap])\.m\.", r"\1m", text, flags=re.I)
    text = re.sub(
        r"\b(?:updated|published|posted|on|at|last|first|modified)\b", " ", text, flags=re.I
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            when = dateutil_parser.parse(text, fuzzy=True, tzinfos=_TZ_OFFSETS)
    except (ValueError, OverflowError, TypeError):
        return None
    if not 1990 <= when.year <= 2100:
        return None
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return when


# --- the cleaner ---------------------------------------------------------------------------


def clean_text(raw, *, headline=""):
    """Take copy-pasted news text apart into headline, body, byline, date and dateline.

    `headline`, when the caller already knows it (from a page's metadata), is used as is and
    removed from the text wherever it is repeated. Returns `CleanedText`; its body may be
    empty when nothing of a story was left.
    """
    # 1. Drop what is never story: captions, bylines, date lines, boilerplate.
    kept, byline, published_at = _story_lines(normalize(raw).split("\n"))
    kept = _cut_tail(kept)
    # 2. The headline, given or found above the story, and its repeats.
    derived = False
    if headline:
        headline = normalize(headline).replace("\n", " ")
    else:
        headline = _take_headline(kept)
    if headline:
        kept = [line for line in kept if not (line and _is_repeat_of(line, headline))]
    # 3. Paragraphs: blocks split by blank lines; hard-wrapped lines within a block joined.
    dateline, paragraphs = _take_dateline(_paragraphs(kept))
    body = "\n\n".join(paragraphs)
    if not headline and body:
        headline, derived = derive_headline(body), True
    outlet = outlet_named_in(raw, dateline=dateline, byline=byline)
    return CleanedText(
        headline=headline[:HEADLINE_MAX],
        body=body,
        byline=byline[:300],
        published_at=published_at,
        dateline=dateline,
        headline_derived=derived,
        outlet=outlet,
    )


def _story_lines(lines):
    """(kept, byline, published_at): the lines that may be story, with "" for each line
    dropped and for the breaks between blocks, and a tail marker where the tail may begin;
    the first byline found; the publication time (a "Published" line wins over an "Updated"
    one, else the first date found)."""
    byline, published_at, published_found = "", None, False
    kept = []
    for line in lines:
        if not line:
            kept.append("")
            continue
        names = _byline_in(line, kept, byline)
        if names is not None:
            byline = byline or names
            kept.append("")
            continue
        date_match = _DATE_LINE.match(line)
        if date_match and len(line) <= 120:
            when = parse_when(date_match.group("when"))
            is_published = not line.lower().lstrip().startswith(("updated", "last", "modified"))
            if when and (published_at is None or (is_published and not published_found)):
                published_at, published_found = when, is_published
            kept.append("")
            continue
        if is_date_only(line):
            published_at = published_at or parse_when(line)
            kept.append("")
            continue
        kept.append(_kept_as(line))
    return kept, byline, published_at


def _kept_as(line):
    """What of a line that is neither a byline nor a date is kept: "" for a caption or
    boilerplate, a tail marker for a line after which the story may be over, else the line."""
    if is_caption(line):
        return ""
    if _TAIL_MARKER.match(line):
        return _TailMarker(line)
    if is_boilerplate(line):
        return _TailMarker(line) if _CONTRIBUTORS.search(line) else ""
    return line


def _take_headline(kept):
    """The first headline-like line before the story starts, past any section links ("World",
    "Europe") above it, taken out of `kept`; or "" when there is none."""
    content = [line for line in kept if line]
    while (
        len(content) >= 2
        and len(content[0].split()) <= 2
        and looks_like_headline(content[0])
        and looks_like_headline(content[1])
        and len(content[1]) > len(content[0])
    ):
        _drop_first(kept, content.pop(0))
    if content and looks_like_headline(content[0]) and len(content) > 1:
        _drop_first(kept, content[0])
        return content[0]
    return ""


def _take_dateline(paragraphs):
    """(dateline, paragraphs): a wire dateline ("KYIV, Ukraine (AP) —") at the head of one of
    the first three paragraphs, taken off it; or "" and the paragraphs as they were."""
    for number, paragraph in enumerate(paragraphs[:3]):
        match = _DATELINE.match(paragraph)
        if match:
            rest = paragraph[match.end() :].strip()
            paragraphs[number] = rest[:1].upper() + rest[1:]
            return match.group("dateline").strip(), [p for p in paragraphs if p]
    return "", paragraphs


class _TailMarker(str):
    """A line after which, near the end of the text, nothing is story any more."""


def _cut_tail(kept):
    """Drop tail markers, and everything after one in the last part of the text.

    Earlier in the text ("Related coverage" between paragraphs), drop the marker and the link
    titles that follow it, up to the next paragraph that reads as a sentence.
    """
    content_positions = [i for i, line in enumerate(kept) if line]
    if not content_positions:
        return kept
    total = len(content_positions)
    result, skipping_links = [], False
    for rank, i in enumerate(content_positions):
        line = kept[i]
        if isinstance(line, _TailMarker):
            if rank >= total * 0.6 and rank > 0:
                return _with_breaks(kept, result, i)
            skipping_links = True
            continue
        if skipping_links and not line.endswith(_TERMINAL[:3]):
            continue
        skipping_links = False
        result.append(i)
    return _with_breaks(kept, result, len(kept))


def _with_breaks(kept, positions, stop):
    keep = set(positions)
    return [line if i in keep else "" for i, line in enumerate(kept[:stop])]


def _drop_first(kept, line):
    kept[kept.index(line)] = ""


def _paragraphs(kept):
    paragraphs, block = [], []
    for line in [*kept, ""]:
        if line:
            block.append(str(line))
            continue
        if block:
            paragraphs.extend(_join_wrapped(block))
            block = []
    return [p for p in paragraphs if p]


def _join_wrapped(block):
    """The paragraphs of a block of lines.

    A hard-wrapped block (every line but the last of similar, line-like length, most of them
    breaking off mid-sentence) is one paragraph. Otherwise each line is a paragraph, except
    that a line going on in lower case continues the one before.
    """
    if len(block) >= 2 and _is_hard_wrapped(block):
        return [" ".join(block)]
    out = [block[0]]
    for line in block[1:]:
        previous = out[-1]
        if not previous.endswith(_TERMINAL) and (line[:1].islower() or previous.endswith(",")):
            out[-1] = f"{previous} {line}"
        else:
            out.append(line)
    return out


def _is_hard_wrapped(block):
    lines = block[:-1]
    if not all(55 <= len(line) <= 100 for line in lines):
        return False
    open_ended = sum(not line.endswith(_TERMINAL) for line in lines)
    return open_ended * 2 >= len(lines)


def derive_headline(body):
    """A headline made from the first sentence of `body`: when too long, cut at its last
    clause boundary (a comma, a dash) within DERIVED_HEADLINE_MAX, else at a word, without
    a dangling small word or "…"."""
    first = body.split("\n", 1)[0]
    match = re.search(r"^(.+?[.!?])(?:\s+[A-Z\"“]|$)", first)
    sentence = (match.group(1) if match else first).rstrip(".")
    if len(sentence) <= DERIVED_HEADLINE_MAX:
        return sentence
    head = sentence[:DERIVED_HEADLINE_MAX]
    clause = max(head.rfind(", "), head.rfind("; "), head.rfind(" — "), head.rfind(" – "))
    if clause >= DERIVED_HEADLINE_MAX // 3:
        return head[:clause].rstrip()
    words = head.rsplit(" ", 1)[0].rstrip(",;:—–- ").split(" ")
    while len(words) > 3 and words[-1].lower() in _DANGLING:
        words.pop()
    return " ".join(words).rstrip(",;:—–- ")


_DANGLING = frozenset(
    "a an the of in on at to for from by with and or but that which who as its their his her "
    "is are was were has have had will would".split()
)


def _byline_in(line, kept, byline):
    """The names if `line` is a byline ("By Jane Doe", or a name alone between the headline
    and the story), "" if it is an agency's name under one ("Associated Press": the outlet,
    not story), None if it is neither."""
    names = byline_names(line)
    if names:
        return names
    if _story_started(kept):
        return None
    if _AGENCY_LINE.match(line):
        return ""
    if any(kept) and not byline:
        return _name_line(line) or None
    return None


def _story_started(kept):
    """A line of the story (a sentence) is among `kept` already."""
    return any(line and line.rstrip().endswith(_TERMINAL) and len(line) > 60 for line in kept)


def _name_line(line):
    """The line itself if it is a name alone ("Olena Hrytsenko", "Jane Doe and John Roe"):
    a byline without "By", between the headline and the story."""
    tokens = line.strip().split()
    if not 2 <= len(tokens) <= 7 or line.rstrip().endswith(_TERMINAL):
        return ""
    if not all(_NAME_TOKEN.match(t) for t in tokens) or _AGENCY_LINE.match(line):
        return ""
    capitalised = [t for t in tokens if t[:1].isupper()]
    if len(capitalised) < 2 or any(len(t) > 1 and t.isupper() for t in capitalised):
        return ""
    return line.strip()


# Outlets a text names itself by: in a dateline's credit, a byline, a contributor line, or a
# line of its own under the byline. Their names as the desk's Sources usually have them.
_OUTLETS = {
    "AP": "The Associated Press",
    "Associated Press": "The Associated Press",
    "Reuters": "Reuters",
    "AFP": "AFP",
    "Agence France-Presse": "AFP",
    "BBC": "BBC News",
    "CNN": "CNN",
    "dpa": "dpa",
    "Kyiv Independent": "The Kyiv Independent",
    "Ukrinform": "Ukrinform",
    "UNIAN": "UNIAN",
    "TASS": "TASS",
    "RFE/RL": "RFE/RL",
}
_OUTLET_NAMES = "|".join(re.escape(n) for n in sorted(_OUTLETS, key=len, reverse=True))
_AGENCY_LINE = re.compile(rf"^\s*(?:The\s+)?(?:{_OUTLET_NAMES})(?:\s+News)?\s*$")
_CREDITS = (
    re.compile(rf"\((?P<name>{_OUTLET_NAMES})\)\s*[—–-]"),  # "KYIV (AP) —"
    re.compile(rf"\b(?P<name>{_OUTLET_NAMES})\s+(?:writers?\s+.{{0,80}}?)?contributed\b"),
    re.compile(r"^\(?(?:Reporting|Additional\s+reporting)\s+by\b.*;\s*Editing\s+by", re.M),
    re.compile(rf"^\s*(?:The\s+)?(?P<name>{_OUTLET_NAMES})(?:\s+News)?\s*$", re.M),
    re.compile(r"\bThe\s+(?P<name>BBC)\s+(?:has|have|could|cannot|can\s*not|is|was)\b"),
)


def outlet_named_in(raw, *, dateline="", byline=""):
    """The outlet the text names itself by ("(AP) —" → "The Associated Press",
    "Reuters contributed", "Reporting by …; Editing by …" → Reuters, "The BBC has not been
    able to verify" → BBC News), or ""."""
    tail = re.search(rf",\s*(?:The\s+)?(?P<name>{_OUTLET_NAMES})\s*$", byline or "")
    if tail:
        return _OUTLETS[tail.group("name")]
    for pattern in _CREDITS:
        match = pattern.search(f"{dateline} —" if pattern is _CREDITS[0] and dateline else raw)
        if match is None and pattern is _CREDITS[0]:
            match = pattern.search(raw)
        if match:
            return _OUTLETS[match.groupdict().get("name") or "Reuters"]
    return ""
