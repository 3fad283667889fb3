"""Reads for the HR dashboard, the rater-consistency screen and the exports (issue 7 items 1, 4, 5).

Everything about evaluations is read from the results table (HasilKinerja, filled by
``services.period_scores_compute``), never recomputed here; SKP planning progress comes from
``appraisal.selectors_monitoring``. Each function runs a fixed number of queries whatever the
size of the instansi: counts are grouped in SQL per unit, then rolled up the unit tree in Python.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Instansi, Pegawai, StatusPegawai, UnitKerja
from appraisal import rules
from appraisal import selectors_monitoring as monitoring
from appraisal.models import SKP, CapaianOrganisasi, Evaluasi, PeriodeEvaluasi, PeriodeSKP
from appraisal.models.evaluasi import Predikat, PredikatOrganisasi

from .models import HasilKinerja

PREDIKAT_LABELS: dict[str, str] = dict(Predikat.choices)
# Bootstrap colour per predikat: the table badges and both charts use the same ones.
PREDIKAT_CSS = {
    "SANGAT_BAIK": "success",
    "BAIK": "primary",
    "BUTUH_PERBAIKAN": "warning",
    "KURANG": "danger",
    "SANGAT_KURANG": "dark",
}
DASHBOARD_PAGE_SIZE = 50  # level rows per page: a level with hundreds of units (kelurahan) stays a small page
SAME_PREDIKAT_MIN = 3  # a rater who gave this many people or more one single predikat is flagged


def _empty_counts() -> dict[str, int]:
    return dict.fromkeys(rules.PREDIKAT_ORDER, 0)


# --- Filters ---------------------------------------------------------------------------------------------


def periode_evaluasi_choices(*, instansi: Instansi) -> list[PeriodeEvaluasi]:
    """The instansi's evaluation periods, latest first, each marked ``has_results`` when the
    results table holds rows for it. One query."""
    return list(
        PeriodeEvaluasi.objects.filter(periode_skp__instansi=instansi)
        .select_related("periode_skp")
        .annotate(has_results=Exists(HasilKinerja.objects.filter(periode_evaluasi=OuterRef("pk"))))
        .order_by("-periode_skp__tahun", "-selesai", "-jenis")
    )


def default_periode(periods: list[PeriodeEvaluasi]) -> PeriodeEvaluasi | None:
    """The latest period with results, else the latest period."""
    return next((p for p in periods if p.has_results), periods[0] if periods else None)


def in_scope(path: str | None, scope: UnitKerja | None) -> bool:
    return scope is None or (path or "").startswith(scope.path)


# --- Dashboard -------------------------------------------------------------------------------------------


CHECK_TEXT = {
    "MAX": _("%(predikat)s paling banyak %(pct)s%%: %(aktual)s pegawai, batas %(batas)s"),
    "MIN": _("%(predikat)s paling sedikit %(pct)s%%: %(aktual)s pegawai, perlu %(batas)s"),
    "EXISTS": _("%(predikat)s harus ada: %(aktual)s pegawai"),
    "FORBIDDEN": _("%(predikat)s tidak boleh ada: %(aktual)s pegawai"),
}


def describe_check(check: rules.DistribusiCheck) -> str:
    """A broken line of the curve in words, e.g. "Baik paling banyak 70%: 5 pegawai, batas 4"."""
    names = " / ".join(str(PREDIKAT_LABELS[p]) for p in rules.PREDIKAT_ORDER if p in check.rule.predikat)
    return str(CHECK_TEXT[check.rule.op]) % {
        "predikat": names,
        "pct": check.rule.pct,
        "aktual": check.aktual,
        "batas": check.batas,
    }


@dataclass
class Distribution:
    """The predikat counts of a unit's subtree checked against the curve of the Capaian Kinerja
    Organisasi governing it (its own, else the nearest unit above: as services_evaluasi.capaian_for)."""

    governing: UnitKerja | None = None
    capaian: str = ""
    counts: dict[str, int] = field(default_factory=_empty_counts)
    checks: list[rules.DistribusiCheck] = field(default_factory=list)
    size: int = 0  # employees in the governing subtree: "small" is about people, not how many are rated yet

    @property
    def capaian_label(self) -> str:
        return str(dict(PredikatOrganisasi.choices).get(self.capaian, "")) if self.capaian else ""

    @property
    def broken(self) -> list[rules.DistribusiCheck]:
        return [c for c in self.checks if not c.ok]

    @property
    def broken_texts(self) -> list[str]:
        return [describe_check(c) for c in self.broken]

    @property
    def ok(self) -> bool | None:
        """None when no curve applies (no capaian set)."""
        return None if not self.capaian else not self.broken

    @property
    def small_unit(self) -> bool:
        return rules.is_small_unit(self.size)


@dataclass
class DashboardRow:
    label: str
    unit: UnitKerja | None = None
    is_scope_unit: bool = False
    pegawai: int = 0  # employees in the results table
    final: int = 0
    counts: dict[str, int] = field(default_factory=_empty_counts)
    skp: monitoring.ProgressRow | None = None
    distribution: Distribution | None = None
    # Units inside this row's subtree whose own capaian curve is broken (the row may be a whole OPD).
    subunit_melanggar: list[UnitKerja] = field(default_factory=list)

    def add(self, row: dict) -> None:
        self.pegawai += row["pegawai"]
        self.final += row["final"]
        for key in rules.PREDIKAT_ORDER:
            self.counts[key] += row[key]

    @property
    def persen_final(self) -> int:
        return round(100 * self.final / self.pegawai) if self.pegawai else 0

    @property
    def dinilai(self) -> int:
        return sum(self.counts.values())

    @property
    def predikat_cells(self) -> list[tuple[str, int]]:
        return [(key, self.counts[key]) for key in rules.PREDIKAT_ORDER]

    @property
    def skp_cells(self) -> list[tuple[str, int]]:
        return [(key, self.skp.counts[key] if self.skp else 0) for key in monitoring.STATUS_KEYS]

    @property
    def belum_final(self) -> int:
        """Employees scored whose evaluation is not FINAL: the drill-down's second list."""
        return self.pegawai - self.final

    @property
    def skp_belum_disetujui(self) -> int:
        """Active employees without an approved SKP (not started, draft, submitted or sent back)."""
        return self.skp.aktif - self.skp.counts["DISETUJUI"] if self.skp else 0


