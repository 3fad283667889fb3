"""Master-data law: NIP and NI PPPK, golongan ruang and pangkat.

Pure functions over plain values, no database access. Section numbers refer to
the SIKAP domain rules (shared/domain/rules.md, §7).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# --- §7.3 Golongan ruang and pangkat (PNS) ----------------------------------
# (kode, pangkat) in rank order; the index + 1 is the "urutan" used for ranges.
GOLONGAN_PNS: tuple[tuple[str, str], ...] = (
    ("I/a", "Juru Muda"),
    ("I/b", "Juru Muda Tingkat I"),
    ("I/c", "Juru"),
    ("I/d", "Juru Tingkat I"),
    ("II/a", "Pengatur Muda"),
    ("II/b", "Pengatur Muda Tingkat I"),
    ("II/c", "Pengatur"),
    ("II/d", "Pengatur Tingkat I"),
    ("III/a", "Penata Muda"),
    ("III/b", "Penata Muda Tingkat I"),
    ("III/c", "Penata"),
    ("III/d", "Penata Tingkat I"),
    ("IV/a", "Pembina"),
    ("IV/b", "Pembina Tingkat I"),
    ("IV/c", "Pembina Utama Muda"),
    ("IV/d", "Pembina Utama Madya"),
    ("IV/e", "Pembina Utama"),
)
PANGKAT_BY_GOLONGAN = dict(GOLONGAN_PNS)

# §7.3: PPPK golongan I–XVII (Perpres 98/2020); PPPK have no pangkat.
GOLONGAN_PPPK: tuple[str, ...] = (
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
    "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
)  # fmt: skip


def golongan_urutan(kode: str) -> int:
    """Rank 1–17 of a PNS golongan ruang or PPPK golongan (§7.3), for comparisons."""
    for index, (pns_kode, _pangkat) in enumerate(GOLONGAN_PNS):
        if pns_kode == kode:
            return index + 1
    return GOLONGAN_PPPK.index(kode) + 1


def pangkat_golongan_label(kode: str) -> str:
    """What forms print as "Pangkat/Gol. Ruang" (§7.3): "Penata Muda Tingkat I, III/b", or the PPPK golongan."""
    if kode in PANGKAT_BY_GOLONGAN:
        return f"{PANGKAT_BY_GOLONGAN[kode]}, {kode}"
    return kode


# --- §7.1 NIP and §7.2 NI PPPK ----------------------------------------------

MIN_AGE_AT_APPOINTMENT = 17
OLDEST_BIRTH_YEAR = 1940


@dataclass(frozen=True)
class NomorIndukInfo:
    """What an 18-digit NIP or NI PPPK encodes."""

    tanggal_lahir: datetime.date
    tahun_pengangkatan: int
    bulan_pengangkatan: int | None  # PNS only (TMT CPNS month); PPPK encodes the year only
    jenis_kelamin: str  # "L" or "P"
    nomor_urut: int


class NomorIndukError(ValueError):
    """A NIP / NI PPPK that breaks the rules; ``message`` is the user-facing text."""

    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


def _years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day ``years`` earlier; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _normalise(nomor: str) -> str:
    # The display form and copies from PDFs carry spaces, tabs or no-break spaces; storage has none.
    return "".join(nomor.split())


def _check_common(nomor: str, today: datetime.date) -> datetime.date:
    # isascii(): str.isdigit() also accepts "²" or Arabic-Indic digits, which int()/strptime reject or misread.
    if not (nomor.isascii() and nomor.isdigit()):
        raise NomorIndukError(_("Nomor induk hanya boleh berisi angka."), "non_digit")
    if len(nomor) != 18:
        raise NomorIndukError(
            _("Nomor induk harus 18 digit (yang dimasukkan %(n)d digit).") % {"n": len(nomor)}, "length"
        )
    try:
        lahir = datetime.datetime.strptime(nomor[:8], "%Y%m%d").date()
    except ValueError:
        raise NomorIndukError(
            _("Delapan digit pertama (%(d)s) bukan tanggal lahir yang valid.") % {"d": nomor[:8]}, "birth_date"
        ) from None
    if lahir.year < OLDEST_BIRTH_YEAR:
        raise NomorIndukError(
            _("Tahun lahir %(y)d di nomor induk tidak masuk akal (paling awal %(min)d).")
            % {"y": lahir.year, "min": OLDEST_BIRTH_YEAR},
            "birth_year",
        )
    # Age on the day, not the year alone: someone born on 31 December is not 17 on 1 January.
    if lahir > _years_before(today, MIN_AGE_AT_APPOINTMENT):
        raise NomorIndukError(
            _("Tanggal lahir %(d)s di nomor induk berarti usia di bawah %(n)d tahun.")
            % {"d": lahir.strftime("%d-%m-%Y"), "n": MIN_AGE_AT_APPOINTMENT},
            "too_young",
        )
    if nomor[14] not in "12":
        raise NomorIndukError(
            _("Digit ke-15 (jenis kelamin) harus 1 (pria) atau 2 (wanita), bukan %(d)s.") % {"d": nomor[14]},
            "sex_digit",
        )
    if nomor[15:] == "000":
        raise NomorIndukError(_("Nomor urut (tiga digit terakhir) tidak boleh 000."), "sequence")
    return lahir


def parse_nip(nomor: str, *, today: datetime.date | None = None) -> NomorIndukInfo:
    """Parse a PNS NIP: ``YYYYMMDD YYYYMM G NNN`` (Perka BKN 22/2007 jo. 43/2007; rules §7.1).

    Raises NomorIndukError with a distinct Indonesian message for each broken rule.
    """
    today = today or timezone.localdate()
    nomor = _normalise(nomor)
    lahir = _check_common(nomor, today)
    tahun_tmt, bulan_tmt = int(nomor[8:12]), int(nomor[12:14])
    if not 1 <= bulan_tmt <= 12:
        raise NomorIndukError(
            _("Bulan TMT CPNS (digit ke-13 dan 14) harus 01–12, bukan %(m)s.") % {"m": nomor[12:14]}, "tmt_month"
        )
    if (tahun_tmt, bulan_tmt) > (today.year, today.month):
        raise NomorIndukError(_("TMT CPNS %(t)s berada di masa depan.") % {"t": nomor[8:14]}, "tmt_future")
    if tahun_tmt < lahir.year:
        raise NomorIndukError(_("TMT CPNS tidak boleh sebelum tahun lahir."), "tmt_before_birth")
    return NomorIndukInfo(lahir, tahun_tmt, bulan_tmt, "L" if nomor[14] == "1" else "P", int(nomor[15:]))


def parse_ni_pppk(nomor: str, *, today: datetime.date | None = None) -> NomorIndukInfo:
    """Parse a NI PPPK: ``YYYYMMDD YYYY 2 F G NNN`` (rules §7.2, library encoding, validated leniently)."""
    today = today or timezone.localdate()
    nomor = _normalise(nomor)
    lahir = _check_common(nomor, today)
    tahun = int(nomor[8:12])
    if nomor[12] != "2":
        raise NomorIndukError(_("Digit ke-13 NI PPPK harus 2 (kode PPPK)."), "pppk_code")
    if nomor[13] == "0":
        raise NomorIndukError(_("Digit ke-14 NI PPPK (angkatan pengangkatan) harus 1–9."), "pppk_batch")
    if tahun > today.year:
        raise NomorIndukError(_("Tahun pengangkatan PPPK %(y)d berada di masa depan.") % {"y": tahun}, "tmt_future")
    if tahun <= lahir.year:
        raise NomorIndukError(
            _("Tahun pengangkatan PPPK %(y)d tidak boleh sebelum atau sama dengan tahun lahir.") % {"y": tahun},
            "tmt_before_birth",
        )
    return NomorIndukInfo(lahir, tahun, None, "L" if nomor[14] == "1" else "P", int(nomor[15:]))


def check_jenis_kelamin(info: NomorIndukInfo, jenis_kelamin: str) -> None:
    """The sex digit must agree with the recorded sex (§7.1 digit 15)."""
    if jenis_kelamin and info.jenis_kelamin != jenis_kelamin:
        raise NomorIndukError(
            _("Digit jenis kelamin di nomor induk (%(d)s) tidak sesuai dengan jenis kelamin yang dicatat.")
            % {"d": "1 = pria" if info.jenis_kelamin == "L" else "2 = wanita"},
            "sex_mismatch",
        )


def format_nip(nomor: str) -> str:
    """Display form ``19660801 198803 1 001`` (§7.1); storage keeps the 18 digits only."""
    if len(nomor) != 18:
        return nomor
    return f"{nomor[:8]} {nomor[8:14]} {nomor[14]} {nomor[15:]}"
