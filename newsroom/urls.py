"""The project's URLs: the desk (admin), the REST API and its docs, and the reader site."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # The REST API (/api/v1/), its OpenAPI schema and docs (/api/schema/, /api/docs/, /api/redoc/).
    path("api/", include("claims.api.urls")),
    path("", include("claims.site.urls")),
]
