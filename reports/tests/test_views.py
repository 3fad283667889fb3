"""HR's period-score screen: the recompute button, its progress, and who may use it."""

import pytest
from django.urls import reverse

from appraisal.models import PeriodeEvaluasi
from appraisal.tests.factories import open_year
from reports.models import JobRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def tw1(org):
    return PeriodeEvaluasi.objects.get(periode_skp=open_year(org), jenis="TRIWULANAN", ke=1)


def test_hr_runs_the_recompute_and_watches_it_finish(as_user, org, tw1, django_capture_on_commit_callbacks):
    client = as_user(org.hr_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:scores_run"), {"periode": tw1.pk})
    run = JobRun.objects.get()
    assert response["Location"] == reverse("reports:run_detail", args=[run.pk])
    partial = client.get(reverse("reports:run_detail", args=[run.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="SELESAI"' in partial and "<html" not in partial
    assert "every 1s" not in partial  # polling stops once finished
    page = client.get(reverse("reports:scores"), {"periode": tw1.pk}).content.decode()
    assert org.seksi.nama in page  # the per-unit summary reads the results table


def test_a_running_job_keeps_polling(as_user, org, tw1):
    run = JobRun.objects.create(instansi=org.instansi, jenis="period_scores", status="BERJALAN", total=4, selesai=1)
    partial = as_user(org.hr_admin).get(reverse("reports:run_detail", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in partial.content.decode() and "25%" in partial.content.decode()


def test_staff_get_403_and_another_instansi_gets_404(as_user, org, outsider, tw1):
    run = JobRun.objects.create(instansi=org.instansi, jenis="period_scores")
    assert as_user(org.pegawai).get(reverse("reports:scores")).status_code == 403
    assert as_user(org.pegawai).post(reverse("reports:scores_run"), {"periode": tw1.pk}).status_code == 403
    assert as_user(outsider.hr_admin).get(reverse("reports:run_detail", args=[run.pk])).status_code == 404
    assert as_user(outsider.hr_admin).post(reverse("reports:scores_run"), {"periode": tw1.pk}).status_code == 404
    assert JobRun.objects.count() == 1
