"""The printed evaluation documents, under /skp/."""

from django.urls import path

from ..views import documents_evaluasi as views

urlpatterns = [
    path("evaluasi/<int:pk>/pdf/", views.evaluasi_pdf, name="evaluasi_pdf"),
    path("evaluasi/<int:pk>/dokumen/pdf/", views.dokumen_evaluasi_pdf, name="dokumen_evaluasi_pdf"),
]
