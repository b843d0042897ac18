from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify

from .base import TimeStampedModel, VersionedModel
from .fields import history, valid_choice


class SourceKind(models.TextChoices):
    NEWS_OUTLET = "news_outlet", "News outlet"
    MINISTRY = "ministry", "Ministry or government body"
    MILITARY_UNIT = "military_unit", "Military unit"
    OFFICIAL = "official", "Official"
    OSINT_PROJECT = "osint_project", "Open-source mapping project"
    THINK_TANK = "think_tank", "Think tank"
    SOCIAL_CHANNEL = "social_channel", "Social-media channel"
    INDIVIDUAL = "individual", "Individual"
    OTHER = "other", "Other"


class SourceAffiliation(models.TextChoices):
    RUSSIAN_STATE = "russian_state", "Russian state"
    UKRAINIAN_STATE = "ukrainian_state", "Ukrainian state"
    INDEPENDENT = "independent", "Independent"
    OTHER = "other", "Other"


class Source(TimeStampedModel, VersionedModel):
    """Anyone who publishes or asserts: an outlet, a ministry, a unit, an official, a project."""

    Kind = SourceKind

    Affiliation = SourceAffiliation

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.OTHER)
    affiliation = models.CharField(
        max_length=32, choices=Affiliation.choices, default=Affiliation.OTHER
    )
    description = models.TextField(blank=True, help_text="Who this is, for the desk and readers.")
    home_url = models.URLField(max_length=500, blank=True)
    is_confidential = models.BooleanField(
        default=False,
        help_text="A confidential source is shown to readers only by its redacted description.",
    )
    redacted_description = models.CharField(
        max_length=200,
        blank=True,
        help_text='What readers see instead of the name, e.g. "a Ukrainian officer in the area".',
    )

    history = history()

    class Meta:
        ordering = ["name"]
        permissions = [("reveal_source", "Can make a confidential source public")]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_confidential=False) | ~Q(redacted_description=""),
                name="source_confidential_needs_redacted_description",
                violation_error_message="A confidential source needs the redacted description "
                "readers will see instead of its name.",
            ),
            valid_choice("kind", SourceKind, "source_kind_valid"),
            valid_choice("affiliation", SourceAffiliation, "source_affiliation_valid"),
        ]
        indexes = [
            models.Index(fields=["affiliation"], name="source_affiliation_idx"),
            models.Index(fields=["kind"], name="source_kind_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Source, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The source's reader page, or None: a confidential source has none."""
        if self.is_confidential:
            return None
        return reverse("site:source", kwargs={"slug": self.slug})

    @property
    def public_name(self):
        """The name readers see: the redacted description for a confidential source."""
        return self.redacted_description if self.is_confidential else self.name


class SourceAlias(models.Model):
    """Another name a source goes by ("MoD", "Russian Defence Ministry")."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200, db_index=True)

    class Meta:
        verbose_name_plural = "source aliases"
        constraints = [
            models.UniqueConstraint(fields=["source", "name"], name="source_alias_unique"),
        ]

    def __str__(self):
        return self.name


def cut_slug(text, max_length):
    """The slug of `text`, at most `max_length` characters, cut at a word, never mid-word."""
    slug = slugify(text)
    if len(slug) > max_length:
        head = slug[: max_length + 1]
        slug = head.rsplit("-", 1)[0] if "-" in head else slug[:max_length]
    return slug.strip("-") or "item"


def unique_slug(model, text, max_length=200, *, exclude_pk=None):
    """A slug for `text` that no row of `model` (but the one `exclude_pk` names) uses yet
    ("toretsk", "toretsk-2", ...), cut at a word."""
    base = cut_slug(text, max_length - 8)
    others = model.objects.exclude(pk=exclude_pk) if exclude_pk is not None else model.objects
    slug, n = base, 2
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
