"""The printable SKP (rules §1.4.2–§1.4.7) as a PDF, built with reportlab's platypus.

What an approved SKP prints about people comes from ``SKP.snapshot``, frozen at approval
(rules §1.9.2), so a reprint after a promotion or a move shows what was signed. An SKP not
yet approved prints from live data under a "DRAF — belum disetujui" banner and watermark.

The form's wording is prescribed by PermenPANRB 6/2022, so the document is always printed in
Indonesian (labels are not translated, and numbers use the Indonesian format) whatever the
reader's interface language.

The page is A4 landscape. The JA/JF hasil kerja table has six columns, three of them free
text of up to 1 000 characters; in portrait (180 mm of usable width) each text column would
get ~40 mm, about 20 characters a line, and most rows would run over half a page. Landscape
gives them ~65 mm. One orientation for the whole document keeps the identity header of the
lampiran identical to the first page's and the paper stack uniform.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, LayoutError, PageBreak, Paragraph, Spacer, Table

from accounts.models import Pegawai

from .models import RHK, SKP, Aspek, CoreValue, JenisLampiran, JenisRHK, LampiranSKP, Perspektif, SKPPerilaku, StatusSKP
from .pdf_common import (  # noqa: F401 — BULAN, tanggal_indonesia, periode_penilaian: this module's API
    BANNER,
    BODY,
    BOLD,
    BULAN,
    BULLET,
    CENTER,
    GROUP_BG,
    HEAD,
    HEAD_BG,
    NOTE,
    RIGHT_BOLD,
    TITLE,
    build_pdf,
    identity_table,
    page_decoration,
    periode_penilaian,
    signatures,
    tanggal_indonesia,
)
from .pdf_common import p as _p
from .pdf_common import table as _table
from .services import identity_snapshot

DRAFT_BANNER = "DRAF — belum disetujui"


# --- What the document shows ----------------------------------------------------------------------


@dataclass
class BarisRHK:
    """One RHK and the rows of its IKI, ready to print."""

    uraian: str
    rhk_atasan: str
    perspektif: str
    iki: list[tuple[str, str, str]]  # (aspek, uraian, target)


@dataclass
class SKPDocument:
    draft: bool
    frozen: bool
    instansi: str
    kota: str
    tanggal: datetime.date | None
    pegawai: dict
    penilai: dict
    is_jpt: bool
    pendekatan: str
    mulai: datetime.date
    selesai: datetime.date
    utama: list[BarisRHK] = field(default_factory=list)
    tambahan: list[BarisRHK] = field(default_factory=list)
    perilaku: list[tuple[str, list[str], str]] = field(default_factory=list)  # (nilai, panduan, ekspektasi)
    lampiran: dict[str, list[str]] = field(default_factory=dict)

    def without_line_breaks(self) -> SKPDocument:
        def flat(text: str) -> str:
            return " ".join(text.split())

        def flat_rhk(r: BarisRHK) -> BarisRHK:
            iki = [(aspek, flat(uraian), flat(target)) for aspek, uraian, target in r.iki]
            return replace(r, uraian=flat(r.uraian), rhk_atasan=flat(r.rhk_atasan), iki=iki)

        return replace(
            self,
            utama=[flat_rhk(r) for r in self.utama],
            tambahan=[flat_rhk(r) for r in self.tambahan],
            perilaku=[(nilai, panduan, flat(ekspektasi)) for nilai, panduan, ekspektasi in self.perilaku],
            lampiran={jenis: [flat(t) for t in items] for jenis, items in self.lampiran.items()},
        )

    @property
    def title(self) -> str:
        return f"Sasaran Kinerja Pegawai — {self.pegawai.get('nama', '')} — {self.mulai.year}"


def load_document(skp: SKP) -> SKPDocument:
    """Everything the PDF prints, in a fixed number of queries whatever the number of RHK/IKI:
    RHK + their IKI (2), core values + panduan (2), ekspektasi (1), lampiran (1), and for an SKP
    without a snapshot the live identity of its two people (1)."""
    frozen = skp.status == StatusSKP.DISETUJUI and bool(skp.snapshot)
    if frozen:
        snap = skp.snapshot
        instansi, kota = snap.get("instansi", ""), snap.get("kota", "")
        pegawai, penilai = snap.get("pegawai") or {}, snap.get("pejabat_penilai") or {}
        tanggal = datetime.date.fromisoformat(snap["disetujui_pada"]) if snap.get("disetujui_pada") else None
    else:
        people = Pegawai.objects.select_related("jabatan", "unit", "instansi").in_bulk(
            [pk for pk in (skp.pegawai_id, skp.pejabat_penilai_id) if pk]
        )
        owner = people[skp.pegawai_id]
        instansi, kota = owner.instansi.nama, owner.instansi.kota
        pegawai, penilai = identity_snapshot(owner), identity_snapshot(people.get(skp.pejabat_penilai_id))
        # An SKP approved before snapshots existed (or imported) still has a real approval date.
        tanggal = timezone.localdate(skp.disetujui_pada) if skp.disetujui_pada else None
    doc = SKPDocument(
        draft=skp.status != StatusSKP.DISETUJUI,
        frozen=frozen,
        instansi=instansi,
        kota=kota,
        tanggal=tanggal,
        pegawai=pegawai,
        penilai=penilai,
        is_jpt=skp.is_jpt,
        pendekatan=skp.pendekatan,
        mulai=skp.mulai,
        selesai=skp.selesai,
    )
    # The intervened supervisor RHK as it read at approval; a later revision above must not change a reprint.
    frozen_parents = skp.snapshot.get("rhk_atasan", {}) if skp.status == StatusSKP.DISETUJUI else {}
    for rhk in RHK.objects.filter(skp=skp).select_related("rhk_atasan").prefetch_related("iki"):
        live_parent = rhk.rhk_atasan.uraian if rhk.rhk_atasan else ""
        row = BarisRHK(
            uraian=rhk.uraian,
            rhk_atasan=frozen_parents.get(str(rhk.pk), live_parent),
            perspektif=Perspektif(rhk.perspektif).label if rhk.perspektif else "",
            iki=[(Aspek(i.aspek).label if i.aspek else "", i.uraian, i.target_display) for i in rhk.iki.all()],
        )
        (doc.tambahan if rhk.jenis == JenisRHK.TAMBAHAN else doc.utama).append(row)
    ekspektasi = dict(SKPPerilaku.objects.filter(skp=skp).values_list("core_value_id", "ekspektasi_khusus"))
    doc.perilaku = [
        (cv.nama, [p.teks for p in cv.panduan.all()], ekspektasi.get(cv.pk, ""))
        for cv in CoreValue.objects.prefetch_related("panduan")
    ]
    doc.lampiran = {jenis: [] for jenis in JenisLampiran.values}
    for item in LampiranSKP.objects.filter(skp=skp):
        doc.lampiran[item.jenis].append(item.uraian)
    return doc


# --- Layout ---------------------------------------------------------------------------------------

PAGE = landscape(A4)
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 15 * mm, 14 * mm, 16 * mm
WIDTH = PAGE[0] - 2 * MARGIN_X
FRAME_HEIGHT = PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM - 12  # the frame's own padding: 6 pt top and bottom
HEADER_ALLOWANCE = 80  # the repeated "HASIL KERJA" and column header rows above a block on a new page


def _title_block(doc: SKPDocument, judul: str) -> list:
    jenis = "BAGI JABATAN PIMPINAN TINGGI" if doc.is_jpt else "BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL"
    flow = []
    if doc.draft:
        flow += [_p(f"{DRAFT_BANNER} — dokumen ini belum ditetapkan oleh pejabat penilai kinerja", BANNER)]
        flow += [Spacer(1, 4 * mm)]
    flow += [_p(judul, TITLE), _p(f"PENDEKATAN HASIL KERJA {doc.pendekatan}", TITLE), _p(jenis, TITLE)]
    heading = Table(
        [[_p(doc.instansi.upper(), BOLD), _p(periode_penilaian(doc.mulai, doc.selesai), RIGHT_BOLD)]],
        colWidths=[WIDTH / 2, WIDTH / 2],
        style=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)],
    )
    flow += [Spacer(1, 4 * mm), heading, Spacer(1, 1.5 * mm), _identity_table(doc)]
    if not doc.draft and not doc.frozen:  # approved before identities were frozen, or imported
        flow += [_p("Identitas di atas dicetak dari data kepegawaian terkini, bukan salinan saat SKP disetujui.", NOTE)]
    return flow


def _identity_table(doc: SKPDocument) -> Table:
    return identity_table(doc.pegawai, doc.penilai, WIDTH)


def _hasil_kerja_table(doc: SKPDocument) -> Table:
    """Rules §1.4.3 (JA/JF) and §1.4.4 (JPT), grouped under A. UTAMA and B. TAMBAHAN; the NO,
    RHK pimpinan, RHK (and JPT perspektif) cells span the rows of the RHK's IKI."""
    if doc.is_jpt:
        header = ["NO", "RENCANA HASIL KERJA", "INDIKATOR KINERJA INDIVIDU", "TARGET", "PERSPEKTIF"]
        widths = [9 * mm, 80 * mm, 90 * mm, 40 * mm]
        spanned = (0, 1, 4)
    else:
        header = ["NO", "RENCANA HASIL KERJA PIMPINAN YANG DIINTERVENSI", "RENCANA HASIL KERJA", "ASPEK"]
        header += ["INDIKATOR KINERJA INDIVIDU", "TARGET"]
        widths = [9 * mm, 62 * mm, 62 * mm, 20 * mm, 72 * mm]
        spanned = (0, 1, 2)
    widths.append(WIDTH - sum(widths))
    ncols = len(header)
    rows = [[_p("HASIL KERJA", BOLD)] + [""] * (ncols - 1), [_p(h, HEAD) for h in header]]
    style = [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 1), HEAD_BG), ("VALIGN", (0, 1), (-1, 1), "MIDDLE")]
    for judul, group in (("A. UTAMA", doc.utama), ("B. TAMBAHAN", doc.tambahan)):
        style += [("SPAN", (0, len(rows)), (-1, len(rows))), ("BACKGROUND", (0, len(rows)), (-1, len(rows)), GROUP_BG)]
        rows.append([_p(judul, BOLD)] + [""] * (ncols - 1))
        if not group:
            style.append(("SPAN", (0, len(rows)), (-1, len(rows))))
            rows.append([_p("-", CENTER)] + [""] * (ncols - 1))
        for n, rhk in enumerate(group, start=1):
            block = []
            for i, (aspek, iki, target) in enumerate(rhk.iki or [("", "", "")]):
                if doc.is_jpt:
                    row = [_p(str(n), CENTER), _p(rhk.uraian), _p(iki), _p(target), _p(rhk.perspektif)]
                else:
                    row = [_p(str(n), CENTER), _p(rhk.rhk_atasan or "-"), _p(rhk.uraian)]
                    row += [_p(aspek), _p(iki), _p(target)]
                block.append(row if i == 0 else [row[c] if c not in spanned else "" for c in range(ncols)])
            # A spanned block cannot break across pages; one taller than a page keeps its rows
            # apart (the RHK then shows on its first IKI row only) rather than fail to print.
            if len(block) > 1 and _fits_on_a_page(block, widths, spanned):
                style += [("SPAN", (c, len(rows)), (c, len(rows) + len(block) - 1)) for c in spanned]
            rows += block
    return _table(rows, widths, style=style, header_rows=2)


