"""The project's URLs: the desk (admin) and the reader site; the API comes next."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("", include("claims.site.urls")),
]
