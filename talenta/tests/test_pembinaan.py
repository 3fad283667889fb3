"""Rencana pembinaan: the catalogue, schedules, enrolment from recommendations, attendance and
JP, the before/after comparison and the employee's and supervisor's views."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from accounts.tests.factories import pegawai_in_post, refresh
from appraisal.models import PeriodeEvaluasi
from reports.models import HasilKinerja, JobRun
from talenta import services, services_pembinaan
from talenta.models import JadwalPelatihan, Pelatihan, PesertaPelatihan, Rekomendasi

from .helpers import assess, final, kompetensi, year

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def plan(talent_org):
    """The talent org computed for 2026 (training recommendations for colleague and other_staff),
    a catalogue entry developing Kerjasama (M2) and its schedule on 6–10 April 2026."""
    org = talent_org.org
    services.talenta_compute(instansi_id=org.instansi.pk, tahun=2026)
    org.pelatihan = Pelatihan.objects.create(
        instansi=org.instansi, nama="Pelatihan Kerja Sama Tim", jenis="KLASIKAL", bentuk="Pelatihan manajerial", jp=24
    )
    org.pelatihan.kompetensi.set([kompetensi("M2")])
    org.jadwal = JadwalPelatihan.objects.create(
        instansi=org.instansi, pelatihan=org.pelatihan, mulai=datetime.date(2026, 4, 6),
        selesai=datetime.date(2026, 4, 10), tempat="BPSDM", penyelenggara="BPSDM Provinsi", kuota=5,
    )  # fmt: skip
    return org


def training_recs(org):
    return Rekomendasi.objects.filter(instansi=org.instansi, jenis="PELATIHAN").order_by("pk")


def enrol_all(org):
    return services_pembinaan.peserta_enrol(
        jadwal=org.jadwal, rekomendasi_ids=training_recs(org).values_list("pk", flat=True), by=org.hr_admin
    )


# --- services ------------------------------------------------------------------------------------------------


def test_enrolling_from_recommendations_links_each_enrolment_to_its_recommendation(plan):
    assert enrol_all(plan) == 2
    rows = {p.pegawai_id: p for p in PesertaPelatihan.objects.filter(jadwal=plan.jadwal)}
    assert set(rows) == {plan.colleague.pk, plan.other_staff.pk}
    assert rows[plan.colleague.pk].rekomendasi.jenis == "PELATIHAN"
    assert {p.status for p in rows.values()} == {"TERDAFTAR"}
    event = JobRun.objects.get(jenis=services_pembinaan.JENIS_PENDAFTARAN)
    assert (event.baris, event.dibuat_oleh, event.parameter["jadwal_id"]) == (2, plan.hr_admin, plan.jadwal.pk)


def test_enrolling_twice_adds_no_one_twice(plan):
    enrol_all(plan)
    assert enrol_all(plan) == 0
    assert PesertaPelatihan.objects.filter(jadwal=plan.jadwal).count() == 2


def test_enrolment_beyond_the_quota_is_refused_as_a_whole(plan):
    plan.jadwal.kuota = 1
    plan.jadwal.save()
    with pytest.raises(ValidationError, match="Kuota 1 peserta terlampaui"):
        enrol_all(plan)
    assert not PesertaPelatihan.objects.exists()


def test_another_instansis_or_another_kinds_recommendation_is_ignored(plan, outsider):
    promosi = Rekomendasi.objects.get(pegawai=plan.pegawai, jenis="PROMOSI")
    foreign = Rekomendasi.objects.create(
        instansi=outsider.instansi, tahun=2026, pegawai=outsider.pegawai, jenis="PELATIHAN", alasan="x",
        dihitung_pada=promosi.dihitung_pada,
    )  # fmt: skip
    n = services_pembinaan.peserta_enrol(jadwal=plan.jadwal, rekomendasi_ids=[promosi.pk, foreign.pk], by=None)
    assert n == 0


def test_enrolment_takes_the_same_queries_for_two_or_twenty(plan, django_assert_max_num_queries):
    # savepoints, lock the schedule, recommendations, already enrolled, one insert, audit event
    with django_assert_max_num_queries(8) as small:
        enrol_all(plan)
    staff = [pegawai_in_post(plan.jabatan.staff2, login=False) for _ in range(18)]
    refresh(plan.instansi)
    for p in staff:
        p.refresh_from_db()
        assess(plan, p, {"M1": 1, "M2": 1})
    services.talenta_compute(instansi_id=plan.instansi.pk, tahun=2026)
    plan.jadwal.kuota = 30
    plan.jadwal.save()
    with django_assert_max_num_queries(8) as large:
        assert enrol_all(plan) == 18
    assert len(large) == len(small)


def test_attendance_earns_the_trainings_jp_and_counts_toward_the_year(plan):
    enrol_all(plan)
    rows = {p.pegawai_id: p.pk for p in PesertaPelatihan.objects.filter(jadwal=plan.jadwal)}
    n = services_pembinaan.peserta_presensi_record(
        jadwal=plan.jadwal,
        status_by_peserta={rows[plan.colleague.pk]: "LULUS", rows[plan.other_staff.pk]: "TIDAK_HADIR"},
        by=plan.hr_admin,
    )
    assert n == 2
    jp = dict(PesertaPelatihan.objects.values_list("pegawai_id", "jp"))
    assert jp == {plan.colleague.pk: 24, plan.other_staff.pk: 0}
    from talenta.selectors_pembinaan import jp_per_pegawai, own_rencana

    assert jp_per_pegawai(pegawai_ids=[plan.colleague.pk, plan.other_staff.pk], tahun=2026) == {plan.colleague.pk: 24}
    rencana = own_rencana(pegawai_id=plan.colleague.pk, tahun=2026)
    assert (rencana.jp, rencana.kurang, rencana.persen) == (24, 0, 100)
    assert own_rencana(pegawai_id=plan.other_staff.pk, tahun=2026).kurang == 20
    assert JobRun.objects.get(jenis=services_pembinaan.JENIS_PRESENSI).baris == 2


def test_attendance_cannot_be_recorded_before_the_training_starts(plan):
    enrol_all(plan)
    plan.jadwal.mulai = plan.jadwal.selesai = datetime.date.today() + datetime.timedelta(days=3)
    plan.jadwal.save()
    peserta = PesertaPelatihan.objects.filter(jadwal=plan.jadwal).first()
    with pytest.raises(ValidationError, match="mulai hari pertama"):
        services_pembinaan.peserta_presensi_record(jadwal=plan.jadwal, status_by_peserta={peserta.pk: "HADIR"}, by=None)


def test_a_schedule_ending_before_it_starts_or_below_its_enrolment_is_refused(plan):
    enrol_all(plan)
    plan.jadwal.kuota = 1
    plan.jadwal.selesai = datetime.date(2026, 4, 1)
    with pytest.raises(ValidationError) as exc:
        services_pembinaan.jadwal_save(jadwal=plan.jadwal, by=plan.hr_admin)
    assert set(exc.value.error_dict) == {"kuota", "selesai"}


def test_a_form_of_training_outside_its_path_is_refused(plan):
    pelatihan = Pelatihan(instansi=plan.instansi, nama="Coaching", jenis="KLASIKAL", bentuk="Coaching", jp=4)
    with pytest.raises(ValidationError, match="tidak termasuk jalur"):
        services_pembinaan.pelatihan_save(pelatihan=pelatihan, kompetensi=[], by=plan.hr_admin)


# --- before and after --------------------------------------------------------------------------------------------


def hasil(org, pegawai, periode, capaian, predikat):
    HasilKinerja.objects.create(
        instansi=org.instansi, periode_evaluasi=periode, pegawai=pegawai, unit=pegawai.unit,
        capaian_skp=D(capaian) if capaian else None, predikat=predikat,
        dihitung_pada=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
    )  # fmt: skip


@pytest.fixture
def trained(plan):
    """colleague attended the 6–10 April training: TW I 80 % Butuh Perbaikan before it; TW III 90 %
    and TW IV 100 % Baik after; TW II (during) and the annual period are left out. other_staff was
    absent and is not compared."""
    enrol_all(plan)
    PesertaPelatihan.objects.filter(pegawai=plan.colleague).update(status="HADIR", jp=24)
    periods = {(p.jenis, p.ke): p for p in PeriodeEvaluasi.objects.filter(periode_skp=year(plan, 2026))}
    for (jenis, ke), (value, predikat) in {
        ("TRIWULANAN", 1): ("80", "BUTUH_PERBAIKAN"),
        ("TRIWULANAN", 2): ("200", "SANGAT_BAIK"),
        ("TRIWULANAN", 3): ("90", "BAIK"),
        ("TRIWULANAN", 4): ("100", "BAIK"),
        ("TAHUNAN", 1): ("10", "SANGAT_KURANG"),
    }.items():
        hasil(plan, plan.colleague, periods[(jenis, ke)], value, predikat)
        hasil(plan, plan.other_staff, periods[(jenis, ke)], value, predikat)
    return plan


def test_the_comparison_uses_periodic_periods_before_and_after_the_training(trained):
    from talenta.selectors_pembinaan import dampak_for

    dampak = dampak_for(jadwal=trained.jadwal)
    assert [r["peserta"].pegawai_id for r in dampak.rows] == [trained.colleague.pk]
    row = dampak.rows[0]
    assert (row["capaian_sebelum"], row["capaian_sesudah"], row["selisih"]) == (D("80.00"), D("95.00"), D("15.00"))
    assert (row["predikat_sebelum"], row["predikat_sesudah"], row["arah"]) == ("BUTUH_PERBAIKAN", "BAIK", "NAIK")
    assert dampak.chart["sebelum"] == [0, 0, 1, 0, 0] and dampak.chart["sesudah"] == [0, 0, 0, 1, 0]


def test_the_before_after_page_shows_counts_and_chart_data(trained, as_user):
    response = as_user(trained.hr_admin).get(reverse("talenta:jadwal_dampak", args=[trained.jadwal.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="dampak-chart-data"' in html and "js/talenta-dampak.js" in html
    assert "1 naik · 0 tetap · 0 turun" in html
    assert "80,00 → 95,00" in html
    assert "<script>" not in html.replace("<script src=", "").replace('type="application/json"', "")


def test_the_before_after_export_opens_with_openpyxl(trained, as_user):
    response = as_user(trained.hr_admin).get(reverse("talenta:jadwal_dampak_export", args=[trained.jadwal.pk]))
    wb = load_workbook(BytesIO(response.content))
    rows = list(wb["Perbandingan kinerja"].iter_rows(values_only=True))
    assert rows[0][:3] == ("NIP", "Nama", "Unit kerja")
    assert rows[1][0] == trained.colleague.nip and rows[1][3:6] == (80, 95, 15) and rows[1][8] == "Naik"
    summary = dict(wb["Ringkasan"].iter_rows(values_only=True))
    assert summary["Predikat naik"] == 1


# --- screens -------------------------------------------------------------------------------------------------


HR_PAGES = ["jadwal_detail", "jadwal_edit", "jadwal_peserta", "jadwal_dampak", "jadwal_dampak_export"]


@pytest.mark.parametrize("name", HR_PAGES)
def test_another_instansis_hr_admin_gets_404_on_our_schedule(plan, outsider, as_user, name):
    assert as_user(outsider.hr_admin).get(reverse(f"talenta:{name}", args=[plan.jadwal.pk])).status_code == 404


@pytest.mark.parametrize("name", HR_PAGES)
def test_a_pegawai_gets_403_on_schedule_pages(plan, as_user, name):
    assert as_user(plan.pegawai).get(reverse(f"talenta:{name}", args=[plan.jadwal.pk])).status_code == 403


def test_the_outsider_cannot_enrol_or_record_attendance_in_our_schedule(plan, outsider, as_user):
    client = as_user(outsider.hr_admin)
    ids = list(training_recs(plan).values_list("pk", flat=True))
    assert (
        client.post(reverse("talenta:jadwal_peserta", args=[plan.jadwal.pk]), {"rekomendasi": ids}).status_code == 404
    )
    assert client.post(reverse("talenta:jadwal_presensi", args=[plan.jadwal.pk]), {}).status_code == 404
    assert client.get(reverse("talenta:pelatihan_edit", args=[plan.pelatihan.pk])).status_code == 404
    assert not PesertaPelatihan.objects.exists()


def test_hr_creates_a_catalogue_entry_and_a_schedule(plan, as_user):
    client = as_user(plan.hr_admin)
    response = client.post(
        reverse("talenta:pelatihan_create"),
        {"nama": "E-learning Pelayanan Publik", "jenis": "NONKLASIKAL", "bentuk": "E-learning",
         "kompetensi": [kompetensi("M5").pk], "jp": 10, "aktif": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    pelatihan = Pelatihan.objects.get(nama="E-learning Pelayanan Publik")
    assert list(pelatihan.kompetensi.values_list("kode", flat=True)) == ["M5"]
    response = client.post(
        reverse("talenta:jadwal_create"),
        {"pelatihan": pelatihan.pk, "mulai": "2026-12-01", "selesai": "2026-11-30", "tempat": "Daring",
         "penyelenggara": "LAN", "kuota": 10},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in response.content.decode()
    response = client.post(
        reverse("talenta:jadwal_create"),
        {"pelatihan": pelatihan.pk, "mulai": "2026-12-01", "selesai": "2026-12-03", "tempat": "Daring",
         "penyelenggara": "LAN", "kuota": 10},
    )  # fmt: skip
    jadwal = JadwalPelatihan.objects.get(pelatihan=pelatihan)
    assert response["Location"] == reverse("talenta:jadwal_detail", args=[jadwal.pk])
    assert jadwal.dibuat_oleh == plan.hr_admin and jadwal.history.count() == 1


def test_the_enrolment_screen_filters_by_competency_and_unit_and_enrols_the_selected(plan, as_user):
    client = as_user(plan.hr_admin)
    url = reverse("talenta:jadwal_peserta", args=[plan.jadwal.pk])
    response = client.get(url, {"tahun": 2026, "kompetensi": "M2"})
    shown = {k["rekomendasi"].pegawai_id: k for k in response.context["kandidat"]}
    assert set(shown) == {plan.colleague.pk}  # the only Kerjasama gap
    assert shown[plan.colleague.pk]["cocok"]
    in_unit = client.get(url, {"tahun": 2026, "unit": plan.other_seksi.pk}).context["kandidat"]
    assert [k["rekomendasi"].pegawai_id for k in in_unit] == [plan.other_staff.pk]
    rec = training_recs(plan).get(pegawai=plan.colleague)
    response = client.post(url + "?tahun=2026", {"rekomendasi": [rec.pk]})
    assert response.status_code == 302
    assert list(PesertaPelatihan.objects.values_list("pegawai_id", flat=True)) == [plan.colleague.pk]
    again = client.get(url, {"tahun": 2026}).context["kandidat"]
    assert {k["rekomendasi"].pegawai_id: k["terdaftar"] for k in again} == {
        plan.colleague.pk: True, plan.other_staff.pk: False,
    }  # fmt: skip


def test_another_instansis_unit_on_the_enrolment_screen_is_404(plan, outsider, as_user):
    url = reverse("talenta:jadwal_peserta", args=[plan.jadwal.pk])
    assert as_user(plan.hr_admin).get(url, {"unit": outsider.seksi.pk}).status_code == 404


def test_the_attendance_sheet_saves_through_htmx_and_returns_the_sheet(plan, as_user):
    enrol_all(plan)
    peserta = PesertaPelatihan.objects.get(pegawai=plan.colleague)
    other = PesertaPelatihan.objects.get(pegawai=plan.other_staff)
    response = as_user(plan.hr_admin).post(
        reverse("talenta:jadwal_presensi", args=[plan.jadwal.pk]),
        {f"status_{peserta.pk}": "HADIR", f"status_{other.pk}": "TERDAFTAR"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Kehadiran disimpan (1 perubahan)." in response.content.decode()
    assert "<html" not in response.content.decode()
    peserta.refresh_from_db()
    assert (peserta.status, peserta.jp) == ("HADIR", 24)


def test_removing_a_participant_asks_for_confirmation_and_only_before_attendance(plan, as_user):
    enrol_all(plan)
    client = as_user(plan.hr_admin)
    html = client.get(reverse("talenta:jadwal_detail", args=[plan.jadwal.pk])).content.decode()
    assert "data-confirm=" in html
    peserta = PesertaPelatihan.objects.get(pegawai=plan.colleague)
    url = reverse("talenta:peserta_hapus", args=[plan.jadwal.pk, peserta.pk])
    assert client.post(url).status_code == 302
    assert not PesertaPelatihan.objects.filter(pk=peserta.pk).exists()


def test_a_participant_of_another_schedule_cannot_be_removed_through_ours(plan, as_user):
    enrol_all(plan)
    other = JadwalPelatihan.objects.create(
        instansi=plan.instansi, pelatihan=plan.pelatihan, mulai=datetime.date(2026, 5, 1),
        selesai=datetime.date(2026, 5, 2), tempat="x", penyelenggara="y", kuota=1,
    )  # fmt: skip
    peserta = PesertaPelatihan.objects.first()
    response = as_user(plan.hr_admin).post(reverse("talenta:peserta_hapus", args=[other.pk, peserta.pk]))
    assert response.status_code == 404


def test_the_employee_sees_their_plan_and_hours_on_saya(plan, as_user, on_day):
    enrol_all(plan)
    on_day(datetime.date(2026, 11, 24))  # the plan's year
    html = as_user(plan.colleague).get(reverse("talenta:saya")).content.decode()
    assert "Pelatihan Kerja Sama Tim" in html
    assert "0 dari 20 JP" in html
    assert "Masih kurang 20 JP" in html


def test_the_supervisor_sees_the_teams_plan_and_not_other_teams(plan, as_user):
    enrol_all(plan)
    response = as_user(plan.penilai).get(reverse("talenta:tim"), {"tahun": 2026})
    plans = {r.pegawai.pk: r for r in response.context["rencana_tim"]}
    assert plan.other_staff.pk not in plans
    assert [p.jadwal_id for p in plans[plan.colleague.pk].peserta] == [plan.jadwal.pk]


# --- query budgets ----------------------------------------------------------------------------------------------


def grow(org, n):
    """n more staff in Seksi Farmasi with a Kerjasama gap, recommended for training and enrolled."""
    staff = [pegawai_in_post(org.jabatan.staff2, login=False) for _ in range(n)]
    refresh(org.instansi)
    for p in staff:
        p.refresh_from_db()
        assess(org, p, {"M1": 1, "M2": 1})
        final(org, p, 2026, "BAIK")
    services.talenta_compute(instansi_id=org.instansi.pk, tahun=2026)
    org.jadwal.kuota = 50
    org.jadwal.save()
    enrol_all(org)
    PesertaPelatihan.objects.update(status="HADIR", jp=24)
    for i in range(n):
        JadwalPelatihan.objects.create(
            instansi=org.instansi, pelatihan=org.pelatihan, mulai=datetime.date(2026, 6, 1 + i % 20),
            selesai=datetime.date(2026, 6, 2 + i % 20), tempat="x", penyelenggara="y", kuota=3,
        )  # fmt: skip


def page_queries(client, org, django_assert_max_num_queries, budget):
    pages = [
        (reverse("talenta:jadwal_list"), {"tahun": 2026}),
        (reverse("talenta:pelatihan_list"), {}),
        (reverse("talenta:jadwal_detail", args=[org.jadwal.pk]), {}),
        (reverse("talenta:jadwal_peserta", args=[org.jadwal.pk]), {"tahun": 2026}),
        (reverse("talenta:jadwal_dampak", args=[org.jadwal.pk]), {}),
    ]
    for (url, params), limit in zip(pages, budget, strict=True):
        with django_assert_max_num_queries(limit):
            assert client.get(url, params).status_code == 200


def test_the_hr_screens_query_count_does_not_grow_with_rows(plan, as_user, django_assert_max_num_queries):
    # every page: session, user, roles (+ the schedule); then
    # jadwal_list: years, count, rows annotated · pelatihan_list: rows annotated, kompetensi prefetch ·
    # jadwal_detail: participants joined · jadwal_peserta: years (2), training competencies,
    # recommendations with the enrolled flag, units, competency choices · dampak: attended, results
    budget = [8, 6, 6, 11, 7]
    client = as_user(plan.hr_admin)
    enrol_all(plan)
    page_queries(client, plan, django_assert_max_num_queries, budget)
    grow(plan, 20)
    page_queries(client, plan, django_assert_max_num_queries, budget)


def test_the_team_and_own_screens_query_count_does_not_grow(plan, as_user, django_assert_max_num_queries):
    enrol_all(plan)

    def measure():
        # session, user, roles/supervisor check, pegawai, instansi, years (2), recommendations,
        # team members, enrolments
        client = as_user(plan.other_penilai)
        with django_assert_max_num_queries(11):
            assert client.get(reverse("talenta:tim"), {"tahun": 2026}).status_code == 200
        # session, user, the menu's supervisor check, boxes, recommendations, pegawai, enrolments, +1
        client = as_user(plan.other_staff)
        with django_assert_max_num_queries(8):
            assert client.get(reverse("talenta:saya")).status_code == 200

    measure()
    grow(plan, 15)
    measure()
