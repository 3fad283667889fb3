"""Organisation and people of an instansi (rules §7): the tenant, its unit tree,
its posts, its employees and who held which post when."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import rules


class JenisInstansi(models.TextChoices):
    PUSAT = "PUSAT", _("Instansi Pusat")
    DAERAH = "DAERAH", _("Instansi Daerah")


class Instansi(models.Model):
    """The tenant: one government agency (e.g. Pemerintah Kota Dumai). Every tenant-owned row points here."""

    kode = models.SlugField(_("kode"), max_length=30, unique=True)
    nama = models.CharField(_("nama"), max_length=200)
    jenis = models.CharField(_("jenis"), max_length=10, choices=JenisInstansi.choices, default=JenisInstansi.DAERAH)
    kota = models.CharField(_("kota tempat penandatanganan"), max_length=100, blank=True)
    uses_360 = models.BooleanField(
        _("menggunakan penilaian 360°"),
        default=False,
        help_text=_("Menentukan bobot PP 30/2019: 60/40 bila ya, 70/30 bila tidak."),
    )
    mode_numerik_pp30 = models.BooleanField(
        _("hitung nilai kinerja numerik PP 30/2019"),
        default=False,
        help_text=_("Menampilkan nilai kinerja angka di samping predikat, mis. untuk TPP."),
    )
    distribusi_mode = models.CharField(
        _("penegakan pola distribusi"),
        max_length=5,
        choices=[("WARN", _("Peringatan, dengan justifikasi")), ("BLOCK", _("Blokir finalisasi"))],
        default="WARN",
        help_text=_(
            "SE MenPANRB 3/2023: penyimpangan pola distribusi memerlukan justifikasi (WARN) atau ditolak (BLOCK)."
        ),
    )

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        ordering = ["nama"]

    def __str__(self):
        return self.nama


class JenisUnit(models.TextChoices):
    OPD = "OPD", _("Perangkat Daerah / Unit Eselon")
    BIDANG = "BIDANG", _("Bidang / Bagian")
    SUBBIDANG = "SUBBIDANG", _("Sub-bidang / Seksi / Subbagian")
    KECAMATAN = "KECAMATAN", _("Kecamatan")
    KELURAHAN = "KELURAHAN", _("Kelurahan")
    UPT = "UPT", _("UPT / Puskesmas / Sekolah")


class UnitKerja(models.Model):
    """A unit in the instansi's tree (OPD → bidang → seksi). ``path`` is a materialised
    path ("12/40/") kept by ``accounts.services`` so that a subtree is one indexed query."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", verbose_name=_("unit induk"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    nama = models.CharField(_("nama unit"), max_length=200)
    # The unit's code in the national system (SIASN "Unor ID") or SIMPEG; lets an import find it again.
    kode = models.CharField(_("kode unit"), max_length=40, blank=True)
    singkatan = models.CharField(_("singkatan"), max_length=40, blank=True)
    jenis = models.CharField(_("jenis unit"), max_length=12, choices=JenisUnit.choices, default=JenisUnit.OPD)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "parent", "nama"], name="unit_nama_unik_per_induk"),
            models.UniqueConstraint(fields=["instansi", "kode"], condition=~Q(kode=""), name="unit_kode_unik"),
        ]

    def __str__(self):
        return self.nama


class JenisJabatan(models.TextChoices):
    """Rules §7.4. Order matters: lower index = higher in the hierarchy."""

    JPT_UTAMA = "JPT_UTAMA", _("JPT Utama")
    JPT_MADYA = "JPT_MADYA", _("JPT Madya")
    JPT_PRATAMA = "JPT_PRATAMA", _("JPT Pratama")
    ADMINISTRATOR = "ADMINISTRATOR", _("Administrator")
    PENGAWAS = "PENGAWAS", _("Pengawas")
    PELAKSANA = "PELAKSANA", _("Pelaksana")
    FUNGSIONAL_KEAHLIAN = "FUNGSIONAL_KEAHLIAN", _("Fungsional Keahlian")
    FUNGSIONAL_KETERAMPILAN = "FUNGSIONAL_KETERAMPILAN", _("Fungsional Keterampilan")


JPT_TYPES = {JenisJabatan.JPT_UTAMA, JenisJabatan.JPT_MADYA, JenisJabatan.JPT_PRATAMA}
FUNGSIONAL_TYPES = {JenisJabatan.FUNGSIONAL_KEAHLIAN, JenisJabatan.FUNGSIONAL_KETERAMPILAN}


