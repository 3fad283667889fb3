"""The printable SKP (rules §1.4.2–§1.4.7): who may download it, what it shows, and that an
approved SKP reprints with the identity frozen at approval (§1.9.2)."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import Pegawai
from accounts.rules import format_nip
from appraisal import services
from appraisal.documents import periode_penilaian
from appraisal.models import IKI, RHK, SKP, LampiranSKP, SKPPerilaku
from appraisal.rules import BERAKHLAK
from appraisal.tests.factories import add_rhk, approved_chain, open_year

PARENT_RHK = "Rujukan pasien selesai tepat waktu"
OWN_RHK = "Surat rujukan pasien terverifikasi"


def pdf_text(content: bytes) -> str:
    """The PDF's text with whitespace collapsed, so text wrapped inside a cell reads as one phrase."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def download(client, skp, **params) -> bytes:
    response = client.get(reverse("appraisal:skp_pdf", args=[skp.pk]), params)
    assert response.status_code == 200
    return response.content


def approve(skp: SKP) -> SKP:
    """The real workflow: the employee submits, the pejabat penilai approves (snapshot taken)."""
    services.skp_submit(skp=skp, by=skp.pegawai.user)
    return services.skp_approve(skp=SKP.objects.get(pk=skp.pk), by=skp.pejabat_penilai.user)


@pytest.fixture
def chain(org):
    return approved_chain(org, open_year(org))


@pytest.fixture
def draft(org, chain):
    """org.pegawai's SKP with one Utama RHK intervening the kasi's RHK, not yet submitted."""
    skp = services.skp_create(pegawai=org.pegawai, periode=chain["kasi"].periode, by=org.pegawai.user)
    add_rhk(skp, OWN_RHK, parent=chain["kasi"].rhk.get(uraian=PARENT_RHK))
    return skp


@pytest.fixture
def approved(draft):
    return approve(draft)


