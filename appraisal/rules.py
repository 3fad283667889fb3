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


def submission_problems(*, jenis_skp: str, is_top_of_chain: bool, rhk: Iterable[RHKFacts]) -> list[str]:
    """Why an SKP cannot be submitted yet (rules §1.4.3–1.4.4, §9.3 invariant 2); empty when it can."""
    rhk = list(rhk)
    problems: list[str] = []
    if not any(r.jenis == "UTAMA" for r in rhk):
        problems.append(str(_("SKP harus memiliki paling sedikit satu RHK Utama.")))
    for r in rhk:
        label = r.uraian[:60]
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
    return problems
