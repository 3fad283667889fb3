"""Evaluation services: realisations, evidence, feedback, ratings, distribution, finalisation,
objections and 360°, with the refusals that protect them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.tests.factories import pegawai_in_post, refresh
from appraisal import services_evaluasi as ev
from appraisal.models import CoreValue, Evaluasi, Jawaban360, PeriodeEvaluasi
from appraisal.tests.factories import approved_chain, approved_skp, open_year

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture
def year(org):
    return open_year(org)


@pytest.fixture
def tw1(year):
    return PeriodeEvaluasi.objects.get(periode_skp=year, jenis="TRIWULANAN", ke=1)


@pytest.fixture
def skp(org, year):
    chain = approved_chain(org, year)
    return approved_skp(org.pegawai, year, rhk=("Berkas rujukan terverifikasi",), parent=chain["kasi"].rhk.first())


@pytest.fixture
def iki(skp):
    return skp.rhk.get().iki.get()


def test_opening_a_year_creates_its_quarters_and_the_annual_period(year):
    labels = list(PeriodeEvaluasi.objects.filter(periode_skp=year).values_list("label", flat=True))
    assert labels == ["TAHUNAN", "TRIWULAN I", "TRIWULAN II", "TRIWULAN III", "TRIWULAN IV-AKHIR"]


def test_the_employee_records_a_realisation_with_a_pdf(org, iki, tw1):
    realisasi = ev.realisasi_save(iki=iki, periode=tw1, nilai=Decimal("30"), uraian="", by=org.pegawai.user)
    bukti = ev.bukti_add(realisasi=realisasi, berkas=SimpleUploadedFile("laporan.pdf", PDF), by=org.pegawai.user)
    assert bukti.content_type == "application/pdf"
    assert "laporan" not in bukti.berkas.name  # stored under a random name
    assert bukti.nama == "laporan.pdf"


def test_a_file_is_judged_by_its_content_not_its_name(org, iki, tw1):
    realisasi = ev.realisasi_save(iki=iki, periode=tw1, nilai=Decimal("30"), uraian="", by=org.pegawai.user)
    with pytest.raises(ValidationError, match="Jenis berkas tidak diizinkan"):
        ev.bukti_add(
            realisasi=realisasi, berkas=SimpleUploadedFile("foto.pdf", b"MZ\x90\x00 not a pdf"), by=org.pegawai.user
        )
    assert not realisasi.bukti.exists()


def test_a_file_over_five_megabytes_is_refused(org, iki, tw1):
    realisasi = ev.realisasi_save(iki=iki, periode=tw1, nilai=Decimal("30"), uraian="", by=org.pegawai.user)
    big = SimpleUploadedFile("besar.pdf", PDF + b"0" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError, match="terlalu besar"):
        ev.bukti_add(realisasi=realisasi, berkas=big, by=org.pegawai.user)


def test_a_kuantitatif_realisation_must_be_a_number(org, iki, tw1):
    with pytest.raises(ValidationError, match="harus berupa angka"):
        ev.realisasi_save(iki=iki, periode=tw1, nilai=None, uraian="sudah banyak", by=org.pegawai.user)


def test_a_colleague_cannot_record_someone_elses_realisation(org, iki, tw1):
    with pytest.raises(PermissionDenied):
        ev.realisasi_save(iki=iki, periode=tw1, nilai=Decimal("1"), uraian="", by=org.colleague.user)


def test_a_sourced_realisation_cannot_be_overwritten_by_the_employee(org, iki, tw1):
    realisasi = ev.realisasi_save(iki=iki, periode=tw1, nilai=Decimal("30"), uraian="", by=org.pegawai.user)
    realisasi.sumber = "BERKAS"
    realisasi.save()
    with pytest.raises(ValidationError, match="tidak dapat diubah pegawai"):
        ev.realisasi_save(iki=iki, periode=tw1, nilai=Decimal("99"), uraian="", by=org.pegawai.user)


def test_feedback_is_given_by_the_supervisor_and_acknowledged_by_the_employee(org, skp):
    dialog = ev.dialog_add(
        skp=skp, jenis="UMPAN_BALIK", catatan="Lengkapi lampiran rujukan.", rhk=skp.rhk.get(), by=org.penilai.user
    )
    with pytest.raises(PermissionDenied):
        ev.dialog_add(skp=skp, jenis="UMPAN_BALIK", catatan="Saya juga", by=org.colleague.user)
    ev.dialog_acknowledge(dialog=dialog, by=org.pegawai.user)
    assert dialog.diakui_pada is not None


def rate(org, skp, periode, hasil="SESUAI", perilaku="SESUAI"):
    evaluasi = ev.evaluasi_open(skp=skp, periode=periode, by=org.penilai.user)
    return ev.evaluasi_save(
        evaluasi=evaluasi,
        versi=evaluasi.versi,
        by=org.penilai.user,
        rating_hasil_kerja=hasil,
        rating_perilaku_kerja=perilaku,
    )


def test_the_predikat_follows_from_the_matrix(org, skp, tw1):
    assert rate(org, skp, tw1, "DI_ATAS", "DI_BAWAH").predikat == "KURANG"


def test_only_the_pejabat_penilai_rates(org, skp, tw1):
    for someone in (org.pegawai, org.other_penilai, org.atasan_penilai):
        with pytest.raises(PermissionDenied):
            ev.evaluasi_open(skp=skp, periode=tw1, by=someone.user)


def test_a_stale_save_is_refused_so_neither_change_is_lost(org, skp, tw1):
    evaluasi = ev.evaluasi_open(skp=skp, periode=tw1, by=org.penilai.user)
    loaded_at = evaluasi.versi
    ev.evaluasi_save(evaluasi=evaluasi, versi=loaded_at, by=org.penilai.user, rating_hasil_kerja="DI_ATAS")
    with pytest.raises(ValidationError, match="baru saja diubah"):
        ev.evaluasi_save(evaluasi=evaluasi, versi=loaded_at, by=org.penilai.user, rating_hasil_kerja="DI_BAWAH")
    evaluasi.refresh_from_db()
    assert evaluasi.rating_hasil_kerja == "DI_ATAS"


def test_a_final_evaluation_is_immutable(org, skp, tw1):
    evaluasi = rate(org, skp, tw1)
    ev.evaluasi_finalize(evaluasi=evaluasi, by=org.penilai.user)
    evaluasi.refresh_from_db()
    assert evaluasi.status == "FINAL" and evaluasi.snapshot["pegawai"]["nama"] == org.pegawai.nama_lengkap
    with pytest.raises(ValidationError, match="sudah final"):
        ev.evaluasi_save(evaluasi=evaluasi, versi=evaluasi.versi, by=org.penilai.user, rating_hasil_kerja="DI_BAWAH")
    with pytest.raises(ValidationError, match="sudah final"):
        ev.realisasi_save(iki=skp.rhk.get().iki.get(), periode=tw1, nilai=Decimal("1"), uraian="", by=org.pegawai.user)


def test_finalising_needs_both_ratings(org, skp, tw1):
    evaluasi = rate(org, skp, tw1, hasil="SESUAI", perilaku="")
    with pytest.raises(ValidationError, match="Isi Rating Hasil Kerja dan Rating Perilaku Kerja"):
        ev.evaluasi_finalize(evaluasi=evaluasi, by=org.penilai.user)


@pytest.fixture
def big_seksi(org, year):
    """Five more staff in the seksi, so the unit is not small and the curve applies."""
    staff = [pegawai_in_post(org.jabatan.staff) for _ in range(5)]
    refresh(org.instansi)
    return staff


def test_breaking_the_curve_needs_a_justification_in_warn_mode(org, year, skp, tw1, big_seksi):
    ev.capaian_set(unit=org.seksi, periode=tw1, predikat="BUTUH_PERBAIKAN", catatan="", by=org.kepala_unit.user)
    evaluasi = rate(org, skp, tw1, "DI_ATAS", "DI_ATAS")  # Sangat Baik while BP requires ≥ 60 % BP
    status = ev.distribution_status(unit=org.seksi, periode=tw1)
    assert status.capaian == "BUTUH_PERBAIKAN" and status.counts == {"SANGAT_BAIK": 1}
    with pytest.raises(ValidationError, match="Tuliskan justifikasi"):
        ev.evaluasi_finalize(evaluasi=evaluasi, by=org.penilai.user)
    ev.evaluasi_finalize(evaluasi=evaluasi, by=org.penilai.user, justifikasi="Inovasi rujukan daring")
    evaluasi.refresh_from_db()
    assert evaluasi.capaian_organisasi == "BUTUH_PERBAIKAN"


def test_breaking_the_curve_is_refused_in_block_mode(org, year, skp, tw1, big_seksi):
    org.instansi.distribusi_mode = "BLOCK"
    org.instansi.save()
    ev.capaian_set(unit=org.dinas, periode=tw1, predikat="SANGAT_KURANG", catatan="", by=org.kepala_unit.user)
    evaluasi = rate(org, skp, tw1, "DI_ATAS", "DI_ATAS")
    with pytest.raises(ValidationError, match="finalisasi ditolak"):
        ev.evaluasi_finalize(evaluasi=evaluasi, by=org.penilai.user, justifikasi="apa pun")


def test_a_small_unit_may_justify_even_in_block_mode(org, year, skp, tw1):
    org.instansi.distribusi_mode = "BLOCK"
    org.instansi.save()
    ev.capaian_set(unit=org.seksi, periode=tw1, predikat="SANGAT_KURANG", catatan="", by=org.kepala_unit.user)
    evaluasi = rate(org, skp, tw1, "DI_ATAS", "DI_ATAS")
    ev.evaluasi_finalize(evaluasi=evaluasi, by=org.penilai.user, justifikasi="Unit hanya tiga orang")


def test_only_a_head_above_sets_the_organisation_achievement(org, tw1):
    with pytest.raises(PermissionDenied):
        ev.capaian_set(unit=org.seksi, periode=tw1, predikat="BAIK", catatan="", by=org.pegawai.user)
    with pytest.raises(PermissionDenied):
        ev.capaian_set(unit=org.dinas, periode=tw1, predikat="BAIK", catatan="", by=org.other_penilai.user)


def test_pp30_numeric_mode_scores_beside_the_predikat(org, skp, tw1):
    org.instansi.mode_numerik_pp30 = True
    org.instansi.save()
    evaluasi = ev.evaluasi_open(skp=skp, periode=tw1, by=org.penilai.user)
    evaluasi = ev.evaluasi_save(
        evaluasi=evaluasi, versi=evaluasi.versi, by=org.penilai.user,
        rating_hasil_kerja="SESUAI", rating_perilaku_kerja="SESUAI",
        nilai_skp=Decimal("100"), nilai_perilaku=Decimal("80"),
    )  # fmt: skip
    assert evaluasi.nilai_kinerja == Decimal("94.00")
    assert evaluasi.predikat_numerik == "BAIK"


@pytest.fixture
def final(org, skp, tw1):
    evaluasi = rate(org, skp, tw1, "SESUAI", "SESUAI")
    return ev.evaluasi_finalize(evaluasi=evaluasi, by=org.penilai.user)


def test_the_objection_goes_to_the_atasan_who_changes_the_result(org, final):
    keberatan = ev.keberatan_submit(evaluasi=final, alasan="Realisasi saya melampaui target.", by=org.pegawai.user)
    with pytest.raises(PermissionDenied):
        ev.keberatan_decide(keberatan=keberatan, by=org.penilai.user, ubah=True, pertimbangan="x")
    ev.keberatan_request_clarification(keberatan=keberatan, by=org.atasan_penilai.user)
    ev.keberatan_clarify(keberatan=keberatan, text="Target tercapai 120 %.", by=org.pegawai.user)
    ev.keberatan_clarify(keberatan=keberatan, text="Perilaku tetap sesuai.", by=org.penilai.user)
    ev.keberatan_decide(
        keberatan=keberatan, by=org.atasan_penilai.user, ubah=True, pertimbangan="Bukti kuat",
        rating_hasil_kerja="DI_ATAS", rating_perilaku_kerja="DI_ATAS",
    )  # fmt: skip
    final.refresh_from_db()
    keberatan.refresh_from_db()
    assert final.predikat == "SANGAT_BAIK"
    assert (keberatan.status, keberatan.predikat_asli) == ("DIUBAH", "BAIK")
    with pytest.raises(ValidationError, match="bersifat final"):
        ev.keberatan_decide(keberatan=keberatan, by=org.atasan_penilai.user, ubah=False, pertimbangan="lagi")


def test_an_objection_after_fourteen_days_is_refused(org, final):
    Evaluasi.objects.filter(pk=final.pk).update(difinalkan_pada=timezone.now() - datetime.timedelta(days=15))
    final.refresh_from_db()
    with pytest.raises(ValidationError, match="sudah lewat"):
        ev.keberatan_submit(evaluasi=final, alasan="Terlambat", by=org.pegawai.user)


def test_an_objection_on_the_fourteenth_day_is_accepted(org, final):
    Evaluasi.objects.filter(pk=final.pk).update(difinalkan_pada=timezone.now() - datetime.timedelta(days=14))
    final.refresh_from_db()
    assert ev.keberatan_submit(evaluasi=final, alasan="Tepat waktu", by=org.pegawai.user).status == "DIAJUKAN"


@pytest.fixture
def raters(org):
    people = [org.colleague, org.other_staff, org.other_penilai]
    return people


def answer_all(undangan, by, skor=3):
    values = list(CoreValue.objects.values_list("pk", flat=True))
    ev.jawaban_360_submit(
        undangan=undangan, skor=dict.fromkeys(values, skor), komentar={values[0]: "Sigap"}, by=by.user
    )


def test_360_needs_three_raters_and_shows_results_only_after_three_answers(org, skp, tw1, raters):
    with pytest.raises(ValidationError, match="paling sedikit tiga"):
        ev.undangan_360_create(skp=skp, periode=tw1, penilai=raters[:2], by=org.penilai.user)
    invitations = ev.undangan_360_create(skp=skp, periode=tw1, penilai=raters, by=org.penilai.user)
    answer_all(invitations[0], raters[0])
    answer_all(invitations[1], raters[1], skor=2)
    assert ev.hasil_360(skp=skp, periode=tw1) is None
    answer_all(invitations[2], raters[2], skor=1)
    result = ev.hasil_360(skp=skp, periode=tw1)
    assert result["responden"] == 3
    assert all(v["rata_rata"] == 2 for v in result["per_nilai"].values())


def test_360_answers_carry_no_trace_of_the_rater(org, skp, tw1, raters):
    fields = {f.name for f in Jawaban360._meta.get_fields()}
    assert not fields & {"penilai", "undangan", "oleh", "user"}


def test_a_rater_cannot_answer_twice_or_for_someone_else(org, skp, tw1, raters):
    invitations = ev.undangan_360_create(skp=skp, periode=tw1, penilai=raters, by=org.penilai.user)
    answer_all(invitations[0], raters[0])
    with pytest.raises(ValidationError, match="sudah mengisi"):
        answer_all(invitations[0], raters[0])
    with pytest.raises(PermissionDenied):
        answer_all(invitations[1], raters[0])


def test_the_employees_own_invitations_wait_for_approval(org, skp, tw1, raters):
    invitations = ev.undangan_360_create(skp=skp, periode=tw1, penilai=raters, by=org.pegawai.user)
    with pytest.raises(PermissionDenied):
        answer_all(invitations[0], raters[0])
    assert ev.undangan_360_approve(skp=skp, periode=tw1, by=org.penilai.user) == 3
