import hashlib
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import get_script_prefix

from claims.dates import PlausibleDate
from claims.errors import Conflict
from claims.files import (
    ARCHIVE_FOLDER,
    OPAQUE,
    SCREENSHOT,
    WARC,
    EvidenceFileStorage,
    StoredFile,
    archive_storage_name,
    display_name,
    evidence_storage_name,
    kind_of,
    validate_evidence_upload,
)
from claims.verdicts import Authenticity, DimensionVerdict, Verdict

from .base import CoordinatesModel, TimeStampedModel, VersionedModel
from .fields import contributors_field, desk_user, history, optional_link, valid_choice
from .teamwork import Assignable


class VerificationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    RETURNED = "returned", "Returned to author"
    PUBLISHED = "published", "Published"


def _part_verdict(scale, help_text):
    """The verdict on one part of a claim (location, time, actor, authenticity): may be blank."""
    return models.CharField(max_length=16, choices=scale.choices, blank=True, help_text=help_text)


def _part_note():
    return models.CharField(max_length=500, blank=True)


# A verification's assessment of each part of the claim: the verdict, then the note.
PART_FIELDS = (
    "location_verdict",
    "location_note",
    "time_verdict",
    "time_note",
    "actor_verdict",
    "actor_note",
    "authenticity",
    "authenticity_note",
)


