"""Sources and their aliases."""

from django.contrib import admin

from claims.models import Source, SourceAlias

from .base import DeskModelAdmin, DeskTabularInline, OptionalSlugMixin
from .history import HistoryAdminMixin, VersionedAdminMixin


class SourceAliasInline(DeskTabularInline):
    model = SourceAlias
    extra = 1


@admin.register(Source)
class SourceAdmin(OptionalSlugMixin, VersionedAdminMixin, HistoryAdminMixin, DeskModelAdmin):
    list_display = ("name", "kind", "affiliation", "is_confidential", "updated_at")
    list_filter = ("kind", "affiliation", "is_confidential")
    search_fields = ("name", "aliases__name", "description", "redacted_description")
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "affiliation", "description", "home_url")}),
        ("Confidentiality", {"fields": ("is_confidential", "redacted_description")}),
    )
    inlines = (SourceAliasInline,)
