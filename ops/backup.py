"""Backup and restore of a SIKAP installation: the database and the uploaded files (issue 9 item 6).

A backup is one directory:

- ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite,
  the sqlite3 online-backup API: a consistent copy while the site runs);
- ``media.tar.gz``: everything under MEDIA_ROOT (bukti dukung, imports);
- ``manifest.json``: when, which database vendor, the row count of every table, and the size and
  SHA-256 of both files. A restore refuses files that do not match, and checks the counts after.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.utils import timezone

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
DUMP_NAME = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def table_counts(using: str = "default") -> dict[str, int]:
    """Rows per table of every installed model (history tables included), by table name."""
    connection = connections[using]
    tables = sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed})
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        counts = {}
        for table in (t for t in tables if t in existing):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _pg_env_and_args(settings_dict: dict) -> tuple[dict, list[str]]:
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [flag, str(settings_dict[key])]
    return env, args


def _run(command: list[str], env: dict) -> None:
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client)") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{command[0]} failed: {exc.stderr.strip()[-2000:]}") from exc


def _dump_database(target: Path, using: str) -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args(connection.settings_dict)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args,
              f"--file={target}", connection.settings_dict["NAME"]], env)  # fmt: skip
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        raise BackupError(f"no backup for the {connection.vendor} database")


def _archive_media(target: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(target, "w:gz") as archive:
        if media.is_dir():
            for path in sorted(media.rglob("*")):
                archive.add(path, arcname=str(path.relative_to(media)), recursive=False)


def backup_create(*, output: Path, using: str = "default") -> dict:
    """Write the database dump, the media archive and the manifest into ``output`` (created; must
    be empty). Returns the manifest."""
    output.mkdir(parents=True, exist_ok=True)
    if any(output.iterdir()):
        raise BackupError(f"{output} is not empty")
    vendor = connections[using].vendor
    if vendor not in DUMP_NAME:
        raise BackupError(f"no backup for the {vendor} database")
    counts = table_counts(using)  # before the dump: a busy site may add rows while it runs
    _dump_database(output / DUMP_NAME[vendor], using)
    _archive_media(output / MEDIA_ARCHIVE)
    manifest = {
        "created_at": timezone.now().isoformat(),
        "vendor": vendor,
        "database": str(connections[using].settings_dict["NAME"]),
        "tables": counts,
        "files": {
            name: {"sha256": sha256(output / name), "bytes": (output / name).stat().st_size}
            for name in (DUMP_NAME[vendor], MEDIA_ARCHIVE)
        },
    }
    (output / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def backup_verify(source: Path) -> dict:
    """Read the manifest of the backup in ``source`` and check every file against it."""
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"no readable {MANIFEST} in {source}: {exc}") from exc
    for name, expected in manifest["files"].items():
        path = source / name
        if not path.is_file() or sha256(path) != expected["sha256"]:
            raise BackupError(f"{name} is missing or does not match its SHA-256 in the manifest")
    return manifest


def _restore_database(source: Path, manifest: dict, using: str) -> None:
    connection = connections[using]
    if connection.vendor != manifest["vendor"]:
        raise BackupError(f"the backup is of a {manifest['vendor']} database, the target is {connection.vendor}")
    dump = source / DUMP_NAME[connection.vendor]
    if connection.vendor == "postgresql":
        connection.close()  # our own session must not hold locks on the tables being replaced
        env, args = _pg_env_and_args(connection.settings_dict)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", *args, f"--dbname={connection.settings_dict['NAME']}", str(dump)], env)  # fmt: skip
    else:
        connection.ensure_connection()
        with sqlite3.connect(dump) as copy:
            copy.backup(connection.connection)
        copy.close()


def _restore_media(source: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        shutil.rmtree(media)  # what was uploaded after the backup goes, as the rows naming it do
    media.mkdir(parents=True)
    with tarfile.open(source / MEDIA_ARCHIVE, "r:gz") as archive:
        archive.extractall(media, filter="data")  # "data": no absolute paths, no links out of MEDIA_ROOT


def backup_restore(*, source: Path, using: str = "default") -> dict:
    """Replace the database ``using`` and MEDIA_ROOT with the backup in ``source``, after checking
    its files against the manifest; then check the row counts. Returns the manifest."""
    manifest = backup_verify(source)
    _restore_database(source, manifest, using)
    _restore_media(source)
    counts = table_counts(using)
    differ = sorted(t for t, n in manifest["tables"].items() if counts.get(t) != n)
    if differ:
        raise BackupError(f"row counts differ from the manifest after the restore: {', '.join(differ[:10])}")
    return manifest
