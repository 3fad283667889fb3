"""What every master-data importer shares: parsing the spellings found in SIASN/SIMPEG exports,
finding a unit or jabatan by code or by a name that is unique, and the shape of an importer.

An importer is two passes. ``check`` reads the table against the instansi's data (loaded in a few
queries, never one per row) and returns a report with one ``RowReport`` per row, plus a plan of
what it would write. ``write`` carries out a clean plan; the caller holds the transaction."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from sikap.tabular import ImportReport, RowReport, Table, normalise_header

from .. import rules

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


def fold(text: str) -> str:
    """How names are compared: case and runs of spaces do not matter."""
    return " ".join(str(text).split()).casefold()


def parse_choice(text: str, choices, extra: dict[str, str] | None = None) -> str | None:
    """A TextChoices value from its code ("JPT_PRATAMA"), its label ("JPT Pratama") or an extra
    spelling; None when nothing matches."""
    key = normalise_header(text)
    for value, label in choices:
        if key in (normalise_header(value), normalise_header(label)):
            return value
    return (extra or {}).get(key)


def choice_names(choices) -> str:
    return ", ".join(str(label) for _value, label in choices)


DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")


def parse_date(text: str) -> datetime.date | None:
    """ISO (as Excel dates are read) or the Indonesian day-first forms 31-12-2020, 31/12/2020."""
    text = text.strip().split("T")[0].split(" ")[0]
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


TRUE_WORDS = {"1", "ya", "y", "yes", "true", "benar", "x", "v"}
FALSE_WORDS = {"", "0", "tidak", "t", "no", "n", "false", "salah", "bukan"}


def parse_bool(text: str) -> bool | None:
    word = fold(text)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
         "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII")  # fmt: skip


def parse_golongan(text: str) -> str | None:
    """'III/a', 'III-a', 'IIIa', 'Penata Muda, III/a' → 'III/a'; PPPK 'IX' or '9' → 'IX' (rules §7.3)."""
    text = text.strip().split(",")[-1].strip().replace(" ", "")
    match = re.fullmatch(r"([IVivX]+)[/\-.]?([a-eA-E])", text)
    if match:
        kode = f"{match.group(1).upper()}/{match.group(2).lower()}"
        return kode if kode in rules.PANGKAT_BY_GOLONGAN else None
    upper = text.upper()
    if upper in rules.GOLONGAN_PPPK:
        return upper
    if text.isdigit() and 1 <= int(text) <= len(ROMAN):
        return ROMAN[int(text) - 1]
    return None


class NotFound(LookupError):
    pass


class Ambiguous(LookupError):
    pass


class Lookup:
    """Find an item by its code, or else by its name when that name is unique."""

    def __init__(self):
        self.by_kode: dict[str, object] = {}
        self.by_nama: dict[str, list[object]] = defaultdict(list)

    def add(self, item, *, kode: str, nama: str, extra: Iterable[str] = ()) -> None:
        if kode:
            self.by_kode[fold(kode)] = item
        for name in {fold(nama), *(fold(e) for e in extra if e)}:
            if item not in self.by_nama[name]:
                self.by_nama[name].append(item)

    def find(self, text: str, *, among=None):
        """The item called ``text``; ``among`` narrows a name to items it accepts (e.g. one unit)."""
        key = fold(text)
        if key in self.by_kode:
            return self.by_kode[key]
        items = [i for i in self.by_nama.get(key, ()) if among is None or among(i)]
        if not items:
            raise NotFound(text)
        if len(items) > 1:
            raise Ambiguous(text)
        return items[0]


@dataclass(eq=False)
class Node:
    """An existing row of the instansi (``pk`` set) or one a file would create (``pk`` None),
    as the final state after the import would hold it."""

    pk: int | None
    kode: str
    nama: str
    values: dict = field(default_factory=dict)
    parent: Node | None = None
    line: int | None = None

    def ancestors(self):
        seen = {id(self)}
        node = self.parent
        while node is not None:
            if id(node) in seen:
                yield None  # a loop
                return
            seen.add(id(node))
            yield node
            node = node.parent


def has_loop(node: Node) -> bool:
    return any(a is None or a is node for a in node.ancestors())


def depth_of(node: Node) -> int:
    return sum(1 for _a in node.ancestors())


@dataclass
class Plan:
    """What a clean file would write: one entry per row that creates or updates."""

    report: ImportReport
    items: list = field(default_factory=list)

    @property
    def changes(self) -> int:
        return self.report.count(CREATE) + self.report.count(UPDATE)


class Importer:
    """One kind of master data. Subclasses set the column names and implement ``check``/``write``."""

    jenis = ""
    required: tuple[str, ...] = ()
    aliases: dict[str, str] = {}
    # The header row and one example row of the downloadable template.
    template: tuple[tuple[str, str], ...] = ()

    def __init__(self, instansi):
        self.instansi = instansi

    def check(self, table: Table) -> Plan:
        raise NotImplementedError

    def write(self, plan: Plan) -> None:
        raise NotImplementedError

    @staticmethod
    def row(line: int, label: str) -> RowReport:
        return RowReport(line=line, label=label)

    @staticmethod
    def require(report: RowReport, values: dict[str, str], names: dict[str, str]) -> None:
        """An error for each required value left empty; ``names`` maps column → its name for people."""
        for column, name in names.items():
            if not values.get(column, "").strip():
                report.errors.append(_("Kolom %(kolom)s wajib diisi.") % {"kolom": name})

    @staticmethod
    def too_long(report: RowReport, value: str, limit: int, name: str) -> None:
        if len(value) > limit:
            report.errors.append(
                _("%(kolom)s terlalu panjang (paling banyak %(n)d karakter).") % {"kolom": name, "n": limit}
            )


def duplicate_error(first_line: int) -> str:
    return _("Duplikat: data yang sama sudah ada di baris %(baris)d berkas ini.") % {"baris": first_line}
