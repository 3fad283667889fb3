"""The period-score job and the recommendation (talenta) job through a real Celery worker on Redis,
beside one hand-written SQL query computing the same achievement figures (the floor).

    .venv/bin/python bench/score_job.py --employees 5000 100000

For each size: create or reuse the PostgreSQL database sikap_bench_<N> (seed_demo --workload),
start a Celery worker (bench settings, Redis db 9), queue the period scores of every evaluation
period of every instansi (reports.tasks.period_scores_task, one task per instansi and period, as
the nightly job does) and wait for all; then the talenta job of every instansi
(talenta.tasks.talenta_compute_task). The floor is the capaian SKP of every employee in every
period (rules.capaian_iki per IKI, mean per RHK, mean per SKP, rounded half-up to cents) as one
SELECT; the script checks that its figures equal the stored HasilKinerja row by row."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, bench_env, django_setup, ensure_database, load, table  # noqa: E402

FLOOR_SQL = """
WITH capaian AS (
    SELECT s.pegawai_id, pe.id AS periode_id, rh.id AS rhk_id,
           CASE
             WHEN re.nilai BETWEEN i.target_min AND COALESCE(i.target_max, i.target_min) THEN 100
             ELSE (SELECT CASE WHEN t.target = 0 THEN NULL
                               WHEN i.arah = 'TURUN' THEN GREATEST((2 - re.nilai / t.target) * 100, 0)
                               ELSE GREATEST(re.nilai / t.target * 100, 0) END
                   FROM (SELECT CASE WHEN re.nilai < i.target_min THEN i.target_min
                                     ELSE COALESCE(i.target_max, i.target_min) END AS target) t)
           END AS capaian
    FROM appraisal_periodeevaluasi pe
    JOIN appraisal_skp s ON s.periode_id = pe.periode_skp_id AND s.status = 'DISETUJUI'
         AND s.mulai <= pe.selesai AND s.selesai >= pe.mulai
    JOIN accounts_pegawai p ON p.id = s.pegawai_id AND p.status = 'AKTIF' AND p.jabatan_id IS NOT NULL
    JOIN appraisal_rhk rh ON rh.skp_id = s.id
    JOIN appraisal_iki i ON i.rhk_id = rh.id AND i.target_min IS NOT NULL
    JOIN appraisal_realisasi re ON re.iki_id = i.id AND re.periode_evaluasi_id = pe.id AND re.nilai IS NOT NULL
),
per_rhk AS (
    SELECT pegawai_id, periode_id, rhk_id, round(avg(capaian), 2) AS capaian
    FROM capaian WHERE capaian IS NOT NULL GROUP BY pegawai_id, periode_id, rhk_id
)
SELECT pegawai_id, periode_id, round(avg(capaian), 2) AS capaian_skp FROM per_rhk GROUP BY pegawai_id, periode_id
"""


def start_worker(employees: int, concurrency: int) -> subprocess.Popen:
    """A Celery worker in its own process group (so it and its pool children stop together)."""
    return subprocess.Popen(
        [PYTHON, "-m", "celery", "-A", "sikap", "worker", "-Q", "celery", "-c", str(concurrency),
         "--loglevel", "WARNING", "-n", f"bench-{os.getpid()}@%h", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=bench_env(employees), start_new_session=True,
    )  # fmt: skip


def wait_for_worker(worker: subprocess.Popen, timeout: float = 120) -> None:
    from sikap.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError("the Celery worker exited")
        if app.control.ping(timeout=1.0):
            return
    raise RuntimeError("the Celery worker did not answer in time")


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)


def run_tasks(task, runs) -> tuple[float, int, float]:
    """Queue one task per JobRun, wait for all; returns wall seconds, rows, summed task seconds."""
    from reports.models import JobRun

    started = time.monotonic()
    results = [task.delay(run.pk) for run in runs]
    rows = sum(r.get(timeout=3600)["rows"] for r in results)
    wall = time.monotonic() - started
    done = JobRun.objects.filter(pk__in=[r.pk for r in runs])
    busy = sum((r.selesai_pada - r.dimulai_pada).total_seconds() for r in done if r.selesai_pada and r.dimulai_pada)
    return wall, rows, busy


def floor() -> tuple[float, dict]:
    from django.db import connection

    with connection.cursor() as cursor:
        started = time.monotonic()
        cursor.execute(FLOOR_SQL)
        rows = cursor.fetchall()
        seconds = time.monotonic() - started
    return seconds, {(pegawai, periode): capaian for pegawai, periode, capaian in rows}


def mismatches(figures: dict) -> int:
    """HasilKinerja rows whose capaian_skp differs from the floor's (none expected)."""
    from reports.models import HasilKinerja

    stored = HasilKinerja.objects.values_list("pegawai_id", "periode_evaluasi_id", "capaian_skp").iterator(5000)
    wrong = sum(1 for pegawai, periode, capaian in stored if figures.get((pegawai, periode)) != capaian)
    return wrong + max(0, len(figures) - HasilKinerja.objects.filter(capaian_skp__isnull=False).count())


