from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import ImporData, Instansi, Jabatan, Pegawai, Penugasan, UnitKerja, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "pegawai", "instansi", "is_admin_kepegawaian", "is_superuser"]
    list_filter = ["is_admin_kepegawaian", "is_superuser", "instansi"]
    raw_id_fields = ["pegawai"]
    fieldsets = BaseUserAdmin.fieldsets + (("SIKAP", {"fields": ["pegawai", "instansi", "is_admin_kepegawaian"]}),)


@admin.register(Instansi)
class InstansiAdmin(admin.ModelAdmin):
    list_display = ["nama", "kode", "jenis", "uses_360"]


@admin.register(UnitKerja)
class UnitKerjaAdmin(SimpleHistoryAdmin):
    list_display = ["nama", "instansi", "jenis", "path"]
    list_filter = ["instansi", "jenis"]
    search_fields = ["nama"]
    raw_id_fields = ["parent"]


@admin.register(Jabatan)
class JabatanAdmin(SimpleHistoryAdmin):
    list_display = ["nama", "jenis", "unit", "instansi"]
    list_filter = ["instansi", "jenis"]
    search_fields = ["nama"]
    raw_id_fields = ["unit", "atasan"]


@admin.register(Pegawai)
class PegawaiAdmin(SimpleHistoryAdmin):
    list_display = ["nama", "nip", "jenis_asn", "instansi", "jabatan", "status"]
    list_filter = ["instansi", "jenis_asn", "status"]
    search_fields = ["nama", "nip"]
    list_select_related = ["instansi", "jabatan"]


@admin.register(Penugasan)
class PenugasanAdmin(SimpleHistoryAdmin):
    list_display = ["pegawai", "jabatan", "jenis", "mulai", "selesai"]
    list_filter = ["jenis"]
    raw_id_fields = ["pegawai", "jabatan"]


@admin.register(ImporData)
class ImporDataAdmin(admin.ModelAdmin):
    list_display = ["nama_berkas", "jenis", "instansi", "status", "jumlah_baris", "jumlah_salah", "dibuat_pada"]
    list_filter = ["jenis", "status", "instansi"]
    readonly_fields = ["sha256", "laporan", "dibuat_oleh", "dibuat_pada", "diterapkan_oleh", "diterapkan_pada"]
