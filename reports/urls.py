from django.urls import path

from . import views, views_dashboard

app_name = "reports"

urlpatterns = [
    path("", views_dashboard.dashboard, name="dashboard"),
    path("dasbor.xlsx", views_dashboard.dashboard_xlsx, name="dashboard_xlsx"),
    path("terlambat/", views_dashboard.late, name="late"),
    path("terlambat.xlsx", views_dashboard.late_xlsx, name="late_xlsx"),
    path("rekap-predikat.pdf", views_dashboard.rekap_pdf, name="rekap_pdf"),
    path("rekap-predikat.xlsx", views_dashboard.rekap_xlsx, name="rekap_xlsx"),
    path("konsistensi/", views_dashboard.leniency, name="leniency"),
    path("konsistensi.xlsx", views_dashboard.leniency_xlsx, name="leniency_xlsx"),
    path("hasil-tahunan.xlsx", views_dashboard.hasil_tahunan_xlsx, name="hasil_tahunan_xlsx"),
    path("hasil-tahunan.csv", views_dashboard.hasil_tahunan_csv, name="hasil_tahunan_csv"),
    path("nilai/", views.scores, name="scores"),
    path("nilai/hitung/", views.scores_run, name="scores_run"),
    path("proses/<int:pk>/", views.run_detail, name="run_detail"),
]
