"""Competencies (rules §5.1), the talent 9-box (rules §4) and the recommendations derived from
predikat and competency gaps (rules §3.1, §4.2, §5.2). TalentaBox and Rekomendasi are results
tables: only ``talenta.services.talenta_compute`` writes them, upserting on their natural keys."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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

    history = HistoricalRecords()

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
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

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


# --- Rencana pembinaan: trainings, schedules and enrolments (rules §5.2) ---------------------------


class JenisPelatihan(models.TextChoices):
    """Rules §5.2 (PP 17/2020, Perlan 10/2018): the path of a development activity."""

    KLASIKAL = "KLASIKAL", _("Klasikal")
    NONKLASIKAL = "NONKLASIKAL", _("Nonklasikal")


class Pelatihan(models.Model):
    """An entry of the instansi's training catalogue: what is taught, on which path, which
    competencies it develops and how many JP (jam pelajaran, 45 minutes) it is worth."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    nama = models.CharField(_("nama pelatihan"), max_length=200)
    jenis = models.CharField(_("jalur"), max_length=12, choices=JenisPelatihan.choices)
    bentuk = models.CharField(_("bentuk"), max_length=40)
    kompetensi = models.ManyToManyField(
        Kompetensi, verbose_name=_("kompetensi yang dikembangkan"), blank=True, related_name="+"
    )
    jp = models.PositiveSmallIntegerField(_("JP"))
    aktif = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pelatihan")
        verbose_name_plural = _("pelatihan")
        ordering = ["nama"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "nama"], name="pelatihan_nama_unik"),
            models.CheckConstraint(condition=Q(jp__gte=1), name="pelatihan_jp_positif"),
        ]

    def __str__(self):
        return self.nama


class JadwalPelatihan(models.Model):
    """A scheduled run of a training, with its place, provider and number of seats."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    pelatihan = models.ForeignKey(
        Pelatihan, verbose_name=_("pelatihan"), on_delete=models.PROTECT, related_name="jadwal"
    )
    mulai = models.DateField(_("mulai"))
    selesai = models.DateField(_("selesai"))
    tempat = models.CharField(_("tempat"), max_length=200)
    penyelenggara = models.CharField(_("penyelenggara"), max_length=200)
    kuota = models.PositiveSmallIntegerField(_("kuota peserta"))
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jadwal pelatihan")
        verbose_name_plural = _("jadwal pelatihan")
        ordering = ["-mulai", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(selesai__gte=F("mulai")), name="jadwal_selesai_setelah_mulai"),
            models.CheckConstraint(condition=Q(kuota__gte=1), name="jadwal_kuota_positif"),
        ]
        indexes = [models.Index(fields=["instansi", "mulai"])]

    def __str__(self):
        return f"{self.pelatihan_id} {self.mulai:%Y-%m-%d}"


class StatusPeserta(models.TextChoices):
    TERDAFTAR = "TERDAFTAR", _("Terdaftar")
    HADIR = "HADIR", _("Hadir")
    TIDAK_HADIR = "TIDAK_HADIR", _("Tidak hadir")
    LULUS = "LULUS", _("Lulus")


class PesertaPelatihan(models.Model):
    """One employee enrolled in one scheduled training, usually from a training recommendation.
    ``jp`` is the JP earned: the training's JP once attended (rules.jp_diperoleh), else 0."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    jadwal = models.ForeignKey(JadwalPelatihan, on_delete=models.CASCADE, related_name="peserta")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="pelatihan_diikuti")
    rekomendasi = models.ForeignKey(Rekomendasi, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(
        _("status"), max_length=12, choices=StatusPeserta.choices, default=StatusPeserta.TERDAFTAR
    )
    jp = models.PositiveSmallIntegerField(_("JP diperoleh"), default=0)
    didaftarkan_pada = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("peserta pelatihan")
        verbose_name_plural = _("peserta pelatihan")
        ordering = ["jadwal", "pegawai__nama", "pk"]
        constraints = [models.UniqueConstraint(fields=["jadwal", "pegawai"], name="peserta_pelatihan_unik")]
        indexes = [models.Index(fields=["pegawai", "status"])]

    def __str__(self):
        return f"{self.jadwal_id}: {self.pegawai_id} ({self.status})"
