"""Reads for SKM administration, results and the appraisal (PermenPANRB 14/2017; rules §6).

Every score comes from ONE grouped aggregate over the JawabanUnsur of DITERIMA responses
(``Count`` and ``Sum`` per unsur, optionally per period or per officer), turned into exact
fractions and handed to ``surveys.rules.ikm``: no query per response, no float on the way,
rounding only at the end (rules §6.5)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Instansi, Pegawai, UnitKerja

from . import rules
from .models import (
    JawabanUnsur,
    JenisLayanan,
    Pekerjaan,
    Pendidikan,
    PeriodeSurvei,
    PertanyaanUnsur,
    Respons,
    SaluranSurvei,
    StatusRespons,
    TindakLanjut,
    UnitLayanan,
)

NRR_PLACES = Decimal("0.0001")  # rules §6.5: NRR shown to 4 decimals
DITERIMA = StatusRespons.DITERIMA
MUTU_CSS = {"A": "success", "B": "primary", "C": "warning", "D": "danger"}


def round_half_up(value: Fraction, places: Decimal) -> Decimal:
    """An exact fraction shown at ``places``, half-up (display only; the index itself rounds in rules.ikm)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(places, rounding=ROUND_HALF_UP)


# --- Scores from grouped sums ------------------------------------------------------------------------


@dataclass(frozen=True)
class NilaiUnsur:
    """One unsur of a result: how many answered, the sum of their values and the exact NRR."""

    kode: str
    nama: str
    jumlah: int
    total: int
    bobot: Fraction

    @property
    def nrr(self) -> Fraction | None:
        return Fraction(self.total, self.jumlah) if self.jumlah else None

    @property
    def nrr_display(self) -> Decimal | None:
        return round_half_up(self.nrr, NRR_PLACES) if self.jumlah else None

    @property
    def tertimbang_display(self) -> Decimal | None:
        """NRR × bobot (rules §6.5 step 2), to 4 decimals."""
        return round_half_up(self.nrr * self.bobot, NRR_PLACES) if self.jumlah else None


@dataclass(frozen=True)
class Skor:
    """A result: the nine unsur, the index when every unsur has answers, and the respondents."""

    unsur: tuple[NilaiUnsur, ...]
    responden: int
    hasil: rules.HasilIKM | None

    @property
    def ikm(self) -> Decimal | None:
        return self.hasil.ikm if self.hasil else None

    @property
    def mutu(self) -> str:
        return self.hasil.mutu if self.hasil else ""

    @property
    def kinerja(self) -> str:
        return self.hasil.kinerja if self.hasil else ""

    @property
    def mutu_css(self) -> str:
        """The Bootstrap colour of the mutu badge."""
        return MUTU_CSS.get(self.mutu, "secondary")

    @property
    def ikm_raw_display(self) -> Decimal | None:
        """Σ NRR tertimbang (rules §6.5 step 3, scale 1–4), to 4 decimals."""
        return round_half_up(self.hasil.ikm_raw, NRR_PLACES) if self.hasil else None

    def terendah(self, n: int = 3) -> list[NilaiUnsur]:
        """The ``n`` weakest answered unsur, lowest NRR first (ties in the regulation's order)."""
        answered = [u for u in self.unsur if u.jumlah]
        return sorted(answered, key=lambda u: (u.nrr, rules.UNSUR_KODE.index(u.kode)))[:n]


def skor_from_sums(sums: Mapping[str, tuple[int, int]], *, responden: int, legacy_weight: bool = False) -> Skor:
    """A Skor from ``{unsur: (count, sum)}``; the index only when all nine unsur have answers."""
    bobot = rules.BOBOT_LEGACY if legacy_weight else rules.BOBOT
    unsur = tuple(
        NilaiUnsur(u.kode, u.nama, *sums.get(u.kode, (0, 0)), bobot=bobot)  # type: ignore[misc]
        for u in rules.UNSUR
    )
    hasil = None
    if all(u.jumlah for u in unsur):
        hasil = rules.ikm({u.kode: u.nrr for u in unsur}, legacy_weight=legacy_weight)
    return Skor(unsur, responden, hasil)


def _unsur_sums(respons: Q, *group_by: str) -> QuerySet:
    """The one grouped aggregate: count and sum of the answers of DITERIMA responses per unsur
    (and per ``group_by``, e.g. the period or the officer)."""
    return (
        JawabanUnsur.objects.filter(respons, respons__status=DITERIMA)
        .values(*group_by, "unsur")
        .annotate(jumlah=Count("id"), total=Sum("nilai"))
        .order_by()
    )


