"""The HR admin's master-data screens, the homes, and login, as a user meets them."""

import pytest
from django.urls import reverse

from accounts.models import Pegawai, Penugasan, UnitKerja
from accounts.tests.factories import TEST_PASSWORD, PegawaiFactory, make_nip

pytestmark = pytest.mark.django_db

VALID_PEGAWAI = {
    "jenis_asn": "PNS",
    "nip": "19850312 201001 2 004",
    "nama": "Siti Rahmawati",
    "gelar_belakang": "S.Kep., Ns.",
    "jenis_kelamin": "P",
    "tanggal_lahir": "1985-03-12",
    "golongan": "III/b",
    "status": "AKTIF",
}


def test_hr_admin_creates_an_employee_with_a_valid_nip(as_user, org):
    response = as_user(org.hr_admin).post(reverse("accounts:pegawai_create"), VALID_PEGAWAI)
    created = Pegawai.objects.get(instansi=org.instansi, nip="198503122010012004")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:pegawai_detail", args=[created.pk])
    assert created.nama_lengkap == "Siti Rahmawati, S.Kep., Ns."


@pytest.mark.parametrize(
    "nip, message",
    [
        ("1985031220100120", "harus 18 digit"),
        ("19850312201001200A", "hanya boleh berisi angka"),
        ("198502302010012004", "bukan tanggal lahir yang valid"),
        ("198503122010132004", "Bulan TMT CPNS"),
        ("198503122010013004", "jenis kelamin"),
        ("198503122010012000", "tidak boleh 000"),
        ("198503122010011004", "tidak sesuai dengan jenis kelamin"),
    ],
)
def test_a_bad_nip_is_refused_with_its_own_message_and_the_form_is_kept(as_user, org, nip, message):
    before = Pegawai.objects.count()
    response = as_user(org.hr_admin).post(reverse("accounts:pegawai_create"), {**VALID_PEGAWAI, "nip": nip})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["nip"])
    assert 'value="Siti Rahmawati"' in response.content.decode()  # nothing typed is lost
    assert Pegawai.objects.count() == before


def test_a_duplicate_nip_in_the_same_instansi_is_refused(as_user, org):
    data = {**VALID_PEGAWAI, "nip": org.pegawai.nip, "tanggal_lahir": org.pegawai.tanggal_lahir.isoformat()}
    data["jenis_kelamin"] = org.pegawai.jenis_kelamin
    response = as_user(org.hr_admin).post(reverse("accounts:pegawai_create"), data)
    assert "sudah terdaftar" in " ".join(response.context["form"].errors["nip"])


def test_the_same_nip_may_exist_in_another_instansi(as_user, org, outsider):
    data = {**VALID_PEGAWAI}
    as_user(outsider.hr_admin).post(reverse("accounts:pegawai_create"), data)
    response = as_user(org.hr_admin).post(reverse("accounts:pegawai_create"), data)
    assert response.status_code == 302
    assert Pegawai.objects.filter(nip="198503122010012004").count() == 2


def test_a_pppk_with_a_pns_golongan_is_refused(as_user, org):
    data = {**VALID_PEGAWAI, "jenis_asn": "PPPK", "nip": "198503122022121004", "jenis_kelamin": "L"}
    response = as_user(org.hr_admin).post(reverse("accounts:pegawai_create"), data)
    assert "PPPK memakai golongan I–XVII" in " ".join(response.context["form"].errors["golongan"])


def test_assigning_a_new_post_moves_the_employee_and_their_superiors(as_user, org, django_capture_on_commit_callbacks):
    client = as_user(org.hr_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:penugasan_create", args=[org.pegawai.pk]),
            {"jabatan": org.jabatan.staff2.pk, "jenis": "DEFINITIF", "mulai": "2026-07-01"},
        )
    assert response.status_code == 302
    org.pegawai.refresh_from_db()
    assert org.pegawai.jabatan == org.jabatan.staff2
    assert org.pegawai.pejabat_penilai == org.other_penilai
    old = Penugasan.objects.get(pegawai=org.pegawai, jabatan=org.jabatan.staff)
    assert str(old.selesai) == "2026-06-30"


def test_an_assignment_ending_before_it_starts_is_refused(as_user, org):
    response = as_user(org.hr_admin).post(
        reverse("accounts:penugasan_create", args=[org.pegawai.pk]),
        {"jabatan": org.jabatan.staff2.pk, "jenis": "PLT", "mulai": "2026-07-01", "selesai": "2026-06-01"},
    )
    assert response.status_code == 200
    assert "tidak boleh sebelum TMT mulai" in " ".join(response.context["form"].errors["selesai"])
    assert not Penugasan.objects.filter(pegawai=org.pegawai, jenis="PLT").exists()


