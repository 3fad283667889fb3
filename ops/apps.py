from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: the task outbox (work queued while Redis is down is not lost) and the
    backup and restore commands (issue 9 items 5 and 6)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ops"
