"""Survei Kepuasan Masyarakat (PermenPANRB 14/2017; rules §6): service units, their survey
periods and entry points (QR links per unit, counter or officer), the anonymous responses
with moderation, and the follow-up of the weakest unsur."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Instansi, Pegawai, UnitKerja

from . import rules

UNSUR_CHOICES = [(u.kode, u.nama) for u in rules.UNSUR]


def short_code() -> str:
    """An 8-character code for a public URL (no look-alike characters)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class UnitLayanan(models.Model):
    """A UnitKerja that serves the public and runs the SKM (rules §6.1)."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="unit_layanan")
    unit = models.OneToOneField(UnitKerja, on_delete=models.PROTECT, related_name="layanan")
    nama_publik = models.CharField(_("nama yang ditampilkan kepada publik"), max_length=200)
    aktif = models.BooleanField(_("aktif"), default=True)
    bobot_legacy = models.BooleanField(
        _("bobot lama 0,11"), default=False, help_text=_("Hanya untuk mencocokkan laporan lama; bobot baku 1/9.")
    )

    class Meta:
        verbose_name = _("unit layanan")
        verbose_name_plural = _("unit layanan")
        ordering = ["nama_publik"]

    def __str__(self):
        return self.nama_publik


class JenisLayanan(models.Model):
    unit_layanan = models.ForeignKey(UnitLayanan, on_delete=models.CASCADE, related_name="jenis_layanan")
    nama = models.CharField(_("jenis layanan"), max_length=200)
    aktif = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("jenis layanan")
        verbose_name_plural = _("jenis layanan")
        ordering = ["nama"]
        constraints = [models.UniqueConstraint(fields=["unit_layanan", "nama"], name="jenis_layanan_unik")]

    def __str__(self):
        return self.nama


class PertanyaanUnsur(models.Model):
    """The wording of one unsur's question and answers for a unit (the unsur itself is fixed)."""

    unit_layanan = models.ForeignKey(UnitLayanan, on_delete=models.CASCADE, related_name="pertanyaan")
    unsur = models.CharField(max_length=3, choices=UNSUR_CHOICES)
    teks = models.CharField(_("pertanyaan"), max_length=500)
    label_1 = models.CharField(max_length=80)
    label_2 = models.CharField(max_length=80)
    label_3 = models.CharField(max_length=80)
    label_4 = models.CharField(max_length=80)

    history = HistoricalRecords()

    class Meta:
        ordering = ["unsur"]
        constraints = [models.UniqueConstraint(fields=["unit_layanan", "unsur"], name="pertanyaan_unsur_unik")]

    def __str__(self):
        return f"{self.unsur}: {self.teks[:60]}"


class JenisSaluran(models.TextChoices):
    UNIT = "UNIT", _("Unit layanan")
    LOKET = "LOKET", _("Loket")
    PETUGAS = "PETUGAS", _("Petugas yang melayani")


class SaluranSurvei(models.Model):
    """A public entry point with its own short URL and QR poster: the unit, a counter, or an officer."""

    unit_layanan = models.ForeignKey(UnitLayanan, on_delete=models.CASCADE, related_name="saluran")
    jenis = models.CharField(max_length=8, choices=JenisSaluran.choices, default=JenisSaluran.UNIT)
    label = models.CharField(_("label"), max_length=120)
    petugas = models.ForeignKey(Pegawai, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kode = models.SlugField(max_length=16, unique=True, default=short_code)
    aktif = models.BooleanField(default=True)

    class Meta:
        ordering = ["jenis", "label"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(jenis="PETUGAS") | Q(petugas__isnull=False), name="saluran_petugas_wajib_pegawai"
            )
        ]

    def __str__(self):
        return f"{self.unit_layanan} – {self.label}"


class JenisPeriodeSurvei(models.TextChoices):
    TRIWULAN = "TRIWULAN", _("Triwulan")
    SEMESTER = "SEMESTER", _("Semester")
    TAHUN = "TAHUN", _("Tahunan")


class PeriodeSurvei(models.Model):
    """A survey period of a unit with the population N of service users (rules §6.1, §6.7)."""

    unit_layanan = models.ForeignKey(UnitLayanan, on_delete=models.CASCADE, related_name="periode")
    jenis = models.CharField(max_length=8, choices=JenisPeriodeSurvei.choices)
    label = models.CharField(_("label"), max_length=60)
    mulai = models.DateField(_("mulai"))
    selesai = models.DateField(_("selesai"))
    populasi = models.PositiveIntegerField(_("populasi pengguna layanan (N)"))
    metode_sampel = models.CharField(
        max_length=8, choices=[("TABLE", _("Tabel Krejcie–Morgan")), ("FORMULA", _("Rumus"))], default="TABLE"
    )
    # Rules §6.1: results must be published; HR decides when a period's results go on the public page.
    dipublikasikan = models.BooleanField(_("dipublikasikan"), default=False)

    class Meta:
        ordering = ["-mulai"]
        constraints = [models.CheckConstraint(condition=Q(selesai__gte=models.F("mulai")), name="periode_survei_valid")]

    def __str__(self):
        return f"{self.unit_layanan} {self.label}"

    @property
    def sampel_minimal(self) -> int:
        return rules.sample_size(self.populasi, method=self.metode_sampel)


class StatusRespons(models.TextChoices):
    DITERIMA = "DITERIMA", _("Diterima")
    DITANDAI = "DITANDAI", _("Ditandai untuk moderasi")
    DITOLAK = "DITOLAK", _("Ditolak")


