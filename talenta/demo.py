"""Demo data of the talent and development screens: a training catalogue, competency standards
per post (the typical managerial level per position type, rules §5.1 — an L-confidence table, so
demo only), assessed levels for every employee, and two scheduled trainings (one past, one
coming). Idempotent per instansi: a second call changes nothing."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Instansi, Jabatan, Pegawai

from .models import (
    JadwalPelatihan,
    Kompetensi,
    Pelatihan,
    PenilaianKompetensi,
    PesertaPelatihan,
    Rekomendasi,
    StandarKompetensi,
    TalentaBox,
)

# Rules §5.1: typical manajerial level per position type (L: verify against the instansi's SKJ).
LEVEL_PER_JENIS = {
    "JPT_UTAMA": 5, "JPT_MADYA": 5, "JPT_PRATAMA": 4, "ADMINISTRATOR": 3, "PENGAWAS": 2, "PELAKSANA": 1,
    "FUNGSIONAL_KEAHLIAN": 2, "FUNGSIONAL_KETERAMPILAN": 1,
}  # fmt: skip
KATALOG = [
    ("Pelatihan Kepemimpinan Pengawas", "KLASIKAL", "Pelatihan struktural kepemimpinan", 60, ["M4", "M6", "M8"]),
    ("Bimbingan Teknis Pelayanan Publik", "KLASIKAL", "Bimbingan teknis", 24, ["M5", "M3"]),
    ("E-learning Kerja Sama dan Komunikasi", "NONKLASIKAL", "E-learning", 10, ["M2", "M3"]),
    ("Coaching Kinerja", "NONKLASIKAL", "Coaching", 8, ["M1", "M4"]),
    ("Wawasan Kebangsaan", "KLASIKAL", "Pelatihan sosial kultural", 16, ["SK1"]),
]


def seed_talenta_demo(*, instansi: Instansi) -> dict:
    """Create the demo catalogue, standards, assessed levels and schedules of ``instansi``."""
    if Pelatihan.objects.filter(instansi=instansi).exists():
        return {"pelatihan": 0, "standar": 0, "penilaian": 0}
    today = timezone.localdate()
    kompetensi = {k.kode: k for k in Kompetensi.objects.filter(instansi__isnull=True)}
    with transaction.atomic():
        katalog = []
        for nama, jenis, bentuk, jp, kodes in KATALOG:
            p = Pelatihan.objects.create(instansi=instansi, nama=nama, jenis=jenis, bentuk=bentuk, jp=jp)
            p.kompetensi.set([kompetensi[k] for k in kodes])
            katalog.append(p)
        standar = [
            StandarKompetensi(instansi=instansi, jabatan_id=pk, kompetensi=k, level_standar=LEVEL_PER_JENIS[jenis])
            for pk, jenis in Jabatan.objects.filter(instansi=instansi).values_list("pk", "jenis")
            for k in kompetensi.values()
        ]
        StandarKompetensi.objects.bulk_create(standar)
        jenis_of = dict(Pegawai.objects.filter(instansi=instansi).values_list("pk", "jabatan__jenis"))
        penilaian = [
            # Deterministic spread: some meet the standard, some fall one level short.
            PenilaianKompetensi(
                instansi=instansi,
                pegawai_id=pk,
                kompetensi=k,
                sumber="ASESMEN",
                tanggal=today.replace(month=1, day=15),
                level=max(1, LEVEL_PER_JENIS[jenis] - ((pk + i) % 3 == 0)),
            )  # fmt: skip
            for pk, jenis in jenis_of.items()
            if jenis
            for i, k in enumerate(kompetensi.values())
        ]
        PenilaianKompetensi.objects.bulk_create(penilaian, batch_size=2000)
        for pelatihan, start in (
            (katalog[1], today - datetime.timedelta(days=150)),
            (katalog[2], today + datetime.timedelta(days=21)),
        ):
            JadwalPelatihan.objects.create(
                instansi=instansi, pelatihan=pelatihan, mulai=start, selesai=start + datetime.timedelta(days=2),
                tempat="BPSDM Provinsi", penyelenggara="BPSDM Provinsi", kuota=30,
            )  # fmt: skip
    return {"pelatihan": len(katalog), "standar": len(standar), "penilaian": len(penilaian)}


def demo_reset_talenta(instansi_ids: list[int]) -> None:
    """Delete the talent rows of the demo instansi (before their employees and posts go)."""
    for model in (PesertaPelatihan, JadwalPelatihan, Pelatihan, Rekomendasi, TalentaBox, PenilaianKompetensi,
                  StandarKompetensi):  # fmt: skip
        model.objects.filter(instansi_id__in=instansi_ids).delete()
    Kompetensi.objects.filter(instansi_id__in=instansi_ids).delete()
