"""Candidate claims: spotted and stored when an article comes in, then made into Claims.

The spotter runs when an article is imported, when its text is saved in the desk, and when
someone asks for it ("Spot claims again", `manage.py spot_articles`): after adding Sources or
Places, or for an article from before candidates were stored. The article's page only reads
what is stored, a page of candidates at a time. A button names its candidate by its offsets
in the body, and the server acts only on a candidate stored at those offsets for the
article's current text, so a stale page cannot make a claim of text that is no longer there.
"""

import re
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, When
from django.utils import timezone

from claims import dates, selectors, services, trail
from claims.errors import Conflict, Forbidden, Invalid
from claims.models import (
    Appearance,
    Article,
    CandidateClaim,
    CandidateSpotting,
    Claim,
    Place,
    Source,
)
from claims.services import revisions

from . import claimants
from .lexicon import VERB_FORMS
from .spotting import Spotter

STATEMENT_MAX = 300
# Candidates shown on an article's page at once; each may look up similar claims.
CANDIDATES_PER_PAGE = 50


# --- spotting and storing ------------------------------------------------------------------


@dataclass
class Spotted:
    """What the spotter found in one text, not yet stored."""

    body_hash: str
    read_chars: int
    candidates: list


def spot(body, *, spotter=None):
    """Run the spotter over `body`: reads the desk's Sources and Places, writes nothing."""
    spotter = spotter or Spotter.from_database()
    return Spotted(Article.hash_of(body), len(spotter.part_read(body)), spotter.spot(body))


@transaction.atomic
def article_store_candidates(*, article, spotted, by=None):
    """Store `spotted` as the article's candidate claims, in place of any stored before.

    Returns the stored candidates. A Source or Place deleted since the spotter read them is
    left out rather than failing the whole store.
    """
    found = spotted.candidates
    sources = set(
        Source.objects.filter(pk__in={c.source_id for c in found if c.source_id}).values_list(
            "pk", flat=True
        )
    )
    places = set(
        Place.objects.filter(pk__in={p for c in found for p in c.place_ids}).values_list(
            "pk", flat=True
        )
    )
    reviewed = _review_marks(article)
    CandidateClaim.objects.filter(article=article).delete()
    rows = CandidateClaim.objects.bulk_create(
        CandidateClaim(
            article=article,
            start=c.start,
            end=c.end,
            sentence=c.sentence,
            claimant=c.claimant[:300],
            claimant_role=c.claimant_role[:300],
            verb=c.verb[:100],
            source_id=c.source_id if c.source_id in sources else None,
            unverified=c.unverified,
            quote=c.quote,
            worthiness=c.worthiness,
            worthiness_note=c.worthiness_note[:200],
            **reviewed.get(_passage_key(c.sentence), {}),
        )
        for c in found
    )
    through = CandidateClaim.places.through
    through.objects.bulk_create(
        through(candidateclaim_id=row.pk, place_id=place_id)
        for row, c in zip(rows, found, strict=True)
        for place_id in c.place_ids
        if place_id in places
    )
    CandidateSpotting.objects.update_or_create(
        article=article,
        defaults={
            "body_hash": spotted.body_hash,
            "read_chars": spotted.read_chars,
            "spotted_at": timezone.now(),
            "spotted_by": by,
        },
    )
    return rows


_MARKS = ("status", "claim_id", "dismissed_reason", "reviewed_by_id", "reviewed_at")


def _review_marks(article):
    """{passage: its review marks} of the article's candidates that were reviewed, so that
    spotting again keeps them on the passages still spotted."""
    return {
        _passage_key(row["sentence"]): {name: row[name] for name in _MARKS}
        for row in CandidateClaim.objects.filter(article=article)
        .exclude(status=CandidateClaim.Status.OPEN)
        .values("sentence", *_MARKS)
    }


def article_spot_candidates(*, article, by=None, spotter=None):
    """Spot the article's text and store its candidates (the import, a save of its text in
    the desk, `manage.py spot_articles`). The spotter runs before the transaction opens."""
    spotted = spot(article.body, spotter=spotter)
    return article_store_candidates(article=article, spotted=spotted, by=by)


def article_spot_again(*, article, by):
    """Staff's "Spot claims again" on an article's page: needs permission to change
    articles. Returns the stored candidates."""
    if by is None or not by.is_active or not by.has_perm("claims.change_article"):
        raise Forbidden("You are not allowed to spot the claims in articles.")
    return article_spot_candidates(article=article, by=by)


