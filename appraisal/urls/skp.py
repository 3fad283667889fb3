"""SKP planning screens, under /skp/."""

from django.urls import path

from ..views import skp as views

urlpatterns = [
    path("saya/", views.my_skp, name="my_skp"),
    path("mulai/", views.skp_start, name="skp_start"),
    path("masuk/", views.inbox, name="inbox"),
    path("<int:pk>/", views.skp_detail, name="skp_detail"),
    path("<int:pk>/rhk/tambah/<slug:jenis>/", views.rhk_add, name="rhk_add"),
    path("<int:pk>/rhk/<int:rhk_pk>/ubah/", views.rhk_edit, name="rhk_edit"),
    path("<int:pk>/rhk/<int:rhk_pk>/hapus/", views.rhk_delete, name="rhk_delete"),
    path("<int:pk>/rhk/<int:rhk_pk>/iki/tambah/", views.iki_add, name="iki_add"),
    path("<int:pk>/iki/<int:iki_pk>/ubah/", views.iki_edit, name="iki_edit"),
    path("<int:pk>/iki/<int:iki_pk>/hapus/", views.iki_delete, name="iki_delete"),
    path("<int:pk>/pendekatan/", views.pendekatan_set, name="pendekatan_set"),
    path("<int:pk>/lampiran/tambah/", views.lampiran_add, name="lampiran_add"),
    path("<int:pk>/lampiran/<int:lampiran_pk>/hapus/", views.lampiran_delete, name="lampiran_delete"),
    path("<int:pk>/ajukan/", views.skp_submit, name="skp_submit"),
    path("<int:pk>/ekspektasi/", views.ekspektasi_set, name="ekspektasi_set"),
    path("<int:pk>/kembalikan/", views.skp_return, name="skp_return"),
    path("<int:pk>/setujui/", views.skp_approve, name="skp_approve"),
    path("<int:pk>/revisi/", views.skp_revise, name="skp_revise"),
    path("<int:pk>/bagi/", views.distribute, name="distribute"),
]
