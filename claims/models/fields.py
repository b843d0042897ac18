"""Fields and constraints the desk's models share, made by one function each so that the
same field is declared the same way everywhere."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


def contributors_field(may_not):
    """Everyone who wrote or edited a record, none of whom may `may_not` it (four eyes); the
    services add whoever changes its content."""
    return models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        editable=False,
        related_name="+",
        help_text=f"Everyone who wrote or edited it: none of them may {may_not} it (four eyes).",
    )


def desk_user(*, on_delete=models.SET_NULL, **options):
    """Someone on the desk a record names for itself (who made, handled or decided it): may
    be empty, is set by the code rather than in a form, and gives the user no reverse accessor.
    `options` override any of these (`editable=True` for one a form may set)."""
    options = {"null": True, "blank": True, "editable": False, "related_name": "+", **options}
    return models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=on_delete, **options)


def optional_link(to, *, on_delete, related_name, **options):
    """A foreign key to `to` that may be empty, in forms and in the database."""
    return models.ForeignKey(
        to, on_delete=on_delete, null=True, blank=True, related_name=related_name, **options
    )


def valid_choice(field, choices, name, *, or_empty=False):
    """A database check that `field` holds one of `choices`' values (or "", with `or_empty`)."""
    condition = Q(**{f"{field}__in": choices.values})
    if or_empty:
        condition = Q(**{field: ""}) | condition
    return models.CheckConstraint(condition=condition, name=name)


def history():
    """The history of a model's rows: a copy of the row on every save, with who and why.

    The reason is free text (workflow notes can be long). Saves through the admin and the API
    record the request's user (simple-history's middleware); the workflow records its actor
    and the step (`claims.workflow`).
    """
    return HistoricalRecords(history_change_reason_field=models.TextField(null=True, blank=True))


def exactly_one_of(first, second, name):
    """A database check that exactly one of the two foreign keys `first` and `second` is set."""
    return models.CheckConstraint(
        condition=Q(**{f"{first}__isnull": False, f"{second}__isnull": True})
        | Q(**{f"{first}__isnull": True, f"{second}__isnull": False}),
        name=name,
    )
