"""The two printed evaluation documents (rules §1.9.1 EVALUASI KINERJA PEGAWAI and §1.9.2
DOKUMEN EVALUASI KINERJA PEGAWAI): who may download them, what they show, and that a final
evaluation reprints with the identity frozen at finalisation, whatever happened since."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import Pegawai
from accounts.rules import format_nip
from appraisal import documents_evaluasi, rules
from appraisal import services_evaluasi as ev
from appraisal.models import IKI, CoreValue, Evaluasi, PeriodeEvaluasi
from appraisal.rules import BERAKHLAK
from appraisal.tests.factories import add_rhk, approved_chain, approved_skp, open_year

pytestmark = pytest.mark.django_db

OWN_RHK = "Berkas rujukan terverifikasi"
REALISASI = "Tiga puluh berkas rujukan diverifikasi lengkap"
UMPAN_BALIK_RHK = "Verifikasi sudah rapi; percepat pengiriman ke rumah sakit"
UMPAN_BALIK_PERILAKU = "Selalu membantu rekan di loket rujukan"
CATATAN = "Ikutkan pelatihan sistem rujukan terintegrasi"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"

URLS = ("appraisal:evaluasi_pdf", "appraisal:dokumen_evaluasi_pdf")


def pdf_text(content: bytes) -> str:
    """The PDF's text with whitespace collapsed, so text wrapped inside a cell reads as one phrase."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def download(client, url_name, evaluasi, **params) -> bytes:
    response = client.get(reverse(url_name, args=[evaluasi.pk]), params)
    assert response.status_code == 200
    return response.content


@pytest.fixture
def year(org):
    return open_year(org)


@pytest.fixture
def tw1(year):
    return PeriodeEvaluasi.objects.get(periode_skp=year, jenis="TRIWULANAN", ke=1)


@pytest.fixture
def skp(org, year):
    chain = approved_chain(org, year)
    return approved_skp(org.pegawai, year, rhk=(OWN_RHK,), parent=chain["kasi"].rhk.first())


def evaluate(org, skp, periode, *, hasil="SESUAI", perilaku="SESUAI") -> Evaluasi:
    """The real workflow up to a draft: the employee reports with evidence, the head of the unit sets
    the organisation's achievement, the pejabat penilai rates and writes feedback."""
    iki = skp.rhk.get(uraian=OWN_RHK).iki.get()
    realisasi = ev.realisasi_save(iki=iki, periode=periode, nilai=Decimal("30"), uraian=REALISASI, by=org.pegawai.user)
    ev.bukti_add(realisasi=realisasi, berkas=SimpleUploadedFile("laporan-rujukan.pdf", PDF), by=org.pegawai.user)
    ev.capaian_set(unit=org.seksi, periode=periode, predikat="BAIK", catatan="", by=org.kepala_unit.user)
    evaluasi = ev.evaluasi_open(skp=skp, periode=periode, by=org.penilai.user)
    berorientasi = CoreValue.objects.get(kode=BERAKHLAK[0][0])
    return ev.evaluasi_save(
        evaluasi=evaluasi,
        versi=evaluasi.versi,
        by=org.penilai.user,
        rating_hasil_kerja=hasil,
        rating_perilaku_kerja=perilaku,
        catatan_rekomendasi=CATATAN,
        umpan_balik_rhk={iki.rhk_id: UMPAN_BALIK_RHK},
        umpan_balik_perilaku={berorientasi.pk: UMPAN_BALIK_PERILAKU},
    )


def finalise(org, evaluasi: Evaluasi) -> Evaluasi:
    # One employee in a small seksi cannot meet the curve's percentages: the documented exception.
    return ev.evaluasi_finalize(evaluasi=evaluasi, by=org.penilai.user, justifikasi="Unit kecil")


@pytest.fixture
def draft(org, skp, tw1):
    return evaluate(org, skp, tw1)


@pytest.fixture
def final(org, draft):
    return finalise(org, draft)


# --- Who may download: every URL of this module × persona ------------------------------------------

PERSONAS = ("pegawai", "penilai", "atasan_penilai", "colleague", "hr_admin", "outsider", "anonymous")
# Whoever may see the SKP may print its evaluations; anyone else learns nothing (404).
MATRIX = {
    "evaluasi_pdf": dict(zip(PERSONAS, (200, 200, 200, 404, 200, 404, 302), strict=True)),
    "dokumen_evaluasi_pdf": dict(zip(PERSONAS, (200, 200, 200, 404, 200, 404, 302), strict=True)),
}


