"""The audit trail: view-only for everyone, superusers included."""

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from claims.models import AuditEvent

from .base import ViewOnlyMixin


@admin.register(AuditEvent)
class AuditEventAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ("created_at", "who", "action", "subject_link", "from_state", "to_state", "note")
    list_select_related = ("actor", "content_type")
    list_filter = (
        "action",
        ("content_type", admin.RelatedOnlyFieldListFilter),
        ("actor", admin.RelatedOnlyFieldListFilter),
        "created_at",
    )
    search_fields = ("object_repr", "note", "action", "actor__username")
    date_hierarchy = "created_at"
    fields = ("created_at", "who", "action", "subject_link", "from_state", "to_state", "note")
    readonly_fields = fields

    @admin.display(description="Who", ordering="actor")
    def who(self, obj):
        return obj.actor or "scheduler"

    @admin.display(description="Object")
    def subject_link(self, obj):
        ct = obj.content_type
        try:
            url = reverse(f"admin:{ct.app_label}_{ct.model}_change", args=[obj.object_id])
        except NoReverseMatch:
            return obj.object_repr
        return format_html('<a href="{}">{}</a>', url, obj.object_repr)
