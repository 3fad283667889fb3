"""HR imports of units, jabatan and employees (issue #7 item 6): the dry-run names every bad row
and writes nothing; applying writes all or nothing; the same file again changes nothing."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from accounts import imports
from accounts.models import ImporData, Jabatan, Pegawai, Penugasan, StatusImpor, UnitKerja
from accounts.tests.factories import make_nip

pytestmark = pytest.mark.django_db

MODELS = (UnitKerja, Jabatan, Pegawai, Penugasan)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def csv_file(rows, sep=",", name="data.csv") -> SimpleUploadedFile:
    text = "\n".join(sep.join(str(v) for v in row) for row in rows) + "\n"
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows, name="data.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in MODELS)


def dry_run(org, jenis, upload) -> ImporData:
    return imports.impor_create(instansi=org.instansi, jenis=jenis, upload=upload, by=org.hr_admin)


def errors_by_line(impor: ImporData) -> dict[int, list[str]]:
    return {r["line"]: r["errors"] for r in impor.laporan["rows"] if r["errors"]}


def actions(impor: ImporData) -> list[str]:
    return [r["action"] for r in impor.laporan["rows"]]


PEGAWAI_HEADER = ["NIP Baru", "Nama Lengkap", "Gol Ruang", "Jabatan", "Unor", "TMT Jabatan"]


def pegawai_rows(n: int, *, start: int = 500):
    return [PEGAWAI_HEADER] + [
        [make_nip(start + i), f"Pegawai Impor {i}", "II/c", "Pengadministrasi Umum", "Seksi Rujukan", "2024-01-02"]
        for i in range(n)
    ]


# --- Units ------------------------------------------------------------------------------------


UNIT_ROWS = [
    ["Kode Unit", "Nama Unit", "Kode Induk", "Singkatan", "Jenis Unit"],
    ["U-02", "Bidang Gizi", "U-01", "", "Bidang / Bagian"],  # its parent comes later in the file
    ["U-01", "Dinas Pangan", "", "Dispan", "OPD"],
    ["U-03", "Seksi Gizi Masyarakat", "Bidang Gizi", "", "SUBBIDANG"],  # parent by name
]


def test_unit_import_builds_the_tree_even_when_a_parent_comes_later_in_the_file(org):
    impor = dry_run(org, "UNIT", csv_file(UNIT_ROWS))
    assert impor.jumlah_salah == 0 and actions(impor) == ["create"] * 3

    assert imports.impor_apply(impor=impor, by=org.hr_admin) == imports.APPLIED

    dispan = UnitKerja.objects.get(instansi=org.instansi, kode="U-01")
    gizi = UnitKerja.objects.get(kode="U-02")
    seksi = UnitKerja.objects.get(kode="U-03")
    assert (gizi.parent, seksi.parent, dispan.parent) == (dispan, gizi, None)
    assert seksi.path == f"{dispan.pk:06d}/{gizi.pk:06d}/{seksi.pk:06d}/" and seksi.depth == 2
    assert (dispan.singkatan, gizi.jenis, seksi.jenis) == ("Dispan", "BIDANG", "SUBBIDANG")


def test_unit_import_names_unknown_parent_duplicate_code_missing_name_bad_kind_and_a_loop(org):
    rows = [
        ["kode", "nama", "kode_induk", "jenis"],
        ["A", "Dinas A", "TIDAK-ADA", ""],
        ["B", "Dinas B", "", ""],
        ["B", "Dinas B lagi", "", ""],
        ["C", "", "", ""],
        ["D", "Dinas D", "", "Kementerian"],
        ["E", "Unit E", "F", ""],
        ["F", "Unit F", "E", ""],
    ]
    impor = dry_run(org, "UNIT", csv_file(rows))

    errors = errors_by_line(impor)
    assert "Unit induk tidak dikenal: TIDAK-ADA." in errors[2]
    assert errors[4] == ["Duplikat: data yang sama sudah ada di baris 3 berkas ini."]
    assert "Kolom nama unit wajib diisi." in errors[5]
    assert "Jenis unit Kementerian tidak dikenal" in errors[6][0]
    assert "lingkaran" in errors[7][0] and "lingkaran" in errors[8][0]
    assert 3 not in errors


def test_unit_import_adopts_a_unit_made_by_hand_and_refuses_a_second_one_of_the_same_name(org):
    rows = [
        ["kode", "nama", "induk"],
        ["D-1", "Dinas Kesehatan", ""],
        ["D-2", "Bidang Pelayanan", "D-1"],
        ["D-3", "Bidang Pelayanan", "D-1"],
    ]
    impor = dry_run(org, "UNIT", csv_file(rows))

    assert actions(impor)[:2] == ["update", "update"]
    assert errors_by_line(impor) == {4: ["Sudah ada unit bernama Bidang Pelayanan di bawah unit induk yang sama."]}


# --- Jabatan ----------------------------------------------------------------------------------


def test_jabatan_import_creates_posts_under_existing_and_new_superiors_and_re_resolves_superiors(org):
    rows = [
        ["Kode Jabatan", "Nama Jabatan", "Unit Kerja", "Jenis Jabatan", "Jenjang", "Kelas Jabatan", "Atasan"],
        ["J-2", "Analis Rujukan", "Seksi Rujukan", "Fungsional Keahlian", "Ahli Pertama", "8", "J-1"],
        ["J-1", "Koordinator Rujukan", "Seksi Rujukan", "Pengawas", "", "9", "Kepala Bidang"],
    ]
    impor = dry_run(org, "JABATAN", csv_file(rows, sep=";"))
    assert impor.jumlah_salah == 0, impor.laporan

    assert imports.impor_apply(impor=impor, by=org.hr_admin) == imports.APPLIED

    analis = Jabatan.objects.get(instansi=org.instansi, kode="J-2")
    assert analis.atasan.kode == "J-1" and analis.atasan.atasan == org.jabatan.kabid
    assert (analis.jenjang, analis.kelas_jabatan, analis.unit) == ("AHLI_PERTAMA", 8, org.seksi)


def test_jabatan_import_names_each_kind_of_error(org, outsider):
    rows = [
        ["kode", "nama", "unit", "jenis", "jenjang", "kelas_jabatan", "atasan", "kepala_unit"],
        ["J-1", "Pranata Komputer", "Seksi Rujukan", "Fungsional Keahlian", "", "", "", ""],
        ["J-2", "Staf", "Dinas Entah", "Pelaksana", "", "", "", ""],
        ["J-3", "Staf", "Seksi Rujukan", "Pelaksana", "", "20", "", ""],
        ["J-4", "Staf", "Seksi Rujukan", "Pelaksana", "", "", "Jabatan Entah", ""],
        ["J-4", "Staf lagi", "Seksi Rujukan", "Pelaksana", "", "", "", ""],
        ["J-6", "Staf", "Seksi Rujukan", "Direktur", "", "", "", "mungkin"],
    ]
    impor = dry_run(org, "JABATAN", csv_file(rows))

    errors = errors_by_line(impor)
    assert errors[2] == ["Jabatan fungsional wajib memiliki jenjang."]
    assert errors[3] == ["Unit kerja tidak dikenal: Dinas Entah."]
    assert errors[4] == ["Kelas jabatan harus bilangan 1–17, bukan 20."]
    assert errors[5] == ["Jabatan atasan tidak dikenal: Jabatan Entah."]
    assert errors[6] == ["Duplikat: data yang sama sudah ada di baris 5 berkas ini."]
    assert "Jenis jabatan Direktur tidak dikenal" in errors[7][0]
    assert "Kolom kepala unit harus ya atau tidak, bukan mungkin." in errors[7]


def test_a_row_can_never_reach_a_unit_of_another_instansi(org, outsider):
    UnitKerja.objects.filter(pk=outsider.dinas.pk).update(kode="LAIN-1")
    rows = [["nama", "unit", "jenis"], ["Staf", "LAIN-1", "Pelaksana"]]

    impor = dry_run(org, "JABATAN", csv_file(rows))

    assert errors_by_line(impor) == {2: ["Unit kerja tidak dikenal: LAIN-1."]}


# --- Pegawai ----------------------------------------------------------------------------------


def test_pegawai_import_from_semicolon_csv_creates_employees_with_their_post_and_superiors(org):
    impor = dry_run(org, "PEGAWAI", csv_file(pegawai_rows(2), sep=";"))
    assert impor.jumlah_salah == 0 and actions(impor) == ["create", "create"], impor.laporan

    assert imports.impor_apply(impor=impor, by=org.hr_admin) == imports.APPLIED

    baru = Pegawai.objects.get(instansi=org.instansi, nip=make_nip(500))
    assert baru.jabatan == org.jabatan.staff and baru.unit == org.seksi
    assert baru.pejabat_penilai == org.penilai and baru.atasan_pejabat_penilai == org.atasan_penilai
    assert (baru.jenis_asn, baru.golongan, baru.jenis_kelamin) == ("PNS", "II/c", "L")
    assert baru.tanggal_lahir == datetime.datetime.strptime(make_nip(500)[:8], "%Y%m%d").date()
    impor.refresh_from_db()
    assert impor.status == StatusImpor.DITERAPKAN and impor.diterapkan_oleh == org.hr_admin
    assert impor.counts == {"create": 2, "update": 0, "unchanged": 0, "errors": 0}


def test_pegawai_import_reads_xlsx(org):
    impor = dry_run(org, "PEGAWAI", xlsx_file(pegawai_rows(3)))

    assert impor.jumlah_salah == 0 and actions(impor) == ["create"] * 3


def test_pegawai_import_names_each_kind_of_error(org):
    pppk = "19900101" + "2021" + "2" + "1" + "1" + "001"
    rows = [
        PEGAWAI_HEADER + ["Jenis ASN", "Jenis Kelamin"],
        ["19870315201001100", "NIP Pendek", "III/a", "", "", "", "", ""],
        [make_nip(1), "Unit Salah", "III/a", "Pengadministrasi Umum", "Dinas Entah", "2024-01-02", "", ""],
        [make_nip(2), "Jabatan Salah", "III/a", "Juru Masak", "", "2024-01-02", "", ""],
        [make_nip(2), "Duplikat", "III/a", "", "", "", "", ""],
        [make_nip(3), "", "III/a", "", "", "", "", ""],
        [make_nip(4), "Golongan Salah", "III/z", "", "", "", "", ""],
        [pppk, "PPPK Bergolongan PNS", "III/a", "", "", "", "", ""],
        [make_nip(5), "Tanpa TMT", "III/a", "Pengadministrasi Umum", "Seksi Rujukan", "", "", ""],
        [make_nip(6), "Kelamin Salah", "III/a", "", "", "", "", "P"],
        [make_nip(7), "ASN Salah", "III/a", "", "", "", "Honorer", ""],
        [make_nip(8), "Jabatan di unit lain", "III/a", "Pengelola Obat", "Seksi Rujukan", "2024-01-02", "", ""],
    ]
    impor = dry_run(org, "PEGAWAI", csv_file(rows))

    errors = errors_by_line(impor)
    assert errors[2] == ["Nomor induk harus 18 digit (yang dimasukkan 17 digit)."]
    assert errors[3] == ["Unit kerja tidak dikenal: Dinas Entah."]
    assert errors[4] == ["Jabatan tidak dikenal: Juru Masak."]
    assert errors[5] == ["Duplikat: data yang sama sudah ada di baris 4 berkas ini."]
    assert errors[6] == ["Kolom nama wajib diisi."]
    assert errors[7] == ["Golongan III/z tidak dikenal; tulis mis. III/a untuk PNS atau IX untuk PPPK."]
    assert errors[8] == ["PPPK memakai golongan I–XVII, bukan golongan ruang PNS."]
    assert "TMT jabatan wajib diisi" in errors[9][0]
    assert "tidak sesuai dengan jenis kelamin" in errors[10][0]
    assert errors[11] == ["Jenis ASN Honorer tidak dikenal; isi PNS atau PPPK."]
    assert errors[12] == ["Jabatan tidak dikenal di unit kerja ini: Pengelola Obat."]
    assert len(errors) == 11


def test_moving_an_employee_ends_the_old_post_the_day_before_the_new_tmt(org):
    rows = [
        PEGAWAI_HEADER,
        [org.pegawai.nip, org.pegawai.nama, org.pegawai.golongan, "Pengelola Obat", "", "2025-03-01"],
    ]
    impor = dry_run(org, "PEGAWAI", csv_file(rows, sep=";"))  # Faker's names carry commas
    assert actions(impor) == ["update"], impor.laporan

    assert imports.impor_apply(impor=impor, by=org.hr_admin) == imports.APPLIED

    org.pegawai.refresh_from_db()
    old = Penugasan.objects.get(pegawai=org.pegawai, jabatan=org.jabatan.staff)
    assert old.selesai == datetime.date(2025, 2, 28)
    assert org.pegawai.unit == org.other_seksi and org.pegawai.pejabat_penilai == org.other_penilai


# --- Dry-run, all-or-nothing, idempotence -------------------------------------------------------


def test_the_dry_run_writes_nothing_but_its_own_record(org):
    before = counts()

    impor = dry_run(org, "PEGAWAI", csv_file(pegawai_rows(5)))

    assert counts() == before
    assert impor.status == StatusImpor.DRAF and impor.jumlah_baris == 5 and impor.berkas.name.startswith("impor/")
    assert "data" not in impor.berkas.name  # stored under a random name, never the uploaded one


def test_a_failure_in_the_middle_of_the_commit_writes_nothing(org, monkeypatch):
    impor = dry_run(org, "PEGAWAI", csv_file(pegawai_rows(5)))
    before = counts()

    def boom(**kwargs):  # runs after every employee and post has been written
        raise DatabaseError("disk penuh")

    monkeypatch.setattr("accounts.services.hierarchy_refresh", boom)
    assert imports.impor_apply(impor=impor, by=org.hr_admin) == imports.FAILED

    assert counts() == before
    impor.refresh_from_db()
    assert impor.status == StatusImpor.GAGAL and "tidak ada data yang diubah" in impor.pesan


def test_a_file_with_bad_rows_is_never_applied(org):
    rows = pegawai_rows(3)
    rows[2][0] = "123"
    impor = dry_run(org, "PEGAWAI", csv_file(rows))
    before = counts()

    assert imports.impor_apply(impor=impor, by=org.hr_admin) == imports.HAS_ERRORS

    assert counts() == before
    assert ImporData.objects.get(pk=impor.pk).status == StatusImpor.DRAF


def test_applying_twice_changes_nothing_the_second_time(org):
    impor = dry_run(org, "PEGAWAI", csv_file(pegawai_rows(2)))
    assert imports.impor_apply(impor=impor, by=org.hr_admin) == imports.APPLIED
    after = counts()

    assert imports.impor_apply(impor=ImporData.objects.get(pk=impor.pk), by=org.hr_admin) == imports.ALREADY_APPLIED
    assert counts() == after


@pytest.mark.parametrize(
    ("jenis", "rows"),
    [
        ("UNIT", UNIT_ROWS),
        ("JABATAN", [["kode", "nama", "unit", "jenis", "atasan"], ["J-9", "Staf Baru", "Seksi Farmasi", "Pelaksana", "Kepala Seksi Farmasi"]]),
        ("PEGAWAI", pegawai_rows(4)),
    ],
)  # fmt: skip
def test_re_importing_the_same_file_reports_everything_unchanged_and_writes_nothing(org, jenis, rows):
    first = dry_run(org, jenis, csv_file(rows))
    assert imports.impor_apply(impor=first, by=org.hr_admin) == imports.APPLIED
    before = counts()

    again = dry_run(org, jenis, csv_file(rows))
    assert set(actions(again)) == {"unchanged"} and again.jumlah_salah == 0
    with CaptureQueriesContext(connection) as queries:
        assert imports.impor_apply(impor=again, by=org.hr_admin) == imports.NOTHING_TO_DO

    assert counts() == before
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert all("accounts_impordata" in sql for sql in writes), writes


def test_the_dry_run_needs_the_same_number_of_queries_for_10_and_100_rows(org):
    def queries_for(n):
        plan_rows = pegawai_rows(n)
        raw = "\n".join(",".join(r) for r in plan_rows).encode()
        with CaptureQueriesContext(connection) as queries:
            plan = imports.impor_check(instansi=org.instansi, jenis="PEGAWAI", raw=raw)
        assert not plan.report.bad_rows
        return len(queries)

    # pegawai by NIP, open definitive posts, units, jabatan: four reads whatever the size.
    assert queries_for(10) == queries_for(100) <= 4
