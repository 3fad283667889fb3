"""Reads for the HR and organisation-wide SKP screens: the SKP years, the progress of SKP
planning per unit, and the cascade tree (pohon kinerja) of a year.

Each function returns everything its template shows, prepared, from a fixed number of
queries: counting is done in SQL, trees are assembled in Python from flat lists.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, When, Window
from django.db.models.functions import Coalesce, RowNumber
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.models import Instansi, JenisJabatan, Pegawai, StatusPegawai, UnitKerja
from sikap.params import as_id

from .models import RHK, SKP, JenisRHK, PeriodeSKP, StatusSKP

BELUM = "BELUM"  # no current SKP in the year yet
PROGRESS_STATUSES: tuple[tuple[str, str], ...] = (
    (BELUM, _("Belum mulai")),
    (StatusSKP.DRAFT, _("Draf")),
    (StatusSKP.DIAJUKAN, _("Diajukan")),
    (StatusSKP.REVISI, _("Revisi")),
    (StatusSKP.DISETUJUI, _("Disetujui")),
)
# Bootstrap colour per status: the table's bars, the badges and the chart use the same ones.
STATUS_CSS = {
    BELUM: "secondary",
    StatusSKP.DRAFT: "info",
    StatusSKP.DIAJUKAN: "primary",
    StatusSKP.REVISI: "warning",
    StatusSKP.DISETUJUI: "success",
}
STATUS_KEYS = tuple(key for key, _label in PROGRESS_STATUSES)
STATUS_LABELS = {BELUM: _("Belum dibuat"), **dict(StatusSKP.choices)}


# --- SKP years ------------------------------------------------------------------------------------------


def periode_list(*, instansi: Instansi) -> list[PeriodeSKP]:
    """The instansi's SKP years, newest first, each with how many employees have a current SKP
    and how many of those are approved. One query."""
    current = Q(skp__is_current=True)
    return list(
        PeriodeSKP.objects.filter(instansi=instansi)
        .annotate(
            jumlah_skp=Count("skp__pegawai", filter=current, distinct=True),
            jumlah_disetujui=Count("skp__pegawai", filter=current & Q(skp__status=StatusSKP.DISETUJUI), distinct=True),
        )
        .order_by("-tahun")
    )


def periode_choices(*, instansi: Instansi) -> list[PeriodeSKP]:
    """The instansi's SKP years, newest first (for a year picker). One query."""
    return list(PeriodeSKP.objects.filter(instansi=instansi).order_by("-tahun"))


def unit_choices(*, instansi: Instansi) -> list[UnitKerja]:
    """The instansi's units in tree order (for rolling counts up). One query."""
    return list(UnitKerja.objects.filter(instansi=instansi).order_by("path"))


# A city has a few hundred units: its pickers list them all. A province has thousands, and a
# select of thousands of options on every page weighs hundreds of KiB (issue 8): there the picker
# offers the way down from the unit chosen instead.
UNIT_PICKER_MAX = 300


def unit_picker(*, instansi: Instansi, chosen: UnitKerja | None) -> list[UnitKerja]:
    """The units a unit picker offers, in tree order: every unit of an instansi of at most
    ``UNIT_PICKER_MAX``; beyond that the units above ``chosen``, ``chosen`` and the level below it
    (the top-level units without a choice), at most ``UNIT_PICKER_MAX`` of that level. One query
    for a city, three beyond."""
    mine = UnitKerja.objects.filter(instansi=instansi).order_by("path")
    every = list(mine[: UNIT_PICKER_MAX + 1])
    if len(every) <= UNIT_PICKER_MAX:
        return every
    above = [] if chosen is None else list(mine.filter(path__in=ancestor_paths(chosen.path)[:-1]))
    level = list(mine.filter(parent=chosen)[:UNIT_PICKER_MAX])
    return [*above, *([chosen] if chosen else []), *level]


def ancestor_paths(path: str) -> list[str]:
    """ "12/40/77/" → ["12/", "12/40/", "12/40/77/"]: the unit and every unit above it."""
    parts = path.split("/")[:-1]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def unit_param(raw: str, *, instansi: Instansi) -> UnitKerja | None:
    """The unit ``?unit=`` names: None when empty; 404 for anything else that is not a unit of
    ``instansi`` (another instansi's unit, a word, a number too big for an id). One query."""
    if not raw:
        return None
    pk = as_id(raw)
    unit = UnitKerja.objects.filter(instansi=instansi, pk=pk).first() if pk is not None else None
    if unit is None:
        raise Http404  # nothing leaks about what exists
    return unit


