"""The two printed evaluation documents (rules §1.9), built with reportlab's platypus:

- "EVALUASI KINERJA PEGAWAI" (§1.9.1), the evaluation sheet: A4 landscape, because its hasil
  kerja table is the SKP's six columns plus the realisation and the feedback (eight columns);
- "DOKUMEN EVALUASI KINERJA PEGAWAI" (§1.9.2), the one-page summary record: A4 portrait, a
  three-column table of numbered blocks.

A FINAL evaluation prints its people, instansi and date from ``Evaluasi.snapshot``, frozen at
finalisation, so a reprint after a rename, a move or a promotion shows what was signed; the
organisation's achievement is the one frozen on the evaluation. The hasil kerja, realisations
and feedback print from their rows, which the services refuse to change once the evaluation
is FINAL; only a Keberatan decision changes the ratings, and the documents then say so. A
DRAFT prints live data under a red "DRAF" banner and watermark.

Like the SKP, the documents are always printed in Indonesian.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.formats import number_format
from reportlab.graphics.shapes import Drawing, Line, Path, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer, Table

from accounts.models import Pegawai

from . import rules
from .models import (
    RHK,
    Aspek,
    CatatanEvaluasi,
    CoreValue,
    Evaluasi,
    JenisRHK,
    Keberatan,
    Perspektif,
    Predikat,
    PredikatOrganisasi,
    Rating,
    Realisasi,
    SKPPerilaku,
    StatusEvaluasi,
    StatusKeberatan,
    StatusSKP,
)
from .pdf_common import (
    BANNER,
    BODY,
    BOLD,
    BULLET,
    CENTER,
    FONT,
    FONT_BOLD,
    GROUP_BG,
    HEAD,
    HEAD_BG,
    NOTE,
    RIGHT_BOLD,
    TITLE,
    build_pdf,
    cell_height,
    identity_table,
    options_row,
    p,
    page_decoration,
    periode_penilaian,
    signatures,
    split_tall_row,
    table,
    tanggal_indonesia,
)
from .services import identity_snapshot
from .services_evaluasi import capaian_for

DRAFT_BANNER = "DRAF — belum final"

# --- What the documents show ----------------------------------------------------------------------


@dataclass
class BarisHasil:
    """One RHK, the rows of its IKI with their realisation, and the feedback on the RHK."""

    uraian: str
    rhk_atasan: str
    perspektif: str
    iki: list[tuple[str, str, str, str, list[str]]]  # (aspek, uraian, target, realisasi, bukti dukung)
    umpan_balik: str


@dataclass
class EvaluasiDocument:
    draft: bool
    frozen: bool
    instansi: str
    kota: str
    tanggal: datetime.date | None
    pegawai: dict
    penilai: dict
    atasan: dict
    is_jpt: bool
    pendekatan: str
    jenis_periode: str
    label: str
    tahun: int
    mulai: datetime.date
    selesai: datetime.date
    capaian: str  # PredikatOrganisasi code, "" when not set
    rating_hasil_kerja: str
    rating_perilaku_kerja: str
    predikat: str
    catatan_rekomendasi: str
    keberatan: str = ""  # what an objection did to the result, "" when there was none
    utama: list[BarisHasil] = field(default_factory=list)
    tambahan: list[BarisHasil] = field(default_factory=list)
    perilaku: list[tuple[str, list[str], str, str]] = field(default_factory=list)  # nilai, panduan, ekspektasi, umpan

    @property
    def periode(self) -> str:
        return f"{self.label} {self.tahun}"


def load_document(evaluasi: Evaluasi) -> EvaluasiDocument:
    """Everything both documents print, in a fixed number of queries whatever the number of RHK:
    RHK (1) + IKI (1), realisations (1) + evidence (1), feedback (1), core values (1) + panduan (1),
    ekspektasi (1), the keberatan of a final evaluation (1); a draft adds its people (1) and the
    unit's current achievement (1)."""
    skp, periode = evaluasi.skp, evaluasi.periode_evaluasi
    final = evaluasi.status == StatusEvaluasi.FINAL
    frozen = final and bool(evaluasi.snapshot)
    people, owner = (_frozen_people(evaluasi.snapshot), None) if frozen else _live_people(evaluasi)
    doc = EvaluasiDocument(
        draft=not final,
        frozen=frozen,
        is_jpt=skp.is_jpt,
        pendekatan=skp.pendekatan,
        jenis_periode=periode.jenis,
        label=periode.label,
        tahun=skp.periode.tahun,
        # The part of the period this SKP covers: an SKP begun after a mid-quarter move is judged from its start.
        mulai=max(periode.mulai, skp.mulai),
        selesai=min(periode.selesai, skp.selesai),
        capaian=evaluasi.capaian_organisasi,  # frozen at finalisation
        rating_hasil_kerja=evaluasi.rating_hasil_kerja,
        rating_perilaku_kerja=evaluasi.rating_perilaku_kerja,
        predikat=evaluasi.predikat,
        catatan_rekomendasi=evaluasi.catatan_rekomendasi,
        **people,
    )
    if final:
        doc.keberatan = _keberatan_note(evaluasi)
    elif owner.unit_id:  # a draft shows the achievement its unit has now
        capaian = capaian_for(unit=owner.unit, periode=periode)
        doc.capaian = capaian.predikat if capaian else ""
    _load_hasil_kerja(doc, evaluasi)
    _load_perilaku(doc, evaluasi)
    return doc


