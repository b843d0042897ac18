"""Claims, explainers and their rows: what an edit may change directly, and who wrote them.

What readers see of a live claim or explainer changes only through a revision
(claims.services.revisions); a save that would change it directly is refused here, whichever
face it comes from. An explainer records everyone who edits it, so that none of them
publishes it (four eyes, claims.workflow.explainer_publish).
"""

import re

from django.db import transaction
from django.utils.text import slugify

from claims.errors import Conflict
from claims.models import Claim, Explainer
from claims.models.claims import SLUG_LENGTH
from claims.models.sources import unique_slug
from claims.trail import forbidden

from . import revisions
from .records import plain_save

LIVE = (
    "This {kind} is live: readers see it, so a change to what they see is kept as a pending "
    "revision until an editor who did not write it publishes it. Edit it in the desk or send "
    "it through the API's update, which keep the change as that revision."
)


def _refuse_live(kind):
    return Conflict(LIVE.format(kind=kind))


# The fields of each kind that readers see, besides its places and rows; and its address.
OWN_FIELDS = {
    "claim": ("statement", "quote", "claimant_id", "claimed_on", "slug"),
    "explainer": ("title", "standfirst", "body", "slug"),
}


def _document_changed(obj, stored):
    fields = OWN_FIELDS[obj._meta.model_name]
    return any(getattr(obj, name) != getattr(stored, name) for name in fields)


@transaction.atomic
def claim_save(*, claim, by, reason="", default_reason=""):
    """Save a new claim, or edits of one readers do not see yet.

    Until readers see a claim, a slug made from its statement follows the statement's
    rewording, so that the address it is first published at reads as what was claimed; from
    then on it never changes (the address has /claims/<id>-, so an older slug redirects). A
    slug someone chose is kept.
    """
    if claim.pk is not None:
        stored = Claim.objects.select_for_update().filter(pk=claim.pk).first()
        if stored is not None and revisions.is_live(stored):
            if _document_changed(claim, stored):
                raise _refuse_live("claim")
        elif stored is not None and claim.statement != stored.statement:
            if claim.slug == stored.slug and slug_follows(stored.slug, stored.statement):
                claim.slug = _statement_slug(claim)
    return plain_save(claim, by=by, reason=reason, default_reason=default_reason)


def slug_follows(slug, statement):
    """Whether `slug` was made from `statement` (perhaps cut short, perhaps numbered "-2")
    rather than chosen by someone."""
    made = slugify(statement)
    return made.startswith(slug) or made.startswith(re.sub(r"-\d+$", "", slug))


def _statement_slug(claim):
    return unique_slug(Claim, claim.statement, SLUG_LENGTH, exclude_pk=claim.pk)


@transaction.atomic
def explainer_save(*, explainer, by, reason="", default_reason="", relations_changed=False):
    """Save a new explainer, or edits of a draft or unpublished one; `by` becomes one of
    those who wrote it."""
    if explainer.pk is not None:
        stored = Explainer.objects.select_for_update().filter(pk=explainer.pk).first()
        if stored is not None and stored.status == Explainer.Status.IN_REVIEW:
            raise forbidden(
                by,
                "This explainer is in review: an editor publishes it or returns it to draft "
                "for changes.",
                "explainer in review",
            )
        if stored is not None and revisions.is_live(stored):
            if _document_changed(explainer, stored) or relations_changed:
                raise _refuse_live("explainer")
            return plain_save(explainer, by=by, reason=reason, default_reason=default_reason)
        changed = relations_changed or stored is None or _document_changed(explainer, stored)
    else:
        changed = True
    plain_save(explainer, by=by, reason=reason, default_reason=default_reason)
    if changed and by is not None:
        explainer.contributors.add(by)
    return explainer


def refuse_if_live(parent):
    """CONFLICT when readers see `parent`, a claim or explainer whose rows are being changed."""
    if parent is not None and parent.pk is not None and revisions.is_live(parent):
        raise _refuse_live(parent._meta.verbose_name)


def row_parent(row):
    """The claim or explainer a row (appearance, link, explainer's claim) belongs to, or None
    for a record that is not such a row."""
    match row._meta.label_lower:
        case "claims.appearance":
            return row.claim
        case "claims.claimlink":
            return row.from_claim
        case "claims.explainerclaim":
            return row.explainer
    return None


def row_save(*, row, by, reason="", default_reason=""):
    """Save a row of a claim or explainer (where it appeared, a link, an explainer's claim)
    unless readers see its parent."""
    refuse_if_live(row_parent(row))
    return plain_save(row, by=by, reason=reason, default_reason=default_reason)
