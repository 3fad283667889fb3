"""What the printed forms share (the SKP, the evaluation sheet and the evaluation record):
Indonesian dates, the styles, the wrapping table cells, the identity table, the signature
blocks, the draft watermark and the "Halaman X dari Y" footer.

The forms are prescribed by PermenPANRB 6/2022, so everything here prints in Indonesian.
Only the 14 standard PDF fonts are used (no font files to ship): text must stay within
WinAnsi, e.g. "min." rather than "≥".
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def tanggal_indonesia(day: datetime.date) -> str:
    """``15 Januari 2026``."""
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


def periode_penilaian(mulai: datetime.date, selesai: datetime.date, *, kata_tahun: bool = True) -> str:
    """``PERIODE PENILAIAN: 1 JULI SD 31 DESEMBER TAHUN 2026`` (the SKP, rules §1.4.2), or without
    the word TAHUN (``… SD 31 MARET 2026``) as on the evaluation forms (rules §1.9.1–§1.9.2)."""
    awal = f"{mulai.day} {BULAN[mulai.month - 1]}"
    if mulai.year != selesai.year:
        awal = f"{awal} {mulai.year}"
    akhir = f"{selesai.day} {BULAN[selesai.month - 1]} {'TAHUN ' if kata_tahun else ''}{selesai.year}"
    return f"PERIODE PENILAIAN: {awal} SD {akhir}".upper()


# --- Styles ---------------------------------------------------------------------------------------

FONT, FONT_BOLD = "Helvetica", "Helvetica-Bold"
HEAD_BG = colors.HexColor("#d9d9d9")
GROUP_BG = colors.HexColor("#f2f2f2")
DRAFT_RED = colors.HexColor("#b00020")

BODY = ParagraphStyle("body", fontName=FONT, fontSize=8.5, leading=10.5)
BOLD = ParagraphStyle("bold", parent=BODY, fontName=FONT_BOLD)
HEAD = ParagraphStyle("head", parent=BOLD, alignment=TA_CENTER)
CENTER = ParagraphStyle("center", parent=BODY, alignment=TA_CENTER)
RIGHT_BOLD = ParagraphStyle("right", parent=BOLD, alignment=TA_RIGHT)
TITLE = ParagraphStyle("title", fontName=FONT_BOLD, fontSize=11, leading=14, alignment=TA_CENTER)
BULLET = ParagraphStyle("bullet", parent=BODY, leftIndent=9, bulletIndent=1)
BANNER = ParagraphStyle(
    "banner", parent=BOLD, fontSize=10, leading=13, alignment=TA_CENTER, textColor=DRAFT_RED,
    borderColor=DRAFT_RED, borderWidth=1, borderPadding=4,
)  # fmt: skip
NOTE = ParagraphStyle("note", parent=BODY, fontName="Helvetica-Oblique", fontSize=7.5, spaceBefore=2)
SIGN = ParagraphStyle("sign", parent=BODY, fontSize=9, leading=11.5, alignment=TA_CENTER)

GRID = [
    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
]
CELL_PAD_X, CELL_PAD_Y = 6, 5  # GRID's paddings, left + right and top + bottom


def p(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A wrapping cell: user text is escaped (platypus reads markup) and keeps its line breaks."""
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


def table(rows, widths, *, style=(), header_rows=0) -> Table:
    # Rows never split inside (reportlab's splitInRow repeats the header mid-page and overflows the
    # frame); a row that could outgrow a page is cut into continuation rows first (split_tall_row).
    grid = Table(rows, colWidths=widths, repeatRows=header_rows, hAlign=TA_LEFT)
    grid.setStyle(TableStyle(GRID + list(style)))
    return grid


def cell_height(cell, width: float) -> float:
    """The height a cell takes in a GRID table column ``width`` wide (0 for an empty cell)."""
    flowables = cell if isinstance(cell, list | tuple) else [cell]
    inner = sum(f.wrap(width - CELL_PAD_X, 10_000)[1] for f in flowables if hasattr(f, "wrap"))
    return inner + CELL_PAD_Y if inner else 0


