"""Objection (keberatan) and 360° feedback screens, under /skp/."""

from django.urls import path

from ..views import keberatan, survei360

urlpatterns = [
    # Keberatan (PP 30/2019 Ps 59, rules §2.4)
    path("evaluasi/<int:evaluasi_pk>/keberatan/", keberatan.keberatan_create, name="keberatan_create"),
    path("keberatan/", keberatan.keberatan_inbox, name="keberatan_inbox"),
    path("keberatan/<int:pk>/", keberatan.keberatan_detail, name="keberatan_detail"),
    path(
        "keberatan/<int:pk>/minta-klarifikasi/",
        keberatan.keberatan_request_clarification,
        name="keberatan_request_clarification",
    ),
    path("keberatan/<int:pk>/klarifikasi/", keberatan.keberatan_clarify, name="keberatan_clarify"),
    path("keberatan/<int:pk>/putus/", keberatan.keberatan_decide, name="keberatan_decide"),
    # 360° (issue 4 item 6)
    path("<int:skp_pk>/periode/<int:periode_pk>/360/", survei360.undangan_360, name="undangan_360"),
    path(
        "<int:skp_pk>/periode/<int:periode_pk>/360/setujui/",
        survei360.undangan_360_approve,
        name="undangan_360_approve",
    ),
    path("<int:skp_pk>/periode/<int:periode_pk>/360/hasil/", survei360.hasil_360, name="hasil_360"),
    # Not "360/": appraisal.urls includes the SKP screens first, whose "<int:pk>/" would take it.
    path("360/tugas/", survei360.tugas_360, name="tugas_360"),
    path("360/<int:undangan_pk>/isi/", survei360.jawaban_360, name="jawaban_360"),
]
