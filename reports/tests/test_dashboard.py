"""HR's dashboard and rater-consistency screen: what they show, who may see them, and their query budget."""

import pytest
from django.urls import reverse

from accounts.tests.factories import pegawai_in_post, refresh
from appraisal import rules
from appraisal.models import CapaianOrganisasi, Evaluasi, PeriodeEvaluasi
from appraisal.tests.factories import approved_chain, approved_skp, open_year
from reports import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(org):
    return open_year(org)


@pytest.fixture
def tw1(year):
    return PeriodeEvaluasi.objects.get(periode_skp=year, jenis="TRIWULANAN", ke=1)


def evaluate(skp, periode, hasil, perilaku, *, final=True):
    """An evaluation written directly (arranging the results table, not testing the evaluation services)."""
    return Evaluasi.objects.create(
        instansi_id=skp.instansi_id,
        skp=skp,
        periode_evaluasi=periode,
        status="FINAL" if final else "DRAFT",
        rating_hasil_kerja=hasil,
        rating_perilaku_kerja=perilaku,
        predikat=rules.predikat(hasil, perilaku),
        dinilai_oleh_id=skp.pejabat_penilai_id,
    )


@pytest.fixture
def scored(org, year, tw1):
    """Seksi Rujukan: pegawai BAIK (final), colleague SANGAT BAIK (final); kasi BAIK (draft).
    Seksi Farmasi: other_staff KURANG (final). Scores computed for TW I."""
    chain = approved_chain(org, year)
    evaluate(approved_skp(org.pegawai, year), tw1, "SESUAI", "SESUAI")
    evaluate(approved_skp(org.colleague, year), tw1, "DI_ATAS", "DI_ATAS")
    evaluate(chain["kasi"], tw1, "SESUAI", "SESUAI", final=False)
    evaluate(approved_skp(org.other_staff, year), tw1, "SESUAI", "DI_BAWAH")
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    return chain


def row_for(board, unit):
    return next(r for r in board.rows if r.unit == unit)


def test_hr_admin_sees_evaluation_progress_and_predikat_per_unit(as_user, org, tw1, scored):
    response = as_user(org.hr_admin).get(reverse("reports:dashboard"), {"unit": org.bidang.pk})
    board = response.context["board"]
    assert board.periode == tw1  # the latest period with results, by default
    seksi = row_for(board, org.seksi)
    assert (seksi.pegawai, seksi.final) == (3, 2)
    assert seksi.counts == {"SANGAT_BAIK": 1, "BAIK": 2, "BUTUH_PERBAIKAN": 0, "KURANG": 0, "SANGAT_KURANG": 0}
    assert row_for(board, org.other_seksi).counts["KURANG"] == 1
    assert board.total.final == 3  # kabid's own SKP has no evaluation: scored, not final
    assert seksi.skp.counts["DISETUJUI"] == 3  # SKP progress from selectors_monitoring
    page = response.content.decode()
    assert f'data-drill="{org.seksi.pk}"' in page and "tahun=2026&amp;unit=" in page
    assert 'id="dashboard-chart-data"' in page and "dashboard-charts.js" in page
    assert board.chart["doughnut"]["data"] == [1, 2, 0, 1, 0]


def test_a_unit_breaking_its_distribution_rule_is_flagged(as_user, org, tw1, scored):
    # Capaian BAIK: at most 70 % Baik and at least one Butuh Perbaikan/Kurang. Seksi Rujukan has
    # 2 of 3 Baik (batas 2: fine) but nobody below Baik: broken. Seksi Farmasi (Kurang) is fine.
    for unit in (org.seksi, org.other_seksi):
        CapaianOrganisasi.objects.create(unit=unit, periode_evaluasi=tw1, predikat="BAIK", ditetapkan_oleh=org.hr_admin)
    response = as_user(org.hr_admin).get(reverse("reports:dashboard"), {"unit": org.bidang.pk})
    board = response.context["board"]
    assert row_for(board, org.seksi).distribution.ok is False
    assert row_for(board, org.other_seksi).distribution.ok is True
    assert row_for(board, org.bidang).distribution.ok is None  # no capaian governs Bidang itself
    assert board.rows_melanggar == [row_for(board, org.seksi)]
    assert response.content.decode().count("data-broken") == 1
    assert board.unit_melanggar == [org.seksi]


