"""Survei Kepuasan Masyarakat (PermenPANRB 14/2017; SIKAP domain rules §6), as pure functions.

The index is computed exactly: NRR per unsur as a fraction, the weight exactly 1/9 (§6.5, §8 #6),
rounded half-up only at the end, then classified on the rounded value (§6.6)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

# --- §6.2 / §6.3 the nine unsur in PermenPANRB 14/2017 order, with the typical question and labels ---


@dataclass(frozen=True)
class Unsur:
    kode: str
    nama: str
    pertanyaan: str
    label: tuple[str, str, str, str]  # answers worth 1, 2, 3, 4


UNSUR: tuple[Unsur, ...] = (
    Unsur(
        "U1",
        "Persyaratan",
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    Unsur(
        "U2",
        "Sistem, Mekanisme, dan Prosedur",
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    Unsur(
        "U3",
        "Waktu Penyelesaian",
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    ),
    Unsur(
        "U4",
        "Biaya/Tarif",
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    ),
    Unsur(
        "U5",
        "Produk Spesifikasi Jenis Pelayanan",
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar "
        "pelayanan dengan hasil yang diberikan?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    Unsur(
        "U6",
        "Kompetensi Pelaksana",
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    Unsur(
        "U7",
        "Perilaku Pelaksana",
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
        ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah", "Sangat sopan dan ramah"),
    ),
    Unsur(
        "U8",
        "Penanganan Pengaduan, Saran dan Masukan",
        "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik"),
    ),
    Unsur(
        "U9",
        "Sarana dan Prasarana",
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        ("Buruk", "Cukup", "Baik", "Sangat Baik"),
    ),
)
UNSUR_KODE = tuple(u.kode for u in UNSUR)
UNSUR_BY_KODE = {u.kode: u for u in UNSUR}

# §6.5: the weight is exactly 1/9. The regulation's text writes 0,11; that legacy value is kept only
# so an instansi can reproduce old reports (it caps the index at 99.00).
BOBOT = Fraction(1, 9)
BOBOT_LEGACY = Fraction(11, 100)
CENT = Decimal("0.01")


def _round(value: Fraction, places: Decimal = CENT) -> Decimal:
    """Round an exact fraction half-up to ``places`` (the only rounding in the index)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(places, rounding=ROUND_HALF_UP)


def nrr(values: Iterable[int]) -> Fraction | None:
    """§6.5 step 1: the nilai rata-rata of one unsur over the respondents who answered it."""
    values = list(values)
    if not values:
        return None
    if any(v not in (1, 2, 3, 4) for v in values):
        raise ValueError("nilai persepsi must be 1–4")
    return Fraction(sum(values), len(values))


@dataclass(frozen=True)
class HasilIKM:
    nrr: dict[str, Fraction]  # per unsur, exact
    ikm_raw: Fraction  # Σ NRR × bobot, scale 1–4
    ikm: Decimal  # × 25, rounded half-up to 2 decimals, scale 25–100
    mutu: str  # A–D
    kinerja: str


def ikm(nrr_per_unsur: Mapping[str, Fraction], *, legacy_weight: bool = False) -> HasilIKM:
    """§6.5 steps 2–4: IKM = Σ NRR × 1/9, converted × 25, rounded to 2 decimals only at the end,
    then classified (§6.6). All nine unsur are required."""
    missing = [k for k in UNSUR_KODE if nrr_per_unsur.get(k) is None]
    if missing:
        raise ValueError(f"every unsur needs answers; missing {missing}")
    bobot = BOBOT_LEGACY if legacy_weight else BOBOT
    raw = sum((nrr_per_unsur[k] * bobot for k in UNSUR_KODE), Fraction(0))
    converted = _round(raw * 25)
    code, label = mutu(converted)
    return HasilIKM(dict(nrr_per_unsur), raw, converted, code, label)


def ikm_from_answers(answers: Iterable[Mapping[str, int]], *, legacy_weight: bool = False) -> HasilIKM:
    """The IKM of a set of respondents, each a mapping unsur → value 1–4."""
    per: dict[str, list[int]] = {k: [] for k in UNSUR_KODE}
    for answer in answers:
        for kode, value in answer.items():
            per[kode].append(value)
    return ikm({k: nrr(v) for k, v in per.items()}, legacy_weight=legacy_weight)


# §6.6 interpretation, on the converted value rounded to 2 decimals; gaps closed as the rules say.
MUTU_BANDS: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("88.31"), "A", _("Sangat baik")),
    (Decimal("76.61"), "B", _("Baik")),
    (Decimal("65.00"), "C", _("Kurang baik")),
    (Decimal("25.00"), "D", _("Tidak baik")),
)


def mutu(ikm_converted: Decimal) -> tuple[str, str]:
    """§6.6: mutu pelayanan (A–D) and kinerja unit pelayanan for a converted IKM (25–100)."""
    value = ikm_converted.quantize(CENT, rounding=ROUND_HALF_UP)
    for lower, code, label in MUTU_BANDS:
        if value >= lower:
            return code, str(label)
    return "D", str(MUTU_BANDS[-1][2])


# --- §6.7 sample size (Krejcie & Morgan) ----------------------------------------------------------

CHI2 = Fraction(3841, 1000)
P = Fraction(1, 2)
D = Fraction(5, 100)
KM_TABLE: tuple[tuple[int, int], ...] = (
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (35, 32), (40, 36), (45, 40), (50, 44), (55, 48),
    (60, 52), (65, 56), (70, 59), (75, 63), (80, 66), (85, 70), (90, 73), (95, 76), (100, 80), (110, 86),
    (120, 92), (130, 97), (140, 103), (150, 108), (160, 113), (170, 118), (180, 123), (190, 127), (200, 132),
    (210, 136), (220, 140), (230, 144), (240, 148), (250, 152), (260, 155), (270, 159), (280, 162),
    (290, 165), (300, 169), (320, 175), (340, 181), (360, 186), (380, 191), (400, 196), (420, 201),
    (440, 205), (460, 210), (480, 214), (500, 217), (550, 226), (600, 234), (650, 242), (700, 248),
    (750, 254), (800, 260), (850, 265), (900, 269), (950, 274), (1000, 278), (1100, 285), (1200, 291),
    (1300, 297), (1400, 302), (1500, 306), (1600, 310), (1700, 313), (1800, 317), (1900, 320), (2000, 322),
    (2200, 327), (2400, 331), (2600, 335), (2800, 338), (3000, 341), (3500, 346), (4000, 351), (4500, 354),
    (5000, 357), (6000, 361), (7000, 364), (8000, 367), (9000, 368), (10000, 370), (15000, 375),
    (20000, 377), (30000, 379), (40000, 380), (50000, 381), (75000, 382), (100000, 384),
)  # fmt: skip


def sample_size(populasi: int, *, method: str = "TABLE") -> int:
    """§6.7: respondents needed for a population of ``populasi`` service users.

    TABLE: the published Krejcie–Morgan row for N, or the next-higher row between rows (conservative).
    FORMULA: S = χ²NP(1−P) / (d²(N−1) + χ²P(1−P)) rounded to the nearest whole respondent.
    Either way: N ≤ 10 means everyone, and N ≥ 100 000 needs 384 (the table's limit)."""
    if populasi <= 0:
        return 0
    if populasi <= 10:
        return populasi
    if populasi >= 100_000:
        return 384
    if method == "FORMULA":
        s = CHI2 * populasi * P * (1 - P) / (D * D * (populasi - 1) + CHI2 * P * (1 - P))
        return int(_round(s, Decimal(1)))
    for n, s in KM_TABLE:
        if n >= populasi:
            return s
    return 384
