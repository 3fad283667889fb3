"""The results leave SIKAP as a spreadsheet and a PDF report: the numbers a person computes by hand,
Indonesian headers, only accepted responses, and user text that stays text."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from surveys import rules
from surveys.models import StatusRespons
from surveys.tests.factories import respons_with_answers, survey_setup
from surveys.tests.test_results import EXAMPLE_ROWS, answer_example


@pytest.fixture
def skm(org):
    setup = survey_setup(org.instansi, unit=org.dinas)
    answer_example(setup.unit_layanan)  # IKM 88.33, mutu A (see test_results.py)
    respons_with_answers(setup.unit_layanan, 1, status=StatusRespons.DITANDAI, saran="Ditandai, tidak dihitung")
    return setup


def workbook(client, periode):
    response = client.get(reverse("surveys:export_xlsx", args=[periode.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert response["Content-Disposition"].startswith('attachment; filename="skm-dinas-kesehatan-')
    return load_workbook(io.BytesIO(response.content))


def test_the_xlsx_opens_with_its_three_sheets_and_the_ikm_as_a_number(as_user, org, skm):
    wb = workbook(as_user(org.hr_admin), skm.periode)
    assert wb.sheetnames == ["Ringkasan", "NRR per unsur", "Respons"]
    ringkasan = {row[0]: row[1] for row in wb["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    assert ringkasan["IKM"] == pytest.approx(88.33) and isinstance(ringkasan["IKM"], float)
    assert ringkasan["Mutu pelayanan"] == "A"
    assert ringkasan["Kinerja unit pelayanan"] == "Sangat baik"
    assert ringkasan["Jumlah responden (diterima)"] == 5
    assert ringkasan["Sampel minimal"] == 278 and ringkasan["Representatif"] == "Belum"


def test_the_nrr_sheet_has_every_unsur_to_four_decimals(as_user, org, skm):
    ws = workbook(as_user(org.hr_admin), skm.periode)["NRR per unsur"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("Kode", "Unsur", "Jumlah jawaban", "Jumlah nilai", "NRR", "NRR tertimbang")
    by_kode = {r[0]: r for r in rows[1:10]}
    assert list(by_kode) == list(rules.UNSUR_KODE)
    assert by_kode["U1"][1:5] == ("Persyaratan", 5, 18, pytest.approx(3.6))
    assert by_kode["U9"][4] == pytest.approx(3.0)
    assert ws.cell(row=2, column=5).number_format == "0.0000"
    assert rows[-1][1] == "IKM (x 25)" and rows[-1][5] == pytest.approx(88.33)


def test_the_responses_sheet_lists_only_accepted_responses_with_their_answers(as_user, org, skm):
    ws = workbook(as_user(org.hr_admin), skm.periode)["Respons"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:9] == (
        "No", "Diisi pada", "Jenis layanan", "Saluran", "Petugas", "Jenis kelamin", "Usia", "Pendidikan", "Pekerjaan"
    )  # fmt: skip
    assert rows[0][9] == "U1 Persyaratan" and rows[0][-1] == "Saran"
    assert len(rows) == 1 + 5
    answers = sorted(tuple(r[9:18]) for r in rows[1:])
    assert answers == sorted(tuple(row[k] for k in rules.UNSUR_KODE) for row in EXAMPLE_ROWS)
    assert all(r[6] == 34 and r[5] == "Perempuan" for r in rows[1:])


def test_a_suggestion_that_looks_like_a_formula_stays_text(as_user, org, skm):
    respons_with_answers(skm.unit_layanan, 3, saran='=HYPERLINK("http://contoh.invalid","klik")')
    ws = workbook(as_user(org.hr_admin), skm.periode)["Respons"]
    cells = [row[-1] for row in ws.iter_rows(min_row=2)]
    formula = next(c for c in cells if c.value and c.value.startswith("=HYPERLINK"))
    assert formula.data_type == "s"


def test_the_pdf_report_shows_the_index_and_its_interpretation(as_user, org, skm):
    response = as_user(org.hr_admin).get(reverse("surveys:export_pdf", args=[skm.periode.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT" in text
    assert "88,33" in text and "A (Sangat baik)" in text
    assert "5 dari sampel minimal 278" in text and "Belum representatif" in text
    assert "Ditandai, tidak dihitung" not in text


def test_exports_follow_the_instansi(as_user, outsider, skm):
    client = as_user(outsider.hr_admin)
    assert client.get(reverse("surveys:export_xlsx", args=[skm.periode.pk])).status_code == 404
    assert client.get(reverse("surveys:export_pdf", args=[skm.periode.pk])).status_code == 404


def test_the_export_is_indonesian_whatever_the_admin_reads_in(as_user, org, skm):
    client = as_user(org.hr_admin)
    client.cookies["django_language"] = "en"
    ringkasan = {r[0]: r[1] for r in workbook(client, skm.periode)["Ringkasan"].iter_rows(values_only=True)}
    assert ringkasan["Kinerja unit pelayanan"] == "Sangat baik"
    assert Decimal(str(ringkasan["IKM"])) == Decimal("88.33")
