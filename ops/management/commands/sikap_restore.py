"""``manage.py sikap_restore DIR --yes``: replace the database and MEDIA_ROOT with a backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = "Restore a sikap_backup directory: checks the manifest, replaces the database and MEDIA_ROOT."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="a directory written by sikap_backup")
        parser.add_argument("--yes", action="store_true", help="confirm: the current data is replaced")
        parser.add_argument("--database", default="default")

    def handle(self, *args, source, yes=False, database="default", **options):
        try:
            manifest = backup_verify(source)
            if not yes:
                raise CommandError(
                    f"this replaces the database and MEDIA_ROOT with the backup of {manifest['created_at']}; "
                    "run again with --yes"
                )
            backup_restore(source=source, using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored the backup of {manifest['created_at']} ({len(manifest['tables'])} tables)")