@dataclass
class Dashboard:
    periode: PeriodeEvaluasi
    scope: UnitKerja | None
    rows: list[DashboardRow]
    total: DashboardRow
    skp_total: monitoring.ProgressRow
    unit_melanggar: list[UnitKerja] = field(default_factory=list)  # units in scope breaking their curve
    page: Page | None = None  # the page of level rows shown (rows holds its rows)
    breadcrumb: list[UnitKerja] = field(default_factory=list)  # the units above the scope, top first

    @property
    def rows_melanggar(self) -> list[DashboardRow]:
        return [r for r in self.rows if r.distribution and r.distribution.ok is False]

    @property
    def predikat_headers(self) -> list[tuple[str, str, str]]:
        return [(key, PREDIKAT_LABELS[key], PREDIKAT_CSS[key]) for key in rules.PREDIKAT_ORDER]

    @property
    def legend(self) -> list[tuple[str, str, int]]:
        """(label, css, count) of the scope's predikat, for the table under the doughnut."""
        return [(PREDIKAT_LABELS[k], PREDIKAT_CSS[k], self.total.counts[k]) for k in rules.PREDIKAT_ORDER]

    @property
    def skp_headers(self) -> list[tuple[str, str, str]]:
        return [(key, str(label), monitoring.STATUS_CSS[key]) for key, label in monitoring.PROGRESS_STATUSES]

    @property
    def chart(self) -> dict:
        """The numbers of the tables under the charts, for Chart.js (through ``json_script``)."""
        return {
            "bar": {
                "labels": [r.label for r in self.rows],
                "datasets": [
                    {"label": str(label), "css": css, "data": [r.counts[key] for r in self.rows]}
                    for key, label, css in self.predikat_headers
                ],
            },
            "doughnut": {
                "labels": [str(label) for _key, label, _css in self.predikat_headers],
                "css": [css for _key, _label, css in self.predikat_headers],
                "data": [self.total.counts[key] for key in rules.PREDIKAT_ORDER],
            },
        }


def _counts_per_unit(instansi: Instansi, periode: PeriodeEvaluasi) -> list[dict]:
    """One grouped query: per unit, the employees scored, those with a FINAL evaluation, and the
    predikat given (FINAL and draft alike, as distribution_status counts them)."""
    return list(
        HasilKinerja.objects.filter(instansi=instansi, periode_evaluasi=periode)
        .values("unit_id")
        .annotate(
            pegawai=Count("pk"),
            final=Count("pk", filter=Q(status_evaluasi="FINAL")),
            **{key: Count("pk", filter=Q(predikat=key)) for key in rules.PREDIKAT_ORDER},
        )
        .order_by()
    )