def bench(employees: int, concurrency: int) -> list[tuple]:
    from django.db import close_old_connections, connection
    from django.utils import timezone

    from appraisal.models import PeriodeEvaluasi
    from reports.models import JobRun
    from reports.tasks import period_scores_task
    from talenta.services import JOB_JENIS
    from talenta.tasks import talenta_compute_task

    tahun = timezone.localdate().year
    periods = list(PeriodeEvaluasi.objects.filter(periode_skp__tahun=tahun).select_related("periode_skp"))
    score_runs = [
        JobRun.objects.create(
            instansi_id=p.periode_skp.instansi_id, jenis="period_scores", parameter={"periode_evaluasi_id": p.pk}
        )  # fmt: skip
        for p in periods
    ]
    talenta_runs = [
        JobRun.objects.create(instansi_id=i, jenis=JOB_JENIS, parameter={"tahun": tahun})
        for i in sorted({p.periode_skp.instansi_id for p in periods})
    ]
    rows = []
    # The first computation of a period writes every row; a re-run the next night rewrites only
    # what changed. Both are timed: the results table is emptied first, so every run of this script
    # measures the full write and the ratio below is the pessimistic one.
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE reports_hasilkinerja")
    score_load = load()
    score_wall, score_rows, score_busy = run_tasks(period_scores_task, score_runs)
    rows.append(
        ("period scores (Celery)", len(score_runs), score_rows, f"{score_wall:.2f}", f"{score_busy:.2f}", score_load)
    )
    again_runs = [
        JobRun.objects.create(instansi_id=r.instansi_id, jenis=r.jenis, parameter=r.parameter) for r in score_runs
    ]
    again_load = load()
    again_wall, again_rows, again_busy = run_tasks(period_scores_task, again_runs)
    rows.append(
        ("  again, nothing changed", len(again_runs), again_rows, f"{again_wall:.2f}", f"{again_busy:.2f}", again_load)
    )
    talenta_load = load()
    talenta_wall, talenta_rows, talenta_busy = run_tasks(talenta_compute_task, talenta_runs)
    rows.append(
        (
            "talenta (Celery)",
            len(talenta_runs),
            talenta_rows,
            f"{talenta_wall:.2f}",
            f"{talenta_busy:.2f}",
            talenta_load,
        )
    )
    close_old_connections()
    floor_load = load()
    floor_seconds, figures = floor()
    rows.append(("SQL floor (1 query)", 1, len(figures), f"{floor_seconds:.2f}", f"{floor_seconds:.2f}", floor_load))
    wrong = mismatches(figures)
    rows.append(
        ("ratio scores / floor", "", "", f"{score_wall / floor_seconds:.1f}x", f"{score_busy / floor_seconds:.1f}x", "")
    )
    rows.append(("capaian rows differing", "", wrong, "", "", ""))
    return rows  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, nargs="+", default=[5000])
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2, help="worker processes")
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    if len(args.employees) > 1:  # one process per size: Django is set up against one database
        for n in args.employees:
            cmd = [PYTHON, __file__, "--employees", str(n), "--concurrency", str(args.concurrency)]
            subprocess.run(cmd + (["--reseed"] if args.reseed else []), check=True)
        return
    employees = args.employees[0]
    seeded = ensure_database(employees, reseed=args.reseed)
    django_setup(employees)
    worker = start_worker(employees, args.concurrency)
    try:
        wait_for_worker(worker)
        rows = bench(employees, args.concurrency)
    finally:
        stop_worker(worker)
    print(f"\nScore job, {employees} employees, worker concurrency {args.concurrency}"
          + (f" (database seeded in {seeded:.0f} s)" if seeded else " (database reused)"))  # fmt: skip
    print(table(("job", "tasks", "rows", "wall s", "task s (sum)", "load/cores"), rows))
    print("Targets: period scores within 5x the floor and under 120 s at 100 000 employees.")


if __name__ == "__main__":
    main()
