"""Issue 9 item 5: "Redis down: pages and survey submissions keep working, and queued work runs
once it returns." Against a real (private) redis-server that is stopped, then started again, and
a real worker; the same story without Redis, in detail, is in ops/tests/test_outbox.py."""

import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from appraisal.models import PeriodeEvaluasi
from appraisal.tests.factories import open_year
from ops.models import OutboxMessage
from reports.models import JobRun
from sikap.celery import app
from surveys.models import Respons
from surveys.tests.factories import form_data, survey_setup

from .faults import PrivateRedis, Worker, wait_until

pytestmark = pytest.mark.services


def test_with_redis_down_pages_answer_and_the_queued_recompute_runs_once_it_is_back(
    transactional_db, org, client, tmp_path, monkeypatch, capsys, settings
):
    redis = PrivateRedis(tmp_path)
    monkeypatch.setenv("CELERY_BROKER_URL", redis.url)  # Celery reads the environment first
    # The shared cache of a multi-process deployment (CACHE_URL) on the same Redis: down too.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis.url,
                                   "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}  # fmt: skip
    assert not app.conf.task_always_eager
    tw1 = PeriodeEvaluasi.objects.get(periode_skp=open_year(org), jenis="TRIWULANAN", ke=1)
    setup = survey_setup(org.instansi)

    # Redis is down (never started): HR starts a recompute, a citizen answers the survey.
    started = time.monotonic()
    client.force_login(org.hr_admin)
    assert client.post(reverse("reports:scores_run"), {"periode": tw1.pk}).status_code == 302
    assert client.get(reverse("reports:scores")).status_code == 200
    assert client.get(reverse("reports:dashboard")).status_code == 200  # its figures cached in Redis
    client.logout()
    assert client.get(reverse("surveys_public:form", args=[setup.saluran.kode])).status_code == 200
    answer = client.post(reverse("surveys_public:form", args=[setup.saluran.kode]), form_data(setup))
    assert answer.status_code == 302 and Respons.objects.count() == 1
    assert time.monotonic() - started < 15  # no page waits out Celery's 20 s of reconnecting
    run = JobRun.objects.get()
    assert run.status == "ANTRE" and OutboxMessage.objects.filter(sent_at__isnull=True).count() == 1

    # Redis returns with a worker; the relay (beat each minute, or by hand) sends what waited.
    redis.start()
    worker = Worker(broker_url=redis.url, log=tmp_path / "worker.log")
    try:
        call_command("outbox_relay")
        assert "sent 1, pending 0" in capsys.readouterr().out
        wait_until(lambda: JobRun.objects.get(pk=run.pk).status == "SELESAI", timeout=60, what="the recompute")
    finally:
        worker.stop()
        redis.stop()
