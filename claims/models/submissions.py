from django.db import models
from django.db.models import Q

from .base import TimeStampedModel
from .fields import desk_user, optional_link, valid_choice

SUBMISSION_TEXT_MIN = 10
SUBMISSION_TEXT_MAX = 2000


class ClaimSubmissionStatus(models.TextChoices):
    NEW = "new", "New"
    ACCEPTED = "accepted", "Turned into a claim"
    DECLINED = "declined", "Declined"


class ClaimSubmission(TimeStampedModel):
    """A claim a reader asked the desk to check, sent through the site's form.

    It lands in the desk's queue and is never shown to readers: what they see is the claim
    the desk may make of it. The sender's network address is kept only as a salted hash, to
    spot floods, never in the clear.
    """

    Status = ClaimSubmissionStatus

    text = models.TextField(
        max_length=SUBMISSION_TEXT_MAX, help_text="The claim, in the reader's words."
    )
    link = models.URLField(max_length=1000, blank=True, help_text="Where the reader saw it.")
    contact = models.CharField(
        max_length=200, blank=True, help_text="Optional: how to reach the reader."
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    claim = optional_link(
        "claims.Claim",
        on_delete=models.SET_NULL,
        related_name="submissions",
        help_text="The claim the desk recorded from this submission, if any.",
    )
    client_hash = models.CharField(max_length=64, blank=True, editable=False)
    handled_by = desk_user()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            valid_choice("status", ClaimSubmissionStatus, "claim_submission_status_valid"),
            models.CheckConstraint(
                condition=Q(text__length__gte=SUBMISSION_TEXT_MIN)
                & Q(text__length__lte=SUBMISSION_TEXT_MAX),
                name="claim_submission_text_length",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="claim_submission_queue_idx"),
        ]

    def __str__(self):
        return self.text[:80]
