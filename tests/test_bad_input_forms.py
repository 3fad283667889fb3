"""Hostile input at the forms people use most (issue 9, item 4), sharper than the sweep in
tests/test_bad_input.py: a refusal shows a message in Indonesian and leaves the rows in
question exactly as they were.

- the citizen's SKM questionnaire (/s/<kode>/, no login);
- the login form;
- evidence uploads, checked by content and size, never by name;
- the realisation value.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st

from accounts.models import User
from appraisal import rules
from appraisal import services_evaluasi as ev
from appraisal.models import BuktiDukung, Realisasi
from surveys import forms as survey_forms
from surveys.models import Respons
from surveys.tests.factories import form_data
from tests import test_permission_matrix as matrix
from tests.test_bad_input import CLASSIC, FUZZ, client_for, crashed, hostile_text

world = matrix.world
FORMS = settings(FUZZ, max_examples=30)


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- The public questionnaire ------------------------------------------------------------------------------

SURVEY_FIELDS = [
    "jenis_layanan",
    *(f"u{i}" for i in range(1, 10)),
    "jenis_kelamin",
    "usia",
    "pendidikan",
    "pekerjaan",
    "pekerjaan_lain",
    "saran",
    "t",
    "stempel",
]


@FORMS
@given(field=st.sampled_from(SURVEY_FIELDS), value=hostile_text)
@example(field="u5", value="5")
@example(field="usia", value="9" * 30)
@example(field="saran", value="x" * 100_000)
@example(field="jenis_layanan", value="9" * 30)
@example(field="t", value="\x00")
def test_a_hostile_answer_to_the_survey_is_explained_or_saved_never_a_500(world, db, field, value):
    saluran = world.skm.saluran
    url = reverse("surveys_public:form", args=[saluran.kode])
    with transaction.atomic():
        before = Respons.objects.count()
        response = client_for(world, "anonymous").post(url, form_data(world.skm, **{field: value}))
        assert response.status_code in (200, 302), crashed(response)
        if response.status_code == 200:
            # Refused: the error summary lists what to fix, and nothing was saved.
            assert 'class="skm-errors"' in response.content.decode()
            assert "Periksa" in text(response) or "tidak valid" in text(response) or "Pilih" in text(response)
            assert Respons.objects.count() == before
        else:
            # What the form accepted (e.g. a long saran within its limit; a missing stempel is
            # only flagged for moderation) is saved once.
            assert Respons.objects.count() == before + 1
        transaction.set_rollback(True)


# --- Login -------------------------------------------------------------------------------------------------


@FORMS
@given(username=hostile_text, password=hostile_text)
@example(username="' OR '1'='1' --", password="' OR '1'='1' --")
@example(username="admin-kota-uji\x00", password="x")
def test_a_hostile_login_is_refused_with_the_indonesian_message(world, db, username, password):
    with transaction.atomic():
        client = client_for(world, "anonymous")
        users = User.objects.count()
        response = client.post(reverse("accounts:login"), {"username": username, "password": password})
        assert response.status_code == 200, crashed(response)
        page = text(response).lower()
        # The login error, "tidak boleh kosong" for an empty field, "karakter null tidak diizinkan"…
        assert any(m in page for m in ("kata sandi salah", "tidak boleh kosong", "karakter")), page[:500]
        assert "_auth_user_id" not in client.session
        assert User.objects.count() == users
        transaction.set_rollback(True)


# --- Evidence uploads --------------------------------------------------------------------------------------

REFUSED_TYPE = "Jenis berkas tidak diizinkan"
HOSTILE_FILES = {
    "html named .pdf": ("bukti.pdf", b"<html><script>alert(1)</script></html>", REFUSED_TYPE),
    "exe named .pdf": ("laporan.pdf", b"MZ\x90\x00" + b"\x00" * 200, REFUSED_TYPE),
    "svg named .png": ("foto.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', REFUSED_TYPE),
    "pdf magic late": ("bukti.pdf", b" %PDF-1.4", REFUSED_TYPE),
    "empty": ("kosong.pdf", b"", "Berkas yang dikirimkan kosong"),
    "oversized pdf": ("besar.pdf", b"%PDF-1.4\n" + b"0" * rules.MAX_BUKTI_BYTES, "Berkas terlalu besar"),
    "nul name": ("bukti\x00.pdf", b"MZ", REFUSED_TYPE),
}


def _upload(w, client, berkas):
    """Post ``berkas`` as evidence for org.pegawai's IKI in Triwulan II (its realisation saved first)."""
    ev.realisasi_save(iki=w.iki, periode=w.tw2, nilai=Decimal("3"), uraian="", by=w.org.pegawai.user)
    url = reverse("appraisal:bukti_add", args=[w.skp.pk, w.tw2.pk, w.iki.pk])
    return client.post(url, {f"bukti{w.iki.pk}-berkas": berkas})


