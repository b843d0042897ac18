"""Sources and their aliases."""

from django.contrib import admin

from claims.models import Source, SourceAlias

from .base import DeskTabularInline, OptionalSlugMixin
from .history import VersionedAdminForm, VersionedModelAdmin


class SourceForm(VersionedAdminForm):
    """Making a confidential source public asks for the reason here, before anything is
    saved (claims.services.source_save holds the rule itself, for every face)."""

    def clean(self):
        data = super().clean()
        revealing = (
            self.instance.pk is not None
            and "is_confidential" in self.changed_data
            and not data.get("is_confidential")
        )
        if revealing and not (data.get("change_reason") or "").strip():
            self.add_error(
                "change_reason",
                "Say why this source may now be named: making a confidential source public "
                "needs a reason, which goes in the audit trail.",
            )
        return data


class SourceAliasInline(DeskTabularInline):
    model = SourceAlias
    extra = 1


@admin.register(Source)
class SourceAdmin(OptionalSlugMixin, VersionedModelAdmin):
    list_display = ("name", "kind", "affiliation", "is_confidential", "updated_at")
    list_filter = ("kind", "affiliation", "is_confidential")
    search_fields = ("name", "aliases__name", "description", "redacted_description")
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "affiliation", "description", "home_url")}),
        ("Confidentiality", {"fields": ("is_confidential", "redacted_description")}),
    )
    inlines = (SourceAliasInline,)
    form = SourceForm

    def get_readonly_fields(self, request, obj=None):
        """Only an editor (claims.reveal_source) may make a confidential source public; for
        anyone else its confidentiality, once set, is shown, not offered."""
        fields = super().get_readonly_fields(request, obj)
        if (
            obj is not None
            and obj.is_confidential
            and not request.user.has_perm("claims.reveal_source")
        ):
            fields = (*fields, "is_confidential")
        return fields
