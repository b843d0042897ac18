from django.urls import path

from . import views

app_name = "site"

urlpatterns = [
    path("methodology/", views.methodology, name="methodology"),
]