def _frozen_people(snapshot: dict) -> dict:
    tanggal = snapshot.get("difinalkan_pada")
    return {
        "instansi": snapshot.get("instansi", ""),
        "kota": snapshot.get("kota", ""),
        "pegawai": snapshot.get("pegawai") or {},
        "penilai": snapshot.get("pejabat_penilai") or {},
        "atasan": snapshot.get("atasan_pejabat_penilai") or {},
        "tanggal": datetime.date.fromisoformat(tanggal) if tanggal else None,
    }


def _live_people(evaluasi: Evaluasi) -> tuple[dict, Pegawai]:
    """A draft's people as they are now (and a FINAL evaluation from before snapshots, or imported)."""
    skp = evaluasi.skp
    ids = [pk for pk in (skp.pegawai_id, skp.pejabat_penilai_id, skp.atasan_pejabat_penilai_id) if pk]
    people = Pegawai.objects.select_related("jabatan", "unit", "instansi").in_bulk(ids)
    owner = people[skp.pegawai_id]
    final = evaluasi.status == StatusEvaluasi.FINAL and evaluasi.difinalkan_pada
    identity = {
        "instansi": owner.instansi.nama,
        "kota": owner.instansi.kota,
        "pegawai": identity_snapshot(owner),
        "penilai": identity_snapshot(people.get(skp.pejabat_penilai_id)),
        "atasan": identity_snapshot(people.get(skp.atasan_pejabat_penilai_id)),
        "tanggal": timezone.localdate(evaluasi.difinalkan_pada) if final else None,
    }
    return identity, owner


def _keberatan_note(evaluasi: Evaluasi) -> str:
    try:
        keberatan = evaluasi.keberatan
    except Keberatan.DoesNotExist:
        return ""
    if keberatan.status == StatusKeberatan.DIUBAH:
        semula = Predikat(keberatan.predikat_asli).label.upper() if keberatan.predikat_asli else "-"
        return f"Diubah berdasarkan keputusan keberatan tanggal {_tanggal(keberatan.diputus_pada)} (semula {semula})."
    if keberatan.status == StatusKeberatan.TETAP:
        return f"Tetap berdasarkan keputusan keberatan tanggal {_tanggal(keberatan.diputus_pada)}."
    return f"Keberatan diajukan tanggal {_tanggal(keberatan.diajukan_pada)} dan belum diputus."


def _tanggal(moment: datetime.datetime | None) -> str:
    return tanggal_indonesia(timezone.localdate(moment)) if moment else "-"


def _load_hasil_kerja(doc: EvaluasiDocument, evaluasi: Evaluasi) -> None:
    skp, periode = evaluasi.skp, evaluasi.periode_evaluasi
    realisasi = {
        r.iki_id: r
        for r in Realisasi.objects.filter(iki__rhk__skp=skp, periode_evaluasi=periode).prefetch_related("bukti")
    }
    umpan_balik = dict(
        CatatanEvaluasi.objects.filter(evaluasi=evaluasi, rhk__isnull=False).values_list("rhk_id", "umpan_balik")
    )
    # The intervened supervisor RHK as it read at the SKP's approval (as on the SKP itself).
    frozen_parents = skp.snapshot.get("rhk_atasan", {}) if skp.status == StatusSKP.DISETUJUI else {}
    for rhk in RHK.objects.filter(skp=skp).select_related("rhk_atasan").prefetch_related("iki"):
        live_parent = rhk.rhk_atasan.uraian if rhk.rhk_atasan else ""
        row = BarisHasil(
            uraian=rhk.uraian,
            rhk_atasan=frozen_parents.get(str(rhk.pk), live_parent),
            perspektif=Perspektif(rhk.perspektif).label if rhk.perspektif else "",
            iki=[
                (Aspek(i.aspek).label if i.aspek else "", i.uraian, i.target_display)
                + _realisasi(realisasi.get(i.pk), i.satuan)
                for i in rhk.iki.all()
            ],
            umpan_balik=umpan_balik.get(rhk.pk, ""),
        )
        (doc.tambahan if rhk.jenis == JenisRHK.TAMBAHAN else doc.utama).append(row)


