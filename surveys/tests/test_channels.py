"""The public questionnaire's cache (surveys.channels): a citizen's page costs no query once warm,
and what HR changes shows at once."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from surveys import channels
from surveys.models import PertanyaanUnsur, Respons
from surveys.tests.factories import JenisLayananFactory, PeriodeSurveiFactory, form_data, survey_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(org):
    return survey_setup(org.instansi)


def form_url(saluran) -> str:
    return reverse("surveys_public:form", args=[saluran.kode])


def test_a_warm_page_reads_nothing_and_a_wrong_code_is_remembered_too(client, setup, django_assert_num_queries):
    client.get(form_url(setup.saluran))
    with django_assert_num_queries(0):
        page = client.get(form_url(setup.saluran))
    assert "Pemeriksaan umum" in page.content.decode()
    assert client.get("/s/tidakada/").status_code == 404
    with django_assert_num_queries(0):
        assert client.get("/s/tidakada/").status_code == 404


def test_what_hr_changes_shows_at_once(client, setup):
    client.get(form_url(setup.saluran))
    JenisLayananFactory(unit_layanan=setup.unit_layanan, nama="Cek gula darah")
    question = PertanyaanUnsur.objects.get(unit_layanan=setup.unit_layanan, unsur="U2")
    question.teks = "Bagaimana kecepatan pelayanan di loket kami?"
    question.save()
    page = client.get(form_url(setup.saluran)).content.decode()
    assert "Cek gula darah" in page
    assert "Bagaimana kecepatan pelayanan di loket kami?" in page

    setup.saluran.aktif = False
    setup.saluran.save()
    assert client.get(form_url(setup.saluran)).status_code == 404

    setup.saluran.aktif = True
    setup.saluran.save()
    setup.unit_layanan.aktif = False
    setup.unit_layanan.save()
    assert client.get(form_url(setup.saluran)).status_code == 404


def test_a_new_period_takes_the_next_answers_at_once(client, setup):
    today = timezone.localdate()
    assert channels.periode_on(setup.unit_layanan.pk, today) == setup.periode.pk
    newer = PeriodeSurveiFactory(
        unit_layanan=setup.unit_layanan, mulai=today - datetime.timedelta(days=1), selesai=today, label="Khusus"
    )
    assert channels.periode_on(setup.unit_layanan.pk, today) == newer.pk  # the latest to start wins
    client.get(form_url(setup.saluran))
    client.post(form_url(setup.saluran), form_data(setup))
    assert Respons.objects.get().periode_id == newer.pk
    assert channels.periode_on(setup.unit_layanan.pk, today + datetime.timedelta(days=400)) is None


def test_with_the_cache_off_every_page_reads_the_database(client, setup, settings, django_assert_num_queries):
    settings.SURVEY_CHANNEL_CACHE_SECONDS = 0
    client.get(form_url(setup.saluran))
    with django_assert_num_queries(3):
        client.get(form_url(setup.saluran))


def test_a_broken_cache_costs_queries_not_answers(client, setup, monkeypatch, django_assert_num_queries):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(caches["local"], "get_or_set", broken)
    monkeypatch.setattr(caches["local"], "incr", broken)
    with django_assert_num_queries(3):
        assert client.get(form_url(setup.saluran)).status_code == 200
    response = client.post(form_url(setup.saluran), form_data(setup))
    assert response.status_code == 302
    assert Respons.objects.count() == 1
    JenisLayananFactory(unit_layanan=setup.unit_layanan, nama="Cek gula darah")  # the signal copes too
