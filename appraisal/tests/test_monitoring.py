"""The HR and organisation-wide SKP screens: SKP years, progress per unit, the cascade tree.

Refusals first, then what each screen counts and flags, then query budgets."""

import datetime

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.models import Pegawai, UnitKerja
from accounts.tests.factories import pegawai_in_post, refresh
from appraisal import selectors_monitoring as selectors
from appraisal import services
from appraisal.models import SKP, PeriodeSKP
from appraisal.tests.factories import PeriodeSKPFactory, add_rhk, approved_chain, approved_skp, open_year

pytestmark = pytest.mark.django_db

PAST = datetime.date(2026, 1, 31)
FUTURE = datetime.date(2999, 1, 31)
MONITORING_URLS = ["appraisal:periode_list", "appraisal:periode_open", "appraisal:progress", "appraisal:cascade_tree"]
HR_ONLY_URLS = ["appraisal:periode_list", "appraisal:periode_open", "appraisal:progress"]


def year_with_deadline(org, batas: datetime.date, tahun: int = 2026) -> PeriodeSKP:
    return PeriodeSKPFactory(instansi=org.instansi, tahun=tahun, dibuka_oleh=org.hr_admin, batas_penetapan=batas)


def skp_with_status(pegawai, periode, status: str) -> SKP:
    skp = services.skp_create(pegawai=pegawai, periode=periode, by=pegawai.user)
    SKP.objects.filter(pk=skp.pk).update(status=status)
    skp.status = status
    return skp


def row_counts(row) -> dict:
    return {**row.counts, "aktif": row.aktif, "dikecualikan": row.dikecualikan}


def tree_nodes(roots):
    for node in roots:
        yield node
        yield from tree_nodes(node.bawahan)


def shown_pegawai(response) -> set[int]:
    """Who is shown with an SKP (people without one are shown too, as "Belum ada SKP")."""
    return {node.pegawai.pk for node in tree_nodes(response.context["tree"].roots) if node.skp}


def expand(client, params=None):
    """The page's tree with every branch loaded through the children endpoint, as the htmx
    buttons would (the page shows the top and one level below), with all flags and HTML."""
    response = client.get(reverse("appraisal:cascade_tree"), params or {})
    tree, html = response.context["tree"], response.content.decode()
    pending = [n for n in tree.nodes() if not n.bawahan_loaded]
    while pending:
        node = pending.pop()
        part = client.get(reverse("appraisal:cascade_tree_children", args=[node.pegawai.pk]), params or {})
        assert part.status_code == 200
        sub, html = part.context["tree"], html + part.content.decode()
        node.bawahan, node.bawahan_loaded = sub.roots, True
        tree.flags += sub.flags
        pending += [n for n in sub.nodes() if not n.bawahan_loaded]
    return tree, html