def _realisasi(realisasi: Realisasi | None, satuan: str) -> tuple[str, list[str]]:
    """The realisation as printed: the value with its unit, then the description; and the evidence."""
    if realisasi is None:
        return "", []
    lines = []
    if realisasi.nilai is not None:
        nilai = realisasi.nilai.normalize() if realisasi.nilai == realisasi.nilai.to_integral() else realisasi.nilai
        lines.append(f"{number_format(nilai, use_l10n=True, force_grouping=True)} {satuan}".strip())
    if realisasi.uraian:
        lines.append(realisasi.uraian)
    return "\n".join(lines), [b.nama or b.tautan for b in realisasi.bukti.all()]


def _load_perilaku(doc: EvaluasiDocument, evaluasi: Evaluasi) -> None:
    ekspektasi = dict(SKPPerilaku.objects.filter(skp=evaluasi.skp).values_list("core_value_id", "ekspektasi_khusus"))
    umpan_balik = dict(
        CatatanEvaluasi.objects.filter(evaluasi=evaluasi, core_value__isnull=False).values_list(
            "core_value_id", "umpan_balik"
        )
    )
    doc.perilaku = [
        (cv.nama, [x.teks for x in cv.panduan.all()], ekspektasi.get(cv.pk, ""), umpan_balik.get(cv.pk, ""))
        for cv in CoreValue.objects.prefetch_related("panduan")
    ]


# --- Page geometry --------------------------------------------------------------------------------

SHEET_PAGE, RECORD_PAGE = landscape(A4), A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 15 * mm, 14 * mm, 16 * mm
SHEET_WIDTH = SHEET_PAGE[0] - 2 * MARGIN_X
RECORD_WIDTH = RECORD_PAGE[0] - 2 * MARGIN_X
SHEET_FRAME_HEIGHT = SHEET_PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM - 12  # the frame's own 6 pt paddings
RECORD_FRAME_HEIGHT = RECORD_PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM - 12
OPTION_LABEL_WIDTH = 62 * mm


# --- Blocks both documents share --------------------------------------------------------------------------


def _period_line(doc: EvaluasiDocument) -> Paragraph:
    """``PERIODE: TRIWULAN I/II/III/IV-AKHIR`` with this period underlined and the others struck
    through, as the form asks (rules §1.9.1); a month or the year is printed alone."""
    if doc.jenis_periode in ("TRIWULANAN", "SEMESTERAN"):
        labels = [s.label for s in rules.evaluation_periods(tahun=doc.tahun, ritme=doc.jenis_periode)]
        labels = [label for label in labels if label != "TAHUNAN"]
        prefix = labels[0].split()[0] + " "
        if doc.label in labels:
            parts = [
                f"<u>{escape(label.removeprefix(prefix))}</u>"
                if label == doc.label
                else f'<font color="#8a8a8a"><strike>{escape(label.removeprefix(prefix))}</strike></font>'
                for label in labels
            ]
            return Paragraph(f"PERIODE: {escape(prefix)}{'/'.join(parts)}", TITLE)
    if doc.jenis_periode == "BULANAN":
        return p(f"PERIODE: BULAN {doc.label.upper()}", TITLE)
    return p(f"PERIODE: {doc.label.upper()}", TITLE)


def _heading(doc: EvaluasiDocument, lines: list[str], width: float) -> list:
    flow = []
    if doc.draft:
        flow += [p(f"{DRAFT_BANNER} — evaluasi ini belum difinalkan oleh pejabat penilai kinerja", BANNER)]
        flow += [Spacer(1, 4 * mm)]
    flow += [p(line, TITLE) for line in lines] + [_period_line(doc), Spacer(1, 4 * mm)]
    instansi_periode = Table(
        [[p(doc.instansi.upper(), BOLD), p(periode_penilaian(doc.mulai, doc.selesai, kata_tahun=False), RIGHT_BOLD)]],
        colWidths=[width * 0.45, width * 0.55],
        style=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)],
    )
    return flow + [instansi_periode, Spacer(1, 1.5 * mm)]


