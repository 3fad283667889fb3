"""The HR screens of objective evidence (issue 10), under /skp/: the indicator catalogue, files of
realisations, tokens for other systems, the SKM pull and the objectivity report."""

from django.urls import path

from ..views import objektif as views

urlpatterns = [
    path("katalog/", views.katalog_list, name="katalog_list"),
    path("katalog/baru/", views.katalog_create, name="katalog_create"),
    path("katalog/<int:pk>/ubah/", views.katalog_edit, name="katalog_edit"),
    path("impor-realisasi/", views.impor_realisasi_list, name="impor_realisasi_list"),
    path("impor-realisasi/baru/", views.impor_realisasi_create, name="impor_realisasi_create"),
    path("impor-realisasi/templat.csv", views.impor_realisasi_templat, name="impor_realisasi_templat"),
    path("impor-realisasi/<int:pk>/", views.impor_realisasi_detail, name="impor_realisasi_detail"),
    path("impor-realisasi/<int:pk>/terapkan/", views.impor_realisasi_apply, name="impor_realisasi_apply"),
    path("realisasi-skm/tarik/", views.skm_tarik, name="skm_tarik"),
    path("token-sumber/", views.token_list, name="token_list"),
    path("token-sumber/baru/", views.token_create, name="token_create"),
    path("token-sumber/<int:pk>/cabut/", views.token_revoke, name="token_revoke"),
    path("objektivitas/", views.objektivitas, name="objektivitas"),
    path("objektivitas.xlsx", views.objektivitas_xlsx, name="objektivitas_xlsx"),
]
