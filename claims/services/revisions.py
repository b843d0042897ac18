"""Revisions: how what readers see of a live claim or explainer changes, only through review.

A claim is live once it has a published verdict or is cited by an explainer readers can see;
an explainer once it is published or scheduled (its content was approved). An edit of a live
object does not change it: `revision_propose` keeps the whole proposed content (its
*document*: the fields, places and rows readers see) in the object's one pending revision,
amending it if there is one. An editor who is none of its authors publishes it with
`revision_publish`, which applies it in one transaction, leaves a dated public update or
correction (unless it was a minor edit) and moves what readers see; or it is discarded with
`revision_discard`. Everything is recorded in the audit trail and the history.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from claims import selectors
from claims.errors import Conflict, Invalid
from claims.models import Claim, Correction, Explainer, Revision
from claims.signals import published_record_changed
from claims.trail import forbidden, record_event, require, required_text, save_with_history
from claims.workflow import (
    explainer_four_eyes_allows,
    explainer_four_eyes_waived,
    record_four_eyes_waived,
)

from .rows import write_claim_rows, write_explainer_claims

RS = Revision.Status
RK = Revision.Kind

# The parts of each kind's document, in the order the desk shows them.
CLAIM_PARTS = ("statement", "quote", "claimant", "claimed_on", "places", "appearances", "links")
EXPLAINER_PARTS = ("title", "standfirst", "body", "places", "authors", "claims")
# A change to any of these is never a minor edit: it changes what the claim is.
NEVER_MINOR = frozenset({"statement", "quote", "claimant", "claimed_on"})

PART_LABELS = {
    "statement": "Statement",
    "quote": "Quote",
    "claimant": "Claimant",
    "claimed_on": "Claimed on",
    "places": "Places",
    "appearances": "Appeared in",
    "links": "Claims it disputes or supports",
    "title": "Title",
    "standfirst": "Standfirst",
    "body": "Body",
    "authors": "Authors",
    "claims": "Claims, in order, with their notes",
}


def parts_of(subject):
    return CLAIM_PARTS if isinstance(subject, Claim) else EXPLAINER_PARTS


# --- what is live, and its document -----------------------------------------------------------


def is_live(subject):
    """Whether edits of `subject` must go through a revision."""
    if isinstance(subject, Explainer):
        return subject.pk is not None and subject.status in (
            Explainer.Status.PUBLISHED,
            Explainer.Status.SCHEDULED,
        )
    if subject.pk is None:
        return False
    stored = Claim.objects.filter(pk=subject.pk).values("current_verification").first()
    if stored is not None and stored["current_verification"] is not None:
        return True
    return selectors.claims_for_readers().filter(pk=subject.pk).exists()


def document_of(subject):
    """What readers see of `subject` now, as JSON-ready data."""
    if isinstance(subject, Claim):
        return {
            "statement": subject.statement,
            "quote": subject.quote,
            "claimant": subject.claimant_id,
            "claimed_on": subject.claimed_on.isoformat(),
            "places": sorted(subject.places.values_list("pk", flat=True)),
            "appearances": [
                {"article": a.article_id, "passage": a.passage}
                for a in subject.appearances.order_by("article_id")
            ],
            "links": [
                {"to_claim": link.to_claim_id, "relation": link.relation, "note": link.note}
                for link in subject.links_out.order_by("to_claim_id")
            ],
        }
    return {
        "title": subject.title,
        "standfirst": subject.standfirst,
        "body": subject.body,
        "places": sorted(subject.places.values_list("pk", flat=True)),
        "authors": sorted(subject.authors.values_list("pk", flat=True)),
        "claims": [
            {"claim": entry.claim_id, "context_note": entry.context_note}
            for entry in subject.explainer_claims.order_by("position", "id")
        ],
    }


def normalised(subject, changes):
    """`changes` (parts of a document) in the document's own form: ids, ISO dates, sorted
    sets, rows in a stable order (an explainer's claims keep theirs)."""
    result = {}
    for part, value in changes.items():
        if part == "slug":
            if value == subject.slug:
                continue
            raise Conflict(
                "A live address does not change: readers' links and search engines use it."
            )
        if part not in parts_of(subject):
            raise Invalid(f"{part!r} is not part of what readers see.")
        if part == "claimant":
            value = getattr(value, "pk", value)
        elif part == "claimed_on" and isinstance(value, datetime.date):
            value = value.isoformat()
        elif part in ("places", "authors"):
            value = sorted({getattr(item, "pk", item) for item in value})
        elif part == "appearances":
            rows = {_id(row["article"]): row.get("passage", "") for row in value}
            value = [{"article": k, "passage": v} for k, v in sorted(rows.items())]
        elif part == "links":
            rows = {_id(row["to_claim"]): (row["relation"], row.get("note", "")) for row in value}
            value = [
                {"to_claim": k, "relation": rel, "note": note}
                for k, (rel, note) in sorted(rows.items())
            ]
        elif part == "claims":
            value = [
                {"claim": _id(row["claim"]), "context_note": row.get("context_note", "")}
                for row in value
            ]
        result[part] = value
    return result


def _id(value):
    return getattr(value, "pk", value)


def pending_revision(subject, *, lock=False):
    """The pending revision of `subject`, or None."""
    revisions = Revision.objects.filter(status=RS.PENDING, **{_subject_field(subject): subject})
    if lock:
        revisions = revisions.select_for_update()
    return revisions.first()


def revision_token(subject):
    """What an editor's page was opened on: the pending revision and its last amendment, or
    "" when there was none (`revision_propose`'s `seen`)."""
    pending = pending_revision(subject)
    return f"{pending.pk}:{pending.updated_at.isoformat()}" if pending else ""


def editing_document(subject):
    """What an editor starts from: the pending revision's proposal, or the live document."""
    pending = pending_revision(subject)
    return pending.proposed if pending else document_of(subject)


def changed_parts(revision):
    """The parts whose proposed value differs from what readers see now."""
    live = document_of(revision.subject)
    parts = parts_of(revision.subject)
    return [part for part in parts if revision.proposed.get(part) != live[part]]


def _subject_field(subject):
    return "claim" if isinstance(subject, Claim) else "explainer"


def _lock(subject):
    return type(subject).objects.select_for_update().get(pk=subject.pk)


# --- propose, publish, discard ------------------------------------------------------------


@transaction.atomic
def revision_propose(*, subject, by, changes, reason="", seen=None):
    """Keep `changes` (parts of `subject`'s document) in its pending revision, by `by`.

    Starts the revision if there is none; amends it otherwise (`by` becomes one of its
    authors). Returns the pending revision, or None when nothing would change. `seen`, a
    `revision_token` taken when the editor opened the page, refuses the change (CONFLICT)
    if someone started or amended the revision since, so nobody's amendment is lost.
    """
    model = type(subject)._meta
    require(by, f"change_{model.model_name}", f"change {model.verbose_name_plural}")
    locked = _lock(subject)
    if not is_live(locked):
        raise Conflict(f"This {model.verbose_name} is not live: edit it directly.")
    live = document_of(locked)
    pending = pending_revision(locked, lock=True)
    current = f"{pending.pk}:{pending.updated_at.isoformat()}" if pending else ""
    if seen is not None and seen != current:
        raise Conflict(
            f"Someone else changed the pending revision of this {model.verbose_name} since "
            "you opened it; nothing was saved. Reload the page to see their change, then "
            "make yours again."
        )
    proposed = dict(pending.proposed if pending else live)
    proposed.update(normalised(locked, changes))
    if pending is None:
        if proposed == live:
            return None
        pending = Revision.objects.create(
            **{_subject_field(locked): locked}, base=live, proposed=proposed, created_by=by
        )
        action = "revision.propose"
    else:
        if proposed == pending.proposed:
            return pending
        pending.proposed = proposed
        pending.save(update_fields=["proposed", "updated_at"])
        action = "revision.amend"
    pending.authors.add(by)
    record_event(
        actor=by,
        obj=locked,
        action=action,
        from_state="live",
        to_state="revision pending",
        note=reason,
    )
    return pending


@transaction.atomic
def revision_publish(*, revision, by, kind, note=""):
    """Apply the pending `revision` to what readers see, as an update, a correction or (for
    a change that leaves a claim's statement, quote, claimant and date alone) a minor edit.

    Four eyes: `by` must not be one of its authors, nor, for an explainer, one of the
    explainer's authors; a one-editor desk may waive that for explainers only
    (DESK_FOUR_EYES=0), and each waiver is in the audit trail.
    """
    require(by, "publish_revision", "publish revisions")
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    if revision.status != RS.PENDING:
        raise Conflict(f"This revision is {revision.get_status_display().lower()} already.")
    subject = _lock(revision.subject)
    waived = _check_four_eyes(revision, subject, by)
    if kind not in RK.values:
        raise Invalid(f"Unknown kind of change: {kind!r}.")
    changed = changed_parts(revision)
    if kind == RK.MINOR and NEVER_MINOR & set(changed):
        raise Invalid(
            "A change to a claim's statement, quote, claimant or date is never a minor edit: "
            "publish it as an update or a correction, with a note for readers."
        )
    if kind != RK.MINOR:
        note = required_text(
            note, "Say what changed, for readers: an update or a correction needs a note."
        )
    now = timezone.now()
    moved = _apply(subject, revision.proposed, by=by, reason=_reason(kind, note))
    if kind != RK.MINOR:
        type(subject).objects.filter(pk=subject.pk).update(last_substantive_update=now)
        subject.last_substantive_update = now
        correction = Correction(
            **{_subject_field(subject): subject},
            kind=Correction.Kind.UPDATE if kind == RK.UPDATE else Correction.Kind.CORRECTION,
            text=note,
            published_at=now,
            created_by=by,
            revision=revision,
        )
        save_with_history(correction, by=by, reason="issued")
    Revision.objects.filter(pk=revision.pk).update(
        status=RS.PUBLISHED, kind=kind, note=note, decided_by=by, decided_at=now, updated_at=now
    )
    revision.refresh_from_db()
    record_event(
        actor=by,
        obj=subject,
        action="revision.publish",
        from_state="revision pending",
        to_state=kind,
        note=note if kind != RK.MINOR else f"minor edit, chosen by {by}",
    )
    if waived:
        record_four_eyes_waived(subject, by)
    if selectors.seen_by_readers(subject):  # (not an explainer scheduled for later, say)
        published_record_changed.send(
            sender=type(subject),
            instance=subject,
            came_or_went=False,
            related=moved,
            # Pages that only name an explainer (its title, its address, listed by its time)
            # show nothing else.
            renamed=bool(set(selectors.EXPLAINER_NAMING_FIELDS) & set(changed)),
        )
    return revision


def _check_four_eyes(revision, subject, by):
    """Refuse `by` if they wrote the change (or, for an explainer, wrote or edited it);
    returns whether the rule was waived (explainers only, with DESK_FOUR_EYES off)."""
    wrote_change = revision.authors.filter(pk=by.pk).exists()
    if isinstance(subject, Explainer):
        return explainer_four_eyes_waived(subject, by, wrote_change=wrote_change)
    if wrote_change:
        raise forbidden(
            by, "Four eyes: you wrote this change, so another editor must publish it.", "four eyes"
        )
    return False


def may_publish(user, revision):
    """Whether `user` may publish the pending `revision` (for offering the form; the rules
    themselves are `revision_publish`'s)."""
    if not revision.is_pending or not user.has_perm("claims.publish_revision"):
        return False
    wrote_change = revision.authors.filter(pk=user.pk).exists()
    if isinstance(revision.subject, Explainer):
        return explainer_four_eyes_allows(revision.subject, user, wrote_change=wrote_change)
    return not wrote_change


def may_discard(user, revision):
    """Whether `user` may discard the pending `revision`: an editor, or one of its authors."""
    return revision.is_pending and (
        user.has_perm("claims.publish_revision") or revision.authors.filter(pk=user.pk).exists()
    )


def _reason(kind, note):
    label = {RK.UPDATE: "update", RK.CORRECTION: "correction", RK.MINOR: "minor edit"}[kind]
    return f"revision published ({label})" + (f": {note}" if note else "")


@transaction.atomic
def revision_discard(*, revision, by, reason=""):
    """Drop the pending `revision`: an editor, or one of its authors, may."""
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    if by is None or not (
        by.has_perm("claims.publish_revision") or revision.authors.filter(pk=by.pk).exists()
    ):
        require(by, "publish_revision", "discard others' revisions")
    if revision.status != RS.PENDING:
        raise Conflict(f"This revision is {revision.get_status_display().lower()} already.")
    now = timezone.now()
    Revision.objects.filter(pk=revision.pk).update(
        status=RS.DISCARDED,
        note=(reason or "").strip(),
        decided_by=by,
        decided_at=now,
        updated_at=now,
    )
    revision.refresh_from_db()
    record_event(
        actor=by,
        obj=revision.subject,
        action="revision.discard",
        from_state="revision pending",
        to_state="discarded",
        note=reason,
    )
    return revision


# --- applying a document ----------------------------------------------------------------------


def _apply(subject, document, *, by, reason):
    """Make `subject` what `document` says, saving through the models (history rows, signals
    that move what readers see)."""
    if isinstance(subject, Claim):
        linked_before = _linked_claims(subject)
        subject.statement = document["statement"]
        subject.quote = document["quote"]
        subject.claimant_id = document["claimant"]
        subject.claimed_on = datetime.date.fromisoformat(document["claimed_on"])
        subject.full_clean(validate_unique=False, validate_constraints=False)
        save_with_history(subject, by=by, reason=reason)
        subject.places.set(document["places"])
        write_claim_rows(subject, appearances=document["appearances"], links=document["links"])
        return [(Claim, linked_before ^ _linked_claims(subject))]
    claims_before = set(subject.explainer_claims.values_list("claim_id", flat=True))
    subject.title = document["title"]
    subject.standfirst = document["standfirst"]
    subject.body = document["body"]
    subject.full_clean(validate_unique=False, validate_constraints=False)
    save_with_history(subject, by=by, reason=reason)
    subject.places.set(document["places"])
    subject.authors.set(get_user_model().objects.filter(pk__in=document["authors"]))
    write_explainer_claims(subject, document["claims"])
    return [
        (Claim, claims_before ^ set(subject.explainer_claims.values_list("claim_id", flat=True)))
    ]


def _linked_claims(claim):
    return set(claim.links_out.values_list("to_claim_id", flat=True))


def show_fields(subject, document):
    """Set `subject`'s own fields (not its places or rows) to `document`'s, in memory only:
    what a change form opened on a pending revision shows."""
    for part, value in document.items():
        if part == "claimant":
            subject.claimant_id = value
        elif part == "claimed_on":
            subject.claimed_on = datetime.date.fromisoformat(value)
        elif part in ("statement", "quote", "title", "standfirst", "body"):
            setattr(subject, part, value)


def apply_for_preview(subject, document, *, by):
    """Apply `document` to `subject` as publishing would; for a preview rendered inside a
    transaction the caller rolls back."""
    _apply(subject, document, by=by, reason="preview")
