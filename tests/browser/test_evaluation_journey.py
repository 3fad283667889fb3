"""Issue 4 end to end in Chromium: a pegawai records the TRIWULAN I realisation with evidence, the
supervisor evaluates it (Sangat Baik against a unit whose Capaian Kinerja Organisasi is Butuh
Perbaikan, so the distribution curve breaks and a justification is asked for) and finalises, the
pegawai objects, the atasan pejabat penilai asks for clarification and changes the result to Baik,
and both printed evaluation documents carry the final result and the objection decision.

Only the arrangement (the demo organisation, the approved SKP, the logins, the organisation's
achievement) uses the ORM and the services; everything after it goes through the browser."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from accounts.demo import DEMO_PASSWORD, demo_logins
from accounts.models import Pegawai, User
from accounts.rules import format_nip
from accounts.services import user_create_for_pegawai
from appraisal import services, services_evaluasi
from appraisal.models import (
    IKI,
    RHK,
    SKP,
    Aspek,
    Evaluasi,
    JenisRHK,
    PeriodeEvaluasi,
    PeriodeSKP,
    Perspektif,
    PredikatOrganisasi,
    StatusSKP,
)

from .conftest import ARTIFACTS, login, screenshot

pytestmark = pytest.mark.browser

PERIODE = "TRIWULAN I"
RHK_PEGAWAI = "Tersedianya data status gizi balita yang lengkap dan mutakhir"
IKI_KUANTITAS = "Jumlah laporan data gizi balita yang disusun"
URAIAN_REALISASI = "Laporan Januari, Februari dan Maret disusun, ditambah dua laporan khusus."
# "Realisasi (dokumen)": the IKI's satuan follows the label; "Uraian realisasi" stays out.
REALISASI_LABEL = re.compile(r"^Realisasi\b")
NOT_A_NUMBER = "Isi dengan angka, misalnya 12 atau 12,5."
BUKTI_NAME = "laporan-gizi-tw1.pdf"
BUKTI = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
UMPAN_BALIK = "Laporan lengkap dan tepat waktu; pertahankan mutu data posyandu."
JUSTIFIKASI = "Dua laporan khusus untuk penanganan stunting disusun di luar target."
ALASAN = "Perilaku kerja saya selama triwulan ini sesuai dengan ekspektasi khusus pimpinan."
KLARIFIKASI = "Saya hadir di seluruh rapat koordinasi gizi dan menyerahkan laporan tepat waktu."
PERTIMBANGAN = "Perilaku kerja dinilai sesuai ekspektasi, bukan di atas ekspektasi."


# --- Arrangement (ORM and services only) ---------------------------------------------------------


@dataclass(frozen=True)
class Cast:
    pegawai: Pegawai
    supervisor: Pegawai
    atasan: Pegawai
    pegawai_login: str
    supervisor_login: str
    atasan_login: str
    skp: SKP
    iki: IKI
    rhk: RHK
    periode: PeriodeEvaluasi


def _user_for(pegawai: Pegawai) -> User:
    """The login of ``pegawai``; the demo gives logins to a few people only."""
    return User.objects.filter(pegawai=pegawai).first() or user_create_for_pegawai(
        pegawai=pegawai, password=DEMO_PASSWORD
    )


def _approved_skp(pegawai: Pegawai, periode: PeriodeSKP, uraian: str = "", target: int = 4) -> SKP:
    """An approved SKP of ``pegawai`` with one Utama RHK (intervening the pejabat penilai's first
    RHK) and one KUANTITAS IKI, planned, submitted and approved through the services; the chain
    above is approved first (as in test_skp_journey). An SKP the demo already approved is kept."""
    found = SKP.objects.filter(pegawai=pegawai, periode=periode, is_current=True, status=StatusSKP.DISETUJUI)
    if found.exists():
        return found.get()
    parent = None
    if pegawai.pejabat_penilai_id:
        parent = RHK.objects.filter(skp=_approved_skp(pegawai.pejabat_penilai, periode)).order_by("urutan").first()
    user = _user_for(pegawai)
    skp = services.skp_create(pegawai=pegawai, periode=periode, by=user)
    uraian = uraian or f"Terwujudnya sasaran {pegawai.jabatan.nama}"
    rhk = RHK(skp=skp, jenis=JenisRHK.UTAMA, uraian=uraian, perspektif=Perspektif.PENERIMA_LAYANAN)
    rhk.rhk_atasan = parent
    rhk = services.rhk_save(rhk=rhk, by=user)
    iki_uraian = IKI_KUANTITAS if uraian == RHK_PEGAWAI else f"Jumlah dokumen: {uraian}"
    iki = IKI(rhk=rhk, uraian=iki_uraian, target_min=Decimal(target), satuan="dokumen")
    iki.aspek = "" if skp.is_jpt else Aspek.KUANTITAS
    services.iki_save(iki=iki, by=user)
    skp = services.skp_submit(skp=skp, by=user)
    if skp.status != StatusSKP.DISETUJUI:
        skp = services.skp_approve(skp=skp, by=_user_for(skp.pejabat_penilai))
    return skp


def arrange() -> Cast:
    call_command("seed_demo", "--employees", "80")
    logins = {entry.role: entry for entry in reversed(demo_logins())}  # the first instansi's
    supervisor_user = User.objects.get(username=logins["supervisor"].username)
    pegawai_user = User.objects.get(username=logins["pegawai"].username)
    head = User.objects.get(username=logins["kepala_unit"].username)
    supervisor, pegawai = supervisor_user.pegawai, pegawai_user.pegawai
    assert pegawai.pejabat_penilai_id == supervisor.pk, "the demo pegawai must report to the demo supervisor"
    # seed_demo opens this year's SKP period.
    periode_skp = PeriodeSKP.objects.get(instansi=pegawai.instansi, tahun=timezone.localdate().year)
    assert not SKP.objects.filter(pegawai=pegawai, periode=periode_skp).exists()
    skp = _approved_skp(pegawai, periode_skp, RHK_PEGAWAI, target=12)
    assert skp.status == StatusSKP.DISETUJUI
    iki = IKI.objects.select_related("rhk").get(rhk__skp=skp)
    atasan = skp.atasan_pejabat_penilai
    assert atasan is not None and atasan.pk != supervisor.pk
    atasan_user = _user_for(atasan)
    periode = PeriodeEvaluasi.objects.get(periode_skp=periode_skp, label=PERIODE)
    services_evaluasi.capaian_set(
        unit=pegawai.unit, periode=periode, predikat=PredikatOrganisasi.BUTUH_PERBAIKAN, catatan="", by=head
    )
    return Cast(
        pegawai=pegawai,
        supervisor=supervisor,
        atasan=atasan,
        pegawai_login=pegawai_user.username,
        supervisor_login=supervisor_user.username,
        atasan_login=atasan_user.username,
        skp=skp,
        iki=iki,
        rhk=iki.rhk,
        periode=periode,
    )


# --- Browser helpers -------------------------------------------------------------------------------


def log_out(page: Page) -> None:
    page.locator(".navbar .dropdown-toggle:has(.bi-person-circle)").click()
    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(re.compile(r"/masuk/$"))


def nav(page: Page, menu: str, item: str) -> None:
    page.locator("#mainnav").get_by_role("button", name=menu).click()  # an <a role="button">
    page.locator("#mainnav").get_by_role("link", name=item, exact=True).click()


def open_realisasi(page: Page, cast: Cast) -> None:
    """Kinerja saya → SKP saya → the SKP → Realisasi & evaluasi → TRIWULAN I."""
    nav(page, "Kinerja saya", "SKP saya")
    page.get_by_role("link").filter(has=page.locator('[data-status="DISETUJUI"]')).click()
    page.get_by_role("link", name=re.compile(r"Realisasi & evaluasi")).click()
    expect(page.get_by_role("heading", name=re.compile(r"^Realisasi kinerja"))).to_be_visible()
    page.get_by_role("navigation", name="Periode evaluasi").get_by_role(
        "link", name=re.compile(rf"^\s*{PERIODE}(?![IV-])")
    ).click()
    expect(page.get_by_role("heading", name=f"Realisasi kinerja · {PERIODE}")).to_be_visible()


def alert(page: Page, text: str):
    return page.get_by_role("alert").filter(has_text=text)


def rating(page: Page, legend: str, choice: str) -> None:
    """Click a rating button (a label over a visually hidden radio) in the fieldset ``legend``."""
    page.get_by_role("group", name=legend).locator("label", has_text=choice).click()


def pdf_text(page: Page, url: str, name: str) -> str:
    response = page.request.get(url)  # with the page's session cookie
    assert response.ok, response.status
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment")
    (ARTIFACTS / name).write_bytes(response.body())
    reader = PdfReader(io.BytesIO(response.body()))
    return " ".join(" ".join(p.extract_text() or "" for p in reader.pages).split())


# --- The journey ---------------------------------------------------------------------------------


def pegawai_records_the_realisation(page: Page, live_server, cast: Cast) -> None:
    login(page, live_server, cast.pegawai_login, DEMO_PASSWORD)
    open_realisasi(page, cast)
    block = page.locator(f"#iki-{cast.iki.pk}")
    expect(block).to_contain_text(IKI_KUANTITAS)
    expect(block).to_contain_text("12 dokumen")
    form = block.locator("[data-realisasi-form]")
    form.get_by_label(REALISASI_LABEL).fill("banyak")
    form.get_by_label("Uraian realisasi (opsional)").fill(URAIAN_REALISASI)
    form.get_by_role("button", name="Simpan").click()
    expect(form.get_by_text(NOT_A_NUMBER)).to_be_visible()
    expect(form.get_by_label(REALISASI_LABEL)).to_have_value("banyak")
    expect(form.get_by_label(REALISASI_LABEL)).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("Uraian realisasi (opsional)")).to_have_value(URAIAN_REALISASI)
    screenshot(page, "eval-journey-01-realisasi-error")

    form.get_by_label(REALISASI_LABEL).fill("14")
    form.get_by_role("button", name="Simpan").click()
    expect(block.get_by_role("status").filter(has_text="Realisasi disimpan.")).to_be_visible()
    expect(form.get_by_label(REALISASI_LABEL)).to_have_value(re.compile(r"^14([,.]0+)?$"))
    expect(block.locator("[data-capaian]")).to_have_text(re.compile(r"Capaian 116[,.]7\s?%"))

    bukti = block.locator("[data-bukti-form]")
    bukti.get_by_label("Unggah berkas").set_input_files(
        {"name": BUKTI_NAME, "mimeType": "application/pdf", "buffer": BUKTI}
    )
    bukti.get_by_role("button", name="Tambah").click()
    expect(block.get_by_role("status").filter(has_text="Bukti dukung ditambahkan.")).to_be_visible()
    expect(block.locator("[data-bukti-list]").get_by_role("link", name=BUKTI_NAME)).to_be_visible()
    screenshot(page, "eval-journey-02-realisasi-saved")
    log_out(page)


def supervisor_evaluates_and_finalises(page: Page, live_server, cast: Cast) -> None:
    login(page, live_server, cast.supervisor_login, DEMO_PASSWORD)
    nav(page, "Tim saya", "Penilaian kinerja")
    expect(page.get_by_role("heading", name="Penilaian tim")).to_be_visible()
    screenshot(page, "eval-journey-03-penilaian-tim")
    page.get_by_role("link", name=f"Evaluasi {cast.pegawai.nama_lengkap}, {PERIODE}", exact=True).click()
    expect(page.get_by_role("heading", name=f"Evaluasi kinerja · {PERIODE}")).to_be_visible()
    expect(page.locator('[data-status="DRAFT"]')).to_be_visible()

    iki = page.locator(f"#iki-{cast.iki.pk}")
    expect(iki.locator("[data-realisasi-nilai]")).to_have_text("14 dokumen")
    expect(iki.locator("[data-capaian]")).to_have_text(re.compile(r"Capaian 116[,.]7\s?%"))
    expect(iki.get_by_role("link", name=BUKTI_NAME)).to_be_visible()
    page.locator(f"#rhk-{cast.rhk.pk}").get_by_label("Umpan balik berkelanjutan berdasarkan bukti dukung").fill(
        UMPAN_BALIK
    )

    panel = page.locator("[data-distribusi]")
    expect(panel.locator("[data-capaian]")).to_have_text("Butuh Perbaikan")
    rating(page, "Rating Hasil Kerja", "Di Atas Ekspektasi")
    rating(page, "Rating Perilaku Kerja", "Di Atas Ekspektasi")
    live = page.locator("#penilaian [data-predikat-live]")
    expect(live).to_have_text("Sangat Baik")
    # The panel is swapped by htmx after each change; the broken rule shows once the candidate counts.
    expect(panel.locator('[data-rule-ok="tidak"]').first).to_be_visible()
    expect(panel.locator("tr.table-active")).to_contain_text("Sangat Baik")
    warn = page.locator("[data-distribusi-warn]")
    expect(warn).to_be_visible()
    screenshot(page, "eval-journey-04-evaluasi-rated")

    # Finalising without the justification the broken curve needs is refused; nothing typed is lost.
    page.get_by_role("button", name=re.compile(r"Finalkan…")).click()
    dialog = page.get_by_role("dialog", name="Finalkan evaluasi?")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-predikat-live]")).to_have_text("Sangat Baik")
    screenshot(page, "eval-journey-05-finalkan-modal")
    dialog.get_by_role("button", name="Finalkan", exact=True).click()
    justifikasi = page.get_by_label("Justifikasi penyimpangan pola distribusi")
    expect(justifikasi).to_have_class(re.compile(r"is-invalid"))
    expect(page.get_by_text("Tuliskan justifikasi sebelum memfinalkan.").last).to_be_visible()
    expect(page.locator('[data-status="DRAFT"]')).to_be_visible()
    expect(
        page.locator(f"#rhk-{cast.rhk.pk}").get_by_label("Umpan balik berkelanjutan berdasarkan bukti dukung")
    ).to_have_value(UMPAN_BALIK)
    expect(page.get_by_role("group", name="Rating Hasil Kerja").get_by_label("Di Atas Ekspektasi")).to_be_checked()
    expect(live).to_have_text("Sangat Baik")
    screenshot(page, "eval-journey-06-justifikasi-asked")

    justifikasi.fill(JUSTIFIKASI)
    page.get_by_role("button", name=re.compile(r"Finalkan…")).click()
    dialog = page.get_by_role("dialog", name="Finalkan evaluasi?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Finalkan", exact=True).click()
    expect(alert(page, "Evaluasi difinalkan.")).to_be_visible()
    expect(page.locator('[data-status="FINAL"]')).to_have_text(re.compile("FINAL"))
    expect(page.locator("#penilaian")).to_contain_text("Sangat Baik")
    expect(page.locator("#penilaian")).to_contain_text(JUSTIFIKASI)
    expect(page.get_by_role("button", name=re.compile(r"Finalkan"))).to_have_count(0)
    screenshot(page, "eval-journey-07-final")
    log_out(page)


def pegawai_sees_the_result_and_objects(page: Page, live_server, cast: Cast) -> None:
    login(page, live_server, cast.pegawai_login, DEMO_PASSWORD)
    open_realisasi(page, cast)
    hasil = page.locator("[data-hasil]")
    expect(hasil.locator("[data-predikat]")).to_have_text("Sangat Baik")
    expect(page.locator(f"#rhk-{cast.rhk.pk}")).to_contain_text(UMPAN_BALIK)
    expect(page.locator(f"#iki-{cast.iki.pk} [data-realisasi-value]")).to_contain_text("14 dokumen")
    expect(page.locator("[data-realisasi-form]")).to_have_count(0)
    screenshot(page, "eval-journey-08-pegawai-hasil")

    hasil.get_by_role("link", name=re.compile("Ajukan keberatan")).click()
    expect(page.get_by_role("heading", name="Keberatan atas hasil evaluasi kinerja")).to_be_visible()
    expect(page.locator('[data-hasil="asli"] [data-predikat]')).to_have_text("Sangat Baik")
    expect(page.get_by_text(f"atasan pejabat penilai ({cast.atasan.nama_lengkap})")).to_be_visible()
    page.get_by_label("Alasan keberatan").fill(ALASAN)
    screenshot(page, "eval-journey-09-keberatan-form")
    page.locator("[data-keberatan-form]").get_by_role("button", name=re.compile("Ajukan keberatan")).click()
    expect(alert(page, "Keberatan Anda telah diajukan")).to_be_visible()
    expect(page.locator("main h1 + div [data-status]")).to_have_text("Diajukan")
    expect(page.locator("[data-alasan]")).to_have_text(ALASAN)
    log_out(page)


def open_keberatan(page: Page, cast: Cast, section: str) -> None:
    nav(page, "Kinerja saya", "Keberatan")
    page.locator(f'[data-section="{section}"]').get_by_role("link").filter(has_text=cast.pegawai.nama_lengkap).click()
    expect(page.get_by_role("heading", name="Keberatan atas hasil evaluasi")).to_be_visible()


def atasan_requests_clarification(page: Page, live_server, cast: Cast) -> None:
    login(page, live_server, cast.atasan_login, DEMO_PASSWORD)
    open_keberatan(page, cast, "to-decide")
    expect(page.locator("[data-alasan]")).to_have_text(ALASAN)
    screenshot(page, "eval-journey-10-atasan-keberatan")
    page.get_by_role("button", name=re.compile("Minta klarifikasi")).click()
    expect(alert(page, "diminta memberikan klarifikasi")).to_be_visible()
    expect(page.locator("main h1 + div [data-status]")).to_have_text("Klarifikasi")
    log_out(page)


def pegawai_clarifies(page: Page, live_server, cast: Cast) -> None:
    login(page, live_server, cast.pegawai_login, DEMO_PASSWORD)
    open_keberatan(page, cast, "mine")
    form = page.locator("[data-clarify-form]")
    form.get_by_label("Klarifikasi Anda").fill(KLARIFIKASI)
    form.get_by_role("button", name=re.compile("Simpan klarifikasi")).click()
    expect(alert(page, "Klarifikasi Anda disimpan.")).to_be_visible()
    expect(page.locator('[data-klarifikasi="pegawai"]')).to_contain_text(KLARIFIKASI)
    log_out(page)


def atasan_changes_the_result(page: Page, live_server, cast: Cast) -> None:
    login(page, live_server, cast.atasan_login, DEMO_PASSWORD)
    open_keberatan(page, cast, "to-decide")
    expect(page.locator('[data-klarifikasi="pegawai"]')).to_contain_text(KLARIFIKASI)
    form = page.locator("[data-decide-form]")
    form.locator("label", has_text="Hasil diubah").click()
    form.get_by_label("Rating Hasil Kerja baru").select_option(label="Di Atas Ekspektasi")
    form.get_by_label("Rating Perilaku Kerja baru").select_option(label="Sesuai Ekspektasi")
    expect(form.locator("[data-predikat-preview]")).to_have_text("Baik")
    form.get_by_label("Pertimbangan keputusan").fill(PERTIMBANGAN)
    screenshot(page, "eval-journey-11-putuskan")
    form.get_by_role("button", name="Lanjutkan").click()

    expect(page.get_by_role("heading", name="Konfirmasi keputusan keberatan")).to_be_visible()
    expect(page.locator("[data-final-warning]")).to_be_visible()
    expect(page.locator('[data-hasil="asli"] [data-predikat]')).to_have_text("Sangat Baik")
    expect(page.locator('[data-hasil="baru"] [data-predikat]')).to_have_text("Baik")
    screenshot(page, "eval-journey-12-konfirmasi")
    page.get_by_role("button", name=re.compile(r"Ya, putuskan \(final\)")).click()

    expect(alert(page, "Keberatan telah diputus. Keputusan ini final.")).to_be_visible()
    decision = page.locator("[data-decision]")
    expect(decision.locator('[data-hasil="asli"] [data-predikat]')).to_have_text("Sangat Baik")
    expect(decision.locator('[data-hasil="akhir"] [data-predikat]')).to_have_text("Baik")
    expect(decision.locator('[data-hasil="akhir"] [data-rating-perilaku]')).to_have_text("Sesuai Ekspektasi")
    expect(decision.locator("[data-pertimbangan]")).to_have_text(PERTIMBANGAN)
    expect(page.locator("[data-decide-form]")).to_have_count(0)
    screenshot(page, "eval-journey-13-diputus")


def the_documents_print_the_final_result(page: Page, live_server, cast: Cast) -> None:
    evaluasi = Evaluasi.objects.get(skp=cast.skp, periode_evaluasi=cast.periode)
    assert evaluasi.predikat == "BAIK"
    expected = (
        cast.pegawai.nama_lengkap,
        format_nip(cast.pegawai.nip),
        cast.supervisor.nama_lengkap,
        format_nip(cast.supervisor.nip),
        "Diubah berdasarkan keputusan keberatan",
        "semula SANGAT BAIK",
    )
    # The final predikat: ticked ("X" before the option) on the form, written out on the document.
    documents = (
        ("pdf", "eval-journey-evaluasi.pdf", ("X BAIK BUTUH PERBAIKAN", "X SESUAI EKSPEKTASI")),
        ("dokumen/pdf", "eval-journey-dokumen.pdf", ("Predikat Kinerja Pegawai BAIK", "BUTUH PERBAIKAN")),
    )
    for route, name, final in documents:
        text = pdf_text(page, f"{live_server.url}/skp/evaluasi/{evaluasi.pk}/{route}/", name)
        for value in (*expected, *final):
            assert value in text, f"{value!r} is not in {name}"


def test_realisation_evaluation_objection_and_documents(page, live_server):
    cast = arrange()

    pegawai_records_the_realisation(page, live_server, cast)
    supervisor_evaluates_and_finalises(page, live_server, cast)
    pegawai_sees_the_result_and_objects(page, live_server, cast)
    atasan_requests_clarification(page, live_server, cast)
    pegawai_clarifies(page, live_server, cast)
    atasan_changes_the_result(page, live_server, cast)
    the_documents_print_the_final_result(page, live_server, cast)