def _capaian_by_unit(periode: PeriodeEvaluasi) -> dict[int, str]:
    """One query: every Capaian Kinerja Organisasi set for the period, by unit id."""
    return dict(CapaianOrganisasi.objects.filter(periode_evaluasi=periode).values_list("unit_id", "predikat"))


def _governing(unit: UnitKerja, by_pk: dict[int, UnitKerja], capaian: dict[int, str]) -> UnitKerja | None:
    """The unit itself or the nearest unit above with a capaian (what capaian_for answers, without a query)."""
    current: UnitKerja | None = unit
    while current is not None:
        if current.pk in capaian:
            return current
        current = by_pk.get(current.parent_id)
    return None


def _subtree_totals(per_unit: list[dict], path_of: dict[int, str]) -> dict[str, DashboardRow]:
    """Every unit's subtree counts by path, in one pass over the grouped rows: each unit's counts are
    added to its ancestors (units × depth, not units × units as a prefix scan per unit would be)."""
    totals: dict[str, DashboardRow] = defaultdict(lambda: DashboardRow(label=""))
    for row in per_unit:
        for prefix in monitoring.ancestor_paths(path_of.get(row["unit_id"], "")):
            totals[prefix].add(row)
    return totals


def _distribution(unit, by_pk, capaian, totals) -> Distribution:
    governing = _governing(unit, by_pk, capaian)
    root = governing or unit
    subtree = totals.get(root.path) or DashboardRow(label="")
    if governing is None:
        return Distribution(counts=dict(subtree.counts), size=subtree.pegawai)
    checks = rules.distribution_checks(capaian[governing.pk], subtree.counts)
    return Distribution(governing, capaian[governing.pk], dict(subtree.counts), checks, subtree.pegawai)


