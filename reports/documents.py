"""The printable recap of annual predikat per unit (issue 7 item 5): A4 landscape, one row per unit
(the employees placed directly in it, so the rows add up), the five predikat, and the totals. Built
with the reportlab helpers of the evaluation documents, from ``selectors.rekap_predikat``."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from appraisal.pdf_common import (
    BODY,
    BOLD,
    CENTER,
    GROUP_BG,
    HEAD,
    HEAD_BG,
    RIGHT_BOLD,
    TITLE,
    build_pdf,
    p,
    page_decoration,
    table,
    tanggal_indonesia,
)

from .selectors import Rekap

PAGESIZE = landscape(A4)
MARGIN_X = 12 * mm
INDENT = 4 * mm


def _number(n: int, style=CENTER):
    return p(str(n), style)


def rekap_predikat_pdf(rekap: Rekap) -> bytes:
    """The recap as PDF bytes."""
    width = PAGESIZE[0] - 2 * MARGIN_X
    numbers = 9  # pegawai, five predikat, belum, final, % final
    unit_width = width - numbers * 22 * mm
    widths = [unit_width] + [22 * mm] * numbers
    header = [p(_("Unit kerja"), HEAD), p(_("Pegawai"), HEAD)]
    header += [p(label, HEAD) for label in rekap.headers]
    header += [p(_("Belum ada predikat"), HEAD), p(_("Evaluasi final"), HEAD), p(_("Final (%)"), HEAD)]
    rows = [header]
    for row in rekap.rows:
        indent = ParagraphStyle(f"indent-{row.depth}", parent=BODY, leftIndent=row.depth * INDENT)
        rows.append(_line(p(row.label, indent), row))
    rows.append(_line(p(_("Jumlah"), BOLD), rekap.total, bold=True))
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), GROUP_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    scope = rekap.scope.nama if rekap.scope else rekap.instansi.nama
    story = [
        p(_("REKAPITULASI PREDIKAT KINERJA TAHUNAN PER UNIT KERJA"), TITLE),
        p(f"{scope.upper()} — {_('TAHUN')} {rekap.tahun}", TITLE),
        Spacer(1, 5 * mm),
    ]
    if rekap.periode is None or not rekap.rows:
        story.append(p(_("Belum ada hasil evaluasi tahunan untuk tahun ini."), BODY))
    else:
        story.append(table(rows, widths, style=style, header_rows=1))
    footer = _("Dicetak dari SIKAP pada %(tanggal)s") % {"tanggal": tanggal_indonesia(timezone.localdate())}
    return build_pdf(
        story,
        pagesize=PAGESIZE,
        margins=(MARGIN_X, 12 * mm, 15 * mm),
        on_page=page_decoration(pagesize=PAGESIZE, footer=footer, margin_x=MARGIN_X),
        title=str(_("Rekapitulasi predikat kinerja tahunan %(tahun)s") % {"tahun": rekap.tahun}),
        author=rekap.instansi.nama,
    )


def _line(label, row, *, bold: bool = False) -> list:
    style = RIGHT_BOLD if bold else CENTER
    persen = round(100 * row.final / row.pegawai) if row.pegawai else 0
    return (
        [label, _number(row.pegawai, style)]
        + [_number(n, style) for n in row.cells]
        + [_number(row.belum, style), _number(row.final, style), _number(persen, style)]
    )


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response
