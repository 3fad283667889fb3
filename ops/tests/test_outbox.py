"""The task outbox (issue 9 item 5): with Redis down a page that queues work still answers
quickly, the work is kept, and it leaves once the broker is back. Runs without Redis: a closed
port plays the absent broker and kombu's in-memory transport the returning one. The same story
against a real Redis server that is stopped and restarted is in tests/services/test_faults_redis.py."""

import time
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from appraisal.models import PeriodeEvaluasi
from appraisal.tests.factories import open_year
from ops import outbox
from ops.models import OutboxMessage
from ops.tasks import outbox_relay_task
from reports.models import JobRun
from reports.tasks import pegawai_scores_task
from sikap.celery import app
from surveys.models import Respons
from surveys.tests.factories import form_data, survey_setup

pytestmark = pytest.mark.django_db

DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1: every connection is refused


@pytest.fixture
def broker(monkeypatch):
    """Point Celery at a broker URL (the environment wins over settings in Celery) and stop
    running tasks in-process; the root conftest restores eager mode after the test."""

    def use(url: str) -> None:
        monkeypatch.setenv("CELERY_BROKER_URL", url)
        app.conf.task_always_eager = False

    return use


def memory_queue_messages(queue: str = "celery") -> list[dict]:
    """The messages waiting in kombu's in-memory broker, as (task name, task id, args)."""
    found = []
    with app.connection_for_read("memory://") as conn:
        simple = conn.SimpleQueue(queue)
        while True:
            try:
                message = simple.get(block=False)
            except simple.Empty:
                break
            found.append({"task": message.headers["task"], "id": message.headers["id"], "args": message.payload[0]})
            message.ack()
        simple.close()
    return found


def test_a_task_queued_while_redis_is_down_is_kept_and_the_caller_does_not_wait(
    broker, django_capture_on_commit_callbacks
):
    broker(DOWN)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        outbox.send_on_commit(pegawai_scores_task, 11, 22)
    assert time.monotonic() - started < outbox.CONNECT_TIMEOUT + 1  # Celery's own retries take ~20 s

    message = OutboxMessage.objects.get()
    assert (message.task, message.args, message.sent_at) == ("reports.tasks.pegawai_scores_task", [11, 22], None)
    assert message.attempts == 1 and "Connection refused" in message.last_error


def test_the_relay_sends_what_was_kept_once_the_broker_is_back_and_only_once(
    broker, django_capture_on_commit_callbacks
):
    broker(DOWN)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.send_on_commit(pegawai_scores_task, 11, 22)
    assert outbox.relay() == 0  # still down: still pending

    broker("memory://")
    memory_queue_messages()  # start from an empty in-memory queue
    assert outbox.relay() == 1
    message = OutboxMessage.objects.get()
    assert message.sent_at is not None and message.attempts == 3 and message.last_error == ""
    assert memory_queue_messages() == [
        {"task": "reports.tasks.pegawai_scores_task", "id": str(message.task_id), "args": [11, 22]}
    ]
    assert outbox.relay() == 0 and memory_queue_messages() == []


def test_with_the_broker_up_the_task_leaves_on_commit(broker, django_capture_on_commit_callbacks):
    broker("memory://")
    memory_queue_messages()
    with django_capture_on_commit_callbacks() as callbacks:
        outbox.send_on_commit(pegawai_scores_task, 5, 6)
    assert memory_queue_messages() == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert [m["args"] for m in memory_queue_messages()] == [[5, 6]]
    assert OutboxMessage.objects.get().sent_at is not None


def test_without_a_broker_tasks_run_in_process_and_no_row_is_written(django_capture_on_commit_callbacks):
    assert app.conf.task_always_eager  # development and the fast suite
    with mock.patch.object(outbox, "relay", return_value=0) as relay:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            outbox.send_on_commit(outbox_relay_task)
            relay.assert_not_called()  # not before the commit
        relay.assert_called_once_with()  # the task ran here, on commit
    assert len(callbacks) == 1 and not OutboxMessage.objects.exists()


def test_the_hr_recompute_page_answers_while_redis_is_down_and_the_run_waits(
    broker, as_user, org, django_capture_on_commit_callbacks
):
    tw1 = PeriodeEvaluasi.objects.get(periode_skp=open_year(org), jenis="TRIWULANAN", ke=1)
    broker(DOWN)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(org.hr_admin).post(reverse("reports:scores_run"), {"periode": tw1.pk})
    run = JobRun.objects.get()
    assert response.status_code == 302 and run.status == "ANTRE"
    assert OutboxMessage.objects.get(sent_at__isnull=True).args == [run.pk]


def test_a_survey_answer_is_saved_while_redis_is_down(broker, client, org, django_capture_on_commit_callbacks):
    setup = survey_setup(org.instansi)
    broker(DOWN)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("surveys_public:form", args=[setup.saluran.kode]), form_data(setup), REMOTE_ADDR="203.0.113.9"
        )
    assert response.status_code == 302 and Respons.objects.count() == 1


def test_the_relay_command_reports_what_is_left_and_fails_while_the_broker_is_down(broker, capsys):
    broker(DOWN)
    OutboxMessage.objects.create(task=pegawai_scores_task.name, args=[1, 2])
    with pytest.raises(SystemExit):
        call_command("outbox_relay")
    assert "sent 0, pending 1" in capsys.readouterr().out
    broker("memory://")
    call_command("outbox_relay")
    assert "sent 1, pending 0" in capsys.readouterr().out
    memory_queue_messages()


def test_sent_messages_are_forgotten_after_a_week_and_pending_ones_never():
    old = timezone.now() - outbox.KEEP_SENT - timezone.timedelta(minutes=1)
    OutboxMessage.objects.create(task="t", sent_at=old)
    OutboxMessage.objects.create(task="t", sent_at=timezone.now())
    pending = OutboxMessage.objects.create(task="t")
    OutboxMessage.objects.filter(pk=pending.pk).update(created_at=old)
    assert outbox.purge_sent() == 1
    assert OutboxMessage.objects.count() == 2


def test_the_relay_runs_every_minute():
    entry = app.conf.beat_schedule["outbox-relay"]
    assert entry["task"] == outbox_relay_task.name and entry["schedule"] == 60.0
