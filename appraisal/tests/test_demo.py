"""The demo SKP data is a believable, consistent planning state."""

import io

import pytest
from django.core.management import call_command

from accounts.demo import demo_logins
from accounts.models import User
from appraisal import services
from appraisal.models import RHK, SKP, PeriodeSKP

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", "--employees", "600", stdout=io.StringIO())
    return {lg.role + lg.instansi: User.objects.get(username=lg.username) for lg in demo_logins()}


def test_each_demo_instansi_has_an_open_year_and_planted_skp(seeded):
    assert PeriodeSKP.objects.count() == 2
    assert set(SKP.objects.values_list("status", flat=True)) >= {"DRAFT", "DIAJUKAN", "DISETUJUI"}


def test_every_cascaded_rhk_intervenes_the_supervisors_approved_skp(seeded):
    for skp in SKP.objects.exclude(pejabat_penilai=None).select_related("periode"):
        allowed = set(services.supervisor_rhk_choices(skp=skp).values_list("pk", flat=True))
        parents = set(RHK.objects.filter(skp=skp).values_list("rhk_atasan_id", flat=True))
        assert parents <= allowed, skp


def test_the_demo_pegawai_can_still_plan_and_the_supervisor_has_work(seeded):
    for key, user in seeded.items():
        if user.pegawai is None:
            continue
        if key.startswith("pegawai"):
            assert not SKP.objects.filter(pegawai=user.pegawai).exists()
        others = user.pegawai.bawahan_dinilai.exclude(user__username__in=[u.username for u in seeded.values()])
        if key.startswith("supervisor") and others.exists():
            assert SKP.objects.filter(pejabat_penilai=user.pegawai, status="DIAJUKAN").exists()


def test_reset_removes_the_appraisal_data_and_rebuilds_it(seeded):
    before = SKP.objects.count()
    call_command("seed_demo", "--employees", "600", "--reset", stdout=io.StringIO())
    assert SKP.objects.count() == before


def test_the_demo_shows_realisations_imported_from_a_file_with_their_provenance(seeded):
    from appraisal.models import ImporRealisasi, Realisasi

    imports = ImporRealisasi.objects.filter(status="DITERAPKAN")
    assert imports.count() == 2  # one per demo instansi, through the real dry-run and apply
    sourced = Realisasi.objects.filter(sumber="BERKAS", impor__in=imports).select_related("iki")
    assert sourced.count() == sum(i.jumlah_baris for i in imports) > 0
    assert all(r.iki.sumber == "BERKAS" and r.iki.katalog.kode == "pasien-dilayani" for r in sourced)
    call_command("seed_demo", stdout=io.StringIO())  # idempotent: a second run imports nothing more
    assert ImporRealisasi.objects.count() == 2
