"""Who may do what through the API.

Reading is open to everyone; *what* a user reads is decided by `sees_desk_material`: desk
staff with the model's view permission get everything, anyone else the reader querysets of
`claims.selectors`. Writes need the model's add/change/delete permission (the roles of
`claims.roles`). Workflow transitions need a logged-in user and leave the rest to
`claims.workflow`, which checks permission and state itself.
"""

from rest_framework import permissions


def sees_desk_material(user, model):
    """Does `user` see unpublished `model` objects (drafts, confidential names)?"""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
    )


class DeskModelPermissions(permissions.DjangoModelPermissionsOrAnonReadOnly):
    """Reads for everyone; create, update and delete under the model's Django permissions."""

    def _queryset(self, view):
        # DRF asks the view for its queryset only to learn the model; the viewsets' querysets
        # (visibility rules, prefetches) cost milliseconds to build, so give it an empty one.
        model = getattr(view, "model", None)
        return model._default_manager.none() if model is not None else super()._queryset(view)


class CanRequestTransition(permissions.IsAuthenticated):
    """A logged-in user; `claims.workflow` decides whether this user may make the change."""
