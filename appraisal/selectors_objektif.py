"""Reads for the HR screens of objective evidence (issue 10): the indicator catalogue, the file
imports of realisations, the tokens of other systems and the objectivity report. Every query is
filtered by the instansi and prepared here, so templates and forms run none."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext

from accounts.models import Instansi, UnitKerja

from .models import (
    IKI,
    ImporRealisasi,
    KatalogIndikator,
    PeriodeEvaluasi,
    Realisasi,
    StatusSKP,
    SumberRealisasi,
    TokenSumber,
)

# --- Catalogue --------------------------------------------------------------------------------------


def katalog_list(
    *, instansi: Instansi, q: str = "", kelompok: str = "", sumber: str = ""
) -> QuerySet[KatalogIndikator]:
    """The instansi's catalogue, searched by name, kode or kelompok and filtered."""
    qs = KatalogIndikator.objects.filter(instansi=instansi)
    if q:
        qs = qs.filter(Q(nama__icontains=q) | Q(kelompok_jabatan__icontains=q) | Q(kode__icontains=q))
    if kelompok:
        qs = qs.filter(kelompok_jabatan=kelompok)
    if sumber:
        qs = qs.filter(sumber_bawaan=sumber)
    return qs.order_by("kelompok_jabatan", "nama", "pk")


def kelompok_choices(*, instansi: Instansi) -> list[str]:
    """The kinds of jabatan the catalogue already names, for the filter and the form's suggestions."""
    return list(
        KatalogIndikator.objects.filter(instansi=instansi)
        .order_by("kelompok_jabatan")
        .values_list("kelompok_jabatan", flat=True)
        .distinct()
    )


def katalog_kodes(*, instansi: Instansi, exclude_pk: int | None = None) -> set[str]:
    """Kode already taken in the instansi (the form refuses a duplicate without a query)."""
    qs = KatalogIndikator.objects.filter(instansi=instansi)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return set(qs.values_list("kode", flat=True))


def katalog_berkas_choices(*, instansi: Instansi) -> list[KatalogIndikator]:
    """Active indicators whose realisation comes from a file: what an import can feed."""
    return list(
        KatalogIndikator.objects.filter(instansi=instansi, aktif=True, sumber_bawaan=SumberRealisasi.BERKAS).order_by(
            "kelompok_jabatan", "nama"
        )
    )


# --- Periods and units --------------------------------------------------------------------------------


def periode_evaluasi_choices(*, instansi: Instansi) -> list[PeriodeEvaluasi]:
    """Every evaluation period of the instansi's SKP years, the latest year first."""
    return list(
        PeriodeEvaluasi.objects.filter(periode_skp__instansi=instansi)
        .select_related("periode_skp")
        .order_by("-periode_skp__tahun", "jenis", "ke")
    )


def unit_choices(*, instansi: Instansi) -> list[UnitKerja]:
    return list(UnitKerja.objects.filter(instansi=instansi).order_by("path"))


# --- Imports and tokens ---------------------------------------------------------------------------------


def impor_realisasi_list(*, instansi: Instansi) -> QuerySet[ImporRealisasi]:
    return (
        ImporRealisasi.objects.filter(instansi=instansi)
        .select_related("katalog", "periode_evaluasi__periode_skp", "dibuat_oleh")
        .order_by("-dibuat_pada", "-pk")
    )


def token_list(*, instansi: Instansi) -> QuerySet[TokenSumber]:
    return (
        TokenSumber.objects.filter(instansi=instansi)
        .select_related("unit_kerja", "dibuat_oleh")
        .order_by("-aktif", "-dibuat_pada", "-pk")
    )


# --- The objectivity report (item 4) ----------------------------------------------------------------------


