"""Every URL of SIKAP × every persona → the status they get (conventions.md, "Tests"; issue 9).

The URL names come from the resolver itself, so a URL added without a row here fails
``test_every_url_is_in_the_matrix``. Each cell is its own test (``<url>-<persona>``) and is a GET:
nothing is written, so one rich world is built once per module (and rolled back after it). A few
representative write endpoints are also POSTed by the wrong personas, checking that they are
refused and that nothing changed.

Expected values: 200 (or 302) allowed, ``LOGIN`` a redirect to the login page, 403 inside reach but
not the role, 404 outside reach (nothing leaks), 405 a POST-only URL opened with GET.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms.models import model_to_dict
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import ImporData
from accounts.tests.factories import UserFactory, pegawai_in_post, refresh
from appraisal import services_evaluasi as ev
from appraisal import services_objektif
from appraisal.models import (
    RHK,
    DialogKinerja,
    Evaluasi,
    ImporRealisasi,
    Keberatan,
    LampiranSKP,
    PeriodeEvaluasi,
    Realisasi,
)
from appraisal.tests.factories import approved_chain, approved_skp, katalog, open_year
from conftest import build_instansi
from reports.models import JobRun
from surveys import services_admin
from surveys.forms import AKSI_TERIMA
from surveys.models import Respons, SaluranSurvei
from surveys.tests.factories import respons_with_answers, survey_setup
from talenta.models import JadwalPelatihan, Pelatihan, PesertaPelatihan

LOGIN = "login"

# Who asks. The supervisor of another unit heads Seksi Farmasi; the outsider is the HR admin of
# another instansi; the superadmin has not chosen an instansi to act for.
PERSONAS = ("anonymous", "pegawai", "other_supervisor", "outsider_hr", "supervisor", "hr_admin", "superadmin")

# Prefixes not in the matrix, and why:
# - admin/: Django's admin has its own is_staff/permission checks and its own tests upstream;
# - i18n/: Django's set_language (POST-only, touches no data, open to everyone by design).
# Static files are not URL patterns here (WhiteNoise serves them before the resolver).
SKIPPED_PREFIXES = ("admin/", "i18n/")


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            ns = ":".join(filter(None, [namespace, p.namespace]))
            yield from _walk(p.url_patterns, route, ns)
        elif isinstance(p, URLPattern):
            yield route, ":".join(filter(None, [namespace, p.name or ""]))


def project_url_names() -> dict[str, str]:
    """name → route of every URL pattern outside SKIPPED_PREFIXES ("" names an unnamed one)."""
    return {name: route for route, name in _walk(get_resolver().url_patterns) if not route.startswith(SKIPPED_PREFIXES)}


# --- The world -------------------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def build_world(media_root) -> SimpleNamespace:
    """Two instansi with an open SKP year; org.pegawai's approved SKP (one RHK, one IKI) under the
    approved chain kadis → kabid → kasi, with a realisation and its evidence in Triwulan I, a dialog,
    a lampiran, a FINAL evaluation with an objection, approved 360° invitations to colleagues; an SKM
    unit on the Dinas with a period, responses (one flagged) and a follow-up item; a score JobRun."""
    org = build_instansi("kota-uji", "Pemerintah Kota Uji")
    outsider = build_instansi("kota-lain", "Pemerintah Kota Lain")
    w = SimpleNamespace(org=org, outsider=outsider)
    w.superadmin = UserFactory(username="superadmin", is_superuser=True, is_staff=True)
    w.year = open_year(org)
    open_year(outsider)
    w.tw1 = PeriodeEvaluasi.objects.get(periode_skp=w.year, jenis="TRIWULANAN", ke=1)
    w.tw2 = PeriodeEvaluasi.objects.get(periode_skp=w.year, jenis="TRIWULANAN", ke=2)
    w.chain = approved_chain(org, w.year)
    w.skp = approved_skp(org.pegawai, w.year, rhk=("Berkas rujukan terverifikasi",), parent=w.chain["kasi"].rhk.first())
    w.rhk = w.skp.rhk.get()
    w.iki = w.rhk.iki.get()
    w.lampiran = LampiranSKP.objects.create(skp=w.skp, jenis="KONSEKUENSI", uraian="Sesuai peraturan")
    realisasi = ev.realisasi_save(iki=w.iki, periode=w.tw1, nilai=Decimal("3"), uraian="", by=org.pegawai.user)
    with override_settings(MEDIA_ROOT=media_root):
        w.bukti = ev.bukti_add(realisasi=realisasi, berkas=SimpleUploadedFile("bukti.pdf", PDF), by=org.pegawai.user)
    w.dialog = ev.dialog_add(skp=w.skp, jenis="UMPAN_BALIK", catatan="Baik", by=org.penilai.user)
    evaluasi = ev.evaluasi_open(skp=w.skp, periode=w.tw1, by=org.penilai.user)
    evaluasi = ev.evaluasi_save(
        evaluasi=evaluasi,
        versi=evaluasi.versi,
        by=org.penilai.user,
        rating_hasil_kerja="SESUAI",
        rating_perilaku_kerja="SESUAI",
    )
    w.evaluasi = ev.evaluasi_finalize(evaluasi=evaluasi, by=org.penilai.user, justifikasi="Unit kecil")
    w.keberatan = ev.keberatan_submit(evaluasi=w.evaluasi, alasan="Realisasi melebihi target.", by=org.pegawai.user)
    peers = [org.colleague, *(pegawai_in_post(org.jabatan.staff, nama=f"Rekan {c}") for c in "AB")]
    refresh(org.instansi)
    w.undangan = ev.undangan_360_create(skp=w.skp, periode=w.tw1, penilai=peers, by=org.penilai.user)[0]
    w.skm = survey_setup(org.instansi, unit=org.dinas)
    for nilai in (2, 3, 4):
        respons_with_answers(w.skm.unit_layanan, nilai)
    w.flagged = respons_with_answers(w.skm.unit_layanan, 1, status="DITANDAI", tanda="honeypot")
    w.tindak_lanjut = services_admin.tindak_lanjut_generate(periode=w.skm.periode, by=org.hr_admin)[0]
    w.jobrun = JobRun.objects.create(instansi=org.instansi, jenis="period_scores")
    w.katalog = katalog(org)
    w.impor_realisasi = ImporRealisasi.objects.create(
        instansi=org.instansi,
        periode_evaluasi=w.tw1,
        katalog=w.katalog,
        nama_berkas="pasien.csv",
        berkas="impor/realisasi/x",
        sha256="0" * 64,
        dibuat_oleh=org.hr_admin,
    )
    w.token = services_objektif.token_create(unit_kerja=org.seksi, nama_sistem="SIMPUS", by=org.hr_admin)[0]
    w.pelatihan = Pelatihan.objects.create(
        instansi=org.instansi, nama="Bimtek", jenis="KLASIKAL", bentuk="Bimbingan teknis", jp=24
    )
    w.jadwal = JadwalPelatihan.objects.create(
        instansi=org.instansi,
        pelatihan=w.pelatihan,
        mulai=datetime.date(2026, 4, 6),
        selesai=datetime.date(2026, 4, 10),
        tempat="BPSDM",
        penyelenggara="BPSDM",
        kuota=5,
    )
    w.peserta = PesertaPelatihan.objects.create(instansi=org.instansi, jadwal=w.jadwal, pegawai=org.pegawai)
    w.impor = ImporData.objects.create(
        instansi=org.instansi, jenis="PEGAWAI", nama_berkas="pegawai.csv", sha256="0" * 64, dibuat_oleh=org.hr_admin
    )
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once per module inside a transaction that is rolled back at the end; each test runs in
    a savepoint inside it (pytest-django's ``db``), so a test's writes never reach the next."""
    media = tmp_path_factory.mktemp("media")
    fast = override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    fast.enable()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world(media)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            fast.disable()


