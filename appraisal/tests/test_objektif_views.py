"""The HR screens of objective evidence (issue 10): the indicator catalogue, files of realisations
with their dry-run, tokens for other systems, the SKM pull and the objectivity report — each
refusing other instansi (404) and other roles (403), and writing nothing on bad input."""

import hashlib
import io
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from appraisal.models import (
    ImporRealisasi,
    KatalogIndikator,
    PeriodeEvaluasi,
    Realisasi,
    StatusImpor,
    TokenSumber,
)
from appraisal.tests.factories import approved_chain, approved_skp, katalog, open_year, sourced_iki
from conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def year(org):
    return open_year(org)


@pytest.fixture
def tw1(year):
    return PeriodeEvaluasi.objects.get(periode_skp=year, jenis="TRIWULANAN", ke=1)


@pytest.fixture
def skp(org, year):
    chain = approved_chain(org, year)
    return approved_skp(org.pegawai, year, rhk=("Pelayanan pasien",), parent=chain["kasi"].rhk.first())


@pytest.fixture
def pasien(org):
    return katalog(org)


@pytest.fixture
def iki(skp, pasien):
    return sourced_iki(skp, pasien)


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def _upload(org, client, periode, katalog_indikator, text, name="pasien.csv"):
    login(client, org.hr_admin)
    return client.post(
        reverse("appraisal:impor_realisasi_create"),
        {"periode": periode.pk, "katalog": katalog_indikator.pk, "berkas": SimpleUploadedFile(name, text.encode())},
    )


# --- Catalogue --------------------------------------------------------------------------------------


def test_hr_admin_adds_an_indicator_to_the_catalogue(org, client):
    login(client, org.hr_admin)
    response = client.post(
        reverse("appraisal:katalog_create"),
        {
            "kelompok_jabatan": "  Perawat ",
            "nama": "Jumlah pasien dilayani",
            "kode": "pasien-dilayani",
            "aspek": "KUANTITAS",
            "satuan": "pasien",
            "arah": "NAIK",
            "sumber_bawaan": "BERKAS",
            "keterangan": "Dari SIMPUS",
            "aktif": "on",
        },
    )
    assert response.status_code == 302
    item = KatalogIndikator.objects.get(instansi=org.instansi)
    assert (item.kode, item.kelompok_jabatan, item.sumber_bawaan) == ("pasien-dilayani", "Perawat", "BERKAS")


def test_a_kode_taken_in_the_instansi_is_refused_in_indonesian_and_nothing_is_written(org, outsider, client, pasien):
    katalog(outsider, "kode-lain")  # another instansi's kode does not matter
    login(client, org.hr_admin)
    data = {"kelompok_jabatan": "Perawat", "nama": "Lain", "aspek": "KUANTITAS", "satuan": "x", "arah": "NAIK"}
    data["sumber_bawaan"] = "BERKAS"
    response = client.post(reverse("appraisal:katalog_create"), {**data, "kode": "pasien-dilayani"})
    assert response.status_code == 200
    assert "sudah dipakai indikator lain di instansi ini" in response.content.decode()
    response = client.post(reverse("appraisal:katalog_create"), {**data, "kode": "bukan kode!"})
    assert response.status_code == 200 and "form" in response.context
    assert response.context["form"].errors["kode"]
    assert KatalogIndikator.objects.filter(instansi=org.instansi).count() == 1
    assert client.post(reverse("appraisal:katalog_create"), {**data, "kode": "kode-lain"}).status_code == 302


def test_editing_keeps_the_own_kode_and_another_instansi_gets_404(org, outsider, client, pasien):
    login(client, org.hr_admin)
    url = reverse("appraisal:katalog_edit", args=[pasien.pk])
    data = {
        "kelompok_jabatan": "Perawat",
        "nama": "Pasien dilayani (kunjungan)",
        "kode": "pasien-dilayani",
        "aspek": "KUANTITAS",
        "satuan": "kunjungan",
        "arah": "NAIK",
        "sumber_bawaan": "API",
    }
    assert client.post(url, data).status_code == 302
    pasien.refresh_from_db()
    assert (pasien.nama, pasien.sumber_bawaan, pasien.aktif) == ("Pasien dilayani (kunjungan)", "API", False)
    login(client, outsider.hr_admin)
    assert client.get(url).status_code == 404
    assert client.post(url, {**data, "nama": "Diretas"}).status_code == 404
    pasien.refresh_from_db()
    assert pasien.nama == "Pasien dilayani (kunjungan)"


