"""Evidence: the file's SHA-256 is shown read-only; evidence cited by a published verification
is frozen (view-only here, and refused by the model anyway).

Its page lists the desk's archived copies of the evidence's page (WARC file, screenshot, the
SHA-256 of each) with an Archive button, which posts to its own URL and calls
`claims.services.evidence_archive`: the rules are there, and a refusal or a failed capture
comes back as a message. The button is offered on frozen evidence too (the service says why).
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminFileWidget
from django.db import models
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse

from claims import services
from claims.errors import DeskError
from claims.files import kind_of
from claims.models import Evidence
from claims.services.evidence import archive_summary

from .base import change_link, change_url, paragraphs, show_refusal
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
    change_form_template = "admin/claims/evidence/change_form.html"
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

    # --- archived copies ---------------------------------------------------------------

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/archive/",
                self.admin_site.admin_view(self.archive_view),
                name=f"{opts.app_label}_{opts.model_name}_archive",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            extra_context = {**(extra_context or {}), "desk_archive": self.archive(request, obj)}
        return super().change_view(request, object_id, form_url, extra_context)

    def archive(self, request, obj):
        """What the page shows of the desk's copies, and the Archive button when it applies."""
        offered = bool(obj.url) and request.user.has_perm("claims.change_evidence")
        return {
            "captures": list(obj.captures.select_related("captured_by")),
            "url": reverse(f"{self.admin_site.name}:claims_evidence_archive", args=[obj.pk])
            if offered
            else None,
            "no_address": not obj.url,
            "frozen": obj.is_frozen(),
        }

    def archive_view(self, request, object_id):
        """Archive the evidence's page (POST only) and return to its page with a message."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404(f"No evidence with ID {object_id!r}.")
        try:
            capture = services.evidence_archive(
                evidence=obj, by=request.user, site_url=request.build_absolute_uri("/")
            )
        except DeskError as error:
            show_refusal(request, error)
        else:
            messages.success(request, archive_summary(capture))
        return HttpResponseRedirect(change_url(obj, self.admin_site.name) + "#desk-archive")

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_frozen())
