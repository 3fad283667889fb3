"""The talent job. Thin: takes ids, calls the service, returns a small dict; safe to run twice."""

from celery import shared_task
from django.utils import timezone

from reports.models import JobRun, StatusJob

from .services import talenta_compute


@shared_task(queue="celery", time_limit=30 * 60, soft_time_limit=25 * 60, acks_late=True)
def talenta_compute_task(run_id: int) -> dict:
    """Compute the 9-box and recommendations of the run's instansi and year."""
    run = JobRun.objects.get(pk=run_id)
    try:
        written = talenta_compute(instansi_id=run.instansi_id, tahun=run.parameter["tahun"], run=run)
    except Exception as exc:  # recorded for the HR screen, then re-raised for Celery
        JobRun.objects.filter(pk=run_id).update(
            status=StatusJob.GAGAL, pesan=str(exc)[:2000], selesai_pada=timezone.now()
        )
        raise
    return {"run_id": run_id, "rows": written}


@shared_task(queue="celery", time_limit=120, soft_time_limit=100)
def talenta_nightly() -> dict:
    """Nightly (Celery beat, after the period scores): for every instansi and SKP year with an
    evaluation period in play (``reports.services.periods_in_play``: running, or ended recently
    and still being evaluated, so in January last year's too), queue the talent job of that year
    (one run per instansi and year, so workers can share them)."""
    from reports.services import periods_in_play

    from .services import JOB_JENIS

    queued = 0
    years = periods_in_play(timezone.localdate()).values_list("periode_skp__instansi_id", "periode_skp__tahun")
    for instansi_id, tahun in sorted(set(years)):
        run = JobRun.objects.create(instansi_id=instansi_id, jenis=JOB_JENIS, parameter={"tahun": tahun})
        talenta_compute_task.delay(run.pk)
        queued += 1
    return {"queued": queued}