# --- Progress of SKP planning ------------------------------------------------------------------------------


def _current_skp(periode: PeriodeSKP) -> QuerySet[SKP]:
    """An employee's current SKP in the year: the revision in force of their latest span
    (after a mid-year move the SKP of the new post)."""
    return SKP.objects.filter(pegawai=OuterRef("pk"), periode=periode, is_current=True).order_by("-mulai", "-revisi_ke")


def _pegawai_in(instansi: Instansi, unit: UnitKerja | None) -> QuerySet[Pegawai]:
    qs = Pegawai.objects.filter(instansi=instansi)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs


@dataclass
class Segment:
    key: str
    label: str
    count: int
    percent: float

    @property
    def css(self) -> str:
        return STATUS_CSS[self.key]


@dataclass
class ProgressRow:
    """The counts of one row of the progress table: a unit's subtree, or the scope unit's own staff."""

    label: str
    unit: UnitKerja | None = None
    is_scope_unit: bool = False  # the employees placed directly in the unit being looked at
    can_drill: bool = False
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUS_KEYS, 0))
    aktif: int = 0
    dikecualikan: int = 0

    def add(self, row: dict) -> None:
        for key in STATUS_KEYS:
            self.counts[key] += row[key]
        self.aktif += row["aktif"]
        self.dikecualikan += row["dikecualikan"]

    @property
    def segments(self) -> list[Segment]:
        return [
            Segment(key, label, self.counts[key], 100 * self.counts[key] / self.aktif if self.aktif else 0)
            for key, label in PROGRESS_STATUSES
        ]

    @property
    def persen_disetujui(self) -> int:
        return round(100 * self.counts[StatusSKP.DISETUJUI] / self.aktif) if self.aktif else 0


@dataclass
class Progress:
    periode: PeriodeSKP
    scope: UnitKerja | None
    rows: list[ProgressRow]
    total: ProgressRow
    is_past_deadline: bool

    @property
    def chart(self) -> dict:
        """The same numbers as the table, for Chart.js (passed through ``json_script``)."""
        return {
            "labels": [row.label for row in self.rows],
            "datasets": [
                {"key": key, "css": STATUS_CSS[key], "label": label, "data": [row.counts[key] for row in self.rows]}
                for key, label in PROGRESS_STATUSES
            ],
        }


def _status_counts(instansi: Instansi, periode: PeriodeSKP, scope: UnitKerja | None) -> list[dict]:
    """One row per unit: active employees by the status of their current SKP, and the exempt.

    Rules §1.10: only AKTIF employees are obliged to have an SKP; CLTN, tugas belajar,
    diberhentikan sementara and MPP are counted apart. One grouped query; the correlated
    subquery is an alias, so it is neither selected nor grouped by."""
    aktif = Q(status=StatusPegawai.AKTIF)
    per_status = {
        key: Count("pk", filter=aktif & (Q(skp_status__isnull=True) if key == BELUM else Q(skp_status=key)))
        for key, _label in PROGRESS_STATUSES
    }
    return list(
        _pegawai_in(instansi, scope)
        .alias(skp_status=Subquery(_current_skp(periode).values("status")[:1]))
        .values("unit_id")
        .annotate(aktif=Count("pk", filter=aktif), dikecualikan=Count("pk", filter=~aktif), **per_status)
        .order_by()
    )


