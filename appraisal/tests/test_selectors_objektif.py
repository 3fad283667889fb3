"""The objectivity report (issue 10 item 4): per unit and period, IKI by kind of evidence and
realisations by provenance, counted in SQL with a constant number of queries."""

from decimal import Decimal

import pytest

from accounts.tests.factories import pegawai_in_post, refresh
from appraisal import selectors_objektif as selectors
from appraisal.models import IKI, PeriodeEvaluasi, Realisasi
from appraisal.tests.factories import approved_skp, katalog, open_year, sourced_iki

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(org):
    return open_year(org)


@pytest.fixture
def tw1(year):
    return PeriodeEvaluasi.objects.get(periode_skp=year, jenis="TRIWULANAN", ke=1)


def _row(report, unit):
    return next(r for r in report.rows if r.unit_id == unit.pk)


def test_ikis_are_split_into_sourced_self_reported_and_descriptive(org, year, tw1):
    skp = approved_skp(org.pegawai, year, rhk=("Pelayanan pasien",))  # one self-reported IKI with a target
    sourced = sourced_iki(skp, katalog(org))
    IKI.objects.create(rhk=skp.rhk.get(), uraian="Pelayanan ramah", target_text="Tanpa keluhan")  # descriptive
    Realisasi.objects.create(iki=sourced, periode_evaluasi=tw1, nilai=Decimal("300"), sumber="BERKAS")
    own = skp.rhk.get().iki.get(target_min=Decimal("12"))
    Realisasi.objects.create(iki=own, periode_evaluasi=tw1, nilai=Decimal("10"), diverifikasi=False)
    report = selectors.objektivitas(instansi=org.instansi, periode=tw1)
    row = _row(report, org.seksi)
    assert (row.iki, row.iki_bersumber, row.iki_sendiri, row.iki_deskriptif) == (3, 1, 1, 1)
    assert row.persen_iki_bersumber == Decimal("33.3")  # 1/3, half-up at one decimal
    assert row.persen_iki_sendiri == Decimal("66.7")
    assert (row.realisasi, row.realisasi_bersumber, row.realisasi_terverifikasi) == (2, 1, 0)
    assert row.persen_realisasi_objektif == Decimal("50.0")
    Realisasi.objects.filter(iki=own).update(diverifikasi=True)
    row = _row(selectors.objektivitas(instansi=org.instansi, periode=tw1), org.seksi)
    assert (row.realisasi_terverifikasi, row.persen_realisasi_objektif) == (1, Decimal("100.0"))


def test_only_approved_current_skps_of_the_instansi_count(org, outsider, year, tw1):
    approved_skp(org.pegawai, year)
    draft = approved_skp(org.colleague, year)
    draft.status = "DRAFT"
    draft.save(update_fields=["status"])
    approved_skp(outsider.pegawai, open_year(outsider))
    report = selectors.objektivitas(instansi=org.instansi, periode=tw1)
    assert [(r.label, r.iki) for r in report.rows] == [(org.seksi.nama, 1)]
    assert report.total.iki == 1
    assert report.chart["labels"] == [org.seksi.nama] and report.chart["iki"] == [0.0]


def test_a_unit_filter_takes_the_unit_and_the_units_below_it(org, year, tw1):
    approved_skp(org.pegawai, year)
    approved_skp(org.other_staff, year)
    approved_skp(org.atasan_penilai, year)  # Bidang, above both seksi
    seksi_only = selectors.objektivitas(instansi=org.instansi, periode=tw1, unit=org.seksi)
    assert [r.unit_id for r in seksi_only.rows] == [org.seksi.pk]
    bidang = selectors.objektivitas(instansi=org.instansi, periode=tw1, unit=org.bidang)
    assert {r.unit_id for r in bidang.rows} == {org.bidang.pk, org.seksi.pk, org.other_seksi.pk}
    assert bidang.total.iki == 3


@pytest.mark.parametrize("size", [1, 30])
def test_the_report_runs_a_constant_number_of_queries(org, year, tw1, django_assert_num_queries, size):
    pasien = katalog(org)
    people = [pegawai_in_post(org.jabatan.staff if n % 2 else org.jabatan.staff2) for n in range(size)]
    refresh(org.instansi)
    for n, pegawai in enumerate(people):
        pegawai.refresh_from_db()
        skp = approved_skp(pegawai, year)
        iki = sourced_iki(skp, pasien)
        Realisasi.objects.create(iki=iki, periode_evaluasi=tw1, nilai=Decimal(n), sumber="BERKAS")
    # units, IKI counts per unit, realisation counts per unit
    with django_assert_num_queries(3):
        report = selectors.objektivitas(instansi=org.instansi, periode=tw1)
        assert report.total.realisasi == size


def test_the_demo_catalogue_is_seeded_once_and_keeps_hr_edits(org):
    from appraisal.demo_objektif import KATALOG, seed
    from appraisal.models import KatalogIndikator

    assert seed(org.instansi) == len(KATALOG)
    KatalogIndikator.objects.filter(kode="waktu-tunggu-rata-rata").update(satuan="detik")
    assert seed(org.instansi) == 0
    waktu = KatalogIndikator.objects.get(instansi=org.instansi, kode="waktu-tunggu-rata-rata")
    assert (waktu.satuan, waktu.arah) == ("detik", "TURUN")
    assert {"Guru", "Perawat", "Petugas Pelayanan Dukcapil"} <= set(
        KatalogIndikator.objects.values_list("kelompok_jabatan", flat=True)
    )


def test_the_chart_shows_at_most_the_units_with_the_lowest_sourced_share():
    from appraisal.selectors_objektif import CHART_UNITS, Objektivitas, ObjektivitasRow

    rows = [ObjektivitasRow(unit_id=i, label=f"Unit {i:02d}", iki=10, iki_bersumber=i % 10) for i in range(30)]
    report = Objektivitas(periode=None, rows=rows)
    assert report.chart_limited and len(report.chart["labels"]) == CHART_UNITS
    assert max(report.chart["iki"]) <= min(float(r.persen_iki_bersumber) for r in rows if r not in report.chart_rows)
    assert Objektivitas(periode=None, rows=rows[:5]).chart["labels"] == [r.label for r in rows[:5]]
