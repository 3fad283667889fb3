"""What the benchmarks share: their PostgreSQL database per size (created and seeded once,
reused afterwards), Django set up against it, the machine load, and the table printer."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/9")
# Several gunicorn workers share one cache, as a deployment with several web processes would
# (CACHE_URL, README "Scaling out"); each script empties it first, so its figures include the
# computations a cold cache costs.
CACHE = os.environ.get("BENCH_CACHE", "redis://127.0.0.1:6379/8")


def database_url(employees: int) -> str:
    return f"{PG}/sikap_bench_{employees}"


def bench_env(employees: int, **extra: str) -> dict[str, str]:
    """The environment of every process of a run: its database, Redis db, bench settings."""
    env = {**os.environ, "DATABASE_URL": database_url(employees), "DJANGO_SETTINGS_MODULE": "bench.settings"}
    env.update(
        {"CELERY_BROKER_URL": REDIS, "CELERY_RESULT_BACKEND": REDIS, "CACHE_URL": CACHE, "PYTHONPATH": str(ROOT)}
    )
    env.update(extra)
    return env


def load() -> str:
    """The 1-minute load average and the core count, printed beside every figure."""
    return f"{os.getloadavg()[0]:.2f}/{os.cpu_count()}"


def _psql(sql: str, db: str = "postgres") -> str:
    import psycopg2

    conn = psycopg2.connect(f"{PG}/{db}")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql)
        rows = cur.fetchall() if cur.description else []
    conn.close()
    return rows


def ensure_database(employees: int, *, reseed: bool = False) -> float | None:
    """Create and seed sikap_bench_<N> unless it already holds the workload of N employees.
    Returns the seeding time in seconds, or None when the database was reused."""
    name = f"sikap_bench_{employees}"
    exists = bool(_psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"))
    if exists and not reseed:
        try:
            ready = _psql("SELECT count(*) FROM appraisal_evaluasi", db=name)[0][0] > 0
            people = _psql("SELECT count(*) FROM accounts_pegawai", db=name)[0][0]
        except Exception:  # half-created earlier: start again
            ready, people = False, 0
        if ready and people == employees:
            # A reused database follows the code: migrations added since it was seeded (an index,
            # say) are applied, so the figures are those of the schema under test.
            subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=bench_env(employees), check=True)
            return None
    if exists:
        _psql(f'DROP DATABASE "{name}"')
    _psql(f'CREATE DATABASE "{name}"')
    env = bench_env(employees)
    started = time.monotonic()
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [PYTHON, "manage.py", "seed_demo", "--employees", str(employees), "--workload"],
        cwd=ROOT, env=env, check=True, stdout=sys.stderr,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    _psql("VACUUM ANALYZE", db=name)  # fresh statistics, as autovacuum would give a settled database
    return elapsed


def django_setup(employees: int) -> None:
    os.environ.update(bench_env(employees))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache

    cache.clear()  # the shared cache of the previous run (bench_env's CACHE_URL)


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def table(header: tuple[str, ...], rows: list[tuple]) -> str:
    cells = [tuple(str(c) for c in header)] + [tuple(str(c) for c in row) for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = []
    for index, row in enumerate(cells):
        lines.append("  ".join(c.rjust(w) if index else c.ljust(w) for c, w in zip(row, widths, strict=True)))
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