@pytest.mark.parametrize("name", ["katalog_list", "katalog_create", "impor_realisasi_list", "token_list"])
def test_employees_and_supervisors_get_403_on_hr_screens(org, client, name):
    for who in (org.pegawai, org.penilai):
        login(client, who)
        assert client.get(reverse(f"appraisal:{name}")).status_code == 403


def test_the_catalogue_is_searched_and_filtered_and_shows_only_the_own_instansi(org, outsider, client):
    katalog(org, "pasien-dilayani")
    katalog(org, "nilai-ujian", nama="Rata-rata nilai ujian", kelompok="Guru", sumber="BERKAS")
    katalog(org, "waktu-tunggu", nama="Waktu tunggu rata-rata", kelompok="Petugas Dukcapil", sumber="API")
    katalog(outsider, "rahasia", nama="Indikator instansi lain")
    login(client, org.hr_admin)
    url = reverse("appraisal:katalog_list")
    page = client.get(url).content.decode()
    assert "Jumlah pasien dilayani" in page and "Indikator instansi lain" not in page
    assert [k.kode for k in client.get(url, {"q": "ujian"}).context["page"]] == ["nilai-ujian"]
    assert [k.kode for k in client.get(url, {"kelompok": "Perawat"}).context["page"]] == ["pasien-dilayani"]
    assert [k.kode for k in client.get(url, {"sumber": "API"}).context["page"]] == ["waktu-tunggu"]
    response = client.get(url, {"q": "tidak ada"})
    assert 'data-empty="filter"' in response.content.decode()


def test_an_empty_catalogue_explains_where_to_start(org, client):
    login(client, org.hr_admin)
    page = client.get(reverse("appraisal:katalog_list")).content.decode()
    assert 'data-empty="katalog"' in page and "Tambah indikator pertama" in page


@pytest.mark.parametrize("size", [1, 30])
def test_the_catalogue_list_runs_a_constant_number_of_queries(org, client, django_assert_max_num_queries, size):
    for n in range(size):
        katalog(org, f"indikator-{n}", kelompok=f"Kelompok {n % 4}")
    login(client, org.hr_admin)
    # session, user, kelompok choices, count, page
    with django_assert_max_num_queries(6):
        assert client.get(reverse("appraisal:katalog_list"), {"q": "pasien"}).status_code == 200


# --- File imports -------------------------------------------------------------------------------------


def test_a_clean_file_is_previewed_then_applied_and_the_second_apply_changes_nothing(org, client, iki, tw1):
    response = _upload(org, client, tw1, iki.katalog, f"nip,nilai\n{org.pegawai.nip},312\n")
    impor = ImporRealisasi.objects.get()
    assert response.status_code == 302 and response.url == reverse("appraisal:impor_realisasi_detail", args=[impor.pk])
    assert not Realisasi.objects.exists()  # the dry-run writes nothing
    page = client.get(response.url).content.decode()
    assert "akan dibuat" in page and "data-apply" in page and "data-confirm" in page
    apply = reverse("appraisal:impor_realisasi_apply", args=[impor.pk])
    response = client.post(apply)
    assert "1 realisasi baru" in _messages(response)
    realisasi = Realisasi.objects.get(iki=iki, periode_evaluasi=tw1)
    assert (realisasi.nilai, realisasi.sumber, realisasi.impor_id) == (Decimal("312"), "BERKAS", impor.pk)
    page = client.get(reverse("appraisal:impor_realisasi_detail", args=[impor.pk])).content.decode()
    assert "akan dibuat" not in page and "data-apply" not in page  # the report now says what was done
    response = client.post(apply)
    assert "sudah diterapkan; tidak ada yang diubah" in _messages(response)
    assert Realisasi.objects.count() == 1


