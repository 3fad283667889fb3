"""Competencies (rules §5.1), the talent 9-box (rules §4) and the recommendations derived from
predikat and competency gaps (rules §3.1, §4.2, §5.2). TalentaBox and Rekomendasi are results
tables: only ``talenta.services.talenta_compute`` writes them, upserting on their natural keys."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Instansi, Jabatan, Pegawai, UnitKerja


class JenisKompetensi(models.TextChoices):
    MANAJERIAL = "MANAJERIAL", _("Manajerial")
    SOSIAL_KULTURAL = "SOSIAL_KULTURAL", _("Sosial kultural")
    TEKNIS = "TEKNIS", _("Teknis")


class Kompetensi(models.Model):
    """A competency of the dictionary: the eight managerial ones (M1–M8) and Perekat Bangsa (SK1)
    are national (``instansi`` empty, seeded by a migration); technical ones belong to an instansi."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kode = models.CharField(_("kode"), max_length=20)
    nama = models.CharField(_("nama kompetensi"), max_length=200)
    jenis = models.CharField(_("jenis"), max_length=16, choices=JenisKompetensi.choices)

    class Meta:
        verbose_name = _("kompetensi")
        verbose_name_plural = _("kompetensi")
        ordering = ["jenis", "kode"]
        constraints = [
            models.UniqueConstraint(
                fields=["kode"], condition=Q(instansi__isnull=True), name="kompetensi_nasional_unik"
            ),
            models.UniqueConstraint(fields=["instansi", "kode"], name="kompetensi_unik_per_instansi"),
        ]

    def __str__(self):
        return f"{self.kode} {self.nama}"


LEVEL_CHECK = Q(level__gte=1, level__lte=5)


class StandarKompetensi(models.Model):
    """Standar Kompetensi Jabatan (rules §5.1): the level a post requires for one competency."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    jabatan = models.ForeignKey(Jabatan, on_delete=models.CASCADE, related_name="standar_kompetensi")
    kompetensi = models.ForeignKey(Kompetensi, on_delete=models.PROTECT, related_name="+")
    level_standar = models.PositiveSmallIntegerField(_("level standar"))

    class Meta:
        verbose_name = _("standar kompetensi jabatan")
        verbose_name_plural = _("standar kompetensi jabatan")
        constraints = [
            models.UniqueConstraint(fields=["jabatan", "kompetensi"], name="standar_kompetensi_unik"),
            models.CheckConstraint(condition=Q(level_standar__gte=1, level_standar__lte=5), name="standar_level_1_5"),
        ]

    def __str__(self):
        return f"{self.jabatan_id}: {self.kompetensi_id} ≥ {self.level_standar}"


class SumberPenilaian(models.TextChoices):
    ASESMEN = "ASESMEN", _("Asesmen / uji kompetensi")
    FORMULIR_B19 = "FORMULIR_B19", _("Formulir B.1.9")


class PenilaianKompetensi(models.Model):
    """An assessed competency level of an employee; the latest per pegawai × kompetensi counts."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="penilaian_kompetensi")
    kompetensi = models.ForeignKey(Kompetensi, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"))
    sumber = models.CharField(_("sumber"), max_length=12, choices=SumberPenilaian.choices)
    tanggal = models.DateField(_("tanggal"))

    class Meta:
        verbose_name = _("penilaian kompetensi")
        verbose_name_plural = _("penilaian kompetensi")
        ordering = ["pegawai", "kompetensi", "-tanggal", "-pk"]
        constraints = [models.CheckConstraint(condition=LEVEL_CHECK, name="penilaian_level_1_5")]
        indexes = [models.Index(fields=["pegawai", "kompetensi", "tanggal"])]

    def __str__(self):
        return f"{self.pegawai_id} {self.kompetensi_id} = {self.level}"


class TalentaBox(models.Model):
    """One employee's place in the 9-box for one year (rules §4). ``kotak`` stays empty when an
    axis cannot be determined (no final predikat, or no competency standard); ``alasan`` is the
    list of reasons shown to HR."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="talenta_box")
    unit = models.ForeignKey(UnitKerja, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    predikat = models.CharField(_("predikat terakhir"), max_length=16, blank=True)
    kinerja = models.CharField(_("kinerja"), max_length=8, blank=True)
    potensial = models.CharField(_("potensial"), max_length=8, blank=True)
    jpm = models.DecimalField(_("JPM (%)"), max_digits=6, decimal_places=2, null=True, blank=True)
    kotak = models.PositiveSmallIntegerField(_("kotak"), null=True, blank=True)
    alasan = models.JSONField(default=list, blank=True)
    dihitung_pada = models.DateTimeField()

    class Meta:
        verbose_name = _("kotak talenta")
        verbose_name_plural = _("kotak talenta")
        constraints = [
            models.UniqueConstraint(fields=["tahun", "pegawai"], name="talenta_box_unik"),
            models.CheckConstraint(
                condition=Q(kotak__isnull=True) | Q(kotak__gte=1, kotak__lte=9), name="talenta_kotak_1_9"
            ),
        ]
        indexes = [models.Index(fields=["instansi", "tahun", "kotak"])]

    def __str__(self):
        return f"{self.pegawai_id} {self.tahun}: {self.kotak}"


class JenisRekomendasi(models.TextChoices):
    PROMOSI = "PROMOSI", _("Promosi")
    PELATIHAN = "PELATIHAN", _("Pelatihan / pengembangan kompetensi")
    BIMBINGAN = "BIMBINGAN", _("Bimbingan kinerja")
    KONSELING = "KONSELING", _("Konseling kinerja")
    PENGHARGAAN = "PENGHARGAAN", _("Penghargaan (pegawai teladan)")


class Rekomendasi(models.Model):
    """A follow-up recommendation for one employee and year, with its reasons (``alasan``, shown)
    and the figures behind them (``data``)."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="rekomendasi_talenta")
    unit = models.ForeignKey(UnitKerja, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    jenis = models.CharField(_("jenis"), max_length=12, choices=JenisRekomendasi.choices)
    alasan = models.TextField(_("alasan"))
    data = models.JSONField(default=dict, blank=True)
    dihitung_pada = models.DateTimeField()

    class Meta:
        verbose_name = _("rekomendasi")
        verbose_name_plural = _("rekomendasi")
        ordering = ["jenis", "pegawai__nama"]
        constraints = [models.UniqueConstraint(fields=["tahun", "pegawai", "jenis"], name="rekomendasi_unik")]
        indexes = [models.Index(fields=["instansi", "tahun", "jenis"])]

    def __str__(self):
        return f"{self.pegawai_id} {self.tahun}: {self.jenis}"
