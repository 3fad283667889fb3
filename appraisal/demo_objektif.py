"""Demo catalogue of objective indicators (issue 10), after the regions' own documents: Tanjungbalai
(guru, perawat), Alak (Dukcapil turnaround and waiting time) and Tebingtinggi (complaints).

``seed(instansi)`` is idempotent: an indicator whose kode already exists in the instansi is left as
HR may have edited it. Hook: ``from appraisal.demo_objektif import seed; seed(instansi)``."""

from __future__ import annotations

import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q

from accounts.models import Instansi, User

from .models import IKI, SKP, Arah, Aspek, KatalogIndikator, PeriodeEvaluasi, StatusSKP, SumberRealisasi

# (kode, kelompok jabatan, indikator, aspek, satuan, arah, sumber bawaan, cara mengukur)
KATALOG = (
    (
        "nilai-ujian-rata-rata",
        "Guru",
        "Rata-rata nilai ujian peserta didik",
        Aspek.KUALITAS,
        "nilai",
        Arah.NAIK,
        SumberRealisasi.BERKAS,
        "Rata-rata nilai ujian akhir semester kelas yang diampu, dari rekap nilai sekolah.",
    ),
    (
        "jp-pengembangan-profesi",
        "Guru",
        "Jam pelajaran pengembangan profesi yang diikuti",
        Aspek.KUANTITAS,
        "JP",
        Arah.NAIK,
        SumberRealisasi.BERKAS,
        "Jumlah JP pelatihan, diklat dan MGMP bersertifikat pada periode, dari rekap dinas pendidikan.",
    ),
    (
        "pasien-dilayani",
        "Perawat",
        "Jumlah pasien dilayani",
        Aspek.KUANTITAS,
        "pasien",
        Arah.NAIK,
        SumberRealisasi.BERKAS,
        "Jumlah kunjungan pasien yang dilayani, dari ekspor SIMPUS/SIMRS per periode.",
    ),
    (
        "kepuasan-pasien",
        "Perawat",
        "Kepuasan pasien",
        Aspek.KUALITAS,
        "indeks",
        Arah.NAIK,
        SumberRealisasi.SKM_PETUGAS,
        "Nilai SKM petugas dari pasien yang dilayani (skala 25–100).",
    ),
    (
        "dokumen-tepat-waktu",
        "Petugas Pelayanan Dukcapil",
        "Dokumen kependudukan selesai tepat waktu",
        Aspek.WAKTU,
        "%",
        Arah.NAIK,
        SumberRealisasi.API,
        "Persentase dokumen (KTP-el, KK, akta) selesai dalam standar waktu layanan, dikirim SIAK.",
    ),
    (
        "waktu-tunggu-rata-rata",
        "Petugas Pelayanan Dukcapil",
        "Waktu tunggu rata-rata pemohon",
        Aspek.WAKTU,
        "menit",
        Arah.TURUN,
        SumberRealisasi.API,
        "Rata-rata menit dari ambil nomor antrean sampai dilayani, dari sistem antrean. Makin rendah makin baik.",
    ),
    (
        "pengaduan-selesai-1-hari",
        "Petugas Pengelola Pengaduan",
        "Pengaduan selesai dalam 1 hari kerja",
        Aspek.WAKTU,
        "%",
        Arah.NAIK,
        SumberRealisasi.BERKAS,
        "Persentase pengaduan yang ditutup dalam 1 hari kerja, dari rekap aplikasi pengaduan (SP4N-LAPOR!).",
    ),
)


def seed(instansi: Instansi) -> int:
    """Add the demo catalogue to ``instansi``; returns how many indicators were added."""
    taken = set(KatalogIndikator.objects.filter(instansi=instansi).values_list("kode", flat=True))
    added = [
        KatalogIndikator(
            instansi=instansi,
            kode=kode,
            kelompok_jabatan=kelompok,
            nama=nama,
            aspek=aspek,
            satuan=satuan,
            arah=arah,
            sumber_bawaan=sumber,
            keterangan=keterangan,
        )
        for kode, kelompok, nama, aspek, satuan, arah, sumber, keterangan in KATALOG
        if kode not in taken
    ]
    for item in added:  # seven rows: saved one by one so each enters the catalogue's history
        item.save()
    return len(added)


DEMO_SOURCED = 12  # approved SKP in health-centre units whose first IKI is measured from a file


def seed_import(instansi: Instansi) -> int:
    """Let the demo show objective evidence end to end: the first IKI of a dozen approved SKP in
    the puskesmas takes "jumlah pasien dilayani" from a file, and HR imports TRIWULAN III's file
    through the real services (dry-run, then apply). Returns how many realisations it wrote;
    does nothing when the catalogue indicator already has an import."""
    katalog = KatalogIndikator.objects.filter(instansi=instansi, kode="pasien-dilayani").first()
    hr = User.objects.filter(instansi=instansi, is_admin_kepegawaian=True).order_by("pk").first()
    periode = (
        PeriodeEvaluasi.objects.filter(periode_skp__instansi=instansi, jenis="TRIWULANAN", ke=3)
        .order_by("-periode_skp__tahun")
        .first()
    )
    if katalog is None or hr is None or periode is None or katalog.impor.exists():
        return 0
    skps = list(
        SKP.objects.filter(
            Q(pegawai__unit__nama__icontains="puskesmas"),
            instansi=instansi, periode=periode.periode_skp, status=StatusSKP.DISETUJUI, is_current=True,
            pendekatan="KUANTITATIF",
        ).select_related("pegawai").order_by("pk")[:DEMO_SOURCED]
    )  # fmt: skip
    first_iki = {}
    for iki in IKI.objects.filter(rhk__skp__in=skps).order_by("rhk__skp_id", "rhk__urutan", "urutan", "pk"):
        first_iki.setdefault(iki.rhk.skp_id, iki)
    for iki in first_iki.values():  # at most a dozen rows, each saved so it enters the history
        iki.katalog, iki.sumber = katalog, SumberRealisasi.BERKAS
        iki.uraian, iki.aspek, iki.satuan, iki.arah = katalog.nama, katalog.aspek, katalog.satuan, katalog.arah
        iki.save()
    if not first_iki:
        return 0
    from . import services_objektif

    rng = random.Random(instansi.pk)
    rows = "".join(
        f"{skp.pegawai.nip},{rng.randint(250, 420)},{periode.label}\n" for skp in skps if skp.pk in first_iki
    )
    upload = SimpleUploadedFile("pasien-dilayani-tw3.csv", f"nip,nilai,periode\n{rows}".encode())
    impor = services_objektif.realisasi_import_preview(
        instansi=instansi, periode=periode, katalog=katalog, upload=upload, by=hr
    )
    services_objektif.realisasi_import_apply(impor=impor, by=hr)
    return len(first_iki)
