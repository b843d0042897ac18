"""Verifications: edits of a draft, and who counts as having written it."""

from django.db import transaction

from claims.errors import Conflict
from claims.models import Verification
from claims.trail import forbidden, save_with_history
from claims.workflow import can_edit_verification, verification_start

# What an edit can change: every field a person writes (the workflow sets the rest).
CONTENT_FIELDS = tuple(
    field.attname
    for field in Verification._meta.concrete_fields
    if field.editable and field.name not in ("id", "version")
)


@transaction.atomic
def verification_save(*, verification, by, reason="", default_reason="", relations_changed=False):
    """Save a new `verification` (a draft by `by`, through the workflow), or the edits made to
    an existing draft or returned one by `by`.

    Whoever changes its content (a field, or the evidence it cites: `relations_changed`)
    becomes one of its contributors, and so may not review it (claims.workflow, four eyes).
    """
    if verification.pk is None:
        return verification_start(verification=verification, by=by)
    stored = Verification.objects.select_for_update().filter(pk=verification.pk).first()
    if stored is None:
        raise Conflict("This verification no longer exists.")
    if by is None or not can_edit_verification(by, stored):
        raise forbidden(
            by,
            "Only drafts and returned verifications can be edited, by those who may edit "
            "verifications.",
            "verification not editable",
        )
    changed = relations_changed or any(
        getattr(verification, name) != getattr(stored, name) for name in CONTENT_FIELDS
    )
    save_with_history(verification, by=by, reason=reason or default_reason)
    if changed:
        verification.contributors.add(by)
    return verification
