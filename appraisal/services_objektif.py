"""Objective evidence (issue 10): the indicator catalogue, realisations fed from files, from other
government systems and from the citizens' survey, and the employee's self-assessment.

A sourced realisation says where it came from (``Realisasi.sumber`` + the import or token it
came through) and the employee cannot change it (services_evaluasi.realisasi_save refuses).
Every writer here is all-or-nothing: a file or a pushed batch with one bad row writes nothing."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts import rules as nip_rules
from accounts.models import Instansi, Pegawai, UnitKerja, User
from sikap.tabular import ImportReport, RowReport, TableError, parse_decimal, read_table

from . import rules
from .models import (
    IKI,
    RHK,
    SKP,
    CoreValue,
    Evaluasi,
    ImporRealisasi,
    KatalogIndikator,
    PenilaianDiri,
    PenilaianDiriButir,
    PeriodeEvaluasi,
    Realisasi,
    StatusEvaluasi,
    StatusImpor,
    StatusPenilaianDiri,
    StatusSKP,
    SumberRealisasi,
    TokenSumber,
)

MAX_PUSH_ITEMS = 5000
MAX_NILAI = Decimal("999999999999.99")  # Realisasi.nilai: 14 digits, 2 decimals


def _require_hr(instansi: Instansi, by: User) -> None:
    if not (by.is_superuser or (by.is_admin_kepegawaian and by.instansi_id == instansi.pk)):
        raise PermissionDenied(_("Hanya admin kepegawaian instansi ini yang dapat melakukannya."))


# --- The indicator catalogue (item 3) ----------------------------------------------------------------


@transaction.atomic
def katalog_save(*, katalog: KatalogIndikator, by: User) -> KatalogIndikator:
    """Add or change a standard indicator. IKI already taken from it keep their own wording (the
    SKP was agreed on it); new ones follow the catalogue."""
    _require_hr(katalog.instansi, by)
    katalog.full_clean()
    katalog.save()
    return katalog


# --- Which IKI a sourced value lands on --------------------------------------------------------------


@dataclass
class Target:
    iki_ids: list[int]
    skp_id: int
    final: bool


def _targets(*, periode: PeriodeEvaluasi, katalog_ids, sumber: str, pegawai_ids) -> dict[tuple[int, int], Target]:
    """(pegawai, katalog) → the IKI of that catalogue indicator, with that source, in the pegawai's
    current approved SKP covering the period. Two queries whatever the number of rows."""
    rows = IKI.objects.filter(
        katalog_id__in=katalog_ids,
        sumber=sumber,
        rhk__skp__periode_id=periode.periode_skp_id,
        rhk__skp__status=StatusSKP.DISETUJUI,
        rhk__skp__is_current=True,
        rhk__skp__mulai__lte=periode.selesai,
        rhk__skp__selesai__gte=periode.mulai,
        rhk__skp__pegawai_id__in=pegawai_ids,
    ).values_list("pk", "katalog_id", "rhk__skp_id", "rhk__skp__pegawai_id")
    targets: dict[tuple[int, int], Target] = {}
    for iki_id, katalog_id, skp_id, pegawai_id in rows:
        target = targets.setdefault((pegawai_id, katalog_id), Target([], skp_id, False))
        target.iki_ids.append(iki_id)
    final = set(
        Evaluasi.objects.filter(
            skp_id__in={t.skp_id for t in targets.values()}, periode_evaluasi=periode, status=StatusEvaluasi.FINAL
        ).values_list("skp_id", flat=True)
    )
    for target in targets.values():
        target.final = target.skp_id in final
    return targets


def _upsert(
    *, periode: PeriodeEvaluasi, values: dict[int, tuple[Decimal, str]], sumber: str, by: User | None, **origin
) -> tuple[int, int]:
    """Write iki_id → (nilai, keterangan) for a period in bulk, with history rows (who, when).
    Returns (created, updated)."""
    existing = {r.iki_id: r for r in Realisasi.objects.filter(periode_evaluasi=periode, iki_id__in=values)}
    now = timezone.now()
    new, changed = [], []
    for iki_id, (nilai, keterangan) in values.items():
        row = existing.get(iki_id) or Realisasi(iki_id=iki_id, periode_evaluasi=periode)
        fields = {"nilai": nilai, "sumber": sumber, "sumber_keterangan": keterangan[:255], "diverifikasi": None}
        fields |= {"impor": origin.get("impor"), "token": origin.get("token")}
        if row.pk and row.nilai == nilai and row.sumber == sumber:
            continue  # the same value from the same kind of source: keep it and its provenance
        for key, value in fields.items():
            setattr(row, key, value)
        row.diubah_pada = now
        (changed if row.pk else new).append(row)
    kwargs = {"default_user": by, "default_change_reason": sumber} if by else {"default_change_reason": sumber}
    if new:
        bulk_create_with_history(new, Realisasi, batch_size=500, **kwargs)
    if changed:
        update = ["nilai", "sumber", "sumber_keterangan", "diverifikasi", "impor", "token", "diubah_pada"]
        bulk_update_with_history(changed, Realisasi, update, batch_size=500, **kwargs)
    return len(new), len(changed)


def _rescore(pegawai_ids, periode: PeriodeEvaluasi) -> None:
    from reports.tasks import pegawai_scores_task

    ids, periode_id = sorted(set(pegawai_ids)), periode.pk
    if len(ids) <= 50:
        transaction.on_commit(lambda: [pegawai_scores_task.delay(pid, periode_id) for pid in ids])
    # Larger batches are picked up by the nightly period-score job (reports.tasks.period_scores_nightly).


# --- Realisations from a file (item 2, first source) -------------------------------------------------

IMPORT_ALIASES = {
    "nip_baru": "nip",
    "nip_ni_pppk": "nip",
    "ni_pppk": "nip",
    "realisasi": "nilai",
    "jumlah": "nilai",
    "nilai_realisasi": "nilai",
    "periode_evaluasi": "periode",
    "catatan": "keterangan",
}


def _same_period(text: str, periode: PeriodeEvaluasi) -> bool:
    wanted = {periode.label.casefold(), f"{periode.label} {periode.periode_skp.tahun}".casefold()}
    return " ".join(text.split()).casefold() in wanted


def realisasi_import_check(
    *, instansi: Instansi, periode: PeriodeEvaluasi, katalog: KatalogIndikator, upload
) -> tuple[ImportReport, dict[int, tuple[Decimal, str]], set[int]]:
    """The dry-run of a file: every row's problems (bad or unknown NIP, duplicate, non-numeric or
    negative value, another period, no such indicator in the employee's SKP, evaluation already
    final), and — when it is clean — what would be written: iki_id → (nilai, keterangan), and the
    employees touched. A constant number of queries whatever the file's length."""
    try:
        table = read_table(upload, required=["nip", "nilai"], aliases=IMPORT_ALIASES)
    except TableError as exc:
        return ImportReport(rows=[], file_error=str(exc)), {}, set()
    nips = {"".join(values.get("nip", "").split()) for _line, values in table.rows}
    pegawai = dict(Pegawai.objects.filter(instansi=instansi, nip__in=nips).values_list("nip", "pk"))
    targets = _targets(
        periode=periode, katalog_ids=[katalog.pk], sumber=SumberRealisasi.BERKAS, pegawai_ids=pegawai.values()
    )
    existing = {
        r["iki_id"]: r
        for r in Realisasi.objects.filter(
            periode_evaluasi=periode, iki_id__in=[i for t in targets.values() for i in t.iki_ids]
        ).values("iki_id", "nilai", "sumber")
    }
    seen: dict[str, int] = {}
    report = ImportReport(rows=[])
    values: dict[int, tuple[Decimal, str]] = {}
    touched: set[int] = set()
    for line, row in table.rows:
        nip = "".join(row.get("nip", "").split())
        item = RowReport(line=line, label=nip_rules.format_nip(nip) if nip.isdigit() and len(nip) == 18 else nip)
        errors = item.errors
        if not nip:
            errors.append(_("NIP kosong."))
        elif not (nip.isdigit() and len(nip) == 18):
            errors.append(_("NIP harus 18 angka."))
        elif nip in seen:
            errors.append(_("NIP ini sudah ada di baris %(baris)s.") % {"baris": seen[nip]})
        elif nip not in pegawai:
            errors.append(_("NIP tidak dikenal di instansi ini."))
        seen.setdefault(nip, line)
        nilai = parse_decimal(row.get("nilai", ""))
        if nilai is None:
            errors.append(_("Nilai “%(nilai)s” bukan angka.") % {"nilai": row.get("nilai", "")[:40]})
        elif nilai < 0 or nilai > MAX_NILAI:
            errors.append(_("Nilai harus antara 0 dan 999.999.999.999."))
        if row.get("periode") and not _same_period(row["periode"], periode):
            errors.append(
                _("Periode “%(baris)s” bukan periode impor (%(periode)s).")
                % {"baris": row["periode"][:40], "periode": f"{periode.label} {periode.periode_skp.tahun}"}
            )
        target = targets.get((pegawai.get(nip), katalog.pk))
        if nip in pegawai and not errors:
            if target is None:
                errors.append(
                    _("Pegawai ini tidak memiliki IKI “%(indikator)s” bersumber berkas pada SKP periode ini.")
                    % {"indikator": katalog.nama}
                )
            elif target.final:
                errors.append(_("Evaluasi pegawai ini untuk periode ini sudah final."))
        if not errors:
            keterangan = row.get("keterangan", "")
            before = [existing.get(i) for i in target.iki_ids]
            same = all(b and b["nilai"] == nilai and b["sumber"] == SumberRealisasi.BERKAS for b in before)
            item.action = "unchanged" if same else ("update" if any(before) else "create")
            for iki_id in target.iki_ids:
                values[iki_id] = (nilai, keterangan)
            touched.add(pegawai[nip])
        report.rows.append(item)
    if not table.rows:
        report.file_error = _("Berkas tidak berisi baris data.")
    return report, values, touched


