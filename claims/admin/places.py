"""Places and their other names."""

from django.contrib import admin

from claims.models import Place, PlaceName

from .base import DeskTabularInline, OptionalSlugMixin
from .history import VersionedModelAdmin


class PlaceNameInline(DeskTabularInline):
    model = PlaceName
    extra = 1


@admin.register(Place)
class PlaceAdmin(OptionalSlugMixin, VersionedModelAdmin):
    list_display = ("name", "kind", "region", "latitude", "longitude")
    list_filter = ("kind", "region")
    search_fields = ("name", "alternative_names__name", "region")
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "region", "population_prewar", "description")}),
        ("Coordinates (WGS84)", {"fields": (("latitude", "longitude"),)}),
    )
    inlines = (PlaceNameInline,)
