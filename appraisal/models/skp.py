"""SKP planning (PermenPANRB 6/2022; rules §1.3–1.5, §1.10): the year, the plan, its
results and indicators, the expected behaviour and the lampiran."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Instansi, Jabatan, Pegawai


class RitmeEvaluasi(models.TextChoices):
    """Rules §1.8: the periodic evaluation rhythm an instansi chooses."""

    BULANAN = "BULANAN", _("Bulanan")
    TRIWULANAN = "TRIWULANAN", _("Triwulanan")
    SEMESTERAN = "SEMESTERAN", _("Semesteran")


class PeriodeSKP(models.Model):
    """An SKP year of one instansi (rules §1.4.1: normally 1 January – 31 December)."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="periode_skp")
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    mulai = models.DateField(_("mulai"))
    selesai = models.DateField(_("selesai"))
    ritme = models.CharField(
        _("ritme evaluasi periodik"), max_length=12, choices=RitmeEvaluasi.choices, default=RitmeEvaluasi.TRIWULANAN
    )
    batas_penetapan = models.DateField(
        _("batas penetapan SKP"), help_text=_("Rules §1.10: SKP ditetapkan paling lambat akhir Januari.")
    )
    dibuka_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dibuka_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("periode SKP")
        verbose_name_plural = _("periode SKP")
        ordering = ["-tahun"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "tahun"], name="periode_skp_unik_per_tahun"),
            models.CheckConstraint(
                condition=Q(selesai__gt=models.F("mulai")), name="periode_skp_selesai_setelah_mulai"
            ),
        ]

    def __str__(self):
        return str(self.tahun)


class CoreValue(models.Model):
    """One of the seven BerAKHLAK core values (rules §1.5). Seeded nationally, read-only."""

    kode = models.SlugField(max_length=30, unique=True)
    nama = models.CharField(max_length=60)
    urutan = models.PositiveSmallIntegerField(unique=True)

    class Meta:
        verbose_name = _("nilai dasar BerAKHLAK")
        verbose_name_plural = _("nilai dasar BerAKHLAK")
        ordering = ["urutan"]

    def __str__(self):
        return self.nama


class PanduanPerilaku(models.Model):
    """One of the three behaviour indicators of a core value (rules §1.5)."""

    core_value = models.ForeignKey(CoreValue, on_delete=models.CASCADE, related_name="panduan")
    huruf = models.CharField(max_length=1)
    teks = models.TextField()

    class Meta:
        ordering = ["core_value__urutan", "huruf"]
        constraints = [models.UniqueConstraint(fields=["core_value", "huruf"], name="panduan_unik")]

    def __str__(self):
        return f"{self.huruf}. {self.teks}"


class JenisSKP(models.TextChoices):
    """Rules §1.4.1 / §7.4: the form follows the jabatan group."""

    JPT = "JPT", _("Jabatan Pimpinan Tinggi")
    ADM_FUNG = "ADM_FUNG", _("Pejabat Administrasi dan Pejabat Fungsional")


class Pendekatan(models.TextChoices):
    KUANTITATIF = "KUANTITATIF", _("Kuantitatif")
    KUALITATIF = "KUALITATIF", _("Kualitatif")


class StatusSKP(models.TextChoices):
    """Rules §1.4.7: DRAFT → DIAJUKAN → REVISI ⇄ → DISETUJUI."""

    DRAFT = "DRAFT", _("Draf")
    DIAJUKAN = "DIAJUKAN", _("Diajukan")
    REVISI = "REVISI", _("Dikembalikan untuk revisi")
    DISETUJUI = "DISETUJUI", _("Disetujui")


EDITABLE_STATUSES = (StatusSKP.DRAFT, StatusSKP.REVISI)


