from django.conf import settings
from django.db import models
from django.db.models import Q

from .base import TimeStampedModel
from .fields import desk_user, exactly_one_of, optional_link, valid_choice


class RevisionStatus(models.TextChoices):
    PENDING = "pending", "Pending review"
    PUBLISHED = "published", "Published"
    DISCARDED = "discarded", "Discarded"


class RevisionKind(models.TextChoices):
    UPDATE = "update", "Update"
    CORRECTION = "correction", "Correction"
    MINOR = "minor", "Minor edit (typo, link): no public note"


class Revision(TimeStampedModel):
    """A proposed change to what readers see of a live claim or explainer.

    Once a claim has a published verdict or is cited by a live explainer, and once an
    explainer is live, an edit does not change it: it is kept here, as the whole `proposed`
    content (the claim's or explainer's fields, places and rows; claims.services.revisions
    says which), until an editor who is not one of its `authors` publishes it, with a note
    that readers see as a dated update or correction, or discards it. One revision of an
    object is pending at a time; further edits amend it.
    """

    Status = RevisionStatus
    Kind = RevisionKind

    claim = optional_link("claims.Claim", on_delete=models.CASCADE, related_name="revisions")
    explainer = optional_link(
        "claims.Explainer", on_delete=models.CASCADE, related_name="revisions"
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, editable=False
    )
    base = models.JSONField(
        editable=False, help_text="What readers saw when the revision was started."
    )
    proposed = models.JSONField(editable=False, help_text="What readers will see once published.")
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="+",
        editable=False,
        help_text="Everyone who made or amended it: none of them may publish it.",
    )
    created_by = desk_user()
    kind = models.CharField(max_length=16, choices=Kind.choices, blank=True, editable=False)
    note = models.TextField(
        blank=True, editable=False, help_text="What changed, for readers (or why discarded)."
    )
    decided_by = desk_user(on_delete=models.PROTECT)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("publish_revision", "Can publish or discard a revision of live material"),
        ]
        constraints = [
            exactly_one_of("claim", "explainer", "revision_of_one_object"),
            valid_choice("status", RevisionStatus, "revision_status_valid"),
            valid_choice("kind", RevisionKind, "revision_kind_valid", or_empty=True),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="revision_decided_has_time",
            ),
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(status="pending", claim__isnull=False),
                name="revision_one_pending_per_claim",
            ),
            models.UniqueConstraint(
                fields=["explainer"],
                condition=Q(status="pending", explainer__isnull=False),
                name="revision_one_pending_per_explainer",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="revision_queue_idx")]

    def __str__(self):
        return f"Revision of {self.subject} ({self.get_status_display().lower()})"

    @property
    def subject(self):
        """The claim or explainer this revises."""
        return self.claim if self.claim_id else self.explainer

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING
