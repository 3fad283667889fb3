"""The citizen's SKM questionnaire at /s/<kode>/ (rules §6.3, §6.4): what the page shows, what a
mistake looks like, and how abuse is flagged without losing an honest answer."""

from __future__ import annotations

import datetime
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from surveys import forms, rules, selectors, services
from surveys.models import JawabanUnsur, PertanyaanUnsur, Respons, SaluranSurvei, TokenSurvei
from surveys.tests.factories import (
    JenisLayananFactory,
    TokenSurveiFactory,
    form_data,
    jawaban,
    respons_with_answers,
    survey_setup,
)
from surveys.views.public import DEVICE_COOKIE

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def setup(org):
    return survey_setup(org.instansi)


def form_url(saluran: SaluranSurvei) -> str:
    return reverse("surveys_public:form", args=[saluran.kode])


def thanks_url(saluran: SaluranSurvei) -> str:
    return reverse("surveys_public:thanks", args=[saluran.kode])


def submit(client, setup, *, saluran=None, address="203.0.113.10", **kwargs):
    saluran = saluran or setup.saluran
    return client.post(form_url(saluran), form_data(setup, saluran=saluran, **kwargs), REMOTE_ADDR=address)


def html(response) -> str:
    return response.content.decode()


def text(response) -> str:
    """The visible text of a page, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html(response)))


def checked(page: str, name: str) -> str | None:
    """The value of the checked radio ``name`` in the page, if any."""
    for tag in re.findall(rf'<input type="radio" name="{name}"[^>]*>', page):
        if re.search(r"\schecked\b", tag):
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


# --- What the page shows -------------------------------------------------------------------------


def test_the_form_opens_without_login_with_the_unit_and_nine_questions_in_unsur_order(client, setup):
    PertanyaanUnsur.objects.filter(unit_layanan=setup.unit_layanan, unsur="U3").update(
        teks="Seberapa cepat berkas Anda selesai di Puskesmas Sukajadi?", label_4="Kilat"
    )

    response = client.get(form_url(setup.saluran))

    assert response.status_code == 200
    page = html(response)
    assert "<h1" in page and "Puskesmas Sukajadi" in text(response)
    positions = []
    for nomor, unsur in enumerate(rules.UNSUR, start=1):
        teks = "Seberapa cepat berkas Anda selesai di Puskesmas Sukajadi?" if unsur.kode == "U3" else unsur.pertanyaan
        assert teks in page, unsur.kode
        positions.append(page.index(teks))
        values = re.findall(rf'<input type="radio" name="u{nomor}" value="(\d)"', page)
        assert values == ["1", "2", "3", "4"]
    assert positions == sorted(positions)
    assert "Kilat" in page and "Sangat cepat" not in page  # the unit's answer wording for U3
    assert "Sangat Baik" in page  # the standard wording elsewhere (U9)
    assert "Pertanyaan 9 dari 9" in text(response)


def test_every_answer_is_a_labelled_radio_inside_a_fieldset_with_a_legend(client, setup):
    response = client.get(form_url(setup.saluran))
    page = html(response)

    ids = re.findall(r'<input type="radio"[^>]*id="([^"]+)"', page)
    assert len(ids) == 9 * 4 + 2  # nine questions, jenis kelamin
    for input_id in ids:
        assert f'<label class="skm-option" for="{input_id}">' in page
    assert page.count("<fieldset") == page.count("<legend") == 10
    for name in ("jenis_layanan", "usia", "pendidikan", "pekerjaan", "pekerjaan_lain", "saran"):
        assert f'for="id_{name}"' in page and f'id="id_{name}"' in page
    assert "maksimal 1000 karakter" in text(response).lower()
    assert 'maxlength="1000"' in page


def test_the_page_is_light_no_navbar_no_scripts_in_indonesian(client, setup):
    page = html(client.get(form_url(setup.saluran)))

    assert '<html lang="id">' in page
    assert "<script" not in page
    assert "navbar" not in page and "htmx" not in page and "chart" not in page.lower()
    assert "vendor/bootstrap/bootstrap.min.css" in page and "css/survey.css" in page
    assert "Kirim survei" in page


def test_the_pages_stay_in_indonesian_on_a_phone_set_to_english(client, setup):
    for url in (form_url(setup.saluran), thanks_url(setup.saluran), "/s/tidakada/"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        assert '<html lang="id">' in html(response), url
    assert "Kirim survei" in html(client.get(form_url(setup.saluran), HTTP_ACCEPT_LANGUAGE="en"))


def test_the_form_asks_no_name_nik_address_or_religion(client, setup):
    page = html(client.get(form_url(setup.saluran)))

    names = set(re.findall(r'name="([^"]+)"', page)) - {"viewport", "robots", "theme-color"}
    assert names == {
        "csrfmiddlewaretoken",
        "stempel",
        "t",
        "jenis_layanan",
        *(f"u{n}" for n in range(1, 10)),
        "jenis_kelamin",
        "usia",
        "pendidikan",
        "pekerjaan",
        "pekerjaan_lain",
        "saran",
        forms.HONEYPOT_FIELD,
    }
    for forbidden in ("nama", "nik", "alamat", "agama", "telepon", "email"):
        assert not any(forbidden in name for name in names), forbidden
    lowered = text(client.get(form_url(setup.saluran))).lower()
    assert "agama" not in lowered and "nomor induk" not in lowered


def test_the_jenis_layanan_select_offers_only_the_active_services_of_this_unit(client, setup, outsider):
    elsewhere = survey_setup(outsider.instansi)

    page = html(client.get(form_url(setup.saluran)))

    select = re.search(r'<select name="jenis_layanan".*?</select>', page, re.S).group(0)
    assert "Pemeriksaan umum" in select and "Imunisasi" in select
    assert "Layanan lama" not in select
    assert f'value="{elsewhere.jenis_layanan.pk}"' not in select


def test_the_officer_channel_names_the_officer_and_records_them(client, setup):
    response = client.get(form_url(setup.saluran_petugas))
    assert "Petugas yang melayani Anda: Siti Rahmawati" in text(response)
    assert "Petugas yang melayani" not in text(client.get(form_url(setup.saluran)))

    response = submit(client, setup, saluran=setup.saluran_petugas)

    assert response.status_code == 302
    respons = Respons.objects.get()
    assert (respons.saluran, respons.petugas) == (setup.saluran_petugas, setup.petugas)


@pytest.mark.parametrize("case", ["unknown", "inactive channel", "inactive unit"])
def test_an_unknown_or_closed_code_gives_a_friendly_404_in_indonesian(client, setup, case):
    kode = setup.saluran.kode
    if case == "unknown":
        kode = "tidakada"
    elif case == "inactive channel":
        SaluranSurvei.objects.filter(pk=setup.saluran.pk).update(aktif=False)
    else:
        type(setup.unit_layanan).objects.filter(pk=setup.unit_layanan.pk).update(aktif=False)

    for url in (reverse("surveys_public:form", args=[kode]), reverse("surveys_public:thanks", args=[kode])):
        response = client.get(url)
        assert response.status_code == 404
        assert "Survei tidak ditemukan" in text(response)
        assert "<script" not in html(response)
    assert client.post(reverse("surveys_public:form", args=[kode]), form_data(setup)).status_code == 404
    assert not Respons.objects.exists()


def test_the_first_visit_sets_a_long_lived_httponly_lax_device_cookie_and_keeps_it(client, setup):
    cookie = client.get(form_url(setup.saluran)).cookies[DEVICE_COOKIE]

    assert len(cookie.value) >= 20
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) >= 365 * 24 * 3600
    assert DEVICE_COOKIE not in client.get(form_url(setup.saluran)).cookies  # not re-set: the same phone


def test_a_token_in_the_link_is_carried_in_a_hidden_field(client, setup):
    token = TokenSurveiFactory(unit_layanan=setup.unit_layanan)

    page = html(client.get(form_url(setup.saluran) + f"?t={token.kode.upper()}"))

    assert f'<input type="hidden" name="t" value="{token.kode}"' in page


# --- The happy path ------------------------------------------------------------------------------


def test_an_honest_citizen_is_saved_counted_and_thanked_without_their_data_echoed(client, setup):
    client.get(form_url(setup.saluran))
    device = client.cookies[DEVICE_COOKIE].value
    nilai = {"U1": 4, "U2": 3, "U3": 2, "U4": 4, "U5": 3, "U6": 3, "U7": 4, "U8": 1, "U9": 3}

    response = submit(client, setup, nilai=nilai, usia="47", saran="Antrean panjang di loket obat.")

    assert response.status_code == 302 and response["Location"] == thanks_url(setup.saluran)
    respons = Respons.objects.get()
    assert respons.status == "DITERIMA" and respons.tanda == ""
    assert {j.unsur: j.nilai for j in respons.jawaban.all()} == nilai
    assert respons.unit_layanan == setup.unit_layanan and respons.periode == setup.periode
    assert respons.saluran == setup.saluran and respons.jenis_layanan == setup.jenis_layanan
    assert (respons.jenis_kelamin, respons.usia, respons.pendidikan, respons.pekerjaan) == ("P", 47, "SMA", "WIRAUSAHA")
    assert respons.saran == "Antrean panjang di loket obat."
    assert 55 <= respons.lama_isi_detik <= 70
    # Only salted SHA-256 hashes of the address and the device are kept.
    assert respons.alamat == services.fingerprint("alamat", "203.0.113.10") and len(respons.alamat) == 64
    assert respons.perangkat == services.fingerprint("perangkat", device)
    assert "203.0.113.10" not in respons.alamat and device not in respons.perangkat

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Terima kasih" in text(thanks)
    assert "Antrean panjang" not in html(thanks) and "47" not in text(thanks)


def test_other_work_is_kept_only_with_lainnya(client, setup):
    submit(client, setup, pekerjaan="LAINNYA", pekerjaan_lain="Nelayan")
    submit(client, setup, pekerjaan="PNS", pekerjaan_lain="Nelayan", address="203.0.113.11")

    assert list(Respons.objects.order_by("pk").values_list("pekerjaan", "pekerjaan_lain")) == [
        ("LAINNYA", "Nelayan"),
        ("PNS", ""),
    ]


# --- Bad input: a clear message, nothing saved, the rest of the form kept -------------------------

BAD_INPUT = {
    "missing answer": ({"u3": None}, "u3", "Pilih salah satu jawaban untuk pertanyaan ini."),
    "answer above 4": ({"u5": "7"}, "u5", "Jawaban tidak valid. Pilih salah satu dari empat jawaban"),
    "answer 0": ({"u5": "0"}, "u5", "Jawaban tidak valid. Pilih salah satu dari empat jawaban"),
    "unknown jenis layanan": ({"jenis_layanan": "999999"}, "jenis_layanan", "Jenis layanan tidak dikenal."),
    "no jenis layanan": ({"jenis_layanan": ""}, "jenis_layanan", "Pilih jenis layanan yang Anda terima."),
    "saran too long": ({"saran": "a" * 1001}, "saran", "Saran terlalu panjang: maksimal 1000 karakter"),
    "usia 14": ({"usia": "14"}, "usia", "Usia harus antara 15 dan 100 tahun."),
    "usia 101": ({"usia": "101"}, "usia", "Usia harus antara 15 dan 100 tahun."),
    "usia not a number": ({"usia": "tiga puluh"}, "usia", "Isi usia dengan angka"),
    "no jenis kelamin": ({"jenis_kelamin": None}, "jenis_kelamin", "Pilih jenis kelamin Anda."),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_is_explained_and_keeps_the_other_answers(client, setup, case):
    overrides, field, message = BAD_INPUT[case]
    nilai = {"U1": 4, "U2": 3, "U3": 2, "U4": 1, "U5": 3, "U6": 4, "U7": 2, "U8": 3, "U9": 4}

    response = submit(client, setup, nilai=nilai, **overrides)

    assert response.status_code == 200
    assert not Respons.objects.exists() and not JawabanUnsur.objects.exists()
    page = html(response)
    assert message in text(response)
    summary = re.search(r'<div class="skm-errors".*?</div>', page, re.S).group(0)
    assert f'href="#f-{field}"' in summary and message in summary and "[" not in summary
    assert f'id="f-{field}"' in page  # the summary links to the field
    for kode, value in nilai.items():
        name = kode.lower()
        if name != field:
            assert checked(page, name) == str(value), name
    if field != "usia":
        assert 'name="usia" value="34"' in page
    if field != "saran":
        assert "Ruang tunggu sudah nyaman." in page
    if field != "jenis_layanan":
        assert f'<option value="{setup.jenis_layanan.pk}" selected>' in page


def test_unanswered_questions_make_one_line_of_the_summary_and_errors_are_tied_to_their_fields(client, setup):
    response = submit(client, setup, u2=None, u4=None, u9=None, usia="200")

    page = html(response)
    summary = re.search(r'<div class="skm-errors".*?</div>', page, re.S).group(0)
    assert '<a href="#f-u2">Pertanyaan 2, 4, 9: Belum dijawab.' in summary
    assert '<a href="#f-usia">Usia (tahun): Usia harus antara 15 dan 100 tahun.</a>' in summary
    assert 'aria-describedby="u4-error"' in page and 'id="u4-error"' in page
    usia = re.search(r'<input type="number" name="usia"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in usia and 'aria-describedby="usia-error"' in usia


def test_a_retired_or_foreign_jenis_layanan_is_unknown(client, setup, outsider):
    elsewhere = survey_setup(outsider.instansi)
    for jenis in (setup.jenis_lama, elsewhere.jenis_layanan):
        response = submit(client, setup, jenis_layanan=str(jenis.pk))
        assert "Jenis layanan tidak dikenal." in text(response)
    assert not Respons.objects.exists()


def test_a_unit_without_a_service_catalogue_still_gets_its_survey(client, setup):
    type(setup.jenis_layanan).objects.filter(unit_layanan=setup.unit_layanan).update(aktif=False)

    assert 'name="jenis_layanan"' not in html(client.get(form_url(setup.saluran)))
    response = submit(client, setup, jenis_layanan=None)

    assert response.status_code == 302
    assert Respons.objects.get().jenis_layanan is None


# --- Abuse: flagged, never dropped, never told -------------------------------------------------------


def flagged_as(reason: str) -> Respons:
    respons = Respons.objects.order_by("-pk").first()
    assert respons is not None, "the submission was dropped"
    assert respons.status == "DITANDAI", respons.tanda
    assert reason in respons.tanda.split(", ")
    assert respons.jawaban.count() == 9
    return respons


def test_a_filled_honeypot_is_saved_flagged_and_thanked_like_anyone(client, setup):
    response = submit(client, setup, **{forms.HONEYPOT_FIELD: "http://spam.example"})

    assert response.status_code == 302 and response["Location"] == thanks_url(setup.saluran)
    assert flagged_as("honeypot").tanda == "honeypot"


def test_the_honeypot_is_hidden_from_people_and_out_of_the_tab_order(client, setup):
    page = html(client.get(form_url(setup.saluran)))

    block = re.search(r'<div class="skm-hp" aria-hidden="true">.*?</div>', page, re.S).group(0)
    tag = re.search(rf'<input[^>]*name="{forms.HONEYPOT_FIELD}"[^>]*>', block).group(0)
    assert 'tabindex="-1"' in tag and 'autocomplete="off"' in tag
    css = (Path(settings.BASE_DIR) / "static" / "css" / "survey.css").read_text(encoding="utf-8")
    assert re.search(r"\.skm-hp\s*\{[^}]*left:\s*-10000px", css)


@pytest.mark.parametrize(("waited", "flagged"), [(2, True), (7, True), (8, False), (300, False)])
def test_a_form_sent_under_eight_seconds_is_flagged_too_fast(client, setup, waited, flagged):
    response = submit(client, setup, waited=waited)

    assert response.status_code == 302
    respons = Respons.objects.get()
    assert respons.lama_isi_detik == waited
    if flagged:
        assert flagged_as("terlalu cepat").tanda == "terlalu cepat"
    else:
        assert respons.status == "DITERIMA"


def test_the_minimum_fill_time_is_a_setting(client, setup, settings):
    settings.SURVEY_MIN_FILL_SECONDS = 1

    submit(client, setup, waited=2)

    assert Respons.objects.get().status == "DITERIMA"


def forged(stamp: str) -> str:
    return stamp[:-1] + ("A" if stamp[-1] != "A" else "B")


@pytest.mark.parametrize("case", ["missing", "forged", "another channel", "from the future"])
def test_a_missing_or_forged_time_stamp_is_flagged(client, setup, case):
    stamps = {
        "missing": None,
        "forged": forged(forms.fill_stamp(setup.saluran.kode, issued_at=time.time() - 60)),
        "another channel": forms.fill_stamp(setup.saluran_petugas.kode, issued_at=time.time() - 60),
        "from the future": forms.fill_stamp(setup.saluran.kode, issued_at=time.time() + 3600),
    }

    response = submit(client, setup, stempel=stamps[case])

    assert response.status_code == 302 and response["Location"] == thanks_url(setup.saluran)
    respons = flagged_as("stempel waktu tidak valid")
    assert respons.lama_isi_detik is None


def test_a_second_submission_from_the_same_phone_the_same_day_is_flagged_repeated(client, setup):
    client.get(form_url(setup.saluran))
    first = submit(client, setup)
    second = submit(client, setup, address="198.51.100.7")  # another network, same phone

    assert first["Location"] == second["Location"] == thanks_url(setup.saluran)
    assert Respons.objects.order_by("pk").first().status == "DITERIMA"
    assert flagged_as("berulang").tanda == "berulang"


def test_the_same_phone_may_answer_another_unit_and_again_tomorrow(client, setup, org):
    other = survey_setup(org.instansi, unit=_another_unit(org))
    client.get(form_url(setup.saluran))
    submit(client, setup)
    submit(client, other)
    assert set(Respons.objects.values_list("status", flat=True)) == {"DITERIMA"}

    # Yesterday, one minute before midnight in Jakarta: a new day now.
    midnight = timezone.now().astimezone(JAKARTA).replace(hour=0, minute=0, second=0, microsecond=0)
    Respons.objects.update(diisi_pada=midnight - datetime.timedelta(minutes=1))
    submit(client, setup)
    assert Respons.objects.order_by("-pk").first().status == "DITERIMA"

    Respons.objects.filter(status="DITERIMA").update(diisi_pada=midnight + datetime.timedelta(seconds=1))
    submit(client, setup)
    flagged_as("berulang")


def _another_unit(org):
    from accounts.tests.factories import UnitKerjaFactory

    return UnitKerjaFactory(instansi=org.instansi, nama="Kantor Camat Barat", jenis="UPT")


def test_more_than_twenty_an_hour_from_one_address_are_flagged_but_kept(client, setup, org):
    address = "192.0.2.44"
    hashed = services.fingerprint("alamat", address)
    for _ in range(19):
        respons_with_answers(setup.unit_layanan, alamat=hashed)
    an_hour_ago = timezone.now() - datetime.timedelta(minutes=61)
    old = respons_with_answers(setup.unit_layanan, alamat=hashed)
    Respons.objects.filter(pk=old.pk).update(diisi_pada=an_hour_ago)
    other = survey_setup(org.instansi, unit=_another_unit(org))
    respons_with_answers(other.unit_layanan, alamat=hashed)

    submit(client, setup, address=address)  # the 20th within the hour
    assert Respons.objects.order_by("-pk").first().status == "DITERIMA"

    client.cookies.clear()  # another phone behind the same address
    response = submit(client, setup, address=address)  # the 21st
    assert response.status_code == 302
    assert flagged_as("batas laju").tanda == "batas laju"

    client.cookies.clear()
    submit(client, setup, address="192.0.2.45")  # a neighbour on another address
    assert Respons.objects.order_by("-pk").first().status == "DITERIMA"


def test_behind_a_proxy_the_configured_header_gives_the_address(client, setup, settings):
    settings.SURVEY_CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"

    client.post(form_url(setup.saluran), form_data(setup), REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="198.51.100.23")

    assert Respons.objects.get().alamat == services.fingerprint("alamat", "198.51.100.23")


def test_several_reasons_are_all_recorded(client, setup):
    client.get(form_url(setup.saluran))
    submit(client, setup)
    submit(client, setup, waited=1, **{forms.HONEYPOT_FIELD: "x"})

    assert flagged_as("honeypot").tanda == "honeypot, terlalu cepat, berulang"


def test_flagged_responses_are_kept_but_only_accepted_ones_are_counted(client, setup):
    client.get(form_url(setup.saluran))
    submit(client, setup, nilai=4)
    client.cookies.clear()
    submit(client, setup, nilai=1, waited=1)  # a bot's flood of 1s, too fast
    client.cookies.clear()
    submit(client, setup, nilai=1, **{forms.HONEYPOT_FIELD: "x"})

    assert Respons.objects.count() == 3 and JawabanUnsur.objects.count() == 27
    hasil = selectors.periode_results(periode=setup.periode)  # what the unit's results page shows
    assert hasil.skor.responden == 1
    assert hasil.skor.ikm == 100  # as if the flagged ones never came


# --- Tokens ------------------------------------------------------------------------------------------


def test_token_issue_writes_unique_codes_valid_for_the_given_hours(setup):
    before = timezone.now()

    tokens = services.token_issue(unit_layanan=setup.unit_layanan, count=50, valid_hours=48)

    assert TokenSurvei.objects.filter(unit_layanan=setup.unit_layanan).count() == 50
    assert len({t.kode for t in tokens}) == 50
    for token in TokenSurvei.objects.all():
        assert token.dipakai_pada is None and token.respons is None
        assert (
            before + datetime.timedelta(hours=48)
            <= token.berlaku_sampai
            <= timezone.now() + datetime.timedelta(hours=48)
        )


@pytest.mark.parametrize(("count", "hours"), [(0, 24), (1001, 24), (5, 0)])
def test_token_issue_refuses_nonsense(setup, count, hours):
    with pytest.raises(ValidationError):
        services.token_issue(unit_layanan=setup.unit_layanan, count=count, valid_hours=hours)
    assert not TokenSurvei.objects.exists()


def test_a_valid_token_is_used_once_and_linked_to_the_response(client, setup):
    token = TokenSurveiFactory(unit_layanan=setup.unit_layanan)

    response = submit(client, setup, t=token.kode.upper())

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.dipakai_pada is not None and token.respons == Respons.objects.get()


def test_a_replayed_token_is_refused_and_nothing_is_saved(client, setup):
    token = TokenSurveiFactory(unit_layanan=setup.unit_layanan)
    submit(client, setup, t=token.kode)
    client.cookies.clear()

    response = submit(client, setup, t=token.kode, nilai=1)

    assert response.status_code == 200
    assert "Token sudah dipakai" in text(response)
    assert Respons.objects.count() == 1 and JawabanUnsur.objects.count() == 9
    assert checked(html(response), "u1") == "1"  # the rest kept
    assert re.search(r'<input type="text" name="t" value="[^"]*"[^>]*id="id_t"', html(response))  # can be emptied


def test_an_expired_token_is_refused_and_left_unused(client, setup):
    token = TokenSurveiFactory(unit_layanan=setup.unit_layanan, berlaku_sampai=timezone.now())

    response = submit(client, setup, t=token.kode)

    assert "Token sudah kedaluwarsa" in text(response)
    assert not Respons.objects.exists()
    token.refresh_from_db()
    assert token.dipakai_pada is None


def test_a_token_of_another_unit_is_unknown(client, setup, outsider):
    elsewhere = survey_setup(outsider.instansi)
    token = TokenSurveiFactory(unit_layanan=elsewhere.unit_layanan)

    response = submit(client, setup, t=token.kode)

    assert "Token tidak dikenal" in text(response)
    assert not Respons.objects.exists()


def test_a_used_token_in_the_link_is_told_at_once(client, setup):
    token = TokenSurveiFactory(unit_layanan=setup.unit_layanan, dipakai_pada=timezone.now())

    response = client.get(form_url(setup.saluran) + f"?t={token.kode}")

    assert "Token sudah dipakai" in text(response)


def test_a_token_claimed_after_the_form_was_checked_is_refused_by_the_service(setup):
    """The form read the token as unused; a moment later someone else used it. Only the conditional
    UPDATE in the service decides, and it refuses without writing anything."""
    token = TokenSurveiFactory(unit_layanan=setup.unit_layanan)
    data = {
        "jawaban": jawaban(3),
        "jenis_layanan": setup.jenis_layanan,
        "jenis_kelamin": "L",
        "usia": 30,
        "pendidikan": "S1",
        "pekerjaan": "PNS",
        "pekerjaan_lain": "",
        "saran": "",
        "t": token.kode,
    }
    meta = services.SubmissionMeta(alamat="192.0.2.1", perangkat="a", lama_isi_detik=60)
    services.respons_submit(saluran=setup.saluran, data=data, meta=meta)

    with pytest.raises(ValidationError) as refused:
        services.respons_submit(saluran=setup.saluran, data=data, meta=meta)

    assert "Token sudah dipakai" in str(refused.value.message_dict["t"])
    assert Respons.objects.count() == 1 and JawabanUnsur.objects.count() == 9


def test_a_token_is_claimed_by_one_conditional_update(setup):
    token = TokenSurveiFactory(unit_layanan=setup.unit_layanan)
    data = {
        "jawaban": jawaban(3),
        "jenis_layanan": None,
        "jenis_kelamin": "L",
        "usia": 30,
        "pendidikan": "S1",
        "pekerjaan": "PNS",
        "t": token.kode,
    }
    meta = services.SubmissionMeta(alamat="192.0.2.1", perangkat="a", lama_isi_detik=60)

    with CaptureQueriesContext(connection) as queries:
        services.respons_submit(saluran=setup.saluran, data=data, meta=meta)

    token_queries = [q["sql"] for q in queries if "surveys_tokensurvei" in q["sql"]]
    claim = token_queries[0]
    assert claim.startswith('UPDATE "surveys_tokensurvei" SET "dipakai_pada"')
    assert '"dipakai_pada" IS NULL' in claim and '"berlaku_sampai" >' in claim


def test_the_service_refuses_an_incomplete_questionnaire(setup):
    data = {
        "jawaban": {**jawaban(3), "U9": 5},
        "jenis_kelamin": "L",
        "usia": 30,
        "pendidikan": "S1",
        "pekerjaan": "PNS",
    }
    meta = services.SubmissionMeta(alamat="", perangkat="", lama_isi_detik=60)
    with pytest.raises(ValidationError):
        services.respons_submit(saluran=setup.saluran, data=data, meta=meta)
    del data["jawaban"]["U9"]
    with pytest.raises(ValidationError):
        services.respons_submit(saluran=setup.saluran, data=data, meta=meta)
    assert not Respons.objects.exists()


# --- unit_layanan_create -------------------------------------------------------------------------------


def test_unit_layanan_create_seeds_the_standard_questions_and_a_qr_channel(org):
    layanan = services.unit_layanan_create(unit=org.seksi, nama_publik="  Layanan Rujukan  ", by=org.hr_admin)

    assert (layanan.instansi, layanan.nama_publik, layanan.aktif) == (org.instansi, "Layanan Rujukan", True)
    pertanyaan = list(PertanyaanUnsur.objects.filter(unit_layanan=layanan).order_by("unsur"))
    assert [(p.unsur, p.teks, (p.label_1, p.label_2, p.label_3, p.label_4)) for p in pertanyaan] == [
        (u.kode, u.pertanyaan, u.label) for u in rules.UNSUR
    ]
    assert {h.history_user for h in PertanyaanUnsur.history.filter(unit_layanan=layanan)} == {org.hr_admin}
    saluran = SaluranSurvei.objects.get(unit_layanan=layanan)
    assert (saluran.jenis, saluran.aktif, saluran.petugas) == ("UNIT", True, None)
    assert re.fullmatch(r"[a-z2-9]{8}", saluran.kode)


def test_unit_layanan_create_refuses_a_unit_twice_or_without_a_name(org):
    services.unit_layanan_create(unit=org.seksi, nama_publik="Layanan Rujukan", by=org.hr_admin)
    with pytest.raises(ValidationError):
        services.unit_layanan_create(unit=org.seksi, nama_publik="Lagi", by=org.hr_admin)
    with pytest.raises(ValidationError):
        services.unit_layanan_create(unit=org.other_seksi, nama_publik="  ", by=org.hr_admin)
    assert PertanyaanUnsur.objects.count() == 9


def test_the_public_page_reads_a_fixed_number_of_queries(client, setup, django_assert_num_queries):
    for n in range(5):
        JenisLayananFactory(unit_layanan=setup.unit_layanan, nama=f"Layanan tambahan {n}")
    # channel with unit and officer; the nine questions; the unit's services, read once
    with django_assert_num_queries(3):
        client.get(form_url(setup.saluran_petugas))


@pytest.mark.parametrize("earlier", [0, 30])
def test_a_submission_costs_a_fixed_number_of_queries(client, setup, earlier, django_assert_num_queries):
    """The burst target (issue 8) rests on this. The channel, its questions and services come
    from the cache the form's GET filled; the unit's periods are read once, then cached too; the
    transaction (a savepoint inside the test's), the unit's lock, one query for both abuse rules,
    the response, its history row and its nine answers."""
    for _ in range(earlier):
        respons_with_answers(setup.unit_layanan, alamat=services.fingerprint("alamat", "203.0.113.10"))
    client.get(form_url(setup.saluran))
    lock = 0 if connection.vendor == "sqlite" else 1  # SQLite has no row locks
    with django_assert_num_queries(7 + lock):
        response = submit(client, setup)
    with django_assert_num_queries(6 + lock):
        submit(client, setup, address="198.51.100.7")
    assert response["Location"] == thanks_url(setup.saluran)
    assert Respons.objects.count() == earlier + 2


# --- Load: many citizens at once ------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _citizen(base_url: str, kode: str, data: dict, *, wait: float, token: str = "") -> tuple[int, str, str]:
    """One phone: open the QR link (cookies, CSRF token, time stamp), answer, send.
    Returns (status, Location, body)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect)
    url = f"{base_url}/s/{kode}/" + (f"?t={token}" if token else "")
    page = opener.open(url, timeout=30).read().decode()
    fields = dict(re.findall(r'<input type="hidden" name="(csrfmiddlewaretoken|stempel|t)" value="([^"]*)"', page))
    time.sleep(wait)
    body = urllib.parse.urlencode({**data, **fields}).encode()
    request = urllib.request.Request(f"{base_url}/s/{kode}/", data=body, headers={"Referer": url})
    try:
        response = opener.open(request, timeout=30)
        return response.status, "", response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Location", ""), exc.read().decode()


