"""Every editorial state change of the desk, and who may make it.

Admin actions, API endpoints and management commands call these functions and nothing else
to move a verification or an explainer between states. Each function:

- checks the user's permission and the object's state on the server,
- runs in one transaction, changing the state with a conditional UPDATE so that two
  concurrent attempts cannot both succeed,
- records an `AuditEvent` (who, what, when, from → to, note) and a history row of the object
  with the same actor and the step as its reason,
- bumps the object's `version`, so an admin form or an API ETag from before the step is
  refused afterwards rather than overwriting it,
- sends `claims.signals.published_record_changed` when readers see the object before or
  after the step (its UPDATE sends no save signal), which moves readers' Last-Modified,
- raises a `DeskError` (claims.errors: Forbidden, Conflict, Invalid) when it refuses, with a
  message for the user.

Functions are named `<noun>_<verb>` and take keyword arguments only.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from claims import dates, selectors
from claims.errors import Conflict, DeskError, Invalid
from claims.models import (
    Claim,
    Correction,
    Explainer,
    Verification,
)
from claims.signals import explainer_schedule_changed, published_record_changed
from claims.trail import (
    forbidden,
    record_event,
    record_history,
    require,
    required_text,
    save_with_history,
)

__all__ = [
    "can_edit_verification",
    "can_edit_explainer",
    "verification_create",
    "verification_start",
    "verification_submit",
    "verification_return",
    "verification_reopen",
    "verification_publish",
    "claim_refresh_current_verdict",
    "explainer_submit",
    "explainer_return",
    "explainer_publish",
    "explainer_unpublish",
    "explainers_publish_due",
    "correction_issue",
]

VS = Verification.Status
ES = Explainer.Status


# --- permissions -------------------------------------------------------------------------


def can_edit_verification(user, verification):
    """May `user` change the content of `verification` now? Only drafts and returned ones."""
    if not user.has_perm("claims.change_verification"):
        return False
    return verification.pk is None or verification.status in (VS.DRAFT, VS.RETURNED)


def can_edit_explainer(user, explainer):
    """May `user` change `explainer` now? Not while it is in review; a published or scheduled
    one only as a revision, which an editor reviews (claims.services.revisions)."""
    if not user.has_perm("claims.change_explainer"):
        return False
    return explainer.pk is None or explainer.status != ES.IN_REVIEW


def _move(
    model, obj, *, from_states, to_state, values, action, by, note="", seen_at=None, came=False
):
    """Move `obj` from one of `from_states` to `to_state` with a conditional UPDATE.

    Refuses (CONFLICT) when the row is not in the state the caller saw (someone moved it
    meanwhile) or not in an allowed state. Refreshes `obj` and writes the audit event. When
    readers see `obj` before or after the move, says that the published record changed (at
    `seen_at` when readers saw the change earlier than the move: a scheduled publication;
    with `came`, as having come to readers whether or not they saw it just before).
    """
    seen_before = selectors.seen_by_readers(obj) and not came
    current = model.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
    if current is None:
        raise Conflict(f"This {model._meta.verbose_name} no longer exists.")
    if current != obj.status:
        raise Conflict(
            f"Someone else has just changed this {model._meta.verbose_name}: it is now "
            f"{_status_label(model, current)}. Reload it and try again."
        )
    if current not in from_states:
        raise Conflict(
            f"This {model._meta.verbose_name} is {_status_label(model, current)}, "
            f"so it cannot be {_PAST[action]}."
        )
    updated = model.objects.filter(pk=obj.pk, status=current).update(
        status=to_state, updated_at=timezone.now(), version=F("version") + 1, **values
    )
    if updated != 1:
        raise Conflict(
            f"Someone else changed this {model._meta.verbose_name} at the same moment; "
            "reload it and try again."
        )
    obj.refresh_from_db()
    record_event(actor=by, obj=obj, action=action, from_state=current, to_state=to_state, note=note)
    record_history(obj, by=by, reason=f"{_PAST[action]}: {note}" if note else _PAST[action])
    seen_after = selectors.seen_by_readers(obj)
    if seen_before or seen_after:
        published_record_changed.send(
            sender=model, instance=obj, seen_at=seen_at, came_or_went=seen_before != seen_after
        )
    # Whether readers saw it or not: taken back from readers for a later time, it comes back
    # by the clock.
    if model is Explainer and ES.SCHEDULED in (current, to_state):
        explainer_schedule_changed.send(sender=model, instance=obj)
    return obj


def _status_label(model, value):
    return str(dict(model.Status.choices).get(value, value)).lower()


_PAST = {
    "verification.submit": "submitted for review",
    "verification.return": "returned to its author",
    "verification.reopen": "reopened as a draft",
    "verification.publish": "published",
    "explainer.submit": "sent for review",
    "explainer.return": "returned to draft",
    "explainer.publish": "published",
    "explainer.schedule": "scheduled",
    "explainer.unpublish": "unpublished",
}


# --- verifications -----------------------------------------------------------------------


@transaction.atomic
def verification_create(*, claim, by, verdict, rationale, evidence=(), **details):
    """Start a draft verification of `claim` with `by` as its author."""
    verification = Verification(claim=claim, verdict=verdict, rationale=rationale, **details)
    return verification_start(verification=verification, by=by, evidence=evidence)


@transaction.atomic
def verification_start(*, verification, by, evidence=()):
    """Save the new, unsaved `verification` as a draft with `by` as its author (and first
    contributor). The admin's and the API's forms fill it in; this decides the rest."""
    require(by, "add_verification", "draft verifications")
    if verification.pk is not None:
        raise Conflict("This verification has been started already.")
    verification.author = by
    verification.status = VS.DRAFT
    verification.reviewer = None
    verification.review_note = ""
    verification.submitted_at = verification.published_at = None
    verification.full_clean(exclude=["author"])
    save_with_history(verification, by=by, reason="drafted")
    if evidence:
        verification.evidence.set(evidence)
    verification.contributors.add(by)
    record_event(
        actor=by, obj=verification, action="verification.create", from_state="", to_state=VS.DRAFT
    )
    return verification


def _check_four_eyes(verification, by, doing):
    """Nobody who wrote or edited a verification may review it (claims.services records
    everyone who edits one as a contributor)."""
    if verification.was_written_by(by):
        raise forbidden(
            by,
            f"Four eyes: you wrote or edited this verification, so another editor must {doing} it.",
            "four eyes",
        )


def _check_complete(verification):
    if not verification.rationale.strip():
        raise Invalid("A verification needs a rationale before it can go to review.")
    if verification.evidence.exclude(claim_id=verification.claim_id).exists():
        raise Invalid(
            "This verification cites evidence gathered for another claim; cite only this "
            "claim's evidence (add a copy to this claim if it applies to both)."
        )


@transaction.atomic
def verification_submit(*, verification, by):
    """Send a draft verification to an editor for review."""
    require(by, "submit_verification", "submit verifications for review")
    _check_complete(verification)
    return _move(
        Verification,
        verification,
        from_states=[VS.DRAFT],
        to_state=VS.SUBMITTED,
        values={"submitted_at": timezone.now(), "review_note": "", "reviewer": None},
        action="verification.submit",
        by=by,
    )


@transaction.atomic
def verification_return(*, verification, by, note):
    """Send a submitted verification back to its author with the reviewer's note."""
    require(by, "publish_verification", "return verifications")
    _check_four_eyes(verification, by, "return")
    note = required_text(note, "Say what needs to change: a returned verification needs a note.")
    return _move(
        Verification,
        verification,
        from_states=[VS.SUBMITTED],
        to_state=VS.RETURNED,
        values={"review_note": note, "reviewer": by},
        action="verification.return",
        by=by,
        note=note,
    )


