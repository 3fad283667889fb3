"""Issue #7 item 6 in Chromium: the HR admin imports a file of five employees with two bad rows
and gets a report naming both; nothing is written. The fixed file is applied and the employees
are in the list; the same file again says there is nothing to change."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Pegawai
from accounts.tests.factories import TEST_PASSWORD, make_nip
from conftest import build_instansi

from .conftest import login, screenshot

pytestmark = pytest.mark.browser

HEADER = "NIP Baru;Nama Lengkap;Gol Ruang;Jabatan;Unor;TMT Jabatan"
NAMES = ["Rina Impor", "Sari Impor", "Tono Impor", "Umar Impor", "Wati Impor"]
BAD_NIP = "19870315201001100"  # 17 digits


def csv(rows: list[str]) -> dict:
    return {"name": "pegawai-siasn.csv", "mimeType": "text/csv", "buffer": "\n".join([HEADER, *rows]).encode()}


def row(i: int, *, nip: str | None = None, unor: str = "Seksi Rujukan") -> str:
    return f"{nip or make_nip(900 + i)};{NAMES[i]};II/c;Pengadministrasi Umum;{unor};2024-01-02"


def upload(page, live_server, file: dict) -> None:
    page.goto(f"{live_server.url}/impor/baru/")
    page.get_by_label("Pegawai", exact=True).check()
    page.get_by_label(re.compile("Berkas Excel")).set_input_files(file)
    page.get_by_role("button", name="Uji coba impor").click()
    page.wait_for_load_state()


def test_hr_imports_employees_sees_the_bad_rows_fixes_the_file_and_re_imports_without_change(
    page, live_server, transactional_db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    org = build_instansi("kota-impor", "Pemerintah Kota Impor")
    before = Pegawai.objects.count()
    bad = [row(0), row(1, nip=BAD_NIP), row(2), row(3, unor="Dinas Entah"), row(4)]
    good = [row(i) for i in range(5)]

    login(page, live_server, org.hr_admin.username, TEST_PASSWORD)
    page.get_by_role("button", name="Kepegawaian").or_(page.get_by_role("link", name="Kepegawaian")).click()
    page.get_by_role("link", name="Impor data").click()
    expect(page.get_by_role("heading", name="Impor data kepegawaian")).to_be_visible()

    upload(page, live_server, csv(bad))
    report = page.locator("[data-impor-report]")
    expect(report.locator('tr[data-line="3"]')).to_contain_text(
        "Nomor induk harus 18 digit (yang dimasukkan 17 digit)."
    )
    expect(report.locator('tr[data-line="5"]')).to_contain_text("Unit kerja tidak dikenal: Dinas Entah.")
    expect(page.get_by_text("2 baris bermasalah")).to_be_visible()
    expect(page.get_by_role("button", name="Terapkan")).to_have_count(0)
    screenshot(page, "impor-pegawai-laporan-salah")
    assert Pegawai.objects.count() == before

    upload(page, live_server, csv(good))
    expect(page.locator("[data-impor-counts]")).to_contain_text("5")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Terapkan").click()
    expect(page.get_by_text("Impor diterapkan: 5 baru, 0 diubah, 0 tidak berubah.")).to_be_visible()
    expect(page.locator("[data-impor-status]")).to_have_text("Diterapkan")
    assert Pegawai.objects.count() == before + 5

    page.goto(f"{live_server.url}/pegawai/?q=Impor")
    for name in NAMES:
        expect(page.get_by_text(name)).to_be_visible()

    upload(page, live_server, csv(good))
    expect(page.locator("[data-impor-nothing]")).to_contain_text("Tidak ada perubahan")
    expect(page.get_by_role("button", name="Terapkan")).to_have_count(0)
    screenshot(page, "impor-pegawai-tanpa-perubahan")
    assert Pegawai.objects.count() == before + 5
