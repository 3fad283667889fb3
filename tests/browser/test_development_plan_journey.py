"""Issue 6 item 5 end to end in Chromium: the rencana pembinaan. HR schedules a training from the
catalogue, enrols the employees the talent job recommended for training, records attendance after
the training and opens the before/after comparison; the employee sees the JP earned against the
20 JP duty on their own page, and the supervisor sees the team's plan.

Only the arrangement (the talent organisation and its computed recommendations, the catalogue,
the period results around the training) uses the ORM and the services; everything after it goes
through the browser. A second journey checks the same pages on a phone.

The talent organisation is pinned to 2026 (talenta/tests/conftest.py); the training ran on
6–10 April 2026, so attendance may be recorded, and the employee's page counts JP of the
current year."""

from __future__ import annotations

import datetime
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.tests.factories import TEST_PASSWORD
from appraisal.models import PeriodeEvaluasi
from reports.models import HasilKinerja
from talenta import services, services_pembinaan
from talenta.models import JadwalPelatihan, Pelatihan, PesertaPelatihan, Rekomendasi
from talenta.tests import conftest as talenta_fixtures
from talenta.tests.helpers import kompetensi, year

from .conftest import login, screenshot

pytestmark = pytest.mark.browser

# The small organisation of the talent unit tests: colleague (Kerjasama gap) and other_staff
# (predikat Kurang) are recommended for training in 2026.
talent_org = talenta_fixtures.talent_org

TRAINING = "Pelatihan Kerja Sama Tim"
JP = 12  # below the 20 JP duty, so the employee's page shows what is still missing
MULAI, SELESAI = datetime.date(2026, 4, 6), datetime.date(2026, 4, 10)


@pytest.fixture
def seeded_dictionary(transactional_db):
    """The national competency dictionary is seeded by a data migration that an earlier
    transactional test's flush removed: seed it again before the talent organisation needs it."""
    import_module("talenta.migrations.0002_seed_kompetensi").seed(django_apps, None)


@pytest.fixture
def world(seeded_dictionary, talent_org, on_day):
    """The talent job computed for 2026; a catalogue entry developing Kerjasama (M2); colleague's
    period results: TW I 80 % Butuh Perbaikan before the training, TW III 90 % and TW IV 100 % Baik
    after it (TW II overlaps the training and is left out of the comparison). Today is in 2026 for
    the live server too (it runs in this process), so "this year's" JP are the plan's."""
    on_day(datetime.date(2026, 11, 24))
    org = talent_org.org
    services.talenta_compute(instansi_id=org.instansi.pk, tahun=2026)
    org.pelatihan = Pelatihan.objects.create(
        instansi=org.instansi, nama=TRAINING, jenis="KLASIKAL", bentuk="Pelatihan manajerial", jp=JP
    )
    org.pelatihan.kompetensi.set([kompetensi("M2")])
    periods = {(p.jenis, p.ke): p for p in PeriodeEvaluasi.objects.filter(periode_skp=year(org, 2026))}
    for ke, capaian, predikat in [(1, "80", "BUTUH_PERBAIKAN"), (3, "90", "BAIK"), (4, "100", "BAIK")]:
        HasilKinerja.objects.create(
            instansi=org.instansi, periode_evaluasi=periods[("TRIWULANAN", ke)], pegawai=org.colleague,
            unit=org.colleague.unit, capaian_skp=Decimal(capaian), predikat=predikat,
            dihitung_pada=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
        )  # fmt: skip
    return org


# For the failure message: the elements reaching past the right edge that their scrolling
# container does not hold (outside any, or absolutely positioned and so escaping it).
ESCAPING_ELEMENTS = """() => {
  const width = document.documentElement.clientWidth;
  const scrolled = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (["auto", "scroll", "hidden"].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  return [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .filter((el) => !scrolled(el) || ["absolute", "fixed"].includes(getComputedStyle(el).position))
    .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`);
}"""


