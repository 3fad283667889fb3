"""Reads for the talent screens, each filtered by instansi (or by the supervisor / employee)
with its joins in one place, so templates never query."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.utils import timezone

from accounts.models import UnitKerja
from appraisal.models import PeriodeSKP

from . import rules
from .models import Rekomendasi, TalentaBox

PAGE_SIZE = 25
# Rows of the grid top → bottom (kinerja Di Atas → Di Bawah), columns potensial Rendah → Tinggi (rules §4.1).
GRID_LAYOUT = [[4, 7, 9], [2, 5, 8], [1, 3, 6]]
KINERJA_ROWS = ["DI_ATAS", "SESUAI", "DI_BAWAH"]


def years_for(instansi) -> list[int]:
    """The SKP years of the instansi and the years already computed, newest first."""
    years = set(PeriodeSKP.objects.filter(instansi=instansi).values_list("tahun", flat=True))
    years |= set(TalentaBox.objects.filter(instansi=instansi).values_list("tahun", flat=True).distinct())
    return sorted(years or {timezone.localdate().year}, reverse=True)


def _in_unit(qs: QuerySet, unit: UnitKerja | None) -> QuerySet:
    return qs.filter(unit__path__startswith=unit.path) if unit is not None else qs


def grid_for(*, instansi, tahun: int, unit: UnitKerja | None) -> dict:
    """The 3×3 grid with the number of employees per box (one grouped query) and each box's
    standard recommendation, plus how many could not be placed."""
    counts = dict(
        _in_unit(TalentaBox.objects.filter(instansi=instansi, tahun=tahun), unit)
        .values("kotak")
        .annotate(n=Count("pk"))
        .values_list("kotak", "n")
    )
    rows = [
        {
            "kinerja": kinerja,
            "cells": [
                {
                    "kotak": k,
                    "jumlah": counts.get(k, 0),
                    "rekomendasi": rules.REKOMENDASI_KOTAK[k],
                    "pool": k in rules.TALENT_POOL,
                }
                for k in row
            ],
        }
        for kinerja, row in zip(KINERJA_ROWS, GRID_LAYOUT, strict=True)
    ]
    return {"rows": rows, "tidak_terpetakan": counts.get(None, 0), "total": sum(counts.values())}


def box_members(*, instansi, tahun: int, unit: UnitKerja | None, kotak: int, page) -> Page:
    qs = (
        _in_unit(TalentaBox.objects.filter(instansi=instansi, tahun=tahun, kotak=kotak), unit)
        .select_related("pegawai", "unit")
        .order_by("pegawai__nama", "pk")
    )
    return Paginator(qs, PAGE_SIZE).get_page(page)


def rekomendasi_for_instansi(*, instansi, tahun: int, unit: UnitKerja | None = None, jenis: str = "") -> QuerySet:
    qs = _in_unit(Rekomendasi.objects.filter(instansi=instansi, tahun=tahun), unit)
    if jenis:
        qs = qs.filter(jenis=jenis)
    return qs.select_related("pegawai", "unit").order_by("jenis", "pegawai__nama", "pk")


def rekomendasi_page(*, instansi, tahun: int, unit, jenis: str, page) -> Page:
    return Paginator(
        rekomendasi_for_instansi(instansi=instansi, tahun=tahun, unit=unit, jenis=jenis), PAGE_SIZE
    ).get_page(page)


def rekomendasi_for_team(*, pejabat_penilai_id: int, tahun: int) -> list[Rekomendasi]:
    """The recommendations of the employees this supervisor appraises."""
    return list(
        Rekomendasi.objects.filter(pegawai__pejabat_penilai_id=pejabat_penilai_id, tahun=tahun)
        .select_related("pegawai", "unit")
        .order_by("pegawai__nama", "jenis")
    )


def own_talenta(*, pegawai_id: int) -> list[dict]:
    """An employee's own boxes and recommendations, newest year first."""
    boxes = list(TalentaBox.objects.filter(pegawai_id=pegawai_id).order_by("-tahun"))
    recs: dict[int, list[Rekomendasi]] = {}
    for rec in Rekomendasi.objects.filter(pegawai_id=pegawai_id).order_by("-tahun", "jenis"):
        recs.setdefault(rec.tahun, []).append(rec)
    return [
        {
            "tahun": box.tahun,
            "box": box,
            "rekomendasi_kotak": rules.REKOMENDASI_KOTAK.get(box.kotak),
            "rekomendasi": recs.get(box.tahun, []),
        }
        for box in boxes
    ]