class Pendidikan(models.TextChoices):
    SD = "SD", "SD"
    SMP = "SMP", "SMP"
    SMA = "SMA", "SMA/SMK"
    D3 = "D3", "D1–D3"
    S1 = "S1", "D4/S1"
    S2 = "S2", "S2"
    S3 = "S3", "S3"


class Pekerjaan(models.TextChoices):
    PNS = "PNS", "PNS"
    TNI = "TNI", "TNI"
    POLRI = "POLRI", "POLRI"
    SWASTA = "SWASTA", _("Pegawai swasta")
    WIRAUSAHA = "WIRAUSAHA", _("Wirausaha")
    PELAJAR = "PELAJAR", _("Pelajar/mahasiswa")
    LAINNYA = "LAINNYA", _("Lainnya")


class Respons(models.Model):
    """One anonymous questionnaire (rules §6.4: no name, no NIK, no address, no religion).

    Suspicious submissions are kept and flagged (``status`` DITANDAI with ``tanda``), never
    dropped; only DITERIMA responses count in the index. ``perangkat`` and ``alamat`` are
    salted hashes used only for abuse checks."""

    unit_layanan = models.ForeignKey(UnitLayanan, on_delete=models.PROTECT, related_name="respons")
    periode = models.ForeignKey(PeriodeSurvei, on_delete=models.PROTECT, null=True, blank=True, related_name="respons")
    saluran = models.ForeignKey(SaluranSurvei, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    petugas = models.ForeignKey(Pegawai, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    jenis_layanan = models.ForeignKey(JenisLayanan, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    diisi_pada = models.DateTimeField(auto_now_add=True)
    jenis_kelamin = models.CharField(
        _("jenis kelamin"), max_length=1, choices=[("L", _("Laki-laki")), ("P", _("Perempuan"))]
    )
    usia = models.PositiveSmallIntegerField(_("usia"))
    pendidikan = models.CharField(_("pendidikan"), max_length=4, choices=Pendidikan.choices)
    pekerjaan = models.CharField(_("pekerjaan"), max_length=10, choices=Pekerjaan.choices)
    pekerjaan_lain = models.CharField(_("pekerjaan lainnya"), max_length=60, blank=True)
    saran = models.TextField(_("saran dan masukan"), blank=True, max_length=1000)
    status = models.CharField(max_length=9, choices=StatusRespons.choices, default=StatusRespons.DITERIMA)
    tanda = models.CharField(_("alasan ditandai"), max_length=200, blank=True)
    alamat = models.CharField(max_length=64, blank=True, editable=False)
    perangkat = models.CharField(max_length=64, blank=True, editable=False)
    lama_isi_detik = models.PositiveIntegerField(null=True, blank=True)
    dimoderasi_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["alamat", "perangkat"])

    class Meta:
        verbose_name = _("respons SKM")
        verbose_name_plural = _("respons SKM")
        ordering = ["-diisi_pada"]
        indexes = [
            models.Index(fields=["unit_layanan", "status", "diisi_pada"]),
            models.Index(fields=["unit_layanan", "perangkat", "diisi_pada"]),
            models.Index(fields=["unit_layanan", "alamat", "diisi_pada"]),  # the hourly rate rule
        ]

    def __str__(self):
        return f"{self.unit_layanan} #{self.pk}"


class JawabanUnsur(models.Model):
    respons = models.ForeignKey(Respons, on_delete=models.CASCADE, related_name="jawaban")
    unsur = models.CharField(max_length=3, choices=UNSUR_CHOICES)
    nilai = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["respons", "unsur"], name="jawaban_unsur_unik"),
            models.CheckConstraint(condition=Q(nilai__gte=1, nilai__lte=4), name="jawaban_unsur_1_4"),
        ]

    def __str__(self):
        return f"{self.unsur}={self.nilai}"


class TokenSurvei(models.Model):
    """An optional single-use token printed on a receipt or queue ticket."""

    unit_layanan = models.ForeignKey(UnitLayanan, on_delete=models.CASCADE, related_name="token")
    kode = models.CharField(max_length=16, unique=True, default=short_code)
    berlaku_sampai = models.DateTimeField()
    dipakai_pada = models.DateTimeField(null=True, blank=True)
    respons = models.OneToOneField(Respons, on_delete=models.SET_NULL, null=True, blank=True, related_name="token")

    def __str__(self):
        return self.kode


class StatusTindakLanjut(models.TextChoices):
    RENCANA = "RENCANA", _("Direncanakan")
    PROSES = "PROSES", _("Sedang dikerjakan")
    SELESAI = "SELESAI", _("Selesai")


class TindakLanjut(models.Model):
    """A follow-up item for one of the three lowest unsur of a period (rules §6.1), assigned to the unit head."""

    periode = models.ForeignKey(PeriodeSurvei, on_delete=models.CASCADE, related_name="tindak_lanjut")
    unsur = models.CharField(max_length=3, choices=UNSUR_CHOICES)
    nrr = models.DecimalField(max_digits=6, decimal_places=4)
    rencana = models.TextField(_("rencana tindak lanjut"), blank=True, max_length=2000)
    penanggung_jawab = models.ForeignKey(Pegawai, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=8, choices=StatusTindakLanjut.choices, default=StatusTindakLanjut.RENCANA)
    target_selesai = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["periode", "unsur"], name="tindak_lanjut_unik")]

    def __str__(self):
        return f"{self.periode}: {self.get_unsur_display()}"