# --- what an article's page shows ----------------------------------------------------------


@dataclass
class CandidateRow:
    """A candidate as the article page shows it: what was spotted, and what the desk has."""

    candidate: CandidateClaim
    statement: str
    claims: list = field(default_factory=list)  # claims this passage already appears for
    similar: list = field(default_factory=list)  # other claims like it, to link instead
    places: list = field(default_factory=list)  # names of the places it mentions


@dataclass
class CandidatePage:
    """An article's stored candidates, a page at a time, and whether they are up to date."""

    spotting: CandidateSpotting | None
    current: bool  # spotted in the article's text as it is now
    count: int
    page: object = None  # a django Page of CandidateRow, when current
    read_all: bool = True  # the spotter read the whole body

    @property
    def rows(self):
        return list(self.page) if self.page is not None else []


def article_candidate_page(article, *, page=1, with_similar=True):
    """A page of the article's stored candidates, each with the claims already made of it and
    similar claims on the desk. Never runs the spotter."""
    spotting = CandidateSpotting.objects.filter(article=article).first()
    if spotting is None or not spotting.is_current(article):
        return CandidatePage(spotting=spotting, current=False, count=0)
    candidates = (
        CandidateClaim.objects.filter(article=article)
        .select_related("source")
        .prefetch_related("places")
        .select_related("claim")
        .order_by(
            Case(When(status=CandidateClaim.Status.OPEN, then=0), default=1),
            "-worthiness",
            "start",
            "end",
        )
    )
    paginator = Paginator(candidates, CANDIDATES_PER_PAGE)
    shown = paginator.get_page(page)
    by_passage = {}
    for appearance in Appearance.objects.filter(article=article).select_related("claim__claimant"):
        by_passage.setdefault(_passage_key(appearance.passage), []).append(appearance.claim)
    rows = []
    for candidate in shown:
        statement = statement_for(candidate)
        linked = by_passage.get(_passage_key(candidate.sentence), [])
        similar = []
        if with_similar and not linked and candidate.status == CandidateClaim.Status.OPEN:
            similar = list(selectors.similar_claims(candidate.sentence))
        places = [place.name for place in candidate.places.all()]
        rows.append(CandidateRow(candidate, statement, linked, similar, places))
    shown.object_list = rows
    return CandidatePage(
        spotting=spotting,
        current=True,
        count=paginator.count,
        page=shown,
        read_all=spotting.read_chars >= len(article.body),
    )


def statement_for(candidate):
    """The short statement the editor starts from: "<claimant> says <what>", what being the
    quotation, else the words after the attribution, cut at the first aside and at a word."""
    claimant = (candidate.claimant or "").strip()
    verb = (candidate.verb or "").split(" ")[0].lower()
    if not claimant or VERB_FORMS.get(verb, "") not in _SAYING and verb != "according":
        return _cut(" ".join(candidate.sentence.split()).rstrip(".,;: "), STATEMENT_SHORT)
    what = _what_is_said(candidate, verb)
    first = what.split(" ", 1)[0]
    if first.lower() in _LOWER_FIRST and first[:1].isupper():
        what = first.lower() + what[len(first) :]
    says = "say" if claimants.is_plural(claimant) else "says"
    text = f"{claimant} {says} {what}"
    text = " ".join(text.split()).rstrip(".,;: ")
    return _cut(text, STATEMENT_SHORT)


# A statement the editor starts from is at most this long; the field holds STATEMENT_MAX.
STATEMENT_SHORT = 160

_AFTER_VERB = re.compile(
    r"^(?:\s*(?:on\s+\w+(?:\s+\d+)?|in\s+(?:a|an|its|his|her|their)\s+(?:\w+\s+){0,2}?"
    r"(?:statement|post|video|address|briefing|update|report|message)|on\s+(?:Telegram|X|"
    r"Facebook|state\s+television|television)|late\s+on\s+\w+|earlier|later|also|"
    r"(?:reporters|journalists|the\s+\w+(?:\s+\w+)?)(?:\s+in\s+\w+)?\s+(?=that\b)|that|,)\s*)+",
    re.I,
)


