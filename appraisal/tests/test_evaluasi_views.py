"""The evaluation screens as the employee, the pejabat penilai, the head of unit and the others
who may (or may not) see an SKP meet them."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import pegawai_in_post, refresh
from appraisal import services_evaluasi as ev
from appraisal.models import IKI, BuktiDukung, CapaianOrganisasi, DialogKinerja, Evaluasi, PeriodeEvaluasi, Realisasi
from appraisal.tests.factories import add_rhk, approved_chain, approved_skp, open_year

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, *args):
    return reverse(f"appraisal:{name}", args=args)


@pytest.fixture
def year(org):
    return open_year(org)


@pytest.fixture
def tw1(year):
    return PeriodeEvaluasi.objects.get(periode_skp=year, jenis="TRIWULANAN", ke=1)


@pytest.fixture
def tahunan(year):
    return PeriodeEvaluasi.objects.get(periode_skp=year, jenis="TAHUNAN")


@pytest.fixture
def chain(org, year):
    return approved_chain(org, year)


@pytest.fixture
def skp(org, year, chain):
    """org.pegawai's approved SKP: one RHK with one IKI "Jumlah berkas rujukan terverifikasi", target 12 dokumen."""
    return approved_skp(org.pegawai, year, rhk=("Berkas rujukan terverifikasi",), parent=chain["kasi"].rhk.first())


@pytest.fixture
def iki(skp):
    return skp.rhk.get().iki.get()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def realisasi_data(iki, nilai="", uraian=""):
    return {f"iki{iki.pk}-nilai": nilai, f"iki{iki.pk}-uraian": uraian}


def evaluation_data(evaluasi, **fields):
    data = {"versi": evaluasi.versi, "rating_hasil_kerja": "", "rating_perilaku_kerja": "", "catatan_rekomendasi": ""}
    return data | fields


def open_evaluation(org, skp, periode):
    return ev.evaluasi_open(skp=skp, periode=periode, by=org.penilai.user)


def rate(org, skp, periode, hasil, perilaku):
    evaluasi = open_evaluation(org, skp, periode)
    return ev.evaluasi_save(
        evaluasi=evaluasi,
        versi=evaluasi.versi,
        by=org.penilai.user,
        rating_hasil_kerja=hasil,
        rating_perilaku_kerja=perilaku,
    )


def text(response) -> str:
    return response.content.decode()


# --- The whole journey through the screens --------------------------------------------------------


def test_realisation_evidence_rating_finalisation_and_acceptance_through_the_screens(
    as_user, org, skp, iki, tw1, media
):
    client = as_user(org.pegawai)
    # The employee opens the realisation page of Triwulan I …
    page = client.get(url("realisasi", skp.pk, tw1.pk))
    assert page.status_code == 200
    assert "Jumlah berkas rujukan terverifikasi" in text(page) and "12 dokumen" in text(page)
    # … records 15 of a target of 12 and sees the computed capaian after saving …
    response = client.post(url("realisasi_save", skp.pk, tw1.pk, iki.pk), realisasi_data(iki, "15", "Semua lengkap"))
    assert response.status_code == 302
    assert Realisasi.objects.get(iki=iki, periode_evaluasi=tw1).nilai == Decimal("15")
    page = client.get(url("realisasi", skp.pk, tw1.pk))
    assert "125,0%" in text(page)
    assert "Belum diverifikasi" in text(page) and "Dilaporkan sendiri" in text(page)
    # … and uploads a PDF as evidence.
    upload = SimpleUploadedFile("laporan-tw1.pdf", PDF, content_type="application/pdf")
    response = client.post(url("bukti_add", skp.pk, tw1.pk, iki.pk), {f"bukti{iki.pk}-berkas": upload})
    assert response.status_code == 302
    bukti = BuktiDukung.objects.get()
    assert bukti.nama == "laporan-tw1.pdf" and (media / bukti.berkas.name).read_bytes() == PDF

    # The pejabat penilai opens the evaluation: the capaian and the evidence link are there.
    client = as_user(org.penilai)
    page = client.get(url("evaluasi", skp.pk, tw1.pk))
    assert page.status_code == 200
    evaluasi = Evaluasi.objects.get(skp=skp, periode_evaluasi=tw1)
    assert "125,0%" in text(page)
    assert url("bukti_download", bukti.pk) in text(page)
    assert client.get(url("bukti_download", bukti.pk)).getvalue() == PDF
    # They verify the self-reported value …
    response = client.post(url("realisasi_verify", skp.pk, tw1.pk, iki.pk), {"verified": "1"}, **HTMX)
    assert "Terverifikasi" in text(response)
    assert Realisasi.objects.get(iki=iki).diverifikasi is True
    # … rate, and the predikat is computed from the matrix …
    rhk = skp.rhk.get()
    data = evaluation_data(
        evaluasi, rating_hasil_kerja="DI_ATAS", rating_perilaku_kerja="SESUAI", **{f"ub_rhk_{rhk.pk}": "Rapi."}
    )
    assert client.post(url("evaluasi", skp.pk, tw1.pk), data | {"action": "simpan"}).status_code == 302
    evaluasi.refresh_from_db()
    assert evaluasi.predikat == "BAIK"
    page = client.get(url("evaluasi", skp.pk, tw1.pk))
    assert 'data-predikat-live data-empty="pilih kedua rating" data-predikat="BAIK"' in text(page)
    # … and finalise.
    data |= {"versi": evaluasi.versi, "action": "finalkan"}
    assert client.post(url("evaluasi", skp.pk, tw1.pk), data).status_code == 302
    evaluasi.refresh_from_db()
    assert evaluasi.status == "FINAL"
    page = client.get(url("evaluasi", skp.pk, tw1.pk))
    assert 'data-status="FINAL"' in text(page) and 'name="rating_hasil_kerja"' not in text(page)

    # The employee sees the result with the feedback, and accepts it.
    client = as_user(org.pegawai)
    page = client.get(url("realisasi", skp.pk, tw1.pk))
    assert "data-hasil" in text(page) and "Rapi." in text(page) and "Terima hasil" in text(page)
    assert 'name="iki' not in text(page)  # the realisation is locked once final
    client.post(url("evaluasi_acknowledge", skp.pk, tw1.pk))
    evaluasi.refresh_from_db()
    assert evaluasi.diterima_pada is not None
    assert "Anda menerima hasil ini" in text(client.get(url("realisasi", skp.pk, tw1.pk)))


