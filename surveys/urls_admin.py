from django.urls import path

from .views import admin, exports, moderation

app_name = "surveys"

# --- moderation of flagged responses (public survey & moderation) ---
moderation_patterns = [
    path("moderasi/", moderation.moderation_list, name="moderation"),
    path("moderasi/putuskan/", moderation.moderation_decide, name="moderation_decide"),
    path("moderasi/<int:pk>/", moderation.moderation_detail, name="moderation_detail"),
]
# --- end of moderation ---

urlpatterns = [*moderation_patterns]

# --- administration ---
urlpatterns += [
    path("unit/", admin.unit_list, name="unit_list"),
    path("unit/baru/", admin.unit_create, name="unit_create"),
    path("unit/<int:pk>/", admin.unit_detail, name="unit_detail"),
    path("unit/<int:pk>/jenis-layanan/", admin.jenis_layanan_add, name="jenis_layanan_add"),
    path("jenis-layanan/<int:pk>/nonaktifkan/", admin.jenis_layanan_deactivate, name="jenis_layanan_deactivate"),
    path("unit/<int:pk>/saluran/", admin.saluran_add, name="saluran_add"),
    path("saluran/<int:pk>/aktif/", admin.saluran_toggle, name="saluran_toggle"),
    path("saluran/<int:pk>/qr.png", exports.qr_png, name="qr_png"),
    path("saluran/<int:pk>/poster.pdf", exports.qr_pdf, name="qr_pdf"),
    path("pertanyaan/<int:pk>/", admin.pertanyaan_edit, name="pertanyaan_edit"),
    path("unit/<int:pk>/periode/baru/", admin.periode_create, name="periode_create"),
    path("periode/<int:pk>/", admin.results, name="results"),
    path("periode/<int:pk>/publikasi/", admin.periode_publish, name="periode_publish"),
    path("periode/<int:pk>/tindak-lanjut/", admin.tindak_lanjut, name="tindak_lanjut"),
    path("tindak-lanjut/<int:pk>/", admin.tindak_lanjut_update, name="tindak_lanjut_update"),
    path("periode/<int:pk>/hasil.xlsx", exports.export_xlsx, name="export_xlsx"),
    path("periode/<int:pk>/laporan.pdf", exports.export_pdf, name="export_pdf"),
]
