from django.db import models
from django.db.models import Q

from claims.errors import Conflict


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


class CoordinatesModel(models.Model):
    """Optional WGS84 coordinates; both or neither, within range (enforced in the database)."""

    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        abstract = True

    @classmethod
    def coordinate_constraints(cls, prefix):
        return [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name=f"{prefix}_coordinates_both_or_neither",
                violation_error_message="Give both latitude and longitude, or neither.",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name=f"{prefix}_latitude_in_range",
                violation_error_message="Latitude must be between -90 and 90.",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name=f"{prefix}_longitude_in_range",
                violation_error_message="Longitude must be between -180 and 180.",
            ),
        ]

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None


class StaleVersion(Conflict):
    """A save based on a version of the row that is no longer the current one: a Conflict,
    which a command reports as "try again" (EX_TEMPFAIL) and the API, under If-Match, as 412.

    Raised from inside `save()`, so like any error there it spoils the surrounding
    transaction: callers that go on after it save inside their own `transaction.atomic()`.
    """

    exit_code = 75

    def __init__(self, obj, seen, current):
        name = obj._meta.verbose_name
        super().__init__(
            f"Someone else saved this {name} since you opened it (you had version {seen}, it "
            f"is now version {current}); nothing was saved. Reload it and reapply your change."
        )
        self.seen = seen
        self.current = current


class VersionedModel(models.Model):
    """Optimistic locking: `version` goes up by one with every saved change, and a save only
    lands on the version it was based on.

    An update is `UPDATE … SET version = n + 1 … WHERE id = … AND version = n`, where n is
    the instance's `version`: the version loaded, or the one the editor saw, which the admin
    and the API put there before saving. When no row matches, the save raises `StaleVersion`
    and changes nothing, so a concurrent change is never silently overwritten. The workflow's
    own conditional UPDATEs bump the version too (`claims.workflow`).
    """

    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up by one with every saved change; a save based on an older "
        "version is refused.",
    )

    class Meta:
        abstract = True

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        seen = self.version
        version_field = self._meta.get_field("version")
        values = [(f, m, v) for f, m, v in values if f is not version_field]
        values.append((version_field, None, seen + 1))
        updated = super()._do_update(
            base_qs.filter(version=seen), using, pk_val, values, update_fields, forced_update
        )
        if updated:
            self.version = seen + 1
            return updated
        current = base_qs.filter(pk=pk_val).values_list("version", flat=True).first()
        if current is not None:
            raise StaleVersion(self, seen, current)
        return updated