# --- Refusals -------------------------------------------------------------------------------------------


@pytest.fixture
def bukti(org, iki, tw1, media):
    realisasi = ev.realisasi_save(iki=iki, periode=tw1, nilai=Decimal("3"), uraian="", by=org.pegawai.user)
    return ev.bukti_add(realisasi=realisasi, berkas=SimpleUploadedFile("laporan.pdf", PDF), by=org.pegawai.user)


def test_a_colleague_gets_404_on_the_realisation_the_evaluation_and_the_evidence(as_user, org, skp, tw1, bukti):
    rate(org, skp, tw1, "SESUAI", "SESUAI")
    client = as_user(org.colleague)
    assert client.get(url("realisasi", skp.pk, tw1.pk)).status_code == 404
    assert client.get(url("evaluasi", skp.pk, tw1.pk)).status_code == 404
    assert client.get(url("bukti_download", bukti.pk)).status_code == 404
    assert client.get(url("dialog", skp.pk)).status_code == 404
    # … while the SKP's own people do see them.
    assert as_user(org.penilai).get(url("bukti_download", bukti.pk)).status_code == 200


def test_the_employee_gets_403_when_rating_themself(as_user, org, skp, tw1):
    evaluasi = open_evaluation(org, skp, tw1)
    client = as_user(org.pegawai)
    data = evaluation_data(evaluasi, rating_hasil_kerja="DI_ATAS", rating_perilaku_kerja="DI_ATAS")
    assert client.post(url("evaluasi", skp.pk, tw1.pk), data).status_code == 403
    assert client.get(url("evaluasi_distribusi", skp.pk, tw1.pk)).status_code == 403
    evaluasi.refresh_from_db()
    assert evaluasi.rating_hasil_kerja == ""


def test_the_supervisor_gets_403_when_recording_the_employees_realisation(as_user, org, skp, iki, tw1, media):
    client = as_user(org.penilai)
    assert client.get(url("realisasi", skp.pk, tw1.pk)).status_code == 200  # they may look
    response = client.post(url("realisasi_save", skp.pk, tw1.pk, iki.pk), realisasi_data(iki, "99"))
    assert response.status_code == 403
    upload = SimpleUploadedFile("x.pdf", PDF)
    assert client.post(url("bukti_add", skp.pk, tw1.pk, iki.pk), {f"bukti{iki.pk}-berkas": upload}).status_code == 403
    assert not Realisasi.objects.exists()


def test_the_hr_admin_of_another_instansi_gets_404_on_an_evidence_download(as_user, org, outsider, bukti):
    assert as_user(outsider.hr_admin).get(url("bukti_download", bukti.pk)).status_code == 404
    assert as_user(org.hr_admin).get(url("bukti_download", bukti.pk)).status_code == 200


def test_the_evidence_is_served_as_an_attachment_with_its_stored_type(as_user, org, bukti):
    response = as_user(org.pegawai).get(url("bukti_download", bukti.pk))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="laporan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_rating_after_finalisation_is_refused(as_user, org, skp, tw1):
    evaluasi = ev.evaluasi_finalize(evaluasi=rate(org, skp, tw1, "SESUAI", "SESUAI"), by=org.penilai.user)
    client = as_user(org.penilai)
    data = evaluation_data(evaluasi, rating_hasil_kerja="DI_BAWAH", rating_perilaku_kerja="DI_BAWAH")
    response = client.post(url("evaluasi", skp.pk, tw1.pk), data)
    assert "sudah final" in text(response)
    evaluasi.refresh_from_db()
    assert (evaluasi.rating_hasil_kerja, evaluasi.predikat) == ("SESUAI", "BAIK")


def test_a_predikat_posted_in_the_form_is_ignored(as_user, org, skp, tw1):
    evaluasi = open_evaluation(org, skp, tw1)
    data = evaluation_data(
        evaluasi, rating_hasil_kerja="DI_BAWAH", rating_perilaku_kerja="DI_BAWAH", predikat="SANGAT_BAIK"
    )
    as_user(org.penilai).post(url("evaluasi", skp.pk, tw1.pk), data)
    evaluasi.refresh_from_db()
    assert evaluasi.predikat == "SANGAT_KURANG"


def test_the_employee_sees_a_draft_evaluation_only_once_final(as_user, org, skp, tw1):
    rate(org, skp, tw1, "DI_ATAS", "DI_ATAS")
    response = as_user(org.pegawai).get(url("evaluasi", skp.pk, tw1.pk))
    assert response.status_code == 302 and response["Location"] == url("realisasi", skp.pk, tw1.pk)
    assert as_user(org.atasan_penilai).get(url("evaluasi", skp.pk, tw1.pk)).status_code == 200


def test_a_period_outside_the_skp_year_is_404(as_user, org, skp, outsider):
    other_year = open_year(outsider)
    foreign = PeriodeEvaluasi.objects.filter(periode_skp=other_year).first()
    assert as_user(org.pegawai).get(url("realisasi", skp.pk, foreign.pk)).status_code == 404


# --- Bad input keeps what was typed ---------------------------------------------------------------------


@pytest.fixture
def two_iki(skp, iki):
    second = IKI.objects.create(
        rhk=iki.rhk, aspek="WAKTU", uraian="Hari penyelesaian rujukan", target_min=3, satuan="hari"
    )
    return iki, second