def progress(
    *, instansi: Instansi, periode: PeriodeSKP, units: list[UnitKerja], scope: UnitKerja | None, today: datetime.date
) -> Progress:
    """Progress of SKP planning in ``periode`` for the instansi or the subtree of ``scope``.

    The rows drill down one level: the scope unit's own staff, then each child unit (or each
    top-level unit when no scope is chosen) with the counts of its whole subtree. ``units``
    is ``unit_choices(instansi=…)``, already loaded for the unit picker. One query."""
    by_path = {u.path: u for u in units}
    child_depth = scope.depth + 1 if scope is not None else 0
    has_children = {u.parent_id for u in units}
    rows: dict[str, ProgressRow] = {}
    total = ProgressRow(label=str(_("Jumlah")))
    unit_path = {u.pk: u.path for u in units}
    for counts in _status_counts(instansi, periode, scope):
        path = unit_path.get(counts["unit_id"])
        if path is None:
            key, row = "", ProgressRow(label=str(_("Tanpa unit kerja")))
        elif scope is not None and path == scope.path:
            key, row = path, ProgressRow(label=scope.nama, unit=scope, is_scope_unit=True)
        else:
            key = "/".join(path.split("/")[: child_depth + 1]) + "/"
            unit = by_path[key]
            row = ProgressRow(label=unit.nama, unit=unit, can_drill=unit.pk in has_children)
        rows.setdefault(key, row).add(counts)
        total.add(counts)
    ordered = sorted(rows.values(), key=lambda r: (not r.is_scope_unit, r.unit is None, r.unit.path if r.unit else ""))
    return Progress(
        periode=periode, scope=scope, rows=ordered, total=total, is_past_deadline=today > periode.batas_penetapan
    )


def late_pegawai(
    *, instansi: Instansi, periode: PeriodeSKP, scope: UnitKerja | None, today: datetime.date, q: str = ""
) -> QuerySet[Pegawai]:
    """Active employees who are behind with their SKP (rules §1.10).

    After the year's ``batas_penetapan``: those without an approved SKP in the year. An
    employee revising an SKP that was already approved is not late: an approved one exists.
    Before the deadline: those who have not started one (the pengelola kinerja may need to
    prepare it, rules §1.10)."""
    qs = (
        _pegawai_in(instansi, scope)
        .filter(status=StatusPegawai.AKTIF)
        .select_related("unit", "pejabat_penilai")
        .annotate(
            skp_status=Subquery(_current_skp(periode).values("status")[:1]),
            skp_ditetapkan=Exists(
                SKP.objects.filter(pegawai=OuterRef("pk"), periode=periode, status=StatusSKP.DISETUJUI)
            ),
        )
    )
    qs = qs.filter(skp_ditetapkan=False) if today > periode.batas_penetapan else qs.filter(skp_status__isnull=True)
    if q:
        digits = q.replace(" ", "")
        qs = (
            qs.filter(Q(nama__icontains=q) | Q(nip__startswith=digits))
            if digits.isdigit()
            else qs.filter(nama__icontains=q)
        )
    return qs.order_by("unit__path", "nama", "pk")


def late_page(*, queryset: QuerySet[Pegawai], number, per_page: int = 25) -> Page:
    """One page of ``late_pegawai``, each row labelled with its SKP status. Two queries."""
    page = Paginator(queryset, per_page).get_page(number)
    for pegawai in page.object_list:
        pegawai.skp_status_label = STATUS_LABELS[pegawai.skp_status or BELUM]
        pegawai.skp_status_css = STATUS_CSS[pegawai.skp_status or BELUM]
    return page


# --- The cascade tree (pohon kinerja) ---------------------------------------------------------------------

JABATAN_RANK = {jenis: rank for rank, jenis in enumerate(JenisJabatan.values)}


@dataclass(eq=False)
class RHKNode:
    rhk: RHK  # annotated with jumlah_turunan: how many RHK intervene it, shown or not
    turunan: list[tuple[SKP, RHK]] = field(default_factory=list)  # the shown subordinates' RHK intervening it
    atasan: RHK | None = None  # the RHK it intervenes, when it lies outside the shown nodes (with skp.pegawai)
    belum_diturunkan: bool = False
    tanpa_atasan: bool = False


@dataclass(eq=False)
class PersonNode:
    pegawai: Pegawai  # annotated with jumlah_bawahan
    skp: SKP | None = None  # None: no SKP in the year yet
    revisi_berjalan: SKP | None = None  # a newer revision being drafted while this approved one holds
    rhk: list[RHKNode] = field(default_factory=list)
    bawahan: list[PersonNode] = field(default_factory=list)
    bawahan_loaded: bool = False  # False: the subordinates load on demand (htmx)
    is_head: bool = False
    is_open: bool = False
    can_open: bool = False  # whether the viewer may open this SKP's page

    @property
    def status_css(self) -> str:
        return STATUS_CSS[self.skp.status if self.skp else BELUM]

    @property
    def jumlah_tanda(self) -> int:
        return sum(n.belum_diturunkan + n.tanpa_atasan for n in self.rhk)


