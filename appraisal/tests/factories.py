"""Factories and builders for SKP planning tests."""

import datetime
from decimal import Decimal

import factory

from appraisal import services
from appraisal.models import IKI, RHK, SKP, PeriodeSKP


class PeriodeSKPFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeriodeSKP

    tahun = 2026
    mulai = datetime.date(2026, 1, 1)
    selesai = datetime.date(2026, 12, 31)
    batas_penetapan = datetime.date(2026, 1, 31)
    ritme = "TRIWULANAN"


def open_year(org, tahun: int = 2026, ritme: str = "TRIWULANAN") -> PeriodeSKP:
    """The SKP year of the ``org`` fixture with its evaluation periods, opened by its HR admin."""
    return services.periode_open(instansi=org.instansi, tahun=tahun, ritme=ritme, by=org.hr_admin)


def add_rhk(skp: SKP, uraian: str, *, parent: RHK | None = None, jenis="UTAMA", target=Decimal("12")) -> RHK:
    """A RHK with one kuantitas IKI, written directly (for arranging tests, not for testing services)."""
    rhk = RHK.objects.create(skp=skp, uraian=uraian, rhk_atasan=parent, jenis=jenis)
    IKI.objects.create(
        rhk=rhk, aspek="KUANTITAS", uraian=f"Jumlah {uraian.lower()}", target_min=target, satuan="dokumen"
    )
    return rhk


def approved_skp(pegawai, periode: PeriodeSKP, *, rhk=("Layanan rujukan yang tepat waktu",), parent: RHK | None = None):
    """An approved SKP for ``pegawai`` with the given RHK (each intervening ``parent`` if given)."""
    skp = services.skp_create(pegawai=pegawai, periode=periode, by=pegawai.user)
    for uraian in rhk:
        add_rhk(skp, uraian, parent=parent)
    skp.status = "DISETUJUI"
    skp.save(update_fields=["status"])
    return skp


def approved_chain(org, periode: PeriodeSKP) -> dict:
    """Approved SKPs down the chain kepala dinas → kabid → kasi, each cascading from the one above."""
    kadis = approved_skp(org.kepala_unit, periode, rhk=("Meningkatnya mutu layanan kesehatan",))
    kabid = approved_skp(org.atasan_penilai, periode, rhk=("Layanan rujukan bermutu",), parent=kadis.rhk.get())
    kasi = approved_skp(
        org.penilai, periode, rhk=("Rujukan pasien selesai tepat waktu", "Data rujukan lengkap"), parent=kabid.rhk.get()
    )
    return {"kadis": kadis, "kabid": kabid, "kasi": kasi}


def katalog(org, kode="pasien-dilayani", *, nama="Jumlah pasien dilayani", sumber="BERKAS", kelompok="Perawat"):
    """A catalogue indicator of the ``org`` instansi (issue 10)."""
    from appraisal.models import KatalogIndikator

    return KatalogIndikator.objects.create(
        instansi=org.instansi, kode=kode, kelompok_jabatan=kelompok, nama=nama, satuan="pasien", sumber_bawaan=sumber
    )


def sourced_iki(skp: SKP, katalog_indikator, *, target=Decimal("300"), sumber=None) -> IKI:
    """An IKI on ``skp``'s first RHK taken from the catalogue, its realisation fed by ``sumber``."""
    return IKI.objects.create(
        rhk=skp.rhk.order_by("pk").first(),
        aspek="KUANTITAS",
        uraian=katalog_indikator.nama,
        target_min=target,
        satuan=katalog_indikator.satuan,
        katalog=katalog_indikator,
        sumber=sumber or katalog_indikator.sumber_bawaan,
    )