def user_of(w, persona):
    return {
        "anonymous": None,
        "pegawai": w.org.pegawai.user,
        "other_supervisor": w.org.other_penilai.user,
        "outsider_hr": w.outsider.hr_admin,
        "supervisor": w.org.penilai.user,
        "hr_admin": w.org.hr_admin,
        "superadmin": w.superadmin,
    }[persona]


# --- The matrix ----------------------------------------------------------------------------------------------


def skp_(w):
    return {"pk": w.skp.pk}


def periode_(w):
    return {"skp_pk": w.skp.pk, "periode_pk": w.tw1.pk}


def iki_(w):
    return {**periode_(w), "iki_pk": w.iki.pk}


KWARGS = {
    # accounts
    "accounts:login": lambda w: {},
    "accounts:logout": lambda w: {},
    "api:realisasi_push": lambda w: {},
    "appraisal:cascade_tree_children": lambda w: {"pegawai_pk": w.org.pegawai.pk},
    "talenta:jadwal_list": lambda w: {},
    "talenta:pelatihan_list": lambda w: {},
    "talenta:pelatihan_create": lambda w: {},
    "talenta:pelatihan_edit": lambda w: {"pk": w.pelatihan.pk},
    "talenta:jadwal_create": lambda w: {},
    "talenta:jadwal_detail": lambda w: {"pk": w.jadwal.pk},
    "talenta:jadwal_edit": lambda w: {"pk": w.jadwal.pk},
    "talenta:jadwal_peserta": lambda w: {"pk": w.jadwal.pk},
    "talenta:jadwal_presensi": lambda w: {"pk": w.jadwal.pk},
    "talenta:peserta_hapus": lambda w: {"pk": w.jadwal.pk, "peserta_pk": w.peserta.pk},
    "talenta:jadwal_dampak": lambda w: {"pk": w.jadwal.pk},
    "talenta:jadwal_dampak_export": lambda w: {"pk": w.jadwal.pk},
    "talenta:standar_list": lambda w: {},
    "talenta:standar_edit": lambda w: {"pk": w.org.jabatan.staff.pk},
    "talenta:penilaian_list": lambda w: {},
    "talenta:penilaian_edit": lambda w: {"pk": w.org.pegawai.pk},
    "appraisal:penilaian_diri": periode_,
    "appraisal:katalog_list": lambda w: {},
    "appraisal:katalog_create": lambda w: {},
    "appraisal:katalog_edit": lambda w: {"pk": w.katalog.pk},
    "appraisal:impor_realisasi_list": lambda w: {},
    "appraisal:impor_realisasi_create": lambda w: {},
    "appraisal:impor_realisasi_templat": lambda w: {},
    "appraisal:impor_realisasi_detail": lambda w: {"pk": w.impor_realisasi.pk},
    "appraisal:impor_realisasi_apply": lambda w: {"pk": w.impor_realisasi.pk},
    "appraisal:skm_tarik": lambda w: {},
    "appraisal:token_list": lambda w: {},
    "appraisal:token_create": lambda w: {},
    "appraisal:token_revoke": lambda w: {"pk": w.token.pk},
    "appraisal:objektivitas": lambda w: {},
    "appraisal:objektivitas_xlsx": lambda w: {},
    "accounts:home": lambda w: {},
    "accounts:instansi_activate": lambda w: {"pk": w.org.instansi.pk},
    "accounts:team": lambda w: {},
    "accounts:unit_list": lambda w: {},
    "accounts:impor_list": lambda w: {},
    "accounts:impor_create": lambda w: {},
    "accounts:impor_detail": lambda w: {"pk": w.impor.pk},
    "accounts:impor_apply": lambda w: {"pk": w.impor.pk},
    "accounts:impor_template": lambda w: {"jenis": "pegawai"},
    "accounts:unit_create": lambda w: {},
    "accounts:unit_edit": lambda w: {"pk": w.org.seksi.pk},
    "accounts:jabatan_list": lambda w: {},
    "accounts:jabatan_create": lambda w: {},
    "accounts:jabatan_edit": lambda w: {"pk": w.org.jabatan.staff.pk},
    "accounts:pegawai_list": lambda w: {},
    "accounts:pegawai_create": lambda w: {},
    "accounts:pegawai_detail": lambda w: {"pk": w.org.pegawai.pk},
    "accounts:pegawai_edit": lambda w: {"pk": w.org.pegawai.pk},
    "accounts:penugasan_create": lambda w: {"pegawai_pk": w.org.pegawai.pk},
    # appraisal: SKP planning
    "appraisal:my_skp": lambda w: {},
    "appraisal:skp_start": lambda w: {},
    "appraisal:inbox": lambda w: {},
    "appraisal:skp_detail": skp_,
    "appraisal:rhk_add": lambda w: {**skp_(w), "jenis": "utama"},
    "appraisal:rhk_edit": lambda w: {**skp_(w), "rhk_pk": w.rhk.pk},
    "appraisal:rhk_delete": lambda w: {**skp_(w), "rhk_pk": w.rhk.pk},
    "appraisal:iki_add": lambda w: {**skp_(w), "rhk_pk": w.rhk.pk},
    "appraisal:iki_edit": lambda w: {**skp_(w), "iki_pk": w.iki.pk},
    "appraisal:iki_delete": lambda w: {**skp_(w), "iki_pk": w.iki.pk},
    "appraisal:pendekatan_set": skp_,
    "appraisal:lampiran_add": skp_,
    "appraisal:lampiran_delete": lambda w: {**skp_(w), "lampiran_pk": w.lampiran.pk},
    "appraisal:skp_submit": skp_,
    "appraisal:ekspektasi_set": skp_,
    "appraisal:skp_return": skp_,
    "appraisal:skp_approve": skp_,
    "appraisal:skp_revise": skp_,
    "appraisal:distribute": skp_,
    "appraisal:periode_list": lambda w: {},
    "appraisal:periode_open": lambda w: {},
    "appraisal:progress": lambda w: {},
    "appraisal:cascade_tree": lambda w: {},
    "appraisal:skp_pdf": skp_,
    "appraisal:skp_history": skp_,
    # appraisal: evaluation
    "appraisal:realisasi_start": lambda w: {"skp_pk": w.skp.pk},
    "appraisal:realisasi": periode_,
    "appraisal:realisasi_save": iki_,
    "appraisal:bukti_add": iki_,
    "appraisal:bukti_download": lambda w: {"pk": w.bukti.pk},
    "appraisal:evaluasi_acknowledge": periode_,
    "appraisal:dialog": lambda w: {"skp_pk": w.skp.pk},
    "appraisal:dialog_acknowledge": lambda w: {"skp_pk": w.skp.pk, "pk": w.dialog.pk},
    "appraisal:evaluasi": periode_,
    "appraisal:evaluasi_distribusi": periode_,
    "appraisal:realisasi_verify": iki_,
    "appraisal:evaluasi_team": lambda w: {},
    "appraisal:capaian": lambda w: {},
    "appraisal:evaluasi_pdf": lambda w: {"pk": w.evaluasi.pk},
    "appraisal:dokumen_evaluasi_pdf": lambda w: {"pk": w.evaluasi.pk},
    # appraisal: keberatan and 360°
    "appraisal:keberatan_create": lambda w: {"evaluasi_pk": w.evaluasi.pk},
    "appraisal:keberatan_inbox": lambda w: {},
    "appraisal:keberatan_detail": lambda w: {"pk": w.keberatan.pk},
    "appraisal:keberatan_request_clarification": lambda w: {"pk": w.keberatan.pk},
    "appraisal:keberatan_clarify": lambda w: {"pk": w.keberatan.pk},
    "appraisal:keberatan_decide": lambda w: {"pk": w.keberatan.pk},
    "appraisal:undangan_360": periode_,
    "appraisal:undangan_360_approve": periode_,
    "appraisal:hasil_360": periode_,
    "appraisal:tugas_360": lambda w: {},
    "appraisal:jawaban_360": lambda w: {"undangan_pk": w.undangan.pk},
    # surveys: the citizen's pages
    "surveys_public:form": lambda w: {"kode": w.skm.saluran.kode},
    "surveys_public:thanks": lambda w: {"kode": w.skm.saluran.kode},
    "surveys_public:results": lambda w: {"kode": w.skm.saluran.kode},
    # surveys: administration and moderation
    "surveys:moderation": lambda w: {},
    "surveys:moderation_decide": lambda w: {},
    "surveys:moderation_detail": lambda w: {"pk": w.flagged.pk},
    "surveys:unit_list": lambda w: {},
    "surveys:unit_create": lambda w: {},
    "surveys:unit_detail": lambda w: {"pk": w.skm.unit_layanan.pk},
    "surveys:jenis_layanan_add": lambda w: {"pk": w.skm.unit_layanan.pk},
    "surveys:jenis_layanan_deactivate": lambda w: {"pk": w.skm.jenis_lain.pk},
    "surveys:saluran_add": lambda w: {"pk": w.skm.unit_layanan.pk},
    "surveys:saluran_toggle": lambda w: {"pk": w.skm.saluran_petugas.pk},
    "surveys:qr_png": lambda w: {"pk": w.skm.saluran.pk},
    "surveys:qr_pdf": lambda w: {"pk": w.skm.saluran.pk},
    "surveys:pertanyaan_edit": lambda w: {"pk": w.skm.unit_layanan.pertanyaan.get(unsur="U1").pk},
    "surveys:periode_create": lambda w: {"pk": w.skm.unit_layanan.pk},
    "surveys:results": lambda w: {"pk": w.skm.periode.pk},
    "surveys:periode_publish": lambda w: {"pk": w.skm.periode.pk},
    "surveys:tindak_lanjut": lambda w: {"pk": w.skm.periode.pk},
    "surveys:tindak_lanjut_update": lambda w: {"pk": w.tindak_lanjut.pk},
    "surveys:export_xlsx": lambda w: {"pk": w.skm.periode.pk},
    "surveys:export_pdf": lambda w: {"pk": w.skm.periode.pk},
    # reports
    "reports:late": lambda w: {},
    "reports:late_xlsx": lambda w: {},
    "reports:rekap_pdf": lambda w: {},
    "reports:rekap_xlsx": lambda w: {},
    "reports:dashboard": lambda w: {},
    "reports:dashboard_xlsx": lambda w: {},
    "reports:leniency": lambda w: {},
    "reports:leniency_xlsx": lambda w: {},
    "reports:hasil_tahunan_xlsx": lambda w: {},
    "reports:hasil_tahunan_csv": lambda w: {},
    "reports:scores": lambda w: {},
    "reports:scores_run": lambda w: {},
    "reports:run_detail": lambda w: {"pk": w.jobrun.pk},
    # talenta
    "talenta:grid": lambda w: {},
    "talenta:hitung": lambda w: {},
    "talenta:rekomendasi": lambda w: {},
    "talenta:rekomendasi_export": lambda w: {},
    "talenta:tim": lambda w: {},
    "talenta:saya": lambda w: {},
}