def _laporan(report: ImportReport) -> dict:
    return {
        "file_error": report.file_error,
        "rows": [{"line": r.line, "label": r.label, "action": r.action, "errors": r.errors} for r in report.rows],
        "counts": {a: report.count(a) for a in ("create", "update", "unchanged")},
    }


@transaction.atomic
def realisasi_import_preview(
    *, instansi: Instansi, periode: PeriodeEvaluasi, katalog: KatalogIndikator, upload, by: User
) -> ImporRealisasi:
    """Keep the uploaded file and its dry-run report; nothing is written to the realisations."""
    _require_hr(instansi, by)
    if katalog.instansi_id != instansi.pk or periode.periode_skp.instansi_id != instansi.pk:
        raise PermissionDenied
    raw = upload.read()
    upload.seek(0)
    report, _values, _touched = realisasi_import_check(
        instansi=instansi, periode=periode, katalog=katalog, upload=upload
    )
    impor = ImporRealisasi(
        instansi=instansi,
        periode_evaluasi=periode,
        katalog=katalog,
        nama_berkas=(getattr(upload, "name", "") or "berkas")[:255],
        sha256=hashlib.sha256(raw).hexdigest(),
        laporan=_laporan(report),
        jumlah_baris=len(report.rows),
        jumlah_salah=len(report.bad_rows) + (1 if report.file_error else 0),
        dibuat_oleh=by,
    )
    impor.berkas.save("berkas", ContentFile(raw), save=False)
    impor.save()
    return impor


