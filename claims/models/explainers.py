from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from claims.errors import Conflict

from .base import TimeStampedModel, VersionedModel
from .fields import (
    contributors_field,
    desk_user,
    exactly_one_of,
    history,
    optional_link,
    valid_choice,
)


class ExplainerStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


class Explainer(TimeStampedModel, VersionedModel):
    """A piece for readers ("Why Toretsk matters") that puts claims and verdicts in context.

    Draft → in review → published, immediately or scheduled for `publish_at` → unpublished.
    Only `claims.workflow` changes the status. A scheduled explainer whose time has come is
    already published as far as readers are concerned (see `claims.selectors`), so a late
    `publish_scheduled` run never delays it.
    """

    Status = ExplainerStatus

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    standfirst = models.TextField(max_length=600, help_text="One or two sentences under the title.")
    body = models.TextField(help_text="Markdown.")
    places = models.ManyToManyField("claims.Place", blank=True, related_name="explainers")
    claims = models.ManyToManyField(
        "claims.Claim", through="ExplainerClaim", blank=True, related_name="explainers"
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="explainers"
    )
    contributors = contributors_field("publish")
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    publish_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the current publication takes (or took) effect.",
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_substantive_update = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = desk_user()

    history = history()

    class Meta:
        ordering = ["-publish_at", "-id"]
        permissions = [
            ("submit_explainer", "Can send an explainer for review"),
            ("publish_explainer", "Can publish, schedule or unpublish an explainer"),
        ]
        constraints = [
            valid_choice("status", ExplainerStatus, "explainer_status_valid"),
            models.CheckConstraint(
                condition=~Q(status__in=["scheduled", "published"]) | Q(publish_at__isnull=False),
                name="explainer_published_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(first_published_at__isnull=False),
                name="explainer_published_has_first_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "publish_at"], name="explainer_status_idx"),
            models.Index(fields=["last_substantive_update"], name="explainer_updated_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        """The explainer's reader page (which answers only once it is live)."""
        return reverse("site:explainer", kwargs={"slug": self.slug})

    @property
    def is_live(self):
        """Visible to readers now: published, or scheduled and due."""
        if self.status == self.Status.PUBLISHED:
            return True
        return (
            self.status == self.Status.SCHEDULED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    def was_written_by(self, user):
        """Whether `user` is one of its authors or edited it (and so may not publish it)."""
        if user is None or user.pk is None:
            return False
        return (
            self.authors.filter(pk=user.pk).exists()
            or self.contributors.filter(pk=user.pk).exists()
        )

    def delete(self, *args, **kwargs):
        if self.first_published_at or self.status in (self.Status.SCHEDULED, self.Status.PUBLISHED):
            raise Conflict(
                "An explainer that has been published or scheduled cannot be deleted; "
                "unpublish it instead."
            )
        return super().delete(*args, **kwargs)


class ExplainerClaim(models.Model):
    """A claim in an explainer, in the editor's order, with the editor's context note."""

    explainer = models.ForeignKey(
        Explainer, on_delete=models.CASCADE, related_name="explainer_claims"
    )
    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.PROTECT, related_name="explainer_entries"
    )
    position = models.PositiveIntegerField(default=0)
    context_note = models.TextField(blank=True, help_text="Why this claim matters here (Markdown).")

    class Meta:
        ordering = ["explainer", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["explainer", "claim"], name="explainer_claim_unique"),
        ]

    def __str__(self):
        return f"{self.position}. {self.claim}"


class CorrectionKind(models.TextChoices):
    CORRECTION = "correction", "Correction"
    CLARIFICATION = "clarification", "Clarification"
    UPDATE = "update", "Update"


class Correction(models.Model):
    """A dated, public note on a published explainer or claim: a correction, a clarification
    or an update. A published revision (claims.models.Revision) leaves one, unless it was a
    minor edit.

    Corrections are never edited away or deleted; a correction of a correction is a new one.
    """

    Kind = CorrectionKind

    explainer = optional_link(Explainer, on_delete=models.PROTECT, related_name="corrections")
    claim = optional_link("claims.Claim", on_delete=models.PROTECT, related_name="corrections")
    revision = models.OneToOneField(
        "claims.Revision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="public_note",
        help_text="The published revision this note announces, if any.",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(help_text="What was wrong or what changed, for readers.")
    published_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = desk_user(on_delete=models.PROTECT)

    history = history()

    class Meta:
        ordering = ["published_at", "id"]
        constraints = [
            exactly_one_of("explainer", "claim", "correction_of_one_object"),
            valid_choice("kind", CorrectionKind, "correction_kind_valid"),
            models.CheckConstraint(condition=~Q(text=""), name="correction_text_not_empty"),
        ]
        indexes = [models.Index(fields=["published_at"], name="correction_published_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.subject} ({self.published_at:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        if self.pk and Correction.objects.filter(pk=self.pk).exists():
            raise Conflict("A correction is public record and cannot be edited; issue a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Conflict("Corrections are never removed.")

    @property
    def subject(self):
        """The explainer or claim this note is on."""
        return self.explainer if self.explainer_id else self.claim