def test_bad_rows_come_first_highlighted_and_the_file_cannot_be_applied(org, client, iki, tw1):
    text = f"nip,nilai\n{org.pegawai.nip},312\n12345,10\n{org.colleague.nip},abc\n"
    response = _upload(org, client, tw1, iki.katalog, text)
    impor = ImporRealisasi.objects.get()
    page = client.get(response.url)
    html = page.content.decode()
    assert [r["line"] for r in page.context["bad_rows"]] == [3, 4]
    assert html.index('data-line="3"') < html.index('data-line="2"')  # bad rows first
    assert "table-danger" in html and "NIP harus 18 angka." in html and "bukan angka" in html
    assert "data-apply" not in html
    response = client.post(reverse("appraisal:impor_realisasi_apply", args=[impor.pk]))
    assert "tidak ada yang ditulis" in _messages(response)
    assert not Realisasi.objects.exists()
    impor.refresh_from_db()
    assert impor.status == StatusImpor.DRAF


def test_an_unreadable_file_gets_a_clear_message_and_no_apply_button(org, client, iki, tw1):
    response = _upload(org, client, tw1, iki.katalog, "kolom,lain\n1,2\n")
    html = client.get(response.url).content.decode()
    assert "data-file-error" in html and "data-apply" not in html


def test_only_active_file_sourced_indicators_of_the_instansi_can_be_imported(org, outsider, client, tw1, iki):
    api = katalog(org, "dari-api", nama="Dari sistem lain", sumber="API")
    foreign = katalog(outsider, "luar")
    login(client, org.hr_admin)
    form = client.get(reverse("appraisal:impor_realisasi_create")).context["form"]
    assert [value for value, _label in form.fields["katalog"].choices if value] == [iki.katalog.pk]
    for other in (api, foreign):
        response = _upload(org, client, tw1, other, f"nip,nilai\n{org.pegawai.nip},1\n")
        assert response.status_code == 200 and response.context["form"].errors["katalog"]
    response = client.post(reverse("appraisal:impor_realisasi_create"), {"periode": tw1.pk, "katalog": iki.katalog.pk})
    assert response.status_code == 200 and response.context["form"].errors["berkas"]
    assert not ImporRealisasi.objects.exists()


def test_another_instansis_import_is_404_and_is_not_applied(org, outsider, client, iki, tw1):
    _upload(org, client, tw1, iki.katalog, f"nip,nilai\n{org.pegawai.nip},312\n")
    impor = ImporRealisasi.objects.get()
    login(client, outsider.hr_admin)
    assert client.get(reverse("appraisal:impor_realisasi_detail", args=[impor.pk])).status_code == 404
    assert client.post(reverse("appraisal:impor_realisasi_apply", args=[impor.pk])).status_code == 404
    assert not Realisasi.objects.exists()
    login(client, org.pegawai)
    assert client.post(reverse("appraisal:impor_realisasi_apply", args=[impor.pk])).status_code == 403


def test_the_import_list_shows_file_indicator_period_and_who(org, outsider, client, iki, tw1):
    _upload(org, client, tw1, iki.katalog, f"nip,nilai\n{org.pegawai.nip},312\n", name="simpus-tw1.csv")
    page = client.get(reverse("appraisal:impor_realisasi_list")).content.decode()
    assert "simpus-tw1.csv" in page and "Jumlah pasien dilayani" in page and "TRIWULAN I 2026" in page
    assert org.hr_admin.username in page
    login(client, outsider.hr_admin)
    assert "simpus-tw1.csv" not in client.get(reverse("appraisal:impor_realisasi_list")).content.decode()