def test_moving_a_unit_under_its_own_descendant_is_refused(as_user, org):
    response = as_user(org.hr_admin).post(
        reverse("accounts:unit_edit", args=[org.bidang.pk]),
        {"nama": org.bidang.nama, "jenis": "BIDANG", "parent": org.seksi.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors  # the seksi is not even offered as a parent
    org.bidang.refresh_from_db()
    assert org.bidang.parent == org.dinas


def test_hr_admin_adds_a_unit_under_a_bidang(as_user, org):
    response = as_user(org.hr_admin).post(
        reverse("accounts:unit_create"), {"nama": "Seksi Baru", "jenis": "SUBBIDANG", "parent": org.bidang.pk}
    )
    assert response.status_code == 302
    unit = UnitKerja.objects.get(nama="Seksi Baru")
    assert unit.instansi == org.instansi
    assert unit.path.startswith(org.bidang.path)


def test_fungsional_jabatan_without_jenjang_is_refused(as_user, org):
    response = as_user(org.hr_admin).post(
        reverse("accounts:jabatan_create"),
        {"nama": "Perawat", "jenis": "FUNGSIONAL_KETERAMPILAN", "unit": org.seksi.pk, "atasan": org.jabatan.kasi.pk},
    )
    assert response.status_code == 200
    assert "wajib memiliki jenjang" in " ".join(response.context["form"].errors["jenjang"])


def test_employee_list_searches_by_name_and_nip(as_user, org):
    client = as_user(org.hr_admin)
    by_name = client.get(reverse("accounts:pegawai_list"), {"q": org.colleague.nama})
    assert org.colleague in by_name.context["page"].object_list
    by_nip = client.get(reverse("accounts:pegawai_list"), {"q": org.pegawai.nip[:14]})
    assert org.pegawai in by_nip.context["page"].object_list


def test_employee_list_filters_by_unit_subtree(as_user, org):
    response = as_user(org.hr_admin).get(reverse("accounts:pegawai_list"), {"unit": org.other_seksi.pk})
    shown = set(response.context["page"].object_list)
    assert shown == {org.other_penilai, org.other_staff}


@pytest.mark.parametrize("extra", [0, 30])
def test_employee_list_query_count_does_not_grow_with_the_data(as_user, org, extra, django_assert_max_num_queries):
    for n in range(extra):
        PegawaiFactory(instansi=org.instansi, nip=make_nip(5000 + n))
    client = as_user(org.hr_admin)
    # session + user, filter-form choices (units, jabatan), count, page rows with jabatan & unit joined
    with django_assert_max_num_queries(8):
        client.get(reverse("accounts:pegawai_list"))


@pytest.mark.parametrize("extra", [0, 30])
def test_unit_and_jabatan_lists_keep_a_constant_query_count(as_user, org, extra, django_assert_max_num_queries):
    from accounts.tests.factories import JabatanFactory, UnitKerjaFactory

    for n in range(extra):
        unit = UnitKerjaFactory(instansi=org.instansi, parent=org.bidang, nama=f"Seksi {n}")
        JabatanFactory(unit=unit, atasan=org.jabatan.kabid)
    client = as_user(org.hr_admin)
    with django_assert_max_num_queries(4):  # session, user, units with counts
        client.get(reverse("accounts:unit_list"))
    with django_assert_max_num_queries(8):  # session, user, filter choices, count, page
        client.get(reverse("accounts:jabatan_list"))


def test_employee_detail_shows_history_and_resolved_superiors(as_user, org):
    response = as_user(org.hr_admin).get(reverse("accounts:pegawai_detail", args=[org.pegawai.pk]))
    assert response.context["pejabat_penilai"] == org.penilai
    assert response.context["atasan_pejabat_penilai"] == org.atasan_penilai
    assert org.jabatan.staff.nama in response.content.decode()


def test_employee_detail_resolves_superiors_for_a_past_date(as_user, org):
    response = as_user(org.hr_admin).get(
        reverse("accounts:pegawai_detail", args=[org.pegawai.pk]), {"tanggal": "2019-06-01"}
    )
    assert response.context["on_date"]["penilai"] is None  # nobody held a post before 2020


def test_a_bad_date_gives_a_message_not_an_error(as_user, org):
    response = as_user(org.hr_admin).get(
        reverse("accounts:pegawai_detail", args=[org.pegawai.pk]), {"tanggal": "kemarin"}
    )
    assert response.status_code == 200
    assert "Tanggal tidak valid" in response.content.decode()


@pytest.mark.parametrize(
    "who, marker",
    [("hr_admin", "hr"), ("penilai", "supervisor"), ("kepala_unit", "supervisor"), ("pegawai", "pegawai")],
)
def test_each_role_lands_on_its_own_home(as_user, org, who, marker):
    response = as_user(getattr(org, who)).get(reverse("accounts:home"))
    assert f'data-home="{marker}"' in response.content.decode()


def test_superadmin_lands_on_the_instansi_chooser(as_user, org, superadmin):
    response = as_user(superadmin).get(reverse("accounts:home"))
    assert 'data-home="superadmin"' in response.content.decode()
    assert org.instansi.nama in response.content.decode()


def test_login_by_nip_in_display_form(client, org):
    nip = org.pegawai.nip
    display = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    response = client.post(reverse("accounts:login"), {"username": display, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("accounts:home")).context["user"] == org.pegawai.user


def test_wrong_password_does_not_reveal_whether_the_nip_exists(client, org):
    known = client.post(reverse("accounts:login"), {"username": org.pegawai.nip, "password": "salah-sekali-123"})
    unknown = client.post(reverse("accounts:login"), {"username": "199001012015011999", "password": "salah-123"})
    assert known.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
    assert "NIP/nama pengguna atau kata sandi salah" in known.content.decode()


def test_a_unit_code_already_used_in_the_instansi_is_refused_with_a_message(as_user, org, outsider):
    UnitKerja.objects.filter(pk=org.seksi.pk).update(kode="4.01.02")
    UnitKerja.objects.filter(pk=outsider.seksi.pk).update(kode="4.01.03")
    client = as_user(org.hr_admin)
    data = {"kode": "4.01.02", "nama": "Seksi Baru", "jenis": "SUBBIDANG", "parent": org.bidang.pk}
    response = client.post(reverse("accounts:unit_create"), data)
    assert response.status_code == 200
    assert "Kode unit ini sudah dipakai unit lain." in response.content.decode()
    assert not UnitKerja.objects.filter(nama="Seksi Baru").exists()
    data["kode"] = "4.01.03"  # another instansi's code is free here
    assert client.post(reverse("accounts:unit_create"), data).status_code == 302
    assert UnitKerja.objects.get(nama="Seksi Baru", instansi=org.instansi).kode == "4.01.03"
