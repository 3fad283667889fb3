"""Importing posts (Jabatan): code, name, unit, kind, jenjang, class, the post above, kepala unit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikap.tabular import ImportReport, Table

from .. import services
from ..models import Jabatan, JenisImpor, JenisJabatan, JenjangFungsional, UnitKerja
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
    duplicate_error,
    fold,
    has_loop,
    parse_bool,
    parse_choice,
)

FIELDS = ("unit_id", "jenis", "jenjang", "kelas_jabatan", "is_kepala_unit")

# Spellings of SIASN/SIMPEG exports that are not our labels.
JENIS_EXTRA = {
    "struktural_eselon_ii": JenisJabatan.JPT_PRATAMA,
    "eselon_ii": JenisJabatan.JPT_PRATAMA,
    "eselon_iii": JenisJabatan.ADMINISTRATOR,
    "eselon_iv": JenisJabatan.PENGAWAS,
    "jabatan_pelaksana": JenisJabatan.PELAKSANA,
    "jfu": JenisJabatan.PELAKSANA,
    "jabatan_fungsional_keahlian": JenisJabatan.FUNGSIONAL_KEAHLIAN,
    "jabatan_fungsional_keterampilan": JenisJabatan.FUNGSIONAL_KETERAMPILAN,
}


def unit_lookup(instansi) -> Lookup:
    """The instansi's units by code, name or abbreviation (one query); items are unit ids."""
    lookup = Lookup()
    for pk, kode, nama, singkatan in UnitKerja.objects.filter(instansi=instansi).values_list(
        "id", "kode", "nama", "singkatan"
    ):
        lookup.add(pk, kode=kode, nama=nama, extra=[singkatan])
    return lookup


def find_or_error(lookup: Lookup, text: str, report, *, unknown, ambiguous, among=None):
    """``lookup.find`` that turns a miss into the row's error message; None then."""
    try:
        return lookup.find(text, among=among)
    except NotFound:
        report.errors.append(unknown % {"nilai": text})
    except Ambiguous:
        report.errors.append(ambiguous % {"nilai": text})
    return None


