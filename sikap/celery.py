"""The Celery application. Configured from Django settings (CELERY_* names).

Without CELERY_BROKER_URL tasks run eagerly in-process, so development and the
fast test suite need no Redis; with it, a real worker consumes them, and
``celery -A sikap beat`` sends the periodic tasks below.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikap.settings")

app = Celery("sikap")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Crontab hours are in CELERY_TIMEZONE (Asia/Jakarta).
app.conf.beat_schedule = {
    # Plt/Plh assignments begin and end on dates, not on edits: re-resolve superiors
    # every night, after midnight so that "today" is the new day.
    "hierarchy-refresh-nightly": {
        "task": "accounts.tasks.hierarchy_refresh_all",
        "schedule": crontab(hour=1, minute=0),
    },
    # After the superiors are current: recompute the period scores the dashboards read.
    "period-scores-nightly": {
        "task": "reports.tasks.period_scores_nightly",
        "schedule": crontab(hour=1, minute=30),
    },
    # After the period scores: the talent 9-box and recommendations of the current year.
    "talenta-nightly": {
        "task": "talenta.tasks.talenta_nightly",
        "schedule": crontab(hour=2, minute=0),
    },
    # Tasks queued while Redis was down (ops.outbox) leave within a minute of its return.
    "outbox-relay": {
        "task": "ops.tasks.outbox_relay_task",
        "schedule": 60.0,
    },
}
