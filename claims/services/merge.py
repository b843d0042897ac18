"""`claim_merge`: a duplicate claim merged into the claim the desk keeps.

Everything the duplicate gathered moves to the claim kept: where it appeared, its links
(both ways), its places, its evidence, its verifications, its rows in draft explainers,
readers' submissions and spotted sentences that became it, its internal notes and its
assignment (or, when the claim kept is someone else's, a note telling its assignee). Then the
duplicate is deleted, leaving a `MergedClaim` behind so that its addresses (the reader page and
the API's) lead to the claim kept, and its history and the audit trail say who merged what
into what.

Only a claim readers have not seen is merged away: one with a published verdict, or cited by
an explainer readers see, has a public page and a public record, which change only through
review (claims.services.revisions); merging it is refused (CONFLICT) and the desk merges the
other way round. The claim kept may be live: then what readers would see change (its places,
appearances and links) is kept as its pending revision, for an editor to publish; the rest,
which readers do not see, moves at once.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from claims.errors import Conflict, Invalid
from claims.models import (
    CandidateClaim,
    Claim,
    ClaimSubmission,
    Explainer,
    ExplainerClaim,
    MergedClaim,
    Note,
    Revision,
    Verification,
)
from claims.trail import (
    delete_with_history,
    record_event,
    require,
    save_with_history,
)

from . import revisions, teamwork


@transaction.atomic
def claim_merge(*, duplicate, into, by, reason=""):
    """Merge the claim `duplicate` into the claim `into`, for `by` (who needs
    `claims.merge_claim`); returns the claim kept, and the `MergedClaim` left behind.

    Refused: a claim merged into itself (INVALID); a duplicate readers have seen, one with
    corrections, cited by an explainer in review or linked from a live claim (CONFLICT).
    """
    require(by, "merge_claim", "merge duplicate claims")
    if duplicate.pk == into.pk:
        raise Invalid("A claim cannot be merged into itself: choose the claim to keep.")
    locked = {
        claim.pk: claim
        for claim in Claim.objects.select_for_update().filter(pk__in=[duplicate.pk, into.pk])
    }
    if len(locked) != 2:
        raise Invalid("One of the two claims no longer exists: reload the page.")
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    _refuse_unmergeable(duplicate)
    kept_live = revisions.is_live(into)
    why = f"merged #{duplicate.pk} “{duplicate.statement}” into #{into.pk} “{into.statement}”"
    if reason:
        why = f"{why}: {reason}"

    if kept_live:
        _propose_rows(duplicate, into, by=by, reason=why)
    else:
        _move_own_rows(duplicate, into)
    _move_links_in(duplicate, into)
    _move_desk_material(duplicate, into, by=by, reason=why)
    _repoint_pending_revisions(duplicate, into)

    merged = MergedClaim.objects.create(
        old_id=duplicate.pk, statement=duplicate.statement, into=into, merged_by=by
    )
    MergedClaim.objects.filter(into=duplicate).update(into=into)  # merged before: follow on
    old_pk = duplicate.pk
    delete_with_history(duplicate, by=by, reason=why)
    # A save, not only a history row: the version goes up, so a form of the claim kept opened
    # before the merge (its places, its rows) cannot save over what the merge brought.
    save_with_history(into, by=by, reason=why)
    record_event(
        actor=by,
        obj=into,
        action="claim.merge",
        from_state=f"#{old_pk}",
        to_state=f"#{into.pk}",
        note=why,
    )
    return into, merged


def _refuse_unmergeable(duplicate):
    if revisions.is_live(duplicate):
        raise Conflict(
            f"Readers have seen “{duplicate.statement}” (it has a published verdict or a live "
            "explainer cites it), so it cannot be merged away: its page and record stay. "
            "Merge the other claim into it instead."
        )
    if duplicate.corrections.exists():
        raise Conflict("This claim has corrections on record, so it cannot be merged away.")
    in_review = Explainer.objects.filter(
        explainer_claims__claim=duplicate, status=Explainer.Status.IN_REVIEW
    ).first()
    if in_review is not None:
        raise Conflict(
            f"The explainer “{in_review}”, in review, cites this claim: return it to draft or "
            "publish it first, then merge."
        )
    live_linker = next(
        (
            link.from_claim
            for link in duplicate.links_in.all()
            if revisions.is_live(link.from_claim)
        ),
        None,
    )
    if live_linker is not None:
        raise Conflict(
            f"The live claim “{live_linker}” links to this one: change that link through its "
            "revision first, then merge."
        )


def _move_own_rows(duplicate, into):
    """Appearances, links out and places, straight onto a claim readers do not see."""
    have = set(into.appearances.values_list("article_id", flat=True))
    duplicate.appearances.filter(article_id__in=have).delete()
    duplicate.appearances.update(claim=into)
    targets = set(into.links_out.values_list("to_claim_id", flat=True)) | {into.pk}
    duplicate.links_out.filter(to_claim_id__in=targets).delete()
    duplicate.links_out.update(from_claim=into)
    into.places.add(*duplicate.places.all())


def _propose_rows(duplicate, into, *, by, reason):
    """The duplicate's appearances, links out and places added to the pending revision of the
    live claim kept (nothing is proposed when it has them all already)."""
    document = revisions.editing_document(into)
    have = {row["article"] for row in document["appearances"]}
    appearances = document["appearances"] + [
        {"article": row.article_id, "passage": row.passage}
        for row in duplicate.appearances.exclude(article_id__in=have)
    ]
    targets = {row["to_claim"] for row in document["links"]} | {into.pk, duplicate.pk}
    links = document["links"] + [
        {"to_claim": link.to_claim_id, "relation": link.relation, "note": link.note}
        for link in duplicate.links_out.exclude(to_claim_id__in=targets)
    ]
    places = set(document["places"]) | set(duplicate.places.values_list("pk", flat=True))
    revisions.revision_propose(
        subject=into,
        by=by,
        changes={"appearances": appearances, "links": links, "places": places},
        reason=reason,
    )


def _move_links_in(duplicate, into):
    """Links from other claims (none of them live) to the duplicate point to the claim kept."""
    already = set(into.links_in.values_list("from_claim_id", flat=True)) | {into.pk}
    duplicate.links_in.filter(from_claim_id__in=already).delete()
    duplicate.links_in.update(to_claim=into)


def _move_desk_material(duplicate, into, *, by, reason):
    """What readers do not see: evidence, verifications (none published), draft explainers'
    rows, submissions, spotted sentences and notes."""
    for verification in Verification.objects.filter(claim=duplicate).order_by("pk"):
        verification.claim = into
        save_with_history(verification, by=by, reason=reason)
    for evidence in duplicate.evidence.order_by("pk"):
        evidence.claim = into
        save_with_history(evidence, by=by, reason=reason)
    citing = set(ExplainerClaim.objects.filter(claim=into).values_list("explainer_id", flat=True))
    ExplainerClaim.objects.filter(claim=duplicate, explainer_id__in=citing).delete()
    ExplainerClaim.objects.filter(claim=duplicate).update(claim=into)
    ClaimSubmission.objects.filter(claim=duplicate).update(claim=into)
    CandidateClaim.objects.filter(claim=duplicate).update(claim=into)
    claim_type = ContentType.objects.get_for_model(Claim)
    Note.objects.filter(content_type=claim_type, object_id=duplicate.pk).update(object_id=into.pk)
    _move_assignment(duplicate, into, by=by)


def _move_assignment(duplicate, into, *, by):
    """The duplicate's assignment goes with its work: onto the claim kept when nobody has
    that; when someone else has, the claim kept stays theirs, and a note on it tells the
    duplicate's assignee (mentioned, so they hear of it) where their work went."""
    person = duplicate.assigned_to
    if person is None or person.pk == into.assigned_to_id:
        return
    if into.assigned_to_id is None:
        into.assigned_to = person
        into.assigned_at = duplicate.assigned_at
        into.due_on = duplicate.due_on
        return  # saved with the merge
    due = duplicate.due_on
    due = f", due {due.day} {due:%B %Y}" if due else ""
    teamwork.note_add(
        subject=into,
        by=by,
        text=(
            f"@{person.get_username()}: you were assigned #{duplicate.pk} “{duplicate.statement}”"
            f"{due}, merged into this claim, which stays assigned to {into.assigned_to}."
        ),
    )


def _repoint_pending_revisions(duplicate, into):
    """Pending revisions that name the duplicate (a live claim's link, a live explainer's
    claims) name the claim kept, so that publishing one later does not fail."""
    for revision in Revision.objects.filter(status=Revision.Status.PENDING).select_for_update():
        proposed = revision.proposed
        key, field = ("links", "to_claim") if revision.claim_id else ("claims", "claim")
        rows = proposed.get(key) or []
        if not any(row.get(field) == duplicate.pk for row in rows):
            continue
        kept, seen = [], set()
        for row in rows:
            target = into.pk if row.get(field) == duplicate.pk else row.get(field)
            if target in seen or target == revision.claim_id:
                continue
            seen.add(target)
            kept.append({**row, field: target})
        revision.proposed = {**proposed, key: kept}
        revision.save(update_fields=["proposed", "updated_at"])