@pytest.mark.parametrize("size", [1, 30])
def test_the_import_list_runs_a_constant_number_of_queries(org, client, iki, tw1, django_assert_max_num_queries, size):
    for n in range(size):
        ImporRealisasi.objects.create(
            instansi=org.instansi,
            periode_evaluasi=tw1,
            katalog=iki.katalog,
            nama_berkas=f"berkas-{n}.csv",
            berkas="impor/x",
            sha256="0" * 64,
            dibuat_oleh=org.hr_admin,
        )
    login(client, org.hr_admin)
    # session, user, count, page (with katalog, periode, year, user joined), periode choices
    with django_assert_max_num_queries(6):
        assert client.get(reverse("appraisal:impor_realisasi_list")).status_code == 200


def test_the_template_csv_has_the_expected_headers(org, client):
    login(client, org.hr_admin)
    response = client.get(reverse("appraisal:impor_realisasi_templat"))
    assert response.content.decode().splitlines()[0] == "nip,nilai,periode,keterangan"


# --- Tokens -------------------------------------------------------------------------------------------


def test_a_new_token_is_shown_once_and_only_its_hash_is_kept(org, client):
    login(client, org.hr_admin)
    response = client.post(
        reverse("appraisal:token_create"), {"unit_kerja": org.seksi.pk, "nama_sistem": "SIMPUS Puskesmas"}
    )
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    raw = response.context["raw"]
    assert raw.startswith("sikap_") and raw in response.content.decode()
    token = TokenSumber.objects.get()
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert (token.unit_kerja, token.nama_sistem, token.dibuat_oleh) == (org.seksi, "SIMPUS Puskesmas", org.hr_admin)
    page = client.get(reverse("appraisal:token_list")).content.decode()
    assert raw not in page and token.awalan in page and "Authorization: Bearer" in page and "401" in page


def test_a_token_for_another_instansis_unit_or_without_a_system_name_is_refused(org, outsider, client):
    login(client, org.hr_admin)
    url = reverse("appraisal:token_create")
    response = client.post(url, {"unit_kerja": outsider.seksi.pk, "nama_sistem": "SIAK"})
    assert response.status_code == 200 and response.context["form"].errors["unit_kerja"]
    response = client.post(url, {"unit_kerja": org.seksi.pk, "nama_sistem": "   "})
    assert response.status_code == 200 and response.context["form"].errors["nama_sistem"]
    assert not TokenSumber.objects.exists()


def test_a_token_is_revoked_by_its_hr_admin_only(org, outsider, client):
    login(client, org.hr_admin)
    client.post(reverse("appraisal:token_create"), {"unit_kerja": org.seksi.pk, "nama_sistem": "SIAK"})
    token = TokenSumber.objects.get()
    url = reverse("appraisal:token_revoke", args=[token.pk])
    assert client.get(url).status_code == 405
    login(client, outsider.hr_admin)
    assert client.post(url).status_code == 404
    login(client, org.pegawai)
    assert client.post(url).status_code == 403
    token.refresh_from_db()
    assert token.aktif
    login(client, org.hr_admin)
    assert "dicabut" in _messages(client.post(url))
    token.refresh_from_db()
    assert not token.aktif
    assert "sudah dicabut" in _messages(client.post(url))


@pytest.mark.parametrize("size", [1, 30])
def test_the_token_list_runs_a_constant_number_of_queries(org, client, django_assert_max_num_queries, size):
    for n in range(size):
        TokenSumber.objects.create(
            instansi=org.instansi,
            unit_kerja=org.seksi,
            nama_sistem=f"Sistem {n}",
            awalan=f"{n:08d}",
            token_hash=f"{n:064d}",
            dibuat_oleh=org.hr_admin,
        )
    login(client, org.hr_admin)
    # session, user, count, page (with unit and creator joined)
    with django_assert_max_num_queries(5):
        assert client.get(reverse("appraisal:token_list")).status_code == 200


# --- SKM pull -----------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_pulling_the_skm_fills_the_sourced_realisations_and_says_how_many(org, client, skp, tw1, monkeypatch):
    sourced_iki(skp, katalog(org, "ikm-unit", nama="IKM unit", sumber="SKM"))
    monkeypatch.setattr("surveys.selectors.ikm_by_unit_kerja", lambda **kw: {org.pegawai.unit_id: Decimal("82.5")})
    monkeypatch.setattr("surveys.selectors.ikm_by_petugas", lambda **kw: {})
    login(client, org.hr_admin)
    response = client.post(reverse("appraisal:skm_tarik"), {"periode": tw1.pk})
    assert response.status_code == 302
    assert "1 nilai realisasi bersumber SKM terisi" in _messages(response)
    assert Realisasi.objects.get().nilai == Decimal("82.5")


