"""``manage.py sikap_backup [--output DIR]``: the database and the uploaded files, with a manifest."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database (pg_dump or the SQLite backup API) and MEDIA_ROOT into one directory."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="an empty or new directory (default: backups/<time>)")
        parser.add_argument("--database", default="default")

    def handle(self, *args, output=None, database="default", **options):
        output = output or Path(settings.BASE_DIR) / "backups" / timezone.now().strftime("%Y%m%d-%H%M%S")
        try:
            manifest = backup_create(output=output, using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(f"backup written to {output}: {len(manifest['tables'])} tables, {rows} rows")