class JenjangFungsional(models.TextChoices):
    """Rules §7.4 / §3.1: the jenjang of a jabatan fungsional."""

    PEMULA = "PEMULA", _("Pemula")
    TERAMPIL = "TERAMPIL", _("Terampil")
    MAHIR = "MAHIR", _("Mahir")
    PENYELIA = "PENYELIA", _("Penyelia")
    AHLI_PERTAMA = "AHLI_PERTAMA", _("Ahli Pertama")
    AHLI_MUDA = "AHLI_MUDA", _("Ahli Muda")
    AHLI_MADYA = "AHLI_MADYA", _("Ahli Madya")
    AHLI_UTAMA = "AHLI_UTAMA", _("Ahli Utama")


JENJANG_KEAHLIAN = {
    JenjangFungsional.AHLI_PERTAMA,
    JenjangFungsional.AHLI_MUDA,
    JenjangFungsional.AHLI_MADYA,
    JenjangFungsional.AHLI_UTAMA,
}


class Jabatan(models.Model):
    """A post in a unit. ``atasan`` is the post it reports to: the chain the pejabat penilai
    is resolved along (rules §7.5). Several people may hold a pelaksana or fungsional post."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="jabatan")
    unit = models.ForeignKey(UnitKerja, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="jabatan")
    nama = models.CharField(_("nama jabatan"), max_length=200)
    # The post's code in SIASN/SIMPEG, when the instansi has one; lets an import find it again.
    kode = models.CharField(_("kode jabatan"), max_length=40, blank=True)
    jenis = models.CharField(_("jenis jabatan"), max_length=30, choices=JenisJabatan.choices)
    jenjang = models.CharField(_("jenjang fungsional"), max_length=20, choices=JenjangFungsional.choices, blank=True)
    kelas_jabatan = models.PositiveSmallIntegerField(_("kelas jabatan"), null=True, blank=True)
    atasan = models.ForeignKey(
        "self", verbose_name=_("atasan langsung (jabatan)"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="bawahan",
    )  # fmt: skip
    is_kepala_unit = models.BooleanField(_("kepala unit"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")
        ordering = ["unit__path", "jenis", "nama"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kelas_jabatan__isnull=True) | Q(kelas_jabatan__gte=1, kelas_jabatan__lte=17),
                name="jabatan_kelas_1_17",
            ),
            models.CheckConstraint(condition=~Q(atasan=models.F("id")), name="jabatan_bukan_atasan_sendiri"),
            models.UniqueConstraint(fields=["instansi", "kode"], condition=~Q(kode=""), name="jabatan_kode_unik"),
        ]

    def __str__(self):
        return self.nama

    @property
    def is_jpt(self) -> bool:
        return self.jenis in JPT_TYPES

    @property
    def is_fungsional(self) -> bool:
        return self.jenis in FUNGSIONAL_TYPES

    def clean(self):
        errors = {}
        if self.is_fungsional and not self.jenjang:
            errors["jenjang"] = _("Jabatan fungsional wajib memiliki jenjang.")
        if not self.is_fungsional and self.jenjang:
            errors["jenjang"] = _("Jenjang hanya untuk jabatan fungsional.")
        if self.is_fungsional and self.jenjang:
            keahlian = self.jenjang in JENJANG_KEAHLIAN
            if keahlian != (self.jenis == JenisJabatan.FUNGSIONAL_KEAHLIAN):
                errors["jenjang"] = _("Jenjang tidak sesuai dengan kategori fungsional (keahlian/keterampilan).")
        if self.unit_id and self.instansi_id and self.unit.instansi_id != self.instansi_id:
            errors["unit"] = _("Unit kerja harus dari instansi yang sama.")
        if self.atasan_id and self.instansi_id and self.atasan.instansi_id != self.instansi_id:
            errors["atasan"] = _("Atasan harus jabatan di instansi yang sama.")
        if errors:
            raise ValidationError(errors)


class JenisASN(models.TextChoices):
    PNS = "PNS", _("PNS")
    PPPK = "PPPK", _("PPPK")


class JenisKelamin(models.TextChoices):
    L = "L", _("Laki-laki")
    P = "P", _("Perempuan")


class StatusPegawai(models.TextChoices):
    AKTIF = "AKTIF", _("Aktif")
    CLTN = "CLTN", _("Cuti di luar tanggungan negara")
    TUGAS_BELAJAR = "TUGAS_BELAJAR", _("Tugas belajar")
    DIBERHENTIKAN_SEMENTARA = "DIBERHENTIKAN_SEMENTARA", _("Diberhentikan sementara")
    MPP = "MPP", _("Masa persiapan pensiun")


GOLONGAN_CHOICES = [(kode, f"{kode} – {pangkat}") for kode, pangkat in rules.GOLONGAN_PNS] + [
    (kode, f"PPPK {kode}") for kode in rules.GOLONGAN_PPPK
]


class Pegawai(models.Model):
    """A civil servant (PNS or PPPK). ``jabatan`` and ``unit`` mirror the current definitive
    Penugasan and ``pejabat_penilai`` / ``atasan_pejabat_penilai`` the superiors resolved for
    today; ``accounts.services`` keeps them in step so lists and access checks need no walk."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="pegawai")
    jenis_asn = models.CharField(_("jenis ASN"), max_length=4, choices=JenisASN.choices, default=JenisASN.PNS)
    nip = models.CharField(_("NIP / NI PPPK"), max_length=18)
    nip_lama = models.CharField(_("NIP lama"), max_length=9, blank=True)
    gelar_depan = models.CharField(_("gelar depan"), max_length=30, blank=True)
    nama = models.CharField(_("nama"), max_length=150)
    gelar_belakang = models.CharField(_("gelar belakang"), max_length=60, blank=True)
    jenis_kelamin = models.CharField(_("jenis kelamin"), max_length=1, choices=JenisKelamin.choices)
    tanggal_lahir = models.DateField(_("tanggal lahir"))
    golongan = models.CharField(_("golongan"), max_length=6, choices=GOLONGAN_CHOICES)
    status = models.CharField(_("status"), max_length=25, choices=StatusPegawai.choices, default=StatusPegawai.AKTIF)
    email = models.EmailField(_("email"), blank=True)

    jabatan = models.ForeignKey(
        Jabatan, verbose_name=_("jabatan"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="pemangku", editable=False,
    )  # fmt: skip
    unit = models.ForeignKey(
        UnitKerja, verbose_name=_("unit kerja"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="pegawai", editable=False,
    )  # fmt: skip
    pejabat_penilai = models.ForeignKey(
        "self", verbose_name=_("pejabat penilai"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="bawahan_dinilai", editable=False,
    )  # fmt: skip
    atasan_pejabat_penilai = models.ForeignKey(
        "self", verbose_name=_("atasan pejabat penilai"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False,
    )  # fmt: skip

    history = HistoricalRecords(excluded_fields=["pejabat_penilai", "atasan_pejabat_penilai"])

    class Meta:
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")
        ordering = ["nama"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "nip"], name="pegawai_nip_unik_per_instansi"),
        ]
        indexes = [models.Index(fields=["instansi", "nama"])]

    def __str__(self):
        return self.nama_lengkap

    @property
    def nama_lengkap(self) -> str:
        depan = f"{self.gelar_depan} " if self.gelar_depan else ""
        belakang = f", {self.gelar_belakang}" if self.gelar_belakang else ""
        return f"{depan}{self.nama}{belakang}"

    @property
    def nip_display(self) -> str:
        return rules.format_nip(self.nip)

    @property
    def pangkat_golongan(self) -> str:
        return rules.pangkat_golongan_label(self.golongan)

    def clean(self):
        errors = {}
        parse = rules.parse_nip if self.jenis_asn == JenisASN.PNS else rules.parse_ni_pppk
        if self.nip:
            try:
                info = parse(self.nip)
                rules.check_jenis_kelamin(info, self.jenis_kelamin)
                if self.tanggal_lahir and info.tanggal_lahir != self.tanggal_lahir:
                    errors["tanggal_lahir"] = _("Tanggal lahir tidak sesuai dengan delapan digit pertama nomor induk.")
            except rules.NomorIndukError as exc:
                errors["nip"] = ValidationError(exc.message, code=exc.code)
        if self.golongan:
            pns_golongan = self.golongan in rules.PANGKAT_BY_GOLONGAN
            if self.jenis_asn == JenisASN.PNS and not pns_golongan:
                errors["golongan"] = _("PNS harus memiliki golongan ruang (I/a–IV/e).")
            if self.jenis_asn == JenisASN.PPPK and pns_golongan:
                errors["golongan"] = _("PPPK memakai golongan I–XVII, bukan golongan ruang PNS.")
        if errors:
            raise ValidationError(errors)


class JenisPenugasan(models.TextChoices):
    DEFINITIF = "DEFINITIF", _("Definitif")
    PLT = "PLT", _("Pelaksana Tugas (Plt)")
    PLH = "PLH", _("Pelaksana Harian (Plh)")


class Penugasan(models.Model):
    """Who held which post from when to when (rules §7.5). The pejabat penilai for any
    date is resolved from these rows; Plt/Plh rows let acting officials stand in."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="penugasan")
    jabatan = models.ForeignKey(Jabatan, on_delete=models.PROTECT, related_name="penugasan")
    jenis = models.CharField(_("jenis penugasan"), max_length=10, choices=JenisPenugasan.choices)
    mulai = models.DateField(_("TMT mulai"))
    selesai = models.DateField(_("TMT selesai"), null=True, blank=True)
    nomor_sk = models.CharField(_("nomor SK"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("penugasan")
        verbose_name_plural = _("riwayat penugasan")
        ordering = ["-mulai"]
        constraints = [
            models.CheckConstraint(
                condition=Q(selesai__isnull=True) | Q(selesai__gte=models.F("mulai")),
                name="penugasan_selesai_setelah_mulai",
            ),
        ]
        indexes = [models.Index(fields=["jabatan", "mulai"]), models.Index(fields=["pegawai", "mulai"])]

    def __str__(self):
        return f"{self.pegawai} – {self.jabatan} ({self.get_jenis_display()})"

    def is_active_on(self, day) -> bool:
        return self.mulai <= day and (self.selesai is None or self.selesai >= day)


class User(AbstractUser):
    """A login. Pegawai log in with their NIP as username; admins with a username.

    Roles (accounts/access.py): superadmin = ``is_superuser``; HR admin (admin kepegawaian)
    = ``is_admin_kepegawaian`` bound to ``instansi``; pejabat penilai is never a flag, it
    follows from the organisation (someone's ``Pegawai.pejabat_penilai``)."""

    pegawai = models.OneToOneField(Pegawai, on_delete=models.SET_NULL, null=True, blank=True, related_name="user")
    instansi = models.ForeignKey(
        Instansi, verbose_name=_("instansi"), on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    is_admin_kepegawaian = models.BooleanField(_("admin kepegawaian"), default=False)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_admin_kepegawaian=False) | Q(instansi__isnull=False),
                name="admin_kepegawaian_terikat_instansi",
            ),
        ]


# --- Imports of master data (units, jabatan, employees) ------------------------------


class JenisImpor(models.TextChoices):
    UNIT = "UNIT", _("Unit kerja")
    JABATAN = "JABATAN", _("Jabatan")
    PEGAWAI = "PEGAWAI", _("Pegawai")


class StatusImpor(models.TextChoices):
    DRAF = "DRAF", _("Uji coba (belum diterapkan)")
    DITERAPKAN = "DITERAPKAN", _("Diterapkan")
    GAGAL = "GAGAL", _("Gagal diterapkan")


def impor_data_upload_to(instance, filename: str) -> str:
    # A random name: the uploaded name is kept in ``nama_berkas`` only, never in a path.
    return f"impor/kepegawaian/{uuid.uuid4().hex}"


class ImporData(models.Model):
    """One uploaded file of units, jabatan or employees, kept between the dry-run and the commit.

    ``laporan`` is the dry-run (or commit) report, row by row. The record is also the audit event of
    the import: who uploaded and who applied it, when, which file (name and SHA-256) and how many
    rows were created, updated or left unchanged (bulk writes skip the models' history)."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    jenis = models.CharField(_("jenis data"), max_length=10, choices=JenisImpor.choices)
    nama_berkas = models.CharField(_("nama berkas"), max_length=255)
    berkas = models.FileField(upload_to=impor_data_upload_to, max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=StatusImpor.choices, default=StatusImpor.DRAF)
    laporan = models.JSONField(default=dict, blank=True)
    jumlah_baris = models.PositiveIntegerField(_("jumlah baris"), default=0)
    jumlah_salah = models.PositiveIntegerField(_("baris bermasalah"), default=0)
    pesan = models.TextField(_("pesan"), blank=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dibuat_pada = models.DateTimeField(_("diunggah pada"), auto_now_add=True)
    diterapkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    diterapkan_pada = models.DateTimeField(_("diterapkan pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("impor data kepegawaian")
        verbose_name_plural = _("impor data kepegawaian")
        ordering = ["-dibuat_pada", "-pk"]
        indexes = [models.Index(fields=["instansi", "-dibuat_pada"])]

    def __str__(self):
        return f"{self.get_jenis_display()}: {self.nama_berkas}"

    @property
    def counts(self) -> dict[str, int]:
        return self.laporan.get("counts", {})
