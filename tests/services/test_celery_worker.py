"""The nightly re-resolution of superiors: its schedule, its fan-out, and a task dispatched
to a real Celery worker (another process, the real broker, the real PostgreSQL test
database) doing the same work as the in-process call."""

import pytest
from celery.schedules import crontab

from accounts.models import JenisJabatan, Pegawai
from accounts.tasks import hierarchy_refresh_all, hierarchy_refresh_task
from accounts.tests.factories import InstansiFactory, JabatanFactory, UnitKerjaFactory, pegawai_in_post, refresh
from sikap.celery import app as celery_app


def build_seksi(kode: str):
    """A kasi with two staff under them, superiors resolved."""
    instansi = InstansiFactory(kode=kode)
    unit = UnitKerjaFactory(instansi=instansi, nama="Seksi Data", jenis="SUBBIDANG")
    kasi_post = JabatanFactory(unit=unit, nama="Kepala Seksi Data", jenis=JenisJabatan.PENGAWAS)
    staff_post = JabatanFactory(unit=unit, nama="Pengolah Data", atasan=kasi_post)
    kasi = pegawai_in_post(kasi_post, login=False)
    staff = [pegawai_in_post(staff_post, login=False) for _ in range(2)]
    refresh(instansi)
    return instansi, kasi, staff


@pytest.fixture
def seksi(transactional_db):
    return build_seksi("kota-celery")


def penilai_of(staff) -> set:
    return set(Pegawai.objects.filter(pk__in=[p.pk for p in staff]).values_list("pejabat_penilai", flat=True))


def forget_penilai(staff) -> None:
    # A bare queryset update (no service, no refresh): the drift the nightly job exists to repair.
    Pegawai.objects.filter(pk__in=[p.pk for p in staff]).update(pejabat_penilai=None)


def test_the_refresh_of_every_instansi_is_scheduled_nightly_at_one_jakarta_time():
    entry = celery_app.conf.beat_schedule["hierarchy-refresh-nightly"]
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"] == crontab(hour=1, minute=0)
    assert celery_app.conf.timezone == "Asia/Jakarta"


@pytest.fixture
def tasks_in_process():
    """Eager tasks even when CELERY_BROKER_URL is set, so the fanned-out tasks run here."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


def test_the_nightly_task_refreshes_every_instansi(db, tasks_in_process):
    seksi_list = [build_seksi("kota-satu"), build_seksi("kota-dua")]
    for _, _, staff in seksi_list:
        forget_penilai(staff)

    assert hierarchy_refresh_all() == {"instansi": 2}

    for _, kasi, staff in seksi_list:
        assert penilai_of(staff) == {kasi.pk}


@pytest.mark.services
def test_worker_restores_the_pejabat_penilai_like_the_in_process_call(seksi, celery_worker):
    instansi, kasi, staff = seksi
    assert penilai_of(staff) == {kasi.pk}

    forget_penilai(staff)
    assert penilai_of(staff) == {None}
    from_worker = hierarchy_refresh_task.apply_async((instansi.pk,), queue=celery_worker.queue).get(timeout=60)

    # This process never ran the task (not eager), so the rows were repaired by the worker.
    assert penilai_of(staff) == {kasi.pk}
    assert from_worker == {"instansi_id": instansi.pk, "changed": 2}

    forget_penilai(staff)
    assert hierarchy_refresh_task(instansi.pk) == from_worker
    assert penilai_of(staff) == {kasi.pk}
