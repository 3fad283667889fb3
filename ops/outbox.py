"""Queue Celery tasks through an outbox, so that Redis being down neither breaks a page nor loses
work (issue 9 item 5).

``send_on_commit(task, *args)`` replaces ``transaction.on_commit(lambda: task.delay(*args))``. It
writes an ``OutboxMessage`` in the caller's transaction and, once that commits, sends it at once
with a short connect timeout and no retries. When Redis answers, the task leaves within
milliseconds, as before. When it does not, the page still answers (after ``CONNECT_TIMEOUT`` at
most, instead of Celery's ~20 s of retries followed by a 500) and the row waits for the relay:
beat runs ``ops.tasks.outbox_relay_task`` every minute, and ``manage.py outbox_relay`` runs it by hand.

Delivery is at least once: a relay that dies between the broker taking a message and the row
being marked sends it again, which the tasks tolerate (every task is safe to run twice). The
message keeps the row's ``task_id``, so a duplicate is recognisable in the worker's log.

Without a broker (development, the fast tests) tasks run in-process on commit, as before, and no
row is written.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import Task
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sikap.celery import app

from .models import OutboxMessage

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT = 2  # seconds: how long a page waits for an absent Redis before leaving the row to the relay
BATCH_SIZE = 500
KEEP_SENT = timedelta(days=7)  # sent rows are kept a week, to answer "was it sent, and when?"


def send_on_commit(task: Task, *args, **kwargs) -> None:
    """Queue ``task(*args, **kwargs)`` once the current transaction commits. Writes one
    OutboxMessage (when a broker is configured); sends it after commit, or leaves it to the relay."""
    if app.conf.task_always_eager:
        transaction.on_commit(lambda: task.apply_async(args, kwargs))
        return
    message = OutboxMessage.objects.create(task=task.name, args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda: relay(ids=[message.pk]))


def relay(*, ids: list[int] | None = None, limit: int = BATCH_SIZE) -> int:
    """Send pending messages (all of them, or only ``ids``) to the broker, oldest first, and mark
    them sent. What the broker did not take stays pending, with the error, for the next relay.
    Rows another relay is sending are skipped (FOR UPDATE SKIP LOCKED). Returns how many were sent."""
    with transaction.atomic():
        pending = OutboxMessage.objects.select_for_update(skip_locked=True).filter(sent_at__isnull=True)
        if ids is not None:
            pending = pending.filter(pk__in=ids)
        messages = list(pending.order_by("pk")[:limit])
        if not messages:
            return 0
        sent, error = _send(messages)
        OutboxMessage.objects.filter(pk__in=[m.pk for m in sent]).update(
            sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
        )
        if error:
            OutboxMessage.objects.filter(pk__in=[m.pk for m in messages[len(sent) :]]).update(
                attempts=F("attempts") + 1, last_error=error[:2000]
            )
    return len(sent)


def _send(messages: list[OutboxMessage]) -> tuple[list[OutboxMessage], str]:
    """Publish in order on one connection; stop at the first failure. Returns (sent, error)."""
    sent: list[OutboxMessage] = []
    # max_retries=0: fail fast. Celery's defaults retry the connection for ~20 s, which would
    # hold the request (or the relay's row locks) while Redis is down; the relay is the retry.
    transport_options = {**app.conf.broker_transport_options, "max_retries": 0}
    try:
        with app.connection_for_write(connect_timeout=CONNECT_TIMEOUT, transport_options=transport_options) as conn:
            for message in messages:
                app.tasks[message.task].apply_async(
                    message.args,
                    message.kwargs,
                    task_id=str(message.task_id),
                    connection=conn,
                    retry=False,
                    # Nobody waits on these results; and storing the "pending" state would need
                    # the result backend (Redis too) at send time.
                    ignore_result=True,
                )
                sent.append(message)
    except Exception as exc:  # kombu's OperationalError, redis-py's errors, an unknown task name …
        logger.warning("outbox: %d message(s) left pending: %s", len(messages) - len(sent), exc)
        return sent, f"{type(exc).__name__}: {exc}"
    return sent, ""


def purge_sent(*, older_than: timedelta = KEEP_SENT) -> int:
    """Delete messages sent more than ``older_than`` ago. Returns how many were deleted."""
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=timezone.now() - older_than).delete()
    return deleted
