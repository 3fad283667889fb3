"""HR's dashboard, rater consistency and their exports (issue 7 items 1, 4, 5).

Every view starts with ``access.require_admin_instansi`` (403 for anyone but the HR admin); a
unit filter outside the instansi answers 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from accounts import access
from accounts.models import Instansi, UnitKerja
from appraisal import selectors_monitoring as monitoring
from appraisal.models import PeriodeEvaluasi

from . import exports, selectors


@dataclass
class Filters:
    instansi: Instansi
    periods: list[PeriodeEvaluasi]
    periode: PeriodeEvaluasi | None
    units: list[UnitKerja]
    unit: UnitKerja | None

    @property
    def unit_options(self) -> list[tuple[int, str]]:
        """The unit picker, indented by depth in the tree."""
        return [(u.pk, "\u2003" * u.depth + u.nama) for u in self.units]

    @property
    def query(self) -> str:
        parts = [f"periode={self.periode.pk}"] if self.periode else []
        if self.unit is not None:
            parts.append(f"unit={self.unit.pk}")
        return "&".join(parts)


def _filters(request) -> Filters:
    """Three queries: the periods (marked when they have results), the units (for the picker)."""
    instansi = access.require_admin_instansi(request)
    units = monitoring.unit_choices(instansi=instansi)
    raw_unit = request.GET.get("unit", "")
    unit = next((u for u in units if str(u.pk) == raw_unit), None) if raw_unit else None
    if raw_unit and unit is None:
        raise Http404  # another instansi's unit: nothing leaks about what exists
    periods = selectors.periode_evaluasi_choices(instansi=instansi)
    raw = request.GET.get("periode", "")
    periode = next((p for p in periods if str(p.pk) == raw), None) or selectors.default_periode(periods)
    return Filters(instansi, periods, periode, units, unit)


def _dashboard(filters: Filters) -> selectors.Dashboard:
    return selectors.dashboard(
        instansi=filters.instansi,
        periode=filters.periode,
        units=filters.units,
        scope=filters.unit,
        today=timezone.localdate(),
    )


@login_required
def dashboard(request):
    filters = _filters(request)
    board = _dashboard(filters) if filters.periode else None
    return render(request, "reports/dashboard.html", {"filters": filters, "board": board})


@login_required
def dashboard_xlsx(request):
    filters = _filters(request)
    if filters.periode is None:
        raise Http404
    board = _dashboard(filters)
    name = (
        f"dasbor-kinerja-{filters.periode.periode_skp.tahun}-{filters.periode.jenis.lower()}-{filters.periode.ke}.xlsx"
    )
    return exports.xlsx_response(exports.dashboard_workbook(board), name)


def _leniency(filters: Filters) -> selectors.Leniency:
    return selectors.leniency(
        instansi=filters.instansi, periode=filters.periode, units=filters.units, scope=filters.unit
    )


@login_required
def leniency(request):
    filters = _filters(request)
    board = _leniency(filters) if filters.periode else None
    return render(request, "reports/dashboard_leniency.html", {"filters": filters, "board": board})


@login_required
def leniency_xlsx(request):
    filters = _filters(request)
    if filters.periode is None:
        raise Http404
    name = f"konsistensi-penilai-{filters.periode.periode_skp.tahun}-{filters.periode.jenis.lower()}-{filters.periode.ke}.xlsx"
    return exports.xlsx_response(exports.leniency_workbook(_leniency(filters)), name)


def _hasil_tahunan(request) -> tuple[int, list[list]]:
    instansi = access.require_admin_instansi(request)
    units = monitoring.unit_choices(instansi=instansi)
    raw_unit = request.GET.get("unit", "")
    unit = next((u for u in units if str(u.pk) == raw_unit), None) if raw_unit else None
    if raw_unit and unit is None:
        raise Http404
    years = selectors.tahun_choices(instansi=instansi)
    raw = request.GET.get("tahun", "")
    tahun = next((y for y in years if str(y) == raw), None) if raw else (years[0] if years else None)
    if tahun is None:
        raise Http404
    evaluations = selectors.hasil_tahunan(instansi=instansi, tahun=tahun, scope=unit)
    return tahun, selectors.hasil_tahunan_rows(evaluations)


@login_required
def hasil_tahunan_xlsx(request):
    tahun, rows = _hasil_tahunan(request)
    return exports.xlsx_response(exports.hasil_tahunan_workbook(rows), f"hasil-kinerja-tahunan-{tahun}.xlsx")


@login_required
def hasil_tahunan_csv(request):
    tahun, rows = _hasil_tahunan(request)
    return exports.hasil_tahunan_csv(rows, f"hasil-kinerja-tahunan-{tahun}.csv")