@pytest.mark.django_db(transaction=True)
def test_forty_citizens_at_once_each_get_exactly_one_response(live_server, org, settings):
    settings.SURVEY_MIN_FILL_SECONDS = 1
    setup = survey_setup(org.instansi)
    kode = setup.saluran.kode
    threads, per_thread = 8, 5
    results: list[tuple[str, int, str]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(i: int):
        try:
            for j in range(per_thread):
                marker = f"warga-{i}-{j}"
                data = {k: v for k, v in form_data(setup, saran=marker).items() if k not in ("stempel", "t")}
                status, location, _ = _citizen(live_server.url, kode, data, wait=1.1)
                with lock:
                    results.append((marker, status, location))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)

    assert not errors, errors
    assert len(results) == threads * per_thread
    accepted = {
        marker for marker, status, location in results if status == 302 and location.endswith(thanks_url(setup.saluran))
    }
    assert len(accepted) == threads * per_thread, [r for r in results if r[1] != 302]
    saved = list(Respons.objects.values_list("saran", flat=True))
    assert sorted(saved) == sorted(accepted)  # none lost, none twice
    per_respons = {r.pk: r.jawaban.count() for r in Respons.objects.prefetch_related("jawaban")}
    assert set(per_respons.values()) == {9} and JawabanUnsur.objects.count() == 9 * len(accepted)
    # All came from one address: the rate limit let exactly twenty through, even under load.
    assert Respons.objects.filter(status="DITERIMA").count() == services.RATE_LIMIT_PER_HOUR
    assert set(Respons.objects.filter(status="DITANDAI").values_list("tanda", flat=True)) == {"batas laju"}


@pytest.mark.django_db(transaction=True)
def test_two_phones_with_one_token_at_the_same_moment_exactly_one_wins(live_server, org, settings):
    settings.SURVEY_MIN_FILL_SECONDS = 1
    setup = survey_setup(org.instansi)
    token = TokenSurveiFactory(unit_layanan=setup.unit_layanan)
    data = {k: v for k, v in form_data(setup).items() if k not in ("stempel", "t")}
    results = []
    start = threading.Barrier(2)

    def run():
        start.wait()
        results.append(_citizen(live_server.url, setup.saluran.kode, data, wait=1.0, token=token.kode))

    workers = [threading.Thread(target=run) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    statuses = sorted(status for status, _, _ in results)
    assert statuses == [200, 302]
    loser = next(body for status, _, body in results if status == 200)
    assert "Token sudah dipakai" in loser
    assert Respons.objects.count() == 1 and JawabanUnsur.objects.count() == 9
    token.refresh_from_db()
    assert token.respons == Respons.objects.get()