def test_a_word_where_a_number_is_needed_keeps_every_value(as_user, org, skp, tw1, two_iki):
    first, second = two_iki
    client = as_user(org.pegawai)
    client.post(url("realisasi_save", skp.pk, tw1.pk, first.pk), realisasi_data(first, "7"))
    # With htmx only the IKI's block comes back, with the typed values and the message.
    response = client.post(
        url("realisasi_save", skp.pk, tw1.pk, second.pk), realisasi_data(second, "banyak", "Sudah banyak"), **HTMX
    )
    assert response.status_code == 200
    assert "Isi dengan angka" in text(response)
    assert 'value="banyak"' in text(response) and "Sudah banyak</textarea>" in text(response)
    # Without JavaScript the whole page comes back: the other IKI keeps its value too.
    response = client.post(url("realisasi_save", skp.pk, tw1.pk, second.pk), realisasi_data(second, "banyak"))
    assert response.status_code == 200
    assert 'value="banyak"' in text(response) and 'value="7"' in text(response)
    assert list(Realisasi.objects.values_list("iki_id", flat=True)) == [first.pk]


def test_a_program_renamed_pdf_and_a_six_megabyte_file_are_refused_with_a_message(as_user, org, skp, iki, tw1, media):
    ev.realisasi_save(iki=iki, periode=tw1, nilai=Decimal("4"), uraian="", by=org.pegawai.user)
    client = as_user(org.pegawai)
    exe = SimpleUploadedFile("laporan.pdf", b"MZ\x90\x00\x03" + b"\x00" * 64, content_type="application/pdf")
    response = client.post(url("bukti_add", skp.pk, tw1.pk, iki.pk), {f"bukti{iki.pk}-berkas": exe}, **HTMX)
    assert "Jenis berkas tidak diizinkan" in text(response)
    big = SimpleUploadedFile("besar.pdf", PDF + b"0" * (6 * 1024 * 1024))
    response = client.post(url("bukti_add", skp.pk, tw1.pk, iki.pk), {f"bukti{iki.pk}-berkas": big})
    assert response.status_code == 200
    assert "Berkas terlalu besar" in text(response)
    assert 'value="4"' in text(response)  # the realisation is still there on the page
    assert not BuktiDukung.objects.exists()
    assert not list(media.rglob("*.*")) and not any(p.is_file() for p in media.rglob("*"))


def test_evidence_waits_for_a_saved_realisation(as_user, org, skp, iki, tw1):
    response = as_user(org.pegawai).post(
        url("bukti_add", skp.pk, tw1.pk, iki.pk), {f"bukti{iki.pk}-tautan": "https://drive.example.id/a"}, **HTMX
    )
    assert "Simpan realisasi terlebih dahulu" in text(response)
    assert not BuktiDukung.objects.exists()


def test_a_value_from_a_source_is_read_only_for_the_employee(as_user, org, skp, iki, tw1):
    Realisasi.objects.create(iki=iki, periode_evaluasi=tw1, nilai=Decimal("10"), sumber="BERKAS")
    client = as_user(org.pegawai)
    page = client.get(url("realisasi", skp.pk, tw1.pk))
    assert "Diimpor dari berkas" in text(page)
    assert f'name="iki{iki.pk}-nilai"' not in text(page)
    response = client.post(url("realisasi_save", skp.pk, tw1.pk, iki.pk), realisasi_data(iki, "99"), **HTMX)
    assert "tidak dapat diubah pegawai" in text(response)
    assert Realisasi.objects.get().nilai == Decimal("10")


def test_a_stale_save_shows_the_message_and_keeps_the_typed_values(as_user, org, skp, tw1):
    evaluasi = open_evaluation(org, skp, tw1)
    loaded_at = evaluasi.versi
    # Someone (another tab) saves first …
    ev.evaluasi_save(evaluasi=evaluasi, versi=loaded_at, by=org.penilai.user, rating_hasil_kerja="SESUAI")
    # … then the older page is saved.
    data = evaluation_data(
        evaluasi, versi=loaded_at, rating_hasil_kerja="DI_ATAS", catatan_rekomendasi="Ikut pelatihan rujukan daring"
    )
    response = as_user(org.penilai).post(url("evaluasi", skp.pk, tw1.pk), data)
    assert response.status_code == 200
    assert "Evaluasi ini baru saja diubah oleh orang lain" in text(response)
    assert "Ikut pelatihan rujukan daring</textarea>" in text(response)
    assert re.search(r'value="DI_ATAS"[^>]*checked', text(response))
    evaluasi.refresh_from_db()
    assert (evaluasi.rating_hasil_kerja, evaluasi.catatan_rekomendasi) == ("SESUAI", "")


def test_a_kualitatif_skp_takes_a_described_realisation(as_user, org, skp, iki, tw1):
    skp.pendekatan = "KUALITATIF"
    skp.save(update_fields=["pendekatan"])
    client = as_user(org.pegawai)
    assert f'name="iki{iki.pk}-nilai"' not in text(client.get(url("realisasi", skp.pk, tw1.pk)))
    response = client.post(url("realisasi_save", skp.pk, tw1.pk, iki.pk), realisasi_data(iki, uraian=""), **HTMX)
    assert "Tuliskan realisasi IKI ini." in text(response)
    client.post(url("realisasi_save", skp.pk, tw1.pk, iki.pk), realisasi_data(iki, uraian="Semua berkas terverifikasi"))
    realisasi = Realisasi.objects.get()
    assert (realisasi.nilai, realisasi.uraian) == (None, "Semua berkas terverifikasi")


def test_without_javascript_finalising_asks_for_confirmation_on_a_page(as_user, org, skp, tw1):
    evaluasi = open_evaluation(org, skp, tw1)
    client = as_user(org.penilai)
    data = evaluation_data(evaluasi, rating_hasil_kerja="SESUAI", rating_perilaku_kerja="SESUAI", action="konfirmasi")
    response = client.post(url("evaluasi", skp.pk, tw1.pk), data)
    assert "data-confirm-finalize" in text(response)
    evaluasi.refresh_from_db()
    assert (evaluasi.status, evaluasi.predikat) == ("DRAFT", "BAIK")  # saved, not yet final
    assert f'name="versi" value="{evaluasi.versi}"' in text(response)


# --- The distribution panel -------------------------------------------------------------------------------


