"""HR's dashboard, its drill-down to the late, rater consistency, the annual recap and their
exports (issue 7 items 1, 4, 5).

Every view starts with ``access.require_admin_instansi`` (403 for anyone but the HR admin); a
unit filter outside the instansi answers 404."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from accounts import access
from accounts.models import Instansi, UnitKerja
from appraisal import selectors_monitoring as monitoring
from appraisal.models import PeriodeEvaluasi
from sikap import caching
from sikap.params import as_id

from . import documents, exports, selectors

LATE_PAGE_SIZE = 25
# The dashboard's figures are aggregates over the whole instansi (a second or more of database time
# at 100 000 employees, issue 8), read far more often than they change: each view of a level is
# kept this long (settings.REPORTS_DASHBOARD_CACHE_SECONDS), its time shown on the page with a
# "Hitung ulang" link that computes it again at once. The score job's own figures change at night.
DASHBOARD_CACHE_SECONDS = 300


@dataclass
class Filters:
    instansi: Instansi
    periods: list[PeriodeEvaluasi]
    periode: PeriodeEvaluasi | None
    unit: UnitKerja | None

    @cached_property
    def units(self) -> list[UnitKerja]:
        """Every unit of the instansi in tree order: only what computes figures needs them (a
        dashboard not in the cache, the rater-consistency table), not every page view."""
        return monitoring.unit_choices(instansi=self.instansi)

    @cached_property
    def unit_options(self) -> list[tuple[int, str]]:
        """The unit picker, indented by depth (``selectors_monitoring.unit_picker``: every unit of a
        city, the way down from the chosen unit at a province)."""
        return [
            (u.pk, "\u2003" * u.depth + u.nama)
            for u in monitoring.unit_picker(instansi=self.instansi, chosen=self.unit)
        ]

    @property
    def query(self) -> str:
        parts = [f"periode={self.periode.pk}"] if self.periode else []
        if self.unit is not None:
            parts.append(f"unit={self.unit.pk}")
        return "&".join(parts)


def _filters(request) -> Filters:
    """Three queries: the periods (marked when they have results) and the unit asked for."""
    instansi = access.require_admin_instansi(request)
    unit = monitoring.unit_param(request.GET.get("unit", ""), instansi=instansi)
    periods = selectors.periode_evaluasi_choices(instansi=instansi)
    raw = request.GET.get("periode", "")
    periode = next((p for p in periods if str(p.pk) == raw), None) or selectors.default_periode(periods)
    return Filters(instansi, periods, periode, unit)


def _dashboard(filters: Filters, page: int | str | None = 1) -> selectors.Dashboard:
    return selectors.dashboard(
        instansi=filters.instansi,
        periode=filters.periode,
        units=filters.units,
        scope=filters.unit,
        today=timezone.localdate(),
        page=page,
    )


def _panels(filters: Filters, ikm_limit: int | None = selectors.IKM_PANEL_ROWS) -> selectors.Panels:
    return selectors.panels(
        instansi=filters.instansi,
        tahun=filters.periode.periode_skp.tahun,
        scope=filters.unit,
        today=timezone.localdate(),
        ikm_limit=ikm_limit,
    )


def _slug(periode: PeriodeEvaluasi) -> str:
    return f"{periode.periode_skp.tahun}-{periode.jenis.lower()}-{periode.ke}"


@dataclass(frozen=True)
class Figures:
    board: selectors.Dashboard
    panels: selectors.Panels
    dihitung_pada: datetime.datetime
    html: str  # the figures' part of the page, rendered once with them


def _cache_seconds() -> int:
    return int(getattr(settings, "REPORTS_DASHBOARD_CACHE_SECONDS", DASHBOARD_CACHE_SECONDS))


def _figures(filters: Filters, page: str, *, refresh: bool) -> Figures:
    """The board and panels of one page of one level, and their HTML, through the cache."""
    key = (
        f"reports:dashboard:{filters.instansi.pk}:{filters.periode.pk}:{filters.unit.pk if filters.unit else 0}:{page}"
    )

    def compute() -> Figures:
        board, panels = _dashboard(filters, page), _panels(filters)
        context = {"board": board, "panels": panels, "filters": filters}
        html = render_to_string("reports/_dashboard_figures.html", context)
        return Figures(board, panels, timezone.now(), mark_safe(html))  # noqa: S308 - our template's output

    return caching.cached(key, compute, seconds=_cache_seconds(), per_language=True, refresh=refresh)


@login_required
def dashboard(request):
    filters = _filters(request)
    page = str(as_id(request.GET.get("hal")) or 1)  # a page number, or 1: a bounded cache key
    figures = _figures(filters, page, refresh="segar" in request.GET) if filters.periode else None
    context = {
        "filters": filters,
        "board": figures.board if figures else None,
        "panels": figures.panels if figures else None,
        "dihitung_pada": figures.dihitung_pada if figures else None,
        "figures_html": figures.html if figures else "",
        "rekap_years": selectors.tahun_choices(instansi=filters.instansi),
    }
    return render(request, "reports/dashboard.html", context)


@login_required
def dashboard_xlsx(request):
    filters = _filters(request)
    if filters.periode is None:
        raise Http404
    board = _dashboard(filters, page=None)  # every row of the level, not the page on screen
    workbook = exports.dashboard_workbook(board, _panels(filters, ikm_limit=None))
    return exports.xlsx_response(workbook, f"dasbor-kinerja-{_slug(filters.periode)}.xlsx")


# --- Drill-down: who is late in a unit --------------------------------------------------------------------


def _late(filters: Filters):
    """The two lists of the drill-down: SKP behind its deadline (rules §1.10, as on the SKP progress
    page) and evaluations of the period not yet FINAL (from the results table)."""
    skp = monitoring.late_pegawai(
        instansi=filters.instansi, periode=filters.periode.periode_skp, scope=filters.unit, today=timezone.localdate()
    )
    evaluasi = selectors.evaluasi_belum_final(instansi=filters.instansi, periode=filters.periode, scope=filters.unit)
    return skp, evaluasi


@login_required
def late(request):
    filters = _filters(request)
    if filters.periode is None:
        raise Http404
    skp, evaluasi = _late(filters)
    eval_page = Paginator(evaluasi, LATE_PAGE_SIZE).get_page(request.GET.get("hal_evaluasi"))
    eval_page.object_list = selectors.label_evaluasi(eval_page.object_list)
    context = {
        "filters": filters,
        "periode": filters.periode,
        "skp_page": monitoring.late_page(queryset=skp, number=request.GET.get("hal_skp"), per_page=LATE_PAGE_SIZE),
        "eval_page": eval_page,
        "periode_lewat": timezone.localdate() > filters.periode.selesai,
        "skp_lewat": timezone.localdate() > filters.periode.periode_skp.batas_penetapan,
    }
    return render(request, "reports/dashboard_late.html", context)


@login_required
def late_xlsx(request):
    filters = _filters(request)
    if filters.periode is None:
        raise Http404
    skp, evaluasi = _late(filters)
    workbook = exports.late_workbook(
        monitoring.late_page(queryset=skp, number=1, per_page=max(1, skp.count())).object_list,
        selectors.label_evaluasi(evaluasi),
    )
    return exports.xlsx_response(workbook, f"pegawai-terlambat-{_slug(filters.periode)}.xlsx")


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


def _year_and_unit(request):
    """The admin's instansi, its units, and ?tahun= (default: the latest year) and ?unit= of the
    annual reports; a foreign unit or a year without an annual period is a 404."""
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
    return instansi, units, tahun, unit


def _hasil_tahunan(request) -> tuple[int, list[list]]:
    instansi, _units, tahun, unit = _year_and_unit(request)
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


# --- The recap of annual predikat per unit ------------------------------------------------------------------


def _rekap(request) -> selectors.Rekap:
    """?tahun= (default: the latest year with an annual period) and ?unit=; a foreign unit is a 404,
    a year without an annual period too."""
    instansi, units, tahun, unit = _year_and_unit(request)
    return selectors.rekap_predikat(instansi=instansi, tahun=tahun, units=units, scope=unit)


@login_required
def rekap_pdf(request):
    rekap = _rekap(request)
    return documents.pdf_response(documents.rekap_predikat_pdf(rekap), f"rekap-predikat-{rekap.tahun}.pdf")


@login_required
def rekap_xlsx(request):
    rekap = _rekap(request)
    return exports.xlsx_response(exports.rekap_workbook(rekap), f"rekap-predikat-{rekap.tahun}.xlsx")
