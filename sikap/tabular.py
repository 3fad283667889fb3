"""Reading an uploaded table — CSV (comma, semicolon or tab, UTF-8 or Windows-1252) or Excel
(.xlsx) — into rows of text keyed by normalised header names, for the importers of employees,
jabatan, units and realisations. The kind of file is told by its content, not its name.

Every problem with the file as a whole raises ``TableError`` with a message in the user's language;
problems with single rows are the importer's business (``RowReport``)."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
XLSX_MAGIC = b"PK\x03\x04"


class TableError(ValueError):
    """The file cannot be read as a table; the message says why, for the person who uploaded it."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number in the file, values by header)


def normalise_header(text: object) -> str:
    """'NIP Baru' → 'nip_baru', ' Unit  Kerja. ' → 'unit_kerja'."""
    return re.sub(r"[^0-9a-z]+", "_", str(text or "").strip().lower()).strip("_")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError(_("Berkas tidak dapat dibaca sebagai teks CSV; simpan ulang sebagai CSV UTF-8 atau Excel."))


def _csv_rows(raw: bytes) -> Iterable[list[str]]:
    if b"\x00" in raw[:4096]:
        raise TableError(_("Berkas bukan CSV atau Excel (.xlsx)."))
    text = _decode(raw)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.reader(io.StringIO(text, newline=""), dialect)


def _xlsx_rows(raw: bytes) -> Iterable[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign zip
        raise TableError(_("Berkas Excel rusak atau bukan .xlsx.")) from exc
    sheet = workbook.worksheets[0]
    return ([_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True))


def read_table(
    upload,
    *,
    required: Sequence[str],
    aliases: dict[str, str] | None = None,
    max_rows: int = MAX_ROWS,
) -> Table:
    """Read ``upload`` (a Django UploadedFile or any file-like object) into a Table.

    The first non-empty row is the header. ``aliases`` maps other header spellings (normalised) to
    the importer's names, e.g. ``{"nip_baru": "nip"}``. Every ``required`` header must be present.
    Fully empty rows are skipped; line numbers count them so a report points at the right line."""
    raw = upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise TableError(_("Berkas lebih dari 10 MB; bagi menjadi beberapa berkas."))
    if not raw.strip():
        raise TableError(_("Berkas kosong."))
    lines = _xlsx_rows(raw) if raw.startswith(XLSX_MAGIC) else _csv_rows(raw)
    aliases = aliases or {}
    headers: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for number, values in enumerate(lines, start=1):
            values = [_cell_text(v) for v in values]
            if not any(values):
                continue
            if headers is None:
                headers = [aliases.get(normalise_header(v), normalise_header(v)) for v in values]
                missing = [name for name in required if name not in headers]
                if missing:
                    raise TableError(
                        _("Kolom wajib tidak ditemukan: %(kolom)s. Baris pertama harus berisi judul kolom.")
                        % {"kolom": ", ".join(missing)}
                    )
                continue
            if len(rows) >= max_rows:
                raise TableError(
                    _("Berkas berisi lebih dari %(n)s baris; bagi menjadi beberapa berkas.") % {"n": max_rows}
                )
            rows.append((number, {h: (values[i] if i < len(values) else "") for i, h in enumerate(headers) if h}))
    except csv.Error as exc:
        raise TableError(_("Berkas CSV tidak valid: %(error)s") % {"error": exc}) from exc
    if headers is None:
        raise TableError(_("Berkas kosong."))
    return Table(headers=headers, rows=rows)


def parse_decimal(text: str) -> Decimal | None:
    """A number as people write it in Indonesian or English spreadsheets: '1.234,5', '1234.5',
    '85,25', '90'. None when it is not a number."""
    text = text.strip().replace(" ", "")
    if not text:
        return None
    if "," in text and "." in text:
        # The later separator is the decimal one.
        text = text.replace(".", "").replace(",", ".") if text.rfind(",") > text.rfind(".") else text.replace(",", "")
    elif "," in text:
        text = text.replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return None
    return Decimal(text)


@dataclass
class RowReport:
    """One row of an import's dry-run: where it is, what it would do, and what is wrong with it."""

    line: int
    label: str
    action: str = ""  # "create", "update", "unchanged"
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportReport:
    """The dry-run (or commit) result of a whole file. ``committed`` is True only when every row was
    clean and the rows were written in one transaction."""

    rows: list[RowReport]
    file_error: str = ""
    committed: bool = False

    @property
    def bad_rows(self) -> list[RowReport]:
        return [r for r in self.rows if r.errors]

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.bad_rows and bool(self.rows)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.ok and r.action == action)
