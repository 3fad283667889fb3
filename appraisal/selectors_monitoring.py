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
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from accounts.models import Instansi, JenisJabatan, Pegawai, StatusPegawai, UnitKerja

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
    """The instansi's units in tree order (for a unit picker and for rolling counts up). One query."""
    return list(UnitKerja.objects.filter(instansi=instansi).order_by("path"))


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
    rhk: RHK
    turunan: list[tuple[SKP, RHK]] = field(default_factory=list)  # the subordinates' RHK intervening it
    atasan: RHK | None = None  # the RHK it intervenes, when it lies outside the tree (with skp.pegawai)
    belum_diturunkan: bool = False
    tanpa_atasan: bool = False


@dataclass(eq=False)
class PersonNode:
    skp: SKP
    revisi_berjalan: SKP | None = None  # a newer revision being drafted while this approved one holds
    rhk: list[RHKNode] = field(default_factory=list)
    bawahan: list[PersonNode] = field(default_factory=list)
    is_head: bool = False
    is_open: bool = False
    can_open: bool = False  # whether the viewer may open this SKP's page

    @property
    def status_css(self) -> str:
        return STATUS_CSS[self.skp.status]

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
    periode: PeriodeSKP
    roots: list[PersonNode]
    flags: list[Flag]
    status_counts: dict[str, int]
    jumlah_skp: int
    tanpa_skp: int  # active employees in scope without an SKP in the year

    def nodes(self):
        stack = list(self.roots)
        while stack:
            node = stack.pop()
            yield node
            stack.extend(node.bawahan)

    def mark_openable(self, visible_skp_ids: set[int] | None) -> None:
        """Which SKP pages the viewer may open (``None``: all of them, as for the HR admin)."""
        for node in self.nodes():
            node.can_open = visible_skp_ids is None or node.skp.pk in visible_skp_ids

    @property
    def belum_diturunkan(self) -> list[Flag]:
        return [f for f in self.flags if f.kind == "belum_diturunkan"]

    @property
    def tanpa_atasan(self) -> list[Flag]:
        return [f for f in self.flags if f.kind == "tanpa_atasan"]


