"""Period scores: the figures the dashboards read, computed in bulk (issue 6 item 2).

For one instansi and evaluation period the job reads SKPs, IKI targets with their realisations,
evaluations and dialog counts with one query each per chunk of units, computes the
achievement per IKI, RHK and SKP in Python (appraisal.rules.capaian_iki), and upserts one
HasilKinerja row per employee on the natural key (periode_evaluasi, pegawai). Running it
twice, or again after a crash halfway, leaves the same rows and no duplicates."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Count, FilteredRelation, Q, QuerySet
from django.utils import timezone

from accounts.models import Pegawai, UnitKerja
from appraisal import rules as appraisal_rules
from appraisal.models import IKI, SKP, DialogKinerja, Evaluasi, PeriodeEvaluasi, StatusSKP
from ops.outbox import send_on_commit

from .models import HasilKinerja, JobRun, StatusJob

CENT = Decimal("0.01")
UNITS_PER_CHUNK = 50
# One HasilKinerja row as _score_chunk builds it and _upsert writes it, field by field.
COLUMNS = [
    "instansi", "periode_evaluasi", "pegawai", "unit", "skp", "capaian_skp", "jumlah_iki", "iki_terisi",
    "rincian", "status_evaluasi", "rating_hasil_kerja", "rating_perilaku_kerja", "predikat", "nilai_kinerja",
    "ikm_unit", "jumlah_umpan_balik", "dihitung_pada",
]  # fmt: skip


def _mean(values: list[Decimal]) -> Decimal | None:
    """Average achievement (local policy for an advisory figure: rules §1.6.1 gives no formula)."""
    return (sum(values) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP) if values else None


def _score_chunk(
    periode: PeriodeEvaluasi, pegawai_ids: list[int], ikm_of_unit: dict[int, Decimal] | None = None
) -> list[tuple]:
    """Five queries for any number of employees: SKPs, IKI with their realisation, evaluations,
    dialog counts, units. Returns one tuple per employee in the order of ``COLUMNS`` (see ``_upsert``):
    plain values, no model instances, because building and preparing them was half the job (bench/README.md)."""
    latest: dict[int, int] = {}
    for pk, pegawai_id in (
        SKP.objects.filter(
            pegawai_id__in=pegawai_ids,
            periode_id=periode.periode_skp_id,
            status=StatusSKP.DISETUJUI,
            mulai__lte=periode.selesai,
            selesai__gte=periode.mulai,
        )
        .order_by("pegawai_id", "-mulai", "-revisi_ke")
        .values_list("pk", "pegawai_id")
    ):
        latest.setdefault(pegawai_id, pk)  # the latest approved SKP (revision) per employee in the period
    skp_ids = list(latest.values())
    evaluations = {
        row[0]: row[1:]
        for row in Evaluasi.objects.filter(skp_id__in=skp_ids, periode_evaluasi=periode).values_list(
            "skp_id", "status", "rating_hasil_kerja", "rating_perilaku_kerja", "predikat", "nilai_kinerja"
        )
    }
    dialog = dict(
        DialogKinerja.objects.filter(skp_id__in=skp_ids, pada__date__lte=periode.selesai)
        .values("skp_id")
        .annotate(n=Count("pk"))
        .values_list("skp_id", "n")
    )
    per_rhk: dict[int, dict[int, dict]] = defaultdict(lambda: defaultdict(dict))
    # Each IKI with its realisation in the period (at most one: realisasi_unik), in one LEFT JOIN.
    in_period = FilteredRelation("realisasi", condition=Q(realisasi__periode_evaluasi=periode))
    iki_rows = (
        IKI.objects.filter(rhk__skp_id__in=skp_ids)
        .annotate(in_period=in_period)
        .values_list("pk", "rhk_id", "rhk__skp_id", "target_min", "target_max", "arah", "in_period__nilai")
    )
    for iki_id, rhk_id, skp_id, target_min, target_max, arah, value in iki_rows:
        capaian = None
        if value is not None and target_min is not None:
            capaian = appraisal_rules.capaian_iki(
                realisasi=value, target_min=target_min, target_max=target_max, lower_is_better=arah == "TURUN"
            )
        per_rhk[skp_id][rhk_id][iki_id] = capaian
    units = dict(Pegawai.objects.filter(pk__in=pegawai_ids).values_list("pk", "unit_id"))
    ikm_of_unit = _unit_ikm(periode) if ikm_of_unit is None else ikm_of_unit
    instansi_id, now, no_evaluation = periode.periode_skp.instansi_id, timezone.now(), ("", "", "", "", None)
    results = []
    for pegawai_id in pegawai_ids:
        skp_id = latest.get(pegawai_id)
        rincian, rhk_means, jumlah, terisi = {}, [], 0, 0
        for rhk_id, ikis in per_rhk.get(skp_id, {}).items():
            values = [c for c in ikis.values() if c is not None]
            jumlah, terisi = jumlah + len(ikis), terisi + len(values)
            mean = _mean(values)
            if mean is not None:
                rhk_means.append(mean)
            rincian[str(rhk_id)] = {
                "capaian": str(mean) if mean is not None else None,
                "iki": {str(k): (str(v.quantize(CENT)) if v is not None else None) for k, v in ikis.items()},
            }
        unit_id = units.get(pegawai_id)
        results.append(
            (
                instansi_id, periode.pk, pegawai_id, unit_id, skp_id, _mean(rhk_means), jumlah, terisi, rincian,
                *evaluations.get(skp_id, no_evaluation), ikm_of_unit.get(unit_id), dialog.get(skp_id, 0), now,
            )
        )  # fmt: skip
    return results


def _unit_ikm(periode: PeriodeEvaluasi) -> dict[int, Decimal]:
    """The unit IKM per UnitKerja for the period (issue 5 item 7): three queries per run."""
    from surveys.selectors import ikm_by_unit_kerja

    return ikm_by_unit_kerja(instansi_id=periode.periode_skp.instansi_id, mulai=periode.mulai, selesai=periode.selesai)


def _upsert_statement(rows: int) -> str:
    """``INSERT … VALUES (…) × rows ON CONFLICT (periode_evaluasi, pegawai) DO UPDATE`` on the unique
    constraint hasil_kinerja_unik, updating only a row whose figures differ (``dihitung_pada`` aside)."""
    quote = connection.ops.quote_name
    table = quote(HasilKinerja._meta.db_table)
    columns = [quote(HasilKinerja._meta.get_field(name).column) for name in COLUMNS]
    key, changing = columns[1:3], [columns[0], *columns[3:]]  # COLUMNS starts instansi, periode, pegawai
    compared = changing[:-1]  # all but dihitung_pada, the last
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"  # SQLite's spelling
    values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * rows)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values} "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {', '.join(f'{c} = EXCLUDED.{c}' for c in changing)} "
        f"WHERE ({', '.join(f'{table}.{c}' for c in compared)}) {distinct} "
        f"({', '.join(f'EXCLUDED.{c}' for c in compared)})"
    )


def _upsert(rows: list[tuple]) -> int:
    """Write ``_score_chunk``'s tuples with one statement per 2 000 rows (``_upsert_statement``),
    adapting only the JSON and the timestamp: no model instances, no per-field preparation. A row
    whose figures did not change is left as it is (no new row version), so a nightly rerun rewrites
    only what moved and ``dihitung_pada`` tells when the figures last changed. Returns len(rows)."""
    ops = connection.ops
    rincian, dihitung = COLUMNS.index("rincian"), COLUMNS.index("dihitung_pada")
    encoder = HasilKinerja._meta.get_field("rincian").encoder
    per_statement = max(1, min(2000, (connection.features.max_query_params or 65535) // len(COLUMNS)))
    with connection.cursor() as cursor:
        for batch in _chunks(rows, per_statement):
            params = []
            for row in batch:
                row = list(row)
                row[rincian] = ops.adapt_json_value(row[rincian], encoder)
                row[dihitung] = ops.adapt_datetimefield_value(row[dihitung])
                params.extend(row)
            cursor.execute(_upsert_statement(len(batch)), params)
    return len(rows)


# A period is evaluated after it ends: the annual evaluation "by the end of January of the next year"
# (rules.md, evaluation calendar), and an objection may follow within 14 days. The nightly jobs keep
# a period's figures in step for this long after its end, not only while it runs.
EVALUATION_WINDOW = datetime.timedelta(days=45)


def periods_in_play(today: datetime.date) -> QuerySet[PeriodeEvaluasi]:
    """Every instansi's evaluation periods running ``today`` or ended less than EVALUATION_WINDOW
    ago (in January: last year's fourth quarter and the year itself, still being evaluated)."""
    return PeriodeEvaluasi.objects.filter(mulai__lte=today, selesai__gte=today - EVALUATION_WINDOW)


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def period_scores_compute(*, periode_evaluasi_id: int, run: JobRun | None = None) -> int:
    """Compute and upsert every active employee's figures for one period of one instansi,
    unit by unit (chunks of UNITS_PER_CHUNK), updating ``run``'s progress after each chunk.
    Rows of employees who no longer belong are removed. Returns the number of rows written."""
    periode = PeriodeEvaluasi.objects.select_related("periode_skp").get(pk=periode_evaluasi_id)
    instansi_id = periode.periode_skp.instansi_id
    employees = list(
        Pegawai.objects.filter(instansi_id=instansi_id, status="AKTIF", jabatan__isnull=False)
        .order_by("unit_id", "pk")
        .values_list("unit_id", "pk")
    )
    by_unit: dict[int | None, list[int]] = defaultdict(list)
    for unit_id, pk in employees:
        by_unit[unit_id].append(pk)
    unit_groups = list(by_unit.values())
    if run is not None:
        JobRun.objects.filter(pk=run.pk).update(
            status=StatusJob.BERJALAN, total=len(unit_groups), selesai=0, dimulai_pada=timezone.now()
        )
    written = 0
    ikm_of_unit = _unit_ikm(periode)
    for done, chunk in enumerate(_chunks(unit_groups, UNITS_PER_CHUNK), start=1):
        pegawai_ids = [pk for group in chunk for pk in group]
        with transaction.atomic():
            written += _upsert(_score_chunk(periode, pegawai_ids, ikm_of_unit))
        if run is not None:
            JobRun.objects.filter(pk=run.pk).update(
                selesai=min(done * UNITS_PER_CHUNK, len(unit_groups)), baris=written
            )
    everyone = [pk for _unit, pk in employees]
    HasilKinerja.objects.filter(periode_evaluasi=periode).exclude(pegawai_id__in=everyone).delete()
    if run is not None:
        JobRun.objects.filter(pk=run.pk).update(status=StatusJob.SELESAI, selesai_pada=timezone.now(), baris=written)
    return written


def period_scores_for_pegawai(*, pegawai_id: int, periode_evaluasi_id: int) -> int:
    """Re-run the figures of a single employee (after their evaluation changed)."""
    periode = PeriodeEvaluasi.objects.select_related("periode_skp").get(pk=periode_evaluasi_id)
    return _upsert(_score_chunk(periode, [pegawai_id]))


def scores_run_start(*, instansi, periode_evaluasi: PeriodeEvaluasi, by) -> JobRun:
    """HR's "hitung ulang sekarang": record the run (audit: who, when) and queue it after commit."""
    from .tasks import period_scores_task

    run = JobRun.objects.create(
        instansi=instansi, jenis="period_scores", parameter={"periode_evaluasi_id": periode_evaluasi.pk}, dibuat_oleh=by
    )
    send_on_commit(period_scores_task, run.pk)
    return run


def unit_summary(*, instansi_id: int, periode_evaluasi_id: int) -> list[dict]:
    """Per unit: employees scored, evaluated, and the predikat distribution, read from the results
    table in one grouped query (what the dashboards show)."""
    rows = (
        HasilKinerja.objects.filter(instansi_id=instansi_id, periode_evaluasi_id=periode_evaluasi_id)
        .values("unit_id")
        .annotate(
            pegawai=Count("pk"),
            final=Count("pk", filter=Q(status_evaluasi="FINAL")),
            **{p.lower(): Count("pk", filter=Q(predikat=p)) for p in appraisal_rules.PREDIKAT_ORDER},
        )
    )
    names = dict(UnitKerja.objects.filter(instansi_id=instansi_id).values_list("pk", "nama"))
    return [{**row, "unit": names.get(row["unit_id"], "—")} for row in rows]