def row(*codes) -> dict[str, object]:
    """Expected statuses in PERSONAS order: anonymous, pegawai, other_supervisor, outsider_hr,
    supervisor, hr_admin, superadmin."""
    return dict(zip(PERSONAS, codes, strict=True))


# The recurring shapes of a row.
PUBLIC = row(200, 200, 200, 200, 200, 200, 200)
POST_ONLY = row(LOGIN, 405, 405, 405, 405, 405, 405)  # login_required runs before require_POST
# HR screens without an id: each HR admin sees their own instansi; a superadmin must choose one first.
HR_LIST = row(LOGIN, 403, 403, 200, 403, 200, 403)
# HR screens of one of org's objects: the outsider's HR admin does not learn that it exists.
HR_OBJECT = row(LOGIN, 403, 403, 404, 403, 200, 403)
# Org.pegawai's SKP, open to the employee, their pejabat penilai, their HR admin and the superadmin
# (who sees every instansi); the supervisor of another unit and the outsider get 404.
SKP_READ = row(LOGIN, 200, 404, 404, 200, 200, 200)
# Only the employee may change their SKP; others in reach get 403. (The SKP is approved, yet the
# owner's GET still opens the form or the confirmation; saving is left to the services to refuse.)
SKP_OWNER = row(LOGIN, 200, 404, 404, 403, 403, 403)
# Only the pejabat penilai decides.
SKP_PENILAI = row(LOGIN, 403, 404, 404, 200, 403, 403)
# Screens of one's own work as an employee (HR admins and the superadmin have no Pegawai).
OWN_WORK = row(LOGIN, 200, 200, 403, 200, 403, 403)