def test_every_evaluation_document_url_is_in_the_permission_matrix():
    from appraisal.urls.documents_evaluasi import urlpatterns

    assert {p.name for p in urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(client, org, outsider, final, name):
    got = {}
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            who = outsider.hr_admin if persona == "outsider" else getattr(org, persona)
            client.force_login(getattr(who, "user", who))
        got[persona] = client.get(reverse(f"appraisal:{name}", args=[final.pk])).status_code
    assert got == MATRIX[name]


@pytest.mark.parametrize("url_name", URLS)
def test_the_pdf_is_private_and_never_cached(org, final, as_user, url_name):
    response = as_user(org.hr_admin).get(reverse(url_name, args=[final.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF")


def test_filenames_name_the_employee_period_and_year(org, final, as_user):
    client = as_user(org.pegawai)

    sheet = client.get(reverse("appraisal:evaluasi_pdf", args=[final.pk]))
    record = client.get(reverse("appraisal:dokumen_evaluasi_pdf", args=[final.pk]))

    assert sheet["Content-Disposition"] == f'attachment; filename="Evaluasi-{org.pegawai.nip}-TRIWULAN-I-2026.pdf"'
    assert (
        record["Content-Disposition"]
        == f'attachment; filename="Dokumen-Evaluasi-{org.pegawai.nip}-TRIWULAN-I-2026.pdf"'
    )


@pytest.mark.parametrize("url_name", URLS)
def test_inline_parameter_opens_the_pdf_in_the_browser(org, final, as_user, url_name):
    response = as_user(org.pegawai).get(reverse(url_name, args=[final.pk]), {"inline": "1"})

    assert response["Content-Disposition"].startswith('inline; filename="')


@pytest.mark.parametrize("url_name", URLS)
def test_anonymous_visitor_is_sent_to_login(client, final, url_name):
    response = client.get(reverse(url_name, args=[final.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url_name", URLS)
def test_an_unknown_evaluation_is_404_and_a_post_is_refused(org, final, as_user, url_name):
    client = as_user(org.hr_admin)

    assert client.get(reverse(url_name, args=[final.pk + 999])).status_code == 404
    assert client.post(reverse(url_name, args=[final.pk])).status_code == 405


# --- What the evaluation sheet shows (rules §1.9.1) ----------------------------------------------------


def test_sheet_shows_the_form_people_curve_results_feedback_and_ratings(org, final, as_user):
    text = pdf_text(download(as_user(org.pegawai), "appraisal:evaluasi_pdf", final))

    for line in (
        "EVALUASI KINERJA PEGAWAI",
        "PENDEKATAN HASIL KERJA KUANTITATIF",
        "BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL",
        "PERIODE: TRIWULAN I/II/III/IV-AKHIR",
        "PEMERINTAH KOTA UJI",
        "PERIODE PENILAIAN: 1 JANUARI SD 31 MARET 2026",
        "PEGAWAI YANG DINILAI",
        "PEJABAT PENILAI KINERJA",
        "CAPAIAN KINERJA ORGANISASI",
        "POLA DISTRIBUSI",
        "Kurva distribusi predikat kinerja pegawai dengan capaian kinerja organisasi Baik",
        "Baik paling banyak 70% pegawai",
        "REALISASI BERDASARKAN BUKTI DUKUNG",
        "UMPAN BALIK BERKELANJUTAN BERDASARKAN BUKTI DUKUNG",
        "A. UTAMA",
        "B. TAMBAHAN",
        "RATING HASIL KERJA",
        "EKSPEKTASI KHUSUS PIMPINAN",
        "RATING PERILAKU KERJA",
        "PREDIKAT KINERJA PEGAWAI",
        "KURANG/MISCONDUCT",
        "Pegawai yang Dinilai",
        "Pejabat Penilai Kinerja",
        "TRIWULAN I 2026",  # the footer names the period
    ):
        assert line in text, line
    for person in (org.pegawai, org.penilai):
        assert person.nama_lengkap in text
        assert f"NIP. {format_nip(person.nip)}" in text
    assert OWN_RHK in text
    assert f"30 dokumen {REALISASI}" in text
    assert "Bukti dukung: laporan-rujukan.pdf" in text
    assert UMPAN_BALIK_RHK in text
    assert UMPAN_BALIK_PERILAKU in text
    for _kode, nilai, panduan in BERAKHLAK:
        assert nilai in text and panduan[0] in text
    assert "DRAF" not in text


def test_sheet_ticks_the_capaian_the_ratings_and_the_predikat(org, skp, tw1, as_user):
    final = finalise(org, evaluate(org, skp, tw1, hasil="DI_ATAS", perilaku="SESUAI"))

    text = pdf_text(download(as_user(org.pegawai), "appraisal:evaluasi_pdf", final))

    # A ticked box holds an X: capaian BAIK, hasil kerja di atas, perilaku sesuai, predikat BAIK.
    assert text.count(" X ") == 4
    assert "ISTIMEWA X BAIK BUTUH PERBAIKAN" in text
    assert "X DI ATAS EKSPEKTASI SESUAI EKSPEKTASI DI BAWAH EKSPEKTASI" in text
    assert "DI ATAS EKSPEKTASI X SESUAI EKSPEKTASI DI BAWAH EKSPEKTASI" in text
    assert "PREDIKAT KINERJA PEGAWAI SANGAT BAIK X BAIK BUTUH PERBAIKAN" in text


def test_without_capaian_the_sheet_prints_the_rules_instead_of_a_curve(org, skp, tw1, as_user):
    evaluasi = evaluate(org, skp, tw1)
    Evaluasi.objects.filter(pk=evaluasi.pk).update(status="FINAL", capaian_organisasi="", snapshot={})

    text = pdf_text(download(as_user(org.pegawai), "appraisal:evaluasi_pdf", Evaluasi.objects.get(pk=evaluasi.pk)))

    assert "Capaian kinerja organisasi belum ditetapkan" in text
    assert "Kurva distribusi predikat" not in text
    assert "SANGAT KURANG: Sangat Baik tidak diperkenankan (0%)" in text
    assert "bukan salinan saat evaluasi difinalkan" in text  # final, but from before snapshots


def test_jpt_sheet_uses_the_jpt_form(org, year, tw1, as_user):
    skp = approved_chain(org, year)["kadis"]
    evaluasi = Evaluasi.objects.create(instansi=org.instansi, skp=skp, periode_evaluasi=tw1)

    text = pdf_text(download(as_user(org.kepala_unit), "appraisal:evaluasi_pdf", evaluasi))

    assert "BAGI JABATAN PIMPINAN TINGGI" in text
    assert "PERSPEKTIF" in text
    assert "RENCANA HASIL KERJA PIMPINAN YANG DIINTERVENSI" not in text


def test_a_semester_is_marked_among_the_semesters(org, as_user):
    year = open_year(org, ritme="SEMESTERAN")
    skp = approved_skp(org.pegawai, year, rhk=(OWN_RHK,))
    semester_2 = PeriodeEvaluasi.objects.get(periode_skp=year, jenis="SEMESTERAN", ke=2)
    evaluasi = Evaluasi.objects.create(instansi=org.instansi, skp=skp, periode_evaluasi=semester_2)

    text = pdf_text(download(as_user(org.pegawai), "appraisal:evaluasi_pdf", evaluasi))

    assert "PERIODE: SEMESTER I/II" in text
    assert "PERIODE PENILAIAN: 1 JULI SD 31 DESEMBER 2026" in text
    assert "SEMESTER II 2026" in text


def test_the_annual_evaluation_is_named_tahunan(org, skp, year, as_user):
    tahunan = PeriodeEvaluasi.objects.get(periode_skp=year, jenis="TAHUNAN")
    evaluasi = Evaluasi.objects.create(instansi=org.instansi, skp=skp, periode_evaluasi=tahunan)

    text = pdf_text(download(as_user(org.pegawai), "appraisal:dokumen_evaluasi_pdf", evaluasi))

    assert "PERIODE: TAHUNAN" in text
    assert "PERIODE PENILAIAN: 1 JANUARI SD 31 DESEMBER 2026" in text


def test_draft_prints_live_data_under_the_draft_banner(org, draft, as_user):
    Pegawai.objects.filter(pk=org.pegawai.pk).update(nama="Nama Sesudah Ganti")

    for url_name in URLS:
        text = pdf_text(download(as_user(org.pegawai), url_name, draft))
        assert "DRAF — belum final" in text
        assert "Nama Sesudah Ganti" in text
        assert ", ...................." in text  # no date to sign yet


def test_very_long_feedback_breaks_across_pages_instead_of_failing(org, skp, tw1, as_user):
    evaluasi = evaluate(org, skp, tw1)
    rhk = skp.rhk.get()
    for n in range(3):
        IKI.objects.create(rhk=rhk, aspek="KUALITAS", uraian=f"IKI {n} " + "mutu rujukan " * 80, target_min=90)
    evaluasi.catatan.filter(rhk=rhk).update(umpan_balik="Umpan " + "balik panjang sekali " * 140 + "AKHIR")
    evaluasi.catatan.exclude(rhk=rhk).update(umpan_balik="Baris\n" * 200 + "SELESAI")

    content = download(as_user(org.pegawai), "appraisal:evaluasi_pdf", evaluasi)

    text = pdf_text(content)
    assert "AKHIR" in text and "SELESAI" in text and "IKI 2 mutu" in text
    assert len(PdfReader(io.BytesIO(content)).pages) >= 3


# --- What the evaluation record shows (rules §1.9.2) ------------------------------------------------


def test_record_shows_the_three_people_the_result_and_the_notes(org, final, as_user):
    text = pdf_text(download(as_user(org.pegawai), "appraisal:dokumen_evaluasi_pdf", final))

    for line in (
        "DOKUMEN EVALUASI KINERJA PEGAWAI",
        "PERIODE: TRIWULAN I/II/III/IV-AKHIR",
        "PEMERINTAH KOTA UJI",
        "PERIODE PENILAIAN: 1 JANUARI SD 31 MARET 2026",
        "1 PEGAWAI YANG DINILAI",
        "2 PEJABAT PENILAI KINERJA",
        "3 ATASAN PEJABAT PENILAI KINERJA",
        "4 EVALUASI KINERJA",
        "Capaian Kinerja Organisasi BAIK",
        "Predikat Kinerja Pegawai BAIK",
        "5 CATATAN/REKOMENDASI",
        CATATAN,
        "Pangkat/Gol. Ruang",
        "Pegawai yang Dinilai",
        "Pejabat Penilai Kinerja",
    ):
        assert line in text, line
    for person in (org.pegawai, org.penilai, org.atasan_penilai):
        assert person.nama_lengkap in text
        assert format_nip(person.nip) in text
    assert "Diubah berdasarkan" not in text


def test_signature_shows_the_kota_and_the_finalisation_date_in_indonesian(org, final, as_user):
    final.snapshot["difinalkan_pada"] = "2026-04-07"
    final.save(update_fields=["snapshot"])

    for url_name in URLS:
        assert "Dumai, 7 April 2026" in pdf_text(download(as_user(org.pegawai), url_name, final))


def test_pdfs_have_a_title_and_numbered_pages(org, final, as_user):
    for url_name, judul in zip(URLS, ("Evaluasi Kinerja Pegawai", "Dokumen Evaluasi Kinerja Pegawai"), strict=True):
        reader = PdfReader(io.BytesIO(download(as_user(org.pegawai), url_name, final)))
        total = len(reader.pages)
        assert reader.metadata.title == f"{judul} — {org.pegawai.nama_lengkap} — TRIWULAN I 2026"
        assert f"Halaman 1 dari {total}" in reader.pages[0].extract_text()
        assert f"Halaman {total} dari {total}" in reader.pages[-1].extract_text()


def test_the_record_fits_on_one_portrait_page(org, final, as_user):
    reader = PdfReader(io.BytesIO(download(as_user(org.pegawai), "appraisal:dokumen_evaluasi_pdf", final)))

    assert len(reader.pages) == 1
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert height > width


# --- Reprint stability (rules §1.9.2) --------------------------------------------------------------


def test_reprint_after_rename_move_and_promotion_shows_the_identity_frozen_at_finalisation(org, final, as_user):
    client = as_user(org.pegawai)
    first = {url_name: pdf_text(download(client, url_name, final)) for url_name in URLS}
    old_nama = org.pegawai.nama_lengkap
    Pegawai.objects.filter(pk=org.pegawai.pk).update(
        nama="Nama Sesudah Ganti", jabatan=org.jabatan.staff2, unit=org.other_seksi
    )
    Pegawai.objects.filter(pk=org.penilai.pk).update(nama="Penilai Sesudah Promosi", golongan="IV/a")
    Pegawai.objects.filter(pk=org.atasan_penilai.pk).update(jabatan=org.jabatan.kadis, golongan="IV/c")

    for url_name in URLS:
        again = pdf_text(download(client, url_name, final))
        assert again == first[url_name]
        assert old_nama in again
        assert "Pengadministrasi Umum" in again and "Seksi Rujukan" in again
        for later in ("Nama Sesudah Ganti", "Pengelola Obat", "Seksi Farmasi", "Penilai Sesudah Promosi", "IV/a"):
            assert later not in again
    assert "Kepala Bidang" in again and "IV/c" not in again  # the atasan block of the record


def test_a_keberatan_that_changed_the_result_prints_the_new_predikat_and_the_decision(org, final, as_user):
    keberatan = ev.keberatan_submit(evaluasi=final, alasan="Target terlampaui.", by=org.pegawai.user)
    ev.keberatan_decide(
        keberatan=keberatan, by=org.atasan_penilai.user, ubah=True, pertimbangan="Bukti kuat",
        rating_hasil_kerja="DI_ATAS", rating_perilaku_kerja="DI_ATAS",
    )  # fmt: skip
    keberatan.refresh_from_db()
    decided = documents_evaluasi.tanggal_indonesia(keberatan.diputus_pada.date())

    record = pdf_text(download(as_user(org.pegawai), "appraisal:dokumen_evaluasi_pdf", final))
    sheet = pdf_text(download(as_user(org.pegawai), "appraisal:evaluasi_pdf", final))

    assert "Predikat Kinerja Pegawai SANGAT BAIK" in record
    assert f"Diubah berdasarkan keputusan keberatan tanggal {decided} (semula BAIK)" in record
    assert "X SANGAT BAIK" in sheet
    assert f"Diubah berdasarkan keputusan keberatan tanggal {decided}" in sheet


def test_a_keberatan_that_kept_the_result_says_so(org, final, as_user):
    keberatan = ev.keberatan_submit(evaluasi=final, alasan="Target terlampaui.", by=org.pegawai.user)
    ev.keberatan_decide(keberatan=keberatan, by=org.atasan_penilai.user, ubah=False, pertimbangan="Sudah sesuai")

    record = pdf_text(download(as_user(org.pegawai), "appraisal:dokumen_evaluasi_pdf", final))

    assert "Predikat Kinerja Pegawai BAIK Tetap berdasarkan keputusan keberatan tanggal" in record
    assert "Diubah berdasarkan" not in record


# --- The curve ------------------------------------------------------------------------------------


@pytest.mark.parametrize("capaian", list(rules.DISTRIBUSI_RULES))
def test_the_drawn_curve_of_every_capaian_keeps_to_its_own_rules(capaian):
    shares = documents_evaluasi.KURVA_ILUSTRASI[capaian]

    assert sum(shares.values()) == 100
    assert all(check.ok for check in rules.distribution_checks(capaian, shares))


def test_the_curve_axis_runs_from_sangat_kurang_to_sangat_baik():
    assert tuple(reversed(rules.PREDIKAT_ORDER)) == documents_evaluasi.KURVA_SUMBU


# --- Query budget ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", URLS)
@pytest.mark.parametrize("jumlah_rhk", [1, 10])
def test_query_count_does_not_grow_with_rhk(
    org, skp, tw1, as_user, django_assert_max_num_queries, url_name, jumlah_rhk
):
    for n in range(jumlah_rhk - 1):
        add_rhk(skp, f"RHK tambahan nomor {n}", parent=skp.rhk.get(uraian=OWN_RHK).rhk_atasan)
    final = finalise(org, evaluate(org, skp, tw1))
    client = as_user(org.pegawai)

    # session, user, the evaluation with its SKP (get_evaluasi_for), RHK with RHK pimpinan, their IKI,
    # realisations, their evidence, feedback on RHK, core values, panduan perilaku, ekspektasi,
    # feedback on core values, keberatan.
    with django_assert_max_num_queries(13):
        download(client, url_name, final)


def test_a_draft_needs_only_its_people_and_achievement_more(org, draft, as_user, django_assert_max_num_queries):
    client = as_user(org.pegawai)

    # As above without the keberatan, plus the three people and the unit's live achievement.
    with django_assert_max_num_queries(14):
        download(client, "appraisal:evaluasi_pdf", draft)


def test_the_period_dates_are_cut_to_the_skps_own_span(org, draft, as_user):
    type(draft.skp).objects.filter(pk=draft.skp_id).update(mulai=datetime.date(2026, 2, 16))

    text = pdf_text(download(as_user(org.pegawai), "appraisal:dokumen_evaluasi_pdf", draft))

    assert "PERIODE PENILAIAN: 16 FEBRUARI SD 31 MARET 2026" in text
