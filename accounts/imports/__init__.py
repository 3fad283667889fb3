"""HR imports of units, jabatan and employees from Excel or CSV (issue #7 item 6).

Upload → dry-run: ``impor_create`` keeps the file (``ImporData``) and a report naming every row's
errors and what it would do (create / update / unchanged); nothing of the instansi is written.
Apply: ``impor_apply`` reads the kept file again, re-checks it against today's data and writes every
row or none in one transaction, then re-resolves the superiors once. Re-importing a file already
applied reports every row unchanged and writes nothing. Every lookup is scoped to the HR admin's
instansi, so a row can never reach another instansi's data."""

from __future__ import annotations

import hashlib
import io
import logging

from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sikap.tabular import ImportReport, TableError, read_table

from ..models import ImporData, Instansi, JenisImpor, StatusImpor, User
from .base import CREATE, UNCHANGED, UPDATE, Importer, Plan
from .jabatan import JabatanImporter
from .pegawai import PegawaiImporter
from .units import UnitImporter

logger = logging.getLogger(__name__)

IMPORTERS: dict[str, type[Importer]] = {
    JenisImpor.UNIT: UnitImporter,
    JenisImpor.JABATAN: JabatanImporter,
    JenisImpor.PEGAWAI: PegawaiImporter,
}

# What ``impor_apply`` answers.
APPLIED, ALREADY_APPLIED, HAS_ERRORS, NOTHING_TO_DO, FAILED = "applied", "already", "errors", "nothing", "failed"

__all__ = [
    "CREATE", "UPDATE", "UNCHANGED", "IMPORTERS", "TableError", "impor_check", "impor_create", "impor_apply",
    "impor_list", "template_workbook",
]  # fmt: skip


def impor_check(*, instansi: Instansi, jenis: str, raw: bytes) -> Plan:
    """The dry-run of ``raw`` for one instansi: reads only (a fixed handful of queries whatever the
    number of rows). Raises TableError when the file is not a readable table."""
    importer = IMPORTERS[jenis](instansi)
    table = read_table(io.BytesIO(raw), required=importer.required, aliases=importer.aliases)
    plan = importer.check(table)
    if not table.rows:
        plan.report.file_error = _("Berkas tidak berisi baris data di bawah judul kolom.")
    plan.importer = importer
    return plan


def _laporan(report: ImportReport) -> dict:
    return {
        "rows": [{"line": r.line, "label": r.label, "action": r.action, "errors": r.errors} for r in report.rows],
        "file_error": report.file_error,
        "counts": {
            CREATE: report.count(CREATE),
            UPDATE: report.count(UPDATE),
            UNCHANGED: report.count(UNCHANGED),
            "errors": len(report.bad_rows),
        },
    }


def impor_create(*, instansi: Instansi, jenis: str, upload, by: User) -> ImporData:
    """Keep the uploaded file under a random name and record its dry-run report. Writes one
    ImporData and the file; nothing else. Raises TableError (nothing kept) for an unreadable file."""
    raw = upload.read()
    plan = impor_check(instansi=instansi, jenis=jenis, raw=raw)
    report = plan.report
    impor = ImporData(
        instansi=instansi,
        jenis=jenis,
        nama_berkas=(getattr(upload, "name", "") or "berkas")[-255:],
        sha256=hashlib.sha256(raw).hexdigest(),
        laporan=_laporan(report),
        jumlah_baris=len(report.rows),
        jumlah_salah=len(report.bad_rows) + (1 if report.file_error else 0),
        dibuat_oleh=by,
    )
    impor.berkas.save("berkas", ContentFile(raw), save=False)
    impor.save()
    return impor


