"""The Celery application. Configured from Django settings (CELERY_* names).

Without CELERY_BROKER_URL tasks run eagerly in-process, so development and the
fast test suite need no Redis; with it, a real worker consumes them.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikap.settings")

app = Celery("sikap")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