@transaction.atomic
def verification_reopen(*, verification, by):
    """Turn a returned verification back into a draft so its author can revise it."""
    require(by, "change_verification", "revise verifications")
    return _move(
        Verification,
        verification,
        from_states=[VS.RETURNED],
        to_state=VS.DRAFT,
        values={},
        action="verification.reopen",
        by=by,
    )


@transaction.atomic
def verification_publish(*, verification, by):
    """Publish a submitted verification; it becomes the claim's current verdict if latest.

    Four eyes: the publisher must not be the verification's author.
    """
    require(by, "publish_verification", "publish verifications")
    _check_four_eyes(verification, by, "publish")
    _check_complete(verification)
    now = timezone.now()
    _move(
        Verification,
        verification,
        from_states=[VS.SUBMITTED],
        to_state=VS.PUBLISHED,
        values={"published_at": now, "reviewer": by},
        action="verification.publish",
        by=by,
    )
    claim_refresh_current_verdict(claim=verification.claim, by=by)
    return verification


def claim_refresh_current_verdict(*, claim, by=None):
    """Set the claim's current verdict from its latest published verification.

    A change of verdict is a new version of the claim (in its history, by `by`).
    """
    latest = (
        Verification.objects.filter(claim=claim, status=VS.PUBLISHED)
        .order_by("-published_at", "-id")
        .first()
    )
    values = (
        {
            "current_verdict": latest.verdict,
            "current_verdict_as_of": latest.published_at,
            "current_verification": latest,
        }
        if latest
        else {"current_verdict": "", "current_verdict_as_of": None, "current_verification": None}
    )
    now_in_step = Claim.objects.filter(
        pk=claim.pk,
        current_verification=latest,
        current_verdict=values["current_verdict"],
        current_verdict_as_of=values["current_verdict_as_of"],
    )
    if now_in_step.exists():
        claim.refresh_from_db()
        return claim
    seen_before = selectors.seen_by_readers(claim)
    Claim.objects.filter(pk=claim.pk).update(
        updated_at=timezone.now(), version=F("version") + 1, **values
    )
    claim.refresh_from_db()
    verdict = claim.current_verdict_label
    record_history(claim, by=by, reason=f"current verdict: {verdict}")
    seen_after = selectors.seen_by_readers(claim)
    if seen_before or seen_after:
        # Its verdict alone: what is around it (places, appearances, links) is as it was.
        published_record_changed.send(
            sender=Claim, instance=claim, came_or_went=seen_before != seen_after, verdict=True
        )
    return claim


