"""The results table the dashboards read, and the runs of the jobs that fill it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Instansi, Pegawai, UnitKerja


class HasilKinerja(models.Model):
    """One employee's computed figures for one evaluation period (issue 6 item 2), upserted by
    ``reports.services.period_scores_compute`` on the natural key (periode_evaluasi, pegawai).

    ``rincian`` holds the achievement per RHK and per IKI: {rhk_id: {"capaian": "97.50", "iki": {iki_id: "…"}}}."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    periode_evaluasi = models.ForeignKey("appraisal.PeriodeEvaluasi", on_delete=models.CASCADE, related_name="+")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="hasil_kinerja")
    unit = models.ForeignKey(UnitKerja, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    skp = models.ForeignKey("appraisal.SKP", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    capaian_skp = models.DecimalField(_("capaian SKP (%)"), max_digits=8, decimal_places=2, null=True, blank=True)
    jumlah_iki = models.PositiveIntegerField(default=0)
    iki_terisi = models.PositiveIntegerField(default=0)
    rincian = models.JSONField(default=dict, blank=True)
    status_evaluasi = models.CharField(max_length=6, blank=True)
    rating_hasil_kerja = models.CharField(max_length=8, blank=True)
    rating_perilaku_kerja = models.CharField(max_length=8, blank=True)
    predikat = models.CharField(max_length=16, blank=True)
    nilai_kinerja = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    ikm_unit = models.DecimalField(_("IKM unit"), max_digits=5, decimal_places=2, null=True, blank=True)
    jumlah_umpan_balik = models.PositiveIntegerField(default=0)
    dihitung_pada = models.DateTimeField()

    class Meta:
        verbose_name = _("hasil kinerja")
        verbose_name_plural = _("hasil kinerja")
        constraints = [models.UniqueConstraint(fields=["periode_evaluasi", "pegawai"], name="hasil_kinerja_unik")]
        indexes = [models.Index(fields=["instansi", "periode_evaluasi", "unit"])]

    def __str__(self):
        return f"{self.pegawai_id} @ {self.periode_evaluasi_id}"


class StatusJob(models.TextChoices):
    ANTRE = "ANTRE", _("Dalam antrean")
    BERJALAN = "BERJALAN", _("Berjalan")
    SELESAI = "SELESAI", _("Selesai")
    GAGAL = "GAGAL", _("Gagal")


class JobRun(models.Model):
    """One run of a batch job, with its progress for the HR progress bar and its audit trail
    (who started it, when, how many rows)."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    jenis = models.CharField(max_length=30)
    parameter = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=8, choices=StatusJob.choices, default=StatusJob.ANTRE)
    total = models.PositiveIntegerField(default=0)
    selesai = models.PositiveIntegerField(default=0)
    baris = models.PositiveIntegerField(_("baris ditulis"), default=0)
    pesan = models.TextField(blank=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    dimulai_pada = models.DateTimeField(null=True, blank=True)
    selesai_pada = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-dibuat_pada"]

    def __str__(self):
        return f"{self.jenis} #{self.pk}"

    @property
    def persen(self) -> int:
        if self.status == StatusJob.SELESAI:
            return 100
        return int(self.selesai * 100 / self.total) if self.total else 0
