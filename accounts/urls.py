from django.contrib.auth import views as auth_views
from django.urls import path

from . import views, views_impor

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("instansi/<int:pk>/aktifkan/", views.instansi_activate, name="instansi_activate"),
    path("tim/", views.team, name="team"),
    path("unit/", views.unit_list, name="unit_list"),
    path("unit/tambah/", views.unit_edit, name="unit_create"),
    path("unit/<int:pk>/ubah/", views.unit_edit, name="unit_edit"),
    path("jabatan/", views.jabatan_list, name="jabatan_list"),
    path("jabatan/tambah/", views.jabatan_edit, name="jabatan_create"),
    path("jabatan/<int:pk>/ubah/", views.jabatan_edit, name="jabatan_edit"),
    path("pegawai/", views.pegawai_list, name="pegawai_list"),
    path("pegawai/tambah/", views.pegawai_edit, name="pegawai_create"),
    path("pegawai/<int:pk>/", views.pegawai_detail, name="pegawai_detail"),
    path("pegawai/<int:pk>/ubah/", views.pegawai_edit, name="pegawai_edit"),
    path("pegawai/<int:pegawai_pk>/penugasan/tambah/", views.penugasan_create, name="penugasan_create"),
    path("impor/", views_impor.impor_list, name="impor_list"),
    path("impor/baru/", views_impor.impor_create, name="impor_create"),
    path("impor/<int:pk>/", views_impor.impor_detail, name="impor_detail"),
    path("impor/<int:pk>/terapkan/", views_impor.impor_apply, name="impor_apply"),
    path("impor/templat/<slug:jenis>.xlsx", views_impor.impor_template, name="impor_template"),
]
