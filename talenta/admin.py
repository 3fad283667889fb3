from django.contrib import admin

from .models import Kompetensi, PenilaianKompetensi, Rekomendasi, StandarKompetensi, TalentaBox


@admin.register(Kompetensi)
class KompetensiAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama", "jenis", "instansi"]
    list_filter = ["jenis"]
    search_fields = ["kode", "nama"]


@admin.register(StandarKompetensi)
class StandarKompetensiAdmin(admin.ModelAdmin):
    list_display = ["jabatan", "kompetensi", "level_standar", "instansi"]
    list_select_related = ["jabatan", "kompetensi", "instansi"]
    raw_id_fields = ["jabatan"]


@admin.register(PenilaianKompetensi)
class PenilaianKompetensiAdmin(admin.ModelAdmin):
    list_display = ["pegawai", "kompetensi", "level", "sumber", "tanggal"]
    list_select_related = ["pegawai", "kompetensi"]
    raw_id_fields = ["pegawai"]


@admin.register(TalentaBox)
class TalentaBoxAdmin(admin.ModelAdmin):
    list_display = ["pegawai", "tahun", "kotak", "kinerja", "potensial", "jpm"]
    list_filter = ["tahun", "kotak"]
    list_select_related = ["pegawai"]
    raw_id_fields = ["pegawai", "unit"]


@admin.register(Rekomendasi)
class RekomendasiAdmin(admin.ModelAdmin):
    list_display = ["pegawai", "tahun", "jenis"]
    list_filter = ["tahun", "jenis"]
    list_select_related = ["pegawai"]
    raw_id_fields = ["pegawai", "unit"]
