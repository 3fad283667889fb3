"""Background work for SKP planning. Tasks take ids and stay thin."""

from celery import shared_task

from . import notifications


@shared_task(queue="mail", time_limit=60, soft_time_limit=50, acks_late=True)
def send_skp_notification(skp_id: int, event: str) -> dict:
    """E-mail the person who must act next on an SKP (submitted, returned or approved)."""
    sent = notifications.skp_event_mail(skp_id=skp_id, event=event)
    return {"skp_id": skp_id, "event": event, "sent": sent}


@shared_task(queue="mail", time_limit=60, soft_time_limit=50, acks_late=True)
def send_evaluation_notification(evaluasi_id: int, event: str) -> dict:
    """E-mail the employee (finalized, objection decided) or the atasan pejabat penilai (objected)."""
    sent = notifications.evaluation_event_mail(evaluasi_id=evaluasi_id, event=event)
    return {"evaluasi_id": evaluasi_id, "event": event, "sent": sent}


@shared_task(queue="celery", time_limit=300, soft_time_limit=270, acks_late=True)
def realisasi_skm_task(instansi_id: int, periode_id: int) -> dict:
    """Fill the period's SKM-sourced realisations from the survey (issue 10). Safe to run twice:
    the service upserts per (IKI, period) and keeps a value that did not change."""
    from accounts.models import Instansi

    from .models import PeriodeEvaluasi
    from .services_objektif import realisasi_from_skm

    instansi = Instansi.objects.get(pk=instansi_id)
    periode = PeriodeEvaluasi.objects.select_related("periode_skp").get(pk=periode_id, periode_skp__instansi=instansi)
    terisi = realisasi_from_skm(instansi=instansi, periode=periode)
    return {"instansi_id": instansi_id, "periode_id": periode_id, "terisi": terisi}