def impor_apply(*, impor: ImporData, by: User) -> str:
    """Apply a clean dry-run: re-read the kept file, re-check it against today's data, and write every
    row or none in one transaction (then the superiors are re-resolved once). Marks the ImporData
    DITERAPKAN with who and when and the counts — the import's audit event.

    Safe to call twice: an import already applied (or being applied) is left alone. A file whose
    dry-run had errors is refused without any write; one that fails now is marked GAGAL."""
    if impor.status == StatusImpor.DITERAPKAN:
        return ALREADY_APPLIED
    if impor.jumlah_salah:
        return HAS_ERRORS
    try:
        with transaction.atomic():
            locked = ImporData.objects.select_for_update().get(pk=impor.pk)
            if locked.status != StatusImpor.DRAF:
                return ALREADY_APPLIED
            with locked.berkas.open("rb") as berkas:
                raw = berkas.read()
            plan = impor_check(instansi=locked.instansi, jenis=locked.jenis, raw=raw)
            report = plan.report
            locked.laporan = _laporan(report)
            if report.bad_rows or report.file_error:
                locked.status = StatusImpor.GAGAL
                locked.jumlah_salah = len(report.bad_rows) + (1 if report.file_error else 0)
                locked.pesan = _("Data instansi berubah sejak uji coba; baris di bawah kini bermasalah.")
                locked.save(update_fields=["laporan", "status", "jumlah_salah", "pesan"])
                outcome = HAS_ERRORS
            elif not plan.changes:
                locked.save(update_fields=["laporan"])
                outcome = NOTHING_TO_DO
            else:
                plan.importer.write(plan)
                locked.status = StatusImpor.DITERAPKAN
                locked.diterapkan_oleh = by
                locked.diterapkan_pada = timezone.now()
                locked.save(update_fields=["laporan", "status", "diterapkan_oleh", "diterapkan_pada"])
                outcome = APPLIED
                logger.info(
                    "impor %s diterapkan: instansi=%s jenis=%s berkas=%s sha256=%s oleh=%s jumlah=%s",
                    locked.pk, locked.instansi_id, locked.jenis, locked.nama_berkas, locked.sha256,
                    by.pk, locked.laporan["counts"],
                )  # fmt: skip
    except (DatabaseError, TableError, OSError) as exc:
        # Everything the transaction wrote is rolled back; only the failure itself is recorded.
        logger.exception("impor %s gagal diterapkan", impor.pk)
        ImporData.objects.filter(pk=impor.pk, status=StatusImpor.DRAF).update(
            status=StatusImpor.GAGAL, pesan=_("Gagal menerapkan impor; tidak ada data yang diubah. (%(galat)s)")
            % {"galat": exc.__class__.__name__},
        )  # fmt: skip
        return FAILED
    impor.refresh_from_db()
    return outcome


# --- Reads for the screens ---------------------------------------------------------------


def impor_list(*, instansi: Instansi) -> QuerySet[ImporData]:
    """The instansi's imports, newest first, with who uploaded and applied them (one query a page)."""
    return (
        ImporData.objects.filter(instansi=instansi)
        .select_related("dibuat_oleh", "diterapkan_oleh")
        .defer("laporan")
        .order_by("-dibuat_pada", "-pk")
    )


def previous_application(*, impor: ImporData) -> ImporData | None:
    """An earlier import of the same file (by SHA-256) already applied to this instansi, if any."""
    return (
        ImporData.objects.filter(instansi_id=impor.instansi_id, sha256=impor.sha256, status=StatusImpor.DITERAPKAN)
        .exclude(pk=impor.pk)
        .defer("laporan")
        .order_by("-diterapkan_pada")
        .first()
    )


def template_workbook(jenis: str) -> bytes:
    """An .xlsx with the expected headers and one example row; every cell is text, so an
    18-digit NIP is not turned into a rounded number by Excel."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    importer = IMPORTERS[jenis]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(importer.title)[:31]
    sheet.append([header for header, _example in importer.template])
    sheet.append([example for _header, example in importer.template])
    for column, cells in enumerate(sheet.iter_cols(min_row=1, max_row=200), start=1):
        for cell in cells:
            cell.number_format = "@"
        sheet.column_dimensions[cells[0].column_letter].width = max(14, len(importer.template[column - 1][0]) + 4)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