_LOWER_FIRST = frozenset(
    "the a an our we every this that these those it its there they such any no all".split()
)

# Attributions that a statement can put as "X says …"; others (denied, accused, blamed)
# keep the sentence's own words.
_SAYING = frozenset(
    "say claim tell report announce write state add assess insist estimate confirm predict "
    "warn post show declare maintain assert allege acknowledge admit concede argue".split()
)


def _what_is_said(candidate, verb):
    quote = candidate.quote.strip(" ,.")
    if len(quote.split()) >= 5 and quote[:1].isupper():
        return quote
    sentence = candidate.sentence
    if verb == "according":
        before = re.split(r",?\s+according\s+to\b", sentence, maxsplit=1)[0]
        if len(before) > 20:
            return before
    match = re.search(rf"\b{re.escape(verb)}\b", sentence) if verb else None
    if not match:
        return sentence
    rest = _AFTER_VERB.sub("", sentence[match.end() :])
    if len(rest.split()) < 3:
        # "…, the IAEA said." / "…, it said in a statement.": what comes before the claimant.
        rest = sentence[: match.start()].rsplit(",", 1)[0].strip(' "“”')
    aside = re.search(r",\s+(?:a|an|the|which|who|where|one\s+of|after|as|while|but)\s", rest)
    if aside and aside.start() > 25:
        rest = rest[: aside.start()]
    return rest or sentence


def _cut(text, limit):
    """`text` cut at a word to at most `limit` characters, with no dangling "…" mid-phrase."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;: ") + "…"


def find_candidate(article, start, end):
    """The candidate stored at these offsets for the article's current text; Conflict when
    the article's candidates are not current."""
    spotting = CandidateSpotting.objects.filter(article=article).first()
    if spotting is None or not spotting.is_current(article):
        raise Conflict(
            "The claims in this article have not been spotted in its current text. Spot them "
            "again, then try."
        )
    candidate = (
        CandidateClaim.objects.filter(article=article, start=start, end=end)
        .select_related("source")
        .first()
    )
    if candidate is None:
        raise Conflict(
            "That passage is no longer a candidate in this article (the text may have been "
            "edited). Reload the page and try again."
        )
    return candidate


# --- from a candidate to a Claim -----------------------------------------------------------


def _require(user, *codenames):
    for codename in codenames:
        if user is None or not user.is_active or not user.has_perm(f"claims.{codename}"):
            raise Forbidden("You are not allowed to make claims from articles.")


@dataclass
class NewSource:
    """A claimant the desk does not have yet, as the reviewer describes it."""

    name: str
    kind: str = Source.Kind.OTHER
    affiliation: str = Source.Affiliation.OTHER
    description: str = ""


def new_source_proposed(candidate):
    """(NewSource, organisation): what the review form proposes for a claimant the desk does
    not have yet. It is named as written, with its role as who it is; when the role names an
    organisation the desk has a Source for, by name or alias ("Rafael Grossi", "head of the
    IAEA"), it is proposed with that organisation's affiliation, and `organisation` is that
    Source (else None)."""
    organisation = selectors.source_named(claimants.organisation_of(candidate.claimant_role))
    proposed = NewSource(
        name=candidate.claimant,
        affiliation=organisation.affiliation if organisation else Source.Affiliation.OTHER,
        description=candidate.claimant_role,
    )
    return proposed, organisation


@transaction.atomic
def claim_create_from_candidate(
    *,
    article,
    start,
    end,
    by,
    statement=None,
    claimant=None,
    new_source=None,
    places=None,
    claimed_on=None,
):
    """Make a Claim of the candidate at `start`-`end`, as reviewed: `statement` (default: the
    short statement), `claimant` (an existing Source) or `new_source` (a NewSource; default:
    the matched Source, or a new one named as written), `places` (default: those mentioned),
    `claimed_on` (default: the article's date), a quote and an appearance in the article.
    The candidate is marked as made into this claim; one already reviewed is refused.

    Returns (claim, new_source or None).
    """
    _require(by, "add_claim", "add_appearance")
    candidate = find_candidate(article, start, end)
    _refuse_reviewed(candidate)
    source, created_source = _claimant_for(candidate, claimant, new_source, by)
    claim = Claim(
        statement=(statement or "").strip() or statement_for(candidate),
        quote=candidate.quote or candidate.sentence,
        claimant=source,
        claimed_on=claimed_on or _article_date(article),
        created_by=by,
    )
    claim.full_clean(exclude=["slug"])
    services.record_save(obj=claim, by=by, default_reason="made from a claim in an article")
    places = list(candidate.places.all()) if places is None else list(places)
    if places:
        claim.places.set(places)
    services.record_save(
        obj=Appearance(claim=claim, article=article, passage=candidate.sentence), by=by
    )
    _mark(candidate, by=by, status=CandidateClaim.Status.CREATED, claim=claim)
    return claim, created_source