@transaction.atomic
def realisasi_import_apply(*, impor: ImporRealisasi, by: User) -> ImporRealisasi:
    """Write every row of a clean file, or nothing: the file is checked again inside the
    transaction (an evaluation may have been finalised since the dry-run). Applying twice
    changes nothing."""
    _require_hr(impor.instansi, by)
    impor = ImporRealisasi.objects.select_for_update().get(pk=impor.pk)
    if impor.status == StatusImpor.DITERAPKAN:
        raise ValidationError(_("Berkas ini sudah diterapkan; tidak ada yang diubah."))
    with impor.berkas.open("rb") as upload:
        report, values, touched = realisasi_import_check(
            instansi=impor.instansi, periode=impor.periode_evaluasi, katalog=impor.katalog, upload=upload
        )
    impor.laporan = _laporan(report)
    impor.jumlah_salah = len(report.bad_rows) + (1 if report.file_error else 0)
    if not report.ok:
        impor.save(update_fields=["laporan", "jumlah_salah"])
        raise ValidationError(_("Berkas masih berisi baris yang salah; tidak ada yang ditulis."))
    keterangan = _("Berkas %(berkas)s, diimpor %(oleh)s") % {"berkas": impor.nama_berkas, "oleh": by.get_username()}
    values = {iki_id: (nilai, ket or keterangan) for iki_id, (nilai, ket) in values.items()}
    _upsert(periode=impor.periode_evaluasi, values=values, sumber=SumberRealisasi.BERKAS, by=by, impor=impor)
    impor.status, impor.diterapkan_pada = StatusImpor.DITERAPKAN, timezone.now()
    impor.save(update_fields=["laporan", "jumlah_salah", "status", "diterapkan_pada"])
    _rescore(touched, impor.periode_evaluasi)
    return impor