class JabatanImporter(Importer):
    jenis = JenisImpor.JABATAN
    title = gettext_lazy("Jabatan")
    required = ("nama", "unit", "jenis")
    aliases = {
        "kode_jabatan": "kode", "jabatan_id": "kode", "id_jabatan": "kode", "id": "kode",
        "nama_jabatan": "nama", "jabatan": "nama", "jabatan_nama": "nama",
        "kode_unit": "unit", "unit_kerja": "unit", "unor": "unit", "unor_id": "unit", "nama_unor": "unit",
        "unor_nama": "unit", "kode_unor": "unit", "nama_unit": "unit",
        "jenis_jabatan": "jenis", "jenjang_jabatan": "jenjang", "kelas": "kelas_jabatan",
        "atasan": "atasan", "kode_atasan": "atasan", "jabatan_atasan": "atasan", "atasan_langsung": "atasan",
        "kode_jabatan_atasan": "atasan", "kepala": "kepala_unit", "is_kepala_unit": "kepala_unit",
    }  # fmt: skip
    template = (
        ("Kode Jabatan", "J-0101"),
        ("Nama Jabatan", "Kepala Dinas Kesehatan"),
        ("Kode Unit", "1471010000"),
        ("Jenis Jabatan", "JPT Pratama"),
        ("Jenjang", ""),
        ("Kelas Jabatan", "14"),
        ("Kode Atasan", ""),
        ("Kepala Unit", "ya"),
    )

    def _load(self) -> list[Node]:
        rows = Jabatan.objects.filter(instansi=self.instansi).values_list("id", "kode", "nama", "atasan_id", *FIELDS)
        nodes = {}
        for pk, kode, nama, atasan_id, *values in rows:
            nodes[pk] = Node(pk, kode, nama, values=dict(zip(FIELDS, values, strict=True)))
            nodes[pk].values["atasan_id"] = atasan_id
        for node in nodes.values():
            node.parent = nodes.get(node.values["atasan_id"])
            node.values["before"] = self._state(node)
        return list(nodes.values())

    @staticmethod
    def _state(node: Node) -> tuple:
        return (node.kode, node.nama, node.parent, *(node.values[f] for f in FIELDS))

    def check(self, table: Table) -> Plan:
        existing = self._load()
        units = unit_lookup(self.instansi)
        by_kode = {fold(n.kode): n for n in existing if n.kode}
        by_unit_nama: dict[tuple, list[Node]] = {}
        for node in existing:
            by_unit_nama.setdefault((node.values["unit_id"], fold(node.nama)), []).append(node)
        has = set(table.headers)
        rows, new_nodes = [], []
        for line, cells in table.rows:
            report, node = self._read_row(line, cells, has, units, by_kode, by_unit_nama)
            rows.append((report, node, cells))
            if node is not None and node.pk is None:
                new_nodes.append(node)

        lookup = Lookup()
        for node in [*existing, *new_nodes]:
            lookup.add(node, kode=node.kode, nama=node.nama)
        plan = Plan(report=ImportReport(rows=[r for r, _n, _c in rows]))
        for report, node, cells in rows:
            if node is None:
                continue
            if "atasan" in has:
                text = cells.get("atasan", "").strip()
                node.parent = find_or_error(
                    lookup, text, report,
                    unknown=_("Jabatan atasan tidak dikenal: %(nilai)s."),
                    ambiguous=_("Jabatan atasan %(nilai)s ambigu: ada lebih dari satu jabatan bernama itu; gunakan kode jabatan."),
                ) if text else None  # fmt: skip
            if node.parent is not None and has_loop(node):
                report.errors.append(
                    _("Rantai atasan membentuk lingkaran: jabatan ini akan menjadi atasan dirinya sendiri.")
                )
        for report, node, _cells in rows:
            if node is None or report.errors:
                continue
            report.action = (
                CREATE if node.pk is None else (UNCHANGED if self._state(node) == node.values["before"] else UPDATE)
            )
            if report.action != UNCHANGED:
                plan.items.append((node, report.action))
        return plan

    def _read_row(self, line, cells, has, units, by_kode, by_unit_nama):
        kode, nama = cells.get("kode", "").strip(), " ".join(cells.get("nama", "").split())
        report = self.row(line, " · ".join(filter(None, [kode, nama])))
        self.require(report, cells, {"nama": _("nama jabatan"), "unit": _("unit kerja"), "jenis": _("jenis jabatan")})
        self.too_long(report, kode, 40, _("Kode jabatan"))
        self.too_long(report, nama, 200, _("Nama jabatan"))
        values = self._values(report, cells, has)
        unit_text = cells.get("unit", "").strip()
        unit_id = unit_text and find_or_error(
            units, unit_text, report,
            unknown=_("Unit kerja tidak dikenal: %(nilai)s."),
            ambiguous=_("Unit kerja %(nilai)s ambigu: ada lebih dari satu unit bernama itu; gunakan kode unit."),
        )  # fmt: skip
        if report.errors:
            return report, None
        node = by_kode.get(fold(kode)) if kode else None
        if node is None:
            same = [n for n in by_unit_nama.get((unit_id, fold(nama)), []) if not kode or not n.kode]
            if len(same) > 1:
                report.errors.append(
                    _("Ada lebih dari satu jabatan %(nama)s di unit ini; beri kode jabatan.") % {"nama": nama}
                )
                return report, None
            node = same[0] if same else None
        if node is not None and node.line is not None:
            report.errors.append(duplicate_error(node.line))
            return report, None
        if node is None:
            node = Node(None, kode, nama, values={"is_kepala_unit": False, "jenjang": "", "kelas_jabatan": None})
            by_unit_nama.setdefault((unit_id, fold(nama)), []).append(node)
            if kode:
                by_kode[fold(kode)] = node
        node.kode = kode or node.kode
        node.nama, node.line = nama, line
        node.values.update(values, unit_id=unit_id)
        return report, node

    def _values(self, report, cells, has) -> dict:
        """The jabatan's own fields from the row; a column absent from the file keeps the stored value."""
        values = {}
        jenis = parse_choice(cells.get("jenis", ""), JenisJabatan.choices, JENIS_EXTRA)
        if cells.get("jenis", "").strip() and jenis is None:
            report.errors.append(
                _("Jenis jabatan %(nilai)s tidak dikenal; pilih salah satu: %(daftar)s.")
                % {"nilai": cells["jenis"], "daftar": choice_names(JenisJabatan.choices)}
            )
        values["jenis"] = jenis
        jenjang = ""
        if cells.get("jenjang", "").strip():
            jenjang = parse_choice(cells["jenjang"], JenjangFungsional.choices) or ""
            if not jenjang:
                report.errors.append(
                    _("Jenjang %(nilai)s tidak dikenal; pilih salah satu: %(daftar)s.")
                    % {"nilai": cells["jenjang"], "daftar": choice_names(JenjangFungsional.choices)}
                )
        if jenis and not report.errors:
            try:  # the model's own law on jenis and jenjang; without unit or instansi it reads nothing
                Jabatan(jenis=jenis, jenjang=jenjang).clean()
            except ValidationError as exc:
                report.errors.extend(exc.messages)
        values["jenjang"] = jenjang
        if "kelas_jabatan" in has:
            kelas = cells.get("kelas_jabatan", "").strip()
            values["kelas_jabatan"] = int(kelas) if kelas.isdigit() and 1 <= int(kelas) <= 17 else None
            if kelas and values["kelas_jabatan"] is None:
                report.errors.append(_("Kelas jabatan harus bilangan 1–17, bukan %(nilai)s.") % {"nilai": kelas})
        if "kepala_unit" in has:
            kepala = parse_bool(cells.get("kepala_unit", ""))
            if kepala is None:
                report.errors.append(
                    _("Kolom kepala unit harus ya atau tidak, bukan %(nilai)s.") % {"nilai": cells["kepala_unit"]}
                )
            values["is_kepala_unit"] = bool(kepala)
        return values

    def write(self, plan: Plan) -> None:
        """New posts first (without their superior, which may be new too), then every reporting
        line and field in one bulk update, then the superiors of the instansi are re-resolved."""
        creates = [n for n, action in plan.items if action == CREATE]
        made = Jabatan.objects.bulk_create([self._jabatan(n, atasan=False) for n in creates])
        for node, jabatan in zip(creates, made, strict=True):
            node.pk = jabatan.pk
        Jabatan.objects.bulk_update(
            [self._jabatan(n) for n, _action in plan.items],
            ["kode", "nama", "atasan", *FIELDS],
            batch_size=1000,
        )
        services.hierarchy_refresh(instansi_id=self.instansi.pk)

    def _jabatan(self, node: Node, *, atasan: bool = True) -> Jabatan:
        return Jabatan(
            pk=node.pk,
            instansi=self.instansi,
            kode=node.kode,
            nama=node.nama,
            atasan_id=node.parent.pk if (atasan and node.parent) else None,
            **{f: node.values[f] for f in FIELDS},
        )
