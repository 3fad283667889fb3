"""Latency and throughput of the key pages under concurrent load, through gunicorn, beside a
trivial Django view measured in the same run; and each page's SQL query count.

    .venv/bin/python bench/pages.py --employees 5000
    .venv/bin/python bench/pages.py --employees 100000 --seconds 20 --clients 8

Creates or reuses sikap_bench_<N> (seed_demo --workload), logs the demo HR admin, kepala unit,
supervisor and pegawai of Kota Dumai in (sessions made in-process with the test client's
force_login, so django-axes and the password hasher stay out of the figures), counts each page's
queries in-process (CaptureQueriesContext), then starts gunicorn (bench.settings: DEBUG off,
persistent connections) and hits each page with a pool of HTTP clients for a fixed time. The
trivial view (/bench/trivial/, bench/urls.py) is measured first and last; ratios use the worse
of its two p95."""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, bench_env, django_setup, ensure_database, load, percentile, table  # noqa: E402

HOST = "127.0.0.1"
# Above this size the whole-instansi cascade tree is megabytes of HTML and minutes of rendering
# (it grows with the instansi; see the README): it is left out unless --all-pages.
WHOLE_TREE_MAX = 20000


@dataclass
class Page:
    name: str
    path: str
    persona: str  # "" for anonymous
    queries: int | None = None
    status: int | None = None
    single_ms: float = 0.0  # one request in-process, no concurrency
    size: int = 0
    whole_tree: bool = False  # renders a tree proportional to the instansi: only measured up to WHOLE_TREE_MAX


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    load: str = ""


def sessions_and_pages() -> tuple[dict[str, str], list[Page]]:
    """A session cookie per persona and the pages to measure, with their ids from the database."""
    from django.test import Client
    from django.utils import timezone

    from accounts.demo import demo_logins
    from accounts.models import User
    from appraisal.models import SKP
    from surveys.models import SaluranSurvei

    logins = {lg.role: lg for lg in demo_logins() if lg.instansi.endswith("Dumai") or lg.role == "superadmin"}
    cookies = {}
    users = {}
    for role in ("hr", "kepala_unit", "supervisor", "pegawai"):
        user = User.objects.get(username=logins[role].username)
        client = Client()
        client.force_login(user)
        cookies[role] = client.cookies["sessionid"].value
        users[role] = user
    skp = SKP.objects.filter(pegawai=users["pegawai"].pegawai, periode__tahun=timezone.localdate().year).first()
    saluran = SaluranSurvei.objects.filter(unit_layanan__instansi=users["hr"].instansi, jenis="UNIT").order_by("pk")
    pages = [
        Page("trivial view", "/bench/trivial/", ""),
        Page("HR dashboard", "/laporan/", "hr"),
        Page("supervisor home", "/", "supervisor"),
        Page("supervisor team evaluation", "/skp/penilaian/", "supervisor"),
        Page("SKP editor (pegawai)", f"/skp/{skp.pk}/" if skp else "/skp/saya/", "pegawai"),
        Page("cascade tree (supervisor)", "/skp/pohon/", "supervisor"),
        Page("cascade tree (HR, one unit)", f"/skp/pohon/?unit={users['supervisor'].pegawai.unit_id}", "hr"),
        Page("cascade tree (kepala unit)", "/skp/pohon/", "kepala_unit", whole_tree=True),
        Page("cascade tree (HR, whole instansi)", "/skp/pohon/", "hr", whole_tree=True),
        Page("public survey form", f"/s/{saluran.first().kode}/", ""),
    ]
    return cookies, pages


