"""Objective evidence (issue 10; the Tanjungbalai document "penilaian berbasis objektivitas"):
a catalogue of standard measurable indicators, realisations fed from files and from other
government systems, and the employee's own self-assessment before the supervisor evaluates."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Instansi, UnitKerja

from .evaluasi import PeriodeEvaluasi, Rating
from .skp import RHK, SKP, Arah, Aspek, CoreValue, SumberRealisasi

__all__ = [
    "KatalogIndikator",
    "StatusImpor",
    "ImporRealisasi",
    "TokenSumber",
    "StatusPenilaianDiri",
    "PenilaianDiri",
    "PenilaianDiriButir",
]


class KatalogIndikator(models.Model):
    """A standard objective indicator for one kind of jabatan (e.g. perawat: jumlah pasien dilayani),
    so the same roles are measured the same way across units. ``kode`` names it in import files
    and in the API."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="katalog_indikator")
    kode = models.SlugField(
        _("kode"), max_length=40, help_text=_("Dipakai pada berkas impor dan API, mis. pasien-dilayani.")
    )
    kelompok_jabatan = models.CharField(
        _("kelompok jabatan"), max_length=100, help_text=_("Mis. Guru, Perawat, Petugas Pelayanan Dukcapil.")
    )
    nama = models.CharField(_("indikator"), max_length=300)
    aspek = models.CharField(_("aspek"), max_length=10, choices=Aspek.choices, default=Aspek.KUANTITAS)
    satuan = models.CharField(_("satuan"), max_length=60)
    arah = models.CharField(_("arah"), max_length=5, choices=Arah.choices, default=Arah.NAIK)
    sumber_bawaan = models.CharField(
        _("sumber bawaan"), max_length=12, choices=SumberRealisasi.choices, default=SumberRealisasi.BERKAS
    )
    keterangan = models.TextField(_("cara mengukur"), blank=True, max_length=1000)
    aktif = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indikator katalog")
        verbose_name_plural = _("katalog indikator")
        ordering = ["kelompok_jabatan", "nama"]
        constraints = [models.UniqueConstraint(fields=["instansi", "kode"], name="katalog_kode_unik")]

    def __str__(self):
        return f"{self.kelompok_jabatan}: {self.nama}"


class StatusImpor(models.TextChoices):
    DRAF = "DRAF", _("Uji coba (belum diterapkan)")
    DITERAPKAN = "DITERAPKAN", _("Diterapkan")


def impor_upload_to(instance, filename: str) -> str:
    return f"impor/realisasi/{uuid.uuid4().hex}"


class ImporRealisasi(models.Model):
    """One file of realisations (NIP → value) for one catalogue indicator and evaluation period,
    uploaded by HR or a unit admin. The dry-run report is kept in ``laporan``; applying it writes
    every row or none, and each written Realisasi points back here (who, which file, when)."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    periode_evaluasi = models.ForeignKey(PeriodeEvaluasi, on_delete=models.PROTECT, related_name="+")
    katalog = models.ForeignKey(KatalogIndikator, on_delete=models.PROTECT, related_name="impor")
    nama_berkas = models.CharField(_("nama berkas"), max_length=255)
    berkas = models.FileField(upload_to=impor_upload_to, max_length=255)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=StatusImpor.choices, default=StatusImpor.DRAF)
    laporan = models.JSONField(default=dict, blank=True)
    jumlah_baris = models.PositiveIntegerField(default=0)
    jumlah_salah = models.PositiveIntegerField(default=0)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    diterapkan_pada = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("impor realisasi")
        verbose_name_plural = _("impor realisasi")
        ordering = ["-dibuat_pada", "-pk"]

    def __str__(self):
        return self.nama_berkas


class TokenSumber(models.Model):
    """A token with which another government system pushes realisations for one unit's employees
    (and the units below it). Only its SHA-256 is stored; the token is shown once at creation."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    unit_kerja = models.ForeignKey(UnitKerja, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit kerja"))
    nama_sistem = models.CharField(_("nama sistem"), max_length=120, help_text=_("Mis. SIMPUS Puskesmas Dumai Kota."))
    awalan = models.CharField(max_length=8, help_text=_("Awal token, untuk mengenalinya."))
    token_hash = models.CharField(max_length=64, unique=True)
    aktif = models.BooleanField(_("aktif"), default=True)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    terakhir_dipakai = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["terakhir_dipakai"])

    class Meta:
        verbose_name = _("token sumber data")
        verbose_name_plural = _("token sumber data")
        ordering = ["-dibuat_pada", "-pk"]

    def __str__(self):
        return f"{self.nama_sistem} ({self.awalan}…)"


class StatusPenilaianDiri(models.TextChoices):
    DRAF = "DRAF", _("Draf")
    DIKIRIM = "DIKIRIM", _("Dikirim")


class PenilaianDiri(models.Model):
    """The employee's own view of a period before the supervisor evaluates it: a rating per RHK and
    per BerAKHLAK value, and a short reflection. Frozen once sent or once the evaluation is final."""

    skp = models.ForeignKey(SKP, on_delete=models.CASCADE, related_name="penilaian_diri")
    periode_evaluasi = models.ForeignKey(PeriodeEvaluasi, on_delete=models.PROTECT, related_name="+")
    refleksi = models.TextField(_("refleksi"), blank=True, max_length=3000)
    status = models.CharField(
        _("status"), max_length=8, choices=StatusPenilaianDiri.choices, default=StatusPenilaianDiri.DRAF
    )
    dikirim_pada = models.DateTimeField(null=True, blank=True)
    diubah_pada = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("penilaian diri")
        verbose_name_plural = _("penilaian diri")
        constraints = [
            models.UniqueConstraint(fields=["skp", "periode_evaluasi"], name="penilaian_diri_unik_per_periode")
        ]

    def __str__(self):
        return f"{self.skp} – {self.periode_evaluasi}"


class PenilaianDiriButir(models.Model):
    """One self-rating: for a RHK or for a core value (exactly one of the two)."""

    penilaian = models.ForeignKey(PenilaianDiri, on_delete=models.CASCADE, related_name="butir")
    rhk = models.ForeignKey(RHK, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    core_value = models.ForeignKey(CoreValue, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    rating = models.CharField(_("penilaian"), max_length=8, choices=Rating.choices)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["penilaian", "rhk"], condition=Q(rhk__isnull=False), name="penilaian_diri_rhk_unik"
            ),
            models.UniqueConstraint(
                fields=["penilaian", "core_value"],
                condition=Q(core_value__isnull=False),
                name="penilaian_diri_cv_unik",
            ),
            models.CheckConstraint(
                condition=Q(rhk__isnull=True, core_value__isnull=False) | Q(rhk__isnull=False, core_value__isnull=True),
                name="penilaian_diri_satu_sasaran",
            ),
        ]

    def __str__(self):
        return self.get_rating_display()
