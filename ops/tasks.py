"""The outbox relay, run by beat every minute (sikap/celery.py)."""

from celery import shared_task

from . import outbox


@shared_task(time_limit=120, soft_time_limit=100)
def outbox_relay_task() -> dict:
    """Send what was queued while the broker was away, and forget what was sent a week ago."""
    return {"sent": outbox.relay(), "purged": outbox.purge_sent()}
