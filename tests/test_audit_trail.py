"""Issue 9 item 6: "Every change that affects a score, predikat or survey result is in the history
with who and when." Two halves: every score-affecting model keeps a history (or, for the bulk
results table, the job that wrote it keeps an explicit event), and the main changes, made the way
a request makes them, leave a history row naming the user.

Not in the list, on purpose: JawabanUnsur (a citizen's answers, written once with their Respons
and never changed; the Respons history records the submission and every moderation) and
HasilKinerja (recomputed in bulk from the tracked models; JobRun says who ran it, when, how many rows)."""

from contextlib import contextmanager
from decimal import Decimal
from types import SimpleNamespace

import pytest
from simple_history.models import HistoricalRecords

from appraisal import models as appraisal_models
from appraisal import services_evaluasi as ev
from appraisal.models import IKI, PeriodeEvaluasi
from appraisal.tests.factories import approved_chain, approved_skp, open_year
from reports import services as reports_services
from reports.models import JobRun
from surveys import models as surveys_models
from surveys import services as surveys_services
from surveys.tests.factories import respons_with_answers, survey_setup

pytestmark = pytest.mark.django_db

SCORE_AFFECTING = [
    appraisal_models.SKP,  # the plan the score is measured against
    appraisal_models.RHK,
    appraisal_models.IKI,  # targets
    appraisal_models.SKPPerilaku,  # the expected behaviour (ekspektasi khusus)
    appraisal_models.Realisasi,  # what was achieved
    appraisal_models.Evaluasi,  # ratings and predikat
    appraisal_models.CatatanEvaluasi,  # the supervisor's feedback per RHK / behaviour
    appraisal_models.Keberatan,  # an objection can change the predikat
    appraisal_models.CapaianOrganisasi,  # bounds the distribution of predikat
    appraisal_models.DialogKinerja,  # counted in the period results
    appraisal_models.PenilaianDiri,
    appraisal_models.PenilaianDiriButir,
    surveys_models.Respons,  # counted, or not, in the IKM after moderation
    surveys_models.PertanyaanUnsur,  # the questions the IKM is computed over
]


@pytest.mark.parametrize("model", SCORE_AFFECTING, ids=lambda m: m.__name__)
def test_every_score_affecting_model_keeps_its_history_with_who_and_when(model):
    history = getattr(model, "history", None)
    assert history is not None, f"{model.__name__} has no simple-history"
    fields = {f.name for f in history.model._meta.get_fields()}
    assert {"history_user", "history_date", "history_type"} <= fields


def test_the_bulk_results_table_is_accounted_for_by_its_job_run():
    fields = {f.name for f in JobRun._meta.get_fields()}
    assert {"dibuat_oleh", "dibuat_pada", "selesai_pada", "baris", "parameter"} <= fields


@contextmanager
def request_by(user):
    """What HistoryRequestMiddleware does for every request: name the user for simple-history."""
    HistoricalRecords.context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        del HistoricalRecords.context.request


@pytest.fixture
def scored(org):
    year = open_year(org)
    tw1 = PeriodeEvaluasi.objects.get(periode_skp=year, jenis="TRIWULANAN", ke=1)
    skp = approved_skp(org.pegawai, year, parent=approved_chain(org, year)["kasi"].rhk.first())
    return SimpleNamespace(tw1=tw1, skp=skp, iki=IKI.objects.get(rhk__skp=skp))


def test_a_realisation_a_rating_and_the_predikat_are_in_the_history_with_who_and_when(org, scored):
    with request_by(org.pegawai.user):
        realisasi = ev.realisasi_save(
            iki=scored.iki, periode=scored.tw1, nilai=Decimal("9"), uraian="", by=org.pegawai.user
        )
    with request_by(org.penilai.user):
        evaluasi = ev.evaluasi_open(skp=scored.skp, periode=scored.tw1, by=org.penilai.user)
        ev.evaluasi_save(
            evaluasi=evaluasi, versi=evaluasi.versi, by=org.penilai.user,
            rating_hasil_kerja="DI_ATAS", rating_perilaku_kerja="SESUAI",
        )  # fmt: skip

    entry = realisasi.history.latest()
    assert (entry.nilai, entry.history_user, entry.history_date is not None) == (Decimal("9"), org.pegawai.user, True)
    entry = evaluasi.history.latest()
    assert (entry.rating_hasil_kerja, entry.predikat, entry.history_user) == ("DI_ATAS", "BAIK", org.penilai.user)
    assert entry.history_date is not None


def test_a_survey_moderation_is_in_the_history_with_the_moderator(org):
    setup = survey_setup(org.instansi)
    respons = respons_with_answers(setup.unit_layanan, 1, status="DITANDAI", tanda=[surveys_services.TANDA_HONEYPOT])
    with request_by(org.hr_admin):
        surveys_services.respons_moderate(
            respons_ids=[respons.pk], accept=False, by=org.hr_admin, instansi=org.instansi
        )
    entry = respons.history.latest()
    assert (entry.status, entry.history_user, entry.history_type) == ("DITOLAK", org.hr_admin, "~")


def test_a_recompute_of_the_results_names_who_started_it_when_and_how_many_rows(
    org, scored, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = reports_services.scores_run_start(instansi=org.instansi, periode_evaluasi=scored.tw1, by=org.hr_admin)
    run.refresh_from_db()
    assert (run.dibuat_oleh, run.status) == (org.hr_admin, "SELESAI")
    assert run.dibuat_pada and run.selesai_pada and run.baris > 0
