"""Issue 9 item 6: backup and restore of the database and the uploaded files, on whichever database
the suite runs (CI runs it on SQLite and on PostgreSQL; the PostgreSQL round trip into a scratch
database is also in tests/services/test_backup_postgres.py)."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import Instansi, Pegawai
from ops.backup import DUMP_NAME, MANIFEST, MEDIA_ARCHIVE


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def upload(name: str, content: bytes) -> str:
    return default_storage.save(name, ContentFile(content))


def test_a_backup_restores_the_rows_and_the_uploaded_files_as_they_were(transactional_db, org, media, tmp_path):
    bukti = upload("bukti/2026/laporan rujukan.pdf", b"%PDF-1.7 laporan")
    pegawai = Pegawai.objects.count()
    call_command("sikap_backup", output=tmp_path / "backup")

    # After the backup: a rename, a deleted upload, a new upload, an instansi that did not exist.
    Instansi.objects.filter(pk=org.instansi.pk).update(nama="Nama yang salah")
    default_storage.delete(bukti)
    later = upload("bukti/2026/sesudah.pdf", b"%PDF later")
    Instansi.objects.create(kode="baru", nama="Instansi baru")

    call_command("sikap_restore", tmp_path / "backup", yes=True)

    assert Instansi.objects.get(pk=org.instansi.pk).nama == "Pemerintah Kota Uji"
    assert not Instansi.objects.filter(kode="baru").exists() and Pegawai.objects.count() == pegawai
    assert (media / bukti).read_bytes() == b"%PDF-1.7 laporan"
    assert not (media / later).exists()


def test_the_manifest_names_the_vendor_the_counts_and_the_checksums(transactional_db, org, media, tmp_path):
    call_command("sikap_backup", output=tmp_path / "backup")
    manifest = json.loads((tmp_path / "backup" / MANIFEST).read_text())
    assert manifest["vendor"] == connection.vendor and manifest["created_at"]
    assert manifest["tables"]["accounts_pegawai"] == Pegawai.objects.count()
    assert "appraisal_historicalevaluasi" in manifest["tables"]  # the history comes along
    assert set(manifest["files"]) == {DUMP_NAME[connection.vendor], MEDIA_ARCHIVE}
    assert all(len(f["sha256"]) == 64 for f in manifest["files"].values())


def test_a_restore_without_yes_changes_nothing(transactional_db, org, media, tmp_path):
    call_command("sikap_backup", output=tmp_path / "backup")
    Instansi.objects.filter(pk=org.instansi.pk).update(nama="Sesudah backup")
    with pytest.raises(CommandError, match="--yes"):
        call_command("sikap_restore", tmp_path / "backup")
    assert Instansi.objects.get(pk=org.instansi.pk).nama == "Sesudah backup"


def test_a_damaged_backup_is_refused_before_anything_is_replaced(transactional_db, org, media, tmp_path):
    call_command("sikap_backup", output=tmp_path / "backup")
    with (tmp_path / "backup" / MEDIA_ARCHIVE).open("ab") as archive:
        archive.write(b"corrupted")
    Instansi.objects.filter(pk=org.instansi.pk).update(nama="Sesudah backup")
    with pytest.raises(CommandError, match="SHA-256"):
        call_command("sikap_restore", tmp_path / "backup", yes=True)
    assert Instansi.objects.get(pk=org.instansi.pk).nama == "Sesudah backup"


def test_a_backup_never_writes_into_a_directory_holding_something_else(db, media, tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "notes.txt").write_text("keep")
    with pytest.raises(CommandError, match="not empty"):
        call_command("sikap_backup", output=tmp_path / "backup")