def _persen(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class ObjektivitasRow:
    """One unit in one period: its IKI by kind of evidence and its realisations by provenance."""

    unit_id: int | None
    label: str
    depth: int = 0
    iki: int = 0
    iki_bersumber: int = 0  # fed from a file, another system or the SKM
    iki_sendiri: int = 0  # self-reported with a numeric target
    iki_deskriptif: int = 0  # self-reported, described target only (kualitatif)
    realisasi: int = 0
    realisasi_bersumber: int = 0
    realisasi_terverifikasi: int = 0  # self-reported, verified by the supervisor

    @property
    def persen_iki_bersumber(self) -> Decimal | None:
        return _persen(self.iki_bersumber, self.iki)

    @property
    def persen_iki_sendiri(self) -> Decimal | None:
        return _persen(self.iki_sendiri + self.iki_deskriptif, self.iki)

    @property
    def realisasi_objektif(self) -> int:
        return self.realisasi_bersumber + self.realisasi_terverifikasi

    @property
    def persen_realisasi_objektif(self) -> Decimal | None:
        return _persen(self.realisasi_objektif, self.realisasi)

    def add(self, other: ObjektivitasRow) -> None:
        for name in (
            "iki",
            "iki_bersumber",
            "iki_sendiri",
            "iki_deskriptif",
            "realisasi",
            "realisasi_bersumber",
            "realisasi_terverifikasi",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


CHART_UNITS = 15


@dataclass
class Objektivitas:
    periode: PeriodeEvaluasi
    rows: list[ObjektivitasRow] = field(default_factory=list)
    total: ObjektivitasRow | None = None

    @property
    def chart_rows(self) -> list[ObjektivitasRow]:
        """What the bar chart shows: every unit when there are few, otherwise the CHART_UNITS units
        with the lowest share of sourced IKI — the ones HR should push first. The table has all."""
        if len(self.rows) <= CHART_UNITS:
            return self.rows
        return sorted(self.rows, key=lambda r: (r.persen_iki_bersumber or 0, r.label))[:CHART_UNITS]

    @property
    def chart_limited(self) -> bool:
        return len(self.rows) > CHART_UNITS

    @property
    def chart(self) -> dict:
        """The numbers of the table, for the bar chart (json_script)."""
        rows = self.chart_rows
        return {
            "labels": [r.label for r in rows],
            "iki": [float(r.persen_iki_bersumber or 0) for r in rows],
            "realisasi": [float(r.persen_realisasi_objektif or 0) for r in rows],
            "legend": {
                "iki": gettext("IKI bersumber data (%)"),
                "realisasi": gettext("Realisasi bersumber atau terverifikasi (%)"),
            },
        }


def objektivitas(*, instansi: Instansi, periode: PeriodeEvaluasi, unit: UnitKerja | None = None) -> Objektivitas:
    """Per unit (of the SKP's jabatan) for one evaluation period: the IKI of the approved, current
    SKP covering the period by kind of evidence, and their realisations by provenance. Three
    queries whatever the number of units and employees (units, IKI counts, realisation counts)."""
    scope = {
        "rhk__skp__instansi": instansi,
        "rhk__skp__periode_id": periode.periode_skp_id,
        "rhk__skp__status": StatusSKP.DISETUJUI,
        "rhk__skp__is_current": True,
        "rhk__skp__mulai__lte": periode.selesai,
        "rhk__skp__selesai__gte": periode.mulai,
    }
    units = UnitKerja.objects.filter(instansi=instansi)
    if unit is not None:
        scope["rhk__skp__jabatan__unit__path__startswith"] = unit.path
        units = units.filter(path__startswith=unit.path)
    sendiri = Q(sumber=SumberRealisasi.SENDIRI)
    iki_counts = (
        IKI.objects.filter(**scope)
        .values("rhk__skp__jabatan__unit_id")
        .annotate(
            n=Count("pk"),
            bersumber=Count("pk", filter=~sendiri),
            deskriptif=Count("pk", filter=sendiri & Q(target_min__isnull=True)),
        )
        .order_by()
    )
    realisasi_counts = (
        Realisasi.objects.filter(periode_evaluasi=periode, **{f"iki__{k}": v for k, v in scope.items()})
        .filter(Q(nilai__isnull=False) | ~Q(uraian=""))
        .values("iki__rhk__skp__jabatan__unit_id")
        .annotate(
            n=Count("pk"),
            bersumber=Count("pk", filter=~sendiri),
            terverifikasi=Count("pk", filter=sendiri & Q(diverifikasi=True)),
        )
        .order_by()
    )
    rows = {u.pk: ObjektivitasRow(unit_id=u.pk, label=u.nama, depth=u.depth) for u in units.order_by("path")}
    for c in iki_counts:
        row = rows.get(c["rhk__skp__jabatan__unit_id"])
        if row is not None:
            row.iki, row.iki_bersumber, row.iki_deskriptif = c["n"], c["bersumber"], c["deskriptif"]
            row.iki_sendiri = c["n"] - c["bersumber"] - c["deskriptif"]
    for c in realisasi_counts:
        row = rows.get(c["iki__rhk__skp__jabatan__unit_id"])
        if row is not None:
            row.realisasi, row.realisasi_bersumber = c["n"], c["bersumber"]
            row.realisasi_terverifikasi = c["terverifikasi"]
    total = ObjektivitasRow(unit_id=None, label="")
    for row in rows.values():
        total.add(row)
    # Units without any IKI in the period say nothing about objectivity: leave them out.
    return Objektivitas(periode=periode, rows=[r for r in rows.values() if r.iki], total=total)
