"""Evidence: the file's SHA-256 is shown read-only; evidence cited by a published verification
is frozen (view-only here, and refused by the model anyway)."""

from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.db import models
from django.template.defaultfilters import filesizeformat

from claims.files import kind_of
from claims.models import Evidence

from .base import change_link, paragraphs
from .history import VersionedModelAdmin


class StoredEvidenceFile:
    """What the file widget shows of a stored file: the name it was uploaded under, its
    detected kind and size, linked to the guarded file view (the storage's `url`)."""

    def __init__(self, field_file):
        self.url = field_file.url
        evidence = field_file.instance
        details = [kind_of(evidence.file_type).label] if evidence.file_type else []
        if evidence.file_size is not None:
            details.append(filesizeformat(evidence.file_size))
        name = evidence.file_name or field_file.name
        self.label = f"{name} ({', '.join(details)})" if details else name

    def __str__(self):
        return self.label


class EvidenceFileInput(AdminFileWidget):
    def format_value(self, value):
        if self.is_initial(value):
            return StoredEvidenceFile(value)
        return super().format_value(value)


EVIDENCE_FORMFIELDS = {models.FileField: {"widget": EvidenceFileInput}}


@admin.register(Evidence)
class EvidenceAdmin(VersionedModelAdmin):
    list_display = ("__str__", "kind", "claim", "source", "captured_at", "short_sha256")
    formfield_overrides = EVIDENCE_FORMFIELDS
    list_select_related = ("claim", "source")
    list_filter = ("kind", "source__affiliation", "created_at")
    search_fields = (
        "description",
        "url",
        "archived_url",
        "sha256",
        "claim__statement",
        "source__name",
    )
    date_hierarchy = "created_at"
    autocomplete_fields = ("claim", "source")
    readonly_fields = (
        "file_name",
        "file_type",
        "file_size_shown",
        "sha256",
        "cited_by",
        "added_by",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("claim", "kind", "description", "source")}),
        (
            "Links and file",
            {
                "fields": (
                    "url",
                    "archived_url",
                    "file",
                    "file_name",
                    "file_type",
                    "file_size_shown",
                    "sha256",
                )
            },
        ),
        ("Where and when", {"fields": (("latitude", "longitude"), "captured_at")}),
        ("Record", {"fields": ("cited_by", "added_by", "created_at", "updated_at")}),
    )

    @admin.display(description="File size")
    def file_size_shown(self, obj):
        return "—" if obj.file_size is None else filesizeformat(obj.file_size)

    @admin.display(description="SHA-256", ordering="sha256")
    def short_sha256(self, obj):
        return f"{obj.sha256[:12]}…" if obj.sha256 else "—"

    @admin.display(description="Cited by verifications")
    def cited_by(self, obj):
        if obj.pk is None:
            return "—"
        verifications = obj.verifications.select_related("claim")
        return paragraphs(
            "{} ({})", ((change_link(v), v.get_status_display()) for v in verifications)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_frozen())

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_frozen())
