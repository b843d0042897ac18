"""`record_save` and `record_delete`: the one way a record edited in the desk, through the
API, by the import or by the demo loader is saved or deleted."""

from django.db import transaction

from claims.trail import delete_with_history, require, save_with_history


def record_save(*, obj, by, reason="", default_reason="", relations_changed=False, changed=()):
    """Save `obj` (new, or with its edits applied to it) as made by `by`.

    `reason` is what the person said about the change (it may be empty); the history row gets
    it, or `default_reason` ("edited in the desk"). `relations_changed` says that its
    many-to-many fields (a verification's evidence, a claim's places) change with this save,
    which the caller sets after it; `changed` names the fields an edit changed, for kinds
    whose rules depend on it. Kinds with rules of their own (sources, verifications, readers'
    submissions) go through their own function; any other kind needs the add or change
    permission.
    """
    from .live import claim_save, explainer_save, row_save
    from .sources import source_save
    from .submissions import submission_handle
    from .verifications import verification_save

    details = {"by": by, "reason": reason, "default_reason": default_reason}
    with transaction.atomic():
        match obj._meta.label_lower:
            case "claims.source":
                return source_save(source=obj, **details)
            case "claims.verification":
                return verification_save(
                    verification=obj, relations_changed=relations_changed, **details
                )
            case "claims.claim":
                return claim_save(claim=obj, **details)
            case "claims.explainer":
                return explainer_save(explainer=obj, relations_changed=relations_changed, **details)
            case "claims.appearance" | "claims.claimlink" | "claims.explainerclaim":
                return row_save(row=obj, **details)
            case "claims.claimsubmission":
                return submission_handle(submission=obj, changed=changed, **details)
            case _:
                return plain_save(obj, **details)


def plain_save(obj, *, by, reason="", default_reason=""):
    """Save `obj` for `by`, who needs the model's add or change permission."""
    meta = obj._meta
    adding = obj._state.adding
    verb = "add" if adding else "change"
    require(by, f"{verb}_{meta.model_name}", f"{verb} {meta.verbose_name_plural}")
    save_with_history(obj, by=by, reason=reason or default_reason)
    return obj


@transaction.atomic
def record_delete(*, obj, by, reason=""):
    """Delete `obj` for `by`, who needs the model's delete permission.

    A row of a live claim or explainer is refused (its rows change through a revision); the
    model's own rules (a published verification, evidence it cites, a published explainer,
    the audit trail and corrections are never deleted) raise from its `delete`. The history
    row of the deletion names `by` and `reason`.
    """
    from .live import refuse_if_live, row_parent

    meta = obj._meta
    require(by, f"delete_{meta.model_name}", f"delete {meta.verbose_name_plural}")
    refuse_if_live(row_parent(obj))
    delete_with_history(obj, by=by, reason=reason)