@pytest.fixture
def big_seksi(org, year):
    """Five more staff in the seksi, so the unit is not small and the curve applies."""
    staff = [pegawai_in_post(org.jabatan.staff) for _ in range(5)]
    refresh(org.instansi)
    return staff


def test_the_distribution_panel_shows_the_broken_rule_for_the_ratings_being_chosen(as_user, org, skp, tw1, big_seksi):
    open_evaluation(org, skp, tw1)
    client = as_user(org.penilai)
    page = client.get(url("evaluasi", skp.pk, tw1.pk))
    assert "belum ditetapkan" in text(page) and org.kepala_unit.nama_lengkap in text(page)

    ev.capaian_set(unit=org.seksi, periode=tw1, predikat="BUTUH_PERBAIKAN", catatan="", by=org.kepala_unit.user)
    panel = url("evaluasi_distribusi", skp.pk, tw1.pk)
    sangat_baik = client.get(panel, {"rating_hasil_kerja": "DI_ATAS", "rating_perilaku_kerja": "DI_ATAS"}, **HTMX)
    body = text(sangat_baik)
    assert "Sangat Baik paling banyak 10% (0 orang)" in body
    assert "Butuh Perbaikan paling sedikit 60% (1 orang)" in body
    assert body.count('data-rule-ok="tidak"') == 2
    assert 'name="justifikasi"' in body and 'hx-swap-oob="true"' in body  # WARN: justify before finalising
    butuh_perbaikan = client.get(panel, {"rating_hasil_kerja": "DI_BAWAH", "rating_perilaku_kerja": "SESUAI"}, **HTMX)
    assert 'data-rule-ok="tidak"' not in text(butuh_perbaikan)
    assert 'name="justifikasi"' not in text(butuh_perbaikan)


def test_finalising_against_the_curve_needs_a_justification(as_user, org, skp, tw1, big_seksi):
    ev.capaian_set(unit=org.seksi, periode=tw1, predikat="BUTUH_PERBAIKAN", catatan="", by=org.kepala_unit.user)
    evaluasi = open_evaluation(org, skp, tw1)
    client = as_user(org.penilai)
    data = evaluation_data(evaluasi, rating_hasil_kerja="DI_ATAS", rating_perilaku_kerja="DI_ATAS", action="finalkan")
    response = client.post(url("evaluasi", skp.pk, tw1.pk), data)
    assert "Tuliskan justifikasi sebelum memfinalkan" in text(response)
    evaluasi.refresh_from_db()
    assert evaluasi.status == "DRAFT" and evaluasi.predikat == "SANGAT_BAIK"  # the draft is kept
    assert f'name="versi" value="{evaluasi.versi}"' in text(response)  # and the page can be sent again
    data |= {"versi": evaluasi.versi, "justifikasi": "Inovasi rujukan daring menurunkan waktu tunggu"}
    assert client.post(url("evaluasi", skp.pk, tw1.pk), data).status_code == 302
    evaluasi.refresh_from_db()
    assert evaluasi.status == "FINAL" and evaluasi.justifikasi_distribusi.startswith("Inovasi")


def test_finalising_against_the_curve_is_refused_in_block_mode(as_user, org, skp, tw1, big_seksi):
    org.instansi.distribusi_mode = "BLOCK"
    org.instansi.save()
    ev.capaian_set(unit=org.dinas, periode=tw1, predikat="SANGAT_KURANG", catatan="", by=org.kepala_unit.user)
    evaluasi = rate(org, skp, tw1, "DI_ATAS", "DI_ATAS")
    client = as_user(org.penilai)
    page = client.get(url("evaluasi", skp.pk, tw1.pk))
    assert "data-distribusi-blocked" in text(page) and "Sangat Baik tidak diperbolehkan" in text(page)
    data = evaluation_data(
        evaluasi, rating_hasil_kerja="DI_ATAS", rating_perilaku_kerja="DI_ATAS", action="finalkan", justifikasi="x"
    )
    assert "finalisasi ditolak" in text(client.post(url("evaluasi", skp.pk, tw1.pk), data))
    evaluasi.refresh_from_db()
    assert evaluasi.status == "DRAFT"


# --- More of the evaluation screen --------------------------------------------------------------------------


def test_the_annual_evaluation_shows_the_periodic_history(as_user, org, skp, tw1, tahunan):
    ev.evaluasi_finalize(evaluasi=rate(org, skp, tw1, "DI_ATAS", "DI_ATAS"), by=org.penilai.user)
    page = as_user(org.penilai).get(url("evaluasi", skp.pk, tahunan.pk))
    history = text(page).split("data-riwayat-periodik", 1)[1]
    assert "TRIWULAN I" in history and "Sangat Baik" in history and "belum dievaluasi" in history
    assert "data-riwayat-periodik" not in text(as_user(org.penilai).get(url("evaluasi", skp.pk, tw1.pk)))


def test_pp30_numbers_appear_only_where_the_instansi_uses_them(as_user, org, skp, tw1):
    evaluasi = open_evaluation(org, skp, tw1)
    client = as_user(org.penilai)
    assert 'name="nilai_skp"' not in text(client.get(url("evaluasi", skp.pk, tw1.pk)))
    org.instansi.mode_numerik_pp30 = True
    org.instansi.save()
    data = evaluation_data(
        evaluasi, rating_hasil_kerja="SESUAI", rating_perilaku_kerja="SESUAI", nilai_skp="100", nilai_perilaku="80"
    )
    client.post(url("evaluasi", skp.pk, tw1.pk), data)
    page = text(client.get(url("evaluasi", skp.pk, tw1.pk)))
    assert 'name="nilai_skp"' in page and "94,00" in page


