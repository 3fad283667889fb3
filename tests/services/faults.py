"""Throwaway servers and workers for the fault tests (issue 9 item 5): a private Redis and a
private PostgreSQL cluster on free ports, and Celery workers as subprocesses. The tests stop,
kill and restart only these, never the machine's PostgreSQL (5432) or Redis (6379), which other
tests use at the same time."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection


def _pg_bin() -> Path:
    """The server binaries of the newest PostgreSQL installed from Debian's packages."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return versions[-1] if versions else Path("/usr/lib/postgresql/15/bin")


PG_BIN = _pg_bin()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition, *, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(interval)
    pytest.fail(f"{what} did not happen within {timeout} s")


def worker_database_url() -> str:
    """DATABASE_URL with the database replaced by this process's test database."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


class PrivateRedis:
    """redis-server on a free port, in memory only; ``stop()`` loses its data, as a crash would."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if not binary:
            pytest.fail("redis-server is not installed")
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, cwd=self.workdir, stdout=subprocess.DEVNULL)
        wait_until(self._answers, timeout=20, what=f"redis-server on port {self.port} starting")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


class Worker:
    """``celery worker`` (solo pool, queue ``celery``) as a subprocess of this test, on ``broker_url``
    and this process's test database. ``kill()`` is SIGKILL: no warm shutdown, no acknowledgement."""

    count = 0

    def __init__(self, *, broker_url: str, log: Path, env: dict[str, str] | None = None):
        Worker.count += 1
        self.log = log
        self.nodename = f"faults-{os.getpid()}-{Worker.count}@{socket.gethostname()}"
        environment = {
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_RESULT_BACKEND": broker_url,
            "DJANGO_CONN_MAX_AGE": "0",  # pytest-django must be able to drop the test database
            **(env or {}),
        }
        command = [
            sys.executable, "-m", "celery", "-A", "tests.services.faults_app", "worker", "-l", "info",
            "-P", "solo", "--without-heartbeat", "--without-gossip", "--without-mingle",
            "-Q", "celery", "-n", self.nodename,
        ]  # fmt: skip
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=environment, stdout=out, stderr=subprocess.STDOUT
            )
        wait_until(self._ready, timeout=60, what=f"the worker {self.nodename} starting:\n{self.output()}")

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"the worker exited with {self.process.returncode}:\n{self.output()}")
        return f"{self.nodename} ready." in self.log.read_text(errors="replace")

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
