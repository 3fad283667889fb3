"""The import screens: only the HR admin of the instansi, clear refusals, bounded queries."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from accounts import imports
from accounts.models import ImporData, Pegawai, StatusImpor
from accounts.tests.factories import make_nip
from sikap.tabular import read_table

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(text: str, name="pegawai.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


GOOD = f"NIP Baru;Nama Lengkap;Gol Ruang\n{make_nip(700)};Ani;III/a\n{make_nip(701)};Budi;III/b\n"
BAD = f"NIP Baru;Nama Lengkap;Gol Ruang\n{make_nip(700)};Ani;III/a\n12345;Budi;III/b\n"


def make_impor(org, text=GOOD) -> ImporData:
    return imports.impor_create(instansi=org.instansi, jenis="PEGAWAI", upload=upload(text), by=org.hr_admin)


def test_hr_admin_uploads_sees_the_report_naming_the_bad_line_and_nothing_is_written(org, as_user):
    client = as_user(org.hr_admin)
    before = Pegawai.objects.count()

    response = client.post(reverse("accounts:impor_create"), {"jenis": "PEGAWAI", "berkas": upload(BAD)}, follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-line="3"' in page and "Nomor induk harus 18 digit (yang dimasukkan 5 digit)." in page
    assert "Terapkan" not in page.split("data-impor-report")[0]  # no apply button on a file with errors
    assert Pegawai.objects.count() == before


def test_hr_admin_applies_a_clean_file_then_a_second_post_changes_nothing(org, as_user):
    client = as_user(org.hr_admin)
    impor = make_impor(org)
    url = reverse("accounts:impor_apply", args=[impor.pk])

    response = client.post(url, follow=True)
    assert "Impor diterapkan: 2 baru, 0 diubah, 0 tidak berubah." in response.content.decode()
    assert ImporData.objects.get(pk=impor.pk).status == StatusImpor.DITERAPKAN
    count = Pegawai.objects.count()

    response = client.post(url, follow=True)
    assert "sudah diterapkan sebelumnya" in response.content.decode()
    assert Pegawai.objects.count() == count


def test_re_uploading_an_applied_file_says_there_is_nothing_to_change(org, as_user):
    client = as_user(org.hr_admin)
    imports.impor_apply(impor=make_impor(org), by=org.hr_admin)

    response = client.post(reverse("accounts:impor_create"), {"jenis": "PEGAWAI", "berkas": upload(GOOD)}, follow=True)

    page = response.content.decode()
    assert "Tidak ada perubahan" in page and "Berkas yang sama persis sudah pernah diterapkan" in page


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "kosong"),  # Django's own FileField message for an empty upload
        (b"nama;golongan\nAni;III/a\n", "Kolom wajib tidak ditemukan: nip"),
        (b"PK\x03\x04rusak", "Berkas Excel rusak"),
    ],
)
def test_an_unreadable_file_gets_a_clear_message_and_nothing_is_kept(org, as_user, content, message):
    client = as_user(org.hr_admin)
    berkas = SimpleUploadedFile("x.csv", content)

    response = client.post(reverse("accounts:impor_create"), {"jenis": "PEGAWAI", "berkas": berkas})

    assert response.status_code == 200 and message in response.content.decode()
    assert not ImporData.objects.exists()


def test_another_instansis_hr_admin_gets_404_on_an_import(org, outsider, as_user):
    impor = make_impor(org)
    client = as_user(outsider.hr_admin)

    assert client.get(reverse("accounts:impor_detail", args=[impor.pk])).status_code == 404
    assert client.post(reverse("accounts:impor_apply", args=[impor.pk])).status_code == 404
    assert ImporData.objects.get(pk=impor.pk).status == StatusImpor.DRAF


@pytest.mark.parametrize("name", ["impor_list", "impor_create"])
def test_a_pegawai_gets_403_on_the_import_screens(org, as_user, name):
    assert as_user(org.pegawai.user).get(reverse(f"accounts:{name}")).status_code == 403


def test_a_pegawai_gets_403_on_an_import_and_cannot_apply_it(org, as_user):
    impor = make_impor(org)
    client = as_user(org.pegawai.user)

    assert client.get(reverse("accounts:impor_detail", args=[impor.pk])).status_code == 403
    assert client.post(reverse("accounts:impor_apply", args=[impor.pk])).status_code == 403
    assert ImporData.objects.get(pk=impor.pk).status == StatusImpor.DRAF


@pytest.mark.parametrize("jenis", ["unit", "jabatan", "pegawai"])
def test_each_template_is_an_xlsx_whose_headers_the_importer_reads(org, as_user, jenis):
    response = as_user(org.hr_admin).get(reverse("accounts:impor_template", args=[jenis]))

    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    importer = imports.IMPORTERS[jenis.upper()]
    table = read_table(io.BytesIO(response.content), required=importer.required, aliases=importer.aliases)
    assert len(table.rows) == 1
    assert load_workbook(io.BytesIO(response.content)).active["A2"].number_format == "@"


def test_an_unknown_template_is_404(org, as_user):
    assert as_user(org.hr_admin).get(reverse("accounts:impor_template", args=["gaji"])).status_code == 404


@pytest.mark.parametrize("n", [1, 30])
def test_the_import_list_has_a_constant_query_count(org, as_user, django_assert_max_num_queries, n):
    for _i in range(n):
        make_impor(org)
    client = as_user(org.hr_admin)

    # session, user, count, page of imports (with uploader and applier joined).
    with django_assert_max_num_queries(5):
        response = client.get(reverse("accounts:impor_list"))
    assert response.status_code == 200 and response.content.decode().count("pegawai.csv") == min(n, 25)


def test_the_report_page_has_a_constant_query_count(org, as_user, django_assert_max_num_queries):
    impor = make_impor(org, GOOD + "".join(f"{make_nip(800 + i)};Pegawai {i};II/a\n" for i in range(60)))
    client = as_user(org.hr_admin)

    # session, user, the import, an earlier application of the same file.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("accounts:impor_detail", args=[impor.pk]))
    assert response.status_code == 200 and "Terapkan" in response.content.decode()


def test_a_superadmin_must_choose_an_instansi_first(org, superadmin, as_user):
    impor = make_impor(org)
    client = as_user(superadmin)

    assert client.get(reverse("accounts:impor_list")).status_code == 403
    assert client.get(reverse("accounts:impor_detail", args=[impor.pk])).status_code == 403


def test_the_report_page_of_a_record_without_a_report_still_renders(org, as_user):
    impor = ImporData.objects.create(
        instansi=org.instansi, jenis="PEGAWAI", nama_berkas="kosong.csv", sha256="0" * 64, dibuat_oleh=org.hr_admin
    )

    response = as_user(org.hr_admin).get(reverse("accounts:impor_detail", args=[impor.pk]))

    assert response.status_code == 200 and "Terapkan" not in response.content.decode()
