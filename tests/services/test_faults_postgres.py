"""Issue 9 item 5: "A PostgreSQL restart: the application recovers without restarting."

A private PostgreSQL cluster (initdb on a free port, never the machine's own server) holds a copy
of the schema; gunicorn serves SIKAP from it with one single-threaded worker and persistent
connections (CONN_MAX_AGE), so the second request reuses the connection the restart broke.
CONN_HEALTH_CHECKS makes Django notice the dead connection and open a new one instead of
answering 500."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from .faults import PG_BIN, free_port, wait_until

pytestmark = pytest.mark.services


class PrivateCluster:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="sikap-pg-"))
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/sikap"
        shutil.chown(self.dir, "postgres", "postgres")

    def _as_postgres(self, *command: str) -> None:
        # initdb and the server refuse to run as root.
        subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True, timeout=120)

    def create(self) -> None:
        self._as_postgres(str(PG_BIN / "initdb"), "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres",
                          "--no-sync")  # fmt: skip
        self.start()
        self._as_postgres(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "sikap")

    def pg_ctl(self, action: str) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-o", options,
                          "-l", str(self.dir / "server.log"), "-m", "fast", "-w", action)  # fmt: skip

    def start(self) -> None:
        self.pg_ctl("start")

    def restart(self) -> None:
        self.pg_ctl("restart")

    def destroy(self) -> None:
        try:
            self.pg_ctl("stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def cluster(db):
    """A private cluster with SIKAP's schema, copied from this test database."""
    cluster = PrivateCluster()
    cluster.create()
    try:
        source = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path="/" + connection.settings_dict["NAME"]))
        schema = subprocess.run(["pg_dump", "--schema-only", "--no-owner", source], check=True, capture_output=True)
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", cluster.url], input=schema.stdout, check=True,
                       capture_output=True)  # fmt: skip
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def server(cluster, tmp_path):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": cluster.url, "DJANGO_CONN_MAX_AGE": "600", "DJANGO_DEBUG": "1"}
    log = (tmp_path / "gunicorn.log").open("wb")
    command = [sys.executable, "-m", "gunicorn", "sikap.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--threads", "1"]
    process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def up():
        try:
            return urllib.request.urlopen(base + "/masuk/", timeout=2).status == 200
        except OSError:
            return False

    try:
        wait_until(up, timeout=60, what="gunicorn starting", interval=0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def failed_login(base: str) -> int:
    """A login attempt with a wrong password: reads the user and django-axes tables. Returns the status."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(base + "/masuk/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "199001012020011001", "password": "x"})
    try:
        return opener.open(base + "/masuk/", data=data.encode(), timeout=30).status
    except urllib.error.HTTPError as exc:
        return exc.code


def backends(cluster) -> int:
    conn = psycopg2.connect(cluster.url)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = 'sikap' AND pid <> pg_backend_pid()")
            return cursor.fetchone()[0]
    finally:
        conn.close()


def test_the_application_answers_again_after_a_postgresql_restart_without_being_restarted(cluster, server):
    assert failed_login(server) == 200
    assert backends(cluster) == 1  # the worker kept its connection open: the restart will break it

    cluster.restart()

    assert failed_login(server) == 200
    assert backends(cluster) == 1
