"""From a spotted candidate to a Claim: the services behind the article page's buttons.

The candidates are computed from the article's body each time (no table holds them), and a
button names its candidate by its offsets in the body; the server spots again and acts only
on a candidate it finds at those offsets, so a stale page cannot create a claim from text
that is no longer there.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from claims import dates, selectors
from claims.errors import WorkflowError
from claims.models import Appearance, Claim, Source

from .spotting import Spotter

STATEMENT_MAX = 300


@dataclass
class CandidateRow:
    """A candidate as the article page shows it: what was spotted, and what the desk has."""

    candidate: object
    statement: str
    claims: list = field(default_factory=list)  # claims this passage already appears for
    similar: list = field(default_factory=list)  # other claims like it, to link instead


def article_candidates(article, *, spotter=None, with_similar=True):
    """The article's candidate claims, each with the claims already made of it and similar
    claims on the desk."""
    spotter = spotter or Spotter.from_database()
    appearances = list(
        Appearance.objects.filter(article=article).select_related("claim__claimant")
    )
    rows = []
    for candidate in spotter.spot(article.body):
        statement = statement_for(candidate)
        linked = [a.claim for a in appearances if _same_passage(a.passage, candidate.sentence)]
        similar = []
        if with_similar:
            linked_ids = {claim.pk for claim in linked}
            similar = [c for c in selectors.similar_claims(statement) if c.pk not in linked_ids]
        rows.append(CandidateRow(candidate, statement, linked, similar))
    return rows


def statement_for(candidate):
    """The statement the editor starts from: the sentence, quotation marks and all, cut to
    fit the field at a word."""
    text = " ".join(candidate.sentence.split()).rstrip(".")
    if len(text) <= STATEMENT_MAX:
        return text
    return text[: STATEMENT_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def find_candidate(article, start, end, *, spotter=None):
    """The candidate at these offsets in the article's body, or WorkflowError."""
    spotter = spotter or Spotter.from_database()
    for candidate in spotter.spot(article.body):
        if (candidate.start, candidate.end) == (start, end):
            return candidate
    raise WorkflowError(
        "That passage is no longer a candidate in this article (the text may have been "
        "edited). Reload the page and try again.",
        code=WorkflowError.CONFLICT,
    )


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
    source, new_source = None, None
    if candidate.source_id:
        source = Source.objects.filter(pk=candidate.source_id).first()
    if source is None:
        _require(by, "add_source")
        name = (candidate.claimant or "Unknown claimant")[:200]
        source = Source.objects.filter(name__iexact=name).first()
        if source is None:
            source = new_source = Source.objects.create(name=name)
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
    claim.save()
    if candidate.place_ids:
        claim.places.set(candidate.place_ids)
    Appearance.objects.create(claim=claim, article=article, passage=candidate.sentence)
    return claim, new_source


@transaction.atomic
def candidate_link_to_claim(*, article, start, end, claim, by):
    """Record that an existing claim appears in this article, with the candidate's passage."""
    _require(by, "add_appearance")
    candidate = find_candidate(article, start, end)
    appearance, created = Appearance.objects.get_or_create(
        claim=claim, article=article, defaults={"passage": candidate.sentence}
    )
    if not created:
        raise WorkflowError(
            f"“{claim}” is already recorded as appearing in this article.",
            code=WorkflowError.CONFLICT,
        )
    return appearance


def _same_passage(passage, sentence):
    return " ".join(passage.split()) == " ".join(sentence.split())
