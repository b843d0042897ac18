import hashlib

from django.db import models
from django.db.models import Q
from django.utils import timezone

from claims.dates import PlausibleDate

from .base import TimeStampedModel, VersionedModel
from .fields import desk_user, history, optional_link


class Article(TimeStampedModel, VersionedModel):
    """A published piece in which claims appear: wire copy, another outlet's report, our own."""

    headline = models.CharField(max_length=500)
    outlet = optional_link("claims.Source", on_delete=models.PROTECT, related_name="articles")
    url = models.URLField(max_length=1000, blank=True, help_text="Unique when present.")
    byline = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, validators=[PlausibleDate()])
    language = models.CharField(max_length=16, default="en", help_text="ISO 639-1 code.")
    body = models.TextField()
    raw_text = models.TextField(blank=True, help_text="The text exactly as it was brought in.")
    content_hash = models.CharField(
        max_length=64, blank=True, editable=False, help_text="SHA-256 of the body."
    )
    imported_at = models.DateTimeField(default=timezone.now)
    imported_from = models.CharField(
        max_length=1000, blank=True, help_text="File, URL or 'pasted' — where it came from."
    )
    imported_by = desk_user(editable=True)

    history = history()

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="article_url_unique_when_present",
                violation_error_message="An article with this URL is already on file.",
            ),
            models.UniqueConstraint(
                fields=["content_hash"],
                condition=~Q(content_hash=""),
                name="article_content_unique",
                violation_error_message="An article with exactly this text is already on file.",
            ),
        ]
        indexes = [
            models.Index(fields=["published_at"], name="article_published_idx"),
            models.Index(fields=["outlet", "published_at"], name="article_outlet_published_idx"),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.content_hash = self.hash_of(self.body)
        super().save(*args, **kwargs)

    @staticmethod
    def hash_of(body):
        """The content hash an article with this body gets: two copies of one text share it."""
        return hashlib.sha256(body.encode("utf-8")).hexdigest()


class CandidateSpotting(models.Model):
    """When an article's candidate claims were spotted, and in which text.

    The candidates are stored when the article is brought in (or spotted again), so that its
    page shows them without running the spotter. They belong to the text whose content hash
    is `body_hash`: once the article's text changes they are out of date until spotted again.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="spotting"
    )
    body_hash = models.CharField(
        max_length=64, editable=False, help_text="SHA-256 of the body spotted."
    )
    read_chars = models.PositiveIntegerField(
        editable=False,
        help_text="How many characters of the body the spotter read (SPOT_MAX_CHARS).",
    )
    spotted_at = models.DateTimeField(default=timezone.now, editable=False)
    spotted_by = desk_user(
        help_text="Who asked to spot them again; empty when the import or a save did.",
    )

    def __str__(self):
        return f"claims spotted in “{self.article}”"

    def is_current(self, article):
        """The candidates were spotted in the article's text as it is now."""
        return self.body_hash == article.content_hash


class CandidateClaim(models.Model):
    """A passage of an article the claim spotter picked: a sentence (or a quotation over two)
    in which someone asserts something, with the claimant as written, the Source and Places
    it matched when spotted, and whether the text says it could not be verified. Written by
    the spotter only (`claims.ingest.candidates`), never in a form."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="candidates")
    start = models.PositiveIntegerField(
        editable=False, help_text="Offset of the passage in the body."
    )
    end = models.PositiveIntegerField(editable=False)
    sentence = models.TextField(editable=False)
    claimant = models.CharField(
        max_length=300, blank=True, editable=False, help_text="As written in the text."
    )
    verb = models.CharField(max_length=100, blank=True, editable=False)
    source = optional_link(
        "claims.Source", on_delete=models.SET_NULL, related_name="+", editable=False
    )
    places = models.ManyToManyField("claims.Place", blank=True, editable=False, related_name="+")
    unverified = models.BooleanField(
        default=False, editable=False, help_text="The text says this could not be verified."
    )
    quote = models.TextField(
        blank=True, editable=False, help_text="The quotation in the passage, if any."
    )
    claimant_role = models.CharField(
        max_length=300,
        blank=True,
        editable=False,
        help_text='Who the text says the claimant is ("head of the IAEA").',
    )
    worthiness = models.PositiveSmallIntegerField(
        default=0,
        editable=False,
        help_text="How check-worthy the spotter thinks it is, 0 to 100 (claims.ingest.worthiness).",
    )
    worthiness_note = models.CharField(max_length=200, blank=True, editable=False)

    class Status(models.TextChoices):
        OPEN = "open", "to review"
        CREATED = "created", "made a claim"
        LINKED = "linked", "linked to a claim"
        DISMISSED = "dismissed", "dismissed"

    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.OPEN, editable=False
    )
    claim = optional_link(
        "claims.Claim",
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text="The claim made of it, or linked to it.",
    )
    dismissed_reason = models.TextField(blank=True, editable=False)
    reviewed_by = desk_user()
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["article", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "start", "end"], name="candidate_claim_unique_passage"
            ),
            models.CheckConstraint(
                condition=Q(start__lt=models.F("end")), name="candidate_claim_start_before_end"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "created", "linked", "dismissed"]),
                name="candidate_claim_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="dismissed") | ~Q(dismissed_reason=""),
                name="candidate_claim_dismissal_has_reason",
            ),
        ]

    def __str__(self):
        return self.sentence[:80]