class Verification(TimeStampedModel, VersionedModel, Assignable):
    """One assessment of one claim at a point in time.

    Draft → submitted → published, or submitted → returned (with the reviewer's note) → draft.
    Only `claims.workflow` moves it between states. Once published it is never changed or
    deleted: a newer published verification supersedes it and the history stays public.
    """

    Status = VerificationStatus

    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.PROTECT, related_name="verifications"
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    rationale = models.TextField(help_text="Why this verdict (Markdown).")

    location_verdict = _part_verdict(
        DimensionVerdict, "Was it where it is said to have been? Leave blank if it does not apply."
    )
    location_note = _part_note()
    time_verdict = _part_verdict(
        DimensionVerdict, "Did it happen when it is said to have happened?"
    )
    time_note = _part_note()
    actor_verdict = _part_verdict(
        DimensionVerdict, "Was it done by whom it is said to have been done?"
    )
    actor_note = _part_note()
    authenticity = _part_verdict(
        Authenticity, "For media: original, edited, staged or miscaptioned?"
    )
    authenticity_note = _part_note()

    evidence = models.ManyToManyField("claims.Evidence", blank=True, related_name="verifications")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="authored_verifications",
        editable=False,
    )
    reviewer = desk_user(on_delete=models.PROTECT, related_name="reviewed_verifications")
    review_note = models.TextField(
        blank=True, editable=False, help_text="The reviewer's note when returned."
    )
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    contributors = contributors_field("review")

    history = history()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        get_latest_by = "published_at"
        permissions = [
            ("submit_verification", "Can submit a verification for review"),
            ("publish_verification", "Can publish or return a verification"),
        ]
        constraints = [
            valid_choice("status", VerificationStatus, "verification_status_valid"),
            valid_choice("verdict", Verdict, "verification_verdict_valid"),
            models.CheckConstraint(
                condition=~Q(status="published")
                | Q(published_at__isnull=False, reviewer__isnull=False),
                name="verification_published_has_reviewer_and_time",
            ),
            models.CheckConstraint(
                condition=Q(reviewer__isnull=True) | ~Q(reviewer=F("author")),
                name="verification_four_eyes",
            ),
            *[
                valid_choice(field, DimensionVerdict, f"verification_{field}_valid", or_empty=True)
                for field in ("location_verdict", "time_verdict", "actor_verdict")
            ],
            valid_choice(
                "authenticity", Authenticity, "verification_authenticity_valid", or_empty=True
            ),
        ]
        indexes = [
            # A claim's verdicts, and the newest verdicts on a place's claims (an explainer's
            # timeline): `id` included, so that the ids and dates of a place's thousand
            # verdicts are sorted from the index alone.
            models.Index(
                fields=["claim", "status", "published_at", "id"], name="verification_claim_idx"
            ),
            models.Index(fields=["status", "submitted_at"], name="verification_queue_idx"),
            models.Index(fields=["verdict", "published_at"], name="verification_verdict_idx"),
            # The newest published verdicts (the verdicts feeds): walked backwards, 30 rows
            # read instead of sorting every published one (a quarter of a second on the
            # benchmark's large set).
            models.Index(
                fields=["status", "published_at", "id"], name="verification_published_idx"
            ),
        ]

    def __str__(self):
        return f"{self.get_verdict_display()} — {self.claim}"

    def save(self, *args, **kwargs):
        if self.pk and self._published_in_database():
            raise Conflict(
                "A published verification cannot be changed. Write a new verification; "
                "when it is published it supersedes this one."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._published_in_database():
            raise Conflict("A published verification cannot be deleted: its history stays public.")
        return super().delete(*args, **kwargs)

    def get_absolute_url(self):
        """Where readers find it: on its claim's page."""
        return f"{self.claim.get_absolute_url()}#verification-{self.pk}"

    def _published_in_database(self):
        return Verification.objects.filter(pk=self.pk, status=self.Status.PUBLISHED).exists()

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def was_written_by(self, user):
        """Whether `user` wrote or edited this verification (and so may not review it)."""
        if user is None or user.pk is None:
            return False
        return user.pk == self.author_id or self.contributors.filter(pk=user.pk).exists()

    def dimension_verdicts(self):
        """(label, verdict label, note) for each part of the claim that was assessed."""
        parts = [
            ("Location", self.get_location_verdict_display(), self.location_note),
            ("Time", self.get_time_verdict_display(), self.time_note),
            ("Actor", self.get_actor_verdict_display(), self.actor_note),
            ("Authenticity", self.get_authenticity_display(), self.authenticity_note),
        ]
        return [(label, verdict, note) for label, verdict, note in parts if verdict]


def evidence_upload_to(instance, filename):
    """A random name under evidence/: never the uploader's name, which is kept for display
    in `file_name` and could be guessed, or carry a path or an extension a server trusts."""
    return evidence_storage_name(instance.file_type)


class EvidenceKind(models.TextChoices):
    GEOLOCATED_VIDEO = "geolocated_video", "Geolocated video"
    SATELLITE_IMAGERY = "satellite_imagery", "Satellite imagery"
    OPEN_SOURCE_MAP = "open_source_map", "Open-source map"
    ON_THE_RECORD = "on_the_record", "On-the-record source"
    DOCUMENT = "document", "Document"
    PHOTO = "photo", "Photo"
    SOCIAL_POST = "social_post", "Social-media post"
    OTHER = "other", "Other"


class Evidence(TimeStampedModel, CoordinatesModel, VersionedModel):
    """A piece of evidence about a claim, with its own source, link and archived copy.

    The SHA-256 of an uploaded file is computed as it is saved, so the desk can later prove
    the file is the one it examined. Evidence cited by a published verification is frozen.
    """

    Kind = EvidenceKind

    claim = models.ForeignKey("claims.Claim", on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    description = models.TextField()
    url = models.URLField(max_length=1000, blank=True)
    archived_url = models.URLField(
        max_length=1000, blank=True, help_text="A copy in a web archive, in case the original goes."
    )
    file = models.FileField(
        upload_to=evidence_upload_to,
        storage=EvidenceFileStorage(),
        blank=True,
        validators=[validate_evidence_upload],
        help_text="Images, PDF, video, audio, plain text, CSV, JSON or office documents. "
        "Checked by their contents; web pages, SVG, XML and programs are refused.",
    )
    file_name = models.CharField(
        max_length=255, blank=True, editable=False, help_text="The file's name as uploaded."
    )
    file_type = models.CharField(
        max_length=100, blank=True, editable=False, help_text="Detected from the file's bytes."
    )
    file_size = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    sha256 = models.CharField(
        "SHA-256",
        max_length=64,
        blank=True,
        editable=False,
        help_text="Computed from the uploaded file.",
    )
    source = optional_link("claims.Source", on_delete=models.PROTECT, related_name="evidence")
    captured_at = models.DateTimeField(
        null=True,
        blank=True,
        validators=[PlausibleDate()],
        help_text="When the footage or imagery was captured, if known.",
    )
    added_by = desk_user()

    history = history()

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["claim", "id"]
        constraints = [
            *CoordinatesModel.coordinate_constraints("evidence"),
            models.CheckConstraint(
                condition=Q(sha256="") | Q(sha256__length=64), name="evidence_sha256_length"
            ),
            valid_choice("kind", EvidenceKind, "evidence_kind_valid"),
        ]
        indexes = [
            models.Index(fields=["kind"], name="evidence_kind_idx"),
            # The guarded file view (claims/site/files.py) finds evidence by its stored name.
            models.Index(fields=["file"], name="evidence_file_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.description[:60]}"

    def save(self, *args, **kwargs):
        if self.pk and self.is_frozen():
            raise Conflict(
                "This evidence is cited by a published verification and cannot be changed. "
                "Add new evidence instead."
            )
        if self.file and not getattr(self.file, "_committed", True):
            # Whoever saves (admin, API, import, demo), the bytes decide: a refused kind
            # raises here even when no form validated it first.
            kind = validate_evidence_upload(self.file)
            self.file_type = kind.media_type
            self.file_name = display_name(self.file.name)
            self.file_size = self.file.size
            self.sha256 = sha256_of(self.file)
        elif not self.file:
            self.sha256 = self.file_name = self.file_type = ""
            self.file_size = None
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_frozen():
            raise Conflict(
                "This evidence is cited by a published verification and cannot be deleted."
            )
        return super().delete(*args, **kwargs)

    @property
    def file_kind(self):
        """The kind its bytes showed on upload (claims.files), or an opaque file."""
        return kind_of(self.file_type) if self.file_type else OPAQUE

    @property
    def archived_elsewhere(self):
        """`archived_url` unless it names one of the desk's own copies (`captures`), which
        pages show apart with their details."""
        if urlsplit(self.archived_url).path.startswith(desk_copies_path()):
            return ""
        return self.archived_url

    @property
    def stored_file(self):
        """The uploaded file as the file view sends it."""
        kind = self.file_kind
        name = self.file_name or "evidence" + kind.extension
        return StoredFile(self.file, kind, name, self.sha256)

    def is_frozen(self):
        return Verification.objects.filter(
            evidence__pk=self.pk, status=Verification.Status.PUBLISHED
        ).exists()


def desk_copies_path():
    """The start of every address of the desk's own copies (`/files/archive/`)."""
    return _desk_copies_path(get_script_prefix())


@lru_cache(maxsize=16)
def _desk_copies_path(script_prefix):
    # A page of 50 claim cards asks about 250 times (each evidence item's archived copy, three
    # times an item); a new storage and a reverse() each time were 8 % of the explainer's
    # render. The address depends only on the URLconf and the script prefix.
    return EvidenceFileStorage().url(ARCHIVE_FOLDER)


def warc_upload_to(instance, filename):
    return archive_storage_name(WARC)


def screenshot_upload_to(instance, filename):
    return archive_storage_name(SCREENSHOT)


class EvidenceCapture(models.Model):
    """The desk's own copy of an evidence item's page, made by `claims.services.evidence`:
    a WARC file of what the server sent and, where the server has Chromium, a full-page
    screenshot, each with the SHA-256 of its bytes.

    Captures are only ever added: the page may change or vanish, and each capture is what it
    was at `captured_at`. Readers see the captures of evidence a published verification
    cites, as they see the evidence itself.
    """

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="captures")
    source_url = models.URLField(
        max_length=1000, editable=False, help_text="The evidence's address when it was captured."
    )
    fetched_url = models.URLField(
        max_length=2000, editable=False, help_text="Where the address led, after redirects."
    )
    http_status = models.PositiveSmallIntegerField(editable=False)
    content_type = models.CharField(max_length=100, blank=True, editable=False)
    warc = models.FileField(
        "WARC file",
        upload_to=warc_upload_to,
        storage=EvidenceFileStorage(),
        editable=False,
        max_length=200,
    )
    warc_sha256 = models.CharField("SHA-256 of the WARC file", max_length=64, editable=False)
    warc_size = models.PositiveBigIntegerField(editable=False)
    screenshot = models.FileField(
        upload_to=screenshot_upload_to,
        storage=EvidenceFileStorage(),
        blank=True,
        editable=False,
        max_length=200,
    )
    screenshot_sha256 = models.CharField(
        "SHA-256 of the screenshot", max_length=64, blank=True, editable=False
    )
    screenshot_note = models.CharField(
        max_length=300, blank=True, editable=False, help_text="Why there is no screenshot."
    )
    captured_at = models.DateTimeField(editable=False)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["-captured_at", "-id"]
        get_latest_by = "captured_at"
        constraints = [
            models.CheckConstraint(
                condition=Q(warc_sha256__length=64), name="evidencecapture_warc_sha256_length"
            ),
            models.CheckConstraint(
                condition=Q(screenshot="", screenshot_sha256="")
                | (~Q(screenshot="") & Q(screenshot_sha256__length=64)),
                name="evidencecapture_screenshot_has_sha256",
            ),
        ]
        indexes = [
            models.Index(fields=["evidence", "captured_at"], name="evidencecapture_evidence_idx"),
            # The guarded file view (claims/site/files.py) finds a capture by a stored name.
            models.Index(fields=["warc"], name="evidencecapture_warc_idx"),
            models.Index(fields=["screenshot"], name="evidencecapture_screenshot_idx"),
        ]

    def __str__(self):
        return f"Capture of {self.source_url} at {self.captured_at:%Y-%m-%d %H:%M} UTC"

    def stored_file(self, name):
        """The capture's file stored as `name` (its WARC or its screenshot) as the file view
        sends it, or None."""
        stamp = f"evidence-{self.evidence_id}-{self.captured_at:%Y%m%dT%H%M%SZ}"
        if name == self.warc.name:
            return StoredFile(self.warc, WARC, stamp + WARC.extension, self.warc_sha256)
        if self.screenshot and name == self.screenshot.name:
            return StoredFile(
                self.screenshot, SCREENSHOT, stamp + SCREENSHOT.extension, self.screenshot_sha256
            )
        return None


def sha256_of(file):
    """Hex SHA-256 of a file object, read in chunks; the file is left at its start."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(65536), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()
