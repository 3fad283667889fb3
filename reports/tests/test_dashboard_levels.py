"""Issue 8: the HR dashboard shows one level of the unit tree at a time (the OPDs, then a chosen
unit's children), each row counting its whole subtree, so its size follows the level and not the
size of the instansi; a breadcrumb leads back up, long levels are paged."""

import pytest
from django.urls import reverse

from accounts.models import JenisJabatan
from accounts.tests.factories import JabatanFactory, UnitKerjaFactory, pegawai_in_post, refresh
from appraisal import selectors_monitoring as monitoring
from appraisal.models import PeriodeEvaluasi
from appraisal.tests.factories import approved_chain, approved_skp, open_year
from reports import selectors, services
from reports.tests.test_dashboard import evaluate, row_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(org):
    return open_year(org)


@pytest.fixture
def tw1(year):
    return PeriodeEvaluasi.objects.get(periode_skp=year, jenis="TRIWULANAN", ke=1)


def deep_units(org, year, tw1, n):
    """``n`` units nested below Seksi Rujukan (each the child of the previous), one evaluated
    employee in each."""
    parent = org.seksi
    people = []
    for i in range(n):
        parent = UnitKerjaFactory(instansi=org.instansi, parent=parent, nama=f"Subunit {i}", jenis="SUBBIDANG")
        jabatan = JabatanFactory(
            unit=parent, nama=f"Pelaksana {i}", jenis=JenisJabatan.PELAKSANA, atasan=org.jabatan.kasi
        )
        people.append(pegawai_in_post(jabatan))
    refresh(org.instansi)
    for pegawai in people:
        pegawai.refresh_from_db()
        evaluate(approved_skp(pegawai, year), tw1, "SESUAI", "SESUAI")
    return parent


@pytest.mark.parametrize("extra_units", [0, 6])
def test_rows_follow_the_level_not_the_size_of_the_instansi(
    as_user, org, year, tw1, extra_units, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr(monitoring, "UNIT_PICKER_MAX", 3)  # a province, whose picker cannot list every unit
    approved_chain(org, year)
    evaluate(approved_skp(org.pegawai, year), tw1, "SESUAI", "SESUAI")
    deep_units(org, year, tw1, extra_units)
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    client = as_user(org.hr_admin)
    # 17 with or without the deeper units: session, user, the menu's roles, periods, the picker
    # (the first units, too many: the top level; no unit asked for, no units above), units,
    # HasilKinerja per unit, capaian, employees per unit, current SKP per unit and status, the
    # recap's years, 9-box, recommendations (counts, first names), service units (count, list).
    with django_assert_num_queries(17):
        response = client.get(reverse("reports:dashboard"))
    board = response.context["board"]
    assert [r.unit for r in board.rows] == [org.dinas]  # one OPD: one row, however deep its tree
    assert board.rows[0].pegawai == board.total.pegawai == 7 + extra_units  # its whole subtree
    assert board.rows[0].final == 1 + extra_units
    page = response.content.decode()
    assert page.count("data-level=") == 1 and f'data-level="{org.dinas.pk}"' in page
    picker = page[page.index('id="unit"') : page.index("</select>", page.index('id="unit"'))]
    assert picker.count("<option") == 2  # "Seluruh instansi" and the OPD, not every unit of the tree


def test_choosing_a_unit_shows_its_children_and_a_breadcrumb_back_up(as_user, org, year, tw1):
    approved_chain(org, year)
    evaluate(approved_skp(org.pegawai, year), tw1, "SESUAI", "SESUAI")
    deepest = deep_units(org, year, tw1, 2)
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    response = as_user(org.hr_admin).get(reverse("reports:dashboard"), {"unit": org.seksi.pk})
    board = response.context["board"]
    first = deepest.parent
    assert [(r.unit, r.is_scope_unit) for r in board.rows] == [(org.seksi, True), (first, False)]
    assert row_for(board, first).pegawai == 2  # Subunit 0 and Subunit 1 below it
    assert board.breadcrumb == [org.dinas, org.bidang]
    page = response.content.decode()
    assert f'data-up="{org.bidang.pk}"' in page and f'data-level="{first.pk}"' in page
    assert f'href="?periode={tw1.pk}&amp;unit={first.pk}"' in page


def test_a_long_level_is_paged_and_the_export_keeps_every_row(as_user, org, year, tw1, monkeypatch):
    approved_chain(org, year)
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    monkeypatch.setattr(selectors, "DASHBOARD_PAGE_SIZE", 2)
    client = as_user(org.hr_admin)
    # Bidang: its own staff (the kabid), Seksi Rujukan, Seksi Farmasi: three rows, two pages.
    first = client.get(reverse("reports:dashboard"), {"unit": org.bidang.pk})
    assert [r.unit for r in first.context["board"].rows] == [org.bidang, org.seksi]
    assert "data-level-pager" in first.content.decode() and "hal=2" in first.content.decode()
    second = client.get(reverse("reports:dashboard"), {"unit": org.bidang.pk, "hal": 2})
    assert [r.unit for r in second.context["board"].rows] == [org.other_seksi]
    assert second.context["board"].total.pegawai == first.context["board"].total.pegawai  # totals: the scope
    export = client.get(reverse("reports:dashboard_xlsx"), {"unit": org.bidang.pk})
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    labels = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert {org.bidang.nama, org.seksi.nama, org.other_seksi.nama} <= set(labels)


def test_skp_progress_counts_match_the_progress_page(org, year, tw1):
    chain = approved_chain(org, year)
    approved_skp(org.pegawai, year)
    chain["kasi"].status = "DRAFT"
    chain["kasi"].save(update_fields=["status"])
    for scope in (None, org.bidang, org.seksi):
        ours = {r["unit_id"]: r for r in selectors._skp_status_counts(org.instansi, year, scope)}
        theirs = {r["unit_id"]: r for r in monitoring._status_counts(org.instansi, year, scope)}
        assert ours == theirs


def test_the_ikm_panel_shows_the_first_service_units_and_says_how_many_there_are(as_user, org, year, tw1):
    from django.utils import timezone

    from surveys.selectors import unit_layanan_list
    from surveys.tests.factories import respons_with_answers, survey_setup

    first = survey_setup(org.instansi, unit=org.seksi)  # "Seksi Rujukan" sorts after "Bidang Pelayanan"
    survey_setup(org.instansi, unit=org.bidang)
    respons_with_answers(first.unit_layanan, 3)
    panels = selectors.panels(instansi=org.instansi, tahun=2026, scope=None, today=timezone.localdate(), ikm_limit=1)
    assert panels.ikm_jumlah == 2 and [r.unit_layanan.unit for r in panels.ikm] == [org.bidang]
    scoped = selectors.panels(instansi=org.instansi, tahun=2026, scope=org.seksi, today=timezone.localdate())
    assert [r.unit_layanan for r in scoped.ikm] == [first.unit_layanan]
    full = {r.unit_layanan: r.skor for r in unit_layanan_list(instansi=org.instansi, today=timezone.localdate())}
    assert scoped.ikm[0].skor == full[first.unit_layanan] and scoped.ikm[0].skor.ikm is not None
    everything = selectors.panels(
        instansi=org.instansi, tahun=2026, scope=None, today=timezone.localdate(), ikm_limit=None
    )
    assert len(everything.ikm) == 2  # the Excel sheet: every service unit of the scope
