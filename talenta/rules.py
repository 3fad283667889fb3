"""Turning predikat into decisions: angka kredit, the talent 9-box, Job Person Match and the
yearly development hours. Pure functions; section numbers refer to shared/domain/rules.md."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

# --- §3.1 Angka kredit (PermenPANRB 1/2023 + PerBKN 3/2023) ---------------------------------------

# Conversion percentage per predikat.
PERSENTASE_AK: dict[str, Decimal] = {
    "SANGAT_BAIK": Decimal("1.50"),
    "BAIK": Decimal("1.00"),
    "BUTUH_PERBAIKAN": Decimal("0.75"),
    "KURANG": Decimal("0.50"),
    "SANGAT_KURANG": Decimal("0.25"),
}

# Koefisien per tahun per jenjang.
KOEFISIEN_AK: dict[str, Decimal] = {
    "PEMULA": Decimal("3.75"),
    "TERAMPIL": Decimal("5"),
    "MAHIR": Decimal("12.5"),
    "PENYELIA": Decimal("25"),
    "AHLI_PERTAMA": Decimal("12.5"),
    "AHLI_MUDA": Decimal("25"),
    "AHLI_MADYA": Decimal("37.5"),
    "AHLI_UTAMA": Decimal("50"),
}

# Minimum cumulative AK for kenaikan pangkat and kenaikan jenjang (None: top of the track).
AK_KENAIKAN_PANGKAT: dict[str, Decimal] = {
    "PEMULA": Decimal(15), "TERAMPIL": Decimal(20), "MAHIR": Decimal(50), "PENYELIA": Decimal(100),
    "AHLI_PERTAMA": Decimal(50), "AHLI_MUDA": Decimal(100), "AHLI_MADYA": Decimal(150), "AHLI_UTAMA": Decimal(200),
}  # fmt: skip
AK_KENAIKAN_JENJANG: dict[str, Decimal | None] = {
    "PEMULA": Decimal(15), "TERAMPIL": Decimal(60), "MAHIR": Decimal(100), "PENYELIA": None,
    "AHLI_PERTAMA": Decimal(100), "AHLI_MUDA": Decimal(200), "AHLI_MADYA": Decimal(450), "AHLI_UTAMA": None,
}  # fmt: skip

AK_PLACES = Decimal("0.000001")  # stored with 6 decimals (§3.1: month fractions repeat)


def angka_kredit(*, jenjang: str, predikat: str, bulan: int = 12) -> Decimal:
    """§3.1: AK = (bulan / 12) × persentase predikat × koefisien tahunan jenjang, unrounded to 6 places."""
    if not 1 <= bulan <= 12:
        raise ValueError("bulan must be 1–12")
    value = Decimal(bulan) / 12 * PERSENTASE_AK[predikat] * KOEFISIEN_AK[jenjang]
    return value.quantize(AK_PLACES, rounding=ROUND_HALF_UP)


def ak_display(value: Decimal) -> Decimal:
    """§3.1: shown with 2 decimals, half-up (5.625 → 5.63); sums are taken before rounding."""
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- §4 Talent 9-box (PermenPANRB 3/2020) ------------------------------------------------------------

# (kinerja, potensial) → box number, majority layout of §4.1 (§8 #8).
KOTAK: dict[tuple[str, str], int] = {
    ("DI_ATAS", "RENDAH"): 4, ("DI_ATAS", "MENENGAH"): 7, ("DI_ATAS", "TINGGI"): 9,
    ("SESUAI", "RENDAH"): 2, ("SESUAI", "MENENGAH"): 5, ("SESUAI", "TINGGI"): 8,
    ("DI_BAWAH", "RENDAH"): 1, ("DI_BAWAH", "MENENGAH"): 3, ("DI_BAWAH", "TINGGI"): 6,
}  # fmt: skip

# §4.2 standard recommendation per box.
REKOMENDASI_KOTAK: dict[int, str] = {
    9: _(
        "Dipromosikan dan dipertahankan; masuk Kelompok Rencana Suksesi (KRS) Instansi/Nasional; mendapat penghargaan"
    ),
    8: _("Dipertahankan; masuk KRS Instansi; rotasi / perluasan jabatan; bimbingan kinerja"),
    7: _("Dipertahankan; masuk KRS Instansi; rotasi / pengayaan jabatan; pengembangan kompetensi; tugas belajar"),
    6: _("Penempatan yang sesuai; bimbingan kinerja; konseling kinerja"),
    5: _("Penempatan yang sesuai; bimbingan kinerja; pengembangan kompetensi"),
    4: _("Rotasi; pengembangan kompetensi"),
    3: _("Bimbingan kinerja; konseling kinerja; pengembangan kompetensi; penempatan yang sesuai"),
    2: _("Bimbingan kinerja; pengembangan kompetensi; penempatan yang sesuai"),
    1: _("Diproses sesuai ketentuan peraturan perundang-undangan"),
}
TALENT_POOL = frozenset({7, 8, 9})


def kinerja_axis(predikat: str) -> str:
    """§4.3: SB → Di Atas; Baik → Sesuai; BP/K/SK → Di Bawah (mapping seen in apps, M)."""
    return {"SANGAT_BAIK": "DI_ATAS", "BAIK": "SESUAI"}.get(predikat, "DI_BAWAH")


def kinerja_from_history(predikat_terakhir: Sequence[str]) -> str | None:
    """§4.3: the kinerja axis from the last (up to) two annual predikat, most recent first: the
    weaker of the two counts, so one good year does not hide a poor one. None without history."""
    if not predikat_terakhir:
        return None
    order = ("DI_BAWAH", "SESUAI", "DI_ATAS")
    return min((kinerja_axis(p) for p in predikat_terakhir[:2]), key=order.index)


def jpm(levels: Mapping[str, tuple[int, int]], *, cap_at_standard: bool = True) -> Decimal | None:
    """§4.3 Job Person Match: Σ level aktual / Σ level standar × 100 over the competencies of the
    standard (each aktual capped at its standard by default). ``levels``: kompetensi → (aktual, standar)."""
    standar = sum(s for _a, s in levels.values())
    if standar == 0:
        return None
    aktual = sum(min(a, s) if cap_at_standard else a for a, s in levels.values())
    return (Decimal(aktual) * 100 / Decimal(standar)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def potensial_axis(jpm_persen: Decimal) -> str:
    """§4.3: JPM ≥ 90 % Tinggi ("optimal"), 78 % ≤ JPM < 90 % Menengah, below Rendah (M)."""
    if jpm_persen >= 90:
        return "TINGGI"
    if jpm_persen >= 78:
        return "MENENGAH"
    return "RENDAH"


def kotak(kinerja: str, potensial: str) -> int:
    """§4.1: the box number 1–9."""
    return KOTAK[(kinerja, potensial)]


# --- §5.2 development hours (PP 11/2017 jo. PP 17/2020 Ps 203(4)) -----------------------------------

JP_MINIMUM_PNS = 20


def jp_kurang(*, jenis_asn: str, jp_tercapai: int) -> int:
    """How many JP a PNS still lacks this year against the 20 JP duty (PPPK: no minimum, 0)."""
    if jenis_asn != "PNS":
        return 0
    return max(JP_MINIMUM_PNS - jp_tercapai, 0)


# Rules §5.2 (Perlan 10/2018; the development types of PP 17/2020): the forms of each path.
BENTUK_PELATIHAN: dict[str, tuple[str, ...]] = {
    "KLASIKAL": (
        "Pelatihan struktural kepemimpinan", "Pelatihan manajerial", "Pelatihan teknis", "Pelatihan fungsional",
        "Pelatihan sosial kultural", "Seminar/konferensi", "Workshop", "Kursus", "Penataran", "Bimbingan teknis",
        "Sosialisasi",
    ),
    "NONKLASIKAL": (
        "Coaching", "Mentoring", "E-learning", "Pelatihan jarak jauh", "Detasering/secondment",
        "Pembelajaran alam terbuka", "Patok banding", "Pertukaran PNS dengan swasta/BUMN", "Belajar mandiri",
        "Komunitas belajar", "Magang/praktik kerja",
    ),
}  # fmt: skip

# Enrolment statuses that count as having taken part (and so earn the training's JP).
STATUS_DIIKUTI = frozenset({"HADIR", "LULUS"})


def jp_diperoleh(*, status: str, jp_pelatihan: int) -> int:
    """§5.2 (PP 17/2020 Ps 203(4)): the JP an enrolment earns: the training's JP once the employee
    attended (HADIR) or passed (LULUS); none while only enrolled or when absent."""
    return jp_pelatihan if status in STATUS_DIIKUTI else 0


# --- After a training: performance before and after (rencana pembinaan, issue 6 item 5) -----------------

# Predikat ordered worst → best (PermenPANRB 6/2022, rules §1.6.2), to tell a rise from a fall.
URUTAN_PREDIKAT: dict[str, int] = {
    "SANGAT_KURANG": 1,
    "KURANG": 2,
    "BUTUH_PERBAIKAN": 3,
    "BAIK": 4,
    "SANGAT_BAIK": 5,
}
JENDELA_DAMPAK_HARI = 365


def rata_rata(values: Sequence[Decimal]) -> Decimal | None:
    """The mean of the capaian values, 2 decimals half-up; None without values."""
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def arah_predikat(sebelum: str, sesudah: str) -> str | None:
    """NAIK, TETAP or TURUN from the predikat before to the one after; None when either is unknown."""
    if sebelum not in URUTAN_PREDIKAT or sesudah not in URUTAN_PREDIKAT:
        return None
    delta = URUTAN_PREDIKAT[sesudah] - URUTAN_PREDIKAT[sebelum]
    return "NAIK" if delta > 0 else "TURUN" if delta < 0 else "TETAP"


def bandingkan_kinerja(
    sebelum: Sequence[tuple[Decimal | None, str]], sesudah: Sequence[tuple[Decimal | None, str]]
) -> dict:
    """One participant's performance before and after a training (the monitoring of the
    development plan, PP 17/2020 Ps 206(b) "kesenjangan kinerja"; Tanjungbalai's seed document).

    ``sebelum``: the (capaian SKP %, predikat) of the participant's *periodic* evaluation periods
    that ended before the training started (within JENDELA_DAMPAK_HARI), oldest first; ``sesudah``:
    those of the periodic periods that started after the training ended (within the same window),
    oldest first. Annual periods are left out: they overlap the training. The comparison is

    - capaian: the mean capaian SKP of each side (periods without a capaian are skipped);
    - predikat: the *latest* predikat before against the *earliest* predikat after (the nearest
      ones to the training), giving NAIK / TETAP / TURUN, or None when a side has no predikat.
    """
    capaian_sebelum = rata_rata([c for c, _p in sebelum if c is not None])
    capaian_sesudah = rata_rata([c for c, _p in sesudah if c is not None])
    predikat_sebelum = next((p for _c, p in reversed(sebelum) if p), "")
    predikat_sesudah = next((p for _c, p in sesudah if p), "")
    selisih = capaian_sesudah - capaian_sebelum if capaian_sebelum is not None and capaian_sesudah is not None else None
    return {
        "capaian_sebelum": capaian_sebelum,
        "capaian_sesudah": capaian_sesudah,
        "selisih": selisih,
        "predikat_sebelum": predikat_sebelum,
        "predikat_sesudah": predikat_sesudah,
        "arah": arah_predikat(predikat_sebelum, predikat_sesudah),
    }


def ringkas_dampak(perbandingan: Sequence[dict]) -> dict:
    """The training's summary over its participants' comparisons (``bandingkan_kinerja``): how
    many rose, stayed or fell in predikat, how many lack data, the mean capaian on each side over
    the participants who have both, and the predikat distribution before and after."""
    lengkap = [p for p in perbandingan if p["selisih"] is not None]
    arah = {"NAIK": 0, "TETAP": 0, "TURUN": 0}
    for p in perbandingan:
        if p["arah"]:
            arah[p["arah"]] += 1
    distribusi = {
        side: {k: sum(1 for p in perbandingan if p[f"predikat_{side}"] == k) for k in URUTAN_PREDIKAT}
        for side in ("sebelum", "sesudah")
    }
    return {
        "peserta": len(perbandingan),
        "lengkap": len(lengkap),
        "tanpa_data": sum(1 for p in perbandingan if p["selisih"] is None and p["arah"] is None),
        **{k.lower(): v for k, v in arah.items()},
        "capaian_sebelum": rata_rata([p["capaian_sebelum"] for p in lengkap]),
        "capaian_sesudah": rata_rata([p["capaian_sesudah"] for p in lengkap]),
        "distribusi": distribusi,
    }
