"""``manage.py outbox_relay``: send the tasks queued while Redis was down, now, without waiting for beat."""

from django.core.management.base import BaseCommand

from ops import outbox
from ops.models import OutboxMessage


class Command(BaseCommand):
    help = "Send the pending task outbox messages to the broker (Celery/Redis)."

    def handle(self, *args, **options):
        sent = 0
        while batch := outbox.relay():
            sent += batch
        pending = OutboxMessage.objects.filter(sent_at__isnull=True).count()
        self.stdout.write(f"sent {sent}, pending {pending}")
        if pending:
            raise SystemExit(1)  # the broker is still unreachable: let a script or cron notice
