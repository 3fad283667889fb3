"""``manage.py seed_demo``: the demo organisation, its employees and the demo logins."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import demo, rules
from accounts.models import (
    FUNGSIONAL_TYPES,
    Instansi,
    Jabatan,
    JenisASN,
    JenisPenugasan,
    JenisUnit,
    Pegawai,
    Penugasan,
    UnitKerja,
    User,
)
from accounts.services import hierarchy_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    # The demo logins are real accounts; hashing them with PBKDF2 would dominate the test time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(employees: int = 60, **options) -> str:
    out = StringIO()
    call_command("seed_demo", employees=employees, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def seeded() -> str:
    return seed()


def logins_by_role() -> dict[tuple[str, str], demo.DemoLogin]:
    return {(login.instansi, login.role): login for login in demo.demo_logins()}


def pegawai_of(login: demo.DemoLogin) -> Pegawai:
    return User.objects.select_related("pegawai").get(username=login.username).pegawai


def test_seed_creates_the_two_demo_instansi_with_their_opd_tree(seeded):
    assert list(Instansi.objects.order_by("kode").values_list("kode", "nama", "kota")) == [
        ("kota-dumai", "Pemerintah Kota Dumai", "Dumai"),
        ("kota-tebingtinggi", "Pemerintah Kota Tebingtinggi", "Tebing Tinggi"),
    ]
    for instansi in Instansi.objects.all():
        units = UnitKerja.objects.filter(instansi=instansi)
        names = set(units.values_list("nama", flat=True))
        assert {
            "Sekretariat Daerah",
            "Bagian Organisasi",
            "Bagian Umum",
            "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
            "Dinas Pendidikan",
            "Dinas Kesehatan",
            "Dinas Perhubungan",
            "Dinas Kependudukan dan Pencatatan Sipil",
        } <= names
        assert set(units.values_list("jenis", flat=True)) == set(JenisUnit.values)
        assert units.filter(jenis=JenisUnit.KECAMATAN).count() >= 2
        assert units.filter(jenis=JenisUnit.KELURAHAN).count() >= 4
        assert units.filter(jenis=JenisUnit.UPT, nama__startswith="UPT Puskesmas").count() >= 2


def test_unit_paths_are_materialised_from_the_parents(seeded):
    units = {u.pk: u for u in UnitKerja.objects.all()}
    for unit in units.values():
        parent_path = units[unit.parent_id].path if unit.parent_id else ""
        assert unit.path == f"{parent_path}{unit.pk:06d}/"
        assert unit.depth == unit.path.count("/") - 1


def test_posts_obey_the_jabatan_rules_and_report_up_to_the_sekda(seeded):
    for jabatan in Jabatan.objects.select_related("unit", "atasan"):
        jabatan.clean()  # jenjang only and always for fungsional; unit and atasan of the same instansi
        assert 1 <= jabatan.kelas_jabatan <= 17
        assert bool(jabatan.jenjang) == (jabatan.jenis in FUNGSIONAL_TYPES)
    tops = Jabatan.objects.filter(atasan__isnull=True)
    assert sorted(tops.values_list("nama", flat=True)) == ["Sekretaris Daerah", "Sekretaris Daerah"]
    assert set(tops.values_list("jenis", flat=True)) == {"JPT_PRATAMA"}
    assert Jabatan.objects.get(instansi__kode="kota-dumai", nama="Kepala Dinas Kesehatan").atasan.nama == (
        "Sekretaris Daerah"
    )


def test_every_nomor_induk_is_valid_and_distinct_within_its_instansi(seeded):
    pegawai = list(Pegawai.objects.all())
    assert len(pegawai) == 60
    for p in pegawai:
        parse = rules.parse_nip if p.jenis_asn == JenisASN.PNS else rules.parse_ni_pppk
        info = parse(p.nip)
        rules.check_jenis_kelamin(info, p.jenis_kelamin)
        assert info.tanggal_lahir == p.tanggal_lahir
        valid_golongan = rules.PANGKAT_BY_GOLONGAN if p.jenis_asn == JenisASN.PNS else rules.GOLONGAN_PPPK
        assert p.golongan in valid_golongan
        p.full_clean()
    for instansi in Instansi.objects.all():
        nips = [p.nip for p in pegawai if p.instansi_id == instansi.pk]
        assert len(nips) == len(set(nips)) == 30
    pppk = sum(p.jenis_asn == JenisASN.PPPK for p in pegawai)
    assert 0.1 <= pppk / len(pegawai) <= 0.3
    assert {"CLTN", "TUGAS_BELAJAR", "MPP"} <= {p.status for p in pegawai}


def test_every_employee_holds_one_definitive_post_and_all_but_the_sekda_have_a_pejabat_penilai(seeded):
    definitive = Penugasan.objects.filter(jenis=JenisPenugasan.DEFINITIF)
    assert definitive.count() == Pegawai.objects.count()
    for row in definitive.select_related("pegawai"):
        assert row.instansi_id == row.pegawai.instansi_id
    without_penilai = Pegawai.objects.filter(pejabat_penilai__isnull=True)
    assert sorted(without_penilai.values_list("jabatan__nama", flat=True)) == ["Sekretaris Daerah"] * 2
    assert not Pegawai.objects.filter(jabatan__isnull=True).exists()


def test_hierarchy_refresh_has_nothing_left_to_change_after_seeding(seeded):
    for instansi in Instansi.objects.all():
        assert hierarchy_refresh(instansi_id=instansi.pk) == 0


def test_a_vacant_kepala_bidang_is_acted_for_by_a_kepala_seksi(seeded):
    for instansi in Instansi.objects.all():
        plt = Penugasan.objects.get(instansi=instansi, jenis=JenisPenugasan.PLT)
        assert plt.jabatan.nama == demo.PLT_POST
        assert not Penugasan.objects.filter(jabatan=plt.jabatan, jenis=JenisPenugasan.DEFINITIF).exists()
        assert plt.pegawai.jabatan.nama == demo.PLT_HOLDER_POST  # their own post stays the definitive one
        other_kasi = Pegawai.objects.filter(jabatan__atasan=plt.jabatan).exclude(pk=plt.pegawai_id)
        assert other_kasi.exists()
        assert set(other_kasi.values_list("pejabat_penilai_id", flat=True)) == {plt.pegawai_id}


def test_staff_under_a_vacant_kepala_subbagian_are_appraised_by_the_post_above(seeded):
    vacant = Jabatan.objects.filter(nama="Kepala Subbagian Rumah Tangga")
    assert vacant.count() == 2
    assert not Penugasan.objects.filter(jabatan__in=vacant).exists()
    for staff in Pegawai.objects.filter(jabatan__atasan__in=vacant).select_related("pejabat_penilai__jabatan"):
        assert staff.pejabat_penilai.jabatan.nama == "Kepala Bagian Umum"


def test_the_supervisor_login_has_subordinates_and_the_pegawai_login_reports_to_it(seeded):
    logins = logins_by_role()
    for instansi in Instansi.objects.all():
        supervisor = pegawai_of(logins[instansi.nama, "supervisor"])
        pegawai = pegawai_of(logins[instansi.nama, "pegawai"])
        kepala_unit = pegawai_of(logins[instansi.nama, "kepala_unit"])
        assert Pegawai.objects.filter(pejabat_penilai=supervisor).exists()
        assert supervisor.jabatan.jenis == "PENGAWAS"
        assert pegawai.pejabat_penilai == supervisor
        assert kepala_unit.jabatan.is_kepala_unit and kepala_unit.jabatan.nama == "Kepala Dinas Kesehatan"


def test_each_demo_login_authenticates_with_the_demo_password_and_never_with_the_nip(seeded):
    logins = demo.demo_logins()
    expected = [("", "superadmin")] + [
        (nama, role)
        for nama in ("Pemerintah Kota Dumai", "Pemerintah Kota Tebingtinggi")
        for role in ("hr", "kepala_unit", "supervisor", "pegawai")
    ]
    assert [(login.instansi, login.role) for login in logins] == expected
    for login in logins:
        user = authenticate(username=login.username, password=demo.DEMO_PASSWORD)
        assert user is not None, login
        assert login.password == demo.DEMO_PASSWORD
        if user.pegawai:
            assert user.username == user.pegawai.nip
            assert not user.check_password(user.pegawai.nip)
    superadmin = User.objects.get(username="superadmin")
    assert superadmin.is_superuser and superadmin.is_staff
    hr = User.objects.get(username="admin.dumai")
    assert hr.is_admin_kepegawaian and hr.instansi.kode == "kota-dumai" and hr.pegawai is None
    # Everyone else has no login at all.
    assert User.objects.filter(pegawai__isnull=False).count() == 6


def test_running_twice_changes_nothing_and_still_prints_the_logins(seeded):
    before = demo.demo_counts()
    output = seed()
    assert demo.demo_counts() == before
    assert output.count("already exists") == 2
    for text in (seeded, output):
        assert "admin.tebingtinggi" in text and "superadmin" in text and demo.DEMO_PASSWORD in text


def test_reset_rebuilds_the_same_data_for_the_same_size(seeded):
    def snapshot():
        rows = Pegawai.objects.values_list("instansi__kode", "nip", "nama", "golongan", "jabatan__nama", "status")
        return sorted(rows)

    before, counts = snapshot(), demo.demo_counts()
    output = seed(reset=True)
    assert "Deleted 2 demo instansi" in output
    assert snapshot() == before
    assert demo.demo_counts() == counts


def test_query_count_does_not_grow_with_the_number_of_employees(monkeypatch):
    # The demo file import touches at most DEMO_SOURCED SKP, and only once the demo has approved SKP
    # in a puskesmas (none at 60 employees): a bounded extra, tested in appraisal/tests/test_demo.py.
    monkeypatch.setattr("appraisal.demo_objektif.seed_import", lambda instansi: 0)
    from appraisal.demo import demo_reset_appraisal
    from surveys.demo import demo_reset_surveys
    from talenta.demo import demo_reset_talenta

    with CaptureQueriesContext(connection) as small:
        seed(60)
    demo_reset_surveys(demo.demo_instansi_ids())
    demo_reset_talenta(list(demo.demo_instansi_ids()))
    demo_reset_appraisal(demo.demo_instansi_ids())
    demo.demo_reset()
    with CaptureQueriesContext(connection) as large:
        seed(300)
    assert Pegawai.objects.count() == 300
    # Per instansi: one INSERT per unit level, post level and superior rank, the path update,
    # the refresh's reads, and a handful per login. Only the number of INSERT batches may grow
    # (SQLite takes 999 parameters a statement, and the SKP demo adds batches of SKP, RHK, IKI
    # and behaviour rows, the talent demo batches of standards and assessed levels); a query per
    # employee would add 240 or more.
    assert len(large) <= len(small) + 80, (len(small), len(large))


def test_too_few_employees_is_refused():
    with pytest.raises(CommandError):
        seed(10)
    assert not Instansi.objects.exists()


def test_reset_refuses_while_another_table_holds_data_of_a_demo_instansi(seeded, monkeypatch):
    # Stand-in for an app's tenant rows (an SKP, a period): treat Jabatan as not the demo's own.
    monkeypatch.setattr(demo, "OWN_MODELS", (User, Penugasan, Pegawai, UnitKerja))
    before = demo.demo_counts()
    with pytest.raises(CommandError, match="accounts.Jabatan"):
        seed(reset=True)
    assert demo.demo_counts() == before