def _skp_status_counts(instansi: Instansi, periode: PeriodeSKP, scope: UnitKerja | None) -> list[dict]:
    """What ``selectors_monitoring._status_counts`` answers (per unit: active employees by the status
    of their current SKP, and the exempt), in two grouped queries without its correlated subquery.

    That subquery ran once per employee and per status column (five index probes per employee:
    1.5 s for 50 000 employees, most of the old dashboard's time). Here the current SKP is the
    ``is_current`` one with no later span or revision (the same "latest by mulai, revisi_ke" rule,
    unique per employee by skp_unik_per_span_revisi), counted once per employee in a join."""
    aktif = Q(status=StatusPegawai.AKTIF)
    people = Pegawai.objects.filter(instansi=instansi)
    current = SKP.objects.filter(periode=periode, is_current=True, pegawai__instansi=instansi)
    if scope is not None:
        people = people.filter(unit__path__startswith=scope.path)
        current = current.filter(pegawai__unit__path__startswith=scope.path)
    later = SKP.objects.filter(pegawai=OuterRef("pegawai"), periode=periode, is_current=True).filter(
        Q(mulai__gt=OuterRef("mulai")) | Q(mulai=OuterRef("mulai"), revisi_ke__gt=OuterRef("revisi_ke"))
    )
    per_unit = {
        row["unit_id"]: dict(row, **dict.fromkeys(monitoring.STATUS_KEYS, 0), dengan_skp=0)
        for row in people.values("unit_id")
        .annotate(aktif=Count("pk", filter=aktif), dikecualikan=Count("pk", filter=~aktif))
        .order_by()
    }
    statuses = (
        current.filter(pegawai__status=StatusPegawai.AKTIF)
        .exclude(Exists(later))
        .values("pegawai__unit_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in statuses:
        counts = per_unit.get(row["pegawai__unit_id"])
        if counts is not None:
            counts["dengan_skp"] += row["n"]
            if row["status"] in monitoring.STATUS_KEYS:
                counts[row["status"]] += row["n"]
    for counts in per_unit.values():
        counts[monitoring.BELUM] = counts["aktif"] - counts.pop("dengan_skp")
    return list(per_unit.values())


def _skp_progress(
    instansi: Instansi, periode: PeriodeSKP, units: list[UnitKerja], scope: UnitKerja | None
) -> tuple[dict[tuple[int | None, bool], monitoring.ProgressRow], monitoring.ProgressRow]:
    """The SKP progress rows of the level below ``scope`` (as ``selectors_monitoring.progress``),
    by (unit pk, is the scope unit's own staff), and their total. Two queries."""
    by_path = {u.path: u for u in units}
    path_of = {u.pk: u.path for u in units}
    child_depth = scope.depth + 1 if scope is not None else 0
    rows: dict[tuple[int | None, bool], monitoring.ProgressRow] = {}
    total = monitoring.ProgressRow(label=str(_("Jumlah")))
    for counts in _skp_status_counts(instansi, periode, scope):
        path = path_of.get(counts["unit_id"])
        if path is None:
            key, row = (None, False), monitoring.ProgressRow(label=str(_("Tanpa unit kerja")))
        elif scope is not None and path == scope.path:
            key, row = (scope.pk, True), monitoring.ProgressRow(label=scope.nama, unit=scope, is_scope_unit=True)
        else:
            unit = by_path["/".join(path.split("/")[: child_depth + 1]) + "/"]
            key, row = (unit.pk, False), monitoring.ProgressRow(label=unit.nama, unit=unit)
        rows.setdefault(key, row).add(counts)
        total.add(counts)
    return rows, total


def breadcrumb(*, units: list[UnitKerja], scope: UnitKerja | None) -> list[UnitKerja]:
    """The units above ``scope`` (top first), for the way back up the dashboard's drill-down."""
    if scope is None:
        return []
    by_path = {u.path: u for u in units}
    return [by_path[p] for p in monitoring.ancestor_paths(scope.path)[:-1] if p in by_path]


def level_units(*, units: list[UnitKerja], scope: UnitKerja | None) -> list[UnitKerja]:
    """The units one level below ``scope`` (the top-level units, the OPDs, without a scope)."""
    if scope is None:
        return [u for u in units if u.parent_id is None]
    return [u for u in units if u.parent_id == scope.pk]


def dashboard(
    *,
    instansi: Instansi,
    periode: PeriodeEvaluasi,
    units: list[UnitKerja],
    scope: UnitKerja | None,
    today: datetime.date,
    page: int | str | None = 1,
) -> Dashboard:
    """The HR dashboard of ``periode`` for the instansi or the subtree of ``scope``: one row per unit
    one level below the scope (the OPDs without a scope), each counting its whole subtree, plus the
    scope unit's own staff, ``DASHBOARD_PAGE_SIZE`` rows a page (``page=None``: every row, for Excel).
    The rows follow the level, not the size of the instansi.

    Queries: the per-unit counts from HasilKinerja, the capaian of the period, and the SKP
    progress (employees per unit, current SKP per unit and status): four, whatever the size. ``units`` is
    ``selectors_monitoring.unit_choices``, already loaded for the filters."""
    by_pk = {u.pk: u for u in units}
    by_path = {u.path: u for u in units}
    path_of = {u.pk: u.path for u in units}
    child_depth = scope.depth + 1 if scope is not None else 0
    per_unit = _counts_per_unit(instansi, periode)
    capaian = _capaian_by_unit(periode)
    totals = _subtree_totals(per_unit, path_of)
    rows: dict[str, DashboardRow] = {}
    total = DashboardRow(label=str(_("Jumlah")))
    for counts in per_unit:
        path = path_of.get(counts["unit_id"])
        if path is None:
            if scope is not None:
                continue
            key, row = "", DashboardRow(label=str(_("Tanpa unit kerja")))
        elif not in_scope(path, scope):
            continue
        elif scope is not None and path == scope.path:
            key, row = path, DashboardRow(label=scope.nama, unit=scope, is_scope_unit=True)
        else:
            key = "/".join(path.split("/")[: child_depth + 1]) + "/"
            row = DashboardRow(label=by_path[key].nama, unit=by_path[key])
        rows.setdefault(key, row).add(counts)
        total.add(counts)
    skp_rows, skp_total = _skp_progress(instansi, periode.periode_skp, units, scope)
    for skp_row in skp_rows.values():  # units with staff but no results yet still show their SKP progress
        key = skp_row.unit.path if skp_row.unit else ""
        rows.setdefault(key, DashboardRow(label=skp_row.label, unit=skp_row.unit, is_scope_unit=skp_row.is_scope_unit))
    ordered = sorted(rows.values(), key=lambda r: (not r.is_scope_unit, r.unit is None, r.unit.path if r.unit else ""))
    paginator = Paginator(ordered, max(1, len(ordered)) if page is None else DASHBOARD_PAGE_SIZE)
    shown = paginator.get_page(1 if page is None else page)
    # Every unit with a capaian judged once against its own curve; each row lists the broken ones below it.
    governed = {pk: _distribution(by_pk[pk], by_pk, capaian, totals) for pk in capaian if pk in by_pk}
    melanggar = sorted((by_pk[pk] for pk, d in governed.items() if d.ok is False), key=lambda u: u.path)
    for row in shown.object_list:  # only the rows of the page shown are judged and labelled
        row.skp = skp_rows.get((row.unit.pk if row.unit else None, row.is_scope_unit))
        if row.unit is not None:
            row.distribution = _distribution(row.unit, by_pk, capaian, totals)
        if row.unit is not None and not row.is_scope_unit:
            row.subunit_melanggar = [u for u in melanggar if u.path.startswith(row.unit.path) and u != row.unit]
    if scope is not None:
        total.distribution = _distribution(scope, by_pk, capaian, totals)
    in_view = [u for u in melanggar if in_scope(u.path, scope) or (scope is not None and scope.path.startswith(u.path))]
    return Dashboard(
        periode=periode,
        scope=scope,
        rows=list(shown.object_list),
        total=total,
        skp_total=skp_total,
        unit_melanggar=in_view,
        page=shown,
        breadcrumb=breadcrumb(units=units, scope=scope),
    )


# --- Rater consistency (leniency) -------------------------------------------------------------------------


@dataclass
class Share:
    counts: dict[str, int] = field(default_factory=_empty_counts)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def percents(self) -> list[tuple[str, int, int]]:
        """(predikat, count, percent) best → worst."""
        n = self.total
        return [(k, self.counts[k], round(100 * self.counts[k] / n) if n else 0) for k in rules.PREDIKAT_ORDER]

    def percent(self, key: str) -> int:
        return round(100 * self.counts[key] / self.total) if self.total else 0


@dataclass
class RaterRow:
    penilai: Pegawai
    given: Share
    unit: Share
    unit_label: str

    @property
    def same_for_everyone(self) -> str:
        """The one predikat a rater gave everyone (≥ SAME_PREDIKAT_MIN people), else ""."""
        given = [k for k, n in self.given.counts.items() if n]
        return given[0] if self.given.total >= SAME_PREDIKAT_MIN and len(given) == 1 else ""

    @property
    def same_label(self) -> str:
        return PREDIKAT_LABELS.get(self.same_for_everyone, "")

    @property
    def persen_sangat_baik(self) -> int:
        return self.given.percent("SANGAT_BAIK")


@dataclass
class Leniency:
    periode: PeriodeEvaluasi
    scope: UnitKerja | None
    raters: list[RaterRow]
    instansi: Share

    @property
    def flagged(self) -> list[RaterRow]:
        return [r for r in self.raters if r.same_for_everyone]

    @property
    def predikat_headers(self) -> list[tuple[str, str, str]]:
        return [(key, PREDIKAT_LABELS[key], PREDIKAT_CSS[key]) for key in rules.PREDIKAT_ORDER]


def leniency(
    *, instansi: Instansi, periode: PeriodeEvaluasi, units: list[UnitKerja], scope: UnitKerja | None
) -> Leniency:
    """Per pejabat penilai (the SKP's, joined from the results table) the predikat they gave in
    ``periode`` in FINAL evaluations, beside those of their own unit's subtree and of the whole
    instansi. Raters are listed when an employee they rated lies in ``scope``.

    Queries: predikat per (rater, unit), the raters with their unit: two, whatever the size."""
    path_of = {u.pk: u.path for u in units}
    rows = (
        HasilKinerja.objects.filter(instansi=instansi, periode_evaluasi=periode, status_evaluasi="FINAL")
        .exclude(predikat="")
        .values("skp__pejabat_penilai_id", "unit_id", "predikat")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_rater: dict[int, Share] = defaultdict(Share)
    per_unit: dict[int | None, Share] = defaultdict(Share)
    everyone = Share()
    in_reach: set[int] = set()
    for row in rows:
        rater, unit_id, key, n = row["skp__pejabat_penilai_id"], row["unit_id"], row["predikat"], row["n"]
        if key not in everyone.counts:
            continue
        everyone.counts[key] += n
        per_unit[unit_id].counts[key] += n
        if rater is not None:
            per_rater[rater].counts[key] += n
            if in_scope(path_of.get(unit_id), scope):
                in_reach.add(rater)
    penilai = Pegawai.objects.filter(pk__in=in_reach).select_related("unit").order_by("unit__path", "nama", "pk")
    raters = []
    for person in penilai:
        unit_share = Share()
        if person.unit is not None:
            for unit_id, share in per_unit.items():
                if path_of.get(unit_id, "").startswith(person.unit.path):
                    for key, n in share.counts.items():
                        unit_share.counts[key] += n
        label = person.unit.nama if person.unit else str(_("Tanpa unit kerja"))
        raters.append(RaterRow(person, per_rater[person.pk], unit_share, label))
    raters.sort(key=lambda r: not r.same_for_everyone)  # flagged raters first, then in unit order
    return Leniency(periode=periode, scope=scope, raters=raters, instansi=everyone)


# --- Annual results for the national civil-service data system ------------------------------------------

# The national system's codes, not translated: the file is read by a machine.
RATING_EXPORT = {
    "DI_ATAS": "DI ATAS EKSPEKTASI",
    "SESUAI": "SESUAI EKSPEKTASI",
    "DI_BAWAH": "DI BAWAH EKSPEKTASI",
}
PREDIKAT_EXPORT = {
    "SANGAT_BAIK": "SANGAT BAIK",
    "BAIK": "BAIK",
    "BUTUH_PERBAIKAN": "BUTUH PERBAIKAN",
    "KURANG": "KURANG/MISCONDUCT",
    "SANGAT_KURANG": "SANGAT KURANG",
}


def tahun_choices(*, instansi: Instansi) -> list[int]:
    """Years with an annual (TAHUNAN) evaluation period, newest first. One query."""
    return list(
        PeriodeEvaluasi.objects.filter(periode_skp__instansi=instansi, jenis="TAHUNAN")
        .order_by("-periode_skp__tahun")
        .values_list("periode_skp__tahun", flat=True)
        .distinct()
    )


def hasil_tahunan(*, instansi: Instansi, tahun: int, scope: UnitKerja | None = None) -> QuerySet[Evaluasi]:
    """The FINAL annual evaluations of ``tahun``, one per employee, with the employee loaded. One query."""
    qs = Evaluasi.objects.filter(
        instansi=instansi,
        status="FINAL",
        periode_evaluasi__jenis="TAHUNAN",
        periode_evaluasi__periode_skp__tahun=tahun,
    ).select_related("skp__pegawai", "periode_evaluasi__periode_skp")
    if scope is not None:
        qs = qs.filter(skp__pegawai__unit__path__startswith=scope.path)
    # After a mid-year move an employee has an annual evaluation per SKP; the latest post comes first.
    return qs.order_by("skp__pegawai__nip", "skp__pegawai_id", "-skp__mulai", "-pk")


def hasil_tahunan_rows(evaluations) -> list[list]:
    """One row per employee (the latest post's evaluation): NIP, nama, tahun (a number), rating hasil kerja, rating
    perilaku kerja, predikat, in the national system's codes."""
    seen: set[int] = set()
    rows = []
    for e in evaluations:
        if e.skp.pegawai_id in seen:
            continue
        seen.add(e.skp.pegawai_id)
        rows.append(
            [
                e.skp.pegawai.nip,
                e.skp.pegawai.nama,
                e.periode_evaluasi.periode_skp.tahun,
                RATING_EXPORT.get(e.rating_hasil_kerja, ""),
                RATING_EXPORT.get(e.rating_perilaku_kerja, ""),
                PREDIKAT_EXPORT.get(e.predikat, ""),
            ]
        )
    return rows


# --- Dashboard panels: talent 9-box, follow-up recommendations, IKM ----------------------------------------

# The follow-ups the HR dashboard lists (issue 7 item 1): training needs, promotion candidates, award nominees.
PANEL_JENIS = ("PELATIHAN", "PROMOSI", "PENGHARGAAN")
PANEL_NAMES = 5  # names shown per panel; the full list is one click away (talenta:rekomendasi)


@dataclass
class RekomendasiPanel:
    jenis: str
    label: str
    jumlah: int
    contoh: list = field(default_factory=list)  # the first PANEL_NAMES Rekomendasi, with pegawai


@dataclass
class Panels:
    tahun: int
    grid: dict
    rekomendasi: list[RekomendasiPanel]
    ikm: list
    ikm_jumlah: int = 0  # service units in scope; ``ikm`` holds the first IKM_PANEL_ROWS

    @property
    def grid_cells(self) -> list[dict]:
        """The nine boxes in number order, for the table behind the grid and the Excel sheet."""
        cells = [cell | {"kinerja": row["kinerja"]} for row in self.grid["rows"] for cell in row["cells"]]
        return sorted(cells, key=lambda c: c["kotak"])


def _rekomendasi_panels(instansi: Instansi, tahun: int, scope: UnitKerja | None) -> list[RekomendasiPanel]:
    """Two queries: the counts per jenis, and the first names per jenis (a window, not a query per jenis)."""
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber

    from talenta.models import JenisRekomendasi, Rekomendasi

    qs = Rekomendasi.objects.filter(instansi=instansi, tahun=tahun, jenis__in=PANEL_JENIS)
    if scope is not None:
        qs = qs.filter(unit__path__startswith=scope.path)
    counts = dict(qs.values("jenis").annotate(n=Count("pk")).values_list("jenis", "n").order_by())
    first = (
        qs.select_related("pegawai", "unit")
        .annotate(urutan=Window(RowNumber(), partition_by=[F("jenis")], order_by=[F("pegawai__nama").asc(), "pk"]))
        .filter(urutan__lte=PANEL_NAMES)
        .order_by("jenis", "urutan")
    )
    names: dict[str, list] = defaultdict(list)
    for rec in first:
        names[rec.jenis].append(rec)
    labels = dict(JenisRekomendasi.choices)
    return [RekomendasiPanel(j, str(labels[j]), counts.get(j, 0), names[j]) for j in PANEL_JENIS]


IKM_PANEL_ROWS = 10  # service units shown under the dashboard; the SKM pages list them all


def _ikm_rows(instansi: Instansi, scope: UnitKerja | None, today: datetime.date, limit: int | None) -> tuple[list, int]:
    """The first ``limit`` (None: all) service units in scope (by public name) with their current
    period's IKM and mutu, and how many there are in scope. A province has well over a thousand
    (every puskesmas and kelurahan): scoring them all on every dashboard request took most of a
    second and 300 KiB of HTML. Five queries (two without service units in scope): the count, the
    units, their periods, accepted responses and unsur sums per current period, as
    ``surveys.selectors.unit_layanan_list`` computes them, restricted to the units shown."""
    from surveys import selectors as skm
    from surveys.models import PeriodeSurvei, UnitLayanan

    qs = UnitLayanan.objects.filter(instansi=instansi)
    if scope is not None:
        qs = qs.filter(unit__path__startswith=scope.path)
    jumlah = qs.count()
    units = list(qs.select_related("unit").order_by("nama_publik", "pk")[:limit])
    if not units:
        return [], jumlah
    periods: dict[int, list] = defaultdict(list)
    for periode in PeriodeSurvei.objects.filter(unit_layanan__in=units).order_by("-mulai"):
        periods[periode.unit_layanan_id].append(periode)
    current = {u.pk: skm._current(periods[u.pk], today) for u in units}
    ids = [p.pk for p in current.values() if p]
    counts = skm._accepted_counts(ids)
    sums = skm._sums_by(skm._unsur_sums(Q(respons__periode_id__in=ids), "respons__periode_id"), "respons__periode_id")
    rows = []
    for unit in units:
        periode = current[unit.pk]
        if periode is None:
            rows.append(skm.UnitRingkas(unit, None, None, None))
            continue
        n = counts.get(periode.pk, 0)
        skor = skm.skor_from_sums(sums.get(periode.pk, {}), responden=n, legacy_weight=unit.bobot_legacy)
        rows.append(skm.UnitRingkas(unit, periode, skor, skm.Progres(n, periode.sampel_minimal)))
    return rows, jumlah


def panels(
    *,
    instansi: Instansi,
    tahun: int,
    scope: UnitKerja | None,
    today: datetime.date,
    ikm_limit: int | None = IKM_PANEL_ROWS,
) -> Panels:
    """The panels under the HR dashboard's tables for the year of the period shown: the 9-box counts
    (talenta.TalentaBox, the talent job's results table), the follow-up recommendations and the IKM
    of the service units (the first ``ikm_limit``; None for the Excel sheet: all of the scope). Eight
    queries whatever the size: grid (1), recommendations (2), IKM (5; 2 without service units)."""
    from talenta.selectors import grid_for

    ikm, ikm_jumlah = _ikm_rows(instansi, scope, today, ikm_limit)
    return Panels(
        tahun=tahun,
        grid=grid_for(instansi=instansi, tahun=tahun, unit=scope),
        rekomendasi=_rekomendasi_panels(instansi, tahun, scope),
        ikm=ikm,
        ikm_jumlah=ikm_jumlah,
    )


# --- Drill-down: the people who are late ------------------------------------------------------------------


def evaluasi_belum_final(
    *, instansi: Instansi, periode: PeriodeEvaluasi, scope: UnitKerja | None
) -> QuerySet[HasilKinerja]:
    """Employees scored for ``periode`` whose evaluation is not FINAL yet (none, a draft, or no approved
    SKP to evaluate), from the results table, with the employee, unit and pejabat penilai loaded.
    The rows are those the dashboard counts as "belum final"."""
    qs = HasilKinerja.objects.filter(instansi=instansi, periode_evaluasi=periode).exclude(status_evaluasi="FINAL")
    if scope is not None:
        qs = qs.filter(unit__path__startswith=scope.path)
    return qs.select_related("pegawai", "unit", "skp__pejabat_penilai").order_by("unit__path", "pegawai__nama", "pk")


EVALUASI_STATUS_LABELS = {"": _("Belum dinilai"), "DRAFT": _("Draf")}
TANPA_SKP = _("Belum ada SKP disetujui")


def label_evaluasi(rows) -> list:
    """Each HasilKinerja row labelled with its evaluation status (for the table and the Excel sheet);
    an employee without an approved SKP in the period cannot be evaluated yet, and is told apart."""
    rows = list(rows)
    for row in rows:
        label = TANPA_SKP if row.skp_id is None else EVALUASI_STATUS_LABELS.get(row.status_evaluasi, "")
        row.status_label = str(label)
    return rows


# --- Annual predikat recap per unit (the printable recap) --------------------------------------------------


@dataclass
class RekapRow:
    unit: UnitKerja | None
    label: str
    depth: int = 0
    counts: dict[str, int] = field(default_factory=_empty_counts)
    pegawai: int = 0
    final: int = 0

    @property
    def belum(self) -> int:
        """Employees scored without a predikat yet."""
        return self.pegawai - sum(self.counts.values())

    @property
    def cells(self) -> list[int]:
        return [self.counts[k] for k in rules.PREDIKAT_ORDER]


@dataclass
class Rekap:
    instansi: Instansi
    tahun: int
    periode: PeriodeEvaluasi | None
    scope: UnitKerja | None
    rows: list[RekapRow]
    total: RekapRow

    @property
    def headers(self) -> list[str]:
        return [str(PREDIKAT_LABELS[k]) for k in rules.PREDIKAT_ORDER]


def rekap_predikat(*, instansi: Instansi, tahun: int, units: list[UnitKerja], scope: UnitKerja | None) -> Rekap:
    """The annual (TAHUNAN) predikat of ``tahun`` per unit, each unit counting the employees placed
    directly in it (so the rows add up to the total), in tree order, from the results table.
    Two queries: the annual period, the grouped counts."""
    periode = (
        PeriodeEvaluasi.objects.filter(periode_skp__instansi=instansi, periode_skp__tahun=tahun, jenis="TAHUNAN")
        .select_related("periode_skp")
        .first()
    )
    total = RekapRow(unit=None, label=str(_("Jumlah")))
    if periode is None:
        return Rekap(instansi, tahun, None, scope, [], total)
    path_of = {u.pk: u for u in units}
    rows: dict[int | None, RekapRow] = {}
    for counts in _counts_per_unit(instansi, periode):
        unit = path_of.get(counts["unit_id"])
        if (unit is None and scope is not None) or (unit is not None and not in_scope(unit.path, scope)):
            continue
        base = scope.depth if scope is not None else 0
        row = rows.setdefault(
            counts["unit_id"],
            RekapRow(unit, unit.nama if unit else str(_("Tanpa unit kerja")), unit.depth - base if unit else 0),
        )
        for target in (row, total):
            target.pegawai += counts["pegawai"]
            target.final += counts["final"]
            for key in rules.PREDIKAT_ORDER:
                target.counts[key] += counts[key]
    ordered = sorted(rows.values(), key=lambda r: (r.unit is None, r.unit.path if r.unit else ""))
    return Rekap(instansi, tahun, periode, scope, ordered, total)