EXPECTED: dict[str, dict[str, object]] = {
    "accounts:login": row(200, 302, 302, 302, 302, 302, 302),  # a signed-in user goes home
    "accounts:logout": row(405, 405, 405, 405, 405, 405, 405),  # Django 5: POST only, for everyone
    "appraisal:katalog_list": HR_LIST,
    "appraisal:katalog_create": HR_LIST,
    "appraisal:katalog_edit": HR_OBJECT,
    "appraisal:impor_realisasi_list": HR_LIST,
    "appraisal:impor_realisasi_create": HR_LIST,
    "appraisal:impor_realisasi_templat": HR_LIST,
    "appraisal:impor_realisasi_detail": HR_OBJECT,
    "appraisal:impor_realisasi_apply": POST_ONLY,
    "appraisal:skm_tarik": POST_ONLY,
    "appraisal:token_list": HR_LIST,
    "appraisal:token_create": HR_LIST,
    "appraisal:token_revoke": POST_ONLY,
    "appraisal:objektivitas": HR_LIST,
    "appraisal:objektivitas_xlsx": HR_LIST,
    "talenta:jadwal_list": HR_LIST,
    "talenta:pelatihan_list": HR_LIST,
    "talenta:pelatihan_create": HR_LIST,
    "talenta:pelatihan_edit": HR_OBJECT,
    "talenta:jadwal_create": HR_LIST,
    "talenta:jadwal_detail": HR_OBJECT,
    "talenta:jadwal_edit": HR_OBJECT,
    "talenta:jadwal_peserta": HR_OBJECT,
    "talenta:jadwal_presensi": POST_ONLY,
    "talenta:peserta_hapus": POST_ONLY,
    "talenta:jadwal_dampak": HR_OBJECT,
    "talenta:jadwal_dampak_export": HR_OBJECT,
    "talenta:standar_list": HR_LIST,
    "talenta:standar_edit": HR_OBJECT,
    "talenta:penilaian_list": HR_LIST,
    "talenta:penilaian_edit": HR_OBJECT,
    # Between the employee and the pejabat penilai only; others in reach get 404.
    "appraisal:penilaian_diri": row(LOGIN, 200, 404, 404, 200, 404, 404),
    "appraisal:cascade_tree_children": row(LOGIN, 403, 404, 404, 200, 200, 403),  # the page's reach rule
    # Other systems POST with a unit token (appraisal/tests/test_api.py proves 401/403/400); no GET.
    "api:realisasi_push": row(405, 405, 405, 405, 405, 405, 405),
    "accounts:home": row(LOGIN, 200, 200, 200, 200, 200, 200),
    "accounts:instansi_activate": POST_ONLY,
    "accounts:team": OWN_WORK,
    "accounts:unit_list": HR_LIST,
    "accounts:impor_list": HR_LIST,
    "accounts:impor_create": HR_LIST,
    "accounts:impor_detail": HR_OBJECT,
    "accounts:impor_apply": POST_ONLY,
    "accounts:impor_template": HR_LIST,
    "accounts:unit_create": HR_LIST,
    "accounts:unit_edit": HR_OBJECT,
    "accounts:jabatan_list": HR_LIST,
    "accounts:jabatan_create": HR_LIST,
    "accounts:jabatan_edit": HR_OBJECT,
    # Supervisors list their subordinates; a superadmin without an instansi lists everyone.
    "accounts:pegawai_list": row(LOGIN, 403, 200, 200, 200, 200, 200),
    "accounts:pegawai_create": HR_LIST,
    "accounts:pegawai_detail": SKP_READ,
    "accounts:pegawai_edit": HR_OBJECT,
    "accounts:penugasan_create": HR_OBJECT,
    "appraisal:my_skp": OWN_WORK,
    "appraisal:skp_start": POST_ONLY,
    "appraisal:inbox": OWN_WORK,
    "appraisal:skp_detail": SKP_READ,
    "appraisal:rhk_add": SKP_OWNER,
    "appraisal:rhk_edit": SKP_OWNER,
    "appraisal:rhk_delete": SKP_OWNER,
    "appraisal:iki_add": SKP_OWNER,
    "appraisal:iki_edit": SKP_OWNER,
    "appraisal:iki_delete": SKP_OWNER,
    "appraisal:pendekatan_set": POST_ONLY,
    "appraisal:lampiran_add": POST_ONLY,
    "appraisal:lampiran_delete": SKP_OWNER,
    "appraisal:skp_submit": SKP_OWNER,
    "appraisal:ekspektasi_set": POST_ONLY,
    "appraisal:skp_return": SKP_PENILAI,
    "appraisal:skp_approve": SKP_PENILAI,
    "appraisal:skp_revise": row(LOGIN, 200, 404, 404, 200, 403, 403),  # either side asks for a revision
    "appraisal:distribute": SKP_OWNER,
    "appraisal:periode_list": HR_LIST,
    "appraisal:periode_open": HR_LIST,
    "appraisal:progress": HR_LIST,
    "appraisal:cascade_tree": row(LOGIN, 403, 200, 200, 200, 200, 403),  # HR and supervisors
    "appraisal:skp_pdf": SKP_READ,
    "appraisal:skp_history": SKP_READ,
    "appraisal:realisasi_start": row(LOGIN, 302, 404, 404, 302, 302, 302),  # on to the current period
    "appraisal:realisasi": SKP_READ,
    "appraisal:realisasi_save": POST_ONLY,
    "appraisal:bukti_add": POST_ONLY,
    "appraisal:bukti_download": SKP_READ,
    "appraisal:evaluasi_acknowledge": POST_ONLY,
    "appraisal:dialog": SKP_READ,
    "appraisal:dialog_acknowledge": POST_ONLY,
    "appraisal:evaluasi": SKP_READ,  # final, so the employee sees it too
    "appraisal:evaluasi_distribusi": SKP_PENILAI,
    "appraisal:realisasi_verify": POST_ONLY,
    "appraisal:evaluasi_team": OWN_WORK,
    "appraisal:capaian": row(LOGIN, 403, 403, 403, 403, 403, 403),  # only a kepala unit (none here)
    "appraisal:evaluasi_pdf": SKP_READ,
    "appraisal:dokumen_evaluasi_pdf": SKP_READ,
    # The employee, who has objected already, is taken to the objection.
    "appraisal:keberatan_create": row(LOGIN, 302, 404, 404, 403, 403, 403),
    "appraisal:keberatan_inbox": row(LOGIN, 200, 200, 200, 200, 200, 403),
    "appraisal:keberatan_detail": SKP_READ,
    "appraisal:keberatan_request_clarification": POST_ONLY,
    "appraisal:keberatan_clarify": POST_ONLY,
    "appraisal:keberatan_decide": POST_ONLY,
    # 360°: the employee and the pejabat penilai only; HR sees the evaluation, not the raters' page.
    "appraisal:undangan_360": row(LOGIN, 200, 404, 404, 200, 403, 403),
    "appraisal:undangan_360_approve": POST_ONLY,
    "appraisal:hasil_360": row(LOGIN, 200, 404, 404, 200, 403, 403),
    "appraisal:tugas_360": row(LOGIN, 200, 200, 200, 200, 200, 200),  # one's own (maybe empty) list
    "appraisal:jawaban_360": row(LOGIN, 404, 404, 404, 404, 404, 404),  # only the invited colleague
    "surveys_public:form": PUBLIC,
    "surveys_public:thanks": PUBLIC,
    "surveys_public:results": PUBLIC,
    "surveys:moderation": HR_LIST,
    "surveys:moderation_decide": POST_ONLY,
    "surveys:moderation_detail": HR_OBJECT,
    "surveys:unit_list": HR_LIST,
    "surveys:unit_create": HR_LIST,
    "surveys:unit_detail": HR_OBJECT,
    "surveys:jenis_layanan_add": POST_ONLY,
    "surveys:jenis_layanan_deactivate": POST_ONLY,
    "surveys:saluran_add": POST_ONLY,
    "surveys:saluran_toggle": POST_ONLY,
    "surveys:qr_png": HR_OBJECT,
    "surveys:qr_pdf": HR_OBJECT,
    "surveys:pertanyaan_edit": HR_OBJECT,
    "surveys:periode_create": HR_OBJECT,
    "surveys:results": HR_OBJECT,
    "surveys:periode_publish": POST_ONLY,
    "surveys:tindak_lanjut": HR_OBJECT,  # (and the kepala unit of the Dinas, not a persona here)
    "surveys:tindak_lanjut_update": POST_ONLY,
    "surveys:export_xlsx": HR_OBJECT,
    "surveys:export_pdf": HR_OBJECT,
    "reports:late": HR_LIST,
    "reports:late_xlsx": HR_LIST,
    "reports:rekap_pdf": HR_LIST,
    "reports:rekap_xlsx": HR_LIST,
    "reports:dashboard": HR_LIST,
    "reports:dashboard_xlsx": HR_LIST,
    "reports:leniency": HR_LIST,
    "reports:leniency_xlsx": HR_LIST,
    "reports:hasil_tahunan_xlsx": HR_LIST,
    "reports:hasil_tahunan_csv": HR_LIST,
    "reports:scores": HR_LIST,
    "reports:scores_run": POST_ONLY,
    "reports:run_detail": HR_OBJECT,
    "talenta:grid": HR_LIST,
    "talenta:hitung": POST_ONLY,
    "talenta:rekomendasi": HR_LIST,
    "talenta:rekomendasi_export": HR_LIST,
    "talenta:tim": row(LOGIN, 403, 200, 403, 200, 403, 403),  # supervisors only
    "talenta:saya": OWN_WORK,
}

