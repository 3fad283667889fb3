"""Importing employees (Pegawai) and their definitive post: NIP or NI PPPK, name, degrees, kind,
golongan, sex, birth date, status, e-mail, jabatan, unit and the TMT of the post."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikap.tabular import ImportReport, Table

from .. import rules, services
from ..models import (
    Jabatan,
    JenisASN,
    JenisImpor,
    JenisKelamin,
    JenisPenugasan,
    Pegawai,
    Penugasan,
    StatusPegawai,
)
from .base import CREATE, UNCHANGED, UPDATE, Importer, Lookup, Plan, duplicate_error, parse_choice, parse_date
from .base import parse_golongan as _parse_golongan
from .jabatan import find_or_error, unit_lookup

FIELDS = (
    "jenis_asn", "nama", "gelar_depan", "gelar_belakang", "jenis_kelamin",
    "tanggal_lahir", "golongan", "status", "email",
)  # fmt: skip
KELAMIN_EXTRA = {"pria": "L", "laki_laki": "L", "1": "L", "wanita": "P", "2": "P"}
ASN_EXTRA = {"p3k": JenisASN.PPPK, "pegawai_pemerintah_dengan_perjanjian_kerja": JenisASN.PPPK}


@dataclass
class Item:
    pegawai: Pegawai
    jabatan_id: int | None = None  # a new definitive post, when it changes
    tmt: datetime.date | None = None
    nomor_sk: str = ""
    moves: bool = False  # ends a running definitive post (and its SKP)


class PegawaiImporter(Importer):
    jenis = JenisImpor.PEGAWAI
    title = gettext_lazy("Pegawai")
    required = ("nip", "nama", "golongan")
    aliases = {
        "nip_baru": "nip", "ni_pppk": "nip", "nip_ni_pppk": "nip", "nomor_induk": "nip", "nipbaru": "nip",
        "nama_lengkap": "nama", "nama_pegawai": "nama",
        "gelar_depan": "gelar_depan", "gelar_blk": "gelar_belakang", "gelar_dpn": "gelar_depan",
        "jenis_pegawai": "jenis_asn", "jenis": "jenis_asn", "status_asn": "jenis_asn",
        "gol_ruang": "golongan", "gol": "golongan", "golongan_ruang": "golongan", "gol_akhir": "golongan",
        "pangkat_golongan": "golongan", "gol_ruang_akhir": "golongan", "golongan_akhir": "golongan",
        "jk": "jenis_kelamin", "kelamin": "jenis_kelamin", "gender": "jenis_kelamin",
        "tgl_lahir": "tanggal_lahir", "status_pegawai": "status", "kedudukan_hukum": "status", "e_mail": "email",
        "nama_jabatan": "jabatan", "jabatan_nama": "jabatan", "kode_jabatan": "jabatan", "jabatan_id": "jabatan",
        "unor": "unit", "unor_nama": "unit", "nama_unor": "unit", "unit_kerja": "unit", "kode_unit": "unit",
        "unor_id": "unit", "kode_unor": "unit", "nama_unit": "unit",
        "tmt_jabatan": "tmt", "tmt_penugasan": "tmt", "no_sk": "nomor_sk", "nomor_sk_jabatan": "nomor_sk",
    }  # fmt: skip
    template = (
        ("NIP Baru", "198703152010011002"),
        ("Nama Lengkap", "Budi Santoso"),
        ("Gelar Depan", ""),
        ("Gelar Belakang", "S.Kom."),
        ("Jenis ASN", "PNS"),
        ("Gol Ruang", "III/b"),
        ("Jenis Kelamin", "L"),
        ("Tanggal Lahir", "1987-03-15"),
        ("Email", ""),
        ("Kode Jabatan", "J-0101"),
        ("Unor", "1471010000"),
        ("TMT Jabatan", "2024-01-02"),
        ("Nomor SK", ""),
    )

    def _load(self):
        fields = ("id", "nip", *FIELDS)
        self.existing = {
            row["nip"]: row for row in Pegawai.objects.filter(instansi=self.instansi).values(*fields)
        }  # fmt: skip
        self.posts: dict[int, tuple[int, datetime.date]] = {
            pegawai_id: (jabatan_id, mulai)
            for pegawai_id, jabatan_id, mulai in Penugasan.objects.filter(
                instansi=self.instansi, jenis=JenisPenugasan.DEFINITIF, selesai__isnull=True
            )
            .order_by("mulai")
            .values_list("pegawai_id", "jabatan_id", "mulai")
        }
        self.units = unit_lookup(self.instansi)
        self.jabatan = Lookup()
        self.unit_of: dict[int, int] = {}
        for pk, kode, nama, unit_id in Jabatan.objects.filter(instansi=self.instansi).values_list(
            "id", "kode", "nama", "unit_id"
        ):
            self.jabatan.add(pk, kode=kode, nama=nama)
            self.unit_of[pk] = unit_id

    def check(self, table: Table) -> Plan:
        self._load()
        has = set(table.headers)
        plan = Plan(report=ImportReport(rows=[]))
        seen: dict[str, int] = {}
        for line, cells in table.rows:
            nip = "".join(cells.get("nip", "").split())
            report = self.row(line, " · ".join(filter(None, [nip, " ".join(cells.get("nama", "").split())])))
            plan.report.rows.append(report)
            if nip and nip in seen:
                report.errors.append(duplicate_error(seen[nip]))
                continue
            seen.setdefault(nip, line)
            item = self._read_row(report, nip, cells, has)
            if report.errors or item is None:
                continue
            before = self.existing.get(nip)
            changed = before is None or any(getattr(item.pegawai, f) != before[f] for f in FIELDS)
            report.action = CREATE if before is None else (UPDATE if changed or item.jabatan_id else UNCHANGED)
            if report.action != UNCHANGED:
                plan.items.append(item)
        return plan

    def _read_row(self, report, nip: str, cells: dict, has: set) -> Item | None:
        self.require(report, cells, {"nip": _("NIP / NI PPPK"), "nama": _("nama"), "golongan": _("golongan")})
        before = self.existing.get(nip) or {}
        values = {f: before.get(f, None if f == "tanggal_lahir" else "") for f in FIELDS}
        text = {f: " ".join(cells.get(f, "").split()) for f in (*FIELDS, "jabatan", "unit", "tmt", "nomor_sk")}
        values["nama"] = text["nama"]
        for column, limit, name in (
            ("nama", 150, _("Nama")),
            ("gelar_depan", 30, _("Gelar depan")),
            ("gelar_belakang", 60, _("Gelar belakang")),
            ("email", 254, _("Email")),
        ):
            self.too_long(report, text[column], limit, name)
            if column != "nama" and column in has:
                values[column] = text[column]
        values["jenis_asn"] = self._jenis_asn(report, nip, text["jenis_asn"], before)
        info = self._nip_info(nip, values["jenis_asn"])
        values["jenis_kelamin"] = self._parsed(
            report, text["jenis_kelamin"], lambda t: parse_choice(t, JenisKelamin.choices, KELAMIN_EXTRA),
            _("Jenis kelamin %(nilai)s tidak dikenal; isi L atau P."),
        ) or before.get("jenis_kelamin") or (info.jenis_kelamin if info else "")  # fmt: skip
        values["tanggal_lahir"] = self._parsed(
            report, text["tanggal_lahir"], parse_date,
            _("Tanggal lahir %(nilai)s tidak dapat dibaca; gunakan format TTTT-BB-HH atau HH-BB-TTTT."),
        ) or before.get("tanggal_lahir") or (info.tanggal_lahir if info else None)  # fmt: skip
        values["golongan"] = self._parsed(
            report, text["golongan"], _parse_golongan,
            _("Golongan %(nilai)s tidak dikenal; tulis mis. III/a untuk PNS atau IX untuk PPPK."),
        ) or before.get("golongan")  # fmt: skip
        values["status"] = self._parsed(
            report, text["status"], lambda t: parse_choice(t, StatusPegawai.choices),
            _("Status pegawai %(nilai)s tidak dikenal."),
        ) or before.get("status") or StatusPegawai.AKTIF  # fmt: skip
        if values.get("email"):
            try:
                validate_email(values["email"])
            except ValidationError:
                report.errors.append(_("Alamat email %(nilai)s tidak valid.") % {"nilai": values["email"]})
        pegawai = Pegawai(pk=before.get("id"), instansi=self.instansi, nip=nip, **values)
        if nip and not report.errors:
            try:  # the model's own law (§7.1–7.3): NIP or NI PPPK, sex digit, birth date, golongan
                pegawai.clean()
            except ValidationError as exc:
                report.errors.extend(exc.messages)
        item = Item(pegawai=pegawai)
        self._post(report, item, text)
        return item

    @staticmethod
    def _parsed(report, text: str, parse, message):
        if not text:
            return None
        value = parse(text)
        if value is None:
            report.errors.append(message % {"nilai": text})
        return value

    @staticmethod
    def _jenis_asn(report, nip: str, text: str, before: dict) -> str:
        if text:
            value = parse_choice(text, JenisASN.choices, ASN_EXTRA)
            if value is None:
                report.errors.append(_("Jenis ASN %(nilai)s tidak dikenal; isi PNS atau PPPK.") % {"nilai": text})
            return value or JenisASN.PNS
        if before.get("jenis_asn"):
            return before["jenis_asn"]
        # Digit 13 of a NI PPPK is 2; of a NIP it is the first digit of a month (0 or 1), rules §7.1–7.2.
        return JenisASN.PPPK if len(nip) == 18 and nip[12] == "2" else JenisASN.PNS

    @staticmethod
    def _nip_info(nip: str, jenis_asn: str):
        parse = rules.parse_ni_pppk if jenis_asn == JenisASN.PPPK else rules.parse_nip
        try:
            return parse(nip)
        except rules.NomorIndukError:
            return None  # reported by Pegawai.clean with the rule's own message

    def _post(self, report, item: Item, text: dict) -> None:
        """The definitive post named by the row, if it is not the one the employee holds now."""
        unit_id = text["unit"] and find_or_error(
            self.units, text["unit"], report,
            unknown=_("Unit kerja tidak dikenal: %(nilai)s."),
            ambiguous=_("Unit kerja %(nilai)s ambigu: ada lebih dari satu unit bernama itu; gunakan kode unit."),
        )  # fmt: skip
        if not text["jabatan"] or report.errors:
            return
        jabatan_id = find_or_error(
            self.jabatan, text["jabatan"], report,
            unknown=_("Jabatan tidak dikenal: %(nilai)s.") if not unit_id
            else _("Jabatan tidak dikenal di unit kerja ini: %(nilai)s."),
            ambiguous=_("Jabatan %(nilai)s ambigu: ada di lebih dari satu unit; isi kolom unit kerja atau gunakan kode jabatan."),
            among=(lambda pk: self.unit_of[pk] == unit_id) if unit_id else None,
        )  # fmt: skip
        if jabatan_id is None:
            return
        if unit_id and self.unit_of[jabatan_id] != unit_id:
            report.errors.append(
                _("Jabatan %(jabatan)s tidak berada di unit kerja %(unit)s.")
                % {"jabatan": text["jabatan"], "unit": text["unit"]}
            )
            return
        current = self.posts.get(item.pegawai.pk) if item.pegawai.pk else None
        if current and current[0] == jabatan_id:
            return
        tmt = parse_date(text["tmt"]) if text["tmt"] else None
        if tmt is None:
            report.errors.append(
                _("TMT jabatan wajib diisi dengan tanggal yang valid (TTTT-BB-HH) untuk penugasan baru.")
                if not text["tmt"]
                else _("TMT jabatan %(nilai)s tidak dapat dibaca; gunakan format TTTT-BB-HH.") % {"nilai": text["tmt"]}
            )
            return
        if current and tmt <= current[1]:
            report.errors.append(
                _("TMT jabatan %(tmt)s harus setelah TMT jabatan yang sedang dipegang (%(mulai)s).")
                % {"tmt": tmt.strftime("%d-%m-%Y"), "mulai": current[1].strftime("%d-%m-%Y")}
            )
            return
        if len(text["nomor_sk"]) > 100:
            self.too_long(report, text["nomor_sk"], 100, _("Nomor SK"))
            return
        item.jabatan_id, item.tmt, item.nomor_sk, item.moves = jabatan_id, tmt, text["nomor_sk"], bool(current)

    def write(self, plan: Plan) -> None:
        """New employees in bulk, changed ones in bulk; for a move, the running definitive post and
        the SKP end the day before the new TMT (rules §1.10, as ``services.penugasan_create`` does,
        one small update per mover: moves are few); the new posts in bulk; superiors re-resolved once."""
        from appraisal.services import skp_close_on_move

        changed = [item.pegawai for item in plan.items if item.pegawai.pk is not None]
        Pegawai.objects.bulk_create([item.pegawai for item in plan.items if item.pegawai.pk is None], batch_size=1000)
        Pegawai.objects.bulk_update(changed, list(FIELDS), batch_size=1000)
        posts = []
        for item in plan.items:
            if item.jabatan_id is None:
                continue
            if item.moves:
                Penugasan.objects.filter(
                    pegawai_id=item.pegawai.pk, jenis=JenisPenugasan.DEFINITIF, selesai__isnull=True,
                    mulai__lt=item.tmt,
                ).update(selesai=item.tmt - datetime.timedelta(days=1))  # fmt: skip
                skp_close_on_move(pegawai_id=item.pegawai.pk, move_date=item.tmt)
            posts.append(
                Penugasan(
                    instansi=self.instansi,
                    pegawai_id=item.pegawai.pk,
                    jabatan_id=item.jabatan_id,
                    jenis=JenisPenugasan.DEFINITIF,
                    mulai=item.tmt,
                    nomor_sk=item.nomor_sk,
                )  # fmt: skip
            )
        Penugasan.objects.bulk_create(posts, batch_size=1000)
        services.hierarchy_refresh(instansi_id=self.instansi.pk)
