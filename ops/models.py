"""The task outbox: one row per Celery task a service queued, written in the service's own
transaction, so a task is never lost when the broker (Redis) is down at commit time."""

import uuid

from django.db import models


class OutboxMessage(models.Model):
    """A task to send to the broker. ``sent_at`` stays empty until the broker has taken it;
    ``ops.outbox.relay`` sends the pending rows, oldest first, and retries the ones it could not."""

    task_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    task = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["id"], condition=models.Q(sent_at__isnull=True), name="outbox_pending")]

    def __str__(self):
        return f"{self.task}{tuple(self.args)} #{self.pk}"
