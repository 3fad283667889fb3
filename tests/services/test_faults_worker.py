"""Issue 9 item 5: "A Celery worker killed in the middle of the score job: the next run produces
the same results as an uninterrupted one."

A real worker (subprocess, private Redis, the PostgreSQL test database) is SIGKILLed while the
period-score job is half done. The message was never acknowledged (acks_late), so Redis hands it
to the next worker once the visibility timeout has passed (here 1 s instead of an hour), and the
rerun overwrites the half-written rows with exactly what an uninterrupted run writes."""

from decimal import Decimal

import pytest
from django.db import transaction

from accounts.models import JenisJabatan
from accounts.tests.factories import JabatanFactory, UnitKerjaFactory, pegawai_in_post, refresh
from appraisal.models import IKI, PeriodeEvaluasi, Realisasi
from appraisal.tests.factories import approved_chain, approved_skp, open_year
from ops.outbox import send_on_commit
from reports import services
from reports.models import HasilKinerja, JobRun
from reports.tasks import period_scores_task
from sikap.celery import app

from .faults import PrivateRedis, Worker, wait_until

pytestmark = pytest.mark.services

EXTRA_UNITS = 8  # with the 4 units of the org fixture: 12 chunks of one unit in the slowed worker


def rows(periode) -> list[tuple]:
    return sorted(
        HasilKinerja.objects.filter(periode_evaluasi=periode).values_list(
            "pegawai_id", "unit_id", "skp_id", "capaian_skp", "jumlah_iki", "iki_terisi", "rincian", "predikat"
        )
    )


def build_scored_instansi(org) -> PeriodeEvaluasi:
    """Twelve units, two staff each in the extra ones, every SKP approved with realised IKI."""
    year = open_year(org)
    tw1 = PeriodeEvaluasi.objects.get(periode_skp=year, jenis="TRIWULANAN", ke=1)
    chain = approved_chain(org, year)
    staff = [org.pegawai, org.colleague]
    for n in range(EXTRA_UNITS):
        unit = UnitKerjaFactory(instansi=org.instansi, parent=org.bidang, nama=f"Seksi Uji {n}", jenis="SUBBIDANG")
        post = JabatanFactory(unit=unit, nama=f"Analis {n}", jenis=JenisJabatan.PELAKSANA, atasan=org.jabatan.kasi)
        staff += [pegawai_in_post(post), pegawai_in_post(post)]
    refresh(org.instansi)
    for pegawai in staff:
        pegawai.refresh_from_db()  # the refresh above gave them their post and superiors
        approved_skp(pegawai, year, rhk=("Berkas rujukan", "Data rujukan"), parent=chain["kasi"].rhk.first())
    Realisasi.objects.bulk_create(
        Realisasi(iki=iki, periode_evaluasi=tw1, nilai=Decimal(6 + iki.pk % 11))
        for iki in IKI.objects.filter(rhk__skp__periode=year)
    )
    return tw1


@pytest.fixture
def redis(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def workers(tmp_path):
    started: list[Worker] = []

    def start(redis: PrivateRedis, **env) -> Worker:
        started.append(Worker(broker_url=redis.url, log=tmp_path / f"worker{len(started)}.log", env=env))
        return started[-1]

    yield start
    for worker in started:
        worker.stop()


def test_a_worker_killed_mid_job_leaves_the_rerun_to_write_what_an_uninterrupted_run_writes(
    transactional_db, org, redis, workers, monkeypatch
):
    tw1 = build_scored_instansi(org)
    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    uninterrupted = rows(tw1)
    assert len(uninterrupted) == 7 + 2 * EXTRA_UNITS
    assert len({row[3] for row in uninterrupted if row[3] is not None}) > 3  # varied scores, not all alike
    # Yesterday's figures, all wrong: what the killed run leaves unfinished must stay visibly stale.
    HasilKinerja.objects.update(capaian_skp=None, rincian={}, iki_terisi=0)

    slow = workers(redis, FAULTS_SECONDS_PER_CHUNK="0.5")
    monkeypatch.setenv("CELERY_BROKER_URL", redis.url)
    assert not app.conf.task_always_eager  # a broker is configured: the outbox sends to it
    with transaction.atomic():
        run = JobRun.objects.create(
            instansi=org.instansi, jenis="period_scores", parameter={"periode_evaluasi_id": tw1.pk}
        )
        send_on_commit(period_scores_task, run.pk)  # the service's way in: outbox, sent on commit

    wait_until(lambda: JobRun.objects.get(pk=run.pk).selesai >= 2, timeout=60, what="the job making progress")
    slow.kill()
    run.refresh_from_db()
    half_done = rows(tw1)
    assert run.status == "BERJALAN" and 0 < run.selesai < run.total
    assert 0 < sum(row in uninterrupted for row in half_done) < len(uninterrupted)

    # The next worker takes the unacknowledged message back once it is older than the timeout.
    workers(redis, CELERY_VISIBILITY_TIMEOUT="1")
    wait_until(
        lambda: JobRun.objects.get(pk=run.pk).status == "SELESAI", timeout=90, what="the redelivered job finishing"
    )
    assert rows(tw1) == uninterrupted
    run.refresh_from_db()
    assert run.baris == len(uninterrupted)