# Cells that answer wrongly today: (name, persona) → reason naming the file and the bug. Each is a
# strict xfail, so fixing the bug turns it into a failure that asks for this entry to go.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


def test_every_url_is_in_the_matrix():
    names = project_url_names()
    unnamed = sorted(route for name, route in names.items() if not name or name.endswith(":"))
    missing = sorted(set(names) - set(EXPECTED) - {""})
    stale = sorted(set(EXPECTED) - set(names))
    assert not unnamed, f"URL patterns without a name cannot be in the permission matrix: {unnamed}"
    assert not missing, (
        f"URL names missing from tests/test_permission_matrix.py (add a KWARGS and an EXPECTED row for each): {missing}"
    )
    assert not stale, f"Rows for URL names that no longer exist: {stale}"
    assert set(KWARGS) == set(EXPECTED)


def _cells():
    for name in sorted(EXPECTED):
        for persona in PERSONAS:
            marks = []
            if (name, persona) in KNOWN_BUGS:
                marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[name, persona]))
            yield pytest.param(name, persona, id=f"{name}-{persona}", marks=marks)


def outcome(response) -> object:
    """The status, with a redirect to the login page told apart from any other redirect."""
    if response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")):
        return LOGIN
    return response.status_code


def as_persona(client, w, persona):
    user = user_of(w, persona)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(("name", "persona"), list(_cells()))
