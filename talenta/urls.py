from django.urls import path

from . import views, views_kompetensi, views_pembinaan

app_name = "talenta"

urlpatterns = [
    path("", views.grid, name="grid"),
    path("hitung/", views.hitung, name="hitung"),
    path("rekomendasi/", views.rekomendasi, name="rekomendasi"),
    path("rekomendasi/unduh/", views.rekomendasi_export, name="rekomendasi_export"),
    path("tim/", views.tim, name="tim"),
    path("saya/", views.saya, name="saya"),
    # Rencana pembinaan (HR)
    path("pelatihan/", views_pembinaan.jadwal_list, name="jadwal_list"),
    path("pelatihan/katalog/", views_pembinaan.pelatihan_list, name="pelatihan_list"),
    path("pelatihan/katalog/tambah/", views_pembinaan.pelatihan_edit, name="pelatihan_create"),
    path("pelatihan/katalog/<int:pk>/ubah/", views_pembinaan.pelatihan_edit, name="pelatihan_edit"),
    path("pelatihan/jadwal/tambah/", views_pembinaan.jadwal_edit, name="jadwal_create"),
    path("pelatihan/jadwal/<int:pk>/", views_pembinaan.jadwal_detail, name="jadwal_detail"),
    path("pelatihan/jadwal/<int:pk>/ubah/", views_pembinaan.jadwal_edit, name="jadwal_edit"),
    path("pelatihan/jadwal/<int:pk>/peserta/", views_pembinaan.jadwal_peserta, name="jadwal_peserta"),
    path("pelatihan/jadwal/<int:pk>/presensi/", views_pembinaan.jadwal_presensi, name="jadwal_presensi"),
    path(
        "pelatihan/jadwal/<int:pk>/peserta/<int:peserta_pk>/hapus/",
        views_pembinaan.peserta_hapus,
        name="peserta_hapus",
    ),
    path("pelatihan/jadwal/<int:pk>/dampak/", views_pembinaan.jadwal_dampak, name="jadwal_dampak"),
    path("pelatihan/jadwal/<int:pk>/dampak/unduh/", views_pembinaan.jadwal_dampak_export, name="jadwal_dampak_export"),
    # Kompetensi (HR)
    path("kompetensi/", views_kompetensi.standar_list, name="standar_list"),
    path("kompetensi/jabatan/<int:pk>/", views_kompetensi.standar_edit, name="standar_edit"),
    path("kompetensi/pegawai/", views_kompetensi.penilaian_list, name="penilaian_list"),
    path("kompetensi/pegawai/<int:pk>/", views_kompetensi.penilaian_edit, name="penilaian_edit"),
]