def _frozen_note(doc: EvaluasiDocument) -> list:
    if doc.draft or doc.frozen:
        return []
    return [p("Identitas di atas dicetak dari data kepegawaian terkini, bukan salinan saat evaluasi difinalkan.", NOTE)]


def _label(choices, code: str) -> str:
    return choices(code).label.upper() if code else ""


def _signatures(doc: EvaluasiDocument, width: float) -> list:
    return signatures(
        kota=doc.kota,
        tanggal=doc.tanggal,
        left=("Pegawai yang Dinilai", doc.pegawai),
        right=("Pejabat Penilai Kinerja", doc.penilai),
        width=width,
    )


# --- EVALUASI KINERJA PEGAWAI (rules §1.9.1) ------------------------------------------------------------


def _options(judul: str, choices, chosen: str) -> Table:
    """Rules §1.9.1 items 4, 7, 9, 10: the scale with the chosen level ticked."""
    options = [(c.value, str(c.label).upper()) for c in choices]
    return options_row(judul, options, chosen, width=SHEET_WIDTH, label_width=OPTION_LABEL_WIDTH)


# The distribution curve (rules §1.7.3). The SE states limits, not a shape, so the bar heights
# are an illustration chosen inside those limits (tested against rules.distribution_checks);
# the limits themselves are printed from rules.DISTRIBUSI_RULES over the bars and beside them.
KURVA_SUMBU = ("SANGAT_KURANG", "KURANG", "BUTUH_PERBAIKAN", "BAIK", "SANGAT_BAIK")  # left → right, as on the form
KURVA_LABEL = {
    "SANGAT_KURANG": ("Sangat Kurang",),
    "KURANG": ("Kurang/", "Misconduct"),
    "BUTUH_PERBAIKAN": ("Butuh", "Perbaikan"),
    "BAIK": ("Baik",),
    "SANGAT_BAIK": ("Sangat Baik",),
}
KURVA_ILUSTRASI = {
    "ISTIMEWA": {"SANGAT_KURANG": 2, "KURANG": 3, "BUTUH_PERBAIKAN": 10, "BAIK": 25, "SANGAT_BAIK": 60},
    "BAIK": {"SANGAT_KURANG": 3, "KURANG": 7, "BUTUH_PERBAIKAN": 15, "BAIK": 60, "SANGAT_BAIK": 15},
    "BUTUH_PERBAIKAN": {"SANGAT_KURANG": 5, "KURANG": 10, "BUTUH_PERBAIKAN": 60, "BAIK": 20, "SANGAT_BAIK": 5},
    "KURANG": {"SANGAT_KURANG": 10, "KURANG": 60, "BUTUH_PERBAIKAN": 15, "BAIK": 10, "SANGAT_BAIK": 5},
    "SANGAT_KURANG": {"SANGAT_KURANG": 60, "KURANG": 20, "BUTUH_PERBAIKAN": 10, "BAIK": 10, "SANGAT_BAIK": 0},
}
CURVE_WIDTH, CURVE_HEIGHT = 125 * mm, 46 * mm


def _predikat_names(codes) -> str:
    return " dan/atau ".join(str(Predikat(c).label) for c in sorted(codes, key=rules.PREDIKAT_ORDER.index))


def rule_sentences(capaian: str) -> list[str]:
    """The curve of a Capaian Kinerja Organisasi in words, from rules.DISTRIBUSI_RULES."""
    sentences = []
    for rule in rules.DISTRIBUSI_RULES[capaian]:
        names = _predikat_names(rule.predikat)
        sentences.append(
            {
                "MAX": f"{names} paling banyak {rule.pct}% pegawai",
                "MIN": f"{names} paling sedikit {rule.pct}% pegawai",
                "EXISTS": f"{names}: paling sedikit satu pegawai",
                "FORBIDDEN": f"{names} tidak diperkenankan (0%)",
            }[rule.op]
        )
    return sentences