def test_get(client, world, db, name, persona):
    url = reverse(name, kwargs=KWARGS[name](world))
    assert outcome(as_persona(client, world, persona).get(url)) == EXPECTED[name][persona], url


# --- Writes by the wrong persona ---------------------------------------------------------------------------------
# A few representative write endpoints, POSTed with a valid payload by everyone who may not use them.
# Each row: (payload, {persona: expected}, what must stay as it was[, kwargs if not KWARGS']). The right persona is left out:
# their POST would succeed, which the app's own tests check.


def _realisasi(w):
    return {f"iki{w.iki.pk}-nilai": "15", f"iki{w.iki.pk}-uraian": "Diubah orang lain"}


def _pegawai_form(w):
    """org.pegawai's form as the HR admin would post it, with another name."""
    fields = ["jenis_asn", "nip", "nip_lama", "gelar_depan", "gelar_belakang", "jenis_kelamin", "tanggal_lahir"]
    data = model_to_dict(w.org.pegawai, fields=[*fields, "golongan", "status", "email"])
    return {k: ("" if v is None else v) for k, v in data.items()} | {"nama": "Nama Pengganti"}


def _tw2(w):
    """Triwulan II: still open for realisation (Triwulan I has its final evaluation)."""
    return {**iki_(w), "periode_pk": w.tw2.pk}


