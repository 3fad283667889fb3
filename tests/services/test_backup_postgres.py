"""Issue 9 item 6 on PostgreSQL: ``sikap_backup`` (pg_dump, custom format) of the test database,
then ``sikap_restore`` on "another machine" — a subprocess with its own DATABASE_URL naming a
scratch database and its own MEDIA_ROOT — first into an empty database, then over a changed one."""

import os
import subprocess
import sys
import uuid
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from accounts.models import Pegawai

pytestmark = pytest.mark.services


def database_url(name: str) -> str:
    return urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path="/" + name))


def admin_sql(sql: str) -> None:
    conn = psycopg2.connect(database_url("postgres"))
    conn.autocommit = True  # CREATE/DROP DATABASE refuse to run in a transaction
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


def query(name: str, sql: str):
    conn = psycopg2.connect(database_url(name))
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()
    finally:
        conn.close()


@pytest.fixture
def scratch_database():
    name = f"sikap_restore_{uuid.uuid4().hex[:10]}"
    admin_sql(f"CREATE DATABASE {name}")
    yield name
    admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def restore(source, *, database: str, media) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url(database), "DJANGO_MEDIA_ROOT": str(media)}
    return subprocess.run(
        [sys.executable, "manage.py", "sikap_restore", str(source), "--yes"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_a_postgresql_backup_restores_into_an_empty_database_and_over_a_changed_one(
    transactional_db, org, settings, tmp_path, scratch_database
):
    settings.MEDIA_ROOT = tmp_path / "media"
    bukti = default_storage.save("bukti/2026/laporan.pdf", ContentFile(b"%PDF-1.7 laporan"))
    call_command("sikap_backup", output=tmp_path / "backup")
    assert (tmp_path / "backup" / "database.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    restored_media = tmp_path / "restored-media"
    done = restore(tmp_path / "backup", database=scratch_database, media=restored_media)
    assert done.returncode == 0, done.stderr
    assert query(scratch_database, "SELECT nama FROM accounts_instansi") == [("Pemerintah Kota Uji",)]
    assert query(scratch_database, "SELECT COUNT(*) FROM accounts_pegawai") == [(Pegawai.objects.count(),)]
    assert (restored_media / bukti).read_bytes() == b"%PDF-1.7 laporan"

    # Over a database that moved on: the backup's rows replace the new ones.
    conn = psycopg2.connect(database_url(scratch_database))
    with conn, conn.cursor() as cursor:
        cursor.execute("UPDATE accounts_instansi SET nama = 'Sesudah backup'")
    conn.close()
    done = restore(tmp_path / "backup", database=scratch_database, media=restored_media)
    assert done.returncode == 0, done.stderr
    assert query(scratch_database, "SELECT nama FROM accounts_instansi") == [("Pemerintah Kota Uji",)]
