from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("nilai/", views.scores, name="scores"),
    path("nilai/hitung/", views.scores_run, name="scores_run"),
    path("proses/<int:pk>/", views.run_detail, name="run_detail"),
]
