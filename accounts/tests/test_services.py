"""Writes to the organisation: superiors kept in step, assignments, unit paths, logins.

Uses the ``org`` / ``outsider`` instansi of conftest.py: Kepala Dinas → Kepala Bidang →
two Kepala Seksi → staff, everyone in post since 1 January 2020.
"""

import datetime

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Pegawai, Penugasan, UnitKerja
from accounts.services import (
    hierarchy_refresh,
    penugasan_create,
    penugasan_end,
    superiors_on,
    unit_save,
    user_create_for_pegawai,
)
from accounts.tests.factories import PegawaiFactory, pegawai_in_post

pytestmark = pytest.mark.django_db

ONE_DAY = datetime.timedelta(days=1)


def today() -> datetime.date:
    return timezone.localdate()


def clear_resolved_fields(instansi) -> None:
    Pegawai.objects.filter(instansi=instansi).update(
        jabatan=None, unit=None, pejabat_penilai=None, atasan_pejabat_penilai=None
    )


def resolved(pegawai: Pegawai) -> tuple:
    pegawai.refresh_from_db()
    return (pegawai.jabatan, pegawai.unit, pegawai.pejabat_penilai, pegawai.atasan_pejabat_penilai)


def superiors(pegawai: Pegawai) -> tuple:
    return resolved(pegawai)[2:]


# --- hierarchy_refresh ------------------------------------------------------------------------------


def expected_line(org) -> dict:
    j = org.jabatan
    return {
        "kepala_unit": (j.kadis, org.dinas, None, None),
        "atasan_penilai": (j.kabid, org.bidang, org.kepala_unit, None),
        "penilai": (j.kasi, org.seksi, org.atasan_penilai, org.kepala_unit),
        "other_penilai": (j.kasi2, org.other_seksi, org.atasan_penilai, org.kepala_unit),
        "pegawai": (j.staff, org.seksi, org.penilai, org.atasan_penilai),
        "colleague": (j.staff, org.seksi, org.penilai, org.atasan_penilai),
        "other_staff": (j.staff2, org.other_seksi, org.other_penilai, org.atasan_penilai),
    }


def test_hierarchy_refresh_fills_post_unit_and_superiors_and_counts_the_rows_it_changed(org):
    clear_resolved_fields(org.instansi)
    assert hierarchy_refresh(instansi_id=org.instansi.pk) == 7
    assert {name: resolved(getattr(org, name)) for name in expected_line(org)} == expected_line(org)


def test_second_hierarchy_refresh_changes_nothing(org):
    clear_resolved_fields(org.instansi)
    hierarchy_refresh(instansi_id=org.instansi.pk)
    assert hierarchy_refresh(instansi_id=org.instansi.pk) == 0


def test_hierarchy_refresh_counts_only_the_employees_whose_superiors_changed(org):
    Pegawai.objects.filter(pk=org.pegawai.pk).update(pejabat_penilai=org.colleague)
    assert hierarchy_refresh(instansi_id=org.instansi.pk) == 1
    assert superiors(org.pegawai) == (org.penilai, org.atasan_penilai)


def test_hierarchy_refresh_leaves_another_instansi_alone(org, outsider):
    Pegawai.objects.filter(pk=outsider.pegawai.pk).update(pejabat_penilai=outsider.colleague)
    clear_resolved_fields(org.instansi)
    assert hierarchy_refresh(instansi_id=org.instansi.pk) == 7
    # Neither corrected nor emptied: the other instansi is refreshed on its own.
    assert superiors(outsider.pegawai) == (outsider.colleague, outsider.atasan_penilai)
    assert resolved(outsider.other_staff) == (
        outsider.jabatan.staff2,
        outsider.other_seksi,
        outsider.other_penilai,
        outsider.atasan_penilai,
    )