class SKP(models.Model):
    """An employee's Sasaran Kinerja Pegawai for one span of an SKP year.

    A mid-year move ends one SKP and starts another (rules §1.10). A change after approval
    is a new revision (``revisi_ke`` + 1, ``revisi_dari`` → the earlier one), which stays
    viewable. ``snapshot`` freezes the identity blocks at approval so reprints never change."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    periode = models.ForeignKey(PeriodeSKP, on_delete=models.PROTECT, related_name="skp")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="skp")
    jabatan = models.ForeignKey(Jabatan, on_delete=models.PROTECT, related_name="+")
    pejabat_penilai = models.ForeignKey(
        Pegawai,
        verbose_name=_("pejabat penilai"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="skp_dinilai",
    )
    atasan_pejabat_penilai = models.ForeignKey(
        Pegawai,
        verbose_name=_("atasan pejabat penilai"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    mulai = models.DateField(_("periode mulai"))
    selesai = models.DateField(_("periode selesai"))
    jenis = models.CharField(_("jenis SKP"), max_length=10, choices=JenisSKP.choices)
    pendekatan = models.CharField(
        _("pendekatan hasil kerja"), max_length=12, choices=Pendekatan.choices, default=Pendekatan.KUANTITATIF
    )
    status = models.CharField(_("status"), max_length=10, choices=StatusSKP.choices, default=StatusSKP.DRAFT)
    revisi_ke = models.PositiveSmallIntegerField(_("revisi ke"), default=0)
    revisi_dari = models.ForeignKey(
        "self", verbose_name=_("revisi dari"), on_delete=models.PROTECT, null=True, blank=True, related_name="revisi"
    )
    is_current = models.BooleanField(
        default=True, help_text=_("Revisi yang berlaku; revisi lama tetap tersimpan dan dapat dilihat.")
    )
    diajukan_pada = models.DateTimeField(null=True, blank=True)
    disetujui_pada = models.DateTimeField(null=True, blank=True)
    snapshot = models.JSONField(default=dict, blank=True, editable=False)
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("SKP")
        verbose_name_plural = _("SKP")
        ordering = ["-mulai", "-revisi_ke"]
        constraints = [
            models.UniqueConstraint(fields=["pegawai", "mulai", "revisi_ke"], name="skp_unik_per_span_revisi"),
            models.UniqueConstraint(
                fields=["pegawai", "periode", "mulai"], condition=Q(is_current=True), name="skp_satu_yang_berlaku"
            ),
            models.CheckConstraint(condition=Q(selesai__gte=models.F("mulai")), name="skp_selesai_setelah_mulai"),
        ]
        indexes = [models.Index(fields=["periode", "status"]), models.Index(fields=["pejabat_penilai", "status"])]

    def __str__(self):
        return f"SKP {self.pegawai} {self.mulai:%Y}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_jpt(self) -> bool:
        return self.jenis == JenisSKP.JPT

    def covers(self, day: datetime.date) -> bool:
        return self.mulai <= day <= self.selesai


class CatatanSKP(models.Model):
    """A step in the SKP workflow with who, when and the comment (e.g. the reason for a return)."""

    skp = models.ForeignKey(SKP, on_delete=models.CASCADE, related_name="catatan")
    oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dari_status = models.CharField(max_length=10, choices=StatusSKP.choices)
    ke_status = models.CharField(max_length=10, choices=StatusSKP.choices)
    catatan = models.TextField(blank=True)
    pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pada", "pk"]

    def __str__(self):
        return f"{self.get_dari_status_display()} → {self.get_ke_status_display()}"


class JenisRHK(models.TextChoices):
    UTAMA = "UTAMA", _("Utama")
    TAMBAHAN = "TAMBAHAN", _("Tambahan")


class Perspektif(models.TextChoices):
    """Rules §1.4.4: the four perspektif of a JPT RHK."""

    PENERIMA_LAYANAN = "PENERIMA_LAYANAN", _("Perspektif Penerima Layanan")
    PROSES_BISNIS = "PROSES_BISNIS", _("Perspektif Proses Bisnis")
    PENGUATAN_INTERNAL = "PENGUATAN_INTERNAL", _("Perspektif Penguatan Internal")
    ANGGARAN = "ANGGARAN", _("Perspektif Anggaran")


class RHK(models.Model):
    """A Rencana Hasil Kerja. A Utama RHK intervenes (``rhk_atasan``) a RHK of the
    supervisor's approved SKP (rules §1.4.3, §9.3 invariant 2)."""

    skp = models.ForeignKey(SKP, on_delete=models.CASCADE, related_name="rhk")
    jenis = models.CharField(_("kelompok"), max_length=10, choices=JenisRHK.choices, default=JenisRHK.UTAMA)
    rhk_atasan = models.ForeignKey(
        "self",
        verbose_name=_("RHK pimpinan yang diintervensi"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="intervensi",
    )
    uraian = models.TextField(_("rencana hasil kerja"), max_length=1000)
    perspektif = models.CharField(_("perspektif"), max_length=20, choices=Perspektif.choices, blank=True)
    urutan = models.PositiveSmallIntegerField(default=0)
    salinan_dari = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False,
        help_text="The RHK of the earlier SKP revision this one was copied from.",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("RHK")
        verbose_name_plural = _("RHK")
        ordering = ["jenis", "urutan", "pk"]

    def __str__(self):
        return self.uraian[:80]


class Aspek(models.TextChoices):
    KUANTITAS = "KUANTITAS", _("Kuantitas")
    KUALITAS = "KUALITAS", _("Kualitas")
    WAKTU = "WAKTU", _("Waktu")
    BIAYA = "BIAYA", _("Biaya")


class Arah(models.TextChoices):
    """Whether a higher or a lower realisation is better (e.g. waiting time: lower)."""

    NAIK = "NAIK", _("Makin tinggi makin baik")
    TURUN = "TURUN", _("Makin rendah makin baik")


class SumberRealisasi(models.TextChoices):
    """Where an IKI's realisation comes from (issue 10, objective evidence): the employee's own
    report, a file HR imports per period, another government system pushing through a token, or
    the citizens' survey (the unit's IKM or the officer's own score)."""

    SENDIRI = "SENDIRI", _("Dilaporkan sendiri")
    BERKAS = "BERKAS", _("Diimpor dari berkas")
    API = "API", _("Dikirim sistem lain")
    SKM = "SKM", _("IKM unit layanan (SKM)")
    SKM_PETUGAS = "SKM_PETUGAS", _("Nilai SKM petugas")


class IKI(models.Model):
    """An Indikator Kinerja Individu with its target: a value or a range and a unit
    (kuantitatif), or a described target (kualitatif) — rules §1.4.3."""

    rhk = models.ForeignKey(RHK, on_delete=models.CASCADE, related_name="iki")
    aspek = models.CharField(_("aspek"), max_length=10, choices=Aspek.choices, blank=True)
    uraian = models.TextField(_("indikator kinerja individu"), max_length=1000)
    target_min = models.DecimalField(_("target (batas bawah)"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_max = models.DecimalField(_("target (batas atas)"), max_digits=14, decimal_places=2, null=True, blank=True)
    satuan = models.CharField(_("satuan"), max_length=60, blank=True)
    arah = models.CharField(_("arah"), max_length=5, choices=Arah.choices, default=Arah.NAIK)
    target_text = models.TextField(_("target (uraian)"), blank=True, max_length=1000)
    urutan = models.PositiveSmallIntegerField(default=0)
    # Issue 10: the catalogue indicator it was taken from, and where its realisation comes from.
    katalog = models.ForeignKey(
        "KatalogIndikator",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="iki",
        verbose_name=_("indikator katalog"),
    )
    sumber = models.CharField(
        _("sumber realisasi"), max_length=12, choices=SumberRealisasi.choices, default=SumberRealisasi.SENDIRI
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("IKI")
        verbose_name_plural = _("IKI")
        ordering = ["urutan", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_max__isnull=True)
                | Q(target_min__isnull=True)
                | Q(target_max__gte=models.F("target_min")),
                name="iki_rentang_target_valid",
            ),
        ]

    def __str__(self):
        return self.uraian[:80]

    @property
    def is_sourced(self) -> bool:
        """True when the realisation comes from data, so the employee cannot type it in."""
        return self.sumber != SumberRealisasi.SENDIRI

    @property
    def target_display(self) -> str:
        if self.target_text and self.target_min is None:
            return self.target_text
        if self.target_max is not None and self.target_max != self.target_min:
            return f"{_fmt(self.target_min)}–{_fmt(self.target_max)} {self.satuan}".strip()
        return f"{_fmt(self.target_min)} {self.satuan}".strip()


def _fmt(value) -> str:
    from django.utils.formats import number_format

    if value is None:
        return ""
    return number_format(
        value.normalize() if value == value.to_integral() else value, use_l10n=True, force_grouping=True
    )


class SKPPerilaku(models.Model):
    """The supervisor's ekspektasi khusus pimpinan for one core value (rules §1.4.5): seven per SKP."""

    skp = models.ForeignKey(SKP, on_delete=models.CASCADE, related_name="perilaku")
    core_value = models.ForeignKey(CoreValue, on_delete=models.PROTECT, related_name="+")
    ekspektasi_khusus = models.TextField(_("ekspektasi khusus pimpinan"), blank=True, max_length=2000)

    history = HistoricalRecords()

    class Meta:
        ordering = ["core_value__urutan"]
        constraints = [models.UniqueConstraint(fields=["skp", "core_value"], name="skp_perilaku_unik")]

    def __str__(self):
        return f"{self.core_value}: {self.ekspektasi_khusus[:60]}"


class JenisLampiran(models.TextChoices):
    """Rules §1.4.6."""

    DUKUNGAN_SUMBER_DAYA = "DUKUNGAN_SUMBER_DAYA", _("Dukungan sumber daya")
    SKEMA_PERTANGGUNGJAWABAN = "SKEMA_PERTANGGUNGJAWABAN", _("Skema pertanggungjawaban")
    KONSEKUENSI = "KONSEKUENSI", _("Konsekuensi")


class LampiranSKP(models.Model):
    skp = models.ForeignKey(SKP, on_delete=models.CASCADE, related_name="lampiran")
    jenis = models.CharField(_("jenis"), max_length=30, choices=JenisLampiran.choices)
    uraian = models.TextField(_("uraian"), max_length=1000)
    urutan = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["jenis", "urutan", "pk"]

    def __str__(self):
        return self.uraian[:80]
