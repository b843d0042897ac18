"""Search for readers: claims, explainers, places (by any name or their region) and sources.

On PostgreSQL claims and explainers are found by full-text search: weighted vectors (a
claim's statement above its quote; an explainer's title above its standfirst above its body),
ranked by `SearchRank`, with highlighted snippets from `SearchHeadline`, served by GIN
indexes (a claim's vector is a column of its row, migration 0022; an explainer's an indexed
expression, migration 0005). On SQLite every word of the query must appear in the text, and
snippets are highlighted here.

Names are matched the same way on both databases (see `match_names`): places by their name,
other names or region, named sources by their name or aliases, confidential sources only by
the description readers see. A word no name contains may be one or two typos away from one
("bakhmt" finds Bakhmut); the results then say which name they took it for. Claims by a
matching claimant or about a matching place follow the claims whose own words match.

Only what `claims.selectors` lets readers see is searched. Any query string, however long,
empty or odd, gives results or none, never an error.
"""

import re
import unicodedata
from collections import defaultdict
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection, transaction
from django.db.models import Case, F, FloatField, Prefetch, Q, Value, When
from django.db.models.expressions import Col, Expression
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from claims import selectors, similarity
from claims.models import Claim, Place, PlaceName, Source, SourceAlias

from .markdown import markdown_to_text

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
RANK_WINDOW = 50  # claims ranked by relevance: the newest that match (see _claims_full_text)
EXACT_NAME_RANK = 2.0  # a place whose name, or one of its names, is exactly the query
REGION_RANK = 0.75  # a place in the region named
NEAR_NAME_RANK = 0.5  # a name nearly spelt
SEARCH_CONFIG = "english"

# Marks put around matches by SearchHeadline; characters from Unicode's private use area, so
# that the snippet can be escaped as plain text first and the marks turned into <mark> after.
START, STOP = "\ue000", "\ue001"


class StoredClaimVector(Expression):
    """The weighted text of a claim (its statement above its quote), as PostgreSQL keeps it in
    the claim's row: the generated column `search_vector` of migration 0022, GIN-indexed.

    The models do not know the column (SQLite has none), so this names it in whichever query,
    or subquery, it is used in: the claims table's column under the alias that query gives
    the table."""

    def __init__(self):
        super().__init__(output_field=_STORED_VECTOR)

    def resolve_expression(self, query=None, *args, **kwargs):
        return Col(query.get_initial_alias(), _STORED_VECTOR)


_STORED_VECTOR = SearchVectorField()
_STORED_VECTOR.column = "search_vector"  # all a column reference (`Col`) asks of its field


def explainer_search_vector():
    """The weighted text of an explainer. Migration 0005 indexes exactly this expression."""
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("standfirst", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )


def squeezed(raw):
    """The reader's text without control characters, squeezed to single spaces: the search
    it asks for (`?q=toretsk+` is `?q=toretsk`)."""
    text = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in str(raw or ""))
    return " ".join(text.split())


def clean_query(raw):
    """(query, was_shortened): the reader's text `squeezed` and cut to MAX_QUERY_LENGTH
    characters."""
    text = squeezed(raw)
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
    reason: str = ""  # safe HTML: why it is shown, when none of its own words match


@dataclass
class SearchResults:
    query: str
    shortened: bool = False
    claims: list = field(default_factory=list)
    explainers: list = field(default_factory=list)
    places: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    near: dict = field(default_factory=dict)  # a word as typed -> the name's word it meant

    @property
    def suggestion(self):
        """The query with each nearly spelt word as the name spells it, or "" if none was."""
        if not self.near:
            return ""
        return " ".join(self.near.get(word, word) for word in query_words(self.query))

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
    with _planned_for_these_words():
        if connection.vendor == "postgresql":
            results.claims = _claims_full_text(query, limit)
            results.explainers = _explainers_full_text(query, limit)
        else:
            results.claims = _claims_by_words(words, limit)
            results.explainers = _explainers_by_words(words, limit)
        matches = match_names(words)
        found = results.claims
        results.claims += _claims_by_names(words, matches, limit - len(found), found)
        results.places = _places(query, words, matches, limit)
        results.sources = _sources(query, words, matches, limit)
    results.near = matches.near()
    return results