def _bar_limits(capaian: str) -> dict[str, str]:
    """The limit written over a bar: the rules that concern that predikat alone."""
    marks = {"MAX": "maks. {}%", "MIN": "min. {}%", "FORBIDDEN": "0%"}
    return {
        next(iter(rule.predikat)): marks[rule.op].format(rule.pct)
        for rule in rules.DISTRIBUSI_RULES[capaian]
        if len(rule.predikat) == 1 and rule.op in marks
    }


def curve_drawing(capaian: str) -> Drawing:
    """Bars for the five predikat, a smooth curve through their tops, the limits over them."""
    drawing = Drawing(CURVE_WIDTH, CURVE_HEIGHT)
    base, top = 10 * mm, CURVE_HEIGHT - 8 * mm
    slot = (CURVE_WIDTH - 4 * mm) / len(KURVA_SUMBU)
    scale = (top - base) / 70  # the highest limit in the SE is 70 %: one scale for every curve
    shares, limits = KURVA_ILUSTRASI[capaian], _bar_limits(capaian)
    points = []
    for i, code in enumerate(KURVA_SUMBU):
        x = 2 * mm + slot * (i + 0.5)
        height = shares[code] * scale
        drawing.add(Rect(x - slot * 0.3, base, slot * 0.6, height, fillColor=colors.HexColor("#c9d7ea"), strokeWidth=0))
        for line, text in enumerate(KURVA_LABEL[code]):
            drawing.add(
                String(x, base - 3.5 * mm - line * 3 * mm, text, fontName=FONT, fontSize=7, textAnchor="middle")
            )
        if code in limits:
            drawing.add(
                String(x, base + height + 1.5 * mm, limits[code], fontName=FONT_BOLD, fontSize=7, textAnchor="middle")
            )
        points.append((x, base + height))
    drawing.add(Line(0, base, CURVE_WIDTH, base, strokeWidth=0.8))
    drawing.add(_smooth_curve(points, floor=base))
    return drawing


def _smooth_curve(points: list[tuple[float, float]], floor: float) -> Path:
    """A Catmull-Rom spline through ``points`` as Bézier segments, never dipping under the axis."""
    path = Path(strokeColor=colors.HexColor("#1f3b73"), strokeWidth=1.4, fillColor=None)
    path.moveTo(*points[0])
    padded = [points[0], *points, points[-1]]
    for i in range(1, len(padded) - 2):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = padded[i - 1 : i + 3]
        c1 = (x1 + (x2 - x0) / 6, max(floor, y1 + (y2 - y0) / 6))
        c2 = (x2 - (x3 - x1) / 6, max(floor, y2 - (y3 - y1) / 6))
        path.curveTo(*c1, *c2, x2, y2)
    return path


def _pola_distribusi(doc: EvaluasiDocument, width: float) -> Table:
    """Rules §1.9.1 item 5: the curve of this capaian, or the rules of every capaian when none is set."""
    if doc.capaian:
        nama = PredikatOrganisasi(doc.capaian).label
        caption = f"Kurva distribusi predikat kinerja pegawai dengan capaian kinerja organisasi {nama}"
        picture = [curve_drawing(doc.capaian), p(caption, CENTER)]
        text = [
            p(f"Pola distribusi untuk capaian kinerja organisasi {nama.upper()} (SE MenPANRB No. 3 Tahun 2023):", BOLD)
        ]
        text += [Paragraph(escape(s) + ".", BULLET, bulletText="•") for s in rule_sentences(doc.capaian)]
        text += [p("Tinggi batang menggambarkan bentuk kurva; batas yang berlaku adalah ketentuan di atas.", NOTE)]
        cells = [[p("POLA DISTRIBUSI", BOLD), picture, text]]
        widths = [OPTION_LABEL_WIDTH, CURVE_WIDTH + 8 * mm, width - OPTION_LABEL_WIDTH - CURVE_WIDTH - 8 * mm]
    else:
        text = [p("Capaian kinerja organisasi belum ditetapkan, sehingga kurva distribusi tidak digambar.", BODY)]
        text += [p("Pola distribusi menurut capaian kinerja organisasi (SE MenPANRB No. 3 Tahun 2023):", BODY)]
        text += [
            Paragraph(
                f"<b>{escape(c.label.upper())}</b>: {escape('; '.join(rule_sentences(c.value)))}.",
                BULLET,
                bulletText="•",
            )
            for c in PredikatOrganisasi
        ]
        cells = [[p("POLA DISTRIBUSI", BOLD), text]]
        widths = [OPTION_LABEL_WIDTH, width - OPTION_LABEL_WIDTH]
    style = [("BACKGROUND", (0, 0), (0, 0), GROUP_BG), ("VALIGN", (1, 0), (-1, -1), "MIDDLE")]
    return table(cells, widths, style=style)


