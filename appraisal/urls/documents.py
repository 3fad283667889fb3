"""Printable SKP documents."""

from django.urls import path

from appraisal.views import documents as views

urlpatterns = [
    path("<int:pk>/pdf/", views.skp_pdf, name="skp_pdf"),
]