def test_a_whole_opd_row_names_the_subunits_breaking_their_curve(as_user, org, tw1, scored):
    CapaianOrganisasi.objects.create(
        unit=org.seksi, periode_evaluasi=tw1, predikat="BAIK", ditetapkan_oleh=org.hr_admin
    )
    response = as_user(org.hr_admin).get(reverse("reports:dashboard"))
    dinas = row_for(response.context["board"], org.dinas)
    assert dinas.distribution.ok is None and dinas.subunit_melanggar == [org.seksi]
    assert response.context["board"].unit_melanggar == [org.seksi]
    assert 'data-subunit-broken="1"' in response.content.decode()


def test_a_child_unit_is_judged_by_the_curve_of_the_unit_above_it(as_user, org, tw1, scored):
    CapaianOrganisasi.objects.create(
        unit=org.bidang, periode_evaluasi=tw1, predikat="ISTIMEWA", ditetapkan_oleh=org.hr_admin
    )
    board = as_user(org.hr_admin).get(reverse("reports:dashboard"), {"unit": org.bidang.pk}).context["board"]
    seksi = row_for(board, org.seksi).distribution
    assert seksi.governing == org.bidang and seksi.capaian == "ISTIMEWA" and seksi.ok is True


def test_staff_get_403_and_a_foreign_unit_404(as_user, org, outsider, tw1, scored):
    names = ["dashboard", "dashboard_xlsx", "leniency", "leniency_xlsx", "hasil_tahunan_xlsx", "hasil_tahunan_csv"]
    for name in names:
        assert as_user(org.pegawai).get(reverse(f"reports:{name}")).status_code == 403, name
        assert as_user(org.penilai).get(reverse(f"reports:{name}")).status_code == 403, name
        foreign = as_user(outsider.hr_admin).get(reverse(f"reports:{name}"), {"unit": org.seksi.pk})
        assert foreign.status_code == 404, name
    assert as_user(org.hr_admin).get(reverse("reports:dashboard")).status_code == 200


def test_another_instansi_sees_none_of_the_results(as_user, org, outsider, tw1, scored):
    open_year(outsider)
    board = as_user(outsider.hr_admin).get(reverse("reports:dashboard")).context["board"]
    assert board.total.pegawai == 0 and org.seksi.nama not in [r.label for r in board.rows]


def test_rater_who_gave_everyone_the_same_predikat_is_flagged(as_user, org, year, tw1):
    approved_chain(org, year)
    third = pegawai_in_post(org.jabatan.staff)
    refresh(org.instansi)
    for pegawai in (org.pegawai, org.colleague, third):
        pegawai.refresh_from_db()
        evaluate(approved_skp(pegawai, year), tw1, "SESUAI", "SESUAI")
    evaluate(approved_skp(org.other_staff, year), tw1, "DI_ATAS", "DI_ATAS")
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    response = as_user(org.hr_admin).get(reverse("reports:leniency"))
    board = response.context["board"]
    by_rater = {r.penilai: r for r in board.raters}
    assert by_rater[org.penilai].same_for_everyone == "BAIK" and by_rater[org.penilai].given.total == 3
    assert by_rater[org.other_penilai].same_for_everyone == ""  # one person only: not flagged
    assert board.flagged == [by_rater[org.penilai]]
    assert board.instansi.counts["SANGAT_BAIK"] == 1 and board.instansi.total == 4
    assert by_rater[org.penilai].unit.total == 3  # Seksi Rujukan's own subtree
    assert 'data-same="BAIK"' in response.content.decode()


def test_leniency_filtered_to_a_unit_lists_only_raters_of_that_unit(as_user, org, tw1, scored):
    board = as_user(org.hr_admin).get(reverse("reports:leniency"), {"unit": org.other_seksi.pk}).context["board"]
    assert [r.penilai for r in board.raters] == [org.other_penilai]