def _hasil_kerja_table(doc: EvaluasiDocument) -> list:
    """The SKP's hasil kerja columns (rules §1.4.3/§1.4.4) plus the realisation per IKI and the
    feedback per RHK (§1.9.1 item 6), grouped under A. UTAMA and B. TAMBAHAN. The NO, RHK (and
    JPT perspektif) and feedback cells span the rows of the RHK's IKI. The table starts on a new
    page rather than leave its header alone at the foot of one."""
    tail = ["REALISASI BERDASARKAN BUKTI DUKUNG", "UMPAN BALIK BERKELANJUTAN BERDASARKAN BUKTI DUKUNG"]
    if doc.is_jpt:
        header = ["NO", "RENCANA HASIL KERJA", "INDIKATOR KINERJA INDIVIDU", "TARGET", "PERSPEKTIF", *tail]
        widths = [9 * mm, 50 * mm, 52 * mm, 26 * mm, 28 * mm, 52 * mm]
        spanned = (0, 1, 4, 6)
    else:
        header = ["NO", "RENCANA HASIL KERJA PIMPINAN YANG DIINTERVENSI", "RENCANA HASIL KERJA", "ASPEK"]
        header += ["INDIKATOR KINERJA INDIVIDU", "TARGET", *tail]
        widths = [9 * mm, 38 * mm, 38 * mm, 18 * mm, 42 * mm, 24 * mm, 48 * mm]
        spanned = (0, 1, 2, 7)
    widths.append(SHEET_WIDTH - sum(widths))
    ncols = len(header)
    rows = [[p("HASIL KERJA", BOLD)] + [""] * (ncols - 1), [p(h, HEAD) for h in header]]
    style = [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 1), HEAD_BG), ("VALIGN", (0, 1), (-1, 1), "MIDDLE")]
    line = cell_height(rows[0][0], SHEET_WIDTH)  # a full-width row: the title, A. UTAMA, B. TAMBAHAN
    header_height = line + _row_height(rows[1], widths)
    room = SHEET_FRAME_HEIGHT - header_height - 4  # under the repeated header
    start = 0.0  # the header, A. UTAMA and its first RHK: what must fit where the table starts
    for judul, group in (("A. UTAMA", doc.utama), ("B. TAMBAHAN", doc.tambahan)):
        style += [("SPAN", (0, len(rows)), (-1, len(rows))), ("BACKGROUND", (0, len(rows)), (-1, len(rows)), GROUP_BG)]
        rows.append([p(judul, BOLD)] + [""] * (ncols - 1))
        if not start:
            first = _block_height(_block(doc, 1, group[0], widths, spanned), widths, spanned) if group else line
            start = header_height + line + min(first, room)
        if not group:
            style.append(("SPAN", (0, len(rows)), (-1, len(rows))))
            rows.append([p("-", CENTER)] + [""] * (ncols - 1))
        for n, rhk in enumerate(group, start=1):
            block = _block(doc, n, rhk, widths, spanned)
            if _block_height(block, widths, spanned) <= room:
                if len(block) > 1:
                    style += [("SPAN", (c, len(rows)), (c, len(rows) + len(block) - 1)) for c in spanned]
                rows += block
            else:  # taller than a page: the RHK shows on its first IKI row, long text carries on below
                rows += [piece for row in block for piece in split_tall_row(row, widths, room)]
    return [CondPageBreak(start), table(rows, widths, style=style, header_rows=2)]


def _block(doc: EvaluasiDocument, n: int, rhk: BarisHasil, widths: list[float], spanned: tuple[int, ...]) -> list:
    """The rows of one RHK, one per IKI; the spanned cells are filled on the first row only."""
    block = []
    for i, iki in enumerate(rhk.iki or [("", "", "", "", [])]):
        row = _hasil_row(doc, n, rhk, iki)
        block.append(row if i == 0 else [cell if c not in spanned else "" for c, cell in enumerate(row)])
    return block