def _claimant_for(candidate, claimant, new_source, by):
    """(Source, the new Source or None) for a claim made of `candidate`."""
    if claimant is not None:
        return claimant, None
    if new_source is None:
        if candidate.source is not None:
            return candidate.source, None
        new_source = NewSource(name=candidate.claimant or "Unknown claimant")
    _require(by, "add_source")
    name = new_source.name.strip()[:200]
    existing = Source.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing, None
    source = services.record_save(
        obj=Source(
            name=name,
            kind=new_source.kind,
            affiliation=new_source.affiliation,
            description=new_source.description,
        ),
        by=by,
        default_reason="added from an article's claim",
    )
    return source, source


def _article_date(article):
    when = article.published_at or timezone.now()
    if not dates.is_plausible(when):  # an article stored before the desk refused such dates
        raise Invalid(
            "The claim takes its date from the article, whose publication date is not one "
            "the desk accepts: correct the article's publication date first, or give the date."
        )
    return timezone.localdate(when)


def _refuse_reviewed(candidate):
    if candidate.status != CandidateClaim.Status.OPEN:
        raise Conflict(
            f"This passage has already been reviewed ({candidate.get_status_display()})."
        )


def _mark(candidate, *, by, status, claim=None, reason=""):
    """Mark a candidate as reviewed, once (a conditional update), with an audit event."""
    marked = CandidateClaim.objects.filter(
        pk=candidate.pk, status=CandidateClaim.Status.OPEN
    ).update(
        status=status,
        claim=claim,
        dismissed_reason=reason,
        reviewed_by=by,
        reviewed_at=timezone.now(),
    )
    if not marked:
        raise Conflict("Someone else reviewed this passage at the same time. Reload the page.")
    trail.record_event(
        actor=by,
        obj=candidate.article,
        action=f"candidate_{status}",
        from_state=CandidateClaim.Status.OPEN,
        to_state=status,
        note=reason or candidate.sentence[:300],
    )


@transaction.atomic
def candidate_dismiss(*, article, start, end, by, reason):
    """Dismiss the candidate at `start`-`end` as no claim worth recording, with the reason;
    it stays on the article's page, marked dismissed."""
    _require(by, "add_claim")
    reason = trail.required_text(reason, "Say why this passage is dismissed.")
    candidate = find_candidate(article, start, end)
    _refuse_reviewed(candidate)
    _mark(candidate, by=by, status=CandidateClaim.Status.DISMISSED, reason=reason[:1000])
    return candidate


@transaction.atomic
def candidate_link_to_claim(*, article, start, end, claim, by):
    """Record that an existing claim appears in this article, with the candidate's passage.

    Returns the new appearance; for a live claim (readers see where it appeared), the pending
    revision that adds it, which an editor publishes (claims.services.revisions).
    """
    _require(by, "add_appearance")
    candidate = find_candidate(article, start, end)
    _refuse_reviewed(candidate)
    if claim.appearances.filter(article=article).exists():
        raise Conflict(f"“{claim}” is already recorded as appearing in this article.")
    if revisions.is_live(claim):
        rows = revisions.editing_document(claim)["appearances"]
        if any(row["article"] == article.pk for row in rows):
            raise Conflict(f"A pending revision of “{claim}” already adds this article.")
        new_row = {"article": article.pk, "passage": candidate.sentence}
        done = revisions.revision_propose(
            subject=claim,
            by=by,
            changes={"appearances": [*rows, new_row]},
            reason="appears in an imported article",
        )
    else:
        done = services.record_save(
            obj=Appearance(claim=claim, article=article, passage=candidate.sentence), by=by
        )
    _mark(candidate, by=by, status=CandidateClaim.Status.LINKED, claim=claim)
    return done


def _passage_key(text):
    return " ".join(text.split())