def grow(org, year, tw1, n):
    """``n`` more staff in Seksi Rujukan, each with an approved SKP and a final evaluation."""
    people = [pegawai_in_post(org.jabatan.staff) for _ in range(n)]
    refresh(org.instansi)
    for pegawai in people:
        pegawai.refresh_from_db()
        evaluate(approved_skp(pegawai, year), tw1, "SESUAI", "DI_ATAS")


@pytest.mark.parametrize("size", [1, 15])
def test_dashboard_runs_a_constant_number_of_queries(as_user, org, year, tw1, size, django_assert_max_num_queries):
    approved_chain(org, year)
    grow(org, year, tw1, size)
    CapaianOrganisasi.objects.create(
        unit=org.seksi, periode_evaluasi=tw1, predikat="BAIK", ditetapkan_oleh=org.hr_admin
    )
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    client = as_user(org.hr_admin)
    # 18 at any size, the figures not cached yet: session, user, the menu's roles (base.html), the
    # unit asked for, periods (with has_results), the picker (units above, the level below), units,
    # HasilKinerja counts per unit, capaian of the period, SKP progress (employees per unit,
    # current SKP per unit and status), the recap's years, the 9-box counts, the recommendations
    # (counts, first names), the service units (IKM: the count and the list without service units,
    # five with them; see test_dashboard_panels for those).
    with django_assert_max_num_queries(18):
        response = client.get(reverse("reports:dashboard"), {"unit": org.bidang.pk})
    assert row_for(response.context["board"], org.seksi).final == size


def test_a_second_view_comes_from_the_cache_until_hr_asks_to_count_again(
    as_user, org, year, tw1, scored, django_assert_max_num_queries
):
    client = as_user(org.hr_admin)
    url = reverse("reports:dashboard")
    first = client.get(url, {"unit": org.bidang.pk})
    assert row_for(first.context["board"], org.seksi).final == 2
    assert "data-dihitung" in first.content.decode() and "segar=1" in first.content.decode()
    Evaluasi.objects.filter(skp=scored["kasi"]).update(status="FINAL")
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    # session, user, roles, the unit asked for, periods, the picker (2), the recap's years: the
    # figures and the instansi's units are not read again
    with django_assert_max_num_queries(8):
        again = client.get(url, {"unit": org.bidang.pk})
    assert row_for(again.context["board"], org.seksi).final == 2
    assert again.context["dihitung_pada"] == first.context["dihitung_pada"]
    counted = client.get(url, {"unit": org.bidang.pk, "segar": "1"})
    assert row_for(counted.context["board"], org.seksi).final == 3
    assert row_for(client.get(url, {"unit": org.bidang.pk}).context["board"], org.seksi).final == 3


def test_each_level_page_and_language_is_kept_apart(as_user, org, tw1, scored, settings):
    client = as_user(org.hr_admin)
    url = reverse("reports:dashboard")
    top = client.get(url).context["board"]
    bidang = client.get(url, {"unit": org.bidang.pk}).context["board"]
    assert top.scope is None and bidang.scope == org.bidang
    assert client.get(url, {"hal": "²"}).status_code == 200  # not a page number: page 1, one key
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get(url).context["board"].total.label == "Total"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    assert client.get(url).context["board"].total.label == "Jumlah"


def test_with_the_cache_off_every_view_counts_again(as_user, org, tw1, scored, settings):
    settings.REPORTS_DASHBOARD_CACHE_SECONDS = 0
    client = as_user(org.hr_admin)
    url = reverse("reports:dashboard")
    assert row_for(client.get(url, {"unit": org.bidang.pk}).context["board"], org.seksi).final == 2
    Evaluasi.objects.filter(skp=scored["kasi"]).update(status="FINAL")
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    assert row_for(client.get(url, {"unit": org.bidang.pk}).context["board"], org.seksi).final == 3


@pytest.mark.parametrize("size", [1, 15])
def test_leniency_runs_a_constant_number_of_queries(as_user, org, year, tw1, size, django_assert_max_num_queries):
    approved_chain(org, year)
    grow(org, year, tw1, size)
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    client = as_user(org.hr_admin)
    # 8 at any size: session, user, the menu's roles (base.html), the unit asked for, units, periods, predikat per
    # (rater, unit) from HasilKinerja, the raters with their unit.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("reports:leniency"))
    assert response.context["board"].raters[0].given.total == size
