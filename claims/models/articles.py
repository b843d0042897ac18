import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from claims.dates import PlausibleDate

from .base import TimeStampedModel, VersionedModel, history


class Article(TimeStampedModel, VersionedModel):
    """A published piece in which claims appear: wire copy, another outlet's report, our own."""

    headline = models.CharField(max_length=500)
    outlet = models.ForeignKey(
        "claims.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
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
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

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
