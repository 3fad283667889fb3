"""factory_boy factories and builders for the SKM (rules §6).

``survey_setup(instansi)`` gives what a service unit has in real life: the unit with its nine
questions (standard wording, through services.unit_layanan_create), two active kinds of service
and a retired one, its UNIT QR channel, a PETUGAS channel naming an officer, and an open period.
``respons_with_answers`` writes a finished questionnaire directly, for arranging index and
moderation tests (not for testing the submission, which goes through the form)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from types import SimpleNamespace

import factory
from django.utils import timezone

from accounts.models import Instansi, Pegawai, UnitKerja
from accounts.tests.factories import PegawaiFactory, UnitKerjaFactory
from surveys import forms, rules, services
from surveys.models import (
    JawabanUnsur,
    JenisLayanan,
    JenisSaluran,
    PeriodeSurvei,
    Respons,
    SaluranSurvei,
    StatusRespons,
    TokenSurvei,
    UnitLayanan,
)


class UnitLayananFactory(factory.django.DjangoModelFactory):
    """A service unit, created through the service so it has its nine questions and UNIT channel."""

    class Meta:
        model = UnitLayanan

    unit = factory.SubFactory(UnitKerjaFactory, nama=factory.Sequence(lambda n: f"Puskesmas Uji {n}"))
    nama_publik = factory.LazyAttribute(lambda o: o.unit.nama)

    @classmethod
    def _create(cls, model_class, *args, unit: UnitKerja, nama_publik: str, **kwargs):
        layanan = services.unit_layanan_create(unit=unit, nama_publik=nama_publik, by=None)
        if kwargs:  # e.g. aktif=False, bobot_legacy=True
            UnitLayanan.objects.filter(pk=layanan.pk).update(**kwargs)
            layanan.refresh_from_db()
        return layanan


class JenisLayananFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JenisLayanan

    unit_layanan = factory.SubFactory(UnitLayananFactory)
    nama = factory.Sequence(lambda n: f"Layanan {n}")


class SaluranSurveiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SaluranSurvei

    unit_layanan = factory.SubFactory(UnitLayananFactory)
    jenis = JenisSaluran.LOKET
    label = factory.Sequence(lambda n: f"Loket {n}")


class PeriodeSurveiFactory(factory.django.DjangoModelFactory):
    """A period open today: started a month ago, ends in two months."""

    class Meta:
        model = PeriodeSurvei

    unit_layanan = factory.SubFactory(UnitLayananFactory)
    jenis = "TRIWULAN"
    label = factory.LazyFunction(lambda: f"Triwulan uji {timezone.localdate():%Y}")
    mulai = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    selesai = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    populasi = 1000


class TokenSurveiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TokenSurvei

    unit_layanan = factory.SubFactory(UnitLayananFactory)
    berlaku_sampai = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=24))


def survey_setup(instansi: Instansi, *, unit: UnitKerja | None = None, petugas: Pegawai | None = None):
    """A service unit of ``instansi`` ready to be surveyed. Attributes: unit_layanan, jenis_layanan
    (active), jenis_lain (active), jenis_lama (inactive), saluran (UNIT), saluran_petugas (PETUGAS,
    naming ``petugas``), petugas, periode (open today)."""
    unit = unit or UnitKerjaFactory(instansi=instansi, nama="Puskesmas Sukajadi", jenis="UPT")
    layanan = UnitLayananFactory(unit=unit, nama_publik=unit.nama)
    petugas = petugas or PegawaiFactory(instansi=instansi, nama="Siti Rahmawati")
    return SimpleNamespace(
        unit_layanan=layanan,
        jenis_layanan=JenisLayananFactory(unit_layanan=layanan, nama="Pemeriksaan umum"),
        jenis_lain=JenisLayananFactory(unit_layanan=layanan, nama="Imunisasi"),
        jenis_lama=JenisLayananFactory(unit_layanan=layanan, nama="Layanan lama", aktif=False),
        saluran=SaluranSurvei.objects.get(unit_layanan=layanan, jenis=JenisSaluran.UNIT),
        saluran_petugas=SaluranSurveiFactory(
            unit_layanan=layanan, jenis=JenisSaluran.PETUGAS, label="Petugas pendaftaran", petugas=petugas
        ),
        petugas=petugas,
        periode=PeriodeSurveiFactory(unit_layanan=layanan),
    )


def jawaban(nilai: int | Mapping[str, int] = 3) -> dict[str, int]:
    """Answers to the nine unsur: the same value for all, or a mapping unsur kode → value."""
    if isinstance(nilai, int):
        return dict.fromkeys(rules.UNSUR_KODE, nilai)
    return {kode: nilai[kode] for kode in rules.UNSUR_KODE}


def respons_with_answers(
    unit_layanan: UnitLayanan,
    nilai: int | Mapping[str, int] = 3,
    *,
    status: str = StatusRespons.DITERIMA,
    **fields,
) -> Respons:
    """A finished questionnaire of ``unit_layanan`` with its nine answers, written directly."""
    defaults = {
        "periode": unit_layanan.periode.first(),
        "jenis_kelamin": "P",
        "usia": 34,
        "pendidikan": "SMA",
        "pekerjaan": "WIRAUSAHA",
        "status": status,
        "tanda": "" if status == StatusRespons.DITERIMA else services.TANDA_BERULANG,
    }
    respons = Respons.objects.create(unit_layanan=unit_layanan, **{**defaults, **fields})
    JawabanUnsur.objects.bulk_create(
        [JawabanUnsur(respons=respons, unsur=kode, nilai=value) for kode, value in jawaban(nilai).items()]
    )
    return respons


def form_data(
    setup, nilai: int | Mapping[str, int] = 3, *, saluran=None, waited: float = 60, **overrides
) -> dict[str, str]:
    """What an honest citizen posts to /s/<kode>/ of ``saluran`` (default the UNIT channel) after
    ``waited`` seconds: every field filled, a valid time stamp, the honeypot empty. ``overrides``
    replace fields; a value None removes one."""
    saluran = saluran or setup.saluran
    data = {
        "jenis_layanan": str(setup.jenis_layanan.pk),
        **{kode.lower(): str(value) for kode, value in jawaban(nilai).items()},
        "jenis_kelamin": "P",
        "usia": "34",
        "pendidikan": "SMA",
        "pekerjaan": "WIRAUSAHA",
        "pekerjaan_lain": "",
        "saran": "Ruang tunggu sudah nyaman.",
        "t": "",
        "stempel": forms.fill_stamp(saluran.kode, issued_at=timezone.now().timestamp() - waited),
        forms.HONEYPOT_FIELD: "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
