from django.db import models
from django.db.models import Q
from django.urls import reverse

from .base import CoordinatesModel, TimeStampedModel, VersionedModel
from .fields import history
from .sources import unique_slug


class PlaceQuerySet(models.QuerySet):
    def matching_name(self, name):
        """Places called `name` (any case), by their main name or any alternative name."""
        name = name.strip()
        return self.filter(
            Q(name__iexact=name) | Q(alternative_names__name__iexact=name)
        ).distinct()


class Place(TimeStampedModel, CoordinatesModel, VersionedModel):
    """A town, village or region the claims are about."""

    class Kind(models.TextChoices):
        CITY = "city", "City"
        TOWN = "town", "Town"
        VILLAGE = "village", "Village"
        REGION = "region", "Region"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, db_index=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.TOWN)
    region = models.CharField(max_length=200, blank=True, help_text='e.g. "Donetsk region".')
    population_prewar = models.PositiveIntegerField(
        null=True, blank=True, help_text="Residents before the full-scale invasion, if known."
    )
    description = models.TextField(blank=True)

    objects = PlaceQuerySet.as_manager()
    history = history()

    class Meta:
        ordering = ["name"]
        constraints = CoordinatesModel.coordinate_constraints("place")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Place, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("site:place", kwargs={"slug": self.slug})


class PlaceName(models.Model):
    """Another name of a place: Dzerzhynsk for Toretsk, Artyomovsk for Bakhmut."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="alternative_names")
    name = models.CharField(max_length=200, db_index=True)
    language = models.CharField(max_length=16, blank=True, help_text="ISO 639-1 code, if any.")
    note = models.CharField(
        max_length=200, blank=True, help_text='e.g. "Soviet-era name", "Russian usage".'
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["place", "name"], name="place_name_unique"),
        ]

    def __str__(self):
        return self.name
