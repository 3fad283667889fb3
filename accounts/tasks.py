"""Background jobs of the organisation. Thin: they take ids, call a service, return a small dict.

Plt/Plh assignments start and end by date, so an employee's pejabat penilai can change
overnight with nobody touching the data; the nightly beat entry in ``sikap.celery``
re-resolves every instansi. Both tasks are safe to run twice: ``hierarchy_refresh``
recomputes from the assignments and only writes rows that differ.
"""

from __future__ import annotations

from celery import shared_task

from . import services
from .models import Instansi


# An instansi of ~10 000 employees resolves in seconds (three reads, one bulk update);
# the limits only stop a runaway task from holding a worker for the whole night.
@shared_task(soft_time_limit=5 * 60, time_limit=6 * 60)
def hierarchy_refresh_task(instansi_id: int) -> dict:
    """Re-resolve the current post and superiors of every employee of one instansi."""
    changed = services.hierarchy_refresh(instansi_id=instansi_id)
    return {"instansi_id": instansi_id, "changed": changed}


@shared_task(soft_time_limit=60, time_limit=90)
def hierarchy_refresh_all() -> dict:
    """Fan out one ``hierarchy_refresh_task`` per instansi, so one large instansi
    neither delays the others nor loses their work when it hits its time limit."""
    instansi_ids = list(Instansi.objects.order_by("pk").values_list("pk", flat=True))
    for instansi_id in instansi_ids:
        hierarchy_refresh_task.delay(instansi_id)
    return {"instansi": len(instansi_ids)}
