"""Every change to an SKP, its RHK and IKI is kept with who and when (issue: SKP audit)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from appraisal import services
from appraisal.models import IKI, RHK
from appraisal.tests.factories import approved_chain, open_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def skp(org):
    year = open_year(org)
    chain = approved_chain(org, year)
    skp = services.skp_create(pegawai=org.pegawai, periode=year, by=org.pegawai.user)
    return skp, chain["kasi"].rhk.order_by("pk").first()


def _edit_as(user, fn):
    """Run a service inside a request-like context so simple-history records the user."""
    from simple_history.models import HistoricalRecords

    class _Request:
        pass

    request = _Request()
    request.user = user
    HistoricalRecords.context.request = request
    try:
        return fn()
    finally:
        del HistoricalRecords.context.request


def test_hr_admin_sees_who_changed_a_target_and_from_what_to_what(as_user, org, skp):
    skp, parent = skp
    user = org.pegawai.user
    rhk = _edit_as(
        user, lambda: services.rhk_save(rhk=RHK(skp=skp, uraian="Berkas rujukan", rhk_atasan=parent), by=user)
    )
    iki = IKI(rhk=rhk, uraian="Jumlah berkas", target_min=Decimal("100"), satuan="berkas")
    _edit_as(user, lambda: services.iki_save(iki=iki, by=user))
    iki.target_min = Decimal("150")
    _edit_as(user, lambda: services.iki_save(iki=iki, by=user))
    _edit_as(user, lambda: services.iki_delete(iki=iki, by=user))

    response = as_user(org.hr_admin).get(reverse("appraisal:skp_history", args=[skp.pk]))
    changes = list(response.context["page"].object_list)
    iki_changes = [c for c in changes if c.objek == "IKI"]
    assert [c.jenis for c in iki_changes] == ["-", "~", "+"]
    changed = iki_changes[1]
    assert changed.oleh == org.pegawai.nama_lengkap
    assert changed.perubahan == [("target (batas bawah)", Decimal("100.00"), Decimal("150.00"))]


def test_history_is_refused_outside_reach(as_user, org, outsider, skp):
    skp, _ = skp
    url = reverse("appraisal:skp_history", args=[skp.pk])
    assert as_user(outsider.hr_admin).get(url).status_code == 404
    assert as_user(org.colleague).get(url).status_code == 404


@pytest.mark.parametrize("edits", [1, 12])
def test_history_query_count_is_constant(as_user, org, skp, edits, django_assert_max_num_queries):
    skp, parent = skp
    user = org.pegawai.user
    for n in range(edits):
        services.rhk_save(rhk=RHK(skp=skp, uraian=f"RHK {n}", rhk_atasan=parent), by=user)
    client = as_user(org.hr_admin)
    # session, user, skp; five history tables; the users who made changes
    with django_assert_max_num_queries(10):
        client.get(reverse("appraisal:skp_history", args=[skp.pk]))
