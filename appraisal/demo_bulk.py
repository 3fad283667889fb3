"""The full appraisal workload for benchmarks (``manage.py seed_demo --workload``, issue 8).

Where appraisal/demo.py plants a realistic *planning* state (drafts, submissions waiting), this
module gives every active employee of a demo instansi a whole year: an approved SKP with
RHK_PER_SKP RHK of IKI_PER_RHK IKI each, cascaded from the pejabat penilai's RHK, a realisation
of every IKI in every evaluation period, a final evaluation per period (ratings mixed by
RATING_MIX, predikat from ``rules.predikat``), anonymous 360° answers for the annual period,
the seven expected behaviours and the workflow steps.

It is set-based so that 100 000 employees take minutes, not hours: the SKPs are written with
``bulk_create`` in chunks (each needs its own frozen identity snapshot), and every table that
fans out from them is filled by one ``INSERT … SELECT`` (the RHK cascade by one ``UPDATE …
FROM``, which SQLite has since 3.33). The number of queries is therefore fixed, whatever the number of employees, apart
from one INSERT per BATCH of SKPs. Values that look random come from arithmetic on the row ids,
so the same organisation always gives the same data. Bulk writes skip model history."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import Instansi, Jabatan, UnitKerja

from . import rules, services
from .demo import IKI_TEMPLATES, STRUCTURAL, _hr_user, _identity, active_people
from .models import (
    IKI,
    RHK,
    SKP,
    CatatanSKP,
    CoreValue,
    Evaluasi,
    Jawaban360,
    PeriodeEvaluasi,
    PeriodeSKP,
    Realisasi,
    SKPPerilaku,
    StatusSKP,
)

BATCH = 2000
RHK_PER_SKP = 5
IKI_PER_RHK = 2
RATERS_360 = 3
STRUCTURAL_RHK = (
    "Meningkatnya kualitas layanan {unit}",
    "Terlaksananya program prioritas {unit} sesuai rencana aksi",
    "Tersusunnya laporan kinerja {unit} yang akurat dan tepat waktu",
    "Meningkatnya akuntabilitas anggaran {unit}",
    "Terbinanya kinerja pegawai {unit}",
)
STAFF_RHK = (
    "Dokumen layanan {unit} yang diselesaikan tepat waktu",
    "Data dan administrasi {unit} yang tertib dan mutakhir",
    "Layanan kepada masyarakat di {unit} yang sesuai standar pelayanan",
    "Laporan kegiatan bulanan {unit} yang lengkap",
    "Usulan perbaikan proses kerja {unit}",
)
# (rating hasil kerja, rating perilaku kerja) and how many of every 20 evaluations get it; the
# predikat is never listed here: it comes from rules.predikat.
RATING_MIX = (
    (("SESUAI", "SESUAI"), 10),
    (("DI_ATAS", "SESUAI"), 3),
    (("SESUAI", "DI_ATAS"), 2),
    (("DI_ATAS", "DI_ATAS"), 2),
    (("DI_BAWAH", "SESUAI"), 2),
    (("SESUAI", "DI_BAWAH"), 1),
)


@dataclass
class WorkloadResult:
    skp: int = 0
    rhk: int = 0
    iki: int = 0
    realisasi: int = 0
    evaluasi: int = 0
    jawaban_360: int = 0


class Raw(NamedTuple):
    """An SQL expression in an INSERT … SELECT list (anything else is passed as a parameter)."""

    sql: str
    params: tuple = ()


def _t(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _insert_select(model: type[models.Model], values: dict, source: str, params: tuple = ()) -> int:
    """``INSERT INTO <model> SELECT … FROM <source>``: one statement for any number of rows.

    ``values`` maps field names to a Raw SQL expression or a constant; every other column gets
    its field default, so a new nullable or defaulted field needs no change here."""
    columns, exprs, select_params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        value = values[field.name] if field.name in values else field.get_default()
        columns.append(connection.ops.quote_name(field.column))
        if isinstance(value, Raw):
            exprs.append(value.sql)
            select_params.extend(value.params)
            continue
        if value is None and not field.null:
            raise ValueError(f"{model.__name__}.{field.name} needs a value")
        cast = isinstance(field, models.JSONField) and connection.vendor == "postgresql"
        exprs.append("CAST(%s AS jsonb)" if cast else "%s")
        select_params.append(field.get_db_prep_save(value, connection))
    sql = f"INSERT INTO {_t(model)} ({', '.join(columns)}) SELECT {', '.join(exprs)} FROM {source}"
    with connection.cursor() as cursor:
        cursor.execute(sql, (*select_params, *params))
        return cursor.rowcount


def _analyze(*tables: type[models.Model]) -> None:
    """Fresh planner statistics for tables just filled (PostgreSQL): without them the planner
    takes a table of 500 000 new rows for an empty one and picks nested loops."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(_t(m) for m in tables)}")


