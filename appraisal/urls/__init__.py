"""URLs of the appraisal app, one module per screen family."""

from django.urls import include, path

app_name = "appraisal"

urlpatterns = [
    path("", include("appraisal.urls.skp")),
    path("", include("appraisal.urls.monitoring")),
    path("", include("appraisal.urls.documents")),
    path("", include("appraisal.urls.history")),
    path("", include("appraisal.urls.evaluasi")),
    path("", include("appraisal.urls.keberatan")),
    path("", include("appraisal.urls.documents_evaluasi")),
    path("", include("appraisal.urls.objektif")),
]
