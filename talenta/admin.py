from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    JadwalPelatihan,
    Kompetensi,
    Pelatihan,
    PenilaianKompetensi,
    PesertaPelatihan,
    Rekomendasi,
    StandarKompetensi,
    TalentaBox,
)


@admin.register(Kompetensi)
class KompetensiAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama", "jenis", "instansi"]
    list_filter = ["jenis"]
    search_fields = ["kode", "nama"]


@admin.register(StandarKompetensi)
class StandarKompetensiAdmin(SimpleHistoryAdmin):
    list_display = ["jabatan", "kompetensi", "level_standar", "instansi"]
    list_select_related = ["jabatan", "kompetensi", "instansi"]
    raw_id_fields = ["jabatan"]


@admin.register(PenilaianKompetensi)
class PenilaianKompetensiAdmin(SimpleHistoryAdmin):
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


@admin.register(Pelatihan)
class PelatihanAdmin(SimpleHistoryAdmin):
    list_display = ["nama", "jenis", "bentuk", "jp", "aktif", "instansi"]
    list_filter = ["jenis", "aktif"]
    search_fields = ["nama"]


@admin.register(JadwalPelatihan)
class JadwalPelatihanAdmin(SimpleHistoryAdmin):
    list_display = ["pelatihan", "mulai", "selesai", "tempat", "kuota"]
    list_select_related = ["pelatihan"]
    date_hierarchy = "mulai"


@admin.register(PesertaPelatihan)
class PesertaPelatihanAdmin(SimpleHistoryAdmin):
    list_display = ["pegawai", "jadwal", "status", "jp"]
    list_filter = ["status"]
    list_select_related = ["pegawai", "jadwal__pelatihan"]
    raw_id_fields = ["pegawai", "jadwal", "rekomendasi"]
