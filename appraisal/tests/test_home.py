"""The home pages tell each person what to do next about their SKP."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from appraisal import rules, services
from appraisal.models import CapaianOrganisasi, DialogKinerja, Evaluasi, Keberatan, PeriodeEvaluasi
from appraisal.tests.factories import add_rhk, approved_chain, approved_skp, open_year

pytestmark = pytest.mark.django_db


def test_before_hr_opens_a_year_the_home_says_so(as_user, org):
    page = as_user(org.pegawai).get(reverse("accounts:home")).content.decode()
    assert "Periode SKP belum dibuka" in page


def test_an_employee_without_an_skp_is_invited_to_plan_it(as_user, org):
    open_year(org)
    page = as_user(org.pegawai).get(reverse("accounts:home")).content.decode()
    assert "Anda belum menyusun SKP 2026" in page
    assert reverse("appraisal:my_skp") in page


def test_a_supervisor_sees_how_many_skp_wait_for_them(as_user, org):
    year = open_year(org)
    chain = approved_chain(org, year)
    for person in (org.pegawai, org.colleague):
        skp = services.skp_create(pegawai=person, periode=year, by=person.user)
        add_rhk(skp, "Berkas rujukan", parent=chain["kasi"].rhk.first())
        services.skp_submit(skp=skp, by=person.user)
    page = as_user(org.penilai).get(reverse("accounts:home")).content.decode()
    assert 'data-pending="2"' in page
    assert 'data-skp-status="DISETUJUI"' in page  # the kepala seksi's own SKP


@pytest.mark.parametrize("extra", [0, 8])
def test_supervisor_home_query_count_is_constant(as_user, org, extra, django_assert_max_num_queries):
    from accounts.tests.factories import pegawai_in_post, refresh

    for _ in range(extra):
        pegawai_in_post(org.jabatan.staff, login=False)
    refresh(org.instansi)
    open_year(org)
    client = as_user(org.penilai)
    # 17 at any size: session, user, is_supervisor, pegawai, history, superiors, periode, own SKP,
    # team counts; the employee panels: evaluation periods, latest dialogs, unacknowledged count,
    # results; the supervisor board: team with SKP and evaluation status, objections, capaian.
    with django_assert_max_num_queries(17):
        client.get(reverse("accounts:home"))


# --- Issue 7 items 2 and 3: the supervisor's dashboard and the employee's home ----------------------------


def running_period(as_user, who):
    return as_user(who).get(reverse("accounts:home")).context["own"].periode_evaluasi


def final(skp, periode, hasil="SESUAI", perilaku="SESUAI", *, status="FINAL"):
    return Evaluasi.objects.create(
        instansi_id=skp.instansi_id,
        skp=skp,
        periode_evaluasi=periode,
        status=status,
        rating_hasil_kerja=hasil,
        rating_perilaku_kerja=perilaku,
        predikat=rules.predikat(hasil, perilaku),
        dinilai_oleh_id=skp.pejabat_penilai_id,
    )


@pytest.fixture
def team(org):
    """Kasi Rujukan's team: pegawai and colleague, both with an approved SKP."""
    year = open_year(org)
    chain = approved_chain(org, year)
    skps = {p: approved_skp(p, year, parent=chain["kasi"].rhk.first()) for p in (org.pegawai, org.colleague)}
    return SimpleNamespace(year=year, chain=chain, skps=skps)


def test_the_supervisor_sees_the_team_status_and_the_evaluations_due(as_user, org, team):
    periode = running_period(as_user, org.penilai)
    final(team.skps[org.pegawai], periode, "DI_ATAS", "DI_ATAS")
    response = as_user(org.penilai).get(reverse("accounts:home"))
    board = response.context["board"]
    assert [m.pegawai for m in board.team] == sorted([org.pegawai, org.colleague], key=lambda p: p.nama)
    assert [m.pegawai for m in board.evaluasi_due] == [org.colleague]
    page = response.content.decode()
    assert page.count("data-due") == 1
    assert reverse("appraisal:evaluasi", args=[team.skps[org.colleague].pk, periode.pk]) in page
    assert reverse("appraisal:evaluasi_team") in page


def test_the_atasan_sees_the_objections_waiting_for_a_decision(as_user, org, team):
    periode = running_period(as_user, org.pegawai)
    evaluasi = final(team.skps[org.pegawai], periode, "SESUAI", "DI_BAWAH")
    Keberatan.objects.create(
        evaluasi=evaluasi,
        alasan="Tidak sesuai",
        rating_hasil_kerja_asli="SESUAI",
        rating_perilaku_kerja_asli="DI_BAWAH",
        predikat_asli="KURANG",
    )
    atasan = as_user(org.atasan_penilai).get(reverse("accounts:home")).context["board"]
    assert atasan.keberatan_diputus == 1 and atasan.keberatan_atas_penilaian == 0
    penilai = as_user(org.penilai).get(reverse("accounts:home"))
    assert penilai.context["board"].keberatan_diputus == 0
    assert penilai.context["board"].keberatan_atas_penilaian == 1
    assert reverse("appraisal:keberatan_inbox") in penilai.content.decode()


