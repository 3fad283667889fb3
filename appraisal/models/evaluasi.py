"""Evaluation (PermenPANRB 6/2022, SE MenPANRB 3/2023, PP 30/2019; rules §1.3.1, §1.6–1.9, §2.2–2.4):
periods, realisations with evidence and their source, continuous feedback, the organisation's
achievement, the supervisor's ratings and predikat, 360° feedback and objections."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Instansi, Pegawai, UnitKerja

from .skp import IKI, RHK, SKP, CoreValue, PeriodeSKP, SumberRealisasi

__all__ = [
    "JenisPeriodeEvaluasi",
    "PeriodeEvaluasi",
    "PredikatOrganisasi",
    "CapaianOrganisasi",
    "Rating",
    "Predikat",
    "StatusEvaluasi",
    "Evaluasi",
    "CatatanEvaluasi",
    "SumberRealisasi",
    "Realisasi",
    "BuktiDukung",
    "JenisDialog",
    "DialogKinerja",
    "Undangan360",
    "Jawaban360",
    "StatusKeberatan",
    "Keberatan",
]


class JenisPeriodeEvaluasi(models.TextChoices):
    BULANAN = "BULANAN", _("Bulanan")
    TRIWULANAN = "TRIWULANAN", _("Triwulanan")
    SEMESTERAN = "SEMESTERAN", _("Semesteran")
    TAHUNAN = "TAHUNAN", _("Tahunan")


class PeriodeEvaluasi(models.Model):
    """A periodic or the annual evaluation period of an SKP year (rules §1.8)."""

    periode_skp = models.ForeignKey(PeriodeSKP, on_delete=models.CASCADE, related_name="periode_evaluasi")
    jenis = models.CharField(_("jenis"), max_length=12, choices=JenisPeriodeEvaluasi.choices)
    ke = models.PositiveSmallIntegerField(_("ke"))
    label = models.CharField(_("label"), max_length=40)  # "TRIWULAN I", "SEMESTER II", "TAHUNAN"
    mulai = models.DateField(_("mulai"))
    selesai = models.DateField(_("selesai"))

    class Meta:
        verbose_name = _("periode evaluasi")
        verbose_name_plural = _("periode evaluasi")
        ordering = ["periode_skp", "jenis", "ke"]
        constraints = [models.UniqueConstraint(fields=["periode_skp", "jenis", "ke"], name="periode_evaluasi_unik")]

    def __str__(self):
        return f"{self.label} {self.periode_skp.tahun}"

    @property
    def is_tahunan(self) -> bool:
        return self.jenis == JenisPeriodeEvaluasi.TAHUNAN


class PredikatOrganisasi(models.TextChoices):
    """Rules §1.7.2."""

    ISTIMEWA = "ISTIMEWA", _("Istimewa")
    BAIK = "BAIK", _("Baik")
    BUTUH_PERBAIKAN = "BUTUH_PERBAIKAN", _("Butuh Perbaikan")
    KURANG = "KURANG", _("Kurang")
    SANGAT_KURANG = "SANGAT_KURANG", _("Sangat Kurang")


class CapaianOrganisasi(models.Model):
    """The Capaian Kinerja Organisasi of a unit for an evaluation period (rules §1.7.1 step 1),
    set by the head of the unit; it fixes the distribution curve for its employees."""

    unit = models.ForeignKey(UnitKerja, on_delete=models.CASCADE, related_name="capaian")
    periode_evaluasi = models.ForeignKey(PeriodeEvaluasi, on_delete=models.CASCADE, related_name="capaian")
    predikat = models.CharField(_("capaian kinerja organisasi"), max_length=16, choices=PredikatOrganisasi.choices)
    catatan = models.TextField(_("catatan"), blank=True, max_length=2000)
    ditetapkan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ditetapkan_pada = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("capaian kinerja organisasi")
        verbose_name_plural = _("capaian kinerja organisasi")
        constraints = [models.UniqueConstraint(fields=["unit", "periode_evaluasi"], name="capaian_unik")]

    def __str__(self):
        return f"{self.unit} {self.periode_evaluasi}: {self.get_predikat_display()}"


class Rating(models.TextChoices):
    """Rules §1.6.1."""

    DI_ATAS = "DI_ATAS", _("Di Atas Ekspektasi")
    SESUAI = "SESUAI", _("Sesuai Ekspektasi")
    DI_BAWAH = "DI_BAWAH", _("Di Bawah Ekspektasi")


class Predikat(models.TextChoices):
    """Rules §1.6.2, ordered best → worst."""

    SANGAT_BAIK = "SANGAT_BAIK", _("Sangat Baik")
    BAIK = "BAIK", _("Baik")
    BUTUH_PERBAIKAN = "BUTUH_PERBAIKAN", _("Butuh Perbaikan")
    KURANG = "KURANG", _("Kurang/Misconduct")
    SANGAT_KURANG = "SANGAT_KURANG", _("Sangat Kurang")


class StatusEvaluasi(models.TextChoices):
    DRAFT = "DRAFT", _("Draf penilaian")
    FINAL = "FINAL", _("Final")


class Evaluasi(models.Model):
    """The pejabat penilai's evaluation of one SKP for one period (rules §1.6, §1.9).

    ``predikat`` is always computed from the two ratings (rules.predikat); it is stored for
    reporting and is never a form field. Once FINAL the row is immutable except through a
    Keberatan decision; ``snapshot`` freezes names, pangkat, jabatan and units at finalisation.
    ``versi`` guards against two people saving the same evaluation at once."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    skp = models.ForeignKey(SKP, on_delete=models.PROTECT, related_name="evaluasi")
    periode_evaluasi = models.ForeignKey(PeriodeEvaluasi, on_delete=models.PROTECT, related_name="evaluasi")
    status = models.CharField(_("status"), max_length=6, choices=StatusEvaluasi.choices, default=StatusEvaluasi.DRAFT)
    rating_hasil_kerja = models.CharField(_("rating hasil kerja"), max_length=8, choices=Rating.choices, blank=True)
    rating_perilaku_kerja = models.CharField(
        _("rating perilaku kerja"), max_length=8, choices=Rating.choices, blank=True
    )
    predikat = models.CharField(
        _("predikat kinerja pegawai"), max_length=16, choices=Predikat.choices, blank=True, editable=False
    )
    capaian_organisasi = models.CharField(
        _("capaian kinerja organisasi"), max_length=16, choices=PredikatOrganisasi.choices, blank=True, editable=False
    )
    justifikasi_distribusi = models.TextField(
        _("justifikasi penyimpangan pola distribusi"), blank=True, max_length=3000
    )
    catatan_rekomendasi = models.TextField(_("catatan / rekomendasi"), blank=True, max_length=3000)
    # PP 30/2019 numeric mode (rules §2.2–2.3), filled only where the instansi enables it.
    nilai_skp = models.DecimalField(_("nilai SKP"), max_digits=6, decimal_places=2, null=True, blank=True)
    nilai_perilaku = models.DecimalField(_("nilai perilaku"), max_digits=6, decimal_places=2, null=True, blank=True)
    nilai_kinerja = models.DecimalField(
        _("nilai kinerja"), max_digits=6, decimal_places=2, null=True, blank=True, editable=False
    )
    inovasi_bermanfaat = models.BooleanField(_("menghasilkan inovasi yang bermanfaat"), default=False)
    predikat_numerik = models.CharField(max_length=16, choices=Predikat.choices, blank=True, editable=False)

    dinilai_oleh = models.ForeignKey(Pegawai, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    difinalkan_pada = models.DateTimeField(null=True, blank=True)
    diterima_pada = models.DateTimeField(_("diterima pegawai pada"), null=True, blank=True)
    snapshot = models.JSONField(default=dict, blank=True, editable=False)
    versi = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluasi kinerja")
        verbose_name_plural = _("evaluasi kinerja")
        ordering = ["periode_evaluasi__mulai"]
        constraints = [
            models.UniqueConstraint(fields=["skp", "periode_evaluasi"], name="evaluasi_unik_per_periode"),
            models.CheckConstraint(
                condition=Q(status="DRAFT")
                | (~Q(rating_hasil_kerja="") & ~Q(rating_perilaku_kerja="") & ~Q(predikat="")),
                name="evaluasi_final_lengkap",
            ),
        ]
        indexes = [models.Index(fields=["periode_evaluasi", "status"])]

    def __str__(self):
        return f"{self.skp.pegawai} – {self.periode_evaluasi}"

    @property
    def is_final(self) -> bool:
        return self.status == StatusEvaluasi.FINAL


class CatatanEvaluasi(models.Model):
    """The supervisor's umpan balik berdasarkan bukti dukung, per RHK or per core value, in an evaluation (§1.9.1)."""

    evaluasi = models.ForeignKey(Evaluasi, on_delete=models.CASCADE, related_name="catatan")
    rhk = models.ForeignKey(RHK, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    core_value = models.ForeignKey(CoreValue, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    umpan_balik = models.TextField(_("umpan balik berkelanjutan"), blank=True, max_length=3000)
    # The supervisor's own view of this RHK or value, set beside the employee's self-assessment (issue 10).
    penilaian = models.CharField(_("penilaian atasan"), max_length=8, choices=Rating.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluasi", "rhk"], condition=Q(rhk__isnull=False), name="catatan_evaluasi_rhk_unik"
            ),
            models.UniqueConstraint(
                fields=["evaluasi", "core_value"],
                condition=Q(core_value__isnull=False),
                name="catatan_evaluasi_cv_unik",
            ),
            models.CheckConstraint(
                condition=Q(rhk__isnull=True, core_value__isnull=False) | Q(rhk__isnull=False, core_value__isnull=True),
                name="catatan_evaluasi_satu_sasaran",
            ),
        ]

    def __str__(self):
        return self.umpan_balik[:80]


class Realisasi(models.Model):
    """The realisation of one IKI in one evaluation period, with its source and verification."""

    iki = models.ForeignKey(IKI, on_delete=models.CASCADE, related_name="realisasi")
    periode_evaluasi = models.ForeignKey(PeriodeEvaluasi, on_delete=models.PROTECT, related_name="realisasi")
    nilai = models.DecimalField(_("realisasi"), max_digits=14, decimal_places=2, null=True, blank=True)
    uraian = models.TextField(_("uraian realisasi"), blank=True, max_length=3000)
    sumber = models.CharField(
        _("sumber"), max_length=12, choices=SumberRealisasi.choices, default=SumberRealisasi.SENDIRI
    )
    sumber_keterangan = models.CharField(_("keterangan sumber"), max_length=255, blank=True)
    # Where a sourced value came from (issue 10): the import file or the pushing system's token.
    impor = models.ForeignKey(
        "ImporRealisasi", on_delete=models.PROTECT, null=True, blank=True, related_name="realisasi"
    )
    token = models.ForeignKey("TokenSumber", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    diverifikasi = models.BooleanField(_("terverifikasi"), null=True, blank=True)
    diverifikasi_oleh = models.ForeignKey(Pegawai, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    diubah_pada = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("realisasi")
        verbose_name_plural = _("realisasi")
        constraints = [models.UniqueConstraint(fields=["iki", "periode_evaluasi"], name="realisasi_unik")]

    def __str__(self):
        return f"{self.iki}: {self.nilai if self.nilai is not None else self.uraian[:40]}"


def bukti_upload_to(instance, filename: str) -> str:
    # A random name: the original name is kept in ``nama`` and never used on disk.
    return f"bukti/{instance.realisasi.periode_evaluasi.periode_skp.tahun}/{uuid.uuid4().hex}"


class BuktiDukung(models.Model):
    """Evidence for a realisation: an uploaded file (checked by content, stored under MEDIA_ROOT,
    served only through an access-checked view) or a link."""

    realisasi = models.ForeignKey(Realisasi, on_delete=models.CASCADE, related_name="bukti")
    berkas = models.FileField(_("berkas"), upload_to=bukti_upload_to, blank=True, max_length=255)
    nama = models.CharField(_("nama berkas"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    ukuran = models.PositiveIntegerField(default=0)
    tautan = models.URLField(_("tautan"), blank=True, max_length=500)
    diunggah_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    diunggah_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")
        ordering = ["diunggah_pada", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(berkas="") | ~Q(tautan=""), name="bukti_berkas_atau_tautan"),
        ]

    def __str__(self):
        return self.nama or self.tautan


class JenisDialog(models.TextChoices):
    """Rules §1.3.1."""

    KLARIFIKASI_EKSPEKTASI = "KLARIFIKASI_EKSPEKTASI", _("Klarifikasi ekspektasi")
    UMPAN_BALIK = "UMPAN_BALIK", _("Umpan balik")
    BIMBINGAN = "BIMBINGAN", _("Bimbingan kinerja")
    KONSELING = "KONSELING", _("Konseling kinerja")


class DialogKinerja(models.Model):
    """Continuous feedback (dialog kinerja, rules §1.3.1): at any time, on a RHK or a core value;
    the employee acknowledges it."""

    skp = models.ForeignKey(SKP, on_delete=models.CASCADE, related_name="dialog")
    jenis = models.CharField(_("jenis"), max_length=24, choices=JenisDialog.choices)
    rhk = models.ForeignKey(
        RHK, verbose_name=_("RHK"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    core_value = models.ForeignKey(
        CoreValue, verbose_name=_("nilai BerAKHLAK"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    catatan = models.TextField(_("catatan"), max_length=4000)
    oleh = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="+")
    pada = models.DateTimeField(auto_now_add=True)
    diakui_pada = models.DateTimeField(_("diakui pegawai pada"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dialog kinerja")
        verbose_name_plural = _("dialog kinerja")
        ordering = ["-pada", "-pk"]

    def __str__(self):
        return f"{self.get_jenis_display()}: {self.catatan[:60]}"


class Undangan360(models.Model):
    """An invitation to one peer or subordinate to give 360° behaviour feedback (issue 4 item 6).

    Only whether the invitee has answered is kept here, for reminders; the answers themselves
    (Jawaban360) carry no link back to the invitation, so they cannot be traced to a rater."""

    skp = models.ForeignKey(SKP, on_delete=models.CASCADE, related_name="undangan_360")
    periode_evaluasi = models.ForeignKey(PeriodeEvaluasi, on_delete=models.PROTECT, related_name="+")
    penilai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="undangan_360_diterima")
    diundang_oleh = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="+")
    disetujui = models.BooleanField(
        default=True, help_text=_("Undangan yang diajukan pegawai perlu persetujuan atasan.")
    )
    selesai = models.BooleanField(default=False)
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["skp", "periode_evaluasi", "penilai"], name="undangan_360_unik")]

    def __str__(self):
        return f"360° {self.skp.pegawai} ← {self.penilai}"


class Jawaban360(models.Model):
    """One anonymous 360° answer for one core value: a rating 1–3 (di bawah / sesuai / di atas
    ekspektasi) and a comment. Deliberately no rater and no timestamp finer than the date."""

    skp = models.ForeignKey(SKP, on_delete=models.CASCADE, related_name="jawaban_360")
    periode_evaluasi = models.ForeignKey(PeriodeEvaluasi, on_delete=models.PROTECT, related_name="+")
    core_value = models.ForeignKey(CoreValue, on_delete=models.PROTECT, related_name="+")
    skor = models.PositiveSmallIntegerField()
    komentar = models.TextField(blank=True, max_length=2000)
    tanggal = models.DateField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(skor__gte=1, skor__lte=3), name="jawaban_360_skor_1_3")]

    def __str__(self):
        return f"{self.core_value}: {self.skor}"


class StatusKeberatan(models.TextChoices):
    """Rules §2.4 / §9.1."""

    DIAJUKAN = "DIAJUKAN", _("Diajukan")
    KLARIFIKASI = "KLARIFIKASI", _("Klarifikasi")
    TETAP = "TETAP", _("Diputus: hasil tetap")
    DIUBAH = "DIUBAH", _("Diputus: hasil diubah")


class Keberatan(models.Model):
    """An objection to a final evaluation (PP 30/2019 Pasal 59, rules §2.4): within 14 days, to the
    atasan pejabat penilai, who hears both sides and decides; the decision is final and the
    original ratings are kept here beside the new ones."""

    evaluasi = models.OneToOneField(Evaluasi, on_delete=models.PROTECT, related_name="keberatan")
    alasan = models.TextField(_("alasan keberatan"), max_length=5000)
    status = models.CharField(
        _("status"), max_length=12, choices=StatusKeberatan.choices, default=StatusKeberatan.DIAJUKAN
    )
    diajukan_pada = models.DateTimeField(auto_now_add=True)
    klarifikasi_penilai = models.TextField(_("klarifikasi pejabat penilai"), blank=True, max_length=5000)
    klarifikasi_pegawai = models.TextField(_("klarifikasi pegawai"), blank=True, max_length=5000)
    pemutus = models.ForeignKey(Pegawai, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    diputus_pada = models.DateTimeField(null=True, blank=True)
    pertimbangan = models.TextField(_("pertimbangan keputusan"), blank=True, max_length=5000)
    rating_hasil_kerja_asli = models.CharField(max_length=8, choices=Rating.choices)
    rating_perilaku_kerja_asli = models.CharField(max_length=8, choices=Rating.choices)
    predikat_asli = models.CharField(max_length=16, choices=Predikat.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("keberatan")
        verbose_name_plural = _("keberatan")

    def __str__(self):
        return f"Keberatan {self.evaluasi}"

    @property
    def is_decided(self) -> bool:
        return self.status in (StatusKeberatan.TETAP, StatusKeberatan.DIUBAH)