WRITES = {
    "appraisal:rhk_delete": (
        lambda w: {},
        row(LOGIN, None, 404, 404, 403, 403, 403),
        lambda w: list(RHK.objects.filter(skp=w.skp).values_list("pk", flat=True)),
    ),
    "appraisal:realisasi_save": (
        _realisasi,
        row(LOGIN, None, 404, 404, 403, 403, 403),
        lambda w: list(Realisasi.objects.filter(iki=w.iki).values_list("nilai", "uraian")),
        _tw2,
    ),
    "appraisal:dialog_acknowledge": (
        lambda w: {},
        row(LOGIN, None, 404, 404, 403, 403, 403),
        lambda w: DialogKinerja.objects.get(pk=w.dialog.pk).diakui_pada,
    ),
    "appraisal:keberatan_decide": (
        lambda w: {
            "keputusan": "DIUBAH",
            "rating_hasil_kerja": "DI_ATAS",
            "rating_perilaku_kerja": "DI_ATAS",
            "pertimbangan": "Diputus oleh yang tidak berwenang.",
        },
        row(LOGIN, 403, 404, 404, 403, 403, 403),  # only the atasan pejabat penilai decides
        lambda w: (
            Keberatan.objects.get(pk=w.keberatan.pk).status,
            list(Evaluasi.objects.filter(skp=w.skp).values_list("pk", "predikat")),
        ),
    ),
    "accounts:pegawai_edit": (
        _pegawai_form,
        row(LOGIN, 403, 403, 404, 403, None, 403),
        lambda w: type(w.org.pegawai).objects.get(pk=w.org.pegawai.pk).nama,
    ),
    "surveys:saluran_toggle": (
        lambda w: {},
        row(LOGIN, 403, 403, 404, 403, None, 403),
        lambda w: list(SaluranSurvei.objects.order_by("pk").values_list("pk", "aktif")),
    ),
    "surveys:moderation_decide": (
        lambda w: {"respons": [w.flagged.pk], "aksi": AKSI_TERIMA, "konfirmasi": "1"},
        row(LOGIN, 403, 403, 404, 403, None, 403),
        lambda w: list(Respons.objects.order_by("pk").values_list("pk", "status")),
    ),
    "reports:scores_run": (
        lambda w: {"periode": w.tw1.pk},
        row(LOGIN, 403, 403, 404, 403, None, 403),
        lambda w: JobRun.objects.count(),
    ),
}