def _prefixed(q: Q) -> Q:
    """A filter written on Respons, re-rooted on JawabanUnsur.respons."""
    children = [
        _prefixed(child) if isinstance(child, Q) else (f"respons__{child[0]}", child[1]) for child in q.children
    ]
    prefixed = Q(*children, _connector=q.connector, _negated=q.negated)
    return prefixed


def _sums_by(rows: Iterable[dict], key: str | None) -> dict:
    grouped: dict = defaultdict(dict)
    for row in rows:
        grouped[row[key] if key else None][row["unsur"]] = (row["jumlah"], row["total"])
    return grouped


# --- The unit list ------------------------------------------------------------------------------------


@dataclass
class Progres:
    """Accepted responses against the Krejcie–Morgan sample of a period (rules §6.7)."""

    diterima: int
    sampel: int

    @property
    def persen(self) -> int:
        if not self.sampel:
            return 100
        return min(100, int(self.diterima * 100 / self.sampel))

    @property
    def representatif(self) -> bool:
        return self.diterima >= self.sampel


@dataclass
class UnitRingkas:
    unit_layanan: UnitLayanan
    periode: PeriodeSurvei | None
    skor: Skor | None
    progres: Progres | None


def _current(periods: list[PeriodeSurvei], today: datetime.date) -> PeriodeSurvei | None:
    """The period covering today, else the latest that has started."""
    for periode in periods:
        if periode.mulai <= today <= periode.selesai:
            return periode
    started = [p for p in periods if p.mulai <= today]
    return max(started, key=lambda p: p.mulai) if started else None


