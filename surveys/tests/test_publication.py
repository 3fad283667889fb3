"""Rules §6.1: the IKM is published. HR chooses which periods appear on the unit's public page."""

import pytest
from django.test import Client
from django.urls import reverse

from surveys.tests.factories import respons_with_answers, survey_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(org):
    setup = survey_setup(org.instansi)
    for _ in range(3):
        respons_with_answers(setup.unit_layanan, nilai=4)
    return setup


def public_page(setup) -> str:
    return Client().get(reverse("surveys_public:results", args=[setup.saluran.kode])).content.decode()


def test_nothing_is_public_until_hr_publishes_it(as_user, org, setup):
    assert "Belum ada hasil survei yang dipublikasikan" in public_page(setup)
    response = as_user(org.hr_admin).post(
        reverse("surveys:periode_publish", args=[setup.periode.pk]), {"published": "1"}
    )
    assert response.status_code == 302
    page = public_page(setup)
    assert "100,00" in page and "Mutu A" in page and setup.periode.label in page


def test_hr_can_take_results_off_the_public_page(as_user, org, setup):
    client = as_user(org.hr_admin)
    client.post(reverse("surveys:periode_publish", args=[setup.periode.pk]), {"published": "1"})
    client.post(reverse("surveys:periode_publish", args=[setup.periode.pk]), {"published": "0"})
    assert "Belum ada hasil survei yang dipublikasikan" in public_page(setup)


def test_only_the_instansis_hr_admin_publishes(as_user, org, outsider, setup):
    url = reverse("surveys:periode_publish", args=[setup.periode.pk])
    assert as_user(org.pegawai).post(url, {"published": "1"}).status_code == 403
    assert as_user(outsider.hr_admin).post(url, {"published": "1"}).status_code == 404
    assert Client().post(url, {"published": "1"}).status_code == 302  # to the login page
    setup.periode.refresh_from_db()
    assert not setup.periode.dipublikasikan


def test_an_unknown_code_has_no_results_page():
    assert Client().get(reverse("surveys_public:results", args=["tidakada"])).status_code == 404