@contextmanager
def _planned_for_these_words():
    """On PostgreSQL, the search's queries planned for the words searched, every time.

    The best plan depends on the words: a common one is found by walking the claim-date index
    and stopping once the window is full, a rare one through the GIN index (and names by
    trigrams likewise). With prepared statements (DATABASE_PREPARED_STATEMENTS), a query run
    five times on a connection may be given one generic plan for any words: on the
    benchmark's large set a search for "drone" rendered afresh went from 28 to 8 requests a
    second. So the search runs with `plan_cache_mode = force_custom_plan`, and with pg_trgm's
    word similarity threshold at NEAR_CANDIDATE, which the trigram operator of
    `_worth_scoring` compares with, for its own queries only (`_settings_for`)."""
    if connection.vendor != "postgresql":
        yield
        return
    settings = {
        "plan_cache_mode": "force_custom_plan",
        "pg_trgm.word_similarity_threshold": str(NEAR_CANDIDATE),
    }
    with transaction.atomic(), _settings_for(settings):
        yield


@contextmanager
def _settings_for(settings):
    """PostgreSQL's `settings` ({name: value}) for the queries run inside, and as they were
    after, each way in one statement. They are set for the transaction (`set_config(...,
    true)`), which in a request already inside one (a test, ATOMIC_REQUESTS) lasts past the
    search's savepoint: so they are put back as they were on the way out. When a query fails
    they are not: the transaction can run nothing more, and rolling back (to the search's
    savepoint, or the whole transaction) undoes them anyway, leaving the query's own error to
    be raised."""
    names = list(settings)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT "
            + ", ".join(
                ["NULLIF(current_setting(%s, true), ''), set_config(%s, %s, true)"] * len(names)
            ),
            [part for name in names for part in (name, name, settings[name])],
        )
        was = cursor.fetchone()[0::2]
        yield
        # A setting that was unset goes back to the default its module now gives it:
        # set_config with no value resets. A module's setting read before the module was
        # loaded (pg_trgm's on a new connection) is unset: None when it was never set, and
        # "" when an earlier search set it and failed before its name query loaded the
        # module (none of these settings takes "": the loaded module refused it, and the
        # search failed, on every new connection and after such a failure).
        cursor.execute(
            "SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(names)),
            [part for name, value in zip(names, was, strict=True) for part in (name, value)],
        )


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
    vector = StoredClaimVector()
    # Rank only the newest matches: a common word matches a fixed share of an archive that
    # keeps growing, and ranking reads each match. PostgreSQL finds them by walking the
    # claimed_on index backwards, testing each claim's stored vector as it passes (a rare
    # word: by the GIN index), so the work is the same for 1,000 claims or 100,000.
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


# --- names: places (any name, their region), sources, claimants; on both databases ------
#
# A name matches when each word of the query is in it, or, for a word that no name contains,
# when a word of the name is spelt nearly so (`claims.similarity.name_match`: the threshold
# of similar claims). Which names are scored is the database's part: on PostgreSQL those a
# trigram comparison finds close (pg_trgm's word similarity, loose enough to pass every pair
# the score accepts); on SQLite every name readers may see, which is a few hundred places and
# sources, not an archive. The score is the same on both, so are the results.

NEAR_CANDIDATE = 0.2  # PostgreSQL: word similarity at which a name is worth scoring
# Each kind of name, main names first, and whose name it is.
NAME_KINDS = {
    "place": "place",
    "other name": "place",
    "region": "place",
    "source": "source",
    "alias": "source",
    "claimant": "claimant",  # a confidential source, by the description readers see
}


@dataclass
class Named:
    """A place or source each word of the query matches by one of its names."""

    texts: list  # (kind of name, name) of the names scored
    by: set = field(default_factory=set)  # kinds of name the words matched
    near: dict = field(default_factory=dict)  # a word as typed -> the name's word it meant

    @property
    def exact(self):
        return not self.near


@dataclass
class NameMatches:
    places: dict = field(default_factory=dict)  # pk -> Named
    sources: dict = field(default_factory=dict)  # named sources
    claimants: dict = field(default_factory=dict)  # confidential sources, by description

    def spellings(self):
        """{word as typed: the names' words it was taken for}, over every near match."""
        found = defaultdict(set)
        for named in [*self.places.values(), *self.sources.values(), *self.claimants.values()]:
            for word, spelt in named.near.items():
                found[word].add(spelt)
        return found

    def near(self):
        """{word as typed: the name's word it most likely meant}."""
        return {word: similarity.nearest(word, spelt) for word, spelt in self.spellings().items()}


def _name_rows(words):
    """(kind of name, owner's pk, name) of the names worth scoring, whether or not readers may
    see their owners (`match_names` asks that of the few that could count): one query."""
    sources = Source.objects.all()
    first, *rest = (
        _names(Place.objects.all(), "name", "pk", "place", words),
        _names(PlaceName.objects.all(), "name", "place_id", "other name", words),
        _names(Place.objects.exclude(region=""), "region", "pk", "region", words),
        _names(sources.filter(is_confidential=False), "name", "pk", "source", words),
        _names(
            SourceAlias.objects.filter(source__is_confidential=False),
            "name",
            "source_id",
            "alias",
            words,
        ),
        # Never the real name (nor an alias) of a confidential source: its description only.
        _names(
            sources.filter(is_confidential=True), "redacted_description", "pk", "claimant", words
        ),
    )
    return first.union(*rest, all=True)


