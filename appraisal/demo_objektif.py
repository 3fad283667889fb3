"""Demo catalogue of objective indicators (issue 10), after the regions' own documents: Tanjungbalai
(guru, perawat), Alak (Dukcapil turnaround and waiting time) and Tebingtinggi (complaints).

``seed(instansi)`` is idempotent: an indicator whose kode already exists in the instansi is left as
HR may have edited it. Hook: ``from appraisal.demo_objektif import seed; seed(instansi)``."""

from __future__ import annotations

from accounts.models import Instansi

from .models import Arah, Aspek, KatalogIndikator, SumberRealisasi

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
