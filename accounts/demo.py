"""Demo data: two city governments with a realistic organisation, employees and demo logins.

``seed_demo`` builds Pemerintah Kota Dumai and Pemerintah Kota Tebingtinggi: the OPD tree
(UnitKerja), the chain of posts from the Sekretaris Daerah down (Jabatan, rules §7.4),
PNS and PPPK employees with valid NIP / NI PPPK (rules §7.1–7.3) and their assignments,
with every pejabat penilai resolved (rules §1.2), then checks it with ``hierarchy_refresh``.

Everything is written with ``bulk_create`` in a fixed number of queries per tree level, so
100 000 employees take under a minute of CPU; bulk writes skip model history (there is no
earlier state to keep, and no audit-event model yet to record the batch in). The same
``employees`` always gives the same data: every random choice comes from
``random.Random`` seeded with the instansi's kode and the size.
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import DO_NOTHING, Q
from django.utils import timezone

from . import rules
from .hierarchy import Holding, Organisation
from .models import (
    Instansi,
    Jabatan,
    JenisASN,
    JenisJabatan,
    JenisPenugasan,
    JenisUnit,
    JenjangFungsional,
    Pegawai,
    Penugasan,
    StatusPegawai,
    UnitKerja,
    User,
)
from .services import hierarchy_refresh, instansi_save, user_create_for_pegawai

DEMO_PASSWORD = "sikap-demo-2026"
DEFAULT_EMPLOYEES = 600
MIN_EMPLOYEES_PER_INSTANSI = 20
SUPERADMIN_USERNAME = "superadmin"
SEED = "sikap-demo"
BATCH_SIZE = 2000
# Employment dates end here, so the data does not depend on the day the seed runs.
REFERENCE_YEAR = 2025
PPPK_SHARE = 0.20

# The demo personas sit in the Dinas Kesehatan; the Plt and the vacancies exercise the
# hierarchy resolver's acting and skip-the-vacant-post logic (rules §7.5).
KEPALA_UNIT_POST = "Kepala Dinas Kesehatan"
SUPERVISOR_POST = "Kepala Seksi Kesehatan Keluarga dan Gizi"
PLT_HOLDER_POST = "Kepala Seksi Surveilans dan Imunisasi"
PLT_POST = "Kepala Bidang Pencegahan dan Pengendalian Penyakit"
VACANT_POSTS = (PLT_POST, "Kepala Subbagian Rumah Tangga")
# Filled even at the smallest size: the Plt, the kepala seksi they appraise, the post above a vacancy.
SCENARIO_POSTS = (PLT_HOLDER_POST, "Kepala Seksi Pencegahan dan Pengendalian Penyakit Menular", "Kepala Bagian Umum")
ROLES = ("superadmin", "hr", "kepala_unit", "supervisor", "pegawai")


@dataclass(frozen=True)
class InstansiSpec:
    kode: str
    nama: str
    kota: str
    hr_username: str
    kecamatan: dict[str, tuple[str, ...]]
    sd_name: str  # formatted with the school's number, counted from sd_first
    smp_name: str
    sd_first: int
    marga_share: float  # Batak family names are common in Tebing Tinggi, rare in Dumai


DEMO_INSTANSI: tuple[InstansiSpec, ...] = (
    InstansiSpec(
        kode="kota-dumai",
        nama="Pemerintah Kota Dumai",
        kota="Dumai",
        hr_username="admin.dumai",
        kecamatan={
            "Dumai Kota": ("Bintan", "Dumai Kota", "Laksamana", "Rimba Sekampung", "Sukajadi"),
            "Dumai Barat": ("Pangkalan Sesai", "Purnama", "Simpang Tetap Darul Ichsan", "Bagan Keladi"),
            "Dumai Timur": ("Bukit Batrem", "Buluh Kasap", "Jaya Mukti", "Tanjung Palas", "Teluk Binjai"),
            "Dumai Selatan": ("Bukit Datuk", "Bukit Timah", "Mekar Sari", "Ratu Sima", "Bumi Ayu"),
            "Bukit Kapur": ("Bagan Besar", "Bukit Kayu Kapur", "Bukit Nenas", "Gurun Panjang", "Kampung Baru"),
            "Medang Kampai": ("Teluk Makmur", "Pelintung", "Guntung", "Mundam"),
            "Sungai Sembilan": ("Bangsal Aceh", "Basilam Baru", "Batu Teritip", "Lubuk Gaung", "Tanjung Penyembal"),
        },
        sd_name="SD Negeri {:03d} Dumai",
        smp_name="SMP Negeri {} Dumai",
        sd_first=1,
        marga_share=0.08,
    ),
    InstansiSpec(
        kode="kota-tebingtinggi",
        nama="Pemerintah Kota Tebingtinggi",
        kota="Tebing Tinggi",
        hr_username="admin.tebingtinggi",
        kecamatan={
            "Rambutan": ("Karya Jaya", "Lalang", "Mekar Sentosa", "Tanjung Marulak", "Sri Padang"),
            "Padang Hulu": ("Lubuk Baru", "Lubuk Raya", "Pabatu", "Persiakan", "Tualang"),
            "Bajenis": ("Bandar Sakti", "Berohol", "Bulian", "Durian", "Pelita", "Teluk Karang"),
            "Padang Hilir": ("Damar Sari", "Deblod Sundoro", "Satria", "Tambangan", "Tambangan Hulu"),
            "Tebing Tinggi Kota": ("Badak Bejuang", "Bandar Utama", "Mandailing", "Pasar Baru", "Pasar Gambir"),
        },
        sd_name="SD Negeri {} Tebing Tinggi",  # North Sumatra numbers its SD nationally, e.g. 163084
        smp_name="SMP Negeri {} Tebing Tinggi",
        sd_first=163001,
        marga_share=0.45,
    ),
)


# --- Names (Indonesian, with gelar) ---------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


MALE = _words(
    "Agus Ahmad Andi Arif Bambang Budi Dedi Eko Fajar Fauzi Hendra Heru Irfan Joko Rahmat Rizki Rudi Syahrul "
    "Taufik Wahyu Yudi Zulkifli Hasan Ilham Muhammad Reza Doni Edi Fikri Hadi Iwan Jefri Lukman Nanda Rian "
    "Sahat Tigor Bonar Herman Hotman Sutrisno Suparman Darmawan Firman Gunawan Hamdani Ismail Khairul Mulyadi "
    "Nasrul Rusli Samsul Syafrizal Zainal Azhar Afrizal Amri Baharuddin Darwis Erwin Febri Yusuf Ridwan"
)
FEMALE = _words(
    "Aisyah Ani Ayu Dewi Dian Eka Fitri Indah Intan Lestari Maya Mega Nurhayati Putri Rahmawati Ratna Rina "
    "Rini Sari Siti Sri Suryani Wulan Yanti Yuliana Yusnita Zahra Desi Elvi Fatimah Hafizah Juliana Kartika "
    "Linda Melati Nova Novi Rosmawati Sarah Susi Tuti Vivi Widya Yenni Rosmaida Lamria Hotmauli Martha Debora "
    "Rosdiana Ernawati Herlina Nurul Annisa Sukma"
)
MALE_LAST = _words(
    "Pratama Saputra Wijaya Santoso Hidayat Kurniawan Setiawan Putra Hakim Rahman Syahputra Firmansyah "
    "Nugroho Susanto Hasibuan Halim Ramadhan Prasetyo Effendi Iskandar Hamzah Siddiq Gunawan Arifin"
)
FEMALE_LAST = _words(
    "Lestari Wulandari Rahmawati Sari Handayani Anggraini Puspita Maharani Fitriani Kurniasih Novitasari "
    "Safitri Yuliani Permatasari Hasanah Aulia Ramadhani Syafitri Purnamasari Oktaviani"
)
MARGA = _words(
    "Siregar Nasution Harahap Lubis Simanjuntak Sinaga Tarigan Ginting Hasibuan Daulay Pane Batubara Damanik "
    "Saragih Purba Sitepu Sembiring Manurung Pardede Hutagalung Panjaitan Situmorang Simatupang Napitupulu"
)

# Gelar profiles: (gelar depan, gelar belakang, weight).
GELAR: dict[str, tuple[tuple[str, str, float], ...]] = {
    "none": (("", "", 1),),
    "pelaksana": (("", "", 10), ("", "S.E.", 2), ("", "A.Md.", 3), ("", "S.Kom.", 1), ("", "S.Sos.", 1), ("", "S.T.", 1)),
    "struktural": (
        ("", "S.Sos., M.Si.", 3), ("", "S.STP., M.Si.", 3), ("", "S.E., M.M.", 2), ("", "S.H., M.H.", 2),
        ("", "S.T., M.T.", 1), ("Drs.", "M.Si.", 1), ("Ir.", "M.T.", 0.5), ("Dr.", "S.Sos., M.Si.", 0.3),
    ),
    "pengawas": (("", "S.Sos.", 3), ("", "S.E.", 2), ("", "S.H.", 2), ("", "S.STP.", 2), ("", "S.Kom.", 1), ("", "S.IP., M.Si.", 1)),
    "kesehatan": (("dr.", "M.Kes.", 3), ("", "S.K.M., M.Kes.", 2), ("dr.", "", 1)),
    "guru": (("", "S.Pd.", 8), ("", "S.Pd., M.Pd.", 2), ("", "S.Pd.I.", 1)),
    "dokter": (("dr.", "", 6), ("dr.", "M.K.M.", 1)),
    "drg": (("drg.", "", 1),),
    "perawat": (("", "A.Md.Kep.", 1),),
    "ners": (("", "S.Kep., Ns.", 1),),
    "bidan": (("", "A.Md.Keb.", 3), ("", "S.Tr.Keb.", 1)),
    "apoteker": (("apt.", "S.Farm.", 1),),
    "analis": (("", "A.Md.A.K.", 1),),
    "gizi": (("", "A.Md.Gz.", 1),),
    "gizi_s1": (("", "S.Gz.", 1),),
    "sanitarian": (("", "A.Md.KL.", 1),),
    "skm": (("", "S.K.M.", 3), ("", "S.K.M., M.K.M.", 1)),
    "komputer": (("", "S.Kom.", 3), ("", "S.T.", 1)),
    "komputer_d3": (("", "A.Md.Kom.", 1),),
    "sdm": (("", "S.Psi.", 2), ("", "S.E.", 1), ("", "S.Sos.", 2), ("", "S.H.", 1), ("", "S.AP.", 1)),
    "sarjana": (("", "S.E.", 2), ("", "S.T.", 1), ("", "S.Sos.", 1), ("", "S.P.", 1)),
    "teknis": (("", "A.Md.T.", 1), ("", "", 2)),
}  # fmt: skip
FEMALE_SHARE = {"bidan": 1.0, "perawat": 0.75, "ners": 0.7, "guru": 0.7, "gizi": 0.85, "gizi_s1": 0.85,
                "dokter": 0.6, "drg": 0.65, "apoteker": 0.7, "analis": 0.7, "struktural": 0.25,
                "kesehatan": 0.4, "pengawas": 0.35, "none": 0.1, "teknis": 0.1}  # fmt: skip


# --- Posts ------------------------------------------------------------------------------

K, T, P = JenisJabatan.FUNGSIONAL_KEAHLIAN, JenisJabatan.FUNGSIONAL_KETERAMPILAN, JenisJabatan.PELAKSANA
J = JenjangFungsional


@dataclass(frozen=True)
class StaffPost:
    """A non-managerial post (pelaksana or fungsional) several people may hold."""

    nama: str
    jenis: str
    jenjang: str
    kelas: int
    gelar: str
    weight: float = 2.5  # expected holders per unit


STAFF = {
    "adm": StaffPost("Pengadministrasi Perkantoran", P, "", 5, "pelaksana", 3),
    "operator": StaffPost("Operator Layanan Operasional", P, "", 5, "pelaksana", 3),
    "olah": StaffPost("Pengolah Data dan Informasi", P, "", 6, "pelaksana"),
    "penata": StaffPost("Penata Layanan Operasional", P, "", 7, "pelaksana"),
    "pengemudi": StaffPost("Pengemudi", P, "", 3, "none", 2),
    "lalin": StaffPost("Pengatur Lalu Lintas", P, "", 5, "none", 4),
    "satpol": StaffPost("Polisi Pamong Praja Terampil", T, J.TERAMPIL, 6, "none", 3),
    "arsiparis": StaffPost("Arsiparis Terampil", T, J.TERAMPIL, 6, "pelaksana", 1),
    "perencana": StaffPost("Perencana Ahli Pertama", K, J.AHLI_PERTAMA, 8, "sarjana", 1),
    "analis_kebijakan": StaffPost("Analis Kebijakan Ahli Muda", K, J.AHLI_MUDA, 9, "sarjana", 1),
    "prakom_ap": StaffPost("Pranata Komputer Ahli Pertama", K, J.AHLI_PERTAMA, 8, "komputer"),
    "prakom_t": StaffPost("Pranata Komputer Terampil", T, J.TERAMPIL, 6, "komputer_d3"),
    "sdm_ap": StaffPost("Analis SDM Aparatur Ahli Pertama", K, J.AHLI_PERTAMA, 8, "sdm"),
    "sdm_am": StaffPost("Analis SDM Aparatur Ahli Muda", K, J.AHLI_MUDA, 9, "sdm", 2),
    "adb_ap": StaffPost("Administrator Database Kependudukan Ahli Pertama", K, J.AHLI_PERTAMA, 8, "komputer"),
    "gizi_ap": StaffPost("Nutrisionis Ahli Pertama", K, J.AHLI_PERTAMA, 8, "gizi_s1", 1),
    "penyuluh_ap": StaffPost("Penyuluh Kesehatan Masyarakat Ahli Pertama", K, J.AHLI_PERTAMA, 8, "skm", 2),
    "epid_ap": StaffPost("Epidemiolog Kesehatan Ahli Pertama", K, J.AHLI_PERTAMA, 8, "skm", 2),
    "adminkes_am": StaffPost("Administrator Kesehatan Ahli Muda", K, J.AHLI_MUDA, 9, "skm", 1),
    "guru_ap": StaffPost("Guru Ahli Pertama", K, J.AHLI_PERTAMA, 8, "guru", 7),
    "guru_am": StaffPost("Guru Ahli Muda", K, J.AHLI_MUDA, 9, "guru", 6),
    "guru_amd": StaffPost("Guru Ahli Madya", K, J.AHLI_MADYA, 11, "guru", 4),
    "dokter_ap": StaffPost("Dokter Ahli Pertama", K, J.AHLI_PERTAMA, 9, "dokter", 2),
    "dokter_am": StaffPost("Dokter Ahli Muda", K, J.AHLI_MUDA, 10, "dokter", 1),
    "drg_ap": StaffPost("Dokter Gigi Ahli Pertama", K, J.AHLI_PERTAMA, 9, "drg", 1),
    "perawat_t": StaffPost("Perawat Terampil", T, J.TERAMPIL, 6, "perawat", 5),
    "perawat_m": StaffPost("Perawat Mahir", T, J.MAHIR, 7, "perawat", 3),
    "perawat_ap": StaffPost("Perawat Ahli Pertama", K, J.AHLI_PERTAMA, 8, "ners", 3),
    "bidan_t": StaffPost("Bidan Terampil", T, J.TERAMPIL, 6, "bidan", 5),
    "bidan_m": StaffPost("Bidan Mahir", T, J.MAHIR, 7, "bidan", 2),
    "apoteker_ap": StaffPost("Apoteker Ahli Pertama", K, J.AHLI_PERTAMA, 8, "apoteker", 1),
    "lab_t": StaffPost("Pranata Laboratorium Kesehatan Terampil", T, J.TERAMPIL, 6, "analis", 1),
    "gizi_t": StaffPost("Nutrisionis Terampil", T, J.TERAMPIL, 6, "gizi", 1),
    "sanitarian_t": StaffPost("Sanitarian Terampil", T, J.TERAMPIL, 6, "sanitarian", 1),
    "penguji_t": StaffPost("Penguji Kendaraan Bermotor Terampil", T, J.TERAMPIL, 6, "teknis", 3),
    "penguji_m": StaffPost("Penguji Kendaraan Bermotor Mahir", T, J.MAHIR, 7, "teknis", 2),
}
SCHOOL_STAFF = ("guru_ap", "guru_am", "guru_amd", "adm")
PUSKESMAS_STAFF = (
    "dokter_ap", "dokter_am", "drg_ap", "perawat_t", "perawat_m", "perawat_ap", "bidan_t", "bidan_m",
    "apoteker_ap", "lab_t", "gizi_t", "sanitarian_t", "adm",
)  # fmt: skip
KELURAHAN_STAFF = ("adm", "operator", "olah", "penata")

# An OPD: (nama, singkatan, bidang); a bidang/bagian: (nama, staff under its head, seksi/subbagian);
# a seksi/subbagian: (nama, staff under its head). After the 2019–2022 penyederhanaan birokrasi
# several bidang have fungsional staff directly under the kepala bidang, as here.
Seksi = tuple[str, tuple[str, ...]]
Bidang = tuple[str, tuple[str, ...], tuple[Seksi, ...]]
SEKRETARIAT: Bidang = ("Sekretariat", ("perencana",), (("Subbagian Umum dan Kepegawaian", ("adm", "olah")),))
OPD_TREE: tuple[tuple[str, str, tuple[Bidang, ...]], ...] = (
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", (
        ("Sekretariat", ("perencana",), (("Subbagian Umum dan Kepegawaian", ("adm", "arsiparis")),)),
        ("Bidang Pengadaan, Pemberhentian dan Informasi", ("prakom_ap", "prakom_t", "olah"), ()),
        ("Bidang Mutasi dan Promosi", ("sdm_ap", "sdm_am", "adm"), ()),
        ("Bidang Pengembangan Sumber Daya Manusia", ("sdm_am", "sdm_ap"), ()),
        ("Bidang Penilaian Kinerja Aparatur dan Penghargaan", ("sdm_ap", "sdm_am", "olah"), ()),
    )),
    ("Dinas Pendidikan", "DISDIK", (
        SEKRETARIAT,
        ("Bidang Pembinaan Sekolah Dasar", (), (("Seksi Kurikulum dan Penilaian Sekolah Dasar", ("penata", "adm")),)),
        ("Bidang Pembinaan Sekolah Menengah Pertama", (),
         (("Seksi Kurikulum dan Penilaian Sekolah Menengah Pertama", ("penata", "adm")),)),
        ("Bidang Pendidik dan Tenaga Kependidikan", ("sdm_ap", "adm"), ()),
    )),
    ("Dinas Kesehatan", "DINKES", (
        SEKRETARIAT,
        ("Bidang Kesehatan Masyarakat", (), (
            ("Seksi Kesehatan Keluarga dan Gizi", ("adm", "gizi_ap")),
            ("Seksi Promosi dan Pemberdayaan Masyarakat", ("penyuluh_ap",)),
        )),
        ("Bidang Pencegahan dan Pengendalian Penyakit", (), (
            ("Seksi Surveilans dan Imunisasi", ("epid_ap", "adm")),
            ("Seksi Pencegahan dan Pengendalian Penyakit Menular", ("perawat_ap", "sanitarian_t")),
        )),
        ("Bidang Pelayanan dan Sumber Daya Kesehatan", ("adminkes_am",), (
            ("Seksi Pelayanan Kesehatan", ("penata",)),
            ("Seksi Kefarmasian dan Alat Kesehatan", ("apoteker_ap",)),
        )),
    )),
    ("Dinas Perhubungan", "DISHUB", (
        ("Sekretariat", (), (("Subbagian Umum dan Kepegawaian", ("adm", "pengemudi")),)),
        ("Bidang Lalu Lintas", (), (("Seksi Manajemen dan Rekayasa Lalu Lintas", ("lalin", "penata")),)),
        ("Bidang Angkutan", (), (("Seksi Angkutan Orang dan Barang", ("adm", "olah")),)),
    )),
    ("Dinas Kependudukan dan Pencatatan Sipil", "DISDUKCAPIL", (
        ("Sekretariat", (), (("Subbagian Umum dan Kepegawaian", ("adm",)),)),
        ("Bidang Pelayanan Pendaftaran Penduduk", (), (
            ("Seksi Identitas Penduduk", ("operator", "adm")),
            ("Seksi Pindah Datang dan Pendataan Penduduk", ("operator",)),
        )),
        ("Bidang Pelayanan Pencatatan Sipil", (), (
            ("Seksi Kelahiran dan Kematian", ("operator", "olah")),
            ("Seksi Perkawinan dan Perceraian", ("adm",)),
        )),
        ("Bidang Pengelolaan Informasi Administrasi Kependudukan", ("adb_ap", "prakom_ap", "prakom_t"), ()),
    )),
)  # fmt: skip
ASISTEN = ("Asisten Pemerintahan dan Kesejahteraan Rakyat", "Asisten Administrasi Umum")
SETDA_BAGIAN: tuple[tuple[int, Bidang], ...] = (
    (0, ("Bagian Tata Pemerintahan", (), (
        ("Subbagian Administrasi Pemerintahan Umum", ("penata", "adm")),
        ("Subbagian Otonomi Daerah dan Kerja Sama", ("analis_kebijakan", "adm")),
    ))),
    (1, ("Bagian Organisasi", (), (
        ("Subbagian Kelembagaan dan Analisis Jabatan", ("sdm_ap", "penata")),
        ("Subbagian Reformasi Birokrasi dan Akuntabilitas Kinerja", ("analis_kebijakan", "olah")),
    ))),
    (1, ("Bagian Umum", (), (
        ("Subbagian Tata Usaha Pimpinan", ("adm", "arsiparis")),
        ("Subbagian Rumah Tangga", ("pengemudi", "operator")),
    ))),
)  # fmt: skip
PLACE_A = _words("Bukit Sungai Teluk Tanjung Padang Simpang Kampung Lubuk Bagan Batu Pasar Pulau Rimba Suka Mekar")
PLACE_B = _words(
    "Jaya Makmur Sari Indah Baru Damai Raya Permai Mulya Sentosa Harapan Merdeka Mandiri Lestari Abadi Asri"
)


@dataclass(eq=False)
class UnitNode:
    nama: str
    jenis: str
    parent: UnitNode | None
    singkatan: str = ""
    obj: UnitKerja | None = None


@dataclass(eq=False)
class PostNode:
    """A post to create; ``weight`` 0 means a managerial post with exactly one holder."""

    nama: str
    unit: UnitNode
    jenis: str
    kelas: int
    atasan: PostNode | None
    kepala: bool = False
    jenjang: str = ""
    gelar: str = "pengawas"
    weight: float = 0.0
    obj: Jabatan | None = None


@dataclass
class Blueprint:
    units: list[UnitNode] = field(default_factory=list)
    posts: list[PostNode] = field(default_factory=list)

    def unit(self, nama: str, jenis: str, parent: UnitNode | None, singkatan: str = "") -> UnitNode:
        node = UnitNode(nama, jenis, parent, singkatan)
        self.units.append(node)
        return node

    def post(self, nama: str, unit: UnitNode, jenis: str, kelas: int, atasan: PostNode | None, **kw) -> PostNode:
        node = PostNode(nama, unit, jenis, kelas, atasan, **kw)
        self.posts.append(node)
        return node

    def staff(self, unit: UnitNode, atasan: PostNode, keys: tuple[str, ...]) -> None:
        for key in keys:
            s = STAFF[key]
            self.post(s.nama, unit, s.jenis, s.kelas, atasan, jenjang=s.jenjang, gelar=s.gelar, weight=s.weight)

    def find(self, nama: str) -> PostNode:
        (node,) = [p for p in self.posts if p.nama == nama]
        return node


def _upt_counts(n: int) -> tuple[int, int, int, int]:
    """Schools, puskesmas, kelurahan and kecamatan for ``n`` employees, so that a school holds
    ~20 people, a puskesmas ~30 and a kelurahan ~8 whatever the size."""
    budget = max(0, n - 220)  # roughly what the fixed offices hold
    schools = max(3, round(budget * 0.55 / 21))
    puskesmas = max(2, round(budget * 0.30 / 29))
    kelurahan = max(4, round(budget * 0.15 / 8))
    return schools, puskesmas, kelurahan, max(2, round(kelurahan / 10))


def _place_names(taken: set[str]) -> Iterator[str]:
    """Endless plausible place names not in ``taken`` (for sizes beyond the real map)."""
    for suffix in itertools.chain(
        [""], (f" {r}" for r in ("II", "III", "IV", "V")), (f" {i}" for i in itertools.count(6))
    ):
        for a, b in itertools.product(PLACE_A, PLACE_B):
            name = f"{a} {b}{suffix}"
            if name not in taken:
                taken.add(name)
                yield name


def _distinct(names: Iterable[str]) -> Iterator[str]:
    seen = set()
    for name in names:
        if name not in seen:
            seen.add(name)
            yield name


def _bidang(bp: Blueprint, opd: UnitNode, opd_nama: str, head: PostNode, spec: Bidang, kelas: int) -> PostNode:
    nama, staff, seksi_list = spec
    unit = bp.unit(nama, JenisUnit.BIDANG, opd)
    title = f"Sekretaris {opd_nama}" if nama == "Sekretariat" else f"Kepala {nama}"
    kabid = bp.post(title, unit, JenisJabatan.ADMINISTRATOR, kelas, head, kepala=True, gelar="struktural")
    bp.staff(unit, kabid, staff)
    for seksi_nama, seksi_staff in seksi_list:
        seksi = bp.unit(seksi_nama, JenisUnit.SUBBIDANG, unit)
        gelar = "skm" if opd_nama == "Dinas Kesehatan" else "pengawas"
        kasi = bp.post(f"Kepala {seksi_nama}", seksi, JenisJabatan.PENGAWAS, 9, kabid, kepala=True, gelar=gelar)
        bp.staff(seksi, kasi, seksi_staff)
    return kabid


def _blueprint(spec: InstansiSpec, n: int) -> Blueprint:
    """The organisation of one city government sized for ``n`` employees (rules §7.4–7.5)."""
    bp = Blueprint()
    schools, puskesmas, kelurahan, kecamatan = _upt_counts(n)
    sekda, heads = _offices(bp)
    _schools(bp, spec, heads["DISDIK"][0], schools)
    kecamatan_names = list(spec.kecamatan)[:kecamatan]
    places = _place_names(set(spec.kecamatan) | {k for ks in spec.kecamatan.values() for k in ks})
    kecamatan_names += [next(places) for _ in range(kecamatan - len(kecamatan_names))]
    names = _distinct(itertools.chain(kecamatan_names, *spec.kecamatan.values(), places))
    dinkes, kadinkes = heads["DINKES"]
    for nama in itertools.islice(names, puskesmas):
        unit = bp.unit(f"UPT Puskesmas {nama}", JenisUnit.UPT, dinkes)
        kapus = bp.post(f"Kepala UPT Puskesmas {nama}", unit, JenisJabatan.PENGAWAS, 9, kadinkes, kepala=True,
                        gelar="dokter")  # fmt: skip
        bp.staff(unit, kapus, PUSKESMAS_STAFF)
    dishub, kadishub = heads["DISHUB"]
    upt = bp.unit("UPT Pengujian Kendaraan Bermotor", JenisUnit.UPT, dishub)
    ka_upt = bp.post("Kepala UPT Pengujian Kendaraan Bermotor", upt, JenisJabatan.PENGAWAS, 9, kadishub, kepala=True)
    bp.staff(upt, ka_upt, ("penguji_t", "penguji_m", "adm"))
    for k, nama in enumerate(kecamatan_names):
        share = kelurahan // kecamatan + (1 if k < kelurahan % kecamatan else 0)
        kelurahan_names = itertools.islice(itertools.chain(spec.kecamatan.get(nama, ()), places), share)
        _kecamatan(bp, sekda, nama, kelurahan_names)
    return bp


def _offices(bp: Blueprint) -> tuple[PostNode, dict[str, tuple[UnitNode, PostNode]]]:
    """The Sekretariat Daerah and the OPD; returns the Sekda's post and each OPD's unit and head."""
    setda = bp.unit("Sekretariat Daerah", JenisUnit.OPD, None, "SETDA")
    sekda = bp.post("Sekretaris Daerah", setda, JenisJabatan.JPT_PRATAMA, 15, None, kepala=True, gelar="struktural")
    asisten = [bp.post(a, setda, JenisJabatan.JPT_PRATAMA, 14, sekda, gelar="struktural") for a in ASISTEN]
    for index, bagian in SETDA_BAGIAN:
        _bidang(bp, setda, "Sekretariat Daerah", asisten[index], bagian, 12)
    heads = {}
    for nama, singkatan, bidang_list in OPD_TREE:
        opd = bp.unit(nama, JenisUnit.OPD, None, singkatan)
        gelar = "kesehatan" if nama == "Dinas Kesehatan" else "struktural"
        head = bp.post(f"Kepala {nama}", opd, JenisJabatan.JPT_PRATAMA, 14, sekda, kepala=True, gelar=gelar)
        heads[singkatan] = (opd, head)
        for bidang in bidang_list:
            _bidang(bp, opd, nama, head, bidang, 12 if bidang[0] == "Sekretariat" else 11)
    return sekda, heads


def _schools(bp: Blueprint, spec: InstansiSpec, disdik: UnitNode, count: int) -> None:
    """SD and SMP as UPT of the Dinas Pendidikan, under the kepala bidang of their level."""
    kabid_sd = bp.find("Kepala Bidang Pembinaan Sekolah Dasar")
    kabid_smp = bp.find("Kepala Bidang Pembinaan Sekolah Menengah Pertama")
    smp_count = max(1, count // 4)
    for i in range(count):
        is_smp = i < smp_count
        nama = spec.smp_name.format(i + 1) if is_smp else spec.sd_name.format(spec.sd_first + i - smp_count)
        unit = bp.unit(nama, JenisUnit.UPT, disdik)
        # A kepala sekolah is a guru with an additional task, not a structural post.
        kepsek = bp.post(f"Kepala {nama}", unit, K, 11, kabid_smp if is_smp else kabid_sd, kepala=True,
                         jenjang=J.AHLI_MADYA, gelar="guru")  # fmt: skip
        bp.staff(unit, kepsek, SCHOOL_STAFF)


def _kecamatan(bp: Blueprint, sekda: PostNode, nama: str, kelurahan: Iterable[str]) -> None:
    """A kecamatan (camat, sekretaris, two seksi) and its kelurahan, each led by a lurah."""
    unit = bp.unit(f"Kecamatan {nama}", JenisUnit.KECAMATAN, None)
    camat = bp.post(f"Camat {nama}", unit, JenisJabatan.ADMINISTRATOR, 12, sekda, kepala=True, gelar="struktural")
    sekcam = bp.post(f"Sekretaris Kecamatan {nama}", unit, JenisJabatan.ADMINISTRATOR, 11, camat)
    bp.staff(unit, sekcam, ("adm",))
    for seksi_nama, staff in (
        ("Seksi Pemerintahan", ("penata", "adm")),
        ("Seksi Ketenteraman dan Ketertiban Umum", ("satpol",)),
    ):
        seksi = bp.unit(seksi_nama, JenisUnit.SUBBIDANG, unit)
        kasi = bp.post(f"Kepala {seksi_nama}", seksi, JenisJabatan.PENGAWAS, 9, camat, kepala=True)
        bp.staff(seksi, kasi, staff)
    for kel_nama in kelurahan:
        kel = bp.unit(f"Kelurahan {kel_nama}", JenisUnit.KELURAHAN, unit)
        lurah = bp.post(f"Lurah {kel_nama}", kel, JenisJabatan.PENGAWAS, 9, camat, kepala=True)
        bp.staff(kel, lurah, KELURAHAN_STAFF)


# --- People -------------------------------------------------------------------------------

# Golongan ruang ranges as urutan 1–17 (rules §7.3): (entry rank, lowest, highest) per post type;
# JF ranges per jenjang follow rules §3.2.
JENJANG_RANGE = {
    J.PEMULA: (5, 5, 5), J.TERAMPIL: (7, 6, 8), J.MAHIR: (7, 9, 10), J.PENYELIA: (7, 11, 12),
    J.AHLI_PERTAMA: (9, 9, 10), J.AHLI_MUDA: (9, 11, 12), J.AHLI_MADYA: (9, 13, 15), J.AHLI_UTAMA: (9, 16, 17),
}  # fmt: skip
JENIS_RANGE = {JenisJabatan.JPT_PRATAMA: (9, 14, 16), JenisJabatan.ADMINISTRATOR: (9, 12, 14),
               JenisJabatan.PENGAWAS: (9, 10, 13)}  # fmt: skip
PELAKSANA_RANGE = {3: (5, 5, 8), 5: (5, 6, 11), 6: (7, 7, 11), 7: (9, 9, 12)}
ENTRY_AGE = {5: (19, 24), 7: (21, 26), 9: (23, 30)}
# PPPK golongan I–XVII (Perpres 98/2020) by education: V SLTA, VII D-III, IX S-1, X S-2.
PPPK_RANGE = {"": (5, 7), J.TERAMPIL: (7, 7), J.MAHIR: (7, 8), J.AHLI_PERTAMA: (9, 9), J.AHLI_MUDA: (10, 11),
              J.AHLI_MADYA: (11, 12)}  # fmt: skip
PPPK_YEARS = ((2019, 1), (2021, 2), (2022, 3), (2023, 3), (2024, 4), (2025, 2))


def _pns_range(post: PostNode) -> tuple[int, int, int]:
    if post.jenjang:
        return JENJANG_RANGE[post.jenjang]
    if post.jenis == JenisJabatan.PELAKSANA:
        return PELAKSANA_RANGE[post.kelas]
    if post.nama == "Sekretaris Daerah":
        return (9, 15, 16)
    return JENIS_RANGE[post.jenis]


def _nama(rng: random.Random, female: bool, spec: InstansiSpec) -> str:
    first = rng.choice(FEMALE if female else MALE)
    r = rng.random()
    if r < 0.12:
        return first
    last = rng.choice(MARGA) if rng.random() < spec.marga_share else rng.choice(FEMALE_LAST if female else MALE_LAST)
    if r < 0.75:
        return f"{first} {last}"
    middle = rng.choice(FEMALE if female else MALE)
    return f"{first} {middle} {last}" if middle != first else f"{first} {last}"


def _nomor_induk(head: str, jk: str, rng: random.Random, used: set[str]) -> str:
    """``head`` (birth date + TMT, rules §7.1/§7.2) + sex digit + a free nomor urut 001–999."""
    start = rng.randint(1, 999)
    for offset in range(999):
        nip = f"{head}{jk}{(start + offset - 1) % 999 + 1:03d}"
        if nip not in used:
            used.add(nip)
            return nip
    raise RuntimeError(f"no free nomor urut for {head}{jk}")  # 999 people born the same day, same TMT


def _pegawai(
    rng: random.Random, spec: InstansiSpec, post: PostNode, *, pppk: bool, status: str, used: set[str]
) -> tuple[Pegawai, datetime.date]:
    """One employee fit for ``post``: a NIP / NI PPPK that passes rules §7.1/§7.2, the matching sex
    and birth date, a golongan in the post's range (§7.3, §3.2); returns (Pegawai, TMT date)."""
    female = rng.random() < FEMALE_SHARE.get(post.gelar, 0.45)
    jk = "2" if female else "1"
    if pppk:
        year = rng.choices([y for y, _w in PPPK_YEARS], [w for _y, w in PPPK_YEARS])[0]
        lahir = datetime.date(REFERENCE_YEAR - rng.randint(24, 55), 1, 1) + datetime.timedelta(rng.randrange(365))
        batch = rng.randint(1, 2) if year == 2024 else 1
        nip = _nomor_induk(f"{lahir:%Y%m%d}{year}2{batch}", jk, rng, used)
        low, high = PPPK_RANGE[post.jenjang if post.jenjang in PPPK_RANGE else ""]
        golongan = rules.GOLONGAN_PPPK[rng.randint(low, high) - 1]
        tmt = datetime.date(year, rng.choice((1, 3, 4)), 1)
    else:
        entry, low, high = _pns_range(post)
        entry_age = rng.randint(*ENTRY_AGE[entry])
        least = max(1, (low - entry) * 4, 8 if post.weight == 0 else 0)
        service = rng.randint(least, max(least, min((high - entry + 1) * 4, 56 - entry_age)))
        if status == StatusPegawai.MPP:
            service = 57 - entry_age  # a year before the retirement age of 58
        tmt = datetime.date(REFERENCE_YEAR - service, rng.randint(1, 12), 1)
        lahir = datetime.date(tmt.year - entry_age, 1, 1) + datetime.timedelta(rng.randrange(365))
        nip = _nomor_induk(f"{lahir:%Y%m%d}{tmt:%Y%m}", jk, rng, used)
        golongan = rules.GOLONGAN_PNS[min(high, max(low, entry + service // 4)) - 1][0]
    options = GELAR[post.gelar]
    depan, belakang, _weight = rng.choices(options, [weight for _d, _b, weight in options])[0]
    pegawai = Pegawai(
        jenis_asn=JenisASN.PPPK if pppk else JenisASN.PNS, nip=nip, nama=_nama(rng, female, spec),
        gelar_depan=depan, gelar_belakang=belakang, jenis_kelamin="P" if female else "L", tanggal_lahir=lahir,
        golongan=golongan, status=status,
    )  # fmt: skip
    return pegawai, tmt


def _holders(rng: random.Random, bp: Blueprint, n: int) -> tuple[list[PostNode], set[int]]:
    """The post of each of ``n`` employees, managerial posts first. Returns the list and the
    indexes of the personas (kept PNS and AKTIF). Whatever the size, the personas' chain and
    the posts around the Plt and the vacancies are filled first."""
    supervisor = bp.find(SUPERVISOR_POST)
    chain, post = [], supervisor
    while post:
        chain.append(post)
        post = post.atasan
    vacant = {id(bp.find(nama)) for nama in VACANT_POSTS}
    priority = list(dict.fromkeys([*reversed(chain), *map(bp.find, (KEPALA_UNIT_POST, *SCENARIO_POSTS))]))
    managers = list(dict.fromkeys(priority + [p for p in bp.posts if p.weight == 0 and id(p) not in vacant]))
    managers = managers[: max(len(priority), int(n * 0.4))]
    staff = [p for p in bp.posts if p.weight > 0]
    persona = next(p for p in staff if p.atasan is supervisor)
    under_vacancy = next(p for p in staff if p.atasan is bp.find(VACANT_POSTS[1]))
    others = [p for p in staff if p is not persona and p is not under_vacancy]
    rng.shuffle(others)
    staff_n = n - len(managers)
    assigned = [persona, under_vacancy, *others][:staff_n]
    assigned += rng.choices(staff, [p.weight for p in staff], k=staff_n - len(assigned))
    holders = managers + assigned
    personas = {holders.index(p) for p in (bp.find(KEPALA_UNIT_POST), supervisor)} | {len(managers)}
    return holders, personas


def _statuses(rng: random.Random, n: int, staff_from: int, personas: set[int]) -> tuple[dict[int, str], set[int]]:
    """A few CLTN, tugas belajar and MPP among the staff, and which staff are PPPK (~20% of all)."""
    pool = [i for i in range(staff_from, n) if i not in personas]
    special = rng.sample(pool, min(len(pool) // 4, 3 * max(1, round(n * 0.005))))
    status = {
        i: (StatusPegawai.CLTN, StatusPegawai.TUGAS_BELAJAR, StatusPegawai.MPP)[k % 3] for k, i in enumerate(special)
    }
    rest = [i for i in pool if i not in status]
    pppk = set(rng.sample(rest, min(len(rest), round(n * PPPK_SHARE))))
    return status, pppk


# --- Writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedResult:
    kode: str
    nama: str
    created: bool
    units: int = 0
    jabatan: int = 0
    pegawai: int = 0
    refreshed: int = 0  # rows hierarchy_refresh still changed; 0 when the in-memory resolution agrees


def _write_units(instansi: Instansi, bp: Blueprint) -> None:
    """Units level by level (a child needs its parent's pk), then the materialised paths."""
    depth = {}
    for node in bp.units:
        depth[id(node)] = depth[id(node.parent)] + 1 if node.parent else 0
    for level in range(max(depth.values()) + 1):
        nodes = [u for u in bp.units if depth[id(u)] == level]
        for u in nodes:
            u.obj = UnitKerja(instansi=instansi, parent=u.parent.obj if u.parent else None, nama=u.nama,
                              singkatan=u.singkatan, jenis=u.jenis)  # fmt: skip
        UnitKerja.objects.bulk_create([u.obj for u in nodes], batch_size=BATCH_SIZE)
    for u in bp.units:  # parents come before their children in bp.units
        u.obj.path = f"{u.parent.obj.path if u.parent else ''}{u.obj.pk:06d}/"
        u.obj.depth = u.obj.path.count("/") - 1
    UnitKerja.objects.bulk_update([u.obj for u in bp.units], ["path", "depth"], batch_size=BATCH_SIZE)


def _write_posts(instansi: Instansi, bp: Blueprint) -> None:
    """Posts level by level down the reporting line (``atasan`` needs its pk)."""
    level = {}
    for p in bp.posts:  # an atasan is always added before its bawahan
        level[id(p)] = level[id(p.atasan)] + 1 if p.atasan else 0
    for depth in range(max(level.values()) + 1):
        nodes = [p for p in bp.posts if level[id(p)] == depth]
        for p in nodes:
            p.obj = Jabatan(instansi=instansi, unit=p.unit.obj, nama=p.nama, jenis=p.jenis, jenjang=p.jenjang,
                            kelas_jabatan=p.kelas, atasan=p.atasan.obj if p.atasan else None, is_kepala_unit=p.kepala)  # fmt: skip
        Jabatan.objects.bulk_create([p.obj for p in nodes], batch_size=BATCH_SIZE)


def _write_people(instansi: Instansi, spec: InstansiSpec, bp: Blueprint, n: int, rng: random.Random) -> list[Pegawai]:
    """Employees and their definitive assignments, plus one Plt; returns the personas
    (kepala unit, supervisor, pegawai)."""
    holders, personas = _holders(rng, bp, n)
    managers = sum(1 for p in holders if p.weight == 0)
    status, pppk = _statuses(rng, n, managers, personas)
    used: set[str] = set(User.objects.filter(username__regex=r"^\d{18}$").values_list("username", flat=True))
    people, penugasan = [], []
    for i, post in enumerate(holders):
        pegawai, tmt = _pegawai(rng, spec, post, pppk=i in pppk, status=status.get(i, StatusPegawai.AKTIF), used=used)
        pegawai.instansi = instansi
        year = rng.randint(max(tmt.year, 2012 if post.weight else 2018), REFERENCE_YEAR)
        mulai = datetime.date(year, rng.randint(tmt.month if year == tmt.year else 1, 12), 1)
        sk = "821.2" if post.weight == 0 else "800.1.3.3"
        people.append(pegawai)
        penugasan.append(Penugasan(instansi=instansi, pegawai=pegawai, jabatan=post.obj, jenis=JenisPenugasan.DEFINITIF,
                                   mulai=mulai, nomor_sk=f"{sk}/{i + 1:05d}/BKPSDM/{year}"))  # fmt: skip
    plt_holder = bp.find(PLT_HOLDER_POST)
    if plt_holder in holders:  # a kepala seksi acts as Plt of the vacant kepala bidang post above them
        penugasan.append(Penugasan(instansi=instansi, pegawai=people[holders.index(plt_holder)],
                                   jabatan=bp.find(PLT_POST).obj, jenis=JenisPenugasan.PLT,
                                   mulai=datetime.date(REFERENCE_YEAR, 10, 1),
                                   nomor_sk=f"800.1.3.3/PLT/BKPSDM/{REFERENCE_YEAR}"))  # fmt: skip
    for rank in _fill_superiors(people, holders, penugasan, bp):
        Pegawai.objects.bulk_create(rank, batch_size=BATCH_SIZE)
    Penugasan.objects.bulk_create(penugasan, batch_size=BATCH_SIZE)
    return [people[i] for i in sorted(personas)]


def _fill_superiors(
    people: list[Pegawai], holders: list[PostNode], penugasan: list[Penugasan], bp: Blueprint
) -> list[list[Pegawai]]:
    """Set each employee's post, unit, pejabat penilai and atasan (rules §1.2, §7.5) in memory,
    with the resolver ``hierarchy_refresh`` uses, and return the employees in ranks, superiors
    first, so that each rank can be inserted knowing its superiors' pks. The refresh that
    follows then has nothing left to write: a bulk_update of every row costs far more."""
    index = {id(p): i for i, p in enumerate(people)}
    holdings = [Holding(index[id(row.pegawai)], row.jabatan.pk, row.jenis, row.mulai, row.selesai) for row in penugasan]
    atasan_of = {p.obj.pk: p.atasan.obj.pk if p.atasan else None for p in bp.posts}
    org = Organisation(atasan_of, holdings, timezone.localdate())
    superiors: list[tuple[int, ...]] = []
    for i, (pegawai, post) in enumerate(zip(people, holders, strict=True)):
        sup = org.superiors_of(i)
        penilai = sup.penilai.pegawai_id if sup.penilai else None
        atasan = sup.atasan_penilai.pegawai_id if sup.atasan_penilai else None
        pegawai.jabatan, pegawai.unit = post.obj, post.unit.obj
        pegawai.pejabat_penilai = people[penilai] if penilai is not None else None
        pegawai.atasan_pejabat_penilai = people[atasan] if atasan is not None else None
        superiors.append(tuple(j for j in (penilai, atasan) if j is not None))
    rank: dict[int, int] = {}

    def rank_of(i: int) -> int:  # the chain is a handful of posts deep, so recursion is shallow
        if i not in rank:
            rank[i] = 1 + max((rank_of(j) for j in superiors[i]), default=-1)
        return rank[i]

    ranks: list[list[Pegawai]] = [[] for _ in range(max(map(rank_of, range(len(people)))) + 1)]
    for i, pegawai in enumerate(people):
        ranks[rank[i]].append(pegawai)
    return ranks


def _seed_instansi(spec: InstansiSpec, n: int) -> SeedResult:
    rng = random.Random(f"{SEED}:{spec.kode}:{n}")
    bp = _blueprint(spec, n)
    instansi = instansi_save(instansi=Instansi(kode=spec.kode, nama=spec.nama, kota=spec.kota))
    _write_units(instansi, bp)
    _write_posts(instansi, bp)
    personas = _write_people(instansi, spec, bp, n, rng)
    refreshed = hierarchy_refresh(instansi_id=instansi.pk)
    for pegawai in personas:
        user_create_for_pegawai(pegawai=pegawai, password=DEMO_PASSWORD)
    User.objects.create_user(
        username=spec.hr_username, password=DEMO_PASSWORD, instansi=instansi, is_admin_kepegawaian=True,
        first_name="Admin Kepegawaian", last_name=spec.nama.removeprefix("Pemerintah "),
    )  # fmt: skip
    return SeedResult(spec.kode, spec.nama, True, len(bp.units), len(bp.posts), n, refreshed)


def _split(employees: int) -> list[int]:
    count = len(DEMO_INSTANSI)
    return [employees // count + (1 if i < employees % count else 0) for i in range(count)]


def seed_demo(*, employees: int = DEFAULT_EMPLOYEES) -> list[SeedResult]:
    """Create the demo instansi that do not exist yet (an existing one is left untouched),
    their organisation, ``employees`` employees in total, and the demo logins (§1.2 roles)."""
    if employees < MIN_EMPLOYEES_PER_INSTANSI * len(DEMO_INSTANSI):
        raise ValueError(f"at least {MIN_EMPLOYEES_PER_INSTANSI * len(DEMO_INSTANSI)} employees are needed")
    results = []
    if not User.objects.filter(username=SUPERADMIN_USERNAME).exists():
        User.objects.create_superuser(SUPERADMIN_USERNAME, "", DEMO_PASSWORD, first_name="Super", last_name="Admin")
    existing = set(Instansi.objects.filter(kode__in=[s.kode for s in DEMO_INSTANSI]).values_list("kode", flat=True))
    for spec, n in zip(DEMO_INSTANSI, _split(employees), strict=True):
        if spec.kode in existing:
            results.append(SeedResult(spec.kode, spec.nama, False))
            continue
        with transaction.atomic():
            results.append(_seed_instansi(spec, n))
    return results


class DemoResetBlocked(Exception):
    """Other apps' data (an SKP, a period) still belongs to a demo instansi."""


OWN_MODELS = (User, Penugasan, Pegawai, Jabatan, UnitKerja)


def _reset_blockers(ids: list[int]) -> list[str]:
    """The other tables with rows of these instansi. Every tenant-owned row knows its instansi,
    so this finds whatever a reset would orphan; history tables (DO_NOTHING) do not count."""
    found = []
    relations = [f for f in Instansi._meta.get_fields(include_hidden=True) if f.auto_created and not f.concrete]
    for rel in relations:  # include_hidden: tenant rows often have related_name="+"
        model = rel.related_model
        if model in OWN_MODELS or rel.on_delete is DO_NOTHING:
            continue
        if model._base_manager.filter(**{f"{rel.field.name}__in": ids}).exists():
            found.append(model._meta.label)
    return found


@transaction.atomic
def demo_instansi_ids() -> list[int]:
    """Primary keys of the demo instansi that exist."""
    return list(Instansi.objects.filter(kode__in=[s.kode for s in DEMO_INSTANSI]).values_list("pk", flat=True))


def demo_reset() -> int:
    """Delete the demo instansi with their logins, employees, assignments, posts and units;
    returns how many instansi were deleted. Refuses (DemoResetBlocked) while other apps hold
    data of a demo instansi, so a reset never drops appraisal records silently.

    The big tables go in one DELETE each, children first, without loading rows: the ORM's
    delete would send a signal and write a history row per employee (minutes at 100 000).
    Self-references (a post's atasan, a unit's parent) go within the same statement, and the
    foreign keys are checked at commit."""
    ids = list(Instansi.objects.filter(kode__in=[s.kode for s in DEMO_INSTANSI]).values_list("pk", flat=True))
    if not ids:
        return 0
    if blockers := _reset_blockers(ids):
        raise DemoResetBlocked(", ".join(blockers))
    User.objects.filter(Q(instansi_id__in=ids) | Q(pegawai__instansi_id__in=ids)).delete()  # a few rows
    for model in OWN_MODELS[1:]:
        rows = model._base_manager.filter(instansi_id__in=ids)
        rows._raw_delete(rows.db)
    Instansi.objects.filter(pk__in=ids).delete()
    return len(ids)


# --- Demo logins ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str
    instansi: str
    nama: str


def demo_logins() -> list[DemoLogin]:
    """The demo logins found in the database, superadmin first, then per instansi the HR admin,
    the kepala unit, the supervisor (pejabat penilai) and a pegawai under that supervisor."""
    kodes = [s.kode for s in DEMO_INSTANSI]
    users = (
        User.objects.filter(
            Q(username=SUPERADMIN_USERNAME, is_superuser=True)
            | Q(username__in=[s.hr_username for s in DEMO_INSTANSI], instansi__kode__in=kodes)
            | Q(pegawai__instansi__kode__in=kodes, pegawai__jabatan__nama__in=[KEPALA_UNIT_POST, SUPERVISOR_POST])
            | Q(pegawai__instansi__kode__in=kodes, pegawai__pejabat_penilai__jabatan__nama=SUPERVISOR_POST)
        )
        .select_related("instansi", "pegawai__jabatan")
        .order_by("id")
    )
    found: dict[tuple[str, str], DemoLogin] = {}
    for user in users:
        if user.username == SUPERADMIN_USERNAME:
            role, nama = "superadmin", user.get_full_name()
        elif user.pegawai is None:
            role, nama = "hr", user.get_full_name()
        else:
            jabatan = user.pegawai.jabatan.nama if user.pegawai.jabatan else ""
            role = {KEPALA_UNIT_POST: "kepala_unit", SUPERVISOR_POST: "supervisor"}.get(jabatan, "pegawai")
            nama = user.pegawai.nama_lengkap
        instansi = user.instansi.nama if user.instansi else ""
        found.setdefault((instansi, role), DemoLogin(role, user.username, DEMO_PASSWORD, instansi, nama))
    order = {name: i for i, name in enumerate(["", *(s.nama for s in DEMO_INSTANSI)])}
    return sorted(found.values(), key=lambda login: (order[login.instansi], ROLES.index(login.role)))


def demo_counts() -> Counter:
    """Rows per table for the demo instansi (for the command's summary and the tests)."""
    kodes = [s.kode for s in DEMO_INSTANSI]
    return Counter(
        instansi=Instansi.objects.filter(kode__in=kodes).count(),
        units=UnitKerja.objects.filter(instansi__kode__in=kodes).count(),
        jabatan=Jabatan.objects.filter(instansi__kode__in=kodes).count(),
        pegawai=Pegawai.objects.filter(instansi__kode__in=kodes).count(),
        penugasan=Penugasan.objects.filter(instansi__kode__in=kodes).count(),
        users=User.objects.count(),
    )
