"""Sources: who may name a confidential source to readers."""

from django.db import transaction

from claims.models import Source
from claims.trail import forbidden, record_event, required_text

from .records import plain_save


@transaction.atomic
def source_save(*, source, by, reason="", default_reason=""):
    """Save `source` (new, or edited) for `by`.

    Making a confidential source public names it to readers on every claim it made, so only
    someone with `claims.reveal_source` (an editor) may, and must say why: the reason goes in
    the audit trail and the history. Anyone who may edit sources may make one confidential.
    """
    stored = (
        Source.objects.select_for_update().filter(pk=source.pk).values("is_confidential").first()
        if source.pk
        else None
    )
    revealing = stored is not None and stored["is_confidential"] and not source.is_confidential
    concealing = stored is not None and not stored["is_confidential"] and source.is_confidential
    if revealing:
        if by is None or not by.has_perm("claims.reveal_source"):
            raise forbidden(
                by,
                "Only an editor can make a confidential source public.",
                "needs claims.reveal_source",
            )
        reason = required_text(
            reason,
            "Say why this source may now be named: making a confidential source public needs "
            "a reason, which goes in the audit trail.",
        )
    plain_save(source, by=by, reason=reason, default_reason=default_reason)
    if revealing or concealing:
        record_event(
            actor=by,
            obj=source,
            action="source.reveal" if revealing else "source.conceal",
            from_state="confidential" if revealing else "public",
            to_state="public" if revealing else "confidential",
            note=reason,
        )
    return source
