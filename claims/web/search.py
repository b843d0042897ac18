"""Search for readers: claims, explainers, places (by any name) and sources.

On PostgreSQL claims and explainers are found by full-text search: weighted vectors (a
claim's statement above its quote; an explainer's title above its standfirst above its body),
ranked by `SearchRank`, with highlighted snippets from `SearchHeadline`, served by the GIN
indexes of migration 0005. On SQLite every word of the query must appear in the text, and
snippets are highlighted here. Places and sources are matched by name on both databases.

Only what `claims.selectors` lets readers see is searched. Any query string, however long,
empty or odd, gives results or none, never an error.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import Q
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from claims import selectors
from claims.models import Claim

from .markdown import markdown_to_text

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
RANK_WINDOW = 50  # claims ranked by relevance: the newest that match (see _claims_full_text)
EXACT_NAME_RANK = 2.0  # a place whose name, or one of its names, is exactly the query
SEARCH_CONFIG = "english"

# Marks put around matches by SearchHeadline; characters from Unicode's private use area, so
# that the snippet can be escaped as plain text first and the marks turned into <mark> after.
START, STOP = "\ue000", "\ue001"


def claim_search_vector():
    """The weighted text of a claim. Migration 0005 indexes exactly this expression."""
    return SearchVector("statement", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "quote", weight="B", config=SEARCH_CONFIG
    )


def explainer_search_vector():
    """The weighted text of an explainer. Migration 0005 indexes exactly this expression."""
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("standfirst", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )


def clean_query(raw):
    """(query, was_shortened): the reader's text without control characters, squeezed to
    single spaces and cut to MAX_QUERY_LENGTH characters."""
    text = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in str(raw or ""))
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_LENGTH:
        return text[:MAX_QUERY_LENGTH].rstrip(), True
    return text, False


def query_words(query):
    """The words of the query that can match anything, at most MAX_WORDS of them."""
    return re.findall(r"\w+", query)[:MAX_WORDS]


@dataclass
class Hit:
    obj: object
    title: str  # safe HTML, matches marked
    snippet: str = ""  # safe HTML, matches marked
    rank: float = 0.0


@dataclass
class SearchResults:
    query: str
    shortened: bool = False
    claims: list = field(default_factory=list)
    explainers: list = field(default_factory=list)
    places: list = field(default_factory=list)
    sources: list = field(default_factory=list)

    @property
    def total(self):
        return len(self.claims) + len(self.explainers) + len(self.places) + len(self.sources)


def search(raw_query, *, limit=50):
    """Everything readers may see that matches `raw_query`, best matches first, at most
    `limit` of each kind."""
    query, shortened = clean_query(raw_query)
    results = SearchResults(query=query, shortened=shortened)
    words = query_words(query)
    if not words:
        return results
    if connection.vendor == "postgresql":
        results.claims = _claims_full_text(query, limit)
        results.explainers = _explainers_full_text(query, limit)
    else:
        results.claims = _claims_by_words(words, limit)
        results.explainers = _explainers_by_words(words, limit)
    results.places = _places(query, words, limit)
    results.sources = _sources(query, words, limit)
    return results


# --- PostgreSQL: full text --------------------------------------------------------------


def _ts_query(query):
    # websearch syntax accepts anything a reader types ("quotes", or, -minus) without errors.
    return SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)


def _headline(field_name, query, **options):
    return SearchHeadline(
        field_name, query, config=SEARCH_CONFIG, start_sel=START, stop_sel=STOP, **options
    )


def _claims_full_text(query, limit):
    ts_query = _ts_query(query)
    vector = claim_search_vector()
    # Rank only the newest matches: a common word matches a fixed share of an archive that
    # keeps growing, and ranking recomputes each match's text vector. PostgreSQL finds them
    # by walking the claimed_on index backwards (a rare word: by the GIN index), so the work
    # is the same for 1,000 claims or 100,000.
    #
    # The window is of the newest matches readers may see: the visibility rule is a condition
    # of the window's own query, not a filter applied to the window afterwards. Filtering
    # afterwards let unpublished matches take the window's places, so published results
    # vanished as drafts matching the same words were added, and their count gave the drafts
    # away. In the window's query the rule costs little and keeps the plan: PostgreSQL still
    # walks the same index and stops once the window is full, checking each match as it
    # passes (a column of the row, or one probe of the explainer-claim index: the selector's
    # row-by-row form, see its docstring), and only a desk with many more unpublished than
    # published matches makes it read further.
    newest = (
        selectors.claims_for_readers_row_by_row()
        .annotate(search=vector)
        .filter(search=ts_query)
        .order_by("-claimed_on", "-id")
        .values("pk")[: max(limit, RANK_WINDOW)]
    )
    found = (
        Claim.objects.filter(pk__in=newest)
        .annotate(rank=SearchRank(vector, ts_query))
        .annotate(
            title_marked=_headline("statement", ts_query, highlight_all=True),
            snippet_marked=_headline("quote", ts_query, max_words=35, min_words=15),
        )
        .select_related("claimant")
        .order_by("-rank", "-claimed_on", "-id")[:limit]
    )
    return [Hit(c, marked(c.title_marked), marked(c.snippet_marked), c.rank) for c in found]


def _explainers_full_text(query, limit):
    ts_query = _ts_query(query)
    vector = explainer_search_vector()
    found = (
        selectors.explainers_for_readers()
        .annotate(search=vector, rank=SearchRank(vector, ts_query))
        .filter(search=ts_query)
        .annotate(
            title_marked=_headline("title", ts_query, highlight_all=True),
            snippet_marked=_headline("body", ts_query, max_words=35, min_words=15),
        )
        .order_by("-rank", "-publish_at", "-id")[:limit]
    )
    # The body is Markdown: its fragment is shown as text, without the syntax ("##", "**").
    return [
        Hit(e, marked(e.title_marked), marked(markdown_to_text(e.snippet_marked)), e.rank)
        for e in found
    ]


def marked(text):
    """SearchHeadline output as safe HTML: the text escaped, the match marks as <mark>."""
    html = escape(text or "")
    if html.count(START) != html.count(STOP):
        html = html.replace(START, "").replace(STOP, "")
    marks = html.replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(marks)  # nosec B308 B703 # escaped above; only <mark> tags added


# --- SQLite: every word somewhere in the text -------------------------------------------


def _all_words(words, *fields):
    condition = Q()
    for word in words:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return condition


def _claims_by_words(words, limit):
    found = (
        selectors.claims_for_readers()
        .filter(_all_words(words, "statement", "quote"))
        .select_related("claimant")
        .order_by("-claimed_on", "-id")[: limit * 2]
    )
    hits = [
        Hit(
            c,
            highlight(c.statement, words),
            highlight(excerpt(c.quote, words), words),
            _word_rank(words, c.statement, c.quote),
        )
        for c in found
    ]
    return sorted(hits, key=lambda h: -h.rank)[:limit]


def _explainers_by_words(words, limit):
    found = (
        selectors.explainers_for_readers()
        .filter(_all_words(words, "title", "standfirst", "body"))
        .order_by("-publish_at", "-id")[: limit * 2]
    )
    hits = [
        Hit(
            e,
            highlight(e.title, words),
            highlight(excerpt(e.standfirst + " " + markdown_to_text(e.body), words), words),
            _word_rank(words, e.title, e.standfirst, e.body),
        )
        for e in found
    ]
    return sorted(hits, key=lambda h: -h.rank)[:limit]


def _word_rank(words, *texts):
    """Matches in earlier (weightier) texts count for more."""
    score = 0.0
    for weight, text in zip((1.0, 0.4, 0.1), texts, strict=False):
        lowered = text.lower()
        score += weight * sum(lowered.count(w.lower()) for w in words)
    return score


# --- places and sources: by name, on both databases -------------------------------------


def _places(query, words, limit):
    hits = []
    for place in _named(selectors.places_for_readers(), "alternative_names", words, limit):
        other_names = [n.name for n in place.alternative_names.all()]
        snippet = _also("Also called {}", other_names, words)
        exact = query.lower() in [place.name.lower(), *(n.lower() for n in other_names)]
        hits.append(
            Hit(place, highlight(place.name, words), snippet, EXACT_NAME_RANK if exact else 1.0)
        )
    return sorted(hits, key=lambda h: -h.rank)


def _sources(query, words, limit):
    hits = []
    for source in _named(selectors.sources_for_readers(), "aliases", words, limit):
        aliases = [a.name for a in source.aliases.all()]
        snippet = _also("Also known as {}", aliases, words)
        hits.append(Hit(source, highlight(source.name, words), snippet))
    return hits


def _named(for_readers, other_names, words, limit):
    """Up to `limit` of `for_readers`, in name order, whose name or one of whose other names
    (the rows of the relation `other_names`, which it prefetches) contains every word."""
    name_matches = Q()
    for word in words:
        name_matches &= Q(name__icontains=word) | Q(**{f"{other_names}__name__icontains": word})
    # Names first (a small table), then visibility for the few that match.
    named = for_readers.model.objects.filter(name_matches).values("pk")
    return (
        for_readers.filter(pk__in=named)
        .prefetch_related(other_names)
        .order_by("name", "id")[:limit]
    )


def _also(text, names, words):
    """`text` with those of `names` that contain one of `words`, highlighted, or "" when none
    does."""
    matching = [n for n in names if any(w.lower() in n.lower() for w in words)]
    return format_html(text, _joined_highlights(matching, words)) if matching else ""


# --- highlighting in Python --------------------------------------------------------------


def _pattern(words):
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    if not ordered:
        return None
    return re.compile("|".join(re.escape(w) for w in ordered), re.IGNORECASE)


def _joined_highlights(names, words):
    """`names`, each highlighted, as one comma-separated safe string."""
    return format_html_join(", ", "{}", ((highlight(name, words),) for name in names))


def highlight(text, words):
    """`text` escaped, with every occurrence of any of `words` wrapped in <mark>."""
    text = text or ""
    pattern = _pattern(words)
    if pattern is None:
        return escape(text)
    pieces, last = [], 0  # (text before a match, the match)
    for match in pattern.finditer(text):
        pieces.append((text[last : match.start()], match.group(0)))
        last = match.end()
    return format_html("{}{}", format_html_join("", "{}<mark>{}</mark>", pieces), text[last:])


def excerpt(text, words, width=220):
    """About `width` characters of `text` around the first match, with ellipses."""
    text = " ".join((text or "").split())
    if len(text) <= width:
        return text
    pattern = _pattern(words)
    match = pattern.search(text) if pattern else None
    start = max(0, (match.start() if match else 0) - width // 3)
    end = min(len(text), start + width)
    return ("… " if start else "") + text[start:end].strip() + (" …" if end < len(text) else "")