def _fits_on_a_page(block: list[list], widths: list[float], spanned: tuple[int, ...]) -> bool:
    def height(cell, col: int) -> float:
        if not isinstance(cell, Paragraph):
            return 0
        return cell.wrap(widths[col] - 6, FRAME_HEIGHT)[1] + 5  # minus/plus the cell paddings

    rows = sum(max(height(cell, c) for c, cell in enumerate(row) if c not in spanned) for row in block)
    spanning = max(height(block[0][c], c) for c in spanned)
    return max(rows, spanning) + HEADER_ALLOWANCE <= FRAME_HEIGHT


def _perilaku_table(doc: SKPDocument) -> Table:
    """Rules §1.4.5: the seven BerAKHLAK values, each with its three panduan perilaku."""
    rows = [
        [_p("PERILAKU KERJA", BOLD), "", ""],
        [_p("NO", HEAD), _p("PERILAKU KERJA", HEAD), _p("EKSPEKTASI KHUSUS PIMPINAN", HEAD)],
    ]
    for n, (nilai, panduan, ekspektasi) in enumerate(doc.perilaku, start=1):
        cell = [_p(nilai, BOLD)] + [Paragraph(escape(teks), BULLET, bulletText="•") for teks in panduan]
        rows.append([_p(str(n), CENTER), cell, _p(ekspektasi or "-")])
    widths = [9 * mm, 140 * mm, WIDTH - 149 * mm]
    style = [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 1), HEAD_BG)]
    return _table(rows, widths, style=style, header_rows=2)