# --- Who may download -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["pegawai", "penilai", "hr_admin"])
def test_owner_supervisor_and_hr_admin_download_the_pdf(org, approved, as_user, persona):
    response = as_user(getattr(org, persona)).get(reverse("appraisal:skp_pdf", args=[approved.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="SKP-{org.pegawai.nip}-2026.pdf"'
    assert response.content.startswith(b"%PDF")


def test_inline_parameter_opens_the_pdf_in_the_browser(org, approved, as_user):
    response = as_user(org.pegawai).get(reverse("appraisal:skp_pdf", args=[approved.pk]), {"inline": "1"})

    assert response["Content-Disposition"] == f'inline; filename="SKP-{org.pegawai.nip}-2026.pdf"'


def test_colleague_gets_404(org, approved, as_user):
    response = as_user(org.colleague).get(reverse("appraisal:skp_pdf", args=[approved.pk]))

    assert response.status_code == 404


def test_hr_admin_of_another_instansi_gets_404(outsider, approved, as_user):
    response = as_user(outsider.hr_admin).get(reverse("appraisal:skp_pdf", args=[approved.pk]))

    assert response.status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, approved):
    response = client.get(reverse("appraisal:skp_pdf", args=[approved.pk]))

    assert response.status_code == 302


# --- What it shows --------------------------------------------------------------------------------


def test_pdf_shows_the_official_header_identity_hasil_kerja_perilaku_and_lampiran(org, approved, as_user):
    text = pdf_text(download(as_user(org.pegawai), approved))

    for line in (
        "SASARAN KINERJA PEGAWAI",
        "PENDEKATAN HASIL KERJA KUANTITATIF",
        "BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL",
        "PEMERINTAH KOTA UJI",
        "PERIODE PENILAIAN: 1 JANUARI SD 31 DESEMBER TAHUN 2026",
        "PEGAWAI YANG DINILAI",
        "PEJABAT PENILAI KINERJA",
        "PANGKAT/GOL. RUANG",
        "RENCANA HASIL KERJA PIMPINAN YANG DIINTERVENSI",
        "A. UTAMA",
        "B. TAMBAHAN",
        "EKSPEKTASI KHUSUS PIMPINAN",
        "LAMPIRAN SASARAN KINERJA PEGAWAI",
        "DUKUNGAN SUMBER DAYA",
        "SKEMA PERTANGGUNGJAWABAN",
        "KONSEKUENSI",
        "Pegawai yang Dinilai",
        "Pejabat Penilai Kinerja",
    ):
        assert line in text
    for person in (org.pegawai, org.penilai):
        assert person.nama_lengkap in text
        assert f"NIP. {format_nip(person.nip)}" in text
    assert OWN_RHK in text
    assert PARENT_RHK in text
    for _kode, nilai, panduan in BERAKHLAK:
        assert nilai in text
        assert panduan[0] in text
    assert "DRAF" not in text
    assert "bukan salinan" not in text


def test_signature_shows_the_kota_and_the_approval_date_in_indonesian(org, approved, as_user):
    approved.snapshot["disetujui_pada"] = "2026-01-15"
    approved.save(update_fields=["snapshot"])

    text = pdf_text(download(as_user(org.pegawai), approved))

    assert "Dumai, 15 Januari 2026" in text


def test_pdf_has_a_title_and_numbered_pages(org, approved, as_user):
    reader = PdfReader(io.BytesIO(download(as_user(org.pegawai), approved)))

    assert reader.metadata.title == f"Sasaran Kinerja Pegawai — {org.pegawai.nama_lengkap} — 2026"
    total = len(reader.pages)
    assert total >= 2  # the lampiran starts on its own page
    assert f"Halaman 1 dari {total}" in reader.pages[0].extract_text()
    assert f"Halaman {total} dari {total}" in reader.pages[-1].extract_text()
    assert "LAMPIRAN SASARAN KINERJA PEGAWAI" in reader.pages[-1].extract_text()


def test_mid_year_skp_prints_its_own_span(org, draft, as_user):
    SKP.objects.filter(pk=draft.pk).update(mulai=datetime.date(2026, 7, 1))

    text = pdf_text(download(as_user(org.pegawai), draft))

    assert "PERIODE PENILAIAN: 1 JULI SD 31 DESEMBER TAHUN 2026" in text


def test_tambahan_ekspektasi_and_lampiran_are_printed(org, draft, as_user):
    add_rhk(draft, "Menjadi narasumber sosialisasi rujukan", jenis="TAMBAHAN")
    SKPPerilaku.objects.filter(skp=draft, core_value__kode="kompeten").update(ekspektasi_khusus="Ikut pelatihan SIRS")
    LampiranSKP.objects.create(skp=draft, jenis="DUKUNGAN_SUMBER_DAYA", uraian="Laptop dan akses SIRS", urutan=1)
    LampiranSKP.objects.create(skp=draft, jenis="DUKUNGAN_SUMBER_DAYA", uraian="Pelatihan rujukan daring", urutan=2)

    text = pdf_text(download(as_user(org.pegawai), draft))

    assert "B. TAMBAHAN 1 - Menjadi narasumber sosialisasi rujukan" in text
    assert "Ikut pelatihan SIRS" in text
    assert "1. Laptop dan akses SIRS 2. Pelatihan rujukan daring" in text
    assert "3. KONSEKUENSI - " in text  # an empty list prints a dash


def test_jpt_skp_uses_the_jpt_form_with_perspektif(org, chain, as_user):
    skp = chain["kadis"]
    RHK.objects.filter(skp=skp).update(perspektif="PENERIMA_LAYANAN")

    text = pdf_text(download(as_user(org.kepala_unit), skp))

    assert "BAGI JABATAN PIMPINAN TINGGI" in text
    assert "PERSPEKTIF" in text
    assert "Perspektif Penerima Layanan" in text
    assert "RENCANA HASIL KERJA PIMPINAN YANG DIINTERVENSI" not in text


def test_approved_skp_without_snapshot_says_its_identity_is_live(org, chain, as_user):
    text = pdf_text(download(as_user(org.kepala_unit), chain["kadis"]))  # approved by the factory, no snapshot

    assert "bukan salinan saat SKP disetujui" in text
    assert "DRAF" not in text


def test_kualitatif_skp_prints_the_described_target(org, draft, as_user):
    SKP.objects.filter(pk=draft.pk).update(pendekatan="KUALITATIF")
    IKI.objects.filter(rhk__skp=draft).update(target_min=None, target_text="Rujukan terkirim di hari yang sama")

    text = pdf_text(download(as_user(org.pegawai), draft))

    assert "PENDEKATAN HASIL KERJA KUALITATIF" in text
    assert "Rujukan terkirim di hari yang sama" in text


def test_draft_prints_with_the_draft_banner_and_live_identity(org, draft, as_user):
    text = pdf_text(download(as_user(org.pegawai), draft))

    assert "DRAF — belum disetujui" in text
    assert org.pegawai.nama_lengkap in text
    assert org.penilai.nama_lengkap in text


def test_rhk_with_many_long_indicators_still_prints_across_pages(org, draft, as_user):
    long_text = "Persentase dokumen rujukan yang lengkap, benar dan terkirim tepat waktu ke rumah sakit tujuan " * 10
    rhk = draft.rhk.get()
    for n in range(8):
        IKI.objects.create(rhk=rhk, aspek="KUALITAS", uraian=f"IKI {n} {long_text}", target_min=90, satuan="persen")

    content = download(as_user(org.pegawai), draft)

    assert len(PdfReader(io.BytesIO(content)).pages) > 3
    assert all(f"IKI {n} Persentase" in pdf_text(content) for n in range(8))


def test_text_with_hundreds_of_line_breaks_still_prints(org, draft, as_user):
    SKPPerilaku.objects.filter(skp=draft).update(ekspektasi_khusus="Lapor\n" * 300)

    text = pdf_text(download(as_user(org.pegawai), draft))

    assert "Lapor Lapor Lapor" in text


@pytest.mark.parametrize(
    ("mulai", "selesai", "expected"),
    [
        (
            datetime.date(2026, 1, 1),
            datetime.date(2026, 12, 31),
            "PERIODE PENILAIAN: 1 JANUARI SD 31 DESEMBER TAHUN 2026",
        ),
        (
            datetime.date(2026, 3, 16),
            datetime.date(2026, 8, 31),
            "PERIODE PENILAIAN: 16 MARET SD 31 AGUSTUS TAHUN 2026",
        ),
        (datetime.date(2025, 7, 1), datetime.date(2026, 6, 30), "PERIODE PENILAIAN: 1 JULI 2025 SD 30 JUNI TAHUN 2026"),
    ],
)
def test_periode_penilaian_names_the_months_in_indonesian(mulai, selesai, expected):
    assert periode_penilaian(mulai, selesai) == expected


# --- Reprint stability (rules §1.9.2) --------------------------------------------------------------


def test_reprint_after_rename_and_move_shows_identity_frozen_at_approval(org, approved, as_user):
    client = as_user(org.pegawai)
    first = pdf_text(download(client, approved))
    old_nama = org.pegawai.nama_lengkap
    Pegawai.objects.filter(pk=org.pegawai.pk).update(nama="Nama Sesudah Ganti", jabatan=org.jabatan.staff2)
    Pegawai.objects.filter(pk=org.penilai.pk).update(nama="Penilai Sesudah Ganti", golongan="IV/a")

    again = pdf_text(download(client, approved))

    assert again == first
    assert old_nama in again
    assert "Pengadministrasi Umum" in again and "Seksi Rujukan" in again
    assert "Nama Sesudah Ganti" not in again
    assert "Pengelola Obat" not in again
    assert "Penilai Sesudah Ganti" not in again


def test_draft_follows_live_data_until_approved(org, draft, as_user):
    Pegawai.objects.filter(pk=org.pegawai.pk).update(nama="Nama Sesudah Ganti")

    text = pdf_text(download(as_user(org.pegawai), draft))

    assert "Nama Sesudah Ganti" in text


# --- Query budget ---------------------------------------------------------------------------------


@pytest.mark.parametrize("jumlah_rhk", [1, 12])
def test_pdf_query_count_does_not_grow_with_rhk_and_iki(
    org, chain, draft, as_user, django_assert_max_num_queries, jumlah_rhk
):
    parent = chain["kasi"].rhk.get(uraian=PARENT_RHK)
    for n in range(jumlah_rhk - 1):
        rhk = add_rhk(draft, f"RHK tambahan nomor {n}", parent=parent)
        IKI.objects.create(rhk=rhk, aspek="WAKTU", uraian="Waktu penyelesaian", target_min=3, satuan="hari")
    skp = approve(draft)
    client = as_user(org.pegawai)

    # session, user, the SKP (get_skp_for), RHK with RHK pimpinan, their IKI, core values,
    # panduan perilaku, ekspektasi khusus, lampiran.
    with django_assert_max_num_queries(9):
        download(client, skp)
