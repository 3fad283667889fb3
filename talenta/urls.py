from django.urls import path

from . import views

app_name = "talenta"

urlpatterns = [
    path("", views.grid, name="grid"),
    path("hitung/", views.hitung, name="hitung"),
    path("rekomendasi/", views.rekomendasi, name="rekomendasi"),
    path("rekomendasi/unduh/", views.rekomendasi_export, name="rekomendasi_export"),
    path("tim/", views.tim, name="tim"),
    path("saya/", views.saya, name="saya"),
]
