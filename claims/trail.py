"""Who may act, and what every write leaves behind: the permission check, the audit event and
the history row. The workflow (claims.workflow) and the services (claims.services) both use
these, so a refusal, an audit line and a history reason read the same wherever they come from.
"""

from contextlib import contextmanager

from claims import security
from claims.errors import Forbidden, Invalid
from claims.models import AuditEvent


def require(user, codename, doing):
    """FORBIDDEN unless `user` is active and has the permission `claims.<codename>`."""
    if user is None or not user.is_active or not user.has_perm(f"claims.{codename}"):
        raise forbidden(user, f"You are not allowed to {doing}.", f"needs claims.{codename}")


def forbidden(user, message, reason):
    """A `Forbidden` refusal, logged to `claims.security` first."""
    security.log_forbidden_step(user, message=message, reason=reason)
    return Forbidden(message)


def required_text(value, message):
    """`value` stripped of surrounding space; INVALID with `message` when nothing is left."""
    value = (value or "").strip()
    if not value:
        raise Invalid(message)
    return value


def record_event(*, actor, obj, action, from_state, to_state, note=""):
    """An audit event: who did what to `obj`, from which state to which, and why; the people
    it concerns are told by e-mail once the step commits (claims.notifications)."""
    from claims import notifications

    event = AuditEvent.objects.create(
        actor=actor,
        action=action,
        subject=obj,
        object_repr=str(obj)[:300],
        from_state=from_state,
        to_state=to_state,
        note=note,
    )
    notifications.event_notify(event)
    return event


@contextmanager
def _attributed(obj, *, by, reason):
    """While inside, history rows written for `obj` name `by` and `reason`."""
    obj._history_user = by
    obj._change_reason = (reason or "")[:2000] or None
    try:
        yield
    finally:
        del obj._history_user, obj._change_reason


def record_history(obj, *, by, reason):
    """A history row of `obj` as it now is, by `by` (None: the scheduler), with `reason`.

    For writes made with conditional UPDATEs, which send no save signals.
    """
    with _attributed(obj, by=by, reason=reason):
        type(obj).history.bulk_history_create([obj], update=True)


def save_with_history(obj, *, by, reason):
    """`obj.save()`, its history row (if the model keeps history) by `by` with `reason`."""
    with _attributed(obj, by=by, reason=reason):
        obj.save()


def delete_with_history(obj, *, by, reason):
    """`obj.delete()`, its history row (if the model keeps history) by `by` with `reason`."""
    with _attributed(obj, by=by, reason=reason):
        obj.delete()
