"""POST /api/v1/realisasi/ (issue 10): a valid token writes, another unit's token gets 403, no or a
wrong token 401, a malformed body 400 — and every refusal writes nothing."""

import json
from decimal import Decimal

import pytest

from appraisal import services_objektif as obj
from appraisal.models import Realisasi
from appraisal.tests.factories import approved_chain, approved_skp, katalog, open_year, sourced_iki

pytestmark = pytest.mark.django_db
URL = "/api/v1/realisasi/"


@pytest.fixture
def api_iki(org):
    year = open_year(org)
    chain = approved_chain(org, year)
    skp = approved_skp(org.pegawai, year, rhk=("Pelayanan pasien",), parent=chain["kasi"].rhk.first())
    return sourced_iki(skp, katalog(org, "pasien-dilayani", sumber="API"))


def _post(client, body, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", **headers)


def _batch(nip, nilai=312):
    return {
        "tahun": 2026,
        "periode": "TRIWULAN I",
        "data": [{"nip": nip, "indikator": "pasien-dilayani", "nilai": nilai}],
    }


def test_a_valid_token_writes_the_value_and_it_shows_its_source(client, org, api_iki):
    _token, raw = obj.token_create(unit_kerja=org.bidang, nama_sistem="SIMPUS", by=org.hr_admin)
    response = _post(client, _batch(org.pegawai.nip), raw)
    assert response.status_code == 200, response.content
    assert response.json() == {"diterima": 1, "dibuat": 1, "diubah": 0}
    realisasi = Realisasi.objects.get(iki=api_iki, periode_evaluasi__label="TRIWULAN I")
    assert (realisasi.nilai, realisasi.sumber, realisasi.sumber_keterangan) == (Decimal("312"), "API", "SIMPUS")


def test_another_units_token_gets_403_and_writes_nothing(client, org, api_iki):
    _token, raw = obj.token_create(unit_kerja=org.other_seksi, nama_sistem="SIMPUS", by=org.hr_admin)
    response = _post(client, _batch(org.pegawai.nip), raw)
    assert response.status_code == 403
    assert response.json()["kesalahan"][0]["pesan"] == "Pegawai di luar unit token ini."
    assert not Realisasi.objects.exists()


def test_another_instansis_token_gets_403(client, org, outsider, api_iki):
    open_year(outsider)
    _token, raw = obj.token_create(unit_kerja=outsider.dinas, nama_sistem="SIMPUS", by=outsider.hr_admin)
    assert _post(client, _batch(org.pegawai.nip), raw).status_code == 403
    assert not Realisasi.objects.exists()


@pytest.mark.parametrize("token", [None, "sikap_bukan-token", "x" * 500])
def test_no_or_a_wrong_token_gets_401(client, org, api_iki, token):
    response = _post(client, _batch(org.pegawai.nip), token)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Realisasi.objects.exists()


def test_a_session_login_is_not_a_token(client, org, api_iki):
    client.force_login(org.hr_admin)
    assert _post(client, _batch(org.pegawai.nip)).status_code == 401


@pytest.mark.parametrize(
    "body", ["{not json", b"\xff\xfe", "[]", json.dumps(_batch("198001012006041001", "banyak")), "NaN-value"]
)
def test_a_malformed_body_or_value_gets_400_with_a_message(client, org, api_iki, body):
    _token, raw = obj.token_create(unit_kerja=org.dinas, nama_sistem="SIMPUS", by=org.hr_admin)
    if "banyak" in str(body):
        body = json.dumps(_batch(org.pegawai.nip, "banyak"))
    if body == "NaN-value":  # Python's json module reads NaN; it must be a 400, not a crash
        body = json.dumps(_batch(org.pegawai.nip, float("nan")))
    response = _post(client, body, raw)
    assert response.status_code == 400
    assert response.json()["pesan"]
    assert not Realisasi.objects.exists()


def test_get_is_not_allowed(client):
    assert client.get(URL).status_code == 405
