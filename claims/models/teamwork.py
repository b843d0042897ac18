"""What happens between people on the desk: assignments, internal notes, and who wants which
e-mails. None of it is ever shown to readers or anonymous API consumers."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .fields import desk_user


class Assignable(models.Model):
    """A claim or verification someone on the desk is asked to take on, perhaps by a date.

    Set only through `claims.services.teamwork.assignment_set` (audited, notified).
    """

    assigned_to = desk_user()
    assigned_at = models.DateTimeField(null=True, blank=True, editable=False)
    due_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class Note(models.Model):
    """An internal note on a claim, verification or explainer: one message of its thread."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="desk_notes"
    )
    text = models.TextField()
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in_notes"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="note_subject_idx")]

    def __str__(self):
        return f"{self.author} on {self.created_at:%Y-%m-%d %H:%M}"


class MutedNotification(models.Model):
    """A kind of e-mail (claims.notifications.KINDS) a person has turned off."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="muted_notifications"
    )
    kind = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="muted_notification_unique")
        ]

    def __str__(self):
        return f"{self.user}: {self.kind} off"
