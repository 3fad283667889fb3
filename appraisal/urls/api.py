"""The API for other government systems, under /api/v1/ (issue 10)."""

from django.urls import path

from ..views import api as views

app_name = "api"

urlpatterns = [
    path("realisasi/", views.realisasi_push, name="realisasi_push"),
]