def _numbers(n: int) -> str:
    """A derived table of 1..n in a column ``n`` (portable: no generate_series on SQLite)."""
    return "(" + " UNION ALL ".join(f"SELECT {i} AS n" for i in range(1, n + 1)) + ")"


def _case(selector: str, outcomes: list[Raw]) -> Raw:
    """CASE <selector> WHEN 0 THEN outcomes[0] WHEN 1 THEN … END."""
    sql = " ".join(f"WHEN {i} THEN {o.sql}" for i, o in enumerate(outcomes))
    return Raw(f"CASE {selector} {sql} END", tuple(p for o in outcomes for p in o.params))


def _template(template: str, column: str) -> Raw:
    before, _, after = template.partition("{unit}")
    return Raw(f"%s || COALESCE({column}, %s) || %s", (before, "unit kerja", after))


# --- SKPs (bulk_create: each freezes its own identity block) ---------------------------------------


def _people(instansi: Instansi) -> dict[int, dict]:
    return active_people(instansi)


def _write_skps(periode: PeriodeSKP, people: dict[int, dict]) -> int:
    now = timezone.now()
    identity = {pk: _identity(p) for pk, p in people.items()}
    rows = []
    for pk, person in people.items():
        penilai, atasan = person["pejabat_penilai_id"], person["atasan_pejabat_penilai_id"]
        rows.append(
            SKP(
                instansi_id=periode.instansi_id,
                periode=periode,
                pegawai_id=pk,
                jabatan_id=person["jabatan_id"],
                pejabat_penilai_id=penilai,
                atasan_pejabat_penilai_id=atasan,
                mulai=periode.mulai,
                selesai=periode.selesai,
                jenis=rules.jenis_skp_for(person["jabatan__jenis"]),
                status=StatusSKP.DISETUJUI,
                diajukan_pada=now,
                disetujui_pada=now,
                snapshot={
                    "instansi": periode.instansi.nama,
                    "kota": periode.instansi.kota,
                    "pegawai": identity[pk],
                    "pejabat_penilai": identity.get(penilai, {}),
                    "atasan_pejabat_penilai": identity.get(atasan, {}),
                    "disetujui_pada": periode.mulai.isoformat(),
                },
            )  # fmt: skip
        )
    SKP.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


# --- Everything that fans out from the SKPs (one statement each) ----------------------------------


def _write_rhk(periode: PeriodeSKP) -> int:
    """RHK_PER_SKP RHK per SKP, then the cascade: RHK k intervenes RHK k of the SKP of the
    employee's pejabat penilai (rules §1.4.3), in one correlated UPDATE."""
    structural = ", ".join(f"'{j}'" for j in sorted(STRUCTURAL))
    lead = _case("k.n - 1", [_template(t, "u.nama") for t in STRUCTURAL_RHK])
    staff = _case("k.n - 1", [_template(t, "u.nama") for t in STAFF_RHK])
    uraian = Raw(
        f"CASE WHEN j.jenis IN ({structural}) THEN {lead.sql} ELSE {staff.sql} END", lead.params + staff.params
    )
    written = _insert_select(
        RHK,
        {
            "skp": Raw("s.id"),
            "jenis": "UTAMA",
            "uraian": uraian,
            "perspektif": Raw("CASE WHEN s.jenis = 'JPT' THEN 'PENERIMA_LAYANAN' ELSE '' END"),
            "urutan": Raw("k.n"),
        },
        f"{_t(SKP)} s JOIN {_t(Jabatan)} j ON j.id = s.jabatan_id LEFT JOIN {_t(UnitKerja)} u ON u.id = j.unit_id"
        f" CROSS JOIN {_numbers(RHK_PER_SKP)} k WHERE s.periode_id = %s ORDER BY s.id, k.n",
        (periode.pk,),
    )
    _analyze(SKP, RHK)
    rhk, skp = _t(RHK), _t(SKP)
    with connection.cursor() as cursor:  # UPDATE … FROM a join: one hash join, never a lookup per row
        cursor.execute(
            f"UPDATE {rhk} SET rhk_atasan_id = x.parent_id FROM ("
            f" SELECT r.id AS rhk_id, pr.id AS parent_id FROM {rhk} r JOIN {skp} s ON s.id = r.skp_id"
            f" JOIN {skp} ps ON ps.pegawai_id = s.pejabat_penilai_id AND ps.periode_id = s.periode_id"
            f" JOIN {rhk} pr ON pr.skp_id = ps.id AND pr.urutan = r.urutan WHERE s.periode_id = %s) x"
            f" WHERE {rhk}.id = x.rhk_id",
            (periode.pk,),
        )
    return written