# --- explainers --------------------------------------------------------------------------


@transaction.atomic
def explainer_submit(*, explainer, by):
    """Send a draft (or unpublished) explainer to the editors for review."""
    require(by, "submit_explainer", "send explainers for review")
    if not explainer.body.strip():
        raise Invalid("The explainer has no body yet.")
    return _move(
        Explainer,
        explainer,
        from_states=[ES.DRAFT, ES.UNPUBLISHED],
        to_state=ES.IN_REVIEW,
        values={},
        action="explainer.submit",
        by=by,
    )


@transaction.atomic
def explainer_return(*, explainer, by, note):
    """Send an explainer in review back to draft, with a note."""
    require(by, "publish_explainer", "return explainers")
    note = required_text(note, "Say what needs to change: a returned explainer needs a note.")
    return _move(
        Explainer,
        explainer,
        from_states=[ES.IN_REVIEW],
        to_state=ES.DRAFT,
        values={},
        action="explainer.return",
        by=by,
        note=note,
    )


@transaction.atomic
def explainer_publish(*, explainer, by, at=None, change_note=""):
    """Publish an explainer now, or schedule it for `at`.

    The first publication needs the explainer to have been through review. Every publish after
    the first is an update: `change_note` says what changed and is shown to readers in the
    explainer's log. A published explainer can be republished (as an update) only now, never
    scheduled, so it does not vanish from readers until the scheduled time.
    """
    require(by, "publish_explainer", "publish explainers")
    now = timezone.now()
    change_note = (change_note or "").strip()
    # Lock the row so a concurrent publish waits, then sees that the state has moved on.
    locked = Explainer.objects.select_for_update().filter(pk=explainer.pk).first()
    if locked is None or locked.status != explainer.status:
        raise Conflict(
            "Someone else has just changed this explainer's status. Reload it and try again."
        )
    is_update = locked.first_published_at is not None
    if is_update and not change_note:
        raise Invalid("This explainer has been published before: say what changed in this update.")
    if at is not None and not dates.is_plausible(at, scheduled=True):
        raise Invalid(dates.out_of_range_message(scheduled=True))
    scheduled = at is not None and at > now
    if scheduled and explainer.status == ES.PUBLISHED:
        raise Conflict("This explainer is live; publish the update now instead of scheduling it.")
    if locked.status == ES.PUBLISHED:
        raise Conflict(
            "This explainer is live already. To change it, edit it: the change is kept as a "
            "revision until an editor who did not write it publishes it."
        )
    from_states = [ES.IN_REVIEW, ES.SCHEDULED]
    if is_update:
        from_states += [ES.UNPUBLISHED]
    # A scheduled explainer was approved when it was scheduled; anything else is approved now.
    waived = locked.status != ES.SCHEDULED and explainer_four_eyes_waived(locked, by)
    effective = at if scheduled else now
    values = {"publish_at": effective}
    if not scheduled:
        values["last_substantive_update"] = now
        if not is_update:
            values["first_published_at"] = now
    _move(
        Explainer,
        explainer,
        from_states=from_states,
        to_state=ES.SCHEDULED if scheduled else ES.PUBLISHED,
        values=values,
        action="explainer.schedule" if scheduled else "explainer.publish",
        by=by,
        note=change_note if not scheduled else f"for {effective.isoformat()} {change_note}".strip(),
    )
    if is_update:
        # The update note becomes public when the update does.
        _create_correction(
            explainer=explainer,
            kind=Correction.Kind.UPDATE,
            text=change_note,
            published_at=effective,
            created_by=by,
        )
    if waived:
        record_four_eyes_waived(explainer, by)
    return explainer