@dataclass
class Flag:
    node: PersonNode
    rhk: RHK
    kind: str  # "belum_diturunkan" | "tanpa_atasan"


@dataclass
class CascadeTree:
    """The shown part of a pohon kinerja: summary and flags cover the shown nodes only."""

    periode: PeriodeSKP
    roots: list[PersonNode]
    flags: list[Flag]
    status_counts: dict[str, int]
    jumlah_skp: int
    tanpa_skp: int  # shown active employees without an SKP in the year
    next_offset: int | None = None  # cascade_children: more subordinates from here

    def nodes(self):
        stack = list(self.roots)
        while stack:
            node = stack.pop()
            yield node
            stack.extend(node.bawahan)

    def skp_ids(self) -> set[int]:
        return {node.skp.pk for node in self.nodes() if node.skp}

    def mark_openable(self, visible_skp_ids: set[int] | None) -> None:
        """Which SKP pages the viewer may open (``None``: all of them, as for the HR admin)."""
        for node in self.nodes():
            node.can_open = node.skp is not None and (visible_skp_ids is None or node.skp.pk in visible_skp_ids)

    @property
    def belum_diturunkan(self) -> list[Flag]:
        return [f for f in self.flags if f.kind == "belum_diturunkan"]

    @property
    def tanpa_atasan(self) -> list[Flag]:
        return [f for f in self.flags if f.kind == "tanpa_atasan"]