# --- Realisations pushed by another system (item 2, second source) ------------------------------------


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(*, unit_kerja: UnitKerja, nama_sistem: str, by: User) -> tuple[TokenSumber, str]:
    """A new token for a unit; the raw token is returned once and only its hash is kept."""
    _require_hr(unit_kerja.instansi, by)
    raw = "sikap_" + secrets.token_urlsafe(32)
    token = TokenSumber(
        instansi_id=unit_kerja.instansi_id,
        unit_kerja=unit_kerja,
        nama_sistem=nama_sistem.strip(),
        awalan=raw[6:14],
        token_hash=_hash(raw),
        dibuat_oleh=by,
    )
    token.full_clean()
    token.save()
    return token, raw


@transaction.atomic
def token_revoke(*, token: TokenSumber, by: User) -> TokenSumber:
    _require_hr(token.instansi, by)
    token.aktif = False
    token.save(update_fields=["aktif"])
    return token


def token_authenticate(raw: str) -> TokenSumber | None:
    if not raw or len(raw) > 200:
        return None
    return TokenSumber.objects.select_related("unit_kerja").filter(token_hash=_hash(raw), aktif=True).first()


@dataclass
class PushRefused(Exception):
    """A pushed batch that writes nothing: 400 (malformed) or 403 (outside the token's unit)."""

    status: int
    errors: list[dict] = field(default_factory=list)


def _push_period(token: TokenSumber, payload: dict) -> PeriodeEvaluasi:
    tahun, label = payload.get("tahun"), payload.get("periode")
    if not isinstance(tahun, int) or not isinstance(label, str):
        raise PushRefused(400, [{"pesan": _("Isi “tahun” (angka) dan “periode” (mis. “TRIWULAN I”).")}])
    periode = (
        PeriodeEvaluasi.objects.select_related("periode_skp")
        .filter(periode_skp__instansi_id=token.instansi_id, periode_skp__tahun=tahun, label__iexact=label.strip())
        .first()
    )
    if periode is None:
        raise PushRefused(
            400, [{"pesan": _("Periode %(periode)s %(tahun)s tidak ada.") % {"periode": label[:40], "tahun": tahun}}]
        )
    return periode


def _push_value(raw) -> Decimal | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            return None
        # JSON as Python reads it admits NaN and Infinity; NaN cannot even be compared with 0.
        return value if value.is_finite() else None
    if isinstance(raw, str):
        return parse_decimal(raw)
    return None


