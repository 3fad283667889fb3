"""The Celery app the fault tests start workers with: SIKAP's own app, and, when
FAULTS_SECONDS_PER_CHUNK is set, a period-score job slowed to one unit per chunk and that many
seconds per chunk, so that a test can kill the worker in the middle of the job for certain."""

import os
import time

from celery.signals import worker_init

from sikap.celery import app

__all__ = ["app"]


@worker_init.connect
def _slow_period_scores(**_kwargs):
    seconds = float(os.environ.get("FAULTS_SECONDS_PER_CHUNK", "0"))
    if not seconds:
        return
    import django

    django.setup()
    from reports import services

    upsert = services._upsert

    def slow_upsert(rows):
        time.sleep(seconds)
        return upsert(rows)

    services.UNITS_PER_CHUNK = 1
    services._upsert = slow_upsert
