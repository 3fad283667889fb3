import pytest

from talenta.demo import demo_reset_talenta, seed_talenta_demo
from talenta.models import JadwalPelatihan, PenilaianKompetensi, StandarKompetensi

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_once_and_resets(org):
    first = seed_talenta_demo(instansi=org.instansi)
    assert first["pelatihan"] == 5 and first["standar"] == 6 * 9 and first["penilaian"] == 7 * 9
    assert seed_talenta_demo(instansi=org.instansi)["pelatihan"] == 0
    assert JadwalPelatihan.objects.filter(instansi=org.instansi).count() == 2
    demo_reset_talenta([org.instansi.pk])
    assert not StandarKompetensi.objects.exists() and not PenilaianKompetensi.objects.exists()