def test_the_latest_dialog_and_the_360_aggregate_appear_beside_what_they_are_about(as_user, org, skp, tw1):
    rhk = skp.rhk.get()
    ev.dialog_add(skp=skp, jenis="UMPAN_BALIK", catatan="Lama: lengkapi berkas", rhk=rhk, by=org.penilai.user)
    ev.dialog_add(skp=skp, jenis="BIMBINGAN", catatan="Baru: pakai templat rujukan", rhk=rhk, by=org.penilai.user)
    client = as_user(org.penilai)
    page = text(client.get(url("evaluasi", skp.pk, tw1.pk)))
    assert "Baru: pakai templat rujukan" in page and "Lama: lengkapi berkas" not in page
    assert "data-360" not in page  # no aggregate before three answers
    raters = [org.colleague, org.other_staff, org.other_penilai]
    for undangan, rater in zip(
        ev.undangan_360_create(skp=skp, periode=tw1, penilai=raters, by=org.penilai.user), raters, strict=True
    ):
        values = list(skp.perilaku.values_list("core_value_id", flat=True))
        ev.jawaban_360_submit(undangan=undangan, skor=dict.fromkeys(values, 3), komentar={}, by=rater.user)
    assert "rata-rata 3,0 dari 3" in text(client.get(url("evaluasi", skp.pk, tw1.pk)))


# --- Dialog kinerja --------------------------------------------------------------------------------------


def test_the_supervisor_gives_feedback_and_the_employee_acknowledges_it(as_user, org, skp):
    rhk = skp.rhk.get()
    client = as_user(org.penilai)
    response = client.post(
        url("dialog", skp.pk),
        {"jenis": "KLARIFIKASI_EKSPEKTASI", "sasaran": f"rhk:{rhk.pk}", "catatan": "Target 12 berkas."},
    )
    assert response.status_code == 302
    dialog = DialogKinerja.objects.get()
    assert (dialog.rhk, dialog.oleh) == (rhk, org.penilai)

    client = as_user(org.pegawai)
    page = text(client.get(url("dialog", skp.pk)))
    assert "Target 12 berkas." in page and 'data-unread="1"' in page
    assert 'name="catatan"' not in page  # the employee does not write feedback
    assert client.post(url("dialog", skp.pk), {"jenis": "UMPAN_BALIK", "catatan": "Saya"}).status_code == 403
    response = client.post(url("dialog_acknowledge", skp.pk, dialog.pk), **HTMX)
    assert "Dibaca pegawai" in text(response) and 'data-unread="0"' in text(response)
    dialog.refresh_from_db()
    assert dialog.diakui_pada is not None
    assert 'data-unread="0"' in text(client.get(url("dialog", skp.pk)))
    assert as_user(org.penilai).post(url("dialog_acknowledge", skp.pk, dialog.pk)).status_code == 403


def test_feedback_without_text_keeps_the_form(as_user, org, skp):
    client = as_user(org.penilai)
    response = client.post(url("dialog", skp.pk), {"jenis": "KONSELING", "sasaran": "", "catatan": ""})
    assert response.status_code == 200 and "is-invalid" in text(response)
    assert not DialogKinerja.objects.exists()


# --- Capaian Kinerja Organisasi -------------------------------------------------------------------------------


def test_the_head_of_unit_sets_the_organisation_achievement_and_others_get_403(as_user, org, year, tw1):
    client = as_user(org.kepala_unit)
    page = text(client.get(url("capaian"), {"periode": tw1.pk}))
    assert "Seksi Rujukan" in page and "Seksi Farmasi" in page
    response = client.post(
        url("capaian"),
        {"unit": org.dinas.pk, "periode": tw1.pk, "predikat": "BAIK", "catatan": "Rencana aksi sesuai"},
        **HTMX,
    )
    assert response.status_code == 200
    capaian = CapaianOrganisasi.objects.get()
    assert (capaian.unit, capaian.periode_evaluasi, capaian.predikat) == (org.dinas, tw1, "BAIK")
    # The units below now follow it (out of band, in the same answer).
    assert f'id="gov-{org.seksi.pk}" hx-swap-oob="true"' in text(response) and "mengikuti Dinas Kesehatan" in text(
        response
    )
    for someone in (org.penilai, org.pegawai, org.hr_admin):
        assert as_user(someone).get(url("capaian")).status_code == 403


def test_a_head_cannot_set_a_unit_outside_their_reach(as_user, org, outsider, year, tw1):
    client = as_user(org.kepala_unit)
    response = client.post(url("capaian"), {"unit": outsider.dinas.pk, "periode": tw1.pk, "predikat": "BAIK"})
    assert response.status_code == 404
    assert not CapaianOrganisasi.objects.exists()


# --- The team list --------------------------------------------------------------------------------------------


def test_the_team_list_shows_each_period_status(as_user, org, skp, tw1, year):
    ev.evaluasi_finalize(evaluasi=rate(org, skp, tw1, "DI_ATAS", "DI_ATAS"), by=org.penilai.user)
    tw2 = PeriodeEvaluasi.objects.get(periode_skp=year, jenis="TRIWULANAN", ke=2)
    open_evaluation(org, skp, tw2)
    page = text(as_user(org.penilai).get(url("evaluasi_team")))
    assert org.pegawai.nama_lengkap in page
    assert 'data-cell="final"' in page and "Sangat Baik" in page and 'data-cell="draf"' in page
    assert url("evaluasi", skp.pk, tw1.pk) in page
    assert "Belum ada SKP untuk dievaluasi" in text(as_user(org.pegawai).get(url("evaluasi_team")))


# --- Query budgets ----------------------------------------------------------------------------------------------


def fill_skp(org, skp, periode, n_rhk: int) -> None:
    """``n_rhk`` RHK, each with an IKI whose realisation has a link as evidence and a dialog."""
    parent = skp.rhk.get().rhk_atasan
    for i in range(n_rhk - 1):
        add_rhk(skp, f"RHK tambahan {i}", parent=parent)
    for rhk in skp.rhk.all():
        r = ev.realisasi_save(iki=rhk.iki.get(), periode=periode, nilai=Decimal("5"), uraian="", by=org.pegawai.user)
        ev.bukti_add(realisasi=r, tautan=f"https://arsip.example.id/{r.pk}", by=org.pegawai.user)
        ev.dialog_add(skp=skp, jenis="UMPAN_BALIK", catatan="Baik", rhk=rhk, by=org.penilai.user)


