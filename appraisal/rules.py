"""The law of SKP planning and evaluation, as pure functions over plain values.

Section numbers refer to the SIKAP domain rules (shared/domain/rules.md).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

# --- §1.5 BerAKHLAK: the seven core values and their 21 behaviour indicators ---------
# (SE MenPANRB 20/2021, cited from memory per rules §8 #16; the content is tagged H.)
BERAKHLAK: tuple[tuple[str, str, tuple[str, str, str]], ...] = (
    (
        "berorientasi-pelayanan",
        "Berorientasi Pelayanan",
        (
            "Memahami dan memenuhi kebutuhan masyarakat",
            "Ramah, cekatan, solutif, dan dapat diandalkan",
            "Melakukan perbaikan tiada henti",
        ),
    ),
    (
        "akuntabel",
        "Akuntabel",
        (
            "Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan berintegritas tinggi",
            "Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan efisien",
            "Tidak menyalahgunakan kewenangan jabatan",
        ),
    ),
    (
        "kompeten",
        "Kompeten",
        (
            "Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah",
            "Membantu orang lain belajar",
            "Melaksanakan tugas dengan kualitas terbaik",
        ),
    ),
    (
        "harmonis",
        "Harmonis",
        (
            "Menghargai setiap orang apapun latar belakangnya",
            "Suka menolong orang lain",
            "Membangun lingkungan kerja yang kondusif",
        ),
    ),
    (
        "loyal",
        "Loyal",
        (
            "Memegang teguh ideologi Pancasila, Undang-Undang Dasar Negara Republik Indonesia Tahun 1945, "
            "setia kepada Negara Kesatuan Republik Indonesia serta pemerintahan yang sah",
            "Menjaga nama baik sesama ASN, Pimpinan, Instansi, dan Negara",
            "Menjaga rahasia jabatan dan negara",
        ),
    ),
    (
        "adaptif",
        "Adaptif",
        (
            "Cepat menyesuaikan diri menghadapi perubahan",
            "Terus berinovasi dan mengembangkan kreativitas",
            "Bertindak proaktif",
        ),
    ),
    (
        "kolaboratif",
        "Kolaboratif",
        (
            "Memberi kesempatan kepada berbagai pihak untuk berkontribusi",
            "Terbuka dalam bekerja sama untuk menghasilkan nilai tambah",
            "Menggerakkan pemanfaatan berbagai sumberdaya untuk tujuan bersama",
        ),
    ),
)


# --- §1.4.1, §1.10 The SKP year ----------------------------------------------------------


def default_period(tahun: int) -> tuple[datetime.date, datetime.date]:
    """Rules §1.4.1: an SKP year runs 1 January – 31 December."""
    return datetime.date(tahun, 1, 1), datetime.date(tahun, 12, 31)


def default_deadline(tahun: int) -> datetime.date:
    """Rules §1.10: the SKP is set by the end of January (8/2021, kept as the default for 6/2022)."""
    return datetime.date(tahun, 1, 31)


def jenis_skp_for(jenis_jabatan: str) -> str:
    """Rules §1.4.1 / §7.4: JPT posts use the SKP JPT form; JA and JF the other one."""
    return "JPT" if jenis_jabatan.startswith("JPT_") else "ADM_FUNG"


# --- §1.4.3 Targets ---------------------------------------------------------------------------


def target_problems(
    *, pendekatan: str, target_min: Decimal | None, target_max: Decimal | None, target_text: str
) -> dict[str, str]:
    """What is wrong with an IKI's target, per field (empty when it is fine).

    Kuantitatif: a numeric target, optionally a range whose lower bound does not exceed
    the upper. Kualitatif: a described target (rules §1.4.3, §8 #17)."""
    problems: dict[str, str] = {}
    if pendekatan == "KUANTITATIF":
        if target_min is None:
            problems["target_min"] = _("SKP kuantitatif memerlukan target berupa angka.")
        elif target_max is not None and target_min > target_max:
            problems["target_max"] = _("Batas bawah target tidak boleh lebih besar dari batas atas.")
        elif target_min < 0:
            problems["target_min"] = _("Target tidak boleh negatif.")
    elif not target_text.strip() and target_min is None:
        problems["target_text"] = _("SKP kualitatif memerlukan uraian target.")
    return problems


# --- §9.3 invariant 2: what an SKP needs before it can be submitted ----------------------------


@dataclass(frozen=True)
class RHKFacts:
    """The facts about one RHK that submission rules look at."""

    uraian: str
    jenis: str  # "UTAMA" | "TAMBAHAN"
    has_parent: bool
    parent_is_from_supervisor: bool
    perspektif: str
    jumlah_iki: int
    iki_tanpa_target: int = 0  # IKI whose target does not suit the SKP's pendekatan


def submission_problems(*, jenis_skp: str, is_top_of_chain: bool, rhk: Iterable[RHKFacts]) -> list[str]:
    """Why an SKP cannot be submitted yet (rules §1.4.3–1.4.4, §9.3 invariant 2); empty when it can."""
    rhk = list(rhk)
    problems: list[str] = []
    if not any(r.jenis == "UTAMA" for r in rhk):
        problems.append(str(_("SKP harus memiliki paling sedikit satu RHK Utama.")))
    for r in rhk:
        label = r.uraian if len(r.uraian) <= 60 else r.uraian[:59].rstrip() + "…"
        if r.jenis == "UTAMA" and not is_top_of_chain:
            if not r.has_parent:
                problems.append(str(_("RHK Utama “%(rhk)s” belum mengintervensi RHK pimpinan.") % {"rhk": label}))
            elif not r.parent_is_from_supervisor:
                problems.append(
                    str(
                        _("RHK Utama “%(rhk)s” mengintervensi RHK yang bukan milik SKP pejabat penilai yang disetujui.")
                        % {"rhk": label}
                    )
                )
        if jenis_skp == "JPT" and not r.perspektif:
            problems.append(str(_("RHK “%(rhk)s” pada SKP JPT wajib memiliki perspektif.") % {"rhk": label}))
        if r.jumlah_iki == 0:
            problems.append(str(_("RHK “%(rhk)s” belum memiliki indikator kinerja (IKI).") % {"rhk": label}))
        elif r.iki_tanpa_target:
            problems.append(
                str(_("RHK “%(rhk)s” memiliki IKI yang targetnya belum sesuai pendekatan SKP.") % {"rhk": label})
            )
    return problems


# =====================================================================================
# Evaluation (rules §1.6–1.9, §2.2–2.4)
# =====================================================================================

RATINGS = ("DI_ATAS", "SESUAI", "DI_BAWAH")
PREDIKAT_ORDER = ("SANGAT_BAIK", "BAIK", "BUTUH_PERBAIKAN", "KURANG", "SANGAT_KURANG")  # best → worst

# §1.6.2 Predikat Kinerja Pegawai, the 3×3 matrix (PermenPANRB 6/2022 Lampiran; SE MenPANRB 3/2023).
# Key = (rating hasil kerja, rating perilaku kerja).
PREDIKAT_MATRIX: dict[tuple[str, str], str] = {
    ("DI_ATAS", "DI_ATAS"): "SANGAT_BAIK",
    ("DI_ATAS", "SESUAI"): "BAIK",
    ("DI_ATAS", "DI_BAWAH"): "KURANG",
    ("SESUAI", "DI_ATAS"): "BAIK",
    ("SESUAI", "SESUAI"): "BAIK",
    ("SESUAI", "DI_BAWAH"): "KURANG",
    ("DI_BAWAH", "DI_ATAS"): "BUTUH_PERBAIKAN",
    ("DI_BAWAH", "SESUAI"): "BUTUH_PERBAIKAN",
    ("DI_BAWAH", "DI_BAWAH"): "SANGAT_KURANG",
}


def predikat(rating_hasil_kerja: str, rating_perilaku_kerja: str) -> str:
    """Rules §1.6.2: the predikat follows from the two ratings and can never be typed in."""
    return PREDIKAT_MATRIX[(rating_hasil_kerja, rating_perilaku_kerja)]


# --- §1.7.3 Distribution curve per Capaian Kinerja Organisasi (SE MenPANRB 3/2023) ---------


@dataclass(frozen=True)
class DistribusiRule:
    """One line of the curve: ``op`` over the share of employees whose predikat is in ``predikat``.

    MIN and MAX carry a percentage; EXISTS needs at least one; FORBIDDEN allows none."""

    predikat: frozenset[str]
    op: str  # "MIN" | "MAX" | "EXISTS" | "FORBIDDEN"
    pct: int = 0


def _rule(op: str, *predikat: str, pct: int = 0) -> DistribusiRule:
    return DistribusiRule(frozenset(predikat), op, pct)


# Rules §1.7.3 [M: percentages as reported from the SE's Lampiran; stored as data so they can change].
DISTRIBUSI_RULES: dict[str, tuple[DistribusiRule, ...]] = {
    "ISTIMEWA": (_rule("MAX", "SANGAT_BAIK", pct=70),),
    "BAIK": (_rule("MAX", "BAIK", pct=70), _rule("EXISTS", "BUTUH_PERBAIKAN", "KURANG")),
    "BUTUH_PERBAIKAN": (_rule("MAX", "SANGAT_BAIK", pct=10), _rule("MIN", "BUTUH_PERBAIKAN", pct=60)),
    "KURANG": (
        _rule("MAX", "SANGAT_BAIK", pct=10),
        _rule("MIN", "BUTUH_PERBAIKAN", pct=10),
        _rule("MIN", "KURANG", pct=60),
    ),
    "SANGAT_KURANG": (
        _rule("FORBIDDEN", "SANGAT_BAIK"),
        _rule("MIN", "KURANG", "BUTUH_PERBAIKAN", pct=10),
        _rule("MIN", "SANGAT_KURANG", pct=60),
    ),
}

# §1.7.3: units smaller than this cannot meet percentage rules; they may take the documented exception.
SMALL_UNIT_THRESHOLD = 5


@dataclass(frozen=True)
class DistribusiCheck:
    rule: DistribusiRule
    batas: int  # the count allowed (MAX/FORBIDDEN) or required (MIN/EXISTS)
    aktual: int
    ok: bool


def _ceil_pct(pct: int, n: int) -> int:
    return -(-pct * n // 100)


def distribution_checks(org_predikat: str, counts: dict[str, int]) -> list[DistribusiCheck]:
    """Rules §1.7.3: check a unit's predikat counts against the curve of its Capaian Kinerja
    Organisasi. MIN counts are rounded up (ceil), MAX counts down (floor), EXISTS needs ≥ 1."""
    n = sum(counts.values())
    checks = []
    for rule in DISTRIBUSI_RULES[org_predikat]:
        aktual = sum(counts.get(p, 0) for p in rule.predikat)
        if rule.op == "MAX":
            batas = rule.pct * n // 100
            ok = aktual <= batas
        elif rule.op == "FORBIDDEN":
            batas, ok = 0, aktual == 0
        elif rule.op == "MIN":
            batas = _ceil_pct(rule.pct, n)
            ok = aktual >= batas
        else:  # EXISTS
            batas, ok = 1, aktual >= 1
        checks.append(DistribusiCheck(rule, batas, aktual, ok))
    return checks


def is_small_unit(n: int) -> bool:
    """Rules §1.7.3: a unit below SMALL_UNIT_THRESHOLD employees may justify an exception."""
    return n < SMALL_UNIT_THRESHOLD


# --- §1.12 Capaian IKI, shown as objective support (PermenPANRB 6/2022 gives no formula to a rating) ---


def capaian_iki(
    *, realisasi: Decimal, target_min: Decimal, target_max: Decimal | None, lower_is_better: bool
) -> Decimal | None:
    """Achievement in percent (rules §1.12, the 8/2021 formula, advisory only under 6/2022 §1.6.1).

    Higher is better: realisasi / target × 100. Lower is better: (1 + (1 − realisasi / target)) × 100.
    A range counts as met (100) anywhere inside it; outside, the nearer bound is the target.
    None when a zero target makes the ratio meaningless (except lower-is-better 0 met by 0)."""
    lo = target_min
    hi = target_max if target_max is not None else target_min
    if lo <= realisasi <= hi:
        return Decimal(100)
    target = lo if realisasi < lo else hi
    if target == 0:
        return None
    ratio = realisasi / target
    value = (2 - ratio) * 100 if lower_is_better else ratio * 100
    return max(value, Decimal(0))


def rating_of_capaian(capaian: Decimal | None) -> str | None:
    """The expectation level an achievement percentage points to (issue 10: set beside the employee's
    and the supervisor's view as a prompt for a dialog, never as the rating itself — PermenPANRB 6/2022
    leaves the rating to the supervisor). From the capaian bands of rules §1.12 (PermenPANRB 8/2021):
    Sangat Baik (above 100 %) → Di Atas Ekspektasi; Baik (100 %) → Sesuai Ekspektasi; Cukup, Kurang and
    Sangat Kurang (below 100 %) → Di Bawah Ekspektasi. None when there is no capaian."""
    if capaian is None:
        return None
    if capaian > 100:
        return "DI_ATAS"
    if capaian == 100:
        return "SESUAI"
    return "DI_BAWAH"


def rating_gap(a: str | None, b: str | None) -> int | None:
    """How many expectation levels two ratings lie apart (0–2); None when either is missing."""
    if not a or not b:
        return None
    return abs(RATINGS.index(a) - RATINGS.index(b))


# A self-assessment two levels away from the supervisor's or the data's view (Di Atas against Di Bawah)
# is a large gap: the evaluation screen highlights it as a prompt for a performance dialog (§1.3.1).
LARGE_RATING_GAP = 2


def capaian_rata_rata(values: Iterable[Decimal | None]) -> Decimal | None:
    """The mean achievement of a RHK's IKI (those with a capaian), as shown beside the ratings."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    return sum(present, Decimal(0)) / len(present)


# --- §2.2–2.3 PP 30/2019 numeric mode --------------------------------------------------------------

PP30_WEIGHTS = {False: (Decimal("0.7"), Decimal("0.3")), True: (Decimal("0.6"), Decimal("0.4"))}


def nilai_kinerja_pp30(*, nilai_skp: Decimal, nilai_perilaku: Decimal, uses_360: bool) -> Decimal:
    """PP 30/2019 Pasal 41 (rules §2.2): SKP 70 % + perilaku 30 %, or 60/40 when the instansi
    uses peer and subordinate (360°) behaviour assessment. Unrounded."""
    w_skp, w_perilaku = PP30_WEIGHTS[uses_360]
    return nilai_skp * w_skp + nilai_perilaku * w_perilaku


def predikat_pp30(nilai: Decimal, *, inovasi_bermanfaat: bool = False) -> str:
    """PP 30/2019 Pasal 41 bands, pasal.id version (rules §2.3, §8 #1): 110–120 is Sangat Baik only
    with a documented beneficial innovation, otherwise Baik; 90–<110 Baik; 70–<90 Butuh Perbaikan
    (Cukup); 50–<70 Kurang; < 50 Sangat Kurang."""
    if nilai >= 110 and inovasi_bermanfaat:
        return "SANGAT_BAIK"
    if nilai >= 90:
        return "BAIK"
    if nilai >= 70:
        return "BUTUH_PERBAIKAN"
    if nilai >= 50:
        return "KURANG"
    return "SANGAT_KURANG"


# --- §2.4 Keberatan -------------------------------------------------------------------------------

KEBERATAN_DAYS = 14


def keberatan_deadline(diterima: datetime.date, days: int = KEBERATAN_DAYS) -> datetime.date:
    """PP 30/2019 Pasal 59 (rules §2.4): an objection is possible for 14 calendar days after the
    employee receives the result; the last allowed day is returned."""
    return diterima + datetime.timedelta(days=days)


# --- §1.8 evaluation periods of an SKP year ----------------------------------------------------

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
BULAN = (
    "JANUARI", "FEBRUARI", "MARET", "APRIL", "MEI", "JUNI",
    "JULI", "AGUSTUS", "SEPTEMBER", "OKTOBER", "NOVEMBER", "DESEMBER",
)  # fmt: skip


@dataclass(frozen=True)
class PeriodSpec:
    jenis: str
    ke: int
    label: str
    mulai: datetime.date
    selesai: datetime.date


def _month_end(year: int, month: int) -> datetime.date:
    first_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


def evaluation_periods(*, tahun: int, ritme: str) -> list[PeriodSpec]:
    """Rules §1.8: the periodic evaluations of a calendar SKP year in the chosen rhythm, labelled as
    on the forms ("TRIWULAN I" … "TRIWULAN IV-AKHIR", "SEMESTER I/II", the month), then the annual one."""
    months = {"BULANAN": 1, "TRIWULANAN": 3, "SEMESTERAN": 6}[ritme]
    count = 12 // months
    periods = []
    for ke in range(1, count + 1):
        first, last = (ke - 1) * months + 1, ke * months
        if ritme == "BULANAN":
            label = BULAN[ke - 1]
        elif ritme == "TRIWULANAN":
            label = f"TRIWULAN {ROMAN[ke - 1]}" + ("-AKHIR" if ke == count else "")
        else:
            label = f"SEMESTER {ROMAN[ke - 1]}"
        periods.append(PeriodSpec(ritme, ke, label, datetime.date(tahun, first, 1), _month_end(tahun, last)))
    periods.append(PeriodSpec("TAHUNAN", 1, "TAHUNAN", datetime.date(tahun, 1, 1), datetime.date(tahun, 12, 31)))
    return periods


# --- Evidence uploads (issue 4 item 1): checked by content, never by name -------------------------

MAX_BUKTI_BYTES = 5 * 1024 * 1024
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"PK\x03\x04", "application/zip"),  # docx / xlsx / pptx containers
)


def sniff_content_type(head: bytes) -> str | None:
    """The content type of an evidence file from its first bytes, or None when not allowed."""
    for magic, content_type in _SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None
