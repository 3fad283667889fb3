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
