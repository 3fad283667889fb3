"""factory_boy factories for the organisation. NIPs are generated valid (rules §7.1)."""

import datetime

import factory

from accounts.models import Instansi, Jabatan, JenisJabatan, Pegawai, Penugasan, UnitKerja, User
from accounts.services import hierarchy_refresh, unit_save

TEST_PASSWORD = "uji-sandi-rahasia-123"


def make_nip(n: int, *, jenis_kelamin: str = "L", lahir: datetime.date | None = None) -> str:
    lahir = lahir or datetime.date(1975, 1, 1) + datetime.timedelta(days=(n * 37) % 9000)
    tmt_year = max(lahir.year + 22, 1995) + n % 5
    return f"{lahir:%Y%m%d}{tmt_year}{(n % 12) + 1:02d}{'1' if jenis_kelamin == 'L' else '2'}{(n % 999) + 1:03d}"


class InstansiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instansi
        django_get_or_create = ["kode"]

    kode = factory.Sequence(lambda n: f"instansi-{n}")
    nama = factory.Sequence(lambda n: f"Pemerintah Kota Uji {n}")
    kota = "Dumai"


class UnitKerjaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitKerja

    instansi = factory.SubFactory(InstansiFactory)
    nama = factory.Sequence(lambda n: f"Unit {n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return unit_save(unit=model_class(*args, **kwargs))


class JabatanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jabatan

    unit = factory.SubFactory(UnitKerjaFactory)
    instansi = factory.SelfAttribute("unit.instansi")
    nama = factory.Sequence(lambda n: f"Jabatan {n}")
    jenis = JenisJabatan.PELAKSANA


class PegawaiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pegawai

    instansi = factory.SubFactory(InstansiFactory)
    nama = factory.Faker("name", locale="id_ID")
    jenis_kelamin = "L"
    nip = factory.Sequence(lambda n: make_nip(n))
    tanggal_lahir = factory.LazyAttribute(lambda o: datetime.datetime.strptime(o.nip[:8], "%Y%m%d").date())
    golongan = "III/a"


class PenugasanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Penugasan

    pegawai = factory.SubFactory(PegawaiFactory)
    jabatan = factory.SubFactory(JabatanFactory, unit__instansi=factory.SelfAttribute("...pegawai.instansi"))
    instansi = factory.SelfAttribute("pegawai.instansi")
    jenis = "DEFINITIF"
    mulai = datetime.date(2020, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def pegawai_in_post(jabatan: Jabatan, *, jenis="DEFINITIF", mulai=datetime.date(2020, 1, 1), login=True, **kwargs):
    """An employee holding ``jabatan`` (with a login by NIP when ``login``)."""
    pegawai = PegawaiFactory(instansi=jabatan.instansi, **kwargs)
    PenugasanFactory(pegawai=pegawai, jabatan=jabatan, jenis=jenis, mulai=mulai)
    if login:
        UserFactory(username=pegawai.nip, pegawai=pegawai, instansi=pegawai.instansi)
    return pegawai


def refresh(instansi):
    hierarchy_refresh(instansi_id=instansi.pk)