def count_queries(pages: list[Page], cookies: dict[str, str]) -> None:
    """Each page's status and SQL query count, in-process, after one warm-up request."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    for page in pages:
        client = Client()
        if page.persona:
            client.cookies[settings.SESSION_COOKIE_NAME] = cookies[page.persona]
        client.get(page.path)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(page.path)
            page.single_ms = (time.perf_counter() - started) * 1000
        page.status, page.size, page.queries = response.status_code, len(response.content), len(queries)


def start_gunicorn(employees: int, port: int, workers: int) -> subprocess.Popen:
    return subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "sikap.wsgi", "-b", f"{HOST}:{port}", "-w", str(workers),
         "--access-logfile", "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null", "--log-level", "warning"],
        cwd=ROOT, env=bench_env(employees), start_new_session=True,
    )  # fmt: skip


def wait_until_up(server: subprocess.Popen, port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            if get(port, "/bench/trivial/", "")[0] == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not come up")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def get(port: int, path: str, cookie: str) -> tuple[int, int]:
    """One request on a fresh connection (gunicorn's sync workers close after each response)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, len(body)


def hammer(port: int, page: Page, cookie: str, clients: int, seconds: float) -> Result:
    """``clients`` threads request the page back to back for ``seconds``."""
    result = Result(load=load())
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                status, _size = get(port, page.path, cookie)
            except OSError:
                status = 0
            elapsed = time.perf_counter() - started
            with lock:
                if status == 200:
                    result.latencies.append(elapsed)
                else:
                    result.errors += 1

    started = time.monotonic()
    with ThreadPoolExecutor(clients) as pool:
        for _ in range(clients):
            pool.submit(client)
    result.seconds = time.monotonic() - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients")
    parser.add_argument("--seconds", type=float, default=10.0, help="per page")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--all-pages", action="store_true", help="also the whole-instansi trees above 20 000")
    parser.add_argument(
        "--skip-over", type=float, default=3.0, help="no load test for a page whose single request takes longer (s)"
    )
    args = parser.parse_args()
    seeded = ensure_database(args.employees)
    django_setup(args.employees)
    cookies, pages = sessions_and_pages()
    skipped = [] if args.all_pages or args.employees <= WHOLE_TREE_MAX else [p for p in pages if p.whole_tree]
    pages = [p for p in pages if p not in skipped]
    count_queries(pages, cookies)
    server = start_gunicorn(args.employees, args.port, args.workers)
    results: dict[str, Result] = {}
    try:
        wait_until_up(server, args.port)
        loaded = [p for p in pages if p.single_ms <= args.skip_over * 1000]
        for page in loaded:  # warm every worker's caches (templates, translations) before measuring
            for _ in range(args.workers):
                get(args.port, page.path, cookies.get(page.persona, ""))
        for page in loaded:
            results[page.name] = hammer(args.port, page, cookies.get(page.persona, ""), args.clients, args.seconds)
        results["trivial view (again)"] = hammer(args.port, pages[0], "", args.clients, args.seconds)
    finally:
        stop(server)
    trivial_p95 = max(percentile(results[k].latencies, 95) for k in ("trivial view", "trivial view (again)"))
    rows = []
    for page in [*pages, pages[0]]:
        name = page.name if page.name not in [r[0] for r in rows] else "trivial view (again)"
        result = results.get(name)
        common = (name, page.status, page.queries, f"{page.size / 1024:.0f}", f"{page.single_ms:.0f}")
        if result is None:
            rows.append((*common, "", "", "not loaded: single request too slow", "", "", "", "", ""))
            continue
        lat = result.latencies
        p95 = percentile(lat, 95)
        rows.append((
            *common, len(lat), result.errors,
            f"{percentile(lat, 50) * 1000:.0f}", f"{p95 * 1000:.0f}", f"{percentile(lat, 99) * 1000:.0f}",
            f"{len(lat) / result.seconds:.1f}", f"{p95 / trivial_p95:.1f}x", result.load,
        ))  # fmt: skip
    print(f"\nPages, {args.employees} employees, {args.clients} clients x {args.seconds:.0f} s per page, "
          f"gunicorn -w {args.workers}" + (f" (database seeded in {seeded:.0f} s)" if seeded else " (database reused)"))  # fmt: skip
    print(table(("page", "status", "queries", "KiB", "single ms", "ok", "errors", "p50 ms", "p95 ms", "p99 ms", "req/s",
                 "p95/trivial", "load/cores"), rows))  # fmt: skip
    for page in skipped:
        print(f"{page.name}: not measured at this size (whole tree, grows with the instansi; --all-pages)")
    print(
        "Targets: every page p95 at most 3x the trivial view's and under 150 ms at 100 000 employees;"
        " query counts independent of data size."
    )


if __name__ == "__main__":
    main()
