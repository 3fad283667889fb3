"""Issue 6: the talent job (9-box and recommendations) run by a real Celery worker (another
process, Redis, the real PostgreSQL test database) writes exactly the TalentaBox and Rekomendasi
rows the in-process run writes, and a second run on the worker adds nothing and changes nothing."""

from importlib import import_module

import pytest
from celery.schedules import crontab
from django.apps import apps as django_apps

from reports.models import JobRun
from sikap.celery import app as celery_app
from talenta import services
from talenta.models import Rekomendasi, TalentaBox
from talenta.tasks import talenta_compute_task
from talenta.tests import conftest as talenta_fixtures

# The small organisation of the talent unit tests, with its expected boxes (see its docstring).
talent_org = talenta_fixtures.talent_org

# Every column the job writes but the timestamp (dihitung_pada); the JSON one last.
BOX_COLUMNS = [
    "instansi_id",
    "tahun",
    "pegawai_id",
    "unit_id",
    "predikat",
    "kinerja",
    "potensial",
    "jpm",
    "kotak",
    "alasan",
]
REKOMENDASI_COLUMNS = ["instansi_id", "tahun", "pegawai_id", "unit_id", "jenis", "alasan", "data"]


def rows() -> tuple[list, list]:
    """The talent rows as sorted, comparable tuples (the JSON values made hashable)."""
    boxes = sorted((*v[:-1], tuple(v[-1])) for v in TalentaBox.objects.values_list(*BOX_COLUMNS))
    recs = sorted((*v[:-1], repr(sorted(v[-1].items()))) for v in Rekomendasi.objects.values_list(*REKOMENDASI_COLUMNS))
    return boxes, recs


def run_on_worker(org, tahun, worker) -> tuple[dict, JobRun]:
    run = JobRun.objects.create(instansi=org.instansi, jenis=services.JOB_JENIS, parameter={"tahun": tahun})
    result = talenta_compute_task.apply_async((run.pk,), queue=worker.queue).get(timeout=120)
    run.refresh_from_db()
    return result, run


@pytest.fixture
def seeded_dictionary(transactional_db):
    """The national competency dictionary comes from a data migration, and an earlier
    transactional test's flush removes it: seed it again, as the migration does."""
    import_module("talenta.migrations.0002_seed_kompetensi").seed(django_apps, None)


@pytest.mark.services
def test_the_worker_writes_the_same_talent_rows_as_the_in_process_run_and_twice_adds_nothing(
    transactional_db, seeded_dictionary, talent_org, celery_worker
):
    t = talent_org
    services.talenta_compute(instansi_id=t.org.instansi.pk, tahun=t.tahun)
    boxes, recs = in_process = rows()
    # The arrangement gave the job something to decide: boxes and every kind of recommendation.
    assert {b[8] for b in boxes} >= {9, 8, 3, 2}
    assert {r[4] for r in recs} == {"PROMOSI", "PELATIHAN", "BIMBINGAN", "KONSELING", "PENGHARGAAN"}
    TalentaBox.objects.all().delete()
    Rekomendasi.objects.all().delete()

    result, run = run_on_worker(t.org, t.tahun, celery_worker)

    # This process did not run the task (not eager here): the worker wrote these rows.
    assert rows() == in_process
    assert result == {"run_id": run.pk, "rows": len(boxes) + len(recs)}
    assert (run.status, run.persen, run.baris) == ("SELESAI", 100, len(boxes) + len(recs))

    ids = (set(TalentaBox.objects.values_list("pk", flat=True)), set(Rekomendasi.objects.values_list("pk", flat=True)))
    result, run = run_on_worker(t.org, t.tahun, celery_worker)

    assert run.status == "SELESAI"
    assert rows() == in_process
    # Upserted in place on (tahun, pegawai[, jenis]): the same rows, not deleted and inserted again.
    assert (TalentaBox.objects.count(), Rekomendasi.objects.count()) == (len(boxes), len(recs))
    assert (
        set(TalentaBox.objects.values_list("pk", flat=True)),
        set(Rekomendasi.objects.values_list("pk", flat=True)),
    ) == ids


@pytest.mark.services
def test_beat_sends_the_talent_job_after_the_period_scores_and_the_worker_knows_it(celery_worker):
    schedule = celery_app.conf.beat_schedule
    scores, talent = schedule["period-scores-nightly"], schedule["talenta-nightly"]
    assert scores["task"] == "reports.tasks.period_scores_nightly"
    assert talent["task"] == "talenta.tasks.talenta_nightly"
    assert isinstance(talent["schedule"], crontab) and isinstance(scores["schedule"], crontab)

    def time_of(entry):
        (hour,), (minute,) = entry["schedule"].hour, entry["schedule"].minute
        return hour, minute

    assert time_of(scores) < time_of(talent)  # the 9-box reads the period scores of the same night
    # A misspelt task name would only show at night, as an unregistered task in the worker's log.
    registered = celery_app.control.inspect(destination=[celery_worker.nodename], timeout=5).registered()
    names = set(registered[celery_worker.nodename])
    assert {"talenta.tasks.talenta_nightly", "talenta.tasks.talenta_compute_task"} <= names