def _hasil_row(doc: EvaluasiDocument, n: int, rhk: BarisHasil, iki: tuple) -> list:
    aspek, uraian, target, realisasi, bukti = iki
    cell = escape(realisasi or "-").replace("\n", "<br/>")
    if bukti:
        cell += f'<br/><font size="7" color="#444444">Bukti dukung: {escape("; ".join(bukti))}</font>'
    realisasi_cell, umpan_balik = Paragraph(cell, BODY), p(rhk.umpan_balik or "-")
    if doc.is_jpt:
        return [p(str(n), CENTER), p(rhk.uraian), p(uraian), p(target), p(rhk.perspektif), realisasi_cell, umpan_balik]
    return [
        p(str(n), CENTER), p(rhk.rhk_atasan or "-"), p(rhk.uraian), p(aspek), p(uraian), p(target),
        realisasi_cell, umpan_balik,
    ]  # fmt: skip


def _row_height(row: list, widths: list[float], skip: tuple[int, ...] = ()) -> float:
    return max((cell_height(cell, widths[c]) for c, cell in enumerate(row) if c not in skip), default=0)


def _block_height(block: list[list], widths: list[float], spanned: tuple[int, ...]) -> float:
    rows = sum(_row_height(row, widths, skip=spanned) for row in block)
    spanning = max(cell_height(block[0][c], widths[c]) for c in spanned)
    return max(rows, spanning)


def _perilaku_table(doc: EvaluasiDocument) -> Table:
    """Rules §1.9.1 item 8: each BerAKHLAK value with its panduan, the ekspektasi khusus pimpinan
    and the feedback on it."""
    header = [
        "NO",
        "PERILAKU KERJA",
        "EKSPEKTASI KHUSUS PIMPINAN",
        "UMPAN BALIK BERKELANJUTAN BERDASARKAN BUKTI DUKUNG",
    ]
    rows = [[p("PERILAKU KERJA", BOLD), "", "", ""], [p(h, HEAD) for h in header]]
    widths = [9 * mm, 110 * mm, 68 * mm]
    widths.append(SHEET_WIDTH - sum(widths))
    room = SHEET_FRAME_HEIGHT - cell_height(rows[0][0], SHEET_WIDTH) - _row_height(rows[1], widths) - 4
    for n, (nilai, panduan, ekspektasi, umpan_balik) in enumerate(doc.perilaku, start=1):
        cell = [p(nilai, BOLD)] + [Paragraph(escape(teks), BULLET, bulletText="•") for teks in panduan]
        rows += split_tall_row([p(str(n), CENTER), cell, p(ekspektasi or "-"), p(umpan_balik or "-")], widths, room)
    style = [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 1), HEAD_BG), ("VALIGN", (0, 1), (-1, 1), "MIDDLE")]
    return table(rows, widths, style=style, header_rows=2)


def _keberatan_line(doc: EvaluasiDocument) -> list:
    return [p(doc.keberatan, NOTE)] if doc.keberatan else []


def _sheet_story(doc: EvaluasiDocument) -> list:
    jenis = "BAGI JABATAN PIMPINAN TINGGI" if doc.is_jpt else "BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL"
    lines = ["EVALUASI KINERJA PEGAWAI", f"PENDEKATAN HASIL KERJA {doc.pendekatan}", jenis]
    gap = Spacer(1, 3 * mm)
    return [
        *_heading(doc, lines, SHEET_WIDTH),
        identity_table(doc.pegawai, doc.penilai, SHEET_WIDTH),
        *_frozen_note(doc),
        gap,
        KeepTogether(
            [
                _options("CAPAIAN KINERJA ORGANISASI", PredikatOrganisasi, doc.capaian),
                _pola_distribusi(doc, SHEET_WIDTH),
            ]
        ),
        gap,
        *_hasil_kerja_table(doc),
        _options("RATING HASIL KERJA", Rating, doc.rating_hasil_kerja),
        gap,
        CondPageBreak(45 * mm),  # the header and the first value or two, not the header alone
        _perilaku_table(doc),
        _options("RATING PERILAKU KERJA", Rating, doc.rating_perilaku_kerja),
        gap,
        # The result and the signatures under it stay on one page.
        KeepTogether(
            [
                _options("PREDIKAT KINERJA PEGAWAI", Predikat, doc.predikat),
                *_keberatan_line(doc),
                *_signatures(doc, SHEET_WIDTH),
            ]
        ),
    ]


# --- DOKUMEN EVALUASI KINERJA PEGAWAI (rules §1.9.2) ------------------------------------------------------


RECORD_WIDTHS = [10 * mm, 58 * mm, RECORD_WIDTH - 68 * mm]  # NO | label | value
RECORD_IDENTITY = (
    ("Nama", "nama"),
    ("NIP", "nip"),
    ("Pangkat/Gol. Ruang", "pangkat"),
    ("Jabatan", "jabatan"),
    ("Unit Kerja", "unit"),
)