def _names_read_by_index():
    """On PostgreSQL, names read through their trigram indexes, not by reading every row.

    PostgreSQL takes a word-similarity test for cheap and reads a table of a few hundred
    places whole, testing each name: 1.4 ms for the 500 places of the benchmark's large set,
    against 0.2 ms through the index. So sequential scans are discouraged (the planner's
    `enable_seqscan`) for the name query only (`_settings_for`). A table no index serves
    (a word under four letters is also matched by LIKE) is then still read whole, at the
    planner's penalty for it, which put the query's estimate past the thresholds of
    PostgreSQL's JIT compiler: compiling it took 0.3 to 0.7 s, for a query that runs in a
    millisecond. So JIT is off for it too."""
    if connection.vendor != "postgresql":
        return nullcontext()
    return _settings_for({"enable_seqscan": "off", "jit": "off"})


def _seen_by_readers(owners):
    """Those of `owners` ((kind of owner, pk) pairs) that readers may see: a query for places
    and one for sources, each only when there are any to ask about."""
    places = {pk for kind, pk in owners if kind == "place"}
    sources = {pk for kind, pk in owners if kind != "place"}
    seen = set()
    if places:
        visible = selectors.places_for_readers().filter(pk__in=places)
        seen |= {("place", pk) for pk in visible.values_list("pk", flat=True)}
    if sources:
        visible = selectors.sources_cited_for_readers().filter(pk__in=sources)
        seen |= {
            ("claimant" if confidential else "source", pk)
            for pk, confidential in visible.values_list("pk", "is_confidential")
        }
    return owners & seen


def _names(queryset, name_field, owner_field, kind, words):
    return (
        queryset.filter(_worth_scoring(name_field, words))
        .annotate(name_kind=Value(kind), owner=F(owner_field), text=F(name_field))
        .values_list("name_kind", "owner", "text")
        .order_by()
    )


def _worth_scoring(name_field, words):
    if connection.vendor != "postgresql":
        return Q()
    condition = Q()
    for word in words:
        # Both tests are ones the name's trigram index answers (migration 0022): the word
        # anywhere in the name, in any case (a regular expression: a word is letters, digits
        # and underscores, none of them special in one), and pg_trgm's word similarity at
        # least NEAR_CANDIDATE (the operator's threshold, set by _planned_for_these_words).
        condition |= Q(**{f"{name_field}__iregex": word})
        if len(word) >= similarity.MIN_NEAR_WORD:
            condition |= Q(**{f"{name_field}__trigram_word_similar": word})
        else:
            # A regular expression folds case letter by letter; Python, which decides, folds
            # whole words (a Greek word's final sigma). A word this short has no near
            # spelling to catch it, so the case-insensitive LIKE, which folds as upper case
            # does, is asked too: no index serves it, nor any test of so short a word.
            condition |= Q(**{f"{name_field}__icontains": word})
    return condition


def match_names(words):
    """The places, named sources and confidential claimants that every word of `words`
    matches by one of their names."""
    found = defaultdict(list)
    order = list(NAME_KINDS)
    with _names_read_by_index():
        rows = list(_name_rows(words))
    for kind, owner, text in sorted(rows, key=lambda row: order.index(row[0])):
        found[(NAME_KINDS[kind], owner)].append((kind, text))
    # Only the names of places and sources readers may see count. Whether readers may see an
    # owner is asked only of those that could count: those some name of which contains a word
    # as typed (they decide which words are taken as typed, below), and those each word could
    # match were every word open to near spellings. The visibility rules are several
    # subqueries each; asked of every name found, they took longer than the rest of a search.
    could_count = {
        key
        for key, owner_texts in found.items()
        if any(w.casefold() in t.casefold() for w in words for _, t in owner_texts)
        or _named(words, owner_texts, as_typed=set())
    }
    seen = _seen_by_readers(could_count)
    texts = {key: owner_texts for key, owner_texts in found.items() if key in seen}
    # A word that some name contains is taken as typed: no near matches for it.
    as_typed = {w for w in words if any(w.casefold() in t.casefold() for t in _all_texts(texts))}
    matches = NameMatches()
    for (owner_kind, pk), owner_texts in texts.items():
        named = _named(words, owner_texts, as_typed)
        if named:
            getattr(matches, owner_kind + "s")[pk] = named
    return matches