@dataclass(frozen=True)
class PeopleIndex:
    """Who reports to whom in the instansi (Pegawai.pejabat_penilai), loaded once as plain values."""

    penilai_of: dict[int, int | None]
    unit_path_of: dict[int, str]
    aktif: frozenset[int]

    def subordinates(self) -> dict[int, list[int]]:
        children: dict[int, list[int]] = defaultdict(list)
        for pk, penilai in self.penilai_of.items():
            if penilai is not None:
                children[penilai].append(pk)
        return children

    def subtree_of(self, root: int) -> set[int]:
        """``root`` and everyone whose chain of pejabat penilai leads up to them (cycle-safe)."""
        children, seen, stack = self.subordinates(), {root}, [root]
        while stack:
            for child in children.get(stack.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return seen


def people_index(*, instansi: Instansi) -> PeopleIndex:
    """One query of plain values; a whole instansi fits in memory comfortably."""
    rows = Pegawai.objects.filter(instansi=instansi).values_list("pk", "pejabat_penilai_id", "unit__path", "status")
    penilai_of, unit_path_of, aktif = {}, {}, set()
    for pk, penilai, path, status in rows:
        penilai_of[pk] = penilai
        unit_path_of[pk] = path or ""
        if status == StatusPegawai.AKTIF:
            aktif.add(pk)
    return PeopleIndex(penilai_of, unit_path_of, frozenset(aktif))


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


def cascade_tree(
    *,
    instansi: Instansi,
    periode: PeriodeSKP,
    people: PeopleIndex,
    unit: UnitKerja | None = None,
    root_pegawai_id: int | None = None,
) -> CascadeTree:
    """The pohon kinerja of ``periode``: each SKP owner under their pejabat penilai, each RHK
    with the subordinates' RHK that intervene it (rules §1.4.3), flagged where the cascade
    breaks. Scope: the instansi, the subtree of ``unit``, or the people whose chain leads up
    to ``root_pegawai_id``.

    Queries: the SKPs in scope (with pegawai and jabatan), all their RHK, and — only when some
    RHK intervene a RHK outside the tree — those parents. ``people`` is already loaded."""
    in_scope = set(people.penilai_of)
    if root_pegawai_id is not None:
        in_scope = people.subtree_of(root_pegawai_id)
    if unit is not None:
        in_scope = {pk for pk in in_scope if people.unit_path_of[pk].startswith(unit.path)}

    skp_qs = SKP.objects.filter(instansi=instansi, periode=periode).filter(
        Q(is_current=True) | Q(status=StatusSKP.DISETUJUI)
    )
    if unit is not None:
        skp_qs = skp_qs.filter(pegawai__unit__path__startswith=unit.path)
    if root_pegawai_id is not None:
        skp_qs = skp_qs.filter(pegawai_id__in=in_scope)
    by_pegawai: dict[int, list[SKP]] = defaultdict(list)
    for skp in skp_qs.select_related("pegawai", "jabatan"):
        by_pegawai[skp.pegawai_id].append(skp)

    nodes: dict[int, PersonNode] = {}
    for pegawai_id, skps in by_pegawai.items():
        shown, draft = _pick_skp(skps)
        nodes[pegawai_id] = PersonNode(skp=shown, revisi_berjalan=draft, is_head=shown.pejabat_penilai_id is None)
    shown_skp = {node.skp.pk: node for node in nodes.values()}

    # Every RHK of the SKPs loaded (a subquery, not a long IN list); old revisions are dropped below.
    all_rhk = {r.pk: r for r in RHK.objects.filter(skp__in=skp_qs.values("pk")).order_by("jenis", "urutan", "pk")}
    intervening: dict[int, list[RHK]] = defaultdict(list)
    for rhk in all_rhk.values():
        if rhk.skp_id in shown_skp:
            shown_skp[rhk.skp_id].rhk.append(RHKNode(rhk=rhk))
            if rhk.rhk_atasan_id:
                intervening[rhk.rhk_atasan_id].append(rhk)

    outside_ids = {n.rhk.rhk_atasan_id for node in nodes.values() for n in node.rhk if n.rhk.rhk_atasan_id} - {
        pk for pk, r in all_rhk.items() if r.skp_id in shown_skp
    }
    outside = RHK.objects.select_related("skp__pegawai").in_bulk(outside_ids) if outside_ids else {}

    supervisors = {penilai for penilai in people.penilai_of.values() if penilai is not None}
    flags: list[Flag] = []
    for node in nodes.values():
        owner_is_supervisor = node.skp.pegawai_id in supervisors
        for rhk_node in node.rhk:
            rhk = rhk_node.rhk
            rhk_node.turunan = [(shown_skp[r.skp_id].skp, r) for r in intervening.get(rhk.pk, ())]
            rhk_node.turunan.sort(key=lambda pair: pair[0].pegawai.nama)
            rhk_node.atasan = outside.get(rhk.rhk_atasan_id)
            is_utama = rhk.jenis == JenisRHK.UTAMA
            # Only approved RHK can be intervened, so only an approved supervisor SKP can lack its cascade.
            if is_utama and owner_is_supervisor and node.skp.status == StatusSKP.DISETUJUI and not rhk_node.turunan:
                rhk_node.belum_diturunkan = True
                flags.append(Flag(node, rhk, "belum_diturunkan"))
            if is_utama and rhk.rhk_atasan_id is None and not node.is_head:
                rhk_node.tanpa_atasan = True
                flags.append(Flag(node, rhk, "tanpa_atasan"))

    roots = _assemble(nodes, people)
    status_counts = dict.fromkeys(StatusSKP.values, 0)
    for node in nodes.values():
        status_counts[node.skp.status] += 1
    flags.sort(key=lambda f: (f.kind, f.node.skp.pegawai.nama, f.rhk.urutan))
    return CascadeTree(
        periode=periode,
        roots=roots,
        flags=flags,
        status_counts=status_counts,
        jumlah_skp=len(nodes),
        tanpa_skp=len((in_scope & people.aktif) - set(nodes)),
    )


def _rank(node: PersonNode) -> tuple:
    return (JABATAN_RANK.get(node.skp.jabatan.jenis, 99), node.skp.pegawai.nama, node.skp.pk)


def _assemble(nodes: dict[int, PersonNode], people: PeopleIndex) -> list[PersonNode]:
    """Hang each person under their pejabat penilai (as recorded on the SKP, else the current
    one) when that person is in the tree; the others are roots. Anyone left unreachable by a
    cycle in bad data becomes a root too, so nobody silently disappears."""
    roots: list[PersonNode] = []
    for pegawai_id, node in nodes.items():
        parent = next(
            (
                p
                for p in (node.skp.pejabat_penilai_id, people.penilai_of.get(pegawai_id))
                if p in nodes and p != pegawai_id
            ),
            None,
        )
        (nodes[parent].bawahan if parent is not None else roots).append(node)
    reached: set[int] = set()

    def walk(node: PersonNode, depth: int) -> bool:
        reached.add(node.skp.pegawai_id)
        node.bawahan.sort(key=_rank)
        # Walk every child (no short-circuit): each one's own open state is set on the way.
        flagged = [walk(child, depth + 1) for child in node.bawahan if child.skp.pegawai_id not in reached]
        flagged_below = any(flagged)
        node.is_open = depth < 2 or flagged_below
        return flagged_below or node.jumlah_tanda > 0

    roots.sort(key=_rank)
    for root in roots:
        walk(root, 0)
    for pegawai_id, node in sorted(nodes.items(), key=lambda item: _rank(item[1])):
        if pegawai_id not in reached:
            _detach(node, nodes)
            roots.append(node)
            walk(node, 0)
    return roots


def _detach(node: PersonNode, nodes: dict[int, PersonNode]) -> None:
    for other in nodes.values():
        if node in other.bawahan:
            other.bawahan.remove(node)