def split_tall_row(row: list, widths: list[float], limit: float) -> list[list]:
    """``row``, or, when one of its text cells is taller than ``limit``, several rows that carry
    the text on: long free text (3 000 characters of feedback in a narrow column) then breaks
    across pages instead of making the table unprintable."""
    pieces = []
    for col, cell in enumerate(row):
        if isinstance(cell, Paragraph) and cell_height(cell, widths[col]) > limit:
            pieces.append(_split_paragraph(cell, widths[col] - CELL_PAD_X, limit - CELL_PAD_Y))
        else:
            pieces.append([cell])
    count = max(len(piece) for piece in pieces)
    return [[piece[i] if i < len(piece) else "" for piece in pieces] for i in range(count)]


def _split_paragraph(paragraph: Paragraph, width: float, height: float) -> list[Paragraph]:
    parts, rest = [], paragraph
    while rest.wrap(width, height)[1] > height:
        halves = rest.split(width, height)
        if len(halves) < 2:  # not even one line fits: leave it whole (render() then falls back)
            break
        parts.append(halves[0])
        rest = halves[1]
    return [*parts, rest]


# --- Shared blocks --------------------------------------------------------------------------------

IDENTITY_ROWS = (
    ("NAMA", "nama"),
    ("NIP", "nip"),
    ("PANGKAT/GOL. RUANG", "pangkat"),
    ("JABATAN", "jabatan"),
    ("UNIT KERJA", "unit"),
)


def identity_table(pegawai: dict, penilai: dict, width: float) -> Table:
    """PEGAWAI YANG DINILAI | PEJABAT PENILAI KINERJA side by side (rules §1.4.2, §1.9.1)."""
    rows = [[p("NO", HEAD), p("PEGAWAI YANG DINILAI", HEAD), "", p("NO", HEAD), p("PEJABAT PENILAI KINERJA", HEAD), ""]]
    for n, (label, key) in enumerate(IDENTITY_ROWS, start=1):
        rows.append(
            [p(str(n), CENTER), p(label), p(pegawai.get(key) or "-")]
            + [p(str(n), CENTER), p(label), p(penilai.get(key) or "-")]
        )
    half = width / 2
    widths = [9 * mm, 42 * mm, half - 51 * mm] * 2
    style = [("SPAN", (1, 0), (2, 0)), ("SPAN", (4, 0), (5, 0)), ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG)]
    return table(rows, widths, style=style)


def tempat_tanggal(kota: str, tanggal: datetime.date | None) -> str:
    """``Dumai, 15 Januari 2026``; dots to fill in by hand while the date is not known."""
    day = tanggal_indonesia(tanggal) if tanggal else "...................."
    return f"{kota}, {day}" if kota else day


def signatures(
    *, kota: str, tanggal: datetime.date | None, left: tuple[str, dict], right: tuple[str, dict], width: float
) -> list:
    """Place and date over the right block; each block a title, room to sign, the name and NIP."""

    def block(heading: str, title: str, person: dict) -> list:
        return [
            Paragraph(escape(heading) or "&nbsp;", SIGN),
            p(title, SIGN),
            Spacer(1, 16 * mm),  # room to sign
            Paragraph(f"<u><b>{escape(person.get('nama') or '-')}</b></u>", SIGN),
            p(f"NIP. {person.get('nip') or '-'}", SIGN),
        ]

    # One row, so the table cannot split: a name never parts from its title across a page.
    grid = Table(
        [[block("", *left), block(tempat_tanggal(kota, tanggal), *right)]],
        colWidths=[width / 2] * 2,
        style=[("VALIGN", (0, 0), (-1, -1), "TOP")],
    )
    return [Spacer(1, 5 * mm), grid]


# --- Page furniture and building --------------------------------------------------------------------


