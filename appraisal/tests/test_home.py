"""The home pages tell each person what to do next about their SKP."""

import pytest
from django.urls import reverse

from appraisal import services
from appraisal.tests.factories import add_rhk, approved_chain, open_year

pytestmark = pytest.mark.django_db


def test_before_hr_opens_a_year_the_home_says_so(as_user, org):
    page = as_user(org.pegawai).get(reverse("accounts:home")).content.decode()
    assert "Periode SKP belum dibuka" in page


def test_an_employee_without_an_skp_is_invited_to_plan_it(as_user, org):
    open_year(org)
    page = as_user(org.pegawai).get(reverse("accounts:home")).content.decode()
    assert "Anda belum menyusun SKP 2026" in page
    assert reverse("appraisal:my_skp") in page


def test_a_supervisor_sees_how_many_skp_wait_for_them(as_user, org):
    year = open_year(org)
    chain = approved_chain(org, year)
    for person in (org.pegawai, org.colleague):
        skp = services.skp_create(pegawai=person, periode=year, by=person.user)
        add_rhk(skp, "Berkas rujukan", parent=chain["kasi"].rhk.first())
        services.skp_submit(skp=skp, by=person.user)
    page = as_user(org.penilai).get(reverse("accounts:home")).content.decode()
    assert 'data-pending="2"' in page
    assert 'data-skp-status="DISETUJUI"' in page  # the kepala seksi's own SKP


@pytest.mark.parametrize("extra", [0, 8])
def test_supervisor_home_query_count_is_constant(as_user, org, extra, django_assert_max_num_queries):
    from accounts.tests.factories import pegawai_in_post, refresh

    for _ in range(extra):
        pegawai_in_post(org.jabatan.staff, login=False)
    refresh(org.instansi)
    open_year(org)
    client = as_user(org.penilai)
    # session, user, is_supervisor, pegawai, history, superiors, periode, own SKP, team counts, team list
    with django_assert_max_num_queries(12):
        client.get(reverse("accounts:home"))