@pytest.mark.parametrize("n_rhk", [1, 10])
def test_the_evaluation_screen_costs_the_same_queries_for_1_or_10_rhk(
    as_user, org, skp, tw1, n_rhk, django_assert_max_num_queries
):
    fill_skp(org, skp, tw1, n_rhk)
    send_self_assessment(org, skp, tw1, "SESUAI")
    ev.capaian_set(unit=org.seksi, periode=tw1, predikat="BAIK", catatan="", by=org.kepala_unit.user)
    rate(org, skp, tw1, "SESUAI", "SESUAI")
    client = as_user(org.penilai)
    # 24: session, user; the SKP (access); the period; evaluasi_open (savepoint, get, release);
    # the SKP with its people; RHK, IKI, realisations, evidence; feedback in this evaluation; latest
    # dialogs; 360° answer count; perilaku, panduan; the SKP's evaluations and periods (tabs);
    # distribution: capaian, counts, unit size; citizen satisfaction: the covering service unit
    # (units up the tree, service unit), the unit/officer answer sums; the menu: roles.is_supervisor,
    # the user's Pegawai. Issue 10 added: the realisations' history; the sent self-assessment and its
    # ratings (one query when there is none, as here, two when there is).
    with django_assert_max_num_queries(30):
        response = client.get(url("evaluasi", skp.pk, tw1.pk))
    assert text(response).count('class="iki-block') == n_rhk
    # The employee's realisation page, the same way. 14: session, user; the SKP (access); the
    # period; the SKP with its people; the SKP's evaluations; periods; RHK, IKI, realisations,
    # evidence; unread dialogs; the menu: roles.is_supervisor, the user's Pegawai. Issue 10 added: the
    # realisations' history (one query for all) and the self-assessment's state for its link.
    client = as_user(org.pegawai)
    with django_assert_max_num_queries(16):
        response = client.get(url("realisasi", skp.pk, tw1.pk))
    assert text(response).count('class="iki-block') == n_rhk


@pytest.mark.parametrize("n_staff", [1, 10])
def test_the_team_list_costs_the_same_queries_for_1_or_10_subordinates(
    as_user, org, year, chain, tw1, n_staff, django_assert_max_num_queries
):
    staff = [org.pegawai] + [pegawai_in_post(org.jabatan.staff) for _ in range(n_staff - 1)]
    refresh(org.instansi)
    for p in staff:
        p.refresh_from_db()
        skp = approved_skp(p, year, rhk=(f"RHK {p.nama}",), parent=chain["kasi"].rhk.first())
        rate(org, skp, tw1, "SESUAI", "SESUAI")
    client = as_user(org.penilai)
    # session, user; the year; its periods; the SKPs with pegawai and jabatan; their evaluations;
    # the menu (base.html): roles.is_supervisor, the user's Pegawai; whether they head a unit.
    with django_assert_max_num_queries(9):
        response = client.get(url("evaluasi_team"))
    assert text(response).count("data-skp=") == n_staff


# --- The objection link ----------------------------------------------------------------------------------------


def test_the_objection_link_shows_only_while_the_window_is_open(as_user, org, skp, tw1):
    evaluasi = ev.evaluasi_finalize(evaluasi=rate(org, skp, tw1, "SESUAI", "DI_BAWAH"), by=org.penilai.user)
    client = as_user(org.pegawai)
    page = text(client.get(url("realisasi", skp.pk, tw1.pk)))
    assert f'href="{url("keberatan_create", evaluasi.pk)}" data-keberatan-link' in page
    Evaluasi.objects.filter(pk=evaluasi.pk).update(
        difinalkan_pada=evaluasi.difinalkan_pada - datetime.timedelta(days=15)
    )
    assert "data-keberatan-link" not in text(client.get(url("realisasi", skp.pk, tw1.pk)))


# --- Permission matrix: every evaluation URL × persona ----------------------------------------------------------

PERSONAS = ("pegawai", "penilai", "atasan_penilai", "kepala_unit", "colleague", "hr_admin", "outsider", "anonymous")


def statuses(*codes):
    return dict(zip(PERSONAS, codes, strict=True))


# What each persona gets on org.pegawai's approved SKP with a draft evaluation of Triwulan I (a GET, or an
# empty POST for POST-only URLs, which writes nothing). The kepala unit heads the dinas but appraises
# nobody in this chain directly, so the SKP is out of their reach; the employee meets a draft
# evaluation as a redirect to their realisation page.
MATRIX = {
    "realisasi_start": ("get", statuses(302, 302, 302, 404, 404, 302, 404, 302)),
    "realisasi": ("get", statuses(200, 200, 200, 404, 404, 200, 404, 302)),
    "realisasi_save": ("post", statuses(200, 403, 403, 404, 404, 403, 404, 302)),
    "bukti_add": ("post", statuses(200, 403, 403, 404, 404, 403, 404, 302)),
    "bukti_download": ("get", statuses(200, 200, 200, 404, 404, 200, 404, 302)),
    "evaluasi_acknowledge": ("post", statuses(302, 403, 403, 404, 404, 403, 404, 302)),
    # Between the employee and the pejabat penilai only (issue 10); HR and the atasan get 404.
    "penilaian_diri": ("get", statuses(200, 200, 404, 404, 404, 404, 404, 302)),
    "dialog": ("get", statuses(200, 200, 200, 404, 404, 200, 404, 302)),
    "dialog_acknowledge": ("post", statuses(302, 403, 403, 404, 404, 403, 404, 302)),
    "evaluasi": ("get", statuses(302, 200, 200, 404, 404, 200, 404, 302)),
    "evaluasi_distribusi": ("get", statuses(403, 200, 403, 404, 404, 403, 404, 302)),
    "realisasi_verify": ("post", statuses(403, 400, 403, 404, 404, 403, 404, 302)),
    "evaluasi_team": ("get", statuses(200, 200, 200, 200, 200, 403, 403, 302)),
    "capaian": ("get", statuses(403, 403, 403, 200, 403, 403, 403, 302)),
}