@transaction.atomic
def realisasi_push(*, token: TokenSumber, payload) -> dict:
    """Write a batch pushed by another system: ``{"tahun": 2026, "periode": "TRIWULAN I",
    "data": [{"nip": "…", "indikator": "<kode katalog>", "nilai": 120, "keterangan": "…"}]}``.

    Refused as a whole — nothing written — with 403 when an employee is not in the token's unit
    (or the units below it) or the indicator is not in its instansi's catalogue, and 400 when the
    batch is malformed, a value is not a number, or the employee has no such system-sourced IKI."""
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), list) or not payload["data"]:
        raise PushRefused(400, [{"pesan": _("Kirim objek JSON dengan daftar “data” yang tidak kosong.")}])
    items = payload["data"]
    if len(items) > MAX_PUSH_ITEMS:
        raise PushRefused(400, [{"pesan": _("Paling banyak %(n)s baris per kiriman.") % {"n": MAX_PUSH_ITEMS}}])
    periode = _push_period(token, payload)
    if not all(isinstance(i, dict) for i in items):
        raise PushRefused(400, [{"pesan": _("Setiap baris “data” harus berupa objek.")}])
    nips = {"".join(str(i.get("nip", "")).split()) for i in items}
    kodes = {str(i.get("indikator", "")) for i in items}
    in_unit = dict(
        Pegawai.objects.filter(
            instansi_id=token.instansi_id, nip__in=nips, unit__path__startswith=token.unit_kerja.path
        ).values_list("nip", "pk")
    )
    katalog = dict(
        KatalogIndikator.objects.filter(instansi_id=token.instansi_id, kode__in=kodes).values_list("kode", "pk")
    )
    targets = _targets(
        periode=periode, katalog_ids=katalog.values(), sumber=SumberRealisasi.API, pegawai_ids=in_unit.values()
    )
    outside, bad = [], []
    values: dict[int, tuple[Decimal, str]] = {}
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(items):
        nip, kode = "".join(str(item.get("nip", "")).split()), str(item.get("indikator", ""))
        if nip not in in_unit:
            outside.append({"baris": index, "nip": nip[:20], "pesan": _("Pegawai di luar unit token ini.")})
            continue
        if kode not in katalog:
            outside.append(
                {"baris": index, "indikator": kode[:40], "pesan": _("Indikator tidak ada di katalog instansi.")}
            )
            continue
        nilai = _push_value(item.get("nilai"))
        target = targets.get((in_unit[nip], katalog[kode]))
        if nilai is None or nilai < 0 or nilai > MAX_NILAI:
            bad.append({"baris": index, "pesan": _("Nilai harus berupa angka tidak negatif.")})
        elif (nip, kode) in seen:
            bad.append({"baris": index, "pesan": _("Pasangan NIP dan indikator ini muncul dua kali.")})
        elif target is None:
            bad.append(
                {
                    "baris": index,
                    "pesan": _("Pegawai ini tidak memiliki IKI bersumber sistem untuk indikator ini pada periode ini."),
                }
            )
        elif target.final:
            bad.append({"baris": index, "pesan": _("Evaluasi pegawai ini untuk periode ini sudah final.")})
        else:
            keterangan = str(item.get("keterangan") or "")[:200] or token.nama_sistem
            for iki_id in target.iki_ids:
                values[iki_id] = (nilai, keterangan)
        seen.add((nip, kode))
    if outside:
        raise PushRefused(403, outside)
    if bad:
        raise PushRefused(400, bad)
    created, updated = _upsert(periode=periode, values=values, sumber=SumberRealisasi.API, by=None, token=token)
    TokenSumber.objects.filter(pk=token.pk).update(terakhir_dipakai=timezone.now())
    _rescore(in_unit.values(), periode)
    return {"diterima": len(items), "dibuat": created, "diubah": updated}


# --- Realisations from the citizens' survey (item 2, third source) ------------------------------------


@transaction.atomic
def realisasi_from_skm(*, instansi: Instansi, periode: PeriodeEvaluasi, by: User | None = None) -> int:
    """Fill every SKM-sourced IKI of the period from the survey: the IKM of the unit layanan that
    covers the employee's unit, or the officer's own score. Evaluations already final are left
    alone; an IKI without responses stays empty. A handful of queries whatever the size."""
    from surveys.selectors import ikm_by_petugas, ikm_by_unit_kerja

    ikis = list(
        IKI.objects.filter(
            sumber__in=[SumberRealisasi.SKM, SumberRealisasi.SKM_PETUGAS],
            rhk__skp__instansi=instansi,
            rhk__skp__periode_id=periode.periode_skp_id,
            rhk__skp__status=StatusSKP.DISETUJUI,
            rhk__skp__is_current=True,
            rhk__skp__mulai__lte=periode.selesai,
            rhk__skp__selesai__gte=periode.mulai,
        )
        # One Exists: an exclude() over two conditions on the multi-valued evaluasi relation would also
        # drop an SKP whose *other* period is final.
        .exclude(
            Exists(
                Evaluasi.objects.filter(
                    skp_id=OuterRef("rhk__skp_id"), periode_evaluasi=periode, status=StatusEvaluasi.FINAL
                )
            )
        )
        .values_list("pk", "sumber", "rhk__skp__pegawai_id", "rhk__skp__pegawai__unit_id")
    )
    if not ikis:
        return 0
    per_unit = ikm_by_unit_kerja(instansi_id=instansi.pk, mulai=periode.mulai, selesai=periode.selesai)
    per_petugas = ikm_by_petugas(instansi_id=instansi.pk, mulai=periode.mulai, selesai=periode.selesai)
    label = f"SKM {periode.label} {periode.periode_skp.tahun}"
    values: dict[str, dict[int, tuple[Decimal, str]]] = {SumberRealisasi.SKM: {}, SumberRealisasi.SKM_PETUGAS: {}}
    touched = set()
    for iki_id, sumber, pegawai_id, unit_id in ikis:
        ikm = per_petugas.get(pegawai_id) if sumber == SumberRealisasi.SKM_PETUGAS else per_unit.get(unit_id)
        if ikm is not None:
            values[sumber][iki_id] = (ikm, label)
            touched.add(pegawai_id)
    for sumber, part in values.items():
        if part:
            _upsert(periode=periode, values=part, sumber=sumber, by=by)
    _rescore(touched, periode)
    return sum(len(part) for part in values.values())