@pytest.mark.parametrize("case", HOSTILE_FILES)
def test_a_hostile_evidence_file_is_refused_by_its_content_with_a_message(world, db, case, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    name, content, message = HOSTILE_FILES[case]
    with transaction.atomic():
        client = client_for(world, "pegawai")
        before = BuktiDukung.objects.count()
        response = _upload(world, client, SimpleUploadedFile(name, content))
        assert response.status_code == 200, crashed(response)
        assert message in text(response)
        assert BuktiDukung.objects.count() == before
        assert not any(tmp_path.rglob("*.*")), "a refused file was written to MEDIA_ROOT"
        transaction.set_rollback(True)


@FORMS
@given(content=st.binary(min_size=1, max_size=4096), name=st.sampled_from(["a.pdf", "a.docx", "a.png", "a", "a.exe"]))
def test_random_bytes_are_stored_only_when_they_are_an_allowed_type(world, db, content, name, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with transaction.atomic():
        client = client_for(world, "pegawai")
        before = BuktiDukung.objects.count()
        response = _upload(world, client, SimpleUploadedFile(name, content))
        assert response.status_code in (200, 302), crashed(response)
        allowed = rules.sniff_content_type(content[:16]) is not None
        assert BuktiDukung.objects.count() == before + allowed
        if not allowed:
            assert REFUSED_TYPE in text(response)
        transaction.set_rollback(True)


def test_a_pdf_with_a_misleading_name_is_stored_as_a_pdf(world, db, settings, tmp_path):
    """Content, not name: a real PDF called .exe is a PDF, and it is served as one (attachment)."""
    settings.MEDIA_ROOT = tmp_path
    with transaction.atomic():
        client = client_for(world, "pegawai")
        _upload(world, client, SimpleUploadedFile("laporan.exe", matrix.PDF))
        bukti = BuktiDukung.objects.latest("pk")
        assert bukti.content_type == "application/pdf"
        download = client.get(reverse("appraisal:bukti_download", args=[bukti.pk]))
        assert download["Content-Type"] == "application/pdf"
        assert download["Content-Disposition"].startswith("attachment")
        assert download["X-Content-Type-Options"] == "nosniff"
        transaction.set_rollback(True)


# --- The realisation value ---------------------------------------------------------------------------------


@FORMS
@given(nilai=hostile_text)
@example(nilai="-1")
@example(nilai="1e309")
@example(nilai="9" * 30)
@example(nilai="NaN")
def test_a_hostile_realisation_value_is_refused_with_a_message_and_not_saved(world, db, nilai):
    url = reverse("appraisal:realisasi_save", args=[world.skp.pk, world.tw2.pk, world.iki.pk])
    with transaction.atomic():
        client = client_for(world, "pegawai")
        before = list(Realisasi.objects.filter(iki=world.iki).values_list("periode_evaluasi", "nilai", "uraian"))
        response = client.post(url, {f"iki{world.iki.pk}-nilai": nilai, f"iki{world.iki.pk}-uraian": "Uji"})
        assert response.status_code in (200, 302), crashed(response)
        after = list(Realisasi.objects.filter(iki=world.iki).values_list("periode_evaluasi", "nilai", "uraian"))
        if after == before:
            assert "is-invalid" in response.content.decode() or response.status_code == 302
        else:
            # Accepted: it was a real, bounded number.
            saved = Realisasi.objects.get(iki=world.iki, periode_evaluasi=world.tw2).nilai
            assert Decimal(0) <= saved < Decimal("1e12")
        transaction.set_rollback(True)


def test_the_hostile_strings_include_the_classic_attacks():
    assert "\x00" in CLASSIC and any("DROP TABLE" in s for s in CLASSIC) and "²" in CLASSIC
    assert survey_forms.HONEYPOT_FIELD not in SURVEY_FIELDS  # filling the honeypot is not an error
