"""What leaves SIKAP on paper or in a file: the QR poster of a channel, and a period's results as
a spreadsheet (openpyxl) and a PDF report (reportlab).

The poster and the report are for the public and the publication PermenPANRB 14/2017 asks for
(rules §6.1), so they print in Indonesian whatever the admin's language; the reportlab helpers
of appraisal/pdf_common.py keep the text within the 14 standard fonts (WinAnsi)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

import segno
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import Paragraph, Spacer

from appraisal import pdf_common as pdf

from .. import rules, selectors
from ..models import Pekerjaan, Pendidikan, PeriodeSurvei
from .admin import get_periode_for_admin, get_saluran_for_admin, public_url

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BRAND = colors.HexColor("#0b4f6c")

# --- QR code and poster ---------------------------------------------------------------------------------


@login_required
def qr_png(request, pk):
    saluran = get_saluran_for_admin(request, pk)
    buffer = io.BytesIO()
    segno.make(public_url(request, saluran), error="m").save(buffer, kind="png", scale=12, border=4)
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="qr-skm-{saluran.kode}.png"'
    return response


@login_required
def qr_pdf(request, pk):
    saluran = get_saluran_for_admin(request, pk)
    pdf_bytes = poster_pdf(
        nama_unit=saluran.unit_layanan.nama_publik, label=saluran.label, url=public_url(request, saluran)
    )
    response = HttpResponse(pdf_bytes, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-skm-{saluran.kode}.pdf"'
    return response


def _draw_qr(canvas, url: str, *, x: float, y: float, size: float) -> None:
    """The QR code as vector squares from segno's matrix (sharp at any print size), quiet zone
    included. One filled path: separate rectangles would show hairline seams in some viewers."""
    qr = segno.make(url, error="m")
    rows = list(qr.matrix_iter(scale=1, border=4))
    module = size / len(rows)
    canvas.setFillColor(colors.white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    path = canvas.beginPath()
    for r, row in enumerate(rows):
        top = y + size - (r + 1) * module
        c = 0
        while c < len(row):  # one rectangle per run of dark modules
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                path.rect(x + start * module, top, (c - start) * module, module)
            else:
                c += 1
    canvas.setFillColor(colors.black)
    canvas.drawPath(path, stroke=0, fill=1)


def _centred_lines(canvas, text: str, *, font: str, size: float, y: float, width: float, page_width: float) -> float:
    """Draw ``text`` centred, wrapped to ``width``; returns the baseline under the last line."""
    canvas.setFont(font, size)
    for line in simpleSplit(text, font, size, width):
        canvas.drawCentredString(page_width / 2, y, line)
        y -= size * 1.25
    return y


def poster_pdf(*, nama_unit: str, label: str, url: str) -> bytes:
    """An A4 poster: the unit's name, the channel, the invitation, a 125 mm QR code and the short URL."""
    buffer = io.BytesIO()
    width, height = A4
    canvas = pdfcanvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"Survei Kepuasan Masyarakat - {nama_unit}")
    canvas.setAuthor("SIKAP")
    text_width = width - 40 * mm

    canvas.setFillColor(BRAND)
    canvas.rect(0, height - 38 * mm, width, 38 * mm, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont(pdf.FONT_BOLD, 15)
    canvas.drawCentredString(width / 2, height - 17 * mm, "SURVEI KEPUASAN MASYARAKAT")
    canvas.setFont(pdf.FONT, 10.5)
    canvas.drawCentredString(width / 2, height - 26 * mm, "Anonim · sekitar 2 menit · tanpa nama dan nomor identitas")

    canvas.setFillColor(colors.black)
    y = _centred_lines(
        canvas, nama_unit, font=pdf.FONT_BOLD, size=26, y=height - 58 * mm, width=text_width, page_width=width
    )
    if label and label != nama_unit:
        canvas.setFillColor(colors.HexColor("#444444"))
        y = _centred_lines(canvas, label, font=pdf.FONT, size=17, y=y - 2 * mm, width=text_width, page_width=width)
    canvas.setFillColor(BRAND)
    y = _centred_lines(
        canvas,
        "Bantu kami meningkatkan pelayanan: pindai kode ini",
        font=pdf.FONT_BOLD,
        size=19,
        y=y - 7 * mm,
        width=text_width,
        page_width=width,
    )

    size = min(125 * mm, y - 62 * mm)
    _draw_qr(canvas, url, x=(width - size) / 2, y=y - 4 * mm - size, size=size)
    y = y - 4 * mm - size - 10 * mm

    canvas.setFillColor(colors.HexColor("#444444"))
    canvas.setFont(pdf.FONT, 11)
    canvas.drawCentredString(width / 2, y, "atau buka alamat ini di peramban ponsel Anda:")
    short = url.split("://", 1)[-1]
    canvas.setFillColor(colors.black)
    _centred_lines(canvas, short, font="Courier-Bold", size=18, y=y - 9 * mm, width=text_width, page_width=width)

    canvas.setFont(pdf.FONT, 8.5)
    canvas.setFillColor(colors.HexColor("#666666"))
    canvas.drawCentredString(
        width / 2, 14 * mm, "Survei Kepuasan Masyarakat sesuai PermenPANRB Nomor 14 Tahun 2017. Terima kasih."
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# --- The spreadsheet -----------------------------------------------------------------------------------

HEAD_FONT = Font(bold=True, color="FFFFFF")
HEAD_FILL = PatternFill("solid", fgColor="0B4F6C")


def _text(cell, value: str) -> None:
    """User text stays text: a suggestion beginning with "=" must not become a formula."""
    cell.value = value
    cell.data_type = "s"


def _header(ws, headers: list[str], widths: list[int]) -> None:
    ws.append(headers)
    for col, width in enumerate(widths, start=1):
        cell = ws.cell(row=ws.max_row, column=col)
        cell.font, cell.fill = HEAD_FONT, HEAD_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = f"A{ws.max_row + 1}"  # a coordinate: ws.cell() would create the row


def results_workbook(periode: PeriodeSurvei) -> Workbook:
    """Three sheets: Ringkasan (the index), NRR per unsur, Respons (every accepted response)."""
    hasil = selectors.periode_results(periode=periode)
    skor = hasil.skor
    unit = periode.unit_layanan
    wb = Workbook()

    ws = wb.active
    ws.title = "Ringkasan"
    _header(ws, ["Keterangan", "Nilai"], [36, 40])
    rows = [
        ("Unit layanan", unit.nama_publik, None),
        ("Periode", periode.label, None),
        ("Tanggal mulai", periode.mulai, "DD/MM/YYYY"),
        ("Tanggal selesai", periode.selesai, "DD/MM/YYYY"),
        ("Populasi (N)", periode.populasi, "0"),
        ("Sampel minimal", periode.sampel_minimal, "0"),
        ("Jumlah responden (diterima)", skor.responden, "0"),
        ("Representatif", "Ya" if hasil.progres.representatif else "Belum", None),
        ("Bobot per unsur", "0,11 (lama)" if unit.bobot_legacy else "1/9", None),
        ("Nilai IKM (skala 1-4)", skor.ikm_raw_display, "0.0000"),
        ("IKM", skor.ikm, "0.00"),
        ("Mutu pelayanan", skor.mutu or "-", None),
        ("Kinerja unit pelayanan", skor.kinerja or "-", None),
    ]
    for label, value, number_format in rows:
        ws.append([label, value])
        cell = ws.cell(row=ws.max_row, column=2)
        cell.alignment = Alignment(horizontal="left")
        if number_format:
            cell.number_format = number_format
        if label == "IKM":
            cell.font = Font(bold=True)

    ws = wb.create_sheet("NRR per unsur")
    _header(ws, ["Kode", "Unsur", "Jumlah jawaban", "Jumlah nilai", "NRR", "NRR tertimbang"], [8, 42, 16, 14, 10, 16])
    for u in skor.unsur:
        ws.append([u.kode, u.nama, u.jumlah, u.total, u.nrr_display, u.tertimbang_display])
        ws.cell(row=ws.max_row, column=5).number_format = "0.0000"
        ws.cell(row=ws.max_row, column=6).number_format = "0.0000"
    ws.append(["", "Jumlah NRR tertimbang", None, None, None, skor.ikm_raw_display])
    ws.cell(row=ws.max_row, column=6).number_format = "0.0000"
    ws.append(["", "IKM (x 25)", None, None, None, skor.ikm])
    ws.cell(row=ws.max_row, column=6).number_format = "0.00"

    ws = wb.create_sheet("Respons")
    headers = ["No", "Diisi pada", "Jenis layanan", "Saluran", "Petugas", "Jenis kelamin", "Usia", "Pendidikan"]
    headers += ["Pekerjaan", *(f"{u.kode} {u.nama}" for u in rules.UNSUR), "Saran"]
    _header(ws, headers, [6, 17, 22, 20, 22, 13, 7, 11, 16, *([12] * 9), 50])
    pendidikan, pekerjaan = dict(Pendidikan.choices), dict(Pekerjaan.choices)
    zone = timezone.get_current_timezone()
    for n, (respons, answers) in enumerate(selectors.respons_export_rows(periode=periode), start=1):
        ws.append(
            [
                n,
                timezone.localtime(respons.diisi_pada, zone).replace(tzinfo=None),
                None,
                None,
                None,
                "Laki-laki" if respons.jenis_kelamin == "L" else "Perempuan",
                respons.usia,
                str(pendidikan.get(respons.pendidikan, respons.pendidikan)),
                None,
                *(answers.get(kode) for kode in rules.UNSUR_KODE),
                None,
            ]
        )
        row = ws.max_row
        ws.cell(row=row, column=2).number_format = "DD/MM/YYYY HH:MM"
        _text(ws.cell(row=row, column=3), respons.jenis_layanan.nama if respons.jenis_layanan else "")
        _text(ws.cell(row=row, column=4), respons.saluran.label if respons.saluran else "")
        _text(ws.cell(row=row, column=5), respons.petugas.nama_lengkap if respons.petugas else "")
        job = str(pekerjaan.get(respons.pekerjaan, respons.pekerjaan))
        _text(ws.cell(row=row, column=9), f"{job}: {respons.pekerjaan_lain}" if respons.pekerjaan_lain else job)
        _text(ws.cell(row=row, column=len(headers)), respons.saran)
    return wb


def _filename(periode: PeriodeSurvei, ext: str) -> str:
    slug = "".join(ch if ch.isalnum() else "-" for ch in f"{periode.unit_layanan.nama_publik}-{periode.label}")
    return f"skm-{slug.strip('-').lower()[:80]}.{ext}"


@login_required
def export_xlsx(request, pk):
    periode = get_periode_for_admin(request, pk)
    buffer = io.BytesIO()
    with translation.override("id"):  # an Indonesian publication whatever the admin reads in
        results_workbook(periode).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(periode, "xlsx")}"'
    return response


# --- The PDF report ----------------------------------------------------------------------------------------

SARAN_PDF_LIMIT = 200  # the spreadsheet has all of them; a printed report stays readable


def report_pdf(periode: PeriodeSurvei) -> bytes:
    """LAPORAN HASIL SKM: the index and its interpretation, NRR per unsur, respondents against the
    sample, the demographics, the officers, the follow-up and the latest suggestions."""
    hasil = selectors.periode_results(periode=periode)
    skor = hasil.skor
    unit = periode.unit_layanan
    width = A4[0] - 30 * mm
    story: list = [
        Paragraph("LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT", pdf.TITLE),
        Paragraph(escape(unit.nama_publik.upper()), pdf.TITLE),
        pdf.p(
            f"Periode {periode.label}: {pdf.tanggal_indonesia(periode.mulai)} s.d. "
            f"{pdf.tanggal_indonesia(periode.selesai)}",
            pdf.CENTER,
        ),
        Spacer(1, 5 * mm),
    ]
    ikm = f"{skor.ikm:.2f}".replace(".", ",") if skor.hasil else "-"
    summary = [
        ("Jumlah responden (diterima)", f"{skor.responden} dari sampel minimal {periode.sampel_minimal}"),
        (
            "Populasi (N)",
            f"{periode.populasi} ({'rumus' if periode.metode_sampel == 'FORMULA' else 'tabel'} Krejcie-Morgan)",
        ),
        ("Keterwakilan", "Representatif" if hasil.progres.representatif else "Belum representatif"),
        ("Nilai IKM", ikm),
        ("Mutu pelayanan", f"{skor.mutu} ({skor.kinerja})" if skor.hasil else "-"),
    ]
    story.append(
        pdf.table(
            [[pdf.p(k, pdf.BOLD), pdf.p(v)] for k, v in summary],
            [60 * mm, width - 60 * mm],
            style=[("BACKGROUND", (0, 0), (0, -1), pdf.GROUP_BG)],
        )
    )
    if not skor.hasil:
        story.append(pdf.p("Belum semua unsur mendapat jawaban: IKM belum dapat dihitung.", pdf.NOTE))

    story += [Spacer(1, 5 * mm), pdf.p("NILAI RATA-RATA PER UNSUR", pdf.BOLD), Spacer(1, 1.5 * mm)]
    rows = [[pdf.p(h, pdf.HEAD) for h in ("NO", "UNSUR", "JAWABAN", "NRR", "NRR TERTIMBANG")]]
    for n, u in enumerate(skor.unsur, start=1):
        rows.append(
            [pdf.p(str(n), pdf.CENTER), pdf.p(u.nama), pdf.p(str(u.jumlah), pdf.CENTER)]
            + [pdf.p(_num(u.nrr_display), pdf.CENTER), pdf.p(_num(u.tertimbang_display), pdf.CENTER)]
        )
    rows.append(
        [pdf.p(""), pdf.p("Jumlah NRR tertimbang", pdf.BOLD), "", "", pdf.p(_num(skor.ikm_raw_display), pdf.HEAD)]
    )
    rows.append([pdf.p(""), pdf.p("IKM (x 25)", pdf.BOLD), "", "", pdf.p(ikm, pdf.HEAD)])
    story.append(
        pdf.table(
            rows,
            [10 * mm, width - 90 * mm, 25 * mm, 25 * mm, 30 * mm],
            style=[("BACKGROUND", (0, 0), (-1, 0), pdf.HEAD_BG)],
            header_rows=1,
        )
    )
    story.append(
        pdf.p(
            "Bobot per unsur "
            + ("0,11 (pengaturan lama)." if unit.bobot_legacy else "1/9 (eksak).")
            + " Mutu: A 88,31-100; B 76,61-88,30; C 65,00-76,60; D 25,00-64,99 (PermenPANRB 14/2017).",
            pdf.NOTE,
        )
    )

    if hasil.petugas:
        story += [Spacer(1, 5 * mm), pdf.p("HASIL PER PETUGAS", pdf.BOLD), Spacer(1, 1.5 * mm)]
        rows = [[pdf.p(h, pdf.HEAD) for h in ("PETUGAS", "RESPONDEN", "IKM", "MUTU")]]
        for s in hasil.petugas:
            rows.append(
                [pdf.p(s.nama), pdf.p(str(s.skor.responden), pdf.CENTER)]
                + [pdf.p(_num(s.skor.ikm, 2), pdf.CENTER), pdf.p(s.skor.mutu or "-", pdf.CENTER)]
            )
        story.append(pdf.table(rows, [width - 75 * mm, 25 * mm, 25 * mm, 25 * mm], header_rows=1))

    story += [Spacer(1, 5 * mm), pdf.p("PROFIL RESPONDEN", pdf.BOLD), Spacer(1, 1.5 * mm)]
    demo = hasil.demografi
    groups = [("Jenis kelamin", demo.jenis_kelamin), ("Usia", demo.usia)]
    groups += [("Pendidikan", demo.pendidikan), ("Pekerjaan", demo.pekerjaan)]
    rows = [[pdf.p(h, pdf.HEAD) for h in ("KELOMPOK", "KATEGORI", "JUMLAH")]]
    for title, items in groups:
        for i, (label, count) in enumerate(items):
            rows.append([pdf.p(title if i == 0 else "", pdf.BOLD), pdf.p(str(label)), pdf.p(str(count), pdf.CENTER)])
    story.append(pdf.table(rows, [40 * mm, width - 65 * mm, 25 * mm], header_rows=1))

    items = selectors.tindak_lanjut_of(periode=periode)
    if items:
        story += [Spacer(1, 5 * mm), pdf.p("RENCANA TINDAK LANJUT", pdf.BOLD), Spacer(1, 1.5 * mm)]
        rows = [[pdf.p(h, pdf.HEAD) for h in ("UNSUR", "NRR", "RENCANA", "PENANGGUNG JAWAB", "STATUS")]]
        for t in items:
            rows.append(
                [pdf.p(t.get_unsur_display()), pdf.p(_num(t.nrr), pdf.CENTER), pdf.p(t.rencana or "-")]
                + [pdf.p(t.penanggung_jawab.nama_lengkap if t.penanggung_jawab else "-"), pdf.p(t.get_status_display())]
            )
        story.append(pdf.table(rows, [38 * mm, 16 * mm, width - 122 * mm, 40 * mm, 28 * mm], header_rows=1))

    saran = list(selectors.saran_list(periode=periode)[:SARAN_PDF_LIMIT])
    if saran:
        story += [Spacer(1, 5 * mm), pdf.p("SARAN DAN MASUKAN", pdf.BOLD), Spacer(1, 1.5 * mm)]
        widths = [24 * mm, width - 24 * mm]
        rows = [[pdf.p("TANGGAL", pdf.HEAD), pdf.p("SARAN", pdf.HEAD)]]
        for r in saran:
            rows += pdf.split_tall_row(
                [pdf.p(pdf.tanggal_indonesia(timezone.localtime(r.diisi_pada).date())), pdf.p(r.saran)],
                widths,
                200 * mm,
            )
        story.append(pdf.table(rows, widths, header_rows=1))

    footer = f"SIKAP - SKM {unit.nama_publik} - {periode.label} - dicetak {pdf.tanggal_indonesia(timezone.localdate())}"
    return pdf.build_pdf(
        story,
        pagesize=A4,
        margins=(15 * mm, 15 * mm, 18 * mm),
        on_page=pdf.page_decoration(pagesize=A4, footer=footer),
        title=f"Laporan SKM {unit.nama_publik} {periode.label}",
        author="SIKAP",
        subject="Survei Kepuasan Masyarakat",
    )


def _num(value, places: int = 4) -> str:
    """A number the Indonesian way (decimal comma), "-" for none."""
    if value is None:
        return "-"
    return f"{value:.{places}f}".replace(".", ",")


@login_required
def export_pdf(request, pk):
    periode = get_periode_for_admin(request, pk)
    with translation.override("id"):
        pdf_bytes = report_pdf(periode)
    response = HttpResponse(pdf_bytes, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(periode, "pdf")}"'
    return response