def _all_texts(texts):
    return (text for owner_texts in texts.values() for _, text in owner_texts)


def _named(words, texts, as_typed):
    named = Named(texts=texts)
    for word in words:
        found = [
            (match, kind)
            for kind, text in texts
            if (match := similarity.name_match(word, text)) and (match[0] or word not in as_typed)
        ]
        if not found:
            return None
        (exact, spelt), kind = max(found, key=lambda f: f[0][0])  # as typed, if it is
        named.by.add(kind)
        if not exact:
            named.near[word] = spelt
    return named


def _marks(words, matches):
    """The words to highlight: the query's, and the names' words it nearly spelt."""
    return [*words, *(spelt for spellings in matches.spellings().values() for spelt in spellings)]


def _place_rank(query, named):
    names = [text.casefold() for kind, text in named.texts if kind != "region"]
    if query.casefold() in names:
        return EXACT_NAME_RANK
    if not named.exact:
        return NEAR_NAME_RANK
    return 1.0 if named.by - {"region"} else REGION_RANK


def _best_first(model, query, found, limit, rank, related):
    """Up to `limit` rows of `model` from `found` (pk -> Named), best `rank` first, then in
    name order, each with its `rank`."""
    if not found:
        return []
    by_rank = defaultdict(list)
    for pk, named in found.items():
        by_rank[rank(query, named)].append(pk)
    ranked = Case(
        *(When(pk__in=pks, then=Value(value)) for value, pks in by_rank.items()),
        output_field=FloatField(),
    )
    return (
        model.objects.filter(pk__in=list(found))
        .annotate(rank=ranked)
        .prefetch_related(related)
        .order_by("-rank", "name", "id")[:limit]
    )


def _places(query, words, matches, limit):
    marks = _marks(words, matches)
    hits = []
    for place in _best_first(Place, query, matches.places, limit, _place_rank, "alternative_names"):
        other_names = [n.name for n in place.alternative_names.all()]
        hits.append(
            Hit(
                place,
                highlight(place.name, marks),
                _also("Also called {}", other_names, marks),
                place.rank,
                reason=_place_reason(place, matches.places[place.pk], marks),
            )
        )
    return hits


def _place_reason(place, named, marks):
    if named.by == {"region"}:
        return format_html("Found by its region: {}", highlight(place.region, marks))
    return ""


def _source_rank(query, named):
    return 1.0 if named.exact else NEAR_NAME_RANK


def _sources(query, words, matches, limit):
    marks = _marks(words, matches)
    hits = []
    for source in _best_first(Source, query, matches.sources, limit, _source_rank, "aliases"):
        aliases = [a.name for a in source.aliases.all()]
        snippet = _also("Also known as {}", aliases, marks)
        hits.append(Hit(source, highlight(source.name, marks), snippet, source.rank))
    return hits


def _claims_by_names(words, matches, limit, found):
    """Up to `limit` claims readers may see, newest first, not among `found`, made by a
    matching claimant or about a matching place, each with the reason it is shown."""
    claimants = [*matches.sources, *matches.claimants]
    places = list(matches.places)
    if limit <= 0 or not (claimants or places):
        return []
    about = Claim.places.through.objects.filter(place_id__in=places).values("claim_id")
    claims = (
        # Row by row: the newest first, walking the claimed_on index to the limit.
        selectors.claims_for_readers_row_by_row()
        .filter(Q(claimant__in=claimants) | Q(pk__in=about))
        .exclude(pk__in=[hit.obj.pk for hit in found])
        .select_related("claimant")
        .prefetch_related(
            Prefetch("places", Place.objects.filter(pk__in=places), to_attr="matching_places")
        )
        .order_by("-claimed_on", "-id")[:limit]
    )
    marks = _marks(words, matches)
    return [
        Hit(
            c,
            highlight(c.statement, marks),
            highlight(excerpt(c.quote, marks), marks),
            reason=_claim_reason(c, matches, marks),
        )
        for c in claims
    ]


def _claim_reason(claim, matches, marks):
    if claim.claimant_id in matches.sources or claim.claimant_id in matches.claimants:
        return format_html("Claimed by {}", highlight(claim.claimant.public_name, marks))
    return format_html(
        "About {}",
        format_html_join(
            ", ",
            "{}{}",
            (
                (
                    highlight(place.name, marks),
                    format_html(" ({})", highlight(place.region, marks))
                    if "region" in matches.places[place.pk].by
                    else "",
                )
                for place in claim.matching_places
            ),
        ),
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