def _accepted_counts(periode_ids: Iterable[int]) -> dict[int, int]:
    rows = (
        Respons.objects.filter(periode_id__in=list(periode_ids), status=DITERIMA)
        .values("periode_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["periode_id"]: row["n"] for row in rows}


def unit_layanan_list(*, instansi: Instansi, today: datetime.date | None = None) -> list[UnitRingkas]:
    """The service units of an instansi with their current period's IKM, response count and sample
    progress. Four queries whatever the number of units or responses: units, periods, accepted
    counts per period, the unsur sums per period."""
    today = today or timezone.localdate()
    units = list(UnitLayanan.objects.filter(instansi=instansi).select_related("unit").order_by("nama_publik"))
    periods_by_unit: dict[int, list[PeriodeSurvei]] = defaultdict(list)
    for periode in PeriodeSurvei.objects.filter(unit_layanan__in=units).order_by("-mulai"):
        periods_by_unit[periode.unit_layanan_id].append(periode)
    current = {u.pk: _current(periods_by_unit[u.pk], today) for u in units}
    ids = [p.pk for p in current.values() if p]
    counts = _accepted_counts(ids)
    sums = _sums_by(_unsur_sums(Q(respons__periode_id__in=ids), "respons__periode_id"), "respons__periode_id")
    rows = []
    for unit in units:
        periode = current[unit.pk]
        if periode is None:
            rows.append(UnitRingkas(unit, None, None, None))
            continue
        n = counts.get(periode.pk, 0)
        skor = skor_from_sums(sums.get(periode.pk, {}), responden=n, legacy_weight=unit.bobot_legacy)
        rows.append(UnitRingkas(unit, periode, skor, Progres(n, periode.sampel_minimal)))
    return rows


def unit_kerja_without_layanan(*, instansi: Instansi) -> QuerySet[UnitKerja]:
    """Units of the instansi that could still be marked as a unit layanan."""
    return UnitKerja.objects.filter(instansi=instansi, layanan__isnull=True).order_by("path")


# --- Unit detail --------------------------------------------------------------------------------------


@dataclass
class PeriodeRingkas:
    periode: PeriodeSurvei
    progres: Progres


@dataclass
class UnitDetail:
    unit_layanan: UnitLayanan
    jenis_layanan: list[JenisLayanan]
    saluran: list[SaluranSurvei]
    pertanyaan: list[PertanyaanUnsur]
    periode: list[PeriodeRingkas]
    kepala: Pegawai | None = None
    officers: list[Pegawai] = field(default_factory=list)


def unit_layanan_detail(*, unit_layanan: UnitLayanan) -> UnitDetail:
    """Everything the unit page shows, in six queries: service types, channels with their officer,
    the nine questions, the periods, accepted counts per period and the unit head."""
    periods = list(unit_layanan.periode.order_by("-mulai"))
    counts = _accepted_counts(p.pk for p in periods)
    return UnitDetail(
        unit_layanan=unit_layanan,
        jenis_layanan=jenis_layanan_of(unit_layanan=unit_layanan),
        saluran=list(unit_layanan.saluran.select_related("petugas").order_by("-aktif", "jenis", "label")),
        pertanyaan=sorted(unit_layanan.pertanyaan.all(), key=lambda q: rules.UNSUR_KODE.index(q.unsur)),
        periode=[PeriodeRingkas(p, Progres(counts.get(p.pk, 0), p.sampel_minimal)) for p in periods],
        kepala=kepala_unit_of(unit_id=unit_layanan.unit_id),
    )


def jenis_layanan_of(*, unit_layanan: UnitLayanan) -> list[JenisLayanan]:
    return list(unit_layanan.jenis_layanan.order_by("-aktif", "nama"))


def kepala_unit_of(*, unit_id: int) -> Pegawai | None:
    """The Pegawai holding the unit's kepala post (``jabatan.is_kepala_unit`` in that unit)."""
    return (
        Pegawai.objects.filter(jabatan__unit_id=unit_id, jabatan__is_kepala_unit=True)
        .select_related("jabatan")
        .order_by("pk")
        .first()
    )


def petugas_choices(*, instansi: Instansi | int) -> QuerySet[Pegawai]:
    return Pegawai.objects.filter(instansi=instansi).select_related("unit").order_by("nama")


# --- Results of a period --------------------------------------------------------------------------------

USIA_BANDS: tuple[tuple[str, int, int], ...] = (
    (_("s.d. 20 tahun"), 0, 20),
    (_("21–30 tahun"), 21, 30),
    (_("31–40 tahun"), 31, 40),
    (_("41–50 tahun"), 41, 50),
    (_("51–60 tahun"), 51, 60),
    (_("di atas 60 tahun"), 61, 200),
)


@dataclass
class Demografi:
    jenis_kelamin: list[tuple[str, int]]
    usia: list[tuple[str, int]]
    pendidikan: list[tuple[str, int]]
    pekerjaan: list[tuple[str, int]]

    @property
    def groups(self) -> list[tuple[str, list[tuple[str, int]]]]:
        return [
            (_("Jenis kelamin"), self.jenis_kelamin),
            (_("Usia"), self.usia),
            (_("Pendidikan"), self.pendidikan),
            (_("Pekerjaan"), self.pekerjaan),
        ]


@dataclass
class SkorPetugas:
    petugas_id: int
    nama: str
    skor: Skor


@dataclass
class HasilPeriode:
    periode: PeriodeSurvei
    skor: Skor
    progres: Progres
    demografi: Demografi
    petugas: list[SkorPetugas]
    petugas_terpilih: SkorPetugas | None = None

    @property
    def chart(self) -> dict:
        """The Chart.js data: the same NRR the table prints (4 decimals, as numbers)."""
        return {
            "labels": [f"{u.kode} {u.nama}" for u in self.skor.unsur],
            "data": [float(u.nrr_display) if u.jumlah else None for u in self.skor.unsur],
        }


def _demografi(respons: Q) -> tuple[int, Demografi]:
    """The respondent count and the demographics summary, in one query of conditional counts."""
    aggregates = {"n": Count("id")}
    aggregates |= {f"jk_{k}": Count("id", filter=Q(jenis_kelamin=k)) for k in ("L", "P")}
    aggregates |= {
        f"usia_{i}": Count("id", filter=Q(usia__range=(lo, hi))) for i, (_l, lo, hi) in enumerate(USIA_BANDS)
    }
    aggregates |= {f"pd_{v}": Count("id", filter=Q(pendidikan=v)) for v in Pendidikan.values}
    aggregates |= {f"pk_{v}": Count("id", filter=Q(pekerjaan=v)) for v in Pekerjaan.values}
    row = Respons.objects.filter(respons, status=DITERIMA).aggregate(**aggregates)
    jk_labels = dict(Respons._meta.get_field("jenis_kelamin").choices)
    return row["n"], Demografi(
        jenis_kelamin=[(jk_labels[k], row[f"jk_{k}"]) for k in ("L", "P")],
        usia=[(label, row[f"usia_{i}"]) for i, (label, _lo, _hi) in enumerate(USIA_BANDS)],
        pendidikan=[(label, row[f"pd_{v}"]) for v, label in Pendidikan.choices],
        pekerjaan=[(label, row[f"pk_{v}"]) for v, label in Pekerjaan.choices],
    )


def _petugas_scores(respons: Q, *, legacy_weight: bool) -> list[SkorPetugas]:
    """Per-officer results of the responses that name an officer: one grouped query (the officer's
    name joined in), plus one for their respondent counts."""
    rows = _unsur_sums(
        _prefixed(respons) & Q(respons__petugas__isnull=False), "respons__petugas_id", "respons__petugas__nama"
    )
    sums = _sums_by(rows, "respons__petugas_id")
    names = {row["respons__petugas_id"]: row["respons__petugas__nama"] for row in rows}
    if not names:
        return []
    counts = dict(
        Respons.objects.filter(respons, status=DITERIMA, petugas__isnull=False)
        .values("petugas_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("petugas_id", "n")
    )
    result = [
        SkorPetugas(
            pid, names[pid], skor_from_sums(sums[pid], responden=counts.get(pid, 0), legacy_weight=legacy_weight)
        )
        for pid in names
    ]
    return sorted(result, key=lambda s: s.nama)


def periode_results(*, periode: PeriodeSurvei, petugas_id: int | None = None) -> HasilPeriode:
    """The results of a period (only DITERIMA responses count), optionally of one officer.

    Queries: the unsur sums, the respondent count with demographics, the per-officer sums and
    counts: four, whatever the number of responses."""
    legacy = periode.unit_layanan.bobot_legacy
    per_petugas = _petugas_scores(Q(periode=periode), legacy_weight=legacy)
    terpilih = next((s for s in per_petugas if s.petugas_id == petugas_id), None)
    respons = Q(periode=periode) & (Q(petugas_id=petugas_id) if petugas_id else Q())
    sums = _sums_by(_unsur_sums(_prefixed(respons)), None).get(None, {})
    n, demografi = _demografi(respons)
    skor = skor_from_sums(sums, responden=n, legacy_weight=legacy)
    return HasilPeriode(periode, skor, Progres(n, periode.sampel_minimal), demografi, per_petugas, terpilih)


def saran_list(*, periode: PeriodeSurvei, petugas_id: int | None = None) -> QuerySet[Respons]:
    """The accepted responses of a period that left a suggestion, newest first (paginate it)."""
    qs = Respons.objects.filter(periode=periode, status=DITERIMA).exclude(saran="")
    if petugas_id:
        qs = qs.filter(petugas_id=petugas_id)
    return (
        qs.select_related("jenis_layanan")
        .only("pk", "diisi_pada", "saran", "jenis_layanan__nama")
        .order_by("-diisi_pada", "-pk")
    )


def respons_export_rows(*, periode: PeriodeSurvei) -> list[tuple[Respons, dict[str, int]]]:
    """The accepted responses of a period with their answers, for the spreadsheet: two queries."""
    responses = list(
        Respons.objects.filter(periode=periode, status=DITERIMA)
        .select_related("jenis_layanan", "saluran", "petugas")
        .order_by("diisi_pada", "pk")
    )
    answers: dict[int, dict[str, int]] = defaultdict(dict)
    for respons_id, unsur, nilai in JawabanUnsur.objects.filter(respons__in=[r.pk for r in responses]).values_list(
        "respons_id", "unsur", "nilai"
    ):
        answers[respons_id][unsur] = nilai
    return [(r, answers[r.pk]) for r in responses]


# --- Follow-up ------------------------------------------------------------------------------------------


def tindak_lanjut_of(*, periode: PeriodeSurvei) -> list[TindakLanjut]:
    items = list(periode.tindak_lanjut.select_related("penanggung_jawab"))
    return sorted(items, key=lambda t: (t.nrr, rules.UNSUR_KODE.index(t.unsur)))


# --- Into the appraisal -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IkmPegawai:
    """The IKM behind an employee for a date range: their unit's (the closest unit layanan up the
    tree) and, when channels name them, their own as an officer. Either may be None."""

    unit_layanan: UnitLayanan | None
    unit: Skor | None
    petugas: Skor | None


def day_bounds(mulai: datetime.date, selesai: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[mulai 00:00, selesai+1 00:00) in the local time zone: index-friendly, no date cast per row."""
    start = timezone.make_aware(datetime.datetime.combine(mulai, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(selesai + datetime.timedelta(days=1), datetime.time.min))
    return start, end


def unit_layanan_covering(*, unit: UnitKerja | None) -> UnitLayanan | None:
    """The unit layanan of ``unit`` or of its closest ancestor (one query, on the materialised path)."""
    if unit is None or not unit.path:
        return None
    ancestor_ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    return UnitLayanan.objects.filter(unit_id__in=ancestor_ids).select_related("unit").order_by("-unit__depth").first()


def ikm_for_pegawai(pegawai: Pegawai, mulai: datetime.date, selesai: datetime.date) -> IkmPegawai:
    """The IKM of ``pegawai``'s unit layanan and their own officer score, from the DITERIMA responses
    filled in between ``mulai`` and ``selesai`` (inclusive, local dates).

    Constant queries: the pegawai's unit (none when loaded with ``select_related("unit")``), the
    covering unit layanan, one grouped aggregate with the unit's and the officer's sums side by
    side, and one for both respondent counts. The officer score spans every unit whose channels
    name them and uses the exact 1/9 weight; the unit score follows the unit's weight setting."""
    unit_layanan = unit_layanan_covering(unit=pegawai.unit if pegawai.unit_id else None)
    start, end = day_bounds(mulai, selesai)
    in_range = Q(diisi_pada__gte=start, diisi_pada__lt=end, status=DITERIMA)
    # No unit layanan: a condition that matches nothing yet still compiles inside an aggregate filter.
    of_unit = Q(unit_layanan=unit_layanan) if unit_layanan else Q(unit_layanan__isnull=True)
    of_officer = Q(petugas=pegawai)
    rows = (
        JawabanUnsur.objects.filter(_prefixed(in_range & (of_unit | of_officer)))
        .values("unsur")
        .annotate(
            u_n=Count("id", filter=_prefixed(of_unit)),
            u_sum=Sum("nilai", filter=_prefixed(of_unit)),
            p_n=Count("id", filter=_prefixed(of_officer)),
            p_sum=Sum("nilai", filter=_prefixed(of_officer)),
        )
        .order_by()
    )
    unit_sums = {r["unsur"]: (r["u_n"], r["u_sum"] or 0) for r in rows if r["u_n"]}
    officer_sums = {r["unsur"]: (r["p_n"], r["p_sum"] or 0) for r in rows if r["p_n"]}
    if not unit_sums and not officer_sums:
        return IkmPegawai(unit_layanan, None, None)
    counts = Respons.objects.filter(in_range & (of_unit | of_officer)).aggregate(
        unit=Count("id", filter=of_unit), petugas=Count("id", filter=of_officer)
    )
    unit = (
        skor_from_sums(unit_sums, responden=counts["unit"], legacy_weight=unit_layanan.bobot_legacy)
        if unit_sums
        else None
    )
    officer = skor_from_sums(officer_sums, responden=counts["petugas"]) if officer_sums else None
    return IkmPegawai(unit_layanan, unit, officer)


def ikm_by_unit_kerja(*, instansi_id: int, mulai: datetime.date, selesai: datetime.date) -> dict[int, Decimal]:
    """For the scoring job: the IKM that covers each UnitKerja of an instansi in a date range (the
    closest unit layanan up the tree), from DITERIMA responses, in three queries whatever the size."""
    layanan = list(UnitLayanan.objects.filter(instansi_id=instansi_id).values("pk", "unit__path", "bobot_legacy"))
    if not layanan:
        return {}
    start, end = day_bounds(mulai, selesai)
    in_range = Q(diisi_pada__gte=start, diisi_pada__lt=end, unit_layanan__instansi_id=instansi_id)
    sums = _sums_by(_unsur_sums(_prefixed(in_range), "respons__unit_layanan"), "respons__unit_layanan")
    counts = dict(
        Respons.objects.filter(in_range, status=DITERIMA)
        .values("unit_layanan")
        .annotate(n=Count("id"))
        .values_list("unit_layanan", "n")
    )
    ikm_of_path = {}
    for row in layanan:
        skor = skor_from_sums(
            sums.get(row["pk"], {}), responden=counts.get(row["pk"], 0), legacy_weight=row["bobot_legacy"]
        )
        if skor.ikm is not None:
            ikm_of_path[row["unit__path"]] = skor.ikm
    result = {}
    for unit_id, path in UnitKerja.objects.filter(instansi_id=instansi_id).values_list("pk", "path"):
        covering = [p for p in ikm_of_path if path.startswith(p)]
        if covering:
            result[unit_id] = ikm_of_path[max(covering, key=len)]
    return result


def ikm_by_petugas(*, instansi_id: int, mulai: datetime.date, selesai: datetime.date) -> dict[int, Decimal]:
    """For SKM-sourced realisations (issue 10): each officer's own score in a date range, from the
    DITERIMA responses that name them, with the exact 1/9 weight. Two queries whatever the size."""
    start, end = day_bounds(mulai, selesai)
    respons = Q(diisi_pada__gte=start, diisi_pada__lt=end, unit_layanan__instansi_id=instansi_id)
    return {s.petugas_id: s.skor.ikm for s in _petugas_scores(respons, legacy_weight=False) if s.skor.ikm is not None}
