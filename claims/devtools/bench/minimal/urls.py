from django.urls import path

from claims.devtools.bench.minimal.views import page

urlpatterns = [path("", page)]
