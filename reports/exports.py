"""Excel and CSV files of the dashboard, the rater-consistency table and the annual results
(issue 7 item 5). Headers are Indonesian; numbers are written as numbers so spreadsheets sum them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from appraisal import rules

from .selectors import PREDIKAT_LABELS, Dashboard, Leniency, Panels, Rekap

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_WIDTH = 50


def _sheet(wb: Workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence]):
    """A sheet with a bold, frozen header row and columns as wide as their longest value."""
    ws = wb.create_sheet(title[:31])
    ws.append([str(h) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(list(row))
    ws.freeze_panes = "A2"
    for index, column in enumerate(ws.iter_cols(), start=1):
        longest = max(len(str(c.value)) if c.value is not None else 0 for c in column)
        ws.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, longest + 2)
    return ws


def _workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)  # each sheet is added by _sheet, with its title
    return wb


def xlsx_response(wb: Workbook, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def dashboard_workbook(board: Dashboard, panels: Panels | None = None) -> Workbook:
    """Every table of the dashboard, one sheet each: SKP progress per unit, evaluation progress with
    the predikat distribution, the distribution of the scope, and (with ``panels``) the 9-box, the
    follow-up recommendations and the IKM of the service units."""
    wb = _workbook()
    skp_headers = [_("Unit kerja"), _("Pegawai aktif")] + [label for _k, label, _c in board.skp_headers]
    skp_headers.append(_("Disetujui (%)"))
    _sheet(
        wb,
        _("Progres SKP"),
        skp_headers,
        (
            [r.label, r.skp.aktif if r.skp else 0]
            + [n for _k, n in r.skp_cells]
            + [r.skp.persen_disetujui if r.skp else 0]
            for r in board.rows
        ),
    )
    headers = [_("Unit kerja"), _("Pegawai"), _("Evaluasi final"), _("Final (%)")]
    headers += [label for _k, label, _c in board.predikat_headers]
    headers += [_("Capaian kinerja organisasi"), _("Unit penentu"), _("Pola distribusi")]
    _sheet(wb, _("Evaluasi & predikat"), headers, (_evaluation_row(r) for r in board.rows))
    _sheet(wb, _("Distribusi predikat"), [_("Predikat"), _("Pegawai")], ([str(lb), n] for lb, _c, n in board.legend))
    if panels is not None:
        _panel_sheets(wb, panels)
    return wb


KINERJA_LABELS = {
    "DI_ATAS": gettext_lazy("Di Atas Ekspektasi"),
    "SESUAI": gettext_lazy("Sesuai Ekspektasi"),
    "DI_BAWAH": gettext_lazy("Di Bawah Ekspektasi"),
}


def _panel_sheets(wb: Workbook, panels: Panels) -> None:
    _sheet(
        wb,
        _("Kotak talenta"),
        [_("Kotak"), _("Kinerja"), _("Jumlah pegawai"), _("Rekomendasi")],
        (
            [c["kotak"], str(KINERJA_LABELS[c["kinerja"]]), c["jumlah"], str(c["rekomendasi"])]
            for c in panels.grid_cells
        ),
    )
    _sheet(
        wb,
        _("Rekomendasi"),
        [_("Jenis"), _("Jumlah pegawai")],
        ([panel.label, panel.jumlah] for panel in panels.rekomendasi),
    )
    _sheet(
        wb,
        _("IKM unit layanan"),
        [_("Unit layanan"), _("Periode survei"), _("Responden"), _("IKM"), _("Mutu pelayanan"), _("Kinerja unit")],
        (
            [
                r.unit_layanan.nama_publik,
                str(r.periode) if r.periode else "",
                r.skor.responden if r.skor else 0,
                float(r.skor.ikm) if r.skor and r.skor.ikm is not None else None,
                r.skor.mutu if r.skor else "",
                str(r.skor.kinerja) if r.skor else "",
            ]
            for r in panels.ikm
        ),
    )


def late_workbook(skp_rows, evaluasi_rows) -> Workbook:
    """The drill-down: employees behind with their SKP, and those whose evaluation is not FINAL."""
    wb = _workbook()
    ws = _sheet(
        wb,
        _("SKP terlambat"),
        [_("NIP"), _("Nama"), _("Unit kerja"), _("Pejabat penilai"), _("Status SKP")],
        (
            [
                p.nip,
                p.nama,
                p.unit.nama if p.unit else "",
                p.pejabat_penilai.nama if p.pejabat_penilai else "",
                str(p.skp_status_label),
            ]
            for p in skp_rows
        ),
    )
    _nip_as_text(ws)
    ws = _sheet(
        wb,
        _("Evaluasi belum final"),
        [_("NIP"), _("Nama"), _("Unit kerja"), _("Pejabat penilai"), _("Status evaluasi")],
        (
            [
                h.pegawai.nip,
                h.pegawai.nama,
                h.unit.nama if h.unit else "",
                h.skp.pejabat_penilai.nama if h.skp and h.skp.pejabat_penilai else "",
                h.status_label,
            ]
            for h in evaluasi_rows
        ),
    )
    _nip_as_text(ws)
    return wb


def _nip_as_text(ws) -> None:
    for cell in ws["A"][1:]:
        cell.number_format = "@"  # an 18-digit NIP would lose digits as a number


def rekap_workbook(rekap: Rekap) -> Workbook:
    """The annual predikat recap per unit, with a total row (the PDF's numbers)."""
    wb = _workbook()
    headers = [_("Unit kerja"), _("Pegawai"), *rekap.headers, _("Belum ada predikat"), _("Evaluasi final")]
    rows = [["\u2003" * r.depth + r.label, r.pegawai, *r.cells, r.belum, r.final] for r in [*rekap.rows, rekap.total]]
    ws = _sheet(wb, _("Rekap predikat %(tahun)s") % {"tahun": rekap.tahun}, headers, rows)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    return wb


def _evaluation_row(row) -> list:
    dist = row.distribution
    status = ""
    if dist is not None and dist.ok is not None:
        status = _("Sesuai") if dist.ok else _("Tidak sesuai")
    return (
        [row.label, row.pegawai, row.final, row.persen_final]
        + [n for _k, n in row.predikat_cells]
        + [
            dist.capaian_label if dist else "",
            dist.governing.nama if dist and dist.governing else "",
            str(status),
        ]
    )


def leniency_workbook(board: Leniency) -> Workbook:
    wb = _workbook()
    headers = [_("Pejabat penilai"), _("NIP"), _("Unit kerja"), _("Jumlah dinilai")]
    headers += [label for _k, label, _c in board.predikat_headers]
    headers += [_("Sangat Baik (%)"), _("Sangat Baik unit (%)"), _("Sangat Baik instansi (%)"), _("Semua sama")]
    rows = (
        [r.penilai.nama, r.penilai.nip, r.unit_label, r.given.total]
        + [r.given.counts[k] for k in rules.PREDIKAT_ORDER]
        + [
            r.persen_sangat_baik,
            r.unit.percent("SANGAT_BAIK"),
            board.instansi.percent("SANGAT_BAIK"),
            str(PREDIKAT_LABELS.get(r.same_for_everyone, "")),
        ]
        for r in board.raters
    )
    _sheet(wb, _("Konsistensi penilai"), headers, rows)
    return wb


# Column names of the national system's import file (not translated: the file is read by a machine).
HASIL_TAHUNAN_HEADERS = ["NIP", "NAMA", "PERIODE", "RATING HASIL KERJA", "RATING PERILAKU KERJA", "PREDIKAT KINERJA"]


def hasil_tahunan_workbook(rows: list[list]) -> Workbook:
    wb = _workbook()
    ws = _sheet(wb, "Hasil Kinerja Tahunan", HASIL_TAHUNAN_HEADERS, rows)
    for cell in ws["A"][1:]:
        cell.number_format = "@"  # an 18-digit NIP would lose digits as a number
    return wb


def hasil_tahunan_csv(rows: list[list], filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(HASIL_TAHUNAN_HEADERS)
    writer.writerows(rows)
    return response