def in_chain_of(*, pegawai_id: int, atasan_id: int, max_depth: int = 50) -> bool:
    """Whether ``atasan_id`` is ``pegawai_id`` or on their chain of pejabat penilai upwards.

    One recursive query (PostgreSQL and SQLite), bounded so that a cycle in bad data ends."""
    if pegawai_id == atasan_id:
        return True
    table = Pegawai._meta.db_table
    sql = (
        f"WITH RECURSIVE chain(id, depth) AS ("
        f" SELECT pejabat_penilai_id, 1 FROM {table} WHERE id = %s"
        f" UNION ALL SELECT p.pejabat_penilai_id, c.depth + 1 FROM {table} p JOIN chain c ON p.id = c.id"
        f" WHERE c.depth < %s) SELECT 1 FROM chain WHERE id = %s LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pegawai_id, max_depth, atasan_id])
        return cursor.fetchone() is not None


def _people(*, instansi: Instansi, periode: PeriodeSKP, unit: UnitKerja | None) -> QuerySet[Pegawai]:
    """Who may appear in the tree: active employees and anyone with an SKP in the year, each
    with how many subordinates they have (to offer loading them)."""
    has_skp = SKP.objects.filter(periode=periode, pegawai=OuterRef("pk"))
    below = Pegawai.objects.filter(pejabat_penilai=OuterRef("pk"), status=StatusPegawai.AKTIF)
    if unit is not None:
        below = below.filter(unit__path__startswith=unit.path)
    qs = Pegawai.objects.filter(instansi=instansi).filter(Q(status=StatusPegawai.AKTIF) | Exists(has_skp))
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    count = below.order_by().values("pejabat_penilai").annotate(n=Count("pk")).values("n")
    return qs.select_related("jabatan").annotate(jumlah_bawahan=Coalesce(Subquery(count), 0))


CHILDREN_PER_REQUEST = 20  # a head of a large unit appraises up to ~1 000 people: show them in steps


def _jabatan_rank() -> Case:
    return Case(*(When(jabatan__jenis=jenis, then=n) for jenis, n in JABATAN_RANK.items()), default=99)


def cascade_tree(
    *,
    instansi: Instansi,
    periode: PeriodeSKP,
    unit: UnitKerja | None = None,
    root_pegawai_id: int | None = None,
) -> CascadeTree:
    """The top of the pohon kinerja of ``periode`` and one level below it; deeper levels load
    on demand (``cascade_children``), so the page does not grow with the instansi. The top:
    ``root_pegawai_id`` (a supervisor's own reach), else the heads of the instansi or of
    ``unit`` (whose pejabat penilai is outside it).

    Queries: the top, their subordinates, then those of ``_build``."""
    people = _people(instansi=instansi, periode=periode, unit=unit)
    if root_pegawai_id is not None:
        top = list(people.filter(pk=root_pegawai_id))
    elif unit is not None:
        outside = Q(pejabat_penilai__isnull=True) | ~Q(pejabat_penilai__unit__path__startswith=unit.path)
        outside |= Q(pejabat_penilai__unit__isnull=True)
        top = list(people.filter(outside))
    else:
        top = list(people.filter(pejabat_penilai__isnull=True))
    below = []
    if top:  # the first CHILDREN_PER_REQUEST subordinates of each top; the rest load on demand
        below = people.filter(pejabat_penilai__in=[p.pk for p in top]).annotate(
            urut=Window(RowNumber(), partition_by=F("pejabat_penilai"), order_by=[_jabatan_rank(), "nama", "pk"])
        )
        below = list(below.filter(urut__lte=CHILDREN_PER_REQUEST))
    return _build(instansi=instansi, periode=periode, people=top + below, expanded={p.pk for p in top})


def cascade_children(
    *, instansi: Instansi, periode: PeriodeSKP, pegawai_id: int, unit: UnitKerja | None = None, offset: int = 0
) -> CascadeTree:
    """Up to CHILDREN_PER_REQUEST direct subordinates of ``pegawai_id`` from ``offset`` (by
    jabatan, then name) as roots, their own subordinates left to load on demand; ``next_offset``
    says where the next step starts. The caller has checked that ``pegawai_id`` is within reach."""
    rank = _jabatan_rank()
    people = _people(instansi=instansi, periode=periode, unit=unit).filter(pejabat_penilai_id=pegawai_id)
    people = list(people.order_by(rank, "nama", "pk")[offset : offset + CHILDREN_PER_REQUEST + 1])
    tree = _build(instansi=instansi, periode=periode, people=people[:CHILDREN_PER_REQUEST], expanded=set())
    if len(people) > CHILDREN_PER_REQUEST:
        tree.next_offset = offset + CHILDREN_PER_REQUEST
    return tree


def _pick_skp(skps: list[SKP]) -> tuple[SKP, SKP | None]:
    """The SKP to show for one employee, and the newer revision being drafted if any.

    The latest span (after a move, the new post); within it the latest approved revision,
    because subordinates intervene approved RHK (services.supervisor_rhk_choices); a draft
    only when nothing in the span was approved yet."""
    latest = max(s.mulai for s in skps)
    span = [s for s in skps if s.mulai == latest]
    approved = [s for s in span if s.status == StatusSKP.DISETUJUI]
    current = max(span, key=lambda s: (s.is_current, s.revisi_ke))
    if not approved:
        return current, None
    shown = max(approved, key=lambda s: s.revisi_ke)
    return shown, (current if current.pk != shown.pk else None)


def _build(*, instansi: Instansi, periode: PeriodeSKP, people: list[Pegawai], expanded: set[int]) -> CascadeTree:
    """The shown nodes of the tree: each person under their pejabat penilai when both are shown,
    each RHK with the shown subordinates' RHK that intervene it (rules §1.4.3), flagged where
    the cascade breaks. ``expanded``: the people whose subordinates are among ``people``.

    Queries: the SKPs of ``people`` (with pegawai and jabatan), their RHK (each with how many
    RHK intervene it, so a flag does not depend on what is shown), and — only when some RHK
    intervene a RHK not shown — those parents. A constant number, whatever the instansi's size."""
    by_pk = {p.pk: p for p in people}
    skp_qs = SKP.objects.filter(instansi=instansi, periode=periode, pegawai_id__in=list(by_pk)).filter(
        Q(is_current=True) | Q(status=StatusSKP.DISETUJUI)
    )
    by_pegawai: dict[int, list[SKP]] = defaultdict(list)
    for skp in skp_qs.select_related("pegawai", "jabatan"):
        by_pegawai[skp.pegawai_id].append(skp)

    nodes: dict[int, PersonNode] = {}
    for pk, pegawai in by_pk.items():
        node = PersonNode(pegawai=pegawai, bawahan_loaded=pk in expanded or not pegawai.jumlah_bawahan)
        if by_pegawai.get(pk):
            node.skp, node.revisi_berjalan = _pick_skp(by_pegawai[pk])
            node.is_head = node.skp.pejabat_penilai_id is None
        else:
            node.is_head = pegawai.pejabat_penilai_id is None
        nodes[pk] = node
    shown_skp = {node.skp.pk: node for node in nodes.values() if node.skp}

    carried = RHK.objects.filter(rhk_atasan=OuterRef("pk")).filter(
        Q(skp__is_current=True) | Q(skp__status=StatusSKP.DISETUJUI)
    )
    carried = carried.order_by().values("rhk_atasan").annotate(n=Count("pk")).values("n")
    rhk_qs = RHK.objects.filter(skp_id__in=list(shown_skp)).annotate(jumlah_turunan=Coalesce(Subquery(carried), 0))
    intervening: dict[int, list[RHK]] = defaultdict(list)
    shown_rhk: set[int] = set()
    for rhk in rhk_qs.order_by("jenis", "urutan", "pk") if shown_skp else ():
        shown_skp[rhk.skp_id].rhk.append(RHKNode(rhk=rhk))
        shown_rhk.add(rhk.pk)
        if rhk.rhk_atasan_id:
            intervening[rhk.rhk_atasan_id].append(rhk)

    outside_ids = {n.rhk.rhk_atasan_id for node in shown_skp.values() for n in node.rhk if n.rhk.rhk_atasan_id}
    outside_ids -= shown_rhk
    outside = RHK.objects.select_related("skp__pegawai").in_bulk(outside_ids) if outside_ids else {}

    flags: list[Flag] = []
    for node in shown_skp.values():
        owner_is_supervisor = node.pegawai.jumlah_bawahan > 0
        for rhk_node in node.rhk:
            rhk = rhk_node.rhk
            rhk_node.turunan = [(shown_skp[r.skp_id].skp, r) for r in intervening.get(rhk.pk, ())]
            rhk_node.turunan.sort(key=lambda pair: pair[0].pegawai.nama)
            rhk_node.atasan = outside.get(rhk.rhk_atasan_id)
            is_utama = rhk.jenis == JenisRHK.UTAMA
            # Only approved RHK can be intervened, so only an approved supervisor SKP can lack its cascade.
            if is_utama and owner_is_supervisor and node.skp.status == StatusSKP.DISETUJUI and not rhk.jumlah_turunan:
                rhk_node.belum_diturunkan = True
                flags.append(Flag(node, rhk, "belum_diturunkan"))
            if is_utama and rhk.rhk_atasan_id is None and not node.is_head:
                rhk_node.tanpa_atasan = True
                flags.append(Flag(node, rhk, "tanpa_atasan"))

    roots = _assemble(nodes)
    status_counts = dict.fromkeys(StatusSKP.values, 0)
    for node in shown_skp.values():
        status_counts[node.skp.status] += 1
    flags.sort(key=lambda f: (f.kind, f.node.pegawai.nama, f.rhk.urutan))
    return CascadeTree(
        periode=periode,
        roots=roots,
        flags=flags,
        status_counts=status_counts,
        jumlah_skp=len(shown_skp),
        tanpa_skp=sum(1 for n in nodes.values() if n.skp is None and n.pegawai.status == StatusPegawai.AKTIF),
    )


def _rank(node: PersonNode) -> tuple:
    jabatan = node.skp.jabatan if node.skp else node.pegawai.jabatan
    return (JABATAN_RANK.get(jabatan.jenis if jabatan else None, 99), node.pegawai.nama, node.pegawai.pk)


def _assemble(nodes: dict[int, PersonNode]) -> list[PersonNode]:
    """Hang each person under their pejabat penilai when that person is shown; the others are
    roots. The shown levels come from Pegawai.pejabat_penilai, so there is no cycle to guard."""
    roots: list[PersonNode] = []
    for pk, node in nodes.items():
        parent = node.pegawai.pejabat_penilai_id
        (nodes[parent].bawahan if parent in nodes and parent != pk else roots).append(node)
    for node in nodes.values():
        node.bawahan.sort(key=_rank)
        node.is_open = bool(node.bawahan)
    roots.sort(key=_rank)
    return roots
