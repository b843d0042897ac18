"""Assignments, internal notes and e-mail preferences: the desk's work between people.

An assignment asks one person to take on a claim or a verification, perhaps by a date; a note
is a message in the internal thread of a claim, verification or explainer, and may mention
people as @username. Both are audited or kept, and tell the people concerned by e-mail
(claims.notifications). Readers and anonymous API consumers never see any of it.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from claims import notifications
from claims.errors import Invalid
from claims.models import Claim, Explainer, MutedNotification, Note, Verification
from claims.trail import forbidden, record_event, record_history, require, required_text

NOTE_SUBJECTS = (Claim, Verification, Explainer)
NOTE_LENGTH = 5000


def _verb(obj):
    return obj._meta.model_name


@transaction.atomic
def assignment_set(*, obj, by, assignee, due_on=None, note=""):
    """Assign `obj` (a claim or verification) to `assignee`, or clear it (None).

    Editors assign anyone on the desk; anyone else who may change such records may take one
    on themselves or give back their own. The assignee must be an active desk member who may
    change it. A due date is for an assignment, and not in the past.
    """
    if not isinstance(obj, Claim | Verification):
        raise Invalid("Only claims and verifications are assigned.")
    kind = _verb(obj)
    require(by, f"change_{kind}", f"change {obj._meta.verbose_name_plural}")
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    editor = by.has_perm("claims.publish_verification")
    if assignee is not None:
        if not (
            assignee.is_active and assignee.is_staff and assignee.has_perm(f"claims.change_{kind}")
        ):
            raise Invalid(
                f"{assignee} cannot be assigned this {obj._meta.verbose_name}: they are not "
                "an active member of the desk who may work on it."
            )
        if assignee.pk != by.pk and not editor:
            raise forbidden(
                by,
                "Only an editor assigns work to someone else; you may take it on yourself.",
                "assigning another person",
            )
    elif locked.assigned_to_id not in (None, by.pk) and not editor:
        raise forbidden(
            by, "Only an editor takes an assignment away from someone.", "unassigning another"
        )
    if due_on is not None:
        if assignee is None:
            raise Invalid("A due date needs someone to do the work.")
        if due_on < timezone.localdate():
            raise Invalid("The due date is in the past.")
    if locked.assigned_to_id == getattr(assignee, "pk", None) and locked.due_on == due_on:
        return locked
    locked.assigned_to = assignee
    locked.assigned_at = timezone.now() if assignee is not None else None
    locked.due_on = due_on
    type(obj).objects.filter(pk=obj.pk).update(
        assigned_to=assignee, assigned_at=locked.assigned_at, due_on=due_on
    )
    to = f"to {assignee}" if assignee is not None else "cleared"
    due = f", due {due_on:%d %b %Y}" if due_on else ""
    record_history(locked, by=by, reason=f"assigned {to}{due}")
    record_event(
        actor=by,
        obj=locked,
        action=f"{kind}.assign",
        from_state="",
        to_state="",
        note=(note or "").strip()[:2000] or f"Assigned {to}{due}.",
    )
    obj.assigned_to, obj.assigned_at, obj.due_on = assignee, locked.assigned_at, due_on
    return locked


def assignment_is_finished(obj):
    """Whether the work an assignment asked for is done: the verification published, or the
    claim given a verdict since it was assigned."""
    if isinstance(obj, Verification):
        return obj.status == Verification.Status.PUBLISHED
    as_of = obj.current_verdict_as_of
    return bool(as_of and obj.assigned_at and as_of >= obj.assigned_at)


@transaction.atomic
def note_add(*, subject, by, text):
    """Add `by`'s note to `subject`'s internal thread; the people it mentions are told."""
    if not isinstance(subject, NOTE_SUBJECTS):
        raise Invalid("Notes are kept on claims, verifications and explainers.")
    require(by, f"view_{_verb(subject)}", f"see {subject._meta.verbose_name_plural}")
    text = required_text(text, "A note needs some text.")
    if len(text) > NOTE_LENGTH:
        raise Invalid(f"A note is at most {NOTE_LENGTH:,} characters; this one has {len(text):,}.")
    note = Note.objects.create(subject=subject, author=by, text=text)
    mentioned = [
        user
        for user in notifications.mentioned_users(text)
        if user.has_perm(f"claims.view_{_verb(subject)}")
    ]
    note.mentions.set(mentioned)
    notifications.mention_notify(note)
    return note


def notes_of(subject):
    """`subject`'s internal thread, oldest first."""
    return Note.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    ).select_related("author")


@transaction.atomic
def notifications_mute(*, user, muted):
    """Make `muted` (kinds of claims.notifications.KINDS) the e-mails `user` has turned off."""
    unknown = set(muted) - set(notifications.KINDS)
    if unknown:
        raise Invalid(f"Unknown kinds of e-mail: {', '.join(sorted(unknown))}.")
    user.muted_notifications.exclude(kind__in=muted).delete()
    have = set(user.muted_notifications.values_list("kind", flat=True))
    MutedNotification.objects.bulk_create(
        MutedNotification(user=user, kind=kind) for kind in set(muted) - have
    )


def desk_members():
    """Who can be assigned work: active staff, by name."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .order_by("first_name", "last_name", "username")
    )


def assigned(queryset, value, *, user):
    """Those of `queryset` (claims or verifications) `value` asks for: "me" (`user`'s),
    "overdue", "none", or a user id; None for any other value. The admin's filter and the
    API's `?assigned_to=` both ask this."""
    if value == "me":
        return queryset.filter(assigned_to=user)
    if value == "overdue":
        return overdue(queryset)
    if value == "none":
        return queryset.filter(assigned_to__isnull=True)
    # A user's key: ASCII digits ("²" is a digit to str.isdigit, not to int), within the
    # database's integers (past them, the query itself fails).
    if value.isascii() and value.isdigit() and int(value) < 2**63:
        return queryset.filter(assigned_to_id=int(value))
    return None


def unfinished(queryset):
    """Those of `queryset` (claims or verifications) assigned to someone and not yet done
    (the complement of `assignment_is_finished`)."""
    assigned = queryset.filter(assigned_to__isnull=False)
    if queryset.model is Verification:
        return assigned.exclude(status=Verification.Status.PUBLISHED)
    return assigned.exclude(current_verdict_as_of__gte=F("assigned_at"))


def overdue(queryset, today=None):
    """Those of `queryset` whose due date has passed with the work not done."""
    return unfinished(queryset).filter(due_on__lt=today or timezone.localdate())