def _block_row(n: int, judul: str, rows: list, style: list) -> None:
    style += [("SPAN", (1, len(rows)), (2, len(rows))), ("BACKGROUND", (0, len(rows)), (-1, len(rows)), GROUP_BG)]
    rows.append([p(str(n), CENTER), p(judul, BOLD), ""])


def _record_people_and_result(doc: EvaluasiDocument) -> Table:
    """Blocks 1–4: the three people, then the organisation's achievement and the predikat."""
    rows, style = [], []
    people = (doc.pegawai, doc.penilai, doc.atasan)
    judul = ("PEGAWAI YANG DINILAI", "PEJABAT PENILAI KINERJA", "ATASAN PEJABAT PENILAI KINERJA")
    for n, (heading, person) in enumerate(zip(judul, people, strict=True), start=1):
        _block_row(n, heading, rows, style)
        rows += [["", p(label), p(person.get(key) or "-")] for label, key in RECORD_IDENTITY]
    _block_row(4, "EVALUASI KINERJA", rows, style)
    capaian = _label(PredikatOrganisasi, doc.capaian) or "Belum ditetapkan"
    rows.append(["", p("Capaian Kinerja Organisasi"), p(capaian, BOLD)])
    predikat = [p(_label(Predikat, doc.predikat) or "-", BOLD), *_keberatan_line(doc)]
    rows.append(["", p("Predikat Kinerja Pegawai"), predikat])
    return table(rows, RECORD_WIDTHS, style=style)


def _record_notes(doc: EvaluasiDocument) -> Table:
    """Block 5: the catatan/rekomendasi across the label and value columns; a long one carries on."""
    rows, style = [], []
    _block_row(5, "CATATAN/REKOMENDASI", rows, style)
    text_widths = [RECORD_WIDTHS[0], RECORD_WIDTHS[1] + RECORD_WIDTHS[2], 0]
    for piece in split_tall_row(["", p(doc.catatan_rekomendasi or "-"), ""], text_widths, RECORD_FRAME_HEIGHT - 30):
        style.append(("SPAN", (1, len(rows)), (2, len(rows))))
        rows.append(piece)
    return table(rows, RECORD_WIDTHS, style=style)


def _record_story(doc: EvaluasiDocument) -> list:
    return [
        *_heading(doc, ["DOKUMEN EVALUASI KINERJA PEGAWAI"], RECORD_WIDTH),
        _record_people_and_result(doc),
        # The notes and the signatures under them move to the next page together, if need be.
        KeepTogether([_record_notes(doc), *_frozen_note(doc), *_signatures(doc, RECORD_WIDTH)]),
    ]


# --- Rendering --------------------------------------------------------------------------------------


def render(doc: EvaluasiDocument, *, record: bool = False) -> bytes:
    """The evaluation sheet, or with ``record`` the evaluation record. Unlike the SKP, no retry
    without line breaks is needed: a cell taller than a page is cut by split_tall_row."""
    judul = "Dokumen Evaluasi Kinerja Pegawai" if record else "Evaluasi Kinerja Pegawai"
    nama, nip = doc.pegawai.get("nama", ""), doc.pegawai.get("nip", "")
    page = RECORD_PAGE if record else SHEET_PAGE
    return build_pdf(
        _record_story(doc) if record else _sheet_story(doc),
        pagesize=page,
        margins=(MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM),
        on_page=page_decoration(
            pagesize=page,
            footer=f"{judul} · {nama} · NIP {nip} · {doc.periode}",
            watermark=DRAFT_BANNER if doc.draft else "",
            margin_x=MARGIN_X,
        ),
        title=f"{judul} — {nama} — {doc.periode}",
        author=doc.instansi,
        subject=f"{judul} (PermenPANRB 6/2022)",
    )


def evaluasi_pdf(evaluasi: Evaluasi) -> bytes:
    """EVALUASI KINERJA PEGAWAI (rules §1.9.1), from the snapshot once final."""
    with translation.override("id"):
        return render(load_document(evaluasi))


def dokumen_evaluasi_pdf(evaluasi: Evaluasi) -> bytes:
    """DOKUMEN EVALUASI KINERJA PEGAWAI (rules §1.9.2), from the snapshot once final."""
    with translation.override("id"):
        return render(load_document(evaluasi), record=True)
