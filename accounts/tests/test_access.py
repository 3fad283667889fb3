"""Refusals first: every role is kept to its own reach (404 outside it, 403 for the wrong role)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client, org):
    response = client.get(reverse("accounts:pegawai_detail", args=[org.pegawai.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "url_name, target",
    [
        ("accounts:unit_edit", "seksi"),
        ("accounts:pegawai_detail", "pegawai"),
        ("accounts:pegawai_edit", "pegawai"),
        ("accounts:penugasan_create", "pegawai"),
    ],
)
def test_hr_admin_of_another_instansi_gets_404(as_user, org, outsider, url_name, target):
    client = as_user(outsider.hr_admin)
    response = client.get(reverse(url_name, args=[getattr(org, target).pk]))
    assert response.status_code == 404


def test_hr_admin_of_another_instansi_gets_404_for_a_jabatan(as_user, org, outsider):
    response = as_user(outsider.hr_admin).get(reverse("accounts:jabatan_edit", args=[org.jabatan.staff.pk]))
    assert response.status_code == 404


def test_hr_admin_cannot_post_changes_to_another_instansi(as_user, org, outsider):
    client = as_user(outsider.hr_admin)
    url = reverse("accounts:pegawai_edit", args=[org.pegawai.pk])
    response = client.post(url, {"nama": "Diubah Orang Lain"})
    assert response.status_code == 404
    org.pegawai.refresh_from_db()
    assert org.pegawai.nama != "Diubah Orang Lain"


def test_hr_admin_list_shows_only_their_own_instansi(as_user, org, outsider):
    response = as_user(org.hr_admin).get(reverse("accounts:pegawai_list"))
    shown = {p.pk for p in response.context["page"].object_list}
    assert org.pegawai.pk in shown
    assert outsider.pegawai.pk not in shown


def test_supervisor_opens_a_subordinate(as_user, org):
    response = as_user(org.penilai).get(reverse("accounts:pegawai_detail", args=[org.pegawai.pk]))
    assert response.status_code == 200


def test_supervisor_cannot_open_someone_who_is_not_their_subordinate(as_user, org):
    response = as_user(org.penilai).get(reverse("accounts:pegawai_detail", args=[org.other_staff.pk]))
    assert response.status_code == 404


def test_supervisor_of_another_instansi_gets_404(as_user, org, outsider):
    response = as_user(outsider.penilai).get(reverse("accounts:pegawai_detail", args=[org.pegawai.pk]))
    assert response.status_code == 404


def test_atasan_pejabat_penilai_opens_the_subordinates_of_their_subordinates(as_user, org):
    response = as_user(org.atasan_penilai).get(reverse("accounts:pegawai_detail", args=[org.pegawai.pk]))
    assert response.status_code == 200


def test_pegawai_opens_their_own_record(as_user, org):
    response = as_user(org.pegawai).get(reverse("accounts:pegawai_detail", args=[org.pegawai.pk]))
    assert response.status_code == 200


def test_pegawai_cannot_open_a_colleague(as_user, org):
    response = as_user(org.pegawai).get(reverse("accounts:pegawai_detail", args=[org.colleague.pk]))
    assert response.status_code == 404


def test_pegawai_cannot_open_their_supervisor(as_user, org):
    response = as_user(org.pegawai).get(reverse("accounts:pegawai_detail", args=[org.penilai.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "url_name", ["accounts:unit_list", "accounts:unit_create", "accounts:jabatan_list", "accounts:pegawai_create"]
)
def test_pegawai_gets_403_on_hr_screens(as_user, org, url_name):
    assert as_user(org.pegawai).get(reverse(url_name)).status_code == 403


def test_supervisor_gets_403_when_editing_a_subordinate(as_user, org):
    response = as_user(org.penilai).get(reverse("accounts:pegawai_edit", args=[org.pegawai.pk]))
    assert response.status_code == 403


def test_pegawai_without_subordinates_gets_403_on_the_employee_list(as_user, org):
    assert as_user(org.pegawai).get(reverse("accounts:pegawai_list")).status_code == 403


def test_supervisor_list_holds_only_their_team(as_user, org):
    response = as_user(org.penilai).get(reverse("accounts:pegawai_list"))
    shown = {p.pk for p in response.context["page"].object_list}
    assert {org.pegawai.pk, org.colleague.pk} <= shown
    assert org.other_staff.pk not in shown


def test_only_a_superadmin_may_switch_instansi(as_user, org):
    response = as_user(org.hr_admin).post(reverse("accounts:instansi_activate", args=[org.instansi.pk]))
    assert response.status_code == 403


def test_superadmin_acts_as_hr_admin_of_the_chosen_instansi(as_user, org, outsider, superadmin):
    client = as_user(superadmin)
    assert client.get(reverse("accounts:unit_list")).status_code == 403  # no instansi chosen yet
    client.post(reverse("accounts:instansi_activate", args=[org.instansi.pk]))
    assert client.get(reverse("accounts:unit_edit", args=[org.seksi.pk])).status_code == 200
    assert client.get(reverse("accounts:unit_edit", args=[outsider.seksi.pk])).status_code == 404