def _write_iki(periode: PeriodeSKP) -> int:
    """IKI_PER_RHK IKI per RHK, each from a different template of appraisal.demo.IKI_TEMPLATES."""
    pick = f"(r.urutan + k.n) %% {len(IKI_TEMPLATES)}"
    targets = [
        _case(f"r.id %% {len(t[2])}", [Raw("%s", (value,)) for value in t[2]]) for t in IKI_TEMPLATES
    ]  # fmt: skip
    return _insert_select(
        IKI,
        {
            "rhk": Raw("r.id"),
            "aspek": _case(pick, [Raw("%s", (t[0],)) for t in IKI_TEMPLATES]),
            "uraian": _case(pick, [Raw("%s", (t[1].format(objek="dokumen layanan"),)) for t in IKI_TEMPLATES]),
            "target_min": _case(pick, targets),
            "satuan": _case(pick, [Raw("%s", (t[3],)) for t in IKI_TEMPLATES]),
            "arah": _case(pick, [Raw("%s", (t[4],)) for t in IKI_TEMPLATES]),
            "urutan": Raw("k.n"),
        },
        f"{_t(RHK)} r JOIN {_t(SKP)} s ON s.id = r.skp_id CROSS JOIN {_numbers(IKI_PER_RHK)} k"
        f" WHERE s.periode_id = %s ORDER BY r.id, k.n",
        (periode.pk,),
    )


def _write_realisasi(periode: PeriodeSKP, now: datetime.datetime) -> int:
    """Every IKI in every evaluation period: 85–115 % of the target, verified by the penilai."""
    return _insert_select(
        Realisasi,
        {
            "iki": Raw("i.id"),
            "periode_evaluasi": Raw("pe.id"),
            "nilai": Raw("i.target_min * (85 + (i.id * 7 + pe.id * 13) %% 31) / 100.0"),
            "uraian": "Terlaksana sesuai rencana.",
            "diverifikasi": True,
            "diverifikasi_oleh": Raw("s.pejabat_penilai_id"),
            "diubah_pada": now,
        },
        f"{_t(IKI)} i JOIN {_t(RHK)} r ON r.id = i.rhk_id JOIN {_t(SKP)} s ON s.id = r.skp_id"
        f" JOIN {_t(PeriodeEvaluasi)} pe ON pe.periode_skp_id = s.periode_id WHERE s.periode_id = %s",
        (periode.pk,),
    )


def _rating_cases(bucket: str) -> tuple[Raw, Raw, Raw]:
    """Three CASE expressions over ``bucket`` (0–19): the two ratings of RATING_MIX and the
    predikat rules.predikat gives for them."""
    slots = [pair for pair, weight in RATING_MIX for _ in range(weight)]
    if len(slots) != 20:
        raise ValueError("RATING_MIX weights must add up to 20")
    return (
        _case(bucket, [Raw("%s", (h,)) for h, _p in slots]),
        _case(bucket, [Raw("%s", (p,)) for _h, p in slots]),
        _case(bucket, [Raw("%s", (rules.predikat(h, p),)) for h, p in slots]),
    )


