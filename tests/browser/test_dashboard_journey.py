"""Issue 7 end to end in Chromium: the HR admin opens the dashboard, drills into a unit whose
evaluations are late, exports the list to Excel and opens it; the supervisor's and the employee's
homes show their pending actions.

Only the arrangement (the instansi, SKPs, evaluations, the scoring job) uses the ORM and the
services; everything after it goes through the browser."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD
from appraisal import rules
from appraisal.models import Evaluasi, PeriodeEvaluasi
from appraisal.tests.factories import approved_chain, approved_skp, open_year
from conftest import build_instansi
from reports import services

from .conftest import login, screenshot

pytestmark = pytest.mark.browser


def evaluate(skp, periode, *, final: bool):
    return Evaluasi.objects.create(
        instansi_id=skp.instansi_id,
        skp=skp,
        periode_evaluasi=periode,
        status="FINAL" if final else "DRAFT",
        rating_hasil_kerja="SESUAI",
        rating_perilaku_kerja="SESUAI",
        predikat=rules.predikat("SESUAI", "SESUAI"),
        dinilai_oleh_id=skp.pejabat_penilai_id,
    )


@pytest.fixture
def world(transactional_db):
    """Seksi Rujukan: the pegawai's TW I evaluation is final (not yet accepted), the colleague's is a
    draft, the kasi's own is missing: the unit is late. The latest period is TW I (it has results)."""
    org = build_instansi("kota-uji", "Pemerintah Kota Uji")
    year = open_year(org)
    tw1 = PeriodeEvaluasi.objects.get(periode_skp=year, jenis="TRIWULANAN", ke=1)
    chain = approved_chain(org, year)
    parent = chain["kasi"].rhk.first()
    evaluate(approved_skp(org.pegawai, year, parent=parent), tw1, final=True)
    evaluate(approved_skp(org.colleague, year, parent=parent), tw1, final=False)
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    return org


def test_hr_drills_into_a_late_unit_and_exports_it_and_the_homes_show_pending_actions(world, page, live_server):
    org = world
    login(page, live_server, org.hr_admin.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}{reverse('reports:dashboard')}?unit={org.bidang.pk}")
    expect(page.get_by_role("heading", name="Dasbor kinerja")).to_be_visible()
    expect(page.locator("[data-table=talenta]")).to_be_visible()

    page.locator(f'[data-late-eval="{org.seksi.pk}"]').click()
    expect(page.locator("[data-late-page]")).to_contain_text("Seksi Rujukan")
    late = page.locator("[data-table=late-evaluasi]")
    expect(late).to_contain_text(org.colleague.nama)
    expect(late).to_contain_text(org.penilai.nama)
    expect(late).not_to_contain_text(org.pegawai.nama)  # final: not late
    screenshot(page, "dashboard-late")

    with page.expect_download() as info:
        page.locator("[data-export=late]").click()
    download = info.value
    assert download.suggested_filename.startswith("pegawai-terlambat-2026")
    wb = load_workbook(io.BytesIO(download.path().read_bytes()))
    rows = list(wb["Evaluasi belum final"].iter_rows(values_only=True))
    assert rows[0][:2] == ("NIP", "Nama")
    assert {r[1] for r in rows[1:]} == {org.colleague.nama, org.penilai.nama}

    page.context.clear_cookies()
    login(page, live_server, org.penilai.user.username, TEST_PASSWORD)
    expect(page.locator("[data-home=supervisor]")).to_be_visible()
    actions = page.locator("[data-pending-actions]")
    expect(actions).to_be_visible()
    # The evaluations due in the running period: the card's count is the team rows marked due.
    due = int(actions.locator("[data-action=evaluasi] [data-count]").inner_text())
    assert due >= 1
    expect(page.locator("[data-table=team-status] tr[data-due]")).to_have_count(due)
    expect(page.locator("[data-table=team-status]")).to_contain_text(org.colleague.nama)
    screenshot(page, "home-supervisor")

    page.context.clear_cookies()
    login(page, live_server, org.pegawai.user.username, TEST_PASSWORD)
    expect(page.locator("[data-home=pegawai]")).to_be_visible()
    expect(page.locator("[data-own-actions]")).to_contain_text("menunggu Anda terima")
    expect(page.get_by_role("link", name="Buka rencana pengembangan saya")).to_be_visible()
    screenshot(page, "home-pegawai")