def _lampiran_tables(doc: SKPDocument) -> list:
    """Rules §1.4.6: three numbered lists, "-" when one is empty."""
    flow = []
    for n, jenis in enumerate(JenisLampiran, start=1):
        items = doc.lampiran.get(jenis.value, [])
        rows = [[_p(f"{n}. {jenis.label.upper()}", BOLD), ""]]
        rows += [[_p(f"{i}.", CENTER), _p(teks)] for i, teks in enumerate(items, start=1)] or [[_p("-", CENTER), ""]]
        style = [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), GROUP_BG)]
        flow += [_table(rows, [9 * mm, WIDTH - 9 * mm], style=style, header_rows=1), Spacer(1, 3 * mm)]
    return flow


def _signatures(doc: SKPDocument) -> list:
    """Rules §1.4.7: place and date, then Pegawai yang Dinilai (left) and Pejabat Penilai Kinerja (right)."""
    return signatures(
        kota=doc.kota,
        tanggal=doc.tanggal,
        left=("Pegawai yang Dinilai", doc.pegawai),
        right=("Pejabat Penilai Kinerja", doc.penilai),
        width=WIDTH,
    )


def _story(doc: SKPDocument) -> list:
    return [
        *_title_block(doc, "SASARAN KINERJA PEGAWAI"),
        Spacer(1, 4 * mm),
        _hasil_kerja_table(doc),
        Spacer(1, 4 * mm),
        # A signature never stands alone on a page: it moves with the table it signs (which then
        # starts on a fresh page if both do not fit), unless that table is itself longer than a page.
        KeepTogether([_perilaku_table(doc), *_signatures(doc)]),
        PageBreak(),
        *_title_block(doc, "LAMPIRAN SASARAN KINERJA PEGAWAI"),
        Spacer(1, 4 * mm),
        KeepTogether([*_lampiran_tables(doc), *_signatures(doc)]),
    ]


