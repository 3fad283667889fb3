"""The demo gives HR something to look at in SKM: service units with responses, some to moderate."""

import io

import pytest
from django.core.management import call_command

from surveys.models import Respons, UnitLayanan
from surveys.selectors import periode_results

pytestmark = pytest.mark.django_db


def test_the_demo_has_service_units_with_results_and_flagged_responses():
    call_command("seed_demo", "--employees", "200", stdout=io.StringIO())
    assert UnitLayanan.objects.count() >= 2
    layanan = UnitLayanan.objects.first()
    result = periode_results(periode=layanan.periode.get())
    assert result.skor is not None and 25 <= result.skor.ikm <= 100
    assert Respons.objects.filter(status="DITANDAI").exists()
    call_command("seed_demo", "--employees", "200", "--reset", stdout=io.StringIO())
    assert UnitLayanan.objects.count() >= 2  # rebuilt, not duplicated or blocked