def _write_evaluasi(periode: PeriodeSKP, now: datetime.datetime) -> int:
    """A final evaluation of every SKP in every period; the snapshot is the SKP's identity block."""
    hasil, perilaku, predikat = _rating_cases("(s.id * 31 + pe.id * 17) %% 20")
    return _insert_select(
        Evaluasi,
        {
            "instansi": Raw("s.instansi_id"),
            "skp": Raw("s.id"),
            "periode_evaluasi": Raw("pe.id"),
            "status": "FINAL",
            "rating_hasil_kerja": hasil,
            "rating_perilaku_kerja": perilaku,
            "predikat": predikat,
            "dinilai_oleh": Raw("s.pejabat_penilai_id"),
            "difinalkan_pada": now,
            "snapshot": Raw("s.snapshot"),
            "versi": 1,
        },
        f"{_t(SKP)} s JOIN {_t(PeriodeEvaluasi)} pe ON pe.periode_skp_id = s.periode_id WHERE s.periode_id = %s",
        (periode.pk,),
    )


def _write_360(periode: PeriodeSKP, today: datetime.date) -> int:
    """RATERS_360 anonymous answers per core value for the annual period (mostly 'sesuai')."""
    spread = "(s.id * 7 + cv.id * 3 + k.n) %% 10"
    return _insert_select(
        Jawaban360,
        {
            "skp": Raw("s.id"),
            "periode_evaluasi": Raw("pe.id"),
            "core_value": Raw("cv.id"),
            "skor": Raw(f"CASE WHEN {spread} < 2 THEN 3 WHEN {spread} < 9 THEN 2 ELSE 1 END"),
            "tanggal": today,
        },
        f"{_t(SKP)} s JOIN {_t(PeriodeEvaluasi)} pe ON pe.periode_skp_id = s.periode_id AND pe.jenis = 'TAHUNAN'"
        f" CROSS JOIN {_t(CoreValue)} cv CROSS JOIN {_numbers(RATERS_360)} k WHERE s.periode_id = %s",
        (periode.pk,),
    )


def _write_steps(periode: PeriodeSKP, hr_id: int, now: datetime.datetime) -> None:
    """The seven expected behaviours per SKP and the two workflow steps (submitted, approved)."""
    _insert_select(
        SKPPerilaku,
        {"skp": Raw("s.id"), "core_value": Raw("cv.id")},
        f"{_t(SKP)} s CROSS JOIN {_t(CoreValue)} cv WHERE s.periode_id = %s",
        (periode.pk,),
    )
    _insert_select(
        CatatanSKP,
        {
            "skp": Raw("s.id"),
            "oleh": hr_id,
            "dari_status": Raw("CASE k.n WHEN 1 THEN %s ELSE %s END", (StatusSKP.DRAFT, StatusSKP.DIAJUKAN)),
            "ke_status": Raw("CASE k.n WHEN 1 THEN %s ELSE %s END", (StatusSKP.DIAJUKAN, StatusSKP.DISETUJUI)),
            "pada": now,
        },
        f"{_t(SKP)} s CROSS JOIN {_numbers(2)} k WHERE s.periode_id = %s ORDER BY s.id, k.n",
        (periode.pk,),
    )


@transaction.atomic
def seed_workload(*, instansi: Instansi) -> WorkloadResult:
    """Open this year's SKP period of ``instansi`` (quarterly rhythm) and write the whole year's
    appraisal data of every active employee. Does nothing if the year is already open."""
    tahun = timezone.localdate().year
    if PeriodeSKP.objects.filter(instansi=instansi, tahun=tahun).exists():
        return WorkloadResult()
    hr = _hr_user(instansi)
    periode = services.periode_open(instansi=instansi, tahun=tahun, ritme="TRIWULANAN", by=hr)
    now = timezone.now()
    result = WorkloadResult(skp=_write_skps(periode, _people(instansi)))
    result.rhk = _write_rhk(periode)
    result.iki = _write_iki(periode)
    _analyze(RHK, IKI)
    result.realisasi = _write_realisasi(periode, now)
    _analyze(Realisasi)
    result.evaluasi = _write_evaluasi(periode, now)
    result.jawaban_360 = _write_360(periode, timezone.localdate())
    _write_steps(periode, hr.pk, now)
    return result