# --- Self-assessment (item 1) -------------------------------------------------------------------------


@transaction.atomic
def penilaian_diri_save(
    *,
    skp: SKP,
    periode: PeriodeEvaluasi,
    by: User,
    refleksi: str = "",
    per_rhk: dict[int, str] | None = None,
    per_value: dict[int, str] | None = None,
    kirim: bool = False,
) -> PenilaianDiri:
    """The employee rates their own results per RHK and behaviour per BerAKHLAK value, with a
    reflection. Sending it (``kirim``) needs every RHK and every value rated and freezes it; so does
    the evaluation becoming final."""
    if by.pegawai_id != skp.pegawai_id:
        raise PermissionDenied(_("Hanya pemilik SKP yang mengisi penilaian diri."))
    if skp.status != StatusSKP.DISETUJUI:
        raise ValidationError(_("Penilaian diri diisi setelah SKP disetujui."))
    if periode.periode_skp_id != skp.periode_id or not (skp.mulai <= periode.selesai and skp.selesai >= periode.mulai):
        raise ValidationError(_("Periode evaluasi ini tidak termasuk dalam masa SKP."))
    if Evaluasi.objects.filter(skp=skp, periode_evaluasi=periode, status=StatusEvaluasi.FINAL).exists():
        raise ValidationError(_("Evaluasi periode ini sudah final; penilaian diri tidak dapat diubah."))
    penilaian, _created = PenilaianDiri.objects.select_for_update().get_or_create(skp=skp, periode_evaluasi=periode)
    if penilaian.status == StatusPenilaianDiri.DIKIRIM:
        raise ValidationError(_("Penilaian diri sudah dikirim dan tidak dapat diubah."))
    per_rhk, per_value = per_rhk or {}, per_value or {}
    for rating in [*per_rhk.values(), *per_value.values()]:
        if rating and rating not in rules.RATINGS:
            raise ValidationError(_("Pilih Di Atas, Sesuai, atau Di Bawah Ekspektasi."))
    rhk_ids = set(RHK.objects.filter(skp=skp).values_list("pk", flat=True))
    value_ids = set(CoreValue.objects.values_list("pk", flat=True))
    wanted = {("rhk", pk): r for pk, r in per_rhk.items() if pk in rhk_ids and r}
    wanted |= {("cv", pk): r for pk, r in per_value.items() if pk in value_ids and r}
    if kirim:
        missing = len(rhk_ids) + len(value_ids) - len(wanted)
        if missing:
            raise ValidationError(
                _("Lengkapi penilaian setiap RHK dan setiap nilai BerAKHLAK sebelum mengirim (%(n)s belum diisi).")
                % {"n": missing}
            )
    penilaian.refleksi = refleksi.strip()
    if kirim:
        penilaian.status, penilaian.dikirim_pada = StatusPenilaianDiri.DIKIRIM, timezone.now()
    penilaian.full_clean()
    penilaian.save()
    existing = {("rhk", b.rhk_id) if b.rhk_id else ("cv", b.core_value_id): b for b in penilaian.butir.all()}
    for key, rating in wanted.items():  # at most ~20 rows; each saved so it enters the history
        row = existing.get(key)
        if row is None:
            target = {"rhk_id": key[1]} if key[0] == "rhk" else {"core_value_id": key[1]}
            PenilaianDiriButir.objects.create(penilaian=penilaian, rating=rating, **target)
        elif row.rating != rating:
            row.rating = rating
            row.save(update_fields=["rating"])
    return penilaian


def large_gaps(*pairs: tuple[str | None, str | None]) -> bool:
    """True when any (self, other) pair lies LARGE_RATING_GAP levels apart (rules.rating_gap)."""
    return any((rules.rating_gap(a, b) or 0) >= rules.LARGE_RATING_GAP for a, b in pairs)