def test_hierarchy_refresh_clears_the_post_of_an_employee_whose_assignment_ended(org):
    Penugasan.objects.filter(pegawai=org.pegawai).update(selesai=today() - ONE_DAY)
    assert hierarchy_refresh(instansi_id=org.instansi.pk) == 1
    assert resolved(org.pegawai) == (None, None, None, None)


def test_hierarchy_refresh_query_count_does_not_grow_with_the_number_of_employees(org, django_assert_num_queries):
    # 1 reporting lines of the posts, 2 assignments active today, 3 unit of each post,
    # 4 the employees, 5 one bulk UPDATE of the changed rows.
    clear_resolved_fields(org.instansi)
    with django_assert_num_queries(5):
        assert hierarchy_refresh(instansi_id=org.instansi.pk) == 7

    for _ in range(28):
        pegawai_in_post(org.jabatan.staff, login=False)
    clear_resolved_fields(org.instansi)
    with django_assert_num_queries(5):
        assert hierarchy_refresh(instansi_id=org.instansi.pk) == 35


def test_hierarchy_refresh_with_nothing_to_change_skips_the_update(org, django_assert_num_queries):
    with django_assert_num_queries(4):
        assert hierarchy_refresh(instansi_id=org.instansi.pk) == 0


# --- penugasan_create / penugasan_end -----------------------------------------------------------------------


def move(pegawai, jabatan, *, on, jenis="DEFINITIF") -> Penugasan:
    return penugasan_create(penugasan=Penugasan(pegawai=pegawai, jabatan=jabatan, jenis=jenis, mulai=on))


def test_new_definitive_post_closes_the_previous_one_the_day_before(org, django_capture_on_commit_callbacks):
    moved_on = today() - datetime.timedelta(days=30)
    old = Penugasan.objects.get(pegawai=org.pegawai)
    with django_capture_on_commit_callbacks(execute=True):
        new = move(org.pegawai, org.jabatan.staff2, on=moved_on)
    old.refresh_from_db()
    assert old.selesai == moved_on - ONE_DAY
    new.refresh_from_db()
    assert (new.instansi, new.selesai) == (org.instansi, None)


