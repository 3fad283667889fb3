"""The period-score job: correct figures, bulk, idempotent, and safe to rerun after a crash."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import pegawai_in_post, refresh
from appraisal import services_evaluasi as ev
from appraisal.models import IKI, DialogKinerja, PeriodeEvaluasi
from appraisal.tests.factories import approved_chain, approved_skp, open_year
from reports import services
from reports.models import HasilKinerja, JobRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(org):
    return open_year(org)


@pytest.fixture
def tw1(year):
    return PeriodeEvaluasi.objects.get(periode_skp=year, jenis="TRIWULANAN", ke=1)


@pytest.fixture
def skp(org, year):
    chain = approved_chain(org, year)
    skp = approved_skp(org.pegawai, year, rhk=("Berkas rujukan", "Data rujukan"), parent=chain["kasi"].rhk.first())
    first, second = skp.rhk.order_by("pk")
    IKI.objects.create(
        rhk=first, aspek="WAKTU", uraian="Waktu layanan", target_min=Decimal(10), satuan="hari", arah="TURUN"
    )
    return skp


def record(org, skp, tw1, values):
    for iki, value in zip(IKI.objects.filter(rhk__skp=skp).order_by("rhk_id", "pk"), values, strict=True):
        if value is not None:
            ev.realisasi_save(iki=iki, periode=tw1, nilai=Decimal(value), uraian="", by=org.pegawai.user)


def test_achievement_per_iki_rhk_and_skp(org, skp, tw1):
    # RHK 1: target 12 → 15 done (125 %), waiting time target 10 → 8 days (120 %): mean 122.50
    # RHK 2: target 12 → 6 done (50 %). SKP: mean of RHK = 86.25
    record(org, skp, tw1, ["15", "8", "6"])
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    hasil = HasilKinerja.objects.get(pegawai=org.pegawai, periode_evaluasi=tw1)
    first, second = skp.rhk.order_by("pk")
    assert hasil.rincian[str(first.pk)]["capaian"] == "122.50"
    assert hasil.rincian[str(second.pk)]["capaian"] == "50.00"
    assert hasil.capaian_skp == Decimal("86.25")
    assert (hasil.jumlah_iki, hasil.iki_terisi) == (3, 3)


def test_the_predikat_and_feedback_are_carried_into_the_results(org, skp, tw1):
    evaluasi = ev.evaluasi_open(skp=skp, periode=tw1, by=org.penilai.user)
    ev.evaluasi_save(
        evaluasi=evaluasi,
        versi=evaluasi.versi,
        by=org.penilai.user,
        rating_hasil_kerja="SESUAI",
        rating_perilaku_kerja="DI_ATAS",
    )
    ev.dialog_add(skp=skp, jenis="UMPAN_BALIK", catatan="Bagus", by=org.penilai.user)
    ev.dialog_add(skp=skp, jenis="BIMBINGAN", catatan="Nanti", by=org.penilai.user)
    # feedback counts up to the end of the period: one given in February, one after March
    DialogKinerja.objects.filter(catatan="Bagus").update(pada=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC))
    DialogKinerja.objects.filter(catatan="Nanti").update(pada=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC))
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    hasil = HasilKinerja.objects.get(pegawai=org.pegawai, periode_evaluasi=tw1)
    assert (hasil.predikat, hasil.jumlah_umpan_balik) == ("BAIK", 1)


def snapshot(tw1):
    return sorted(
        HasilKinerja.objects.filter(periode_evaluasi=tw1).values_list(
            "pegawai_id", "capaian_skp", "iki_terisi", "predikat", "rincian"
        ),
        key=lambda row: row[0],
    )


def test_running_twice_gives_the_same_rows_and_no_duplicates(org, skp, tw1):
    record(org, skp, tw1, ["15", "8", "6"])
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    first = snapshot(tw1)
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    assert snapshot(tw1) == first
    assert HasilKinerja.objects.filter(periode_evaluasi=tw1).count() == len(first)


def test_a_rerun_rewrites_only_the_rows_whose_figures_changed(org, skp, tw1):
    record(org, skp, tw1, ["15", "8", "6"])
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    first = dict(HasilKinerja.objects.filter(periode_evaluasi=tw1).values_list("pegawai_id", "dihitung_pada"))
    record(org, skp, tw1, ["12", "10", "12"])
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    second = dict(HasilKinerja.objects.filter(periode_evaluasi=tw1).values_list("pegawai_id", "dihitung_pada"))
    assert second.pop(org.pegawai.pk) > first.pop(org.pegawai.pk)  # new figures (100 %), written again
    assert second == first and len(first) > 1  # everyone else's figures are the same: rows left alone
    assert HasilKinerja.objects.get(pegawai=org.pegawai, periode_evaluasi=tw1).capaian_skp == Decimal("100.00")


def test_a_rerun_after_a_crash_halfway_gives_the_uninterrupted_result(org, skp, tw1, monkeypatch):
    record(org, skp, tw1, ["15", "8", "6"])
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    uninterrupted = snapshot(tw1)
    HasilKinerja.objects.all().delete()
    monkeypatch.setattr(services, "UNITS_PER_CHUNK", 1)
    calls = {"n": 0}
    real = services._upsert

    def crash_on_second_chunk(rows):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        return real(rows)

    monkeypatch.setattr(services, "_upsert", crash_on_second_chunk)
    with pytest.raises(RuntimeError):
        services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    assert 0 < HasilKinerja.objects.count() < len(uninterrupted)
    monkeypatch.setattr(services, "_upsert", real)
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    assert snapshot(tw1) == uninterrupted


def test_a_single_employee_can_be_rescored(org, skp, tw1):
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    record(org, skp, tw1, ["12", "10", "12"])
    services.period_scores_for_pegawai(pegawai_id=org.pegawai.pk, periode_evaluasi_id=tw1.pk)
    assert HasilKinerja.objects.get(pegawai=org.pegawai, periode_evaluasi=tw1).capaian_skp == Decimal("100.00")


def test_the_query_count_does_not_grow_with_the_number_of_employees(org, skp, tw1):
    def measure():
        with CaptureQueriesContext(connection) as ctx:
            services.period_scores_compute(periode_evaluasi_id=tw1.pk)
        return len(ctx)

    small = measure()
    for _ in range(25):
        pegawai_in_post(org.jabatan.staff, login=False)
    refresh(org.instansi)
    assert measure() == small  # one chunk: five reads, one upsert, one cleanup, plus fixed lookups


def test_the_run_records_progress_and_who_started_it(org, skp, tw1, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.scores_run_start(instansi=org.instansi, periode_evaluasi=tw1, by=org.hr_admin)
    run.refresh_from_db()
    assert (run.status, run.persen, run.dibuat_oleh) == ("SELESAI", 100, org.hr_admin)
    assert run.baris == HasilKinerja.objects.filter(periode_evaluasi=tw1).count() > 0


def test_finalising_an_evaluation_rescores_that_employee(org, skp, tw1, django_capture_on_commit_callbacks):
    evaluasi = ev.evaluasi_open(skp=skp, periode=tw1, by=org.penilai.user)
    with django_capture_on_commit_callbacks(execute=True):
        evaluasi = ev.evaluasi_save(
            evaluasi=evaluasi,
            versi=evaluasi.versi,
            by=org.penilai.user,
            rating_hasil_kerja="DI_ATAS",
            rating_perilaku_kerja="DI_ATAS",
        )
        ev.evaluasi_finalize(evaluasi=evaluasi, by=org.penilai.user)
    hasil = HasilKinerja.objects.get(pegawai=org.pegawai, periode_evaluasi=tw1)
    assert (hasil.predikat, hasil.status_evaluasi) == ("SANGAT_BAIK", "FINAL")


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 11, 24), {"TW4", "TAHUNAN"}),  # today's quarter and the year
        (datetime.date(2026, 10, 20), {"TW3", "TW4", "TAHUNAN"}),  # TW III ended 20 days ago: being evaluated
        (datetime.date(2027, 1, 20), {"TW4", "TAHUNAN"}),  # last year's end, evaluated in January
        (datetime.date(2027, 3, 1), set()),  # 2026 is settled (and no 2027 year is open here)
    ],
)
def test_the_nightly_job_queues_each_period_running_or_still_being_evaluated(org, on_day, today, expected):
    from reports.tasks import period_scores_nightly
    from sikap.celery import app

    assert app.conf.beat_schedule["period-scores-nightly"]["task"] == "reports.tasks.period_scores_nightly"
    open_year(org, tahun=2026)
    on_day(today)
    assert period_scores_nightly() == {"queued": len(expected)}
    queued = PeriodeEvaluasi.objects.filter(pk__in=[r.parameter["periode_evaluasi_id"] for r in JobRun.objects.all()])
    assert {p.jenis if p.jenis == "TAHUNAN" else f"TW{p.ke}" for p in queued} == expected
    assert JobRun.objects.filter(status="SELESAI").count() == len(expected)  # eager here; a worker in production


def test_the_units_citizen_satisfaction_is_carried_into_the_results(org, skp, tw1):
    from surveys.tests.factories import respons_with_answers, survey_setup

    setup = survey_setup(org.instansi, unit=org.bidang)  # covers the seksi below it
    response = respons_with_answers(setup.unit_layanan, nilai=3)
    type(response).objects.filter(pk=response.pk).update(
        diisi_pada=datetime.datetime(2026, 2, 2, 3, tzinfo=datetime.UTC)
    )
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    assert HasilKinerja.objects.get(pegawai=org.pegawai, periode_evaluasi=tw1).ikm_unit == Decimal("75.00")
    assert HasilKinerja.objects.get(pegawai=org.kepala_unit, periode_evaluasi=tw1).ikm_unit is None  # the dinas above
