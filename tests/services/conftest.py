"""A real Celery worker for the tests marked ``services``.

The worker is a subprocess (``celery -A sikap worker``) pointed at this pytest process's
test database and at the same broker, so it sees only committed data: use it from tests
with ``transactional_db``. Under pytest-xdist each pytest worker has its own test database
(test_sikap_gw0 …), and here its own Celery queue and node name, so two pytest workers'
Celery workers never take each other's tasks. Dispatch with
``task.apply_async(args, queue=celery_worker.queue)``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from sikap.celery import app as celery_app

STARTUP_TIMEOUT = 60  # seconds; a cold start on a 2-core CI machine takes ~3 s


@dataclass
class CeleryWorker:
    queue: str
    nodename: str
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def _unavailable(reason: str):
    if os.environ.get("SIKAP_REQUIRE_SERVICES") == "1":
        pytest.fail(f"SIKAP_REQUIRE_SERVICES=1, but {reason}", pytrace=False)
    pytest.skip(reason)


def _check_services() -> None:
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        _unavailable("the Celery worker tests need DATABASE_URL=postgres://…")
    if not settings.CELERY_BROKER_URL:
        _unavailable("the Celery worker tests need CELERY_BROKER_URL=redis://…")
    if settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.fail("CELERY_TASK_ALWAYS_EAGER is on: tasks would never reach the worker", pytrace=False)
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=2, interval_start=0.5, timeout=3)
    except Exception as exc:  # kombu raises OperationalError, redis-py its own ConnectionError
        _unavailable(f"the broker {settings.CELERY_BROKER_URL} does not answer: {exc}")


def _test_database_url() -> str:
    """DATABASE_URL with the database replaced by this process's test database."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def _wait_until_ready(worker: CeleryWorker) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            pytest.fail(f"the Celery worker exited with {worker.process.returncode}:\n{worker.output()}")
        if celery_app.control.ping(destination=[worker.nodename], timeout=1.0):
            return
    pytest.fail(f"the Celery worker did not answer a ping within {STARTUP_TIMEOUT} s:\n{worker.output()}")


def _stop(worker: CeleryWorker) -> None:
    worker.process.terminate()  # SIGTERM: warm shutdown, the current task finishes
    try:
        worker.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.process.kill()
        worker.process.wait()


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, tmp_path_factory) -> Iterator[CeleryWorker]:
    """A real worker consuming its own queue, for the whole session of this pytest (xdist) worker.

    Depends on ``django_db_setup`` so that the test database exists and
    ``connection.settings_dict["NAME"]`` already names it when the worker starts."""
    _check_services()
    # One queue per xdist worker, so another xdist worker's Celery worker never takes its tasks.
    queue = f"sikap-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge(queue)  # tasks left over by an interrupted run
    nodename = f"{queue}@{socket.gethostname()}"
    log = tmp_path_factory.mktemp("celery") / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND or settings.CELERY_BROKER_URL,
        # No persistent connection: pytest-django drops the test database at the end,
        # which PostgreSQL refuses while another session is connected to it.
        "DJANGO_CONN_MAX_AGE": "0",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "sikap", "worker",
        "-l", "warning", "-P", "solo", "--without-heartbeat", "--without-gossip", "--without-mingle",
        "-Q", queue, "-n", nodename,
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)
    worker = CeleryWorker(queue=queue, nodename=nodename, process=process, log=log)
    try:
        _wait_until_ready(worker)
        yield worker
    finally:
        _stop(worker)