def test_staff_follow_their_new_post_once_the_assignment_is_committed(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        move(org.pegawai, org.jabatan.staff2, on=today() - datetime.timedelta(days=30))
    # Nothing is re-resolved inside the transaction...
    assert resolved(org.pegawai) == (org.jabatan.staff, org.seksi, org.penilai, org.atasan_penilai)
    assert len(callbacks) == 1
    callbacks[0]()
    # ...and after commit the employee sits in the other seksi under its Kepala Seksi.
    assert resolved(org.pegawai) == (org.jabatan.staff2, org.other_seksi, org.other_penilai, org.atasan_penilai)


def test_new_definitive_post_leaves_acting_posts_and_colleagues_assignments_open(
    org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plt = move(org.penilai, org.jabatan.kabid, on=today() - datetime.timedelta(days=60), jenis="PLT")
        move(org.penilai, org.jabatan.kasi2, on=today() - datetime.timedelta(days=30))
    plt.refresh_from_db()
    assert plt.selesai is None
    assert Penugasan.objects.get(pegawai=org.colleague).selesai is None


def test_new_definitive_post_starting_the_same_day_as_the_open_one_does_not_close_it(
    org, django_capture_on_commit_callbacks
):
    # Closing it "the day before" would end it before it began.
    with django_capture_on_commit_callbacks(execute=True):
        move(org.pegawai, org.jabatan.staff2, on=datetime.date(2020, 1, 1))
    assert Penugasan.objects.get(pegawai=org.pegawai, jabatan=org.jabatan.staff).selesai is None


def test_new_definitive_post_starting_before_the_open_one_does_not_close_it(org, django_capture_on_commit_callbacks):
    # A back-dated entry must not give the open assignment an end before its start.
    with django_capture_on_commit_callbacks(execute=True):
        move(org.pegawai, org.jabatan.staff2, on=datetime.date(2019, 1, 1))
    assert Penugasan.objects.get(pegawai=org.pegawai, jabatan=org.jabatan.staff).selesai is None


def test_vacant_kepala_seksi_post_passes_the_staff_to_the_kepala_bidang(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        penugasan_end(penugasan=Penugasan.objects.get(pegawai=org.penilai), selesai=today() - ONE_DAY)
    assert superiors(org.pegawai) == (org.atasan_penilai, org.kepala_unit)
    assert resolved(org.penilai) == (None, None, None, None)


def test_plt_becomes_the_penilai_of_the_vacant_posts_staff(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        penugasan_end(penugasan=Penugasan.objects.get(pegawai=org.penilai), selesai=today() - ONE_DAY)
        move(org.other_penilai, org.jabatan.kasi, on=today(), jenis="PLT")
    assert superiors(org.pegawai) == (org.other_penilai, org.atasan_penilai)
    assert superiors(org.colleague) == (org.other_penilai, org.atasan_penilai)
    # The acting official keeps their own post and their own staff.
    assert resolved(org.other_penilai) == (org.jabatan.kasi2, org.other_seksi, org.atasan_penilai, org.kepala_unit)
    assert superiors(org.other_staff) == (org.other_penilai, org.atasan_penilai)


def test_plt_does_not_displace_a_definitive_kepala_seksi(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        move(org.other_penilai, org.jabatan.kasi, on=today(), jenis="PLT")
    assert superiors(org.pegawai) == (org.penilai, org.atasan_penilai)


def test_assignment_to_a_post_of_another_instansi_is_refused(org, outsider, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError) as exc:
        move(org.pegawai, outsider.jabatan.kasi, on=today())
    assert exc.value.message_dict == {"jabatan": ["Jabatan harus dari instansi pegawai yang sama."]}
    assert callbacks == []
    assert list(Penugasan.objects.filter(pegawai=org.pegawai).values_list("jabatan", "selesai")) == [
        (org.jabatan.staff.pk, None)
    ]


# --- superiors_on ---------------------------------------------------------------------------------------------


def test_superiors_on_a_past_date_are_the_superiors_of_that_time(org, django_capture_on_commit_callbacks):
    moved_on = today() - datetime.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        move(org.pegawai, org.jabatan.staff2, on=moved_on)
    assert superiors_on(pegawai=org.pegawai, day=moved_on - ONE_DAY) == (org.penilai, org.atasan_penilai)
    assert superiors_on(pegawai=org.pegawai, day=moved_on) == (org.other_penilai, org.atasan_penilai)


def test_superiors_on_a_date_before_a_new_kepala_seksi_name_the_former_one(org, django_capture_on_commit_callbacks):
    changed_on = today() - datetime.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        penugasan_end(penugasan=Penugasan.objects.get(pegawai=org.penilai), selesai=changed_on - ONE_DAY)
        successor = PegawaiFactory(instansi=org.instansi)
        move(successor, org.jabatan.kasi, on=changed_on)
    assert superiors_on(pegawai=org.pegawai, day=changed_on - ONE_DAY)[0] == org.penilai
    assert superiors_on(pegawai=org.pegawai, day=changed_on)[0] == successor
    assert superiors(org.pegawai)[0] == successor


def test_superiors_on_a_date_before_anyone_was_in_post_are_none(org):
    assert superiors_on(pegawai=org.pegawai, day=datetime.date(2019, 12, 31)) == (None, None)


def test_superiors_on_a_date_of_an_acting_official_name_them_only_on_their_dates(
    org, django_capture_on_commit_callbacks
):
    start, end = datetime.date(2023, 3, 6), datetime.date(2023, 3, 10)
    Penugasan.objects.filter(pegawai=org.penilai).update(mulai=datetime.date(2023, 4, 1))
    with django_capture_on_commit_callbacks(execute=True):
        plh = move(org.other_penilai, org.jabatan.kasi, on=start, jenis="PLH")
        penugasan_end(penugasan=plh, selesai=end)
    assert superiors_on(pegawai=org.pegawai, day=start - ONE_DAY) == (org.atasan_penilai, org.kepala_unit)
    assert superiors_on(pegawai=org.pegawai, day=start) == (org.other_penilai, org.atasan_penilai)
    assert superiors_on(pegawai=org.pegawai, day=end) == (org.other_penilai, org.atasan_penilai)
    assert superiors_on(pegawai=org.pegawai, day=end + ONE_DAY) == (org.atasan_penilai, org.kepala_unit)


# --- unit_save --------------------------------------------------------------------------------------------------


def path_of(*units) -> str:
    return "".join(f"{unit.pk:06d}/" for unit in units)


def fresh(unit: UnitKerja) -> UnitKerja:
    return UnitKerja.objects.get(pk=unit.pk)


def new_unit(org, nama, parent=None) -> UnitKerja:
    return unit_save(unit=UnitKerja(instansi=org.instansi, parent=parent, nama=nama))


def test_unit_paths_list_every_ancestor_down_from_the_root(org):
    assert (fresh(org.dinas).path, fresh(org.dinas).depth) == (path_of(org.dinas), 0)
    assert (fresh(org.bidang).path, fresh(org.bidang).depth) == (path_of(org.dinas, org.bidang), 1)
    assert (fresh(org.seksi).path, fresh(org.seksi).depth) == (path_of(org.dinas, org.bidang, org.seksi), 2)


def test_new_unit_under_a_seksi_gets_the_full_path(org):
    sub = new_unit(org, "Subseksi Data", parent=org.seksi)
    assert (fresh(sub).path, fresh(sub).depth) == (path_of(org.dinas, org.bidang, org.seksi, sub), 3)


def test_moving_a_unit_re_roots_the_paths_of_its_whole_subtree(org):
    sub = new_unit(org, "Subseksi Data", parent=org.seksi)
    sosial = new_unit(org, "Dinas Sosial")
    bidang = fresh(org.bidang)
    bidang.parent = sosial
    unit_save(unit=bidang)
    assert (fresh(org.bidang).path, fresh(org.bidang).depth) == (path_of(sosial, org.bidang), 1)
    assert fresh(org.seksi).path == path_of(sosial, org.bidang, org.seksi)
    assert fresh(org.other_seksi).path == path_of(sosial, org.bidang, org.other_seksi)
    assert (fresh(sub).path, fresh(sub).depth) == (path_of(sosial, org.bidang, org.seksi, sub), 3)
    assert fresh(org.dinas).path == path_of(org.dinas)


def test_moving_a_unit_up_leaves_its_former_siblings_where_they_were(org):
    sub = new_unit(org, "Subseksi Data", parent=org.seksi)
    seksi = fresh(org.seksi)
    seksi.parent = org.dinas
    unit_save(unit=seksi)
    assert (fresh(org.seksi).path, fresh(org.seksi).depth) == (path_of(org.dinas, org.seksi), 1)
    assert (fresh(sub).path, fresh(sub).depth) == (path_of(org.dinas, org.seksi, sub), 2)
    assert fresh(org.other_seksi).path == path_of(org.dinas, org.bidang, org.other_seksi)


def test_moving_a_unit_to_the_top_makes_it_a_root(org):
    bidang = fresh(org.bidang)
    bidang.parent = None
    unit_save(unit=bidang)
    assert (fresh(org.bidang).path, fresh(org.bidang).depth) == (path_of(org.bidang), 0)
    assert (fresh(org.seksi).path, fresh(org.seksi).depth) == (path_of(org.bidang, org.seksi), 1)


def test_other_instansi_units_sharing_no_prefix_are_not_re_rooted(org, outsider):
    before = {u.pk: u.path for u in UnitKerja.objects.filter(instansi=outsider.instansi)}
    bidang = fresh(org.bidang)
    bidang.parent = None
    unit_save(unit=bidang)
    assert {u.pk: u.path for u in UnitKerja.objects.filter(instansi=outsider.instansi)} == before


@pytest.mark.parametrize("target", ["seksi", "bidang"], ids=["own descendant", "itself"])
def test_moving_a_unit_under_itself_or_its_descendant_is_refused(org, target):
    paths = dict(UnitKerja.objects.values_list("pk", "path"))
    bidang = fresh(org.bidang)
    bidang.parent = getattr(org, target)
    with pytest.raises(ValidationError) as exc:
        unit_save(unit=bidang)
    assert exc.value.message_dict == {"parent": ["Unit tidak dapat dipindahkan ke bawah dirinya sendiri."]}
    assert fresh(org.bidang).parent == org.dinas
    assert dict(UnitKerja.objects.values_list("pk", "path")) == paths


def test_moving_a_unit_under_its_descendant_is_refused_even_when_the_parent_was_loaded_before_it_moved(org):
    tim = new_unit(org, "Tim Ad Hoc")
    loaded_earlier = fresh(tim)
    tim.parent = org.seksi
    unit_save(unit=tim)  # the team now sits under the seksi, so under the bidang
    bidang = fresh(org.bidang)
    bidang.parent = loaded_earlier
    with pytest.raises(ValidationError) as exc:
        unit_save(unit=bidang)
    assert list(exc.value.message_dict) == ["parent"]
    assert fresh(org.bidang).parent == org.dinas


def test_new_unit_under_a_parent_loaded_before_the_parent_moved_gets_the_current_path(org):
    seksi_loaded_earlier = fresh(org.seksi)
    seksi = fresh(org.seksi)
    seksi.parent = org.dinas
    unit_save(unit=seksi)
    sub = new_unit(org, "Subseksi Data", parent=seksi_loaded_earlier)
    assert fresh(sub).path == path_of(org.dinas, org.seksi, sub)


def test_new_unit_under_a_parent_of_another_instansi_is_refused(org, outsider):
    count = UnitKerja.objects.count()
    with pytest.raises(ValidationError) as exc:
        new_unit(org, "Bidang Titipan", parent=outsider.dinas)
    assert exc.value.message_dict == {"parent": ["Unit induk harus dari instansi yang sama."]}
    assert UnitKerja.objects.count() == count


def test_moving_a_unit_under_a_parent_of_another_instansi_is_refused(org, outsider):
    bidang = fresh(org.bidang)
    bidang.parent = outsider.dinas
    with pytest.raises(ValidationError) as exc:
        unit_save(unit=bidang)
    assert list(exc.value.message_dict) == ["parent"]
    assert fresh(org.bidang).parent == org.dinas


# --- user_create_for_pegawai -----------------------------------------------------------------------------


@pytest.mark.parametrize("password", [None, ""], ids=["none", "empty"])
def test_login_created_without_a_password_cannot_log_in_even_with_the_nip(org, password):
    pegawai = PegawaiFactory(instansi=org.instansi, email="pegawai@example.go.id")
    user = user_create_for_pegawai(pegawai=pegawai, password=password)
    user.refresh_from_db()
    assert (user.username, user.pegawai, user.instansi, user.email) == (
        pegawai.nip,
        pegawai,
        org.instansi,
        "pegawai@example.go.id",
    )
    assert not user.has_usable_password()
    assert not user.check_password(pegawai.nip)
    assert authenticate(username=pegawai.nip, password=pegawai.nip) is None


def test_login_created_with_a_password_logs_in_with_nip_and_that_password(org):
    pegawai = PegawaiFactory(instansi=org.instansi)
    user_create_for_pegawai(pegawai=pegawai, password="sandi-awal-yang-kuat-2024")
    assert authenticate(username=pegawai.nip, password="sandi-awal-yang-kuat-2024").pegawai == pegawai
    assert authenticate(username=pegawai.nip, password=pegawai.nip) is None


def test_second_login_for_the_same_pegawai_is_refused(org):
    with pytest.raises(ValidationError):
        user_create_for_pegawai(pegawai=org.pegawai, password=None)
