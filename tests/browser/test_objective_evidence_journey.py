"""Issue 10 end to end in Chromium: HR imports a file of patients served; the nurse's realisation
shows it came from that file and offers her no input to change it; she adds evidence and fills and
sends her self-assessment; her supervisor sees the self-assessment, the computed achievement and
the evidence side by side.

Only the arrangement (the organisation, the approved SKP with an IKI from the catalogue, the
logins) uses the ORM and the factories; everything after it goes through the browser."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.tests.factories import TEST_PASSWORD
from appraisal.models import CoreValue, PenilaianDiri, PeriodeEvaluasi, Realisasi
from appraisal.tests.factories import approved_chain, approved_skp, katalog, open_year, sourced_iki
from conftest import build_instansi

from .conftest import login, screenshot

pytestmark = pytest.mark.browser

REFLEKSI = "Kunjungan pasien naik karena posyandu lansia; pencatatan harian perlu lebih rapi."


def arrange():
    org = build_instansi("kota-objektif", "Pemerintah Kota Objektif")
    org.pegawai.jabatan.nama = "Perawat Terampil"
    org.pegawai.jabatan.save(update_fields=["nama"])
    year = open_year(org)
    periode = PeriodeEvaluasi.objects.get(periode_skp=year, jenis="TRIWULANAN", ke=1)
    chain = approved_chain(org, year)
    skp = approved_skp(org.pegawai, year, rhk=("Pelayanan keperawatan pasien",), parent=chain["kasi"].rhk.first())
    pasien = katalog(org)  # "Jumlah pasien dilayani", sumber BERKAS
    skp.rhk.get().iki.all().delete()  # the nurse measures this RHK by the catalogue indicator only
    iki = sourced_iki(skp, pasien)  # target 300 pasien
    return org, skp, iki, periode, pasien


def log_in_as(page: Page, live_server, who) -> None:
    """Log in as a User or a Pegawai (through its login), after dropping the previous session."""
    page.context.clear_cookies()
    login(page, live_server, getattr(who, "user", who).username, TEST_PASSWORD)


def hr_imports_the_file(page: Page, live_server, org, periode, pasien) -> None:
    log_in_as(page, live_server, org.hr_admin)
    page.goto(live_server.url + reverse("appraisal:impor_realisasi_create"))
    page.get_by_label("Periode evaluasi").select_option(value=str(periode.pk))
    page.get_by_label("Indikator katalog").select_option(value=str(pasien.pk))
    csv = f"nip,nilai,keterangan\n{org.pegawai.nip},312,SIMPUS Puskesmas\n".encode()
    page.get_by_label(re.compile("Berkas Excel")).set_input_files(
        {"name": "pasien.csv", "mimeType": "text/csv", "buffer": csv}
    )
    page.get_by_role("button", name="Uji coba impor").click()
    page.wait_for_load_state()
    screenshot(page, "objektif-1-hr-uji-coba")
    page.once("dialog", lambda dialog: dialog.accept())  # data-confirm on the apply form
    page.get_by_role("button", name="Terapkan").click()
    expect(page.get_by_text(re.compile("Impor diterapkan"))).to_be_visible()


def nurse_sees_the_imported_value_and_adds_evidence(page: Page, live_server, org, skp, iki, periode) -> None:
    log_in_as(page, live_server, org.pegawai)
    page.goto(live_server.url + reverse("appraisal:realisasi", args=[skp.pk, periode.pk]))
    block = page.locator(f"#iki-{iki.pk}")
    expect(block).to_contain_text("Jumlah pasien dilayani")
    expect(block).to_contain_text("312 pasien")
    expect(block.locator("[data-provenance]")).to_contain_text("Diimpor dari berkas pasien.csv oleh")
    expect(block.locator(f'[name="iki{iki.pk}-nilai"]')).to_have_count(0)
    expect(block).to_contain_text("tidak dapat diubah pegawai")
    block.locator("[data-riwayat] summary").click()
    expect(block.locator("[data-riwayat] li")).to_have_count(1)
    # Evidence is still hers to add.
    block.get_by_label("atau tautan").fill("https://simpus.example.id/laporan/tw1")
    block.get_by_role("button", name="Tambah").click()
    expect(page.locator(f"#bukti-{iki.pk}")).to_contain_text("Bukti dukung ditambahkan.")
    screenshot(page, "objektif-2-perawat-realisasi")


def nurse_sends_her_self_assessment(page: Page, skp, periode) -> None:
    page.get_by_role("link", name=re.compile("Penilaian diri")).first.click()
    expect(page.get_by_role("heading", name=f"Penilaian diri · {periode.label}")).to_be_visible()
    rhk = skp.rhk.get()
    page.locator(f"#rhk-{rhk.pk}").locator("label", has_text="Di Atas Ekspektasi").click()
    for cv in CoreValue.objects.order_by("urutan"):
        page.locator(f"#cv-{cv.pk}").locator("label", has_text="Sesuai Ekspektasi").click()
    page.get_by_role("textbox", name="Refleksi").fill(REFLEKSI)
    screenshot(page, "objektif-3-penilaian-diri")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Kirim").click()
    expect(page.get_by_text("Penilaian diri dikirim kepada pejabat penilai.")).to_be_visible()
    expect(page.locator('[data-status="DIKIRIM"]')).to_be_visible()
    expect(page.locator('textarea[name="refleksi"]')).to_have_count(0)


def supervisor_sees_it_side_by_side(page: Page, live_server, org, skp, periode, phone_page: Page) -> None:
    log_in_as(page, live_server, org.penilai)
    url = live_server.url + reverse("appraisal:evaluasi", args=[skp.pk, periode.pk])
    page.goto(url)
    expect(page.locator("[data-penilaian-diri-panel]")).to_contain_text(REFLEKSI)
    banding = page.locator(f'[data-banding-rhk="{skp.rhk.get().pk}"]')
    expect(banding.locator("[data-self-rating]")).to_have_text("Di Atas Ekspektasi")
    # 312 of a target of 300 patients: 104 %, above expectation.
    expect(banding.locator("[data-capaian-rhk]")).to_contain_text("104,0%")
    expect(banding.locator("[data-capaian-rhk]")).to_contain_text("Di Atas Ekspektasi")
    expect(banding.locator("[data-bukti-count]")).to_contain_text("1 berkas/tautan")
    expect(page.locator("[data-iki] [data-provenance]")).to_contain_text("Diimpor dari berkas pasien.csv")
    # No verify buttons on an imported value.
    expect(page.get_by_role("button", name="Verifikasi")).to_have_count(0)
    screenshot(page, "objektif-4-atasan-evaluasi")

    # On a phone the same screen stays readable.
    log_in_as(phone_page, live_server, org.penilai)
    phone_page.goto(url)
    expect(phone_page.locator("[data-penilaian-diri-panel]")).to_be_visible()
    screenshot(phone_page, "objektif-5-atasan-evaluasi-ponsel")


def test_hr_imports_patients_served_the_nurse_self_assesses_and_the_supervisor_compares(
    page, phone_page, live_server, transactional_db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    org, skp, iki, periode, pasien = arrange()

    hr_imports_the_file(page, live_server, org, periode, pasien)
    realisasi = Realisasi.objects.get(iki=iki, periode_evaluasi=periode)
    assert (realisasi.nilai, realisasi.sumber) == (312, "BERKAS")

    nurse_sees_the_imported_value_and_adds_evidence(page, live_server, org, skp, iki, periode)
    nurse_sends_her_self_assessment(page, skp, periode)
    assert PenilaianDiri.objects.get(skp=skp, periode_evaluasi=periode).status == "DIKIRIM"

    supervisor_sees_it_side_by_side(page, live_server, org, skp, periode, phone_page)
