"""The evaluation screens, under /skp/ (issue 4)."""

from django.urls import path

from ..views import evaluasi as views

PERIODE = "<int:skp_pk>/periode/<int:periode_pk>"

urlpatterns = [
    # The employee: realisation, evidence, the final result
    path("<int:skp_pk>/realisasi/", views.realisasi_start, name="realisasi_start"),
    path(f"{PERIODE}/realisasi/", views.realisasi, name="realisasi"),
    path(f"{PERIODE}/realisasi/<int:iki_pk>/", views.realisasi_save, name="realisasi_save"),
    path(f"{PERIODE}/realisasi/<int:iki_pk>/bukti/", views.bukti_add, name="bukti_add"),
    path("bukti/<int:pk>/", views.bukti_download, name="bukti_download"),
    path(f"{PERIODE}/evaluasi/terima/", views.evaluasi_acknowledge, name="evaluasi_acknowledge"),
    path(f"{PERIODE}/penilaian-diri/", views.penilaian_diri, name="penilaian_diri"),
    # Dialog kinerja
    path("<int:skp_pk>/dialog/", views.dialog, name="dialog"),
    path("<int:skp_pk>/dialog/<int:pk>/akui/", views.dialog_acknowledge, name="dialog_acknowledge"),
    # The pejabat penilai
    path(f"{PERIODE}/evaluasi/", views.evaluasi, name="evaluasi"),
    path(f"{PERIODE}/evaluasi/distribusi/", views.evaluasi_distribusi, name="evaluasi_distribusi"),
    path(f"{PERIODE}/realisasi/<int:iki_pk>/verifikasi/", views.realisasi_verify, name="realisasi_verify"),
    path("penilaian/", views.evaluasi_team, name="evaluasi_team"),
    # The head of unit
    path("capaian/", views.capaian, name="capaian"),
]
