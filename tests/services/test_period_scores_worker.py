"""Issue 6: the period-score job run by a real Celery worker (another process, Redis, the real
PostgreSQL test database) writes exactly the rows the in-process run writes."""

from decimal import Decimal

import pytest

from appraisal import services_evaluasi as ev
from appraisal.models import IKI, PeriodeEvaluasi
from appraisal.tests.factories import approved_chain, approved_skp, open_year
from reports import services
from reports.models import HasilKinerja, JobRun
from reports.tasks import period_scores_task


def rows(periode) -> list[tuple]:
    return sorted(
        HasilKinerja.objects.filter(periode_evaluasi=periode).values_list(
            "pegawai_id", "unit_id", "skp_id", "capaian_skp", "jumlah_iki", "iki_terisi", "rincian", "predikat"
        )
    )


@pytest.mark.services
def test_the_worker_writes_the_same_period_scores_as_the_in_process_run(transactional_db, org, celery_worker):
    year = open_year(org)
    tw1 = PeriodeEvaluasi.objects.get(periode_skp=year, jenis="TRIWULANAN", ke=1)
    chain = approved_chain(org, year)
    skp = approved_skp(org.pegawai, year, rhk=("Berkas rujukan", "Data rujukan"), parent=chain["kasi"].rhk.first())
    for iki, value in zip(IKI.objects.filter(rhk__skp=skp).order_by("pk"), ("15", "6"), strict=True):
        ev.realisasi_save(iki=iki, periode=tw1, nilai=Decimal(value), uraian="", by=org.pegawai.user)

    services.period_scores_compute(periode_evaluasi_id=tw1.pk)
    in_process = rows(tw1)
    assert any(row[3] == Decimal("87.50") for row in in_process)  # (125 % + 50 %) / 2 for the employee
    HasilKinerja.objects.all().delete()

    run = JobRun.objects.create(instansi=org.instansi, jenis="period_scores", parameter={"periode_evaluasi_id": tw1.pk})
    result = period_scores_task.apply_async((run.pk,), queue=celery_worker.queue).get(timeout=120)

    # This process did not run the task (not eager here): the worker wrote these rows.
    assert rows(tw1) == in_process
    assert result == {"run_id": run.pk, "rows": len(in_process)}
    run.refresh_from_db()
    assert (run.status, run.persen) == ("SELESAI", 100)
