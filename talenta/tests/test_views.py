"""The talent screens: who may see what, the grid, the lists, the export and the run button."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.tests.factories import pegawai_in_post, refresh
from talenta import services
from talenta.models import Rekomendasi, TalentaBox

from .helpers import assess, final

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(talent_org):
    services.talenta_compute(instansi_id=talent_org.org.instansi.pk, tahun=2026)
    return talent_org.org


HR_URLS = ["talenta:grid", "talenta:rekomendasi", "talenta:rekomendasi_export"]


@pytest.mark.parametrize("name", HR_URLS)
def test_a_pegawai_gets_403_on_hr_screens(computed, as_user, name):
    assert as_user(computed.pegawai).get(reverse(name)).status_code == 403


def test_a_pegawai_cannot_start_the_job(computed, as_user):
    assert as_user(computed.pegawai).post(reverse("talenta:hitung"), {"tahun": 2026}).status_code == 403


@pytest.mark.parametrize("name", HR_URLS)
def test_another_instansis_unit_is_404(computed, outsider, as_user, name):
    response = as_user(outsider.hr_admin).get(reverse(name), {"tahun": 2026, "unit": computed.seksi.pk})
    assert response.status_code == 404


def test_the_outsiders_grid_shows_none_of_our_people(computed, outsider, as_user):
    response = as_user(outsider.hr_admin).get(reverse("talenta:grid"), {"tahun": 2026, "kotak": 9})
    assert response.context["grid"]["total"] == 0
    assert computed.pegawai.nama not in response.content.decode()


def counts(response):
    return {cell["kotak"]: cell["jumlah"] for row in response.context["grid"]["rows"] for cell in row["cells"]}


def test_the_grid_counts_each_box_and_lists_its_people(computed, as_user):
    response = as_user(computed.hr_admin).get(reverse("talenta:grid"), {"tahun": 2026, "kotak": 9})
    assert response.status_code == 200
    assert counts(response) == {4: 0, 7: 0, 9: 2, 2: 1, 5: 0, 8: 1, 1: 0, 3: 1, 6: 0}
    assert response.context["grid"]["tidak_terpetakan"] == 3
    html = response.content.decode()
    assert computed.pegawai.nama in html and computed.fungsional.nama in html
    assert computed.colleague.nama not in html
    assert "Dipromosikan dan dipertahankan" in html  # the box's standard recommendation


def test_the_grid_filters_by_unit_subtree(computed, as_user):
    client = as_user(computed.hr_admin)
    assert counts(client.get(reverse("talenta:grid"), {"tahun": 2026, "unit": computed.other_seksi.pk}))[3] == 1
    in_seksi = counts(client.get(reverse("talenta:grid"), {"tahun": 2026, "unit": computed.seksi.pk}))
    assert (in_seksi[9], in_seksi[3], in_seksi[8]) == (2, 0, 0)
    in_bidang = counts(client.get(reverse("talenta:grid"), {"tahun": 2026, "unit": computed.bidang.pk}))
    assert (in_bidang[9], in_bidang[3], in_bidang[8]) == (2, 1, 1)  # the kabid sits in the bidang itself


def test_the_recommendation_list_filters_by_jenis_and_shows_reasons(computed, as_user):
    response = as_user(computed.hr_admin).get(reverse("talenta:rekomendasi"), {"tahun": 2026, "jenis": "PELATIHAN"})
    rows = list(response.context["page"])
    assert {r.jenis for r in rows} == {"PELATIHAN"}
    assert {r.pegawai_id for r in rows} == {computed.colleague.pk, computed.other_staff.pk}
    assert "Kerjasama (level 1 dari standar 2" in response.content.decode()


def test_the_export_opens_with_openpyxl_and_follows_the_filters(computed, as_user):
    response = as_user(computed.hr_admin).get(
        reverse("talenta:rekomendasi_export"), {"tahun": 2026, "unit": computed.seksi.pk}
    )
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Tahun", "NIP", "Nama", "Unit kerja", "Jenis rekomendasi", "Alasan")
    expected = Rekomendasi.objects.filter(unit=computed.seksi).count()
    assert len(rows) - 1 == expected > 0
    assert computed.other_staff.nip not in {r[1] for r in rows}


def test_hitung_sekarang_runs_the_job_and_redirects_back(talent_org, as_user, django_capture_on_commit_callbacks):
    org = talent_org.org
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(org.hr_admin).post(reverse("talenta:hitung"), {"tahun": 2026, "kembali": "rekomendasi"})
    assert response.status_code == 302
    assert response["Location"] == reverse("talenta:rekomendasi") + "?tahun=2026"
    assert TalentaBox.objects.filter(instansi=org.instansi, tahun=2026).count() == 8


def test_a_supervisor_sees_only_their_team(computed, as_user):
    response = as_user(computed.penilai).get(reverse("talenta:tim"), {"tahun": 2026})
    assert response.status_code == 200
    seen = {r.pegawai_id for r in response.context["rekomendasi"]}
    assert seen == {computed.pegawai.pk, computed.colleague.pk, computed.fungsional.pk}
    assert computed.other_staff.nama not in response.content.decode()


def test_a_pegawai_without_subordinates_gets_403_on_the_team_screen(computed, as_user):
    assert as_user(computed.pegawai).get(reverse("talenta:tim")).status_code == 403


def test_an_employee_sees_their_own_box_and_recommendations(computed, as_user):
    response = as_user(computed.other_staff).get(reverse("talenta:saya"))
    html = response.content.decode()
    assert response.context["items"][0]["box"].kotak == 3
    assert "Konseling kinerja" in html
    assert computed.pegawai.nama not in html


def test_a_login_without_an_employee_record_gets_403_on_saya(computed, as_user):
    assert as_user(computed.hr_admin).get(reverse("talenta:saya")).status_code == 403


def screen_queries(client):
    sizes = []
    for name, params in (("talenta:grid", {"tahun": 2026, "kotak": 9}), ("talenta:rekomendasi", {"tahun": 2026})):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name), params).status_code == 200
        sizes.append(len(ctx.captured_queries))
    return sizes


def test_the_screens_query_count_does_not_depend_on_the_people_shown(computed, as_user):
    # session, user, roles, years (2), units, then grid counts + job runs + the box's page (count, rows),
    # or the recommendation page (count, rows) with pegawai and unit joined
    client = as_user(computed.hr_admin)
    before = screen_queries(client)
    staff = [pegawai_in_post(computed.jabatan.staff, login=False) for _ in range(6)]
    refresh(computed.instansi)
    for p in staff:
        p.refresh_from_db()
        assess(computed, p, {"M1": 2, "M2": 2})
        final(computed, p, 2026, "SANGAT_BAIK")
        final(computed, p, 2025, "SANGAT_BAIK")
    services.talenta_compute(instansi_id=computed.instansi.pk, tahun=2026)
    assert TalentaBox.objects.filter(kotak=9).count() == 8
    assert screen_queries(client) == before