# Who may use each write above: their POST with the same payload changes the state, so the refusals
# above are about the persona, not a payload the form would refuse anyway.
RIGHT_PERSONA = {
    "appraisal:rhk_delete": None,  # the SKP is approved: nobody deletes its RHK (see SKP_OWNER)
    "appraisal:realisasi_save": "pegawai",
    "appraisal:dialog_acknowledge": "pegawai",
    "appraisal:keberatan_decide": None,  # the atasan pejabat penilai, not a persona of the matrix
    "accounts:pegawai_edit": "hr_admin",
    "surveys:saluran_toggle": "hr_admin",
    "surveys:moderation_decide": "hr_admin",
    "reports:scores_run": "hr_admin",
}


@pytest.mark.parametrize("name", sorted(n for n, p in RIGHT_PERSONA.items() if p))
def test_the_same_write_by_the_right_persona_changes_the_state(client, world, db, name):
    payload, _expected, state, *kwargs = WRITES[name]
    url = reverse(name, kwargs=(kwargs[0] if kwargs else KWARGS[name])(world))
    before = state(world)
    as_persona(client, world, RIGHT_PERSONA[name]).post(url, payload(world))
    assert state(world) != before


def _write_cells():
    for name, (_data, expected, *_rest) in sorted(WRITES.items()):
        for persona, status in expected.items():
            if status is not None:
                yield pytest.param(name, persona, id=f"{name}-{persona}")


@pytest.mark.parametrize(("name", "persona"), list(_write_cells()))
def test_a_write_by_the_wrong_persona_is_refused_and_changes_nothing(client, world, db, name, persona):
    payload, expected, state, *kwargs = WRITES[name]
    url = reverse(name, kwargs=(kwargs[0] if kwargs else KWARGS[name])(world))
    before = state(world)
    response = as_persona(client, world, persona).post(url, payload(world))
    assert outcome(response) == expected[persona], url
    assert state(world) == before
