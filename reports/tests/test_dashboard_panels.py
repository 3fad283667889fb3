"""HR dashboard, issue 7 items 1 and 5: the drill-down to the late, the 9-box, the follow-up panels,
the IKM of the service units, every table in Excel, and the annual predikat recap as PDF."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.tests.factories import pegawai_in_post, refresh
from appraisal.models import PeriodeEvaluasi
from appraisal.tests.factories import approved_chain, approved_skp, open_year
from reports import services
from reports.tests.test_dashboard import evaluate
from surveys.tests.factories import respons_with_answers, survey_setup
from talenta.models import Rekomendasi, TalentaBox

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
def scored(org, year, tw1):
    """Seksi Rujukan: pegawai final, colleague draft; kasi has no evaluation. Seksi Farmasi:
    other_staff final; its kasi (other_penilai) has no SKP at all."""
    chain = approved_chain(org, year)
    evaluate(approved_skp(org.pegawai, year), tw1, "SESUAI", "SESUAI")
    evaluate(approved_skp(org.colleague, year), tw1, "DI_ATAS", "DI_ATAS", final=False)
    evaluate(approved_skp(org.other_staff, year), tw1, "SESUAI", "DI_BAWAH")
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    return chain


def workbook(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def rows_of(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


# --- Drill-down to the late ------------------------------------------------------------------------------


def test_a_unit_row_links_to_its_late_people(as_user, org, tw1, scored):
    page = as_user(org.hr_admin).get(reverse("reports:dashboard"), {"unit": org.bidang.pk}).content.decode()
    assert f'data-late-eval="{org.seksi.pk}"' in page  # colleague (draft) and kasi (none) are not final
    assert f'data-late="{org.other_seksi.pk}"' in page  # other_penilai has no SKP


def test_the_drill_down_lists_who_is_late_in_the_unit(as_user, org, tw1, scored):
    response = as_user(org.hr_admin).get(reverse("reports:late"), {"periode": tw1.pk, "unit": org.seksi.pk})
    evaluasi = {h.pegawai: h.status_label for h in response.context["eval_page"]}
    assert evaluasi == {org.colleague: "Draf", org.penilai: "Belum dinilai"}
    assert list(response.context["skp_page"]) == []  # everyone in Seksi Rujukan has an approved SKP
    farmasi = as_user(org.hr_admin).get(reverse("reports:late"), {"periode": tw1.pk, "unit": org.other_seksi.pk})
    assert list(farmasi.context["skp_page"]) == [org.other_penilai]
    assert {h.pegawai: h.status_label for h in farmasi.context["eval_page"]} == {
        org.other_penilai: "Belum ada SKP disetujui"  # counted as not final on the dashboard too
    }


def test_the_late_lists_export_to_excel_with_indonesian_headers(as_user, org, tw1, scored):
    response = as_user(org.hr_admin).get(reverse("reports:late_xlsx"), {"periode": tw1.pk, "unit": org.bidang.pk})
    wb = workbook(response)
    assert wb.sheetnames == ["SKP terlambat", "Evaluasi belum final"]
    skp_rows = rows_of(wb["SKP terlambat"])
    assert skp_rows[0] == ["NIP", "Nama", "Unit kerja", "Pejabat penilai", "Status SKP"]
    assert [r[1] for r in skp_rows[1:]] == [org.other_penilai.nama]
    assert isinstance(skp_rows[1][0], str) and wb["SKP terlambat"]["A2"].number_format == "@"
    names = {r[1] for r in rows_of(wb["Evaluasi belum final"])[1:]}
    assert names == {org.colleague.nama, org.penilai.nama, org.atasan_penilai.nama, org.other_penilai.nama}


def test_the_drill_down_refuses_staff_and_hides_another_instansi(as_user, org, outsider, tw1, scored):
    for name in ("late", "late_xlsx", "rekap_pdf", "rekap_xlsx"):
        assert as_user(org.pegawai).get(reverse(f"reports:{name}")).status_code == 403, name
        assert as_user(org.penilai).get(reverse(f"reports:{name}")).status_code == 403, name
        foreign = as_user(outsider.hr_admin).get(reverse(f"reports:{name}"), {"unit": org.seksi.pk})
        assert foreign.status_code == 404, name


@pytest.mark.parametrize(
    "params",
    [
        {"periode": "abc", "unit": ""},
        {"periode": "999999"},
        {"hal_skp": "x", "hal_evaluasi": "-3"},
        {"periode": "1'; DROP TABLE x"},
    ],
)
def test_bad_filter_params_never_give_a_500(as_user, org, tw1, scored, params):
    client = as_user(org.hr_admin)
    for name in ("dashboard", "late", "dashboard_xlsx", "late_xlsx"):
        assert client.get(reverse(f"reports:{name}"), params).status_code == 200, name
    assert client.get(reverse("reports:late"), {"unit": "abc"}).status_code == 404
    assert client.get(reverse("reports:rekap_pdf"), {"tahun": "abc"}).status_code == 404
    assert client.get(reverse("reports:rekap_xlsx"), {"tahun": "1999"}).status_code == 404


# --- 9-box, follow-up panels, IKM ---------------------------------------------------------------------------


def talent(org, pegawai, kotak, *jenis):
    now = timezone.now()
    TalentaBox.objects.create(
        instansi=org.instansi, tahun=2026, pegawai=pegawai, unit=pegawai.unit, kotak=kotak, dihitung_pada=now
    )
    for j in jenis:
        Rekomendasi.objects.create(
            instansi=org.instansi,
            tahun=2026,
            pegawai=pegawai,
            unit=pegawai.unit,
            jenis=j,
            alasan="-",
            dihitung_pada=now,
        )


def test_the_dashboard_shows_the_9_box_counts_linking_to_the_people_in_each_box(as_user, org, tw1, scored):
    talent(org, org.pegawai, 9, "PROMOSI", "PENGHARGAAN")
    talent(org, org.colleague, 9, "PROMOSI")
    talent(org, org.other_staff, 1, "PELATIHAN")
    response = as_user(org.hr_admin).get(reverse("reports:dashboard"))
    cells = {c["kotak"]: c["jumlah"] for c in response.context["panels"].grid_cells}
    assert cells[9] == 2 and cells[1] == 1 and cells[5] == 0
    page = response.content.decode()
    assert f"{reverse('talenta:grid')}?tahun=2026&amp;kotak=9" in page
    panels = {p.jenis: p for p in response.context["panels"].rekomendasi}
    assert panels["PROMOSI"].jumlah == 2 and panels["PENGHARGAAN"].jumlah == 1 and panels["PELATIHAN"].jumlah == 1
    assert [r.pegawai for r in panels["PROMOSI"].contoh] == sorted([org.pegawai, org.colleague], key=lambda p: p.nama)
    assert f"{reverse('talenta:rekomendasi')}?tahun=2026&amp;jenis=PROMOSI" in page


def test_the_9_box_follows_the_unit_filter(as_user, org, tw1, scored):
    talent(org, org.pegawai, 9)
    talent(org, org.other_staff, 9, "PELATIHAN")
    response = as_user(org.hr_admin).get(reverse("reports:dashboard"), {"unit": org.seksi.pk})
    assert {c["kotak"]: c["jumlah"] for c in response.context["panels"].grid_cells}[9] == 1
    assert {p.jenis: p.jumlah for p in response.context["panels"].rekomendasi}["PELATIHAN"] == 0


def test_the_dashboard_lists_the_ikm_of_each_service_unit_with_its_mutu(as_user, org, tw1, scored):
    skm = survey_setup(org.instansi, unit=org.dinas)
    for _ in range(3):
        respons_with_answers(skm.unit_layanan, 4)
    response = as_user(org.hr_admin).get(reverse("reports:dashboard"))
    (row,) = response.context["panels"].ikm
    assert row.skor.responden == 3 and row.skor.mutu == "A"
    assert 'data-mutu="A"' in response.content.decode()


def test_every_dashboard_table_is_a_sheet_of_the_excel_file(as_user, org, tw1, scored):
    talent(org, org.pegawai, 9, "PROMOSI")
    wb = workbook(as_user(org.hr_admin).get(reverse("reports:dashboard_xlsx")))
    assert wb.sheetnames == [
        "Progres SKP",
        "Evaluasi & predikat",
        "Distribusi predikat",
        "Kotak talenta",
        "Rekomendasi",
        "IKM unit layanan",
    ]
    kotak = rows_of(wb["Kotak talenta"])
    assert kotak[0] == ["Kotak", "Kinerja", "Jumlah pegawai", "Rekomendasi"]
    assert kotak[9][:3] == [9, "Di Atas Ekspektasi", 1]
    assert ["Promosi", 1] in rows_of(wb["Rekomendasi"])
    assert rows_of(wb["Distribusi predikat"])[1:3] == [["Sangat Baik", 1], ["Baik", 1]]


# --- Annual predikat recap ------------------------------------------------------------------------------------


@pytest.fixture
def annual(org, year, tahunan):
    approved_chain(org, year)
    evaluate(approved_skp(org.pegawai, year), tahunan, "SESUAI", "SESUAI")
    evaluate(approved_skp(org.colleague, year), tahunan, "DI_ATAS", "DI_ATAS")
    evaluate(approved_skp(org.other_staff, year), tahunan, "SESUAI", "DI_BAWAH")
    services.period_scores_compute(periode_evaluasi_id=tahunan.pk)


def test_the_recap_pdf_counts_each_predikat_per_unit_on_a4_landscape(as_user, org, annual):
    response = as_user(org.hr_admin).get(reverse("reports:rekap_pdf"), {"tahun": 2026})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height  # landscape
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "REKAPITULASI PREDIKAT KINERJA TAHUNAN" in text and "2026" in text
    for name in ("Seksi Rujukan", "Seksi Farmasi", "Sangat Baik", "Perbaikan"):
        assert name in text, name
    # The total row: 7 employees; 1 Sangat Baik, 1 Baik, 0, 1 Kurang, 0; 4 without predikat; 3 final (43 %).
    assert "Jumlah 7 1 1 0 1 0 4 3 43" in " ".join(text.split())


def test_the_recap_rows_add_up_to_the_total(as_user, org, annual):
    wb = workbook(as_user(org.hr_admin).get(reverse("reports:rekap_xlsx"), {"tahun": 2026}))
    headers, *rows = rows_of(wb.active)
    assert headers[:4] == ["Unit kerja", "Pegawai", "Sangat Baik", "Baik"]
    seksi = next(r for r in rows if r[0].strip() == "Seksi Rujukan")
    assert seksi[1:4] == [3, 1, 1]  # kasi (no predikat yet), pegawai Baik, colleague Sangat Baik
    total = rows[-1]
    assert total[0] == "Jumlah" and total[1] == sum(r[1] for r in rows[:-1]) == 7  # the whole chain
    assert total[2:7] == [1, 1, 0, 1, 0]  # other_staff: Sesuai × Di Bawah = Kurang


def test_the_recap_of_a_unit_holds_only_its_subtree(as_user, org, annual):
    wb = workbook(as_user(org.hr_admin).get(reverse("reports:rekap_xlsx"), {"tahun": 2026, "unit": org.seksi.pk}))
    _headers, *rows = rows_of(wb.active)
    assert [r[0].strip() for r in rows] == ["Seksi Rujukan", "Jumlah"]


# --- Query budgets -----------------------------------------------------------------------------------------------


def grow(org, year, tw1, n):
    people = [pegawai_in_post(org.jabatan.staff) for _ in range(n)]
    refresh(org.instansi)
    for pegawai in people:
        pegawai.refresh_from_db()
        evaluate(approved_skp(pegawai, year), tw1, "SESUAI", "DI_ATAS", final=False)
        talent(org, pegawai, 5, "PELATIHAN", "PROMOSI")


@pytest.mark.parametrize("size", [1, 12])
def test_the_dashboard_with_its_panels_keeps_a_constant_query_count(
    as_user, org, year, tw1, size, django_assert_max_num_queries
):
    approved_chain(org, year)
    grow(org, year, tw1, size)
    skm = survey_setup(org.instansi, unit=org.dinas)
    respons_with_answers(skm.unit_layanan, 3)
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    client = as_user(org.hr_admin)
    # 19 at any size: session, user, the menu's roles, periods, the picker's level, units, HasilKinerja counts, capaian,
    # SKP progress (employees per unit, current SKP per unit and status), the recap's years, the
    # 9-box counts, recommendations (counts, first names), the service units (count, the first
    # IKM_PANEL_ROWS), their survey periods, accepted responses per period, unsur sums per period.
    with django_assert_max_num_queries(19):
        response = client.get(reverse("reports:dashboard"))
    assert {p.jenis: p.jumlah for p in response.context["panels"].rekomendasi}["PELATIHAN"] == size


@pytest.mark.parametrize("size", [1, 12])
def test_the_drill_down_keeps_a_constant_query_count(as_user, org, year, tw1, size, django_assert_max_num_queries):
    approved_chain(org, year)
    grow(org, year, tw1, size)
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    client = as_user(org.hr_admin)
    # 9 at any size: session, user, the menu's roles, units, periods, late SKP (count, page),
    # evaluations not final (count, page).
    with django_assert_max_num_queries(9):
        response = client.get(reverse("reports:late"), {"periode": tw1.pk})
    assert response.context["eval_page"].paginator.count >= size
