"""The project's URLs: the desk (admin) and the reader site; the API comes next."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("claims.site.urls")),
]