class NumberedCanvas(pdfcanvas.Canvas):
    """Writes "Halaman X dari Y": pages are held back until the total is known."""

    margin_x = 15 * mm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(FONT, 8)
            page_width = self._pagesize[0]
            self.drawRightString(
                page_width - self.margin_x, 8 * mm, f"Halaman {self._pageNumber} dari {len(self._pages)}"
            )
            super().showPage()
        super().save()


def page_decoration(*, pagesize, footer: str, watermark: str = "", margin_x: float = 15 * mm) -> Callable:
    """An onPage callback: the draft watermark (drawn first, so it lies beneath the tables) and the footer."""

    def on_page(canvas, _template):
        canvas.saveState()
        if watermark:
            canvas.setFillColor(colors.HexColor("#f3c4cb"))
            canvas.setFont(FONT_BOLD, 64 if pagesize[0] > pagesize[1] else 48)
            canvas.translate(pagesize[0] / 2, pagesize[1] / 2)
            canvas.rotate(25 if pagesize[0] > pagesize[1] else 50)
            canvas.drawCentredString(0, -20, watermark)
        canvas.restoreState()
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.black)
        canvas.drawString(margin_x, 8 * mm, footer)
        canvas.restoreState()

    return on_page


def build_pdf(story: list, *, pagesize, margins: tuple[float, float, float], on_page: Callable, **meta) -> bytes:
    """The PDF of ``story``; ``margins`` = (left and right, top, bottom); ``meta``: title, author, subject."""
    margin_x, margin_top, margin_bottom = margins
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=margin_x,
        rightMargin=margin_x,
        topMargin=margin_top,
        bottomMargin=margin_bottom,
        creator="SIKAP",
        lang="id-ID",
        **meta,
    )
    canvasmaker = type("Canvas", (NumberedCanvas,), {"margin_x": margin_x})
    template.build(story, onFirstPage=on_page, onLaterPages=on_page, canvasmaker=canvasmaker)
    return buffer.getvalue()


# --- Tick boxes ------------------------------------------------------------------------------------

BOX = 3.4 * mm


class TickBox(Flowable):
    """A tick box; a ticked one holds an X, which is also what the PDF's text says."""

    def __init__(self, ticked: bool):
        super().__init__()
        self.ticked = ticked

    def wrap(self, *_args):
        return BOX, BOX

    def draw(self):
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, 0, BOX, BOX)
        if self.ticked:
            self.canv.setFont(FONT_BOLD, 8.5)
            self.canv.drawCentredString(BOX / 2, 0.7 * mm, "X")


def options_row(judul: str, options: list[tuple[str, str]], chosen: str, *, width: float, label_width: float) -> Table:
    """A form line such as ``RATING HASIL KERJA  [ ] DI ATAS  [X] SESUAI  [ ] DI BAWAH``: every option
    behind a tick box, the chosen one ticked and bold. Each option gets the room its label needs
    (so KURANG/MISCONDUCT stays on one line) and an equal share of what is left."""
    gap = BOX + 2 * mm  # the box and the space after it
    natural = [stringWidth(label, FONT_BOLD, BODY.fontSize) + gap + CELL_PAD_X + 2 for _value, label in options]
    spare = max(0.0, (width - label_width - sum(natural)) / len(options))
    widths = [n + spare for n in natural]
    cells = [p(judul, BOLD)]
    for (value, label), option_width in zip(options, widths, strict=True):
        picked = bool(chosen) and value == chosen
        inner = Table(
            [[TickBox(picked), p(label, BOLD if picked else BODY)]],
            colWidths=[gap, option_width - gap - CELL_PAD_X],
            style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]
            + [("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0)]
            + [("BOTTOMPADDING", (0, 0), (-1, -1), 0)],
        )
        cells.append(inner)
    style = [("BACKGROUND", (0, 0), (0, 0), GROUP_BG), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    style += [("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
    return table([cells], [width - sum(widths), *widths], style=style)
