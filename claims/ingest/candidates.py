"""Candidate claims: spotted and stored when an article comes in, then made into Claims.

The spotter runs when an article is imported, when its text is saved in the desk, and when
someone asks for it ("Spot claims again", `manage.py spot_articles`): after adding Sources or
Places, or for an article from before candidates were stored. The article's page only reads
what is stored, a page of candidates at a time. A button names its candidate by its offsets
in the body, and the server acts only on a candidate stored at those offsets for the
article's current text, so a stale page cannot make a claim of text that is no longer there.
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import transaction
from django.utils import timezone

from claims import dates, selectors, services
from claims.errors import WorkflowError
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
    CandidateClaim.objects.filter(article=article).delete()
    rows = CandidateClaim.objects.bulk_create(
        CandidateClaim(
            article=article,
            start=c.start,
            end=c.end,
            sentence=c.sentence,
            claimant=c.claimant[:300],
            verb=c.verb[:100],
            source_id=c.source_id if c.source_id in sources else None,
            unverified=c.unverified,
            quote=c.quote,
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


def article_spot_candidates(*, article, by=None, spotter=None):
    """Spot the article's text and store its candidates (the import, a save of its text in
    the desk, `manage.py spot_articles`). The spotter runs before the transaction opens."""
    spotted = spot(article.body, spotter=spotter)
    return article_store_candidates(article=article, spotted=spotted, by=by)


def article_spot_again(*, article, by):
    """Staff's "Spot claims again" on an article's page: needs permission to change
    articles. Returns the stored candidates."""
    if by is None or not by.is_active or not by.has_perm("claims.change_article"):
        raise WorkflowError(
            "You are not allowed to spot the claims in articles.", code=WorkflowError.FORBIDDEN
        )
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
        .order_by("start", "end")
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
        if with_similar and not linked:
            similar = list(selectors.similar_claims(statement))
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
    """The statement the editor starts from: the sentence, quotation marks and all, cut to
    fit the field at a word."""
    text = " ".join(candidate.sentence.split()).rstrip(".")
    if len(text) <= STATEMENT_MAX:
        return text
    return text[: STATEMENT_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def find_candidate(article, start, end):
    """The candidate stored at these offsets for the article's current text, or
    WorkflowError."""
    spotting = CandidateSpotting.objects.filter(article=article).first()
    if spotting is None or not spotting.is_current(article):
        raise WorkflowError(
            "The claims in this article have not been spotted in its current text. Spot them "
            "again, then try.",
            code=WorkflowError.CONFLICT,
        )
    candidate = (
        CandidateClaim.objects.filter(article=article, start=start, end=end)
        .select_related("source")
        .first()
    )
    if candidate is None:
        raise WorkflowError(
            "That passage is no longer a candidate in this article (the text may have been "
            "edited). Reload the page and try again.",
            code=WorkflowError.CONFLICT,
        )
    return candidate


# --- from a candidate to a Claim -----------------------------------------------------------


def _require(user, *codenames):
    for codename in codenames:
        if user is None or not user.is_active or not user.has_perm(f"claims.{codename}"):
            raise WorkflowError(
                "You are not allowed to make claims from articles.", code=WorkflowError.FORBIDDEN
            )


@transaction.atomic
def claim_create_from_candidate(*, article, start, end, by):
    """Make a Claim of the candidate at `start`-`end`: statement (to shorten), quote,
    claimant (the matched Source, or a new one named as written), the date of the article,
    the places mentioned, and an appearance in the article with the passage.

    Returns (claim, new_source or None).
    """
    _require(by, "add_claim", "add_appearance")
    candidate = find_candidate(article, start, end)
    source, new_source = candidate.source, None
    if source is None:
        _require(by, "add_source")
        name = (candidate.claimant or "Unknown claimant")[:200]
        source = Source.objects.filter(name__iexact=name).first()
        if source is None:
            source = new_source = services.record_save(
                obj=Source(name=name), by=by, default_reason="added from an article's claim"
            )
    when = article.published_at or timezone.now()
    if not dates.is_plausible(when):  # an article stored before the desk refused such dates
        raise WorkflowError(
            "The claim takes its date from the article, whose publication date is not one "
            "the desk accepts: correct the article's publication date first.",
            code=WorkflowError.INVALID,
        )
    claim = Claim(
        statement=statement_for(candidate),
        quote=candidate.quote or candidate.sentence,
        claimant=source,
        claimed_on=timezone.localdate(when),
        created_by=by,
    )
    claim.full_clean(exclude=["slug"])
    services.record_save(obj=claim, by=by, default_reason="made from a claim in an article")
    places = list(candidate.places.all())
    if places:
        claim.places.set(places)
    services.record_save(
        obj=Appearance(claim=claim, article=article, passage=candidate.sentence), by=by
    )
    return claim, new_source


@transaction.atomic
def candidate_link_to_claim(*, article, start, end, claim, by):
    """Record that an existing claim appears in this article, with the candidate's passage.

    Returns the new appearance; for a live claim (readers see where it appeared), the pending
    revision that adds it, which an editor publishes (claims.services.revisions).
    """
    _require(by, "add_appearance")
    candidate = find_candidate(article, start, end)
    if claim.appearances.filter(article=article).exists():
        raise WorkflowError(
            f"“{claim}” is already recorded as appearing in this article.",
            code=WorkflowError.CONFLICT,
        )
    if revisions.is_live(claim):
        rows = revisions.editing_document(claim)["appearances"]
        if any(row["article"] == article.pk for row in rows):
            raise WorkflowError(
                f"A pending revision of “{claim}” already adds this article.",
                code=WorkflowError.CONFLICT,
            )
        new_row = {"article": article.pk, "passage": candidate.sentence}
        return revisions.revision_propose(
            subject=claim,
            by=by,
            changes={"appearances": [*rows, new_row]},
            reason="appears in an imported article",
        )
    return services.record_save(
        obj=Appearance(claim=claim, article=article, passage=candidate.sentence), by=by
    )


def _passage_key(text):
    return " ".join(text.split())
