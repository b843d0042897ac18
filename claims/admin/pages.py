from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from claims.models import StandingPage

from .base import DeskModelAdmin


@admin.register(StandingPage)
class StandingPageAdmin(DeskModelAdmin):
    """The reader site's standing pages (methodology, corrections policy, ownership and
    funding, contact): editors write them; readers see them as soon as they are saved."""

    list_display = ("title", "kind", "updated_at", "updated_by", "reader_link")
    readonly_fields = ("updated_by", "updated_at", "reader_link")
    fields = ("kind", "title", "summary", "body", "reader_link", "updated_by", "updated_at")
    search_fields = ("title", "body")

    def get_readonly_fields(self, request, obj=None):
        # A page's kind is its address; it is chosen once.
        return self.readonly_fields + (("kind",) if obj else ())

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="On the site")
    def reader_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        try:
            url = reverse("site:standing-page", args=[obj.kind])
        except NoReverseMatch:
            return "—"
        return format_html('<a href="{}">{}</a>', url, url)
