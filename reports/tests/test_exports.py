"""The Excel and CSV files: Indonesian headers, numbers as numbers, the national system's codes."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from appraisal.models import PeriodeEvaluasi
from appraisal.tests.factories import approved_chain, approved_skp, open_year
from reports import services

from .test_dashboard import evaluate

pytestmark = pytest.mark.django_db


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
def skps(org, year):
    chain = approved_chain(org, year)
    return {
        "pegawai": approved_skp(org.pegawai, year),
        "colleague": approved_skp(org.colleague, year),
        "other_staff": approved_skp(org.other_staff, year),
        **chain,
    }


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def rows_of(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_dashboard_workbook_has_the_per_unit_tables_with_numbers(as_user, org, tw1, skps):
    evaluate(skps["pegawai"], tw1, "SESUAI", "SESUAI")
    evaluate(skps["colleague"], tw1, "DI_ATAS", "DI_ATAS")
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    wb = workbook(as_user(org.hr_admin).get(reverse("reports:dashboard_xlsx"), {"unit": org.bidang.pk}))
    skp_sheet, eval_sheet = wb.worksheets[:2]
    assert rows_of(skp_sheet)[0][:3] == ["Unit kerja", "Pegawai aktif", "Belum mulai"]
    headers, *rows = rows_of(eval_sheet)
    assert headers[:5] == ["Unit kerja", "Pegawai", "Evaluasi final", "Final (%)", "Sangat Baik"]
    seksi = next(r for r in rows if r[0] == "Seksi Rujukan")
    assert seksi[1:7] == [3, 2, 67, 1, 1, 0]  # kasi, pegawai, colleague; 2 final; 1 Sangat Baik, 1 Baik
    assert eval_sheet["A1"].font.bold and eval_sheet.freeze_panes == "A2"
    assert eval_sheet.column_dimensions["A"].width >= len("Seksi Rujukan")


def test_leniency_workbook_lists_each_rater(as_user, org, tw1, skps):
    evaluate(skps["pegawai"], tw1, "SESUAI", "SESUAI")
    evaluate(skps["colleague"], tw1, "SESUAI", "SESUAI")
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    ws = workbook(as_user(org.hr_admin).get(reverse("reports:leniency_xlsx"))).active
    headers, *rows = rows_of(ws)
    assert headers[:5] == ["Pejabat penilai", "NIP", "Unit kerja", "Jumlah dinilai", "Sangat Baik"]
    assert rows == [[org.penilai.nama, org.penilai.nip, "Seksi Rujukan", 2, 0, 2, 0, 0, 0, 0, 0, 0, None]]
    assert ws["A1"].font.bold and ws.freeze_panes == "A2"


@pytest.fixture
def annual(org, tahunan, skps):
    evaluate(skps["pegawai"], tahunan, "DI_ATAS", "SESUAI")  # BAIK
    evaluate(skps["other_staff"], tahunan, "SESUAI", "DI_BAWAH")  # KURANG/MISCONDUCT
    evaluate(skps["colleague"], tahunan, "DI_ATAS", "DI_ATAS", final=False)  # a draft is not exported
    return tahunan


HEADERS = ["NIP", "NAMA", "PERIODE", "RATING HASIL KERJA", "RATING PERILAKU KERJA", "PREDIKAT KINERJA"]


def test_annual_results_workbook_uses_the_national_codes(as_user, org, annual):
    ws = workbook(as_user(org.hr_admin).get(reverse("reports:hasil_tahunan_xlsx"), {"tahun": 2026})).active
    headers, *rows = rows_of(ws)
    assert headers == HEADERS
    assert [org.pegawai.nip, org.pegawai.nama, 2026, "DI ATAS EKSPEKTASI", "SESUAI EKSPEKTASI", "BAIK"] in rows
    assert [r[5] for r in rows if r[0] == org.other_staff.nip] == ["KURANG/MISCONDUCT"]
    assert org.colleague.nip not in [r[0] for r in rows] and len(rows) == 2
    assert ws["A2"].number_format == "@" and ws["A1"].font.bold and ws.freeze_panes == "A2"


def test_annual_results_csv_has_the_same_rows(as_user, org, annual):
    response = as_user(org.hr_admin).get(reverse("reports:hasil_tahunan_csv"))
    assert response["Content-Type"].startswith("text/csv")
    headers, *rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert headers == HEADERS
    assert [org.pegawai.nip, org.pegawai.nama, "2026", "DI ATAS EKSPEKTASI", "SESUAI EKSPEKTASI", "BAIK"] in rows
    assert len(rows) == 2


def test_annual_results_filtered_to_a_unit(as_user, org, annual):
    response = as_user(org.hr_admin).get(reverse("reports:hasil_tahunan_csv"), {"unit": org.other_seksi.pk})
    rows = list(csv.reader(io.StringIO(response.content.decode())))[1:]
    assert [r[0] for r in rows] == [org.other_staff.nip]


def test_a_year_without_an_annual_period_is_404(as_user, org, annual):
    assert as_user(org.hr_admin).get(reverse("reports:hasil_tahunan_xlsx"), {"tahun": 1999}).status_code == 404


def test_exports_are_refused_to_staff_and_foreign_units(as_user, org, outsider, annual):
    open_year(outsider)
    for name in ("dashboard_xlsx", "leniency_xlsx", "hasil_tahunan_xlsx", "hasil_tahunan_csv"):
        assert as_user(org.pegawai).get(reverse(f"reports:{name}")).status_code == 403
        assert as_user(outsider.hr_admin).get(reverse(f"reports:{name}"), {"unit": org.seksi.pk}).status_code == 404
        # the outsider's own export never carries org's people
        own = as_user(outsider.hr_admin).get(reverse(f"reports:{name}"))
        assert own.status_code == 200 and org.pegawai.nip.encode() not in own.content
