"""The benchmark workload (seed_demo --workload) is complete, consistent, and written in a fixed
number of queries whatever the number of employees."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext

from accounts import demo as accounts_demo
from accounts.models import Instansi, Pegawai
from appraisal import rules
from appraisal.demo import demo_reset_appraisal
from appraisal.demo_bulk import IKI_PER_RHK, RATERS_360, RHK_PER_SKP, seed_workload
from appraisal.models import IKI, RHK, SKP, CoreValue, Evaluasi, Jawaban360, PeriodeEvaluasi, Realisasi
from surveys.demo import demo_reset_surveys
from surveys.demo_bulk import seed_skm_workload
from surveys.models import JawabanUnsur, Respons

pytestmark = pytest.mark.django_db


def _seed(employees: int) -> int:
    """Organisation (accounts.demo) then the workload; returns the workload's query count."""
    accounts_demo.seed_demo(employees=employees)
    with CaptureQueriesContext(connection) as queries:
        for instansi in Instansi.objects.order_by("pk"):
            seed_workload(instansi=instansi)
            seed_skm_workload(instansi=instansi)
    return len(queries)


@pytest.fixture
def workload():
    _seed(200)


def _active():
    return Pegawai.objects.filter(status="AKTIF", jabatan__isnull=False)


def test_every_active_employee_has_one_approved_skp_of_five_rhk_with_two_iki(workload):
    assert SKP.objects.count() == _active().count() > 150
    assert set(SKP.objects.values_list("status", flat=True)) == {"DISETUJUI"}
    assert not _active().exclude(skp__status="DISETUJUI").exists()
    rhk_per_skp = set(SKP.objects.annotate(n=Count("rhk")).values_list("n", flat=True))
    iki_per_rhk = set(RHK.objects.annotate(n=Count("iki")).values_list("n", flat=True))
    assert (rhk_per_skp, iki_per_rhk) == ({RHK_PER_SKP}, {IKI_PER_RHK})


def test_rhk_intervene_the_rhk_of_the_supervisors_skp(workload):
    cascaded = RHK.objects.exclude(skp__pejabat_penilai=None)
    assert cascaded.filter(rhk_atasan__isnull=False).count() == cascaded.count() > 0
    assert not cascaded.exclude(rhk_atasan__skp__pegawai_id=F("skp__pejabat_penilai_id")).exists()
    assert not RHK.objects.filter(skp__pejabat_penilai=None, rhk_atasan__isnull=False).exists()


def test_every_iki_has_a_realisation_in_every_period(workload):
    periods = PeriodeEvaluasi.objects.filter(periode_skp__instansi__kode="kota-dumai").count()
    assert periods == 5  # four quarters and the year
    assert Realisasi.objects.count() == IKI.objects.count() * periods
    assert set(IKI.objects.annotate(n=Count("realisasi")).values_list("n", flat=True)) == {periods}
    assert not Realisasi.objects.filter(nilai__isnull=True).exists()


def test_every_skp_has_a_final_evaluation_per_period_with_the_predikat_of_its_ratings(workload):
    assert Evaluasi.objects.filter(status="FINAL").count() == SKP.objects.count() * 5
    combos = set(Evaluasi.objects.values_list("rating_hasil_kerja", "rating_perilaku_kerja", "predikat"))
    assert len(combos) > 3  # a mix, not one answer for everyone
    for hasil, perilaku, predikat in combos:
        assert predikat == rules.predikat(hasil, perilaku)


def test_360_answers_and_skm_responses_are_written(workload):
    assert Jawaban360.objects.count() == SKP.objects.count() * CoreValue.objects.count() * RATERS_360
    responses = Respons.objects.count()
    assert responses >= Pegawai.objects.count() // 2
    assert JawabanUnsur.objects.count() == responses * 9
    assert Respons.objects.values("diisi_pada__date").distinct().count() > 1 or responses < 2


def test_the_workload_takes_the_same_number_of_queries_at_50_and_200_employees():
    small = _seed(50)
    ids = accounts_demo.demo_instansi_ids()
    demo_reset_surveys(ids)
    demo_reset_appraisal(ids)
    accounts_demo.demo_reset()
    large = _seed(200)
    # Per instansi: a dozen reads and writes, one INSERT per table and one UPDATE per day of the
    # quarter; only the SKP and response chunks of 2000 rows could add one, not at these sizes.
    assert abs(large - small) <= 2, (small, large)


def test_seed_demo_workload_flag_leaves_the_small_demo_alone():
    call_command("seed_demo", "--employees", "60", "--workload", stdout=io.StringIO())
    assert SKP.objects.count() == _active().count()