# --- Refusals ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", MONITORING_URLS)
def test_anonymous_is_sent_to_login(client, org, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url_name", MONITORING_URLS)
def test_plain_pegawai_gets_403(as_user, org, url_name):
    open_year(org)
    assert as_user(org.pegawai).get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("url_name", HR_ONLY_URLS)
def test_supervisor_gets_403_on_the_hr_screens(as_user, org, url_name):
    open_year(org)
    assert as_user(org.penilai).get(reverse(url_name)).status_code == 403


def test_pegawai_cannot_open_a_year(as_user, org):
    response = as_user(org.pegawai).post(reverse("appraisal:periode_open"), {"tahun": 2026, "ritme": "BULANAN"})
    assert response.status_code == 403
    assert not PeriodeSKP.objects.exists()


@pytest.mark.parametrize("url_name", ["appraisal:progress", "appraisal:cascade_tree"])
def test_hr_admin_of_another_instansi_gets_404_for_an_org_unit(as_user, org, outsider, url_name):
    open_year(outsider)
    response = as_user(outsider.hr_admin).get(reverse(url_name), {"unit": org.bidang.pk})
    assert response.status_code == 404


def test_supervisor_of_another_instansi_gets_404_for_an_org_unit(as_user, org, outsider):
    open_year(outsider)
    response = as_user(outsider.penilai).get(reverse("appraisal:cascade_tree"), {"unit": org.seksi.pk})
    assert response.status_code == 404


def test_hr_admin_of_another_instansi_sees_none_of_the_org_data(as_user, org, outsider):
    periode = open_year(org)
    approved_chain(org, periode)
    skp_with_status(org.pegawai, periode, "DRAFT")
    open_year(outsider)
    client = as_user(outsider.hr_admin)

    years = client.get(reverse("appraisal:periode_list")).context["periodes"]
    assert [p.instansi_id for p in years] == [outsider.instansi.pk]

    progress = client.get(reverse("appraisal:progress")).context["progress"]
    assert progress.total.aktif == Pegawai.objects.filter(instansi=outsider.instansi).count()
    assert progress.total.counts["DISETUJUI"] == 0

    late = client.get(reverse("appraisal:progress")).context["late"]
    assert {p.instansi_id for p in late.object_list} == {outsider.instansi.pk}

    tree = client.get(reverse("appraisal:cascade_tree")).context["tree"]
    assert tree.jumlah_skp == 0
    assert {node.pegawai.instansi_id for node in tree.nodes()} == {outsider.instansi.pk}


def test_supervisor_sees_only_their_own_subtree(as_user, org):
    periode = open_year(org)
    approved_chain(org, periode)
    for person in (org.pegawai, org.colleague, org.other_penilai, org.other_staff):
        skp_with_status(person, periode, "DRAFT")
    response = as_user(org.penilai).get(reverse("appraisal:cascade_tree"))
    assert response.status_code == 200
    assert shown_pegawai(response) == {org.penilai.pk, org.pegawai.pk, org.colleague.pk}
    [root] = response.context["tree"].roots
    assert root.skp.pegawai_id == org.penilai.pk


def test_atasan_pejabat_penilai_sees_the_subordinates_of_their_subordinates(as_user, org):
    periode = open_year(org)
    approved_chain(org, periode)
    skp_with_status(org.pegawai, periode, "DRAFT")
    skp_with_status(org.other_staff, periode, "DRAFT")
    tree, _html = expand(as_user(org.atasan_penilai))
    shown = {node.pegawai.pk for node in tree.nodes() if node.skp}
    assert shown == {org.atasan_penilai.pk, org.penilai.pk, org.pegawai.pk, org.other_staff.pk}


def test_supervisor_unit_filter_stays_within_their_subtree(as_user, org):
    periode = open_year(org)
    approved_chain(org, periode)
    skp_with_status(org.other_staff, periode, "DRAFT")
    response = as_user(org.penilai).get(reverse("appraisal:cascade_tree"), {"unit": org.other_seksi.pk})
    assert response.status_code == 200
    assert shown_pegawai(response) == set()


# --- SKP years -----------------------------------------------------------------------------------------


def test_hr_admin_opens_a_year_with_default_dates_and_deadline(as_user, org):
    tahun = timezone.localdate().year
    client = as_user(org.hr_admin)
    form = client.get(reverse("appraisal:periode_open"), {"tahun": tahun}).context["form"]
    assert form.initial["mulai"] == datetime.date(tahun, 1, 1)
    assert form.initial["selesai"] == datetime.date(tahun, 12, 31)
    response = client.post(
        reverse("appraisal:periode_open"),
        {"tahun": tahun, "ritme": "BULANAN", "mulai": f"{tahun}-01-01", "selesai": f"{tahun}-12-31"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("appraisal:periode_list")
    periode = PeriodeSKP.objects.get(instansi=org.instansi, tahun=tahun)
    assert (periode.ritme, periode.batas_penetapan, periode.dibuka_oleh) == (
        "BULANAN",
        datetime.date(tahun, 1, 31),
        org.hr_admin,
    )


def test_a_duplicate_year_is_refused_and_the_form_is_kept(as_user, org):
    tahun = timezone.localdate().year
    open_year(org, tahun=tahun)
    response = as_user(org.hr_admin).post(
        reverse("appraisal:periode_open"),
        {"tahun": tahun, "ritme": "SEMESTERAN", "mulai": f"{tahun}-01-01", "selesai": f"{tahun}-12-31"},
    )
    assert response.status_code == 200
    assert f"Periode SKP tahun {tahun} sudah dibuka" in " ".join(response.context["form"].errors["tahun"])
    assert 'value="SEMESTERAN" selected' in response.content.decode()
    assert PeriodeSKP.objects.filter(instansi=org.instansi).count() == 1


def test_the_same_year_may_be_opened_by_another_instansi(as_user, org, outsider):
    tahun = timezone.localdate().year
    open_year(outsider, tahun=tahun)
    response = as_user(org.hr_admin).post(
        reverse("appraisal:periode_open"),
        {"tahun": tahun, "ritme": "TRIWULANAN", "mulai": f"{tahun}-01-01", "selesai": f"{tahun}-12-31"},
    )
    assert response.status_code == 302
    assert PeriodeSKP.objects.filter(tahun=tahun).count() == 2


@pytest.mark.parametrize(
    "mulai, selesai, field, message",
    [
        ("{t}-12-31", "{t}-01-01", "selesai", "Tanggal selesai harus sesudah tanggal mulai"),
        ("{t}-06-01", "{t}-06-01", "selesai", "Tanggal selesai harus sesudah tanggal mulai"),
        ("{p}-12-01", "{t}-12-31", "mulai", "Tanggal harus berada di tahun"),
    ],
)
def test_bad_dates_are_refused_with_a_clear_message(as_user, org, mulai, selesai, field, message):
    tahun = timezone.localdate().year
    dates = {"mulai": mulai.format(t=tahun, p=tahun - 1), "selesai": selesai.format(t=tahun, p=tahun - 1)}
    response = as_user(org.hr_admin).post(
        reverse("appraisal:periode_open"), {"tahun": tahun, "ritme": "TRIWULANAN", **dates}
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'value="{dates["mulai"]}"' in response.content.decode()
    assert not PeriodeSKP.objects.exists()


def test_a_year_before_permenpanrb_6_2022_is_refused(as_user, org):
    response = as_user(org.hr_admin).post(
        reverse("appraisal:periode_open"),
        {"tahun": 2019, "ritme": "TRIWULANAN", "mulai": "2019-01-01", "selesai": "2019-12-31"},
    )
    assert "PermenPANRB 6/2022" in " ".join(response.context["form"].errors["tahun"])


def test_year_list_offers_to_open_the_first_year_when_empty(as_user, org):
    tahun = timezone.localdate().year
    response = as_user(org.hr_admin).get(reverse("appraisal:periode_list"))
    page = response.content.decode()
    assert f"Belum ada periode SKP. Buka periode {tahun}." in page
    assert f"{reverse('appraisal:periode_open')}?tahun={tahun}" in page


def test_year_list_counts_approved_employees(as_user, org):
    periode = open_year(org)
    approved_chain(org, periode)
    skp_with_status(org.pegawai, periode, "DRAFT")
    [row] = as_user(org.hr_admin).get(reverse("appraisal:periode_list")).context["periodes"]
    assert (row.tahun, row.jumlah_disetujui, row.jumlah_skp) == (2026, 3, 4)


def test_progress_without_a_year_offers_to_open_one(as_user, org):
    response = as_user(org.hr_admin).get(reverse("appraisal:progress"))
    assert response.status_code == 200
    assert "Belum ada periode SKP" in response.content.decode()
    assert reverse("appraisal:periode_open") in response.content.decode()


# --- Progress -----------------------------------------------------------------------------------------------


@pytest.fixture
def mixed_year(org):
    """Kepala dinas and kabid approved, kasi submitted, staff draft and in revision, the other
    kasi not started, the other staff on CLTN (exempt, yet with a draft)."""
    periode = year_with_deadline(org, PAST)
    approved_skp(org.kepala_unit, periode)
    approved_skp(org.atasan_penilai, periode)
    skp_with_status(org.penilai, periode, "DIAJUKAN")
    skp_with_status(org.pegawai, periode, "DRAFT")
    skp_with_status(org.colleague, periode, "REVISI")
    skp_with_status(org.other_staff, periode, "DRAFT")
    Pegawai.objects.filter(pk=org.other_staff.pk).update(status="CLTN")
    return periode


def test_progress_counts_each_status_for_the_whole_instansi(as_user, org, mixed_year):
    progress = as_user(org.hr_admin).get(reverse("appraisal:progress")).context["progress"]
    assert progress.periode == mixed_year
    assert [row.unit for row in progress.rows] == [org.dinas]
    expected = {"BELUM": 1, "DRAFT": 1, "DIAJUKAN": 1, "REVISI": 1, "DISETUJUI": 2, "aktif": 6, "dikecualikan": 1}
    assert row_counts(progress.rows[0]) == expected
    assert row_counts(progress.total) == expected


def test_progress_of_a_unit_shows_its_own_staff_and_each_child_subtree(as_user, org, mixed_year):
    response = as_user(org.hr_admin).get(reverse("appraisal:progress"), {"unit": org.bidang.pk})
    progress = response.context["progress"]
    rows = {row.unit.nama: row_counts(row) for row in progress.rows}
    zero = dict.fromkeys(["BELUM", "DRAFT", "DIAJUKAN", "REVISI", "DISETUJUI"], 0)
    assert rows == {
        "Bidang Pelayanan": {**zero, "DISETUJUI": 1, "aktif": 1, "dikecualikan": 0},
        "Seksi Rujukan": {**zero, "DRAFT": 1, "DIAJUKAN": 1, "REVISI": 1, "aktif": 3, "dikecualikan": 0},
        "Seksi Farmasi": {**zero, "BELUM": 1, "aktif": 1, "dikecualikan": 1},
    }
    assert progress.rows[0].is_scope_unit
    assert progress.total.aktif == 5
    page = response.content.decode()
    assert 'data-unit="total"' in page
    assert 'id="progress-chart-data"' in page


def test_progress_chart_carries_the_same_numbers_as_the_table(as_user, org, mixed_year):
    progress = as_user(org.hr_admin).get(reverse("appraisal:progress"), {"unit": org.bidang.pk}).context["progress"]
    chart = progress.chart
    assert chart["labels"] == ["Bidang Pelayanan", "Seksi Rujukan", "Seksi Farmasi"]
    by_key = {d["key"]: d["data"] for d in chart["datasets"]}
    assert by_key["DISETUJUI"] == [1, 0, 0]
    assert by_key["BELUM"] == [0, 0, 1]


def test_after_the_deadline_the_late_list_holds_everyone_active_without_an_approved_skp(as_user, org, mixed_year):
    late = as_user(org.hr_admin).get(reverse("appraisal:progress")).context["late"]
    assert {p.pk for p in late.object_list} == {org.penilai.pk, org.pegawai.pk, org.colleague.pk, org.other_penilai.pk}
    labels = {p.pk: str(p.skp_status_label) for p in late.object_list}
    assert labels[org.other_penilai.pk] == "Belum dibuat"
    assert labels[org.penilai.pk] == "Diajukan"


def test_before_the_deadline_only_those_who_have_not_started_are_late(as_user, org):
    periode = year_with_deadline(org, FUTURE)
    approved_chain(org, periode)
    skp_with_status(org.pegawai, periode, "DRAFT")
    Pegawai.objects.filter(pk=org.other_staff.pk).update(status="TUGAS_BELAJAR")
    late = as_user(org.hr_admin).get(reverse("appraisal:progress")).context["late"]
    assert {p.pk for p in late.object_list} == {org.colleague.pk, org.other_penilai.pk}


def test_revising_an_approved_skp_counts_as_draft_but_is_not_late(as_user, org):
    periode = year_with_deadline(org, PAST)
    skp = approved_skp(org.kepala_unit, periode)
    services.skp_start_revision(skp=skp, by=org.kepala_unit.user, alasan="Prioritas daerah berubah")
    response = as_user(org.hr_admin).get(reverse("appraisal:progress"))
    assert response.context["progress"].total.counts["DRAFT"] == 1
    assert org.kepala_unit.pk not in {p.pk for p in response.context["late"].object_list}


def test_late_list_is_searchable_by_name(as_user, org, mixed_year):
    Pegawai.objects.exclude(pk=org.colleague.pk).update(nama="Budi Santoso")  # generated names may match too
    Pegawai.objects.filter(pk=org.colleague.pk).update(nama="Yohana Simanjuntak")
    late = as_user(org.hr_admin).get(reverse("appraisal:progress"), {"q": "simanjun"}).context["late"]
    assert [p.pk for p in late.object_list] == [org.colleague.pk]


def test_late_list_is_paginated_by_25(as_user, org):
    year_with_deadline(org, PAST)
    for _i in range(20):
        pegawai_in_post(org.jabatan.staff, login=False)
    client = as_user(org.hr_admin)
    first = client.get(reverse("appraisal:progress")).context["late"]
    second = client.get(reverse("appraisal:progress"), {"page": 2}).context["late"]
    assert first.paginator.count == 27
    assert (len(first.object_list), len(second.object_list)) == (25, 2)


def test_progress_defaults_to_the_latest_year_and_switches_year(as_user, org):
    older = year_with_deadline(org, PAST, tahun=2025)
    latest = year_with_deadline(org, PAST, tahun=2026)
    approved_skp(org.kepala_unit, older)
    client = as_user(org.hr_admin)
    assert client.get(reverse("appraisal:progress")).context["progress"].periode == latest
    chosen = client.get(reverse("appraisal:progress"), {"tahun": 2025}).context["progress"]
    assert chosen.periode == older
    assert chosen.total.counts["DISETUJUI"] == 1


# --- Cascade tree ----------------------------------------------------------------------------------------------


def flags_of(tree) -> set[tuple[str, str]]:
    return {(f.kind, f.rhk.uraian) for f in tree.flags}


def test_tree_hangs_each_person_under_their_penilai_and_each_rhk_under_the_one_it_intervenes(as_user, org):
    periode = open_year(org)
    chain = approved_chain(org, periode)
    staff = skp_with_status(org.pegawai, periode, "DRAFT")
    add_rhk(staff, "Berkas rujukan terverifikasi", parent=chain["kasi"].rhk.first())
    tree, _html = expand(as_user(org.hr_admin))
    [kadis] = tree.roots
    [kabid] = [n for n in kadis.bawahan if n.skp]  # people without an SKP are shown too
    [kasi] = [n for n in kabid.bawahan if n.skp]
    [staff_node] = [n for n in kasi.bawahan if n.skp]  # the colleague has none
    assert [n.skp.pegawai_id for n in (kadis, kabid, kasi, staff_node)] == [
        org.kepala_unit.pk,
        org.atasan_penilai.pk,
        org.penilai.pk,
        org.pegawai.pk,
    ]
    assert kadis.is_head
    [kadis_rhk] = kadis.rhk
    assert [(skp.pegawai_id, rhk.uraian) for skp, rhk in kadis_rhk.turunan] == [
        (org.atasan_penilai.pk, "Layanan rujukan bermutu")
    ]
    # The staff were loaded by a later request: the kasi's RHK counts them rather than listing them.
    assert kasi.rhk[0].rhk.jumlah_turunan == 1


def test_tree_flags_an_uncarried_supervisor_rhk_and_an_orphan_utama_rhk(as_user, org):
    periode = open_year(org)
    chain = approved_chain(org, periode)
    add_rhk(chain["kabid"], "Koordinasi lintas program")  # kabid's own orphan, nobody carries it
    staff = skp_with_status(org.pegawai, periode, "DRAFT")
    add_rhk(staff, "Berkas rujukan terverifikasi", parent=chain["kasi"].rhk.get(uraian="Data rujukan lengkap"))
    add_rhk(staff, "Arsip tertata")  # an orphan Utama
    add_rhk(staff, "Panitia HUT kota", jenis="TAMBAHAN")  # Tambahan needs no parent
    tree, page = expand(as_user(org.hr_admin))  # flags of every level, each page loading its own
    assert flags_of(tree) == {
        ("belum_diturunkan", "Koordinasi lintas program"),
        ("belum_diturunkan", "Rujukan pasien selesai tepat waktu"),
        ("tanpa_atasan", "Koordinasi lintas program"),
        ("tanpa_atasan", "Arsip tertata"),
    }
    assert page.count('data-flag="belum_diturunkan"') == 2
    assert page.count('data-flag="tanpa_atasan"') == 2
    assert 'data-summary="belum-diturunkan"' in page and 'data-summary="tanpa-atasan"' in page


def test_head_of_the_chain_needs_no_parent_rhk(as_user, org):
    periode = open_year(org)
    approved_skp(org.kepala_unit, periode, rhk=("Meningkatnya mutu layanan kesehatan",))
    tree = as_user(org.hr_admin).get(reverse("appraisal:cascade_tree")).context["tree"]
    assert not any(f.kind == "tanpa_atasan" for f in tree.flags)


def test_tree_of_a_unit_shows_its_people_and_where_their_rhk_come_from(as_user, org):
    periode = open_year(org)
    approved_chain(org, periode)
    response = as_user(org.hr_admin).get(reverse("appraisal:cascade_tree"), {"unit": org.seksi.pk})
    tree = response.context["tree"]
    [kasi] = tree.roots
    assert kasi.skp.pegawai_id == org.penilai.pk
    assert {n.atasan.uraian for n in kasi.rhk} == {"Layanan rujukan bermutu"}
    assert not any(f.kind == "tanpa_atasan" for f in tree.flags)
    assert "mengintervensi “Layanan rujukan bermutu”" in response.content.decode()
    assert tree.tanpa_skp == 2  # pegawai and colleague of the seksi


def test_tree_shows_the_approved_revision_while_a_new_one_is_drafted(as_user, org):
    periode = open_year(org)
    chain = approved_chain(org, periode)
    services.skp_start_revision(skp=chain["kabid"], by=org.atasan_penilai.user, alasan="Refocusing anggaran")
    tree, _html = expand(as_user(org.hr_admin))
    kabid = tree.roots[0].bawahan[0]
    assert kabid.skp == chain["kabid"]
    assert kabid.revisi_berjalan.revisi_ke == 1
    assert kabid.rhk[0].rhk.jumlah_turunan == 2  # the kasi's two RHK, loaded on demand


def test_tree_links_only_to_the_skp_pages_the_viewer_may_open(as_user, org):
    periode = open_year(org)
    chain = approved_chain(org, periode)
    staff = skp_with_status(org.pegawai, periode, "DRAFT")
    _tree, page = expand(as_user(org.kepala_unit))
    for skp in (chain["kadis"], chain["kabid"], chain["kasi"]):  # own, appraised, overseen
        assert reverse("appraisal:skp_detail", args=[skp.pk]) in page
    assert reverse("appraisal:skp_detail", args=[staff.pk]) not in page  # three levels down: not theirs to open
    _tree, hr_page = expand(as_user(org.hr_admin))
    assert reverse("appraisal:skp_detail", args=[staff.pk]) in hr_page


def test_tree_without_any_skp_says_so(as_user, org):
    open_year(org)
    response = as_user(org.hr_admin).get(reverse("appraisal:cascade_tree"))
    assert "Belum ada SKP tahun 2026 dalam cakupan ini." in response.content.decode()


# --- Query budgets --------------------------------------------------------------------------------------------


def add_staff_with_skp(org, periode, n: int, *, parent=None) -> None:
    """``n`` more staff under the kasi, each with a draft SKP of two RHK (one intervening ``parent``)."""
    people = [pegawai_in_post(org.jabatan.staff) for _i in range(n)]
    refresh(org.instansi)
    for person in people:
        person.refresh_from_db()
        skp = services.skp_create(pegawai=person, periode=periode, by=person.user)
        add_rhk(skp, f"Layanan {person.nama}", parent=parent)
        add_rhk(skp, f"Arsip {person.nama}")


@pytest.mark.parametrize("extra", [1, 20])
def test_progress_query_count_does_not_grow_with_employees(as_user, org, django_assert_max_num_queries, extra):
    periode = year_with_deadline(org, PAST)
    chain = approved_chain(org, periode)
    add_staff_with_skp(org, periode, extra, parent=chain["kasi"].rhk.first())
    client = as_user(org.hr_admin)
    # 1 session, 2 user, 3 the admin's instansi, 4 SKP years, 5 units, 6 the unit asked for,
    # 7 status counts per unit (one grouped query), 8 late-list count, 9 late-list page (with
    # unit and pejabat penilai).
    with django_assert_max_num_queries(9):
        response = client.get(reverse("appraisal:progress"), {"unit": org.dinas.pk})
    assert response.context["progress"].total.aktif == 7 + extra


@pytest.mark.parametrize("extra", [1, 20])
def test_cascade_tree_query_count_does_not_grow_with_skps(as_user, org, django_assert_max_num_queries, extra):
    periode = open_year(org)
    chain = approved_chain(org, periode)
    add_staff_with_skp(org, periode, extra, parent=chain["kasi"].rhk.first())
    client = as_user(org.hr_admin)
    # 1 session, 2 user, 3 the admin's instansi, 4 SKP years, 5 units, 6 the heads, 7 their
    # subordinates, 8 their SKPs with pegawai and jabatan, 9 their RHK (with how many RHK
    # intervene each). (10, RHK not shown that shown RHK intervene, only when there are some.)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("appraisal:cascade_tree"))
    assert response.context["tree"].jumlah_skp == 2  # kadis and kabid: the staff load on demand


@pytest.mark.parametrize("extra", [1, 20])
def test_supervisor_tree_query_count_does_not_grow_with_skps(as_user, org, django_assert_max_num_queries, extra):
    periode = open_year(org)
    chain = approved_chain(org, periode)
    add_staff_with_skp(org, periode, extra, parent=chain["kasi"].rhk.first())
    client = as_user(org.penilai)
    # 1 session, 2 user, 3 "is a supervisor?", 4 their instansi, 5 SKP years, 6 units,
    # 7 the kasi, 8 their subordinates, 9 SKPs, 10 RHK, 11 the kabid's RHK the kasi intervenes
    # (not shown), 12 which of the shown SKP pages they may open, 13 the navbar's user.pegawai.
    with django_assert_max_num_queries(13):
        response = client.get(reverse("appraisal:cascade_tree"))
    # The kasi and their first 20 subordinates (the staff added, the pegawai and the colleague).
    assert sum(1 for _node in response.context["tree"].nodes()) == 1 + min(extra + 2, 20)


@pytest.mark.parametrize("extra", [1, 20])
def test_children_endpoint_query_count_does_not_grow_with_skps(as_user, org, django_assert_max_num_queries, extra):
    periode = open_year(org)
    chain = approved_chain(org, periode)
    add_staff_with_skp(org, periode, extra, parent=chain["kasi"].rhk.first())
    client = as_user(org.penilai)
    # 1 session, 2 user, 3 "is a supervisor?", 4 their instansi, 5 the node in the instansi,
    # 6 in their chain (one recursive query), 7 SKP years, 8 the subordinates, 9 SKPs, 10 RHK,
    # 11 the kasi's RHK they intervene (not shown), 12 which SKP pages they may open.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("appraisal:cascade_tree_children", args=[org.penilai.pk]))
    assert len(response.context["tree"].roots) == min(extra + 2, 20)  # in steps of 20


def test_tree_page_does_not_grow_with_the_people_below_the_shown_levels(as_user, org):
    periode = open_year(org)
    chain = approved_chain(org, periode)
    client = as_user(org.hr_admin)
    add_staff_with_skp(org, periode, 1, parent=chain["kasi"].rhk.first())
    small = len(client.get(reverse("appraisal:cascade_tree")).content)
    add_staff_with_skp(org, periode, 30, parent=chain["kasi"].rhk.first())
    large = len(client.get(reverse("appraisal:cascade_tree")).content)
    assert abs(large - small) < 100  # at most a count changes; the 30 staff load on demand


def test_children_endpoint_refuses_a_node_outside_the_supervisors_reach_with_404(as_user, org, outsider):
    periode = open_year(org)
    approved_chain(org, periode)
    client = as_user(org.penilai)
    for pegawai in (org.atasan_penilai, org.other_staff, outsider.pegawai):
        url = reverse("appraisal:cascade_tree_children", args=[pegawai.pk])
        assert client.get(url).status_code == 404
    assert client.get(reverse("appraisal:cascade_tree_children", args=[org.penilai.pk])).status_code == 200


def test_children_endpoint_refuses_another_instansis_node_to_hr_with_404(as_user, org, outsider):
    open_year(outsider)
    url = reverse("appraisal:cascade_tree_children", args=[org.kepala_unit.pk])
    assert as_user(outsider.hr_admin).get(url).status_code == 404
    assert as_user(org.pegawai).get(url).status_code == 403


def test_chosen_root_shows_that_node_and_refuses_one_outside_the_reach_with_404(as_user, org):
    periode = open_year(org)
    approved_chain(org, periode)
    client = as_user(org.atasan_penilai)
    response = client.get(reverse("appraisal:cascade_tree"), {"root": org.penilai.pk})
    [root] = response.context["tree"].roots
    assert root.pegawai.pk == org.penilai.pk
    assert client.get(reverse("appraisal:cascade_tree"), {"root": org.kepala_unit.pk}).status_code == 404


@pytest.mark.parametrize("raw", ["²", "abc", "9" * 30, "-1"])
def test_a_root_or_offset_that_is_not_a_number_is_refused_not_a_crash(as_user, org, raw):
    """Both were 500s on "²" (str.isdigit() accepts it, int() does not)."""
    approved_chain(org, open_year(org))
    client = as_user(org.hr_admin)
    assert client.get(reverse("appraisal:cascade_tree"), {"root": raw}).status_code == 404
    children = client.get(reverse("appraisal:cascade_tree_children", args=[org.penilai.pk]), {"offset": raw})
    assert children.status_code == 200 and children.context["tree"].roots  # read from the start


def test_deeper_branches_are_offered_as_htmx_loads_with_a_link_without_javascript(as_user, org):
    periode = open_year(org)
    approved_chain(org, periode)
    page = as_user(org.hr_admin).get(reverse("appraisal:cascade_tree")).content.decode()
    children_url = reverse("appraisal:cascade_tree_children", args=[org.atasan_penilai.pk])
    assert f'hx-get="{children_url}?tahun=2026"' in page
    assert f"?root={org.atasan_penilai.pk}&amp;tahun=2026" in page


def test_children_endpoint_loads_a_wide_node_in_steps(as_user, org, monkeypatch):
    from appraisal import selectors_monitoring

    monkeypatch.setattr(selectors_monitoring, "CHILDREN_PER_REQUEST", 2)
    periode = open_year(org)
    chain = approved_chain(org, periode)
    add_staff_with_skp(org, periode, 3, parent=chain["kasi"].rhk.first())  # 5 under the kasi with the seksi's two
    client, url = as_user(org.hr_admin), reverse("appraisal:cascade_tree_children", args=[org.penilai.pk])
    seen, offset = [], 0
    while offset is not None:
        tree = client.get(url, {"offset": offset}).context["tree"]
        seen += [node.pegawai.pk for node in tree.roots]
        offset = tree.next_offset
    assert len(seen) == len(set(seen)) == Pegawai.objects.filter(pejabat_penilai=org.penilai).count() == 5


def test_a_small_instansi_picks_from_every_unit_a_large_one_from_the_way_down(org, outsider, monkeypatch):
    every = selectors.unit_picker(instansi=org.instansi, chosen=None)
    assert every == list(UnitKerja.objects.filter(instansi=org.instansi).order_by("path"))
    monkeypatch.setattr(selectors, "UNIT_PICKER_MAX", 2)  # a province: more units than a picker lists
    assert selectors.unit_picker(instansi=org.instansi, chosen=None) == [u for u in every if u.parent_id is None]
    below = [u for u in every if u.parent_id == org.bidang.pk]
    assert below and selectors.unit_picker(instansi=org.instansi, chosen=org.bidang) == [org.dinas, org.bidang, *below]


@pytest.mark.parametrize("raw", ["abc", "²", "9" * 30, "-1", "999999"])
def test_a_unit_parameter_that_is_not_a_unit_of_the_instansi_is_a_404(org, outsider, raw):
    with pytest.raises(Http404):
        selectors.unit_param(raw, instansi=org.instansi)
    with pytest.raises(Http404):
        selectors.unit_param(str(outsider.dinas.pk), instansi=org.instansi)
    assert selectors.unit_param(str(org.bidang.pk), instansi=org.instansi) == org.bidang
    assert selectors.unit_param("", instansi=org.instansi) is None
