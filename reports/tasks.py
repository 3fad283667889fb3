"""Batch jobs behind the dashboards. Thin: they take ids, call a service, return a small dict."""

from celery import shared_task
from django.utils import timezone

from .models import JobRun, StatusJob
from .services import period_scores_compute, period_scores_for_pegawai, periods_in_play


@shared_task(queue="celery", time_limit=30 * 60, soft_time_limit=25 * 60, acks_late=True)
def period_scores_task(run_id: int) -> dict:
    """Compute one instansi's period scores for the run's period; safe to run twice."""
    run = JobRun.objects.get(pk=run_id)
    try:
        written = period_scores_compute(periode_evaluasi_id=run.parameter["periode_evaluasi_id"], run=run)
    except Exception as exc:  # recorded for the HR screen, then re-raised for Celery
        JobRun.objects.filter(pk=run_id).update(
            status=StatusJob.GAGAL, pesan=str(exc)[:2000], selesai_pada=timezone.now()
        )
        raise
    return {"run_id": run_id, "rows": written}


@shared_task(queue="celery", time_limit=60, soft_time_limit=50, acks_late=True)
def pegawai_scores_task(pegawai_id: int, periode_evaluasi_id: int) -> dict:
    """Re-run one employee's figures after their evaluation changed."""
    return {
        "pegawai_id": pegawai_id,
        "rows": period_scores_for_pegawai(pegawai_id=pegawai_id, periode_evaluasi_id=periode_evaluasi_id),
    }


@shared_task(queue="celery", time_limit=120, soft_time_limit=100)
def period_scores_nightly() -> dict:
    """Nightly: for every instansi, queue a recompute of each evaluation period running today or
    still being evaluated (``services.periods_in_play``): one run per instansi and period, so
    workers can share them."""
    periods = periods_in_play(timezone.localdate()).select_related("periode_skp")
    queued = 0
    for periode in periods:
        run = JobRun.objects.create(
            instansi_id=periode.periode_skp.instansi_id,
            jenis="period_scores",
            parameter={"periode_evaluasi_id": periode.pk},
        )
        period_scores_task.delay(run.pk)
        queued += 1
    return {"queued": queued}