def _decorate(doc: SKPDocument):
    footer = f"SKP {doc.pegawai.get('nama', '')} · NIP {doc.pegawai.get('nip', '')} · {tanggal_indonesia(doc.mulai)}"
    footer += f" – {tanggal_indonesia(doc.selesai)}"
    return page_decoration(pagesize=PAGE, footer=footer, watermark=DRAFT_BANNER if doc.draft else "", margin_x=MARGIN_X)


def render(doc: SKPDocument) -> bytes:
    """The PDF. Text typed with hundreds of line breaks can make one table row taller than a page,
    which reportlab cannot place; such a document is printed again with line breaks as spaces."""
    try:
        return _build(doc)
    except LayoutError:
        return _build(doc.without_line_breaks())


def _build(doc: SKPDocument) -> bytes:
    return build_pdf(
        _story(doc),
        pagesize=PAGE,
        margins=(MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM),
        on_page=_decorate(doc),
        title=doc.title,
        author=doc.instansi,
        subject="Sasaran Kinerja Pegawai (PermenPANRB 6/2022)",
    )


def skp_pdf(skp: SKP) -> bytes:
    """The SKP as printed (rules §1.4), from its snapshot once approved (§1.9.2)."""
    with translation.override("id"):  # the form's words and number format are Indonesian by regulation
        return render(load_document(skp))