def test_the_team_distribution_is_checked_against_the_unit_curve(as_user, org, team):
    periode = running_period(as_user, org.penilai)
    final(team.skps[org.pegawai], periode, "DI_ATAS", "DI_ATAS")
    final(team.skps[org.colleague], periode, "SESUAI", "SESUAI", status="DRAFT")  # drafts count so far
    CapaianOrganisasi.objects.create(
        unit=org.seksi, periode_evaluasi=periode, predikat="BAIK", ditetapkan_oleh=org.hr_admin
    )
    response = as_user(org.penilai).get(reverse("accounts:home"))
    board = response.context["board"]
    assert board.counts["SANGAT_BAIK"] == 1 and board.counts["BAIK"] == 1 and board.dinilai == 2
    assert board.capaian == "BAIK" and board.checks
    assert any(not c.ok for c in board.checks)  # Capaian Baik needs someone below Baik
    page = response.content.decode()
    assert 'data-rule-ok="0"' in page and 'id="dashboard-chart-data"' in page and "dashboard-charts.js" in page
    assert "<script>" not in page.replace('<script id="dashboard-chart-data" type="application/json">', "")


def test_without_a_capaian_the_supervisor_is_told_the_curve_cannot_be_compared(as_user, org, team):
    board = as_user(org.penilai).get(reverse("accounts:home")).context["board"]
    assert board.capaian == "" and board.checks == []


def test_the_employee_home_shows_deadlines_feedback_results_and_the_development_plan(as_user, org, team):
    periode = running_period(as_user, org.pegawai)
    skp = team.skps[org.pegawai]
    DialogKinerja.objects.create(
        skp=skp, jenis="UMPAN_BALIK", catatan="Laporan rapi dan tepat waktu.", oleh=org.penilai
    )
    evaluasi = final(skp, periode, "DI_ATAS", "SESUAI")
    response = as_user(org.pegawai).get(reverse("accounts:home"))
    own = response.context["own"]
    assert own.dialog_belum_diakui == 1 and own.hasil == [evaluasi] and own.hasil_belum_diterima == [evaluasi]
    page = response.content.decode()
    assert 'data-home="pegawai"' in page and "data-own-actions" in page
    assert "Laporan rapi dan tepat waktu." in page
    assert 'data-predikat="BAIK"' in page
    assert reverse("appraisal:realisasi", args=[skp.pk, periode.pk]) in page
    assert reverse("appraisal:evaluasi_pdf", args=[evaluasi.pk]) in page
    assert reverse("talenta:saya") in page
    assert "Batas penetapan SKP" in page


def test_an_employee_sees_only_their_own_feedback_and_results(as_user, org, team):
    periode = running_period(as_user, org.pegawai)
    DialogKinerja.objects.create(
        skp=team.skps[org.colleague], jenis="UMPAN_BALIK", catatan="Rahasia rekan", oleh=org.penilai
    )
    final(team.skps[org.colleague], periode)
    response = as_user(org.pegawai).get(reverse("accounts:home"))
    assert response.context["own"].dialog == [] and response.context["own"].hasil == []
    assert "Rahasia rekan" not in response.content.decode()


@pytest.mark.parametrize("size", [0, 8])
def test_the_supervisor_dashboard_query_count_does_not_grow_with_the_team(
    as_user, org, team, size, django_assert_max_num_queries
):
    from accounts.tests.factories import pegawai_in_post, refresh

    periode = running_period(as_user, org.penilai)
    people = [pegawai_in_post(org.jabatan.staff) for _ in range(size)]
    refresh(org.instansi)
    for person in people:
        person.refresh_from_db()
        final(approved_skp(person, team.year, parent=team.chain["kasi"].rhk.first()), periode)
    client = as_user(org.penilai)
    # As test_supervisor_home_query_count_is_constant: 17 whatever the team size.
    with django_assert_max_num_queries(17):
        response = client.get(reverse("accounts:home"))
    assert len(response.context["board"].team) == 2 + size


@pytest.mark.parametrize("size", [0, 8])
def test_the_employee_home_query_count_does_not_grow_with_the_history(
    as_user, org, team, size, django_assert_max_num_queries
):
    skp = team.skps[org.pegawai]
    for i in range(size):
        DialogKinerja.objects.create(skp=skp, jenis="UMPAN_BALIK", catatan=f"Catatan {i}", oleh=org.penilai)
    for periode in PeriodeEvaluasi.objects.filter(periode_skp=team.year)[: size // 2]:
        final(skp, periode)
    client = as_user(org.pegawai)
    # 14: session, user, pegawai, history, superiors, periode, own SKP, team counts, evaluation
    # periods, latest dialogs, unacknowledged count, results; the menu's is_supervisor and pegawai.
    with django_assert_max_num_queries(14):
        client.get(reverse("accounts:home"))
