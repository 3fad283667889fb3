"""Importing the unit tree (UnitKerja): code, name, parent code, abbreviation, kind."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikap.tabular import ImportReport, Table

from ..models import JenisImpor, JenisUnit, UnitKerja
from .base import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Ambiguous,
    Importer,
    Lookup,
    Node,
    NotFound,
    Plan,
    choice_names,
    depth_of,
    duplicate_error,
    fold,
    has_loop,
    parse_choice,
)


def unit_repath(*, instansi_id: int) -> int:
    """Recompute every unit's materialised path and depth of one instansi from the parent links,
    in one read and one bulk update; returns the number of units changed."""
    units = list(UnitKerja.objects.filter(instansi_id=instansi_id).only("id", "parent_id", "path", "depth"))
    children = defaultdict(list)
    for unit in units:
        children[unit.parent_id].append(unit)
    changed, stack = [], [(unit, "") for unit in children[None]]
    while stack:
        unit, parent_path = stack.pop()
        path = f"{parent_path}{unit.pk:06d}/"
        if (unit.path, unit.depth) != (path, path.count("/") - 1):
            unit.path, unit.depth = path, path.count("/") - 1
            changed.append(unit)
        stack.extend((child, path) for child in children[unit.pk])
    UnitKerja.objects.bulk_update(changed, ["path", "depth"], batch_size=2000)
    return len(changed)


class UnitImporter(Importer):
    jenis = JenisImpor.UNIT
    title = gettext_lazy("Unit kerja")
    required = ("kode", "nama")
    aliases = {
        "kode_unit": "kode", "kode_unor": "kode", "unor_id": "kode", "id_unor": "kode", "id": "kode",
        "nama_unit": "nama", "nama_unor": "nama", "unor": "nama", "unit_kerja": "nama", "unor_nama": "nama",
        "induk": "kode_induk", "kode_unit_induk": "kode_induk", "unit_induk": "kode_induk",
        "diatasan_id": "kode_induk", "unor_induk_id": "kode_induk", "kode_unor_induk": "kode_induk",
        "unor_induk": "kode_induk", "parent": "kode_induk", "nama_unor_atasan": "kode_induk",
        "jenis_unit": "jenis", "jenis_unor": "jenis", "eselon": "jenis",
        "singkatan_unit": "singkatan", "nama_singkat": "singkatan",
    }  # fmt: skip
    template = (
        ("Kode Unit", "1471010000"),
        ("Nama Unit", "Dinas Kesehatan"),
        ("Kode Induk", ""),
        ("Singkatan", "Dinkes"),
        ("Jenis Unit", "OPD"),
    )

    def _load(self) -> dict[int, Node]:
        rows = UnitKerja.objects.filter(instansi=self.instansi).values_list(
            "id", "kode", "nama", "singkatan", "jenis", "parent_id"
        )
        nodes = {
            pk: Node(pk, kode, nama, values={"singkatan": singkatan, "jenis": jenis, "parent_id": parent_id})
            for pk, kode, nama, singkatan, jenis, parent_id in rows
        }
        for node in nodes.values():
            node.parent = nodes.get(node.values["parent_id"])
            node.values["before"] = (node.kode, node.nama, singkatan_of(node), node.values["jenis"], node.parent)
        return nodes

    def check(self, table: Table) -> Plan:
        nodes = self._load()
        by_kode = {fold(n.kode): n for n in nodes.values() if n.kode}
        without_kode = defaultdict(list)
        for node in nodes.values():
            if not node.kode:
                without_kode[fold(node.nama)].append(node)
        has = set(table.headers)
        rows, seen, new_nodes = [], {}, []
        for line, cells in table.rows:
            kode, nama = cells.get("kode", "").strip(), " ".join(cells.get("nama", "").split())
            report = self.row(line, " · ".join(filter(None, [kode, nama])))
            rows.append((report, None, cells))
            self.require(report, cells, {"kode": _("kode unit"), "nama": _("nama unit")})
            self.too_long(report, kode, 40, _("Kode unit"))
            self.too_long(report, nama, 200, _("Nama unit"))
            singkatan = cells.get("singkatan", "").strip()
            self.too_long(report, singkatan, 40, _("Singkatan"))
            jenis = None
            if cells.get("jenis", "").strip():
                jenis = parse_choice(cells["jenis"], JenisUnit.choices)
                if jenis is None:
                    report.errors.append(
                        _("Jenis unit %(nilai)s tidak dikenal; pilih salah satu: %(daftar)s.")
                        % {"nilai": cells["jenis"], "daftar": choice_names(JenisUnit.choices)}
                    )
            if not kode or not nama:
                continue
            if fold(kode) in seen:
                report.errors.append(duplicate_error(seen[fold(kode)]))
                continue
            seen[fold(kode)] = line
            node = by_kode.get(fold(kode))
            if node is None:
                # A unit made by hand on the HR screens has no code yet: the import adopts it by its name.
                candidates = [n for n in without_kode.get(fold(nama), []) if n.line is None]
                node = candidates[0] if len(candidates) == 1 else None
            if node is None:
                node = Node(None, kode, nama, values={"singkatan": "", "jenis": None})
                new_nodes.append(node)
            node.kode, node.nama, node.line = kode, nama, line
            if "singkatan" in has:
                node.values["singkatan"] = singkatan
            if jenis:
                node.values["jenis"] = jenis
            rows[-1] = (report, node, cells)

        lookup = Lookup()
        for node in [*nodes.values(), *new_nodes]:
            lookup.add(node, kode=node.kode, nama=node.nama, extra=[node.values.get("singkatan", "")])
        for report, node, cells in rows:
            if node is not None and "kode_induk" in has:
                self._set_parent(report, node, cells.get("kode_induk", "").strip(), lookup)

        siblings = defaultdict(list)
        for node in [*nodes.values(), *new_nodes]:
            siblings[(id(node.parent), fold(node.nama))].append(node)
        plan = Plan(report=ImportReport(rows=[r for r, _n, _c in rows]))
        for report, node, _cells in rows:
            if node is None or report.errors:
                continue
            if has_loop(node):
                report.errors.append(_("Unit induk membentuk lingkaran: unit ini akan menjadi induk dirinya sendiri."))
            clash = siblings[(id(node.parent), fold(node.nama))]
            # A row that adopts the existing unit is fine; the row that would add a second one is not.
            if len(clash) > 1 and (node.pk is None or all(n.pk is not None for n in clash)):
                report.errors.append(
                    _("Sudah ada unit bernama %(nama)s di bawah unit induk yang sama.") % {"nama": node.nama}
                )
            if not node.values.get("jenis"):
                node.values["jenis"] = JenisUnit.OPD if node.parent is None else JenisUnit.BIDANG
            report.action = self._action(node)
            if not report.errors and report.action != UNCHANGED:
                plan.items.append((node, report.action))
        return plan

    @staticmethod
    def _set_parent(report, node: Node, induk: str, lookup: Lookup) -> None:
        if not induk:
            node.parent = None
            return
        try:
            parent = lookup.find(induk)
        except NotFound:
            report.errors.append(_("Unit induk tidak dikenal: %(induk)s.") % {"induk": induk})
            return
        except Ambiguous:
            report.errors.append(
                _("Unit induk %(induk)s ambigu: ada lebih dari satu unit bernama itu; gunakan kode unit.")
                % {"induk": induk}
            )
            return
        if parent is node:
            report.errors.append(_("Unit induk membentuk lingkaran: unit ini akan menjadi induk dirinya sendiri."))
            return
        node.parent = parent

    @staticmethod
    def _action(node: Node) -> str:
        if node.pk is None:
            return CREATE
        after = (node.kode, node.nama, singkatan_of(node), node.values["jenis"], node.parent)
        return UNCHANGED if after == node.values["before"] else UPDATE

    def write(self, plan: Plan) -> None:
        """Creates level by level (a parent before its children, so every new unit gets its parent's
        id), then updates, then recomputes the paths of the whole tree once."""
        creates = sorted((n for n, action in plan.items if action == CREATE), key=depth_of)
        by_depth = defaultdict(list)
        for node in creates:
            by_depth[depth_of(node)].append(node)
        for depth in sorted(by_depth):
            level = by_depth[depth]
            made = UnitKerja.objects.bulk_create([self._unit(node) for node in level])
            for node, unit in zip(level, made, strict=True):
                node.pk = unit.pk
        updates = [self._unit(n) for n, action in plan.items if action == UPDATE]
        UnitKerja.objects.bulk_update(updates, ["kode", "nama", "singkatan", "jenis", "parent"], batch_size=1000)
        unit_repath(instansi_id=self.instansi.pk)

    def _unit(self, node: Node) -> UnitKerja:
        return UnitKerja(
            pk=node.pk,
            instansi=self.instansi,
            kode=node.kode,
            nama=node.nama,
            singkatan=singkatan_of(node),
            jenis=node.values["jenis"],
            parent_id=node.parent.pk if node.parent else None,
        )


def singkatan_of(node: Node) -> str:
    return node.values.get("singkatan") or ""