def test_every_evaluation_url_is_in_the_permission_matrix():
    from appraisal.urls.evaluasi import urlpatterns

    assert {p.name for p in urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(client, org, outsider, skp, iki, tw1, bukti, name):
    open_evaluation(org, skp, tw1)
    dialog = ev.dialog_add(skp=skp, jenis="UMPAN_BALIK", catatan="Baik", by=org.penilai.user)
    args = {
        "realisasi_start": [skp.pk],
        "realisasi_save": [skp.pk, tw1.pk, iki.pk],
        "bukti_add": [skp.pk, tw1.pk, iki.pk],
        "realisasi_verify": [skp.pk, tw1.pk, iki.pk],
        "bukti_download": [bukti.pk],
        "dialog": [skp.pk],
        "dialog_acknowledge": [skp.pk, dialog.pk],
        "evaluasi_team": [],
        "capaian": [],
    }.get(name, [skp.pk, tw1.pk])
    method, expected = MATRIX[name]
    got = {}
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            who = outsider.hr_admin if persona == "outsider" else getattr(org, persona)
            client.force_login(getattr(who, "user", who))
        got[persona] = getattr(client, method)(url(name, *args)).status_code
    assert got == expected
    assert Realisasi.objects.get().nilai == Decimal("3") and BuktiDukung.objects.count() == 1


def test_the_evaluation_screen_shows_the_units_citizen_satisfaction(as_user, org, skp, tw1):
    from surveys.tests.factories import respons_with_answers, survey_setup

    setup = survey_setup(org.instansi, unit=org.seksi)
    response = respons_with_answers(setup.unit_layanan, nilai=4)
    type(response).objects.filter(pk=response.pk).update(
        diisi_pada=timezone.make_aware(datetime.datetime(2026, 2, 2, 10))
    )
    page = as_user(org.penilai).get(reverse("appraisal:evaluasi", args=[skp.pk, tw1.pk])).content.decode()
    assert "data-ikm" in page and "100,00" in page


# --- Objective evidence (issue 10): provenance, history, the self-assessment side by side ------------------------


def send_self_assessment(org, skp, periode, rating):
    from appraisal import services_objektif as obj
    from appraisal.models import CoreValue

    return obj.penilaian_diri_save(
        skp=skp,
        periode=periode,
        by=org.pegawai.user,
        refleksi="Saya merasa melampaui target.",
        per_rhk={r.pk: rating for r in skp.rhk.all()},
        per_value={cv.pk: rating for cv in CoreValue.objects.all()},
        kirim=True,
    )


@pytest.fixture
def imported(org, skp, tw1, media):
    """An IKI from the catalogue ("Jumlah pasien dilayani", target 300 pasien) fed by a file HR applied."""
    from appraisal import services_objektif as obj
    from appraisal.tests.factories import katalog, sourced_iki

    iki = sourced_iki(skp, katalog(org))
    impor = obj.realisasi_import_preview(
        instansi=org.instansi,
        periode=tw1,
        katalog=iki.katalog,
        upload=SimpleUploadedFile("pasien.csv", f"nip,nilai\n{org.pegawai.nip},312\n".encode()),
        by=org.hr_admin,
    )
    obj.realisasi_import_apply(impor=impor, by=org.hr_admin)
    return iki


def test_an_imported_value_shows_its_file_and_history_and_offers_no_input(as_user, org, skp, tw1, imported):
    client = as_user(org.pegawai)
    page = text(client.get(url("realisasi", skp.pk, tw1.pk)))
    assert "Diimpor dari berkas pasien.csv oleh admin-kota-uji pada" in page
    assert f'name="iki{imported.pk}-nilai"' not in page and "312 pasien" in page
    assert "Riwayat (1 perubahan)" in page
    # The evidence form is still there, and a typed value is refused.
    assert f'name="bukti{imported.pk}-tautan"' in page
    response = client.post(url("realisasi_save", skp.pk, tw1.pk, imported.pk), realisasi_data(imported, "999"))
    assert "tidak dapat diubah pegawai" in text(response)
    assert Realisasi.objects.get(iki=imported).nilai == Decimal("312")


def test_a_sourced_iki_without_a_value_yet_offers_no_input(as_user, org, skp, tw1):
    from appraisal.tests.factories import katalog, sourced_iki

    iki = sourced_iki(skp, katalog(org))
    page = text(as_user(org.pegawai).get(url("realisasi", skp.pk, tw1.pk)))
    assert f'name="iki{iki.pk}-nilai"' not in page and "belum diterima" in page


def test_a_pushed_value_names_the_system(as_user, org, skp, tw1):
    from appraisal import services_objektif as obj
    from appraisal.tests.factories import katalog, sourced_iki

    iki = sourced_iki(skp, katalog(org, "rujukan", nama="Rujukan terkirim", sumber="API"))
    token, _raw = obj.token_create(unit_kerja=org.seksi, nama_sistem="SIMPUS Kota Uji", by=org.hr_admin)
    payload = {
        "tahun": 2026,
        "periode": tw1.label,
        "data": [{"nip": org.pegawai.nip, "indikator": "rujukan", "nilai": 7}],
    }
    obj.realisasi_push(token=token, payload=payload)
    page = text(as_user(org.penilai).get(url("evaluasi", skp.pk, tw1.pk)))
    assert "Dikirim sistem SIMPUS Kota Uji pada" in page
    # Only self-reported values are the supervisor's to verify.
    assert url("realisasi_verify", skp.pk, tw1.pk, iki.pk) not in page


def test_the_supervisor_sees_self_assessment_computed_achievement_and_evidence_side_by_side(
    as_user, org, skp, iki, tw1, bukti
):
    send_self_assessment(org, skp, tw1, "DI_ATAS")
    rhk = skp.rhk.get()
    page = text(as_user(org.penilai).get(url("evaluasi", skp.pk, tw1.pk)))
    banding = page[page.index(f'data-banding-rhk="{rhk.pk}"') :]
    banding = banding[:3000]
    # 3 of a target of 12: 25 % → Di Bawah Ekspektasi; the employee said Di Atas: a large gap.
    assert 'data-self-rating="DI_ATAS"' in banding
    assert '<span class="fw-semibold">25,0%</span> · Di Bawah Ekspektasi' in banding
    assert 'data-bukti-count="1"' in banding and "data-gap" in banding
    assert "Kesenjangan besar — bahas dalam dialog kinerja" in banding and url("dialog", skp.pk) in banding
    assert "Saya merasa melampaui target." in page


def test_a_draft_self_assessment_stays_hidden_from_the_supervisor(as_user, org, skp, tw1):
    from appraisal import services_objektif as obj

    obj.penilaian_diri_save(skp=skp, periode=tw1, by=org.pegawai.user, refleksi="Draf pribadi", per_rhk={})
    page = text(as_user(org.penilai).get(url("evaluasi", skp.pk, tw1.pk)))
    assert "Draf pribadi" not in page and "belum mengirim penilaian diri" in page


def test_the_supervisors_own_rating_per_rhk_and_value_is_saved_with_the_feedback(as_user, org, skp, tw1):
    from appraisal.models import CatatanEvaluasi, CoreValue

    evaluasi = open_evaluation(org, skp, tw1)
    rhk, value = skp.rhk.get(), CoreValue.objects.order_by("urutan").first()
    send_self_assessment(org, skp, tw1, "DI_BAWAH")
    client = as_user(org.penilai)
    data = evaluation_data(evaluasi, **{f"pn_rhk_{rhk.pk}": "SESUAI", f"pn_cv_{value.pk}": "DI_ATAS"})
    assert client.post(url("evaluasi", skp.pk, tw1.pk), data).status_code == 302
    assert CatatanEvaluasi.objects.get(rhk=rhk).penilaian == "SESUAI"
    assert CatatanEvaluasi.objects.get(core_value=value).penilaian == "DI_ATAS"
    page = text(client.get(url("evaluasi", skp.pk, tw1.pk)))
    assert '<option value="DI_ATAS" selected>' in page
    # Di Bawah (self) against Di Atas (supervisor) on that value is a large gap.
    cv_block = page[page.index(f'data-banding-cv="{value.pk}"') :][:400]
    assert "data-gap" in cv_block


def test_an_unknown_supervisor_rating_is_refused_and_nothing_saved(as_user, org, skp, tw1):
    from appraisal.models import CatatanEvaluasi

    evaluasi = open_evaluation(org, skp, tw1)
    rhk = skp.rhk.get()
    data = evaluation_data(evaluasi, **{f"pn_rhk_{rhk.pk}": "LUAR_BIASA"})
    response = as_user(org.penilai).post(url("evaluasi", skp.pk, tw1.pk), data)
    assert response.status_code == 200 and "data-form-errors" in text(response)
    assert not CatatanEvaluasi.objects.exists()


# --- The IKI form picks from the indicator catalogue (issue 10 item 3) -------------------------------------------


@pytest.fixture
def draft(org, year):
    """org.other_staff (a "Pengelola Obat") drafting an SKP with one RHK and no IKI."""
    from appraisal import services as skp_services

    skp = skp_services.skp_create(pegawai=org.other_staff, periode=year, by=org.other_staff.user)
    return skp, skp.rhk.create(uraian="Pelayanan obat", jenis="UTAMA")


def test_the_iki_form_suggests_the_catalogue_of_the_employees_jabatan_first(as_user, org, draft):
    from appraisal.tests.factories import katalog

    skp, rhk = draft
    obat = katalog(org, "resep", nama="Jumlah resep dilayani", kelompok="Pengelola Obat")
    pasien = katalog(org)  # Perawat
    katalog(org, "lama", nama="Indikator nonaktif", kelompok="Pengelola Obat").__class__.objects.filter(
        kode="lama"
    ).update(aktif=False)
    page = text(as_user(org.other_staff).get(reverse("appraisal:iki_add", args=[skp.pk, rhk.pk])))
    suggested = page[page.index('label="Disarankan untuk jabatan Anda"') : page.index('label="Katalog lain"')]
    assert f'value="{obat.pk}"' in suggested and f'value="{pasien.pk}"' not in suggested
    assert f'value="{pasien.pk}"' in page and "Indikator nonaktif" not in page
    # Without a catalogue: only the sources an employee may choose.
    assert 'value="SKM_PETUGAS"' in page and 'value="BERKAS"' not in page


def test_an_iki_from_the_catalogue_takes_its_wording_unit_and_source(as_user, org, draft):
    from appraisal.tests.factories import katalog

    skp, rhk = draft
    obat = katalog(org, "resep", nama="Jumlah resep dilayani", kelompok="Pengelola Obat")
    response = as_user(org.other_staff).post(
        reverse("appraisal:iki_add", args=[skp.pk, rhk.pk]),
        {"katalog": obat.pk, "aspek": "", "uraian": "", "target_min": "250", "satuan": "", "arah": "NAIK"},
    )
    assert response.status_code == 302
    iki = IKI.objects.get(rhk=rhk)
    assert (iki.uraian, iki.satuan, iki.sumber, iki.katalog) == ("Jumlah resep dilayani", "pasien", "BERKAS", obat)
    page = text(as_user(org.other_staff).get(reverse("appraisal:skp_detail", args=[skp.pk])))
    assert 'data-sumber="BERKAS"' in page and "data-katalog" in page


def test_an_iki_of_ones_own_needs_its_wording_and_may_take_the_skm_as_source(as_user, org, draft):
    skp, rhk = draft
    client = as_user(org.other_staff)
    add = reverse("appraisal:iki_add", args=[skp.pk, rhk.pk])
    data = {"aspek": "KUALITAS", "uraian": "", "target_min": "80", "satuan": "indeks", "arah": "NAIK", "sumber": "SKM"}
    assert client.post(add, data).status_code == 200 and not IKI.objects.exists()
    assert client.post(add, data | {"uraian": "IKM layanan farmasi"}).status_code == 302
    assert IKI.objects.get().sumber == "SKM"
    # A file source is not offered without a catalogue indicator, and a forged one is refused.
    assert client.post(add, data | {"uraian": "Resep", "sumber": "BERKAS"}).status_code == 200
    assert IKI.objects.count() == 1