def explainer_four_eyes_waived(explainer, by, *, wrote_change=False):
    """Four eyes on publishing `explainer` (or a change to it, which `by` wrote if
    `wrote_change`): refuse `by` if they wrote or edited it. A one-editor desk may switch the
    rule off for explainers (DESK_FOUR_EYES=0): then returns True, and the caller records the
    waiver (`record_four_eyes_waived`); False when the rule did not apply."""
    if not (wrote_change or explainer.was_written_by(by)):
        return False
    if not settings.DESK_FOUR_EYES:
        return True
    what = "this change" if wrote_change else "this explainer"
    raise forbidden(
        by, f"Four eyes: you wrote {what}, so another editor must publish it.", "four eyes"
    )


def explainer_four_eyes_allows(explainer, user, *, wrote_change=False):
    """Whether the four-eyes rule lets `user` publish `explainer` (for offering the button)."""
    return not settings.DESK_FOUR_EYES or not (wrote_change or explainer.was_written_by(user))


def record_four_eyes_waived(explainer, by):
    record_event(
        actor=by,
        obj=explainer,
        action="four_eyes.waived",
        from_state="",
        to_state="",
        note="DESK_FOUR_EYES is off: published by someone who wrote or edited it.",
    )


@transaction.atomic
def explainer_unpublish(*, explainer, by, reason):
    """Take a published or scheduled explainer away from readers, with the reason."""
    require(by, "publish_explainer", "unpublish explainers")
    reason = required_text(reason, "Give the reason for unpublishing; it goes in the audit trail.")
    return _move(
        Explainer,
        explainer,
        from_states=[ES.PUBLISHED, ES.SCHEDULED],
        to_state=ES.UNPUBLISHED,
        values={},
        action="explainer.unpublish",
        by=by,
        note=reason,
    )


def explainers_due(now=None):
    """Scheduled explainers whose publish time has come."""
    now = now or timezone.now()
    return Explainer.objects.filter(status=ES.SCHEDULED, publish_at__lte=now).order_by(
        "publish_at", "id"
    )


def explainers_publish_due(*, now=None):
    """Mark every due scheduled explainer as published; returns those it published.

    Run by `manage.py publish_scheduled` (the scheduler, recorded with no actor). Readers'
    queries already treat them as published; this makes the state say so too. The publish
    time recorded is the scheduled time, not the time the scheduler ran.
    """
    published = []
    for explainer in explainers_due(now):
        with transaction.atomic():
            values = {"last_substantive_update": explainer.publish_at}
            if explainer.first_published_at is None:
                values["first_published_at"] = explainer.publish_at
            try:
                _move(
                    Explainer,
                    explainer,
                    from_states=[ES.SCHEDULED],
                    to_state=ES.PUBLISHED,
                    values=values,
                    action="explainer.publish",
                    by=None,
                    note="scheduled publication",
                    # Readers have seen it since its time came: the state only catches up.
                    seen_at=explainer.publish_at,
                    # The reader cache purges what a scheduled explainer touches when a
                    # request first finds it due (claims.web.cache.version); run before any
                    # has, this is the only news of it, so it comes, as a publish does.
                    came=True,
                )
            except DeskError:
                continue  # published or unpublished by someone else meanwhile
        published.append(explainer)
    return published


# --- corrections -------------------------------------------------------------------------


@transaction.atomic
def correction_issue(*, explainer, by, text, kind=Correction.Kind.CORRECTION):
    """Add a public, dated correction (or clarification) to a live explainer."""
    require(by, "add_correction", "issue corrections")
    text = required_text(text, "A correction needs its text.")
    if kind not in Correction.Kind.values:
        raise Invalid(f"Unknown kind of correction: {kind!r}.")
    locked = Explainer.objects.select_for_update().get(pk=explainer.pk)
    if not locked.is_live:
        raise Conflict("Corrections are for published explainers; edit the draft instead.")
    now = timezone.now()
    correction = _create_correction(
        explainer=locked, kind=kind, text=text, published_at=now, created_by=by
    )
    Explainer.objects.filter(pk=locked.pk).update(
        last_substantive_update=now, updated_at=now, version=F("version") + 1
    )
    explainer.refresh_from_db()
    published_record_changed.send(
        sender=Explainer, instance=explainer, came_or_went=False, renamed=False
    )
    record_history(explainer, by=by, reason=f"{kind} issued: {text}")
    record_event(
        actor=by,
        obj=explainer,
        action=f"correction.{kind}",
        from_state=locked.status,
        to_state=locked.status,
        note=text,
    )
    return correction


def _create_correction(**fields):
    """Save a new correction, its first history row by its issuer."""
    correction = Correction(**fields)
    save_with_history(correction, by=fields.get("created_by"), reason="issued")
    return correction
