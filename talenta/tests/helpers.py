"""Arranging talent tests: final predikat, competency standards and assessed levels, written
directly (these tests exercise the talent job, not the appraisal services)."""

import datetime
from decimal import Decimal

from appraisal.models import SKP, Evaluasi, PeriodeEvaluasi, PeriodeSKP
from appraisal.tests.factories import open_year
from reports.models import HasilKinerja
from talenta.models import Kompetensi, PenilaianKompetensi, StandarKompetensi


def year(org, tahun: int) -> PeriodeSKP:
    return PeriodeSKP.objects.filter(instansi=org.instansi, tahun=tahun).first() or open_year(org, tahun)


def final(org, pegawai, tahun: int, predikat: str, *, jenis="TAHUNAN", ke=1) -> Evaluasi:
    """A FINAL evaluation with ``predikat`` on the given period of ``tahun``."""
    periode_skp = year(org, tahun)
    periode = PeriodeEvaluasi.objects.get(periode_skp=periode_skp, jenis=jenis, ke=ke)
    skp, _created = SKP.objects.get_or_create(
        pegawai=pegawai,
        mulai=datetime.date(tahun, 1, 1),
        revisi_ke=0,
        defaults={
            "instansi": org.instansi, "periode": periode_skp, "jabatan": pegawai.jabatan,
            "selesai": datetime.date(tahun, 12, 31), "jenis": "ADM_FUNG", "status": "DISETUJUI",
        },
    )  # fmt: skip
    return Evaluasi.objects.create(
        instansi=org.instansi, skp=skp, periode_evaluasi=periode, status="FINAL",
        rating_hasil_kerja="SESUAI", rating_perilaku_kerja="SESUAI", predikat=predikat,
    )  # fmt: skip


def kompetensi(kode: str) -> Kompetensi:
    return Kompetensi.objects.get(instansi=None, kode=kode)


def standar(org, jabatan, levels: dict[str, int]) -> None:
    for kode, level in levels.items():
        StandarKompetensi.objects.create(
            instansi=org.instansi, jabatan=jabatan, kompetensi=kompetensi(kode), level_standar=level
        )


def assess(org, pegawai, levels: dict[str, int], *, tanggal=datetime.date(2026, 3, 1)) -> None:
    for kode, level in levels.items():
        PenilaianKompetensi.objects.create(
            instansi=org.instansi, pegawai=pegawai, kompetensi=kompetensi(kode), level=level,
            sumber="ASESMEN", tanggal=tanggal,
        )  # fmt: skip


def capaian(org, pegawai, tahun: int, value: str) -> None:
    periode = PeriodeEvaluasi.objects.get(periode_skp=year(org, tahun), jenis="TAHUNAN")
    HasilKinerja.objects.create(
        instansi=org.instansi, periode_evaluasi=periode, pegawai=pegawai, unit=pegawai.unit,
        capaian_skp=Decimal(value), dihitung_pada=datetime.datetime(2027, 1, 5, tzinfo=datetime.UTC),
    )  # fmt: skip