def no_sideways_scroll(page: Page) -> None:
    """The page itself never scrolls sideways on a phone (wide tables scroll inside their card)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the phone: {page.evaluate(ESCAPING_ELEMENTS)}"


# --- HR on a desktop -----------------------------------------------------------------------------------


def hr_schedules_the_training(page: Page, live_server, org) -> None:
    login(page, live_server, org.hr_admin.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}{reverse('talenta:jadwal_list')}")
    page.get_by_role("link", name="Tambah jadwal").click()
    page.get_by_label("Pelatihan").select_option(label=TRAINING)
    page.get_by_label("Mulai").fill(MULAI.isoformat())
    page.get_by_label("Selesai").fill(SELESAI.isoformat())
    page.get_by_label("Tempat").fill("Aula BPSDM")
    page.get_by_label("Penyelenggara").fill("BPSDM Provinsi")
    page.get_by_label("Kuota peserta").fill("5")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Jadwal pelatihan disimpan.")).to_be_visible()
    expect(page.get_by_text("Belum ada peserta. Daftarkan dari rekomendasi pelatihan.")).to_be_visible()


def hr_enrols_from_the_training_recommendations(page: Page, org) -> None:
    page.get_by_role("link", name="Daftarkan peserta").click()
    candidates = page.locator("[data-candidate]")
    # Exactly the employees the talent job recommended for training, with its reasons.
    expect(candidates).to_have_count(2)
    colleague = candidates.filter(has_text=org.colleague.nama)
    expect(colleague).to_contain_text("Kerjasama (level 1 dari standar 2, kesenjangan 1)")
    expect(colleague.get_by_text("sesuai pelatihan")).to_be_visible()  # the gap this training develops
    expect(candidates.filter(has_text=org.other_staff.nama)).to_contain_text("Predikat Kurang/Misconduct.")
    page.get_by_label(f"Pilih {org.colleague.nama}").check()
    page.get_by_label(f"Pilih {org.other_staff.nama}").check()
    page.get_by_role("button", name="Daftarkan yang dipilih").click()
    expect(page.get_by_text("2 pegawai didaftarkan.")).to_be_visible()
    expect(page.locator("[data-jumlah-peserta]")).to_have_text("2 dari 5 kursi terisi.")


def hr_records_attendance(page: Page, org) -> None:
    page.get_by_label(f"Kehadiran {org.colleague.nama}").select_option(label="Lulus")
    page.get_by_label(f"Kehadiran {org.other_staff.nama}").select_option(label="Tidak hadir")
    page.get_by_role("button", name="Simpan kehadiran").click()
    # htmx swaps the sheet in place: the message and the JP each enrolment earned.
    expect(page.locator("#presensi")).to_contain_text("Kehadiran disimpan (2 perubahan).")
    rows = {p.pegawai_id: p.pk for p in PesertaPelatihan.objects.all()}
    expect(page.locator(f'[data-peserta="{rows[org.colleague.pk]}"] [data-jp]')).to_have_text(str(JP))
    expect(page.locator(f'[data-peserta="{rows[org.other_staff.pk]}"] [data-jp]')).to_have_text("0")
    # Recorded attendance cannot be withdrawn: no remove button any more.
    expect(page.locator("#presensi").get_by_role("button", name="Hapus")).to_have_count(0)


def hr_sees_the_before_and_after(page: Page, org) -> None:
    page.get_by_role("link", name="Sebelum dan sesudah").click()
    expect(page.get_by_role("heading", name="Kinerja sebelum dan sesudah pelatihan")).to_be_visible()
    expect(page.locator("[data-ringkasan] [data-peserta]")).to_have_text("1")  # the absent one is left out
    expect(page.locator("[data-capaian]")).to_have_text("80,00 → 95,00")
    expect(page.locator("[data-ringkasan] [data-arah]")).to_contain_text("1 naik · 0 tetap · 0 turun")
    row = page.locator(f'tr[data-peserta="{org.colleague.pk}"]')
    expect(row).to_have_attribute("data-arah", "NAIK")
    expect(row).to_contain_text("Butuh Perbaikan")
    expect(row.get_by_text("naik")).to_be_visible()
    # The chart was drawn by the static script (the CSP forbids inline ones).
    assert page.evaluate("Chart.getChart(document.getElementById('dampak-chart')) !== undefined")
    assert page.locator("#dampak-chart").bounding_box()["height"] > 100
    screenshot(page, "pembinaan-dampak-desktop")


def test_hr_turns_training_recommendations_into_a_plan_that_the_employee_and_supervisor_see(
    world, page: Page, live_server
):
    org = world
    hr_schedules_the_training(page, live_server, org)
    hr_enrols_from_the_training_recommendations(page, org)
    screenshot(page, "pembinaan-peserta-desktop")
    hr_records_attendance(page, org)
    screenshot(page, "pembinaan-presensi-desktop")

    page.goto(f"{live_server.url}{reverse('talenta:jadwal_list')}?tahun=2026")
    jadwal = JadwalPelatihan.objects.get()
    row = page.locator(f'tr[data-jadwal="{jadwal.pk}"]')
    expect(row).to_contain_text(TRAINING)
    expect(row).to_contain_text("2 / 5")  # enrolled / quota
    expect(row.locator("td").nth(4)).to_have_text("1")  # attended
    screenshot(page, "pembinaan-jadwal-desktop")

    page.get_by_role("link", name="Dampak").click()
    hr_sees_the_before_and_after(page, org)

    page.context.clear_cookies()
    login(page, live_server, org.colleague.user.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}{reverse('talenta:saya')}")
    rencana = page.locator(f'[data-rencana="{org.colleague.pk}"]')
    expect(rencana.locator("[data-jp]")).to_have_text(f"{JP} dari 20 JP")
    expect(rencana.locator("progress")).to_have_attribute("value", str(JP * 100 // 20))
    expect(rencana.locator("[data-kurang]")).to_contain_text(f"Masih kurang {20 - JP} JP")
    expect(rencana.locator("li[data-peserta]")).to_contain_text(TRAINING)
    expect(rencana.locator("li[data-peserta]")).to_contain_text("Lulus")
    expect(page.locator('[data-tahun="2026"] [data-rekomendasi="PELATIHAN"]')).to_contain_text("Kerjasama")
    screenshot(page, "pembinaan-saya-desktop")

    page.context.clear_cookies()
    login(page, live_server, org.penilai.user.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}{reverse('talenta:tim')}?tahun=2026")
    team = page.locator("[data-rencana]")
    # The kasi appraises the pegawai, the colleague and the fungsional; other_staff is in another seksi.
    expect(team).to_have_count(3)
    expect(page.locator(f'[data-rencana="{org.colleague.pk}"] [data-jp]')).to_have_text(f"{JP} dari 20 JP")
    expect(page.locator(f'[data-rencana="{org.colleague.pk}"]')).to_contain_text(TRAINING)
    expect(page.locator(f'[data-rencana="{org.pegawai.pk}"] [data-jp]')).to_have_text("0 dari 20 JP")
    expect(page.locator(f'[data-rencana="{org.other_staff.pk}"]')).to_have_count(0)
    screenshot(page, "pembinaan-tim-desktop")


# --- The same pages on a phone ---------------------------------------------------------------------------


def test_the_schedule_attendance_and_own_plan_pages_fit_a_phone(world, phone_page: Page, live_server):
    org = world
    jadwal = services_pembinaan.jadwal_save(
        jadwal=JadwalPelatihan(
            instansi=org.instansi, pelatihan=org.pelatihan, mulai=MULAI, selesai=SELESAI,
            tempat="Aula BPSDM", penyelenggara="BPSDM Provinsi", kuota=5,
        ),
        by=org.hr_admin,
    )  # fmt: skip
    recs = Rekomendasi.objects.filter(instansi=org.instansi, jenis="PELATIHAN").values_list("pk", flat=True)
    services_pembinaan.peserta_enrol(jadwal=jadwal, rekomendasi_ids=recs, by=org.hr_admin)
    peserta = {p.pegawai_id: p.pk for p in PesertaPelatihan.objects.filter(jadwal=jadwal)}
    services_pembinaan.peserta_presensi_record(
        jadwal=jadwal, status_by_peserta={peserta[org.colleague.pk]: "HADIR"}, by=org.hr_admin
    )
    page = phone_page

    login(page, live_server, org.hr_admin.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}{reverse('talenta:jadwal_list')}?tahun=2026")
    expect(page.locator(f'tr[data-jadwal="{jadwal.pk}"]')).to_contain_text(TRAINING)
    expect(page.get_by_role("link", name="Tambah jadwal")).to_be_in_viewport()
    no_sideways_scroll(page)
    screenshot(page, "pembinaan-jadwal-phone")

    page.goto(f"{live_server.url}{reverse('talenta:jadwal_detail', args=[jadwal.pk])}")
    expect(page.get_by_label(f"Kehadiran {org.colleague.nama}")).to_have_value("HADIR")
    no_sideways_scroll(page)
    # The attendance sheet still works by touch: mark the absent one and save.
    page.get_by_label(f"Kehadiran {org.other_staff.nama}").select_option(label="Tidak hadir")
    page.get_by_role("button", name="Simpan kehadiran").tap()
    expect(page.locator("#presensi")).to_contain_text("Kehadiran disimpan (1 perubahan).")
    screenshot(page, "pembinaan-presensi-phone")

    page.context.clear_cookies()
    login(page, live_server, org.colleague.user.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}{reverse('talenta:saya')}")
    expect(page.locator(f'[data-rencana="{org.colleague.pk}"] [data-jp]')).to_have_text(f"{JP} dari 20 JP")
    no_sideways_scroll(page)
    screenshot(page, "pembinaan-saya-phone")