def test_pulling_the_skm_for_another_instansis_period_is_refused(org, outsider, client):
    other = PeriodeEvaluasi.objects.filter(periode_skp=open_year(outsider)).first()
    open_year(org)
    login(client, org.hr_admin)
    response = client.post(reverse("appraisal:skm_tarik"), {"periode": other.pk})
    assert "Pilih periode evaluasi instansi ini." in _messages(response)
    login(client, org.pegawai)
    assert client.post(reverse("appraisal:skm_tarik"), {"periode": other.pk}).status_code == 403


# --- Objectivity report ---------------------------------------------------------------------------------


def _realisasi(iki, periode, **fields):
    return Realisasi.objects.create(iki=iki, periode_evaluasi=periode, nilai=Decimal("1"), **fields)


def test_the_objectivity_report_shows_shares_per_unit_and_exports_them(org, client, skp, iki, tw1):
    self_iki = skp.rhk.first().iki.exclude(pk=iki.pk).first()  # approved_skp's own, self-reported IKI
    _realisasi(iki, tw1, sumber="BERKAS")
    _realisasi(self_iki, tw1, diverifikasi=True)
    login(client, org.hr_admin)
    response = client.get(reverse("appraisal:objektivitas"), {"periode": tw1.pk})
    row = next(r for r in response.context["report"].rows if r.unit_id == org.seksi.pk)
    # The seksi: org.pegawai's two IKI (one from a file) and the kasi's two self-reported ones.
    assert (row.iki, row.iki_bersumber, row.persen_iki_bersumber) == (4, 1, Decimal("25.0"))
    assert (row.realisasi, row.persen_realisasi_objektif) == (2, Decimal("100.0"))
    html = response.content.decode()
    assert "objektivitas-chart-data" in html and "js/objektivitas.js" in html and "<script>" not in html
    response = client.get(reverse("appraisal:objektivitas_xlsx"), {"periode": tw1.pk, "unit": org.seksi.pk})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Unit kerja", "Jumlah IKI", "IKI bersumber data")
    assert rows[1][0] == org.seksi.nama and rows[1][1] == 4 and rows[1][5] == 25.0


def test_the_objectivity_report_without_periods_or_ikis_explains_itself(org, client):
    login(client, org.hr_admin)
    assert "Belum ada periode evaluasi" in client.get(reverse("appraisal:objektivitas")).content.decode()
    open_year(org)
    html = client.get(reverse("appraisal:objektivitas"), {"periode": "bukan-angka"}).content.decode()
    assert 'data-empty="objektivitas"' in html


def test_the_objectivity_report_refuses_other_roles_and_ignores_other_instansi(org, outsider, client, iki, tw1):
    login(client, org.pegawai)
    assert client.get(reverse("appraisal:objektivitas")).status_code == 403
    assert client.get(reverse("appraisal:objektivitas_xlsx")).status_code == 403
    login(client, outsider.hr_admin)
    open_year(outsider)
    response = client.get(reverse("appraisal:objektivitas"), {"periode": tw1.pk})  # org's period: ignored
    assert response.status_code == 200 and response.context["periode"].periode_skp.instansi == outsider.instansi


@pytest.mark.parametrize(
    "name",
    ["katalog_list", "katalog_create", "impor_realisasi_list", "impor_realisasi_create", "token_list", "token_create"],
)
def test_every_hr_page_opens_for_the_hr_admin_with_its_nav_entries(org, client, iki, tw1, name):
    login(client, org.hr_admin)
    response = client.get(reverse(f"appraisal:{name}"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("appraisal:katalog_list") in html and reverse("appraisal:objektivitas") in html
    assert "onclick" not in html and "onsubmit" not in html
