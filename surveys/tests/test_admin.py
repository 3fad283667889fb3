"""SKM administration screens: who may open what, marking a unit layanan, its service types,
channels, question wording, periods and their sample, QR posters, and the follow-up the unit
head works on."""

from __future__ import annotations

import datetime
import io

import pytest
import segno
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from surveys import rules, services_admin
from surveys.models import (
    JenisLayanan,
    JenisSaluran,
    PeriodeSurvei,
    PertanyaanUnsur,
    Respons,
    SaluranSurvei,
    StatusTindakLanjut,
    TindakLanjut,
    UnitLayanan,
)
from surveys.tests.factories import respons_with_answers, survey_setup


@pytest.fixture
def skm(org):
    """A service unit on the Dinas (head: org.kepala_unit), with an open period and accepted responses."""
    setup = survey_setup(org.instansi, unit=org.dinas)
    for nilai in (2, 3, 4):
        respons_with_answers(setup.unit_layanan, nilai)
    return setup


@pytest.fixture
def item(org, skm):
    return services_admin.tindak_lanjut_generate(periode=skm.periode, by=org.hr_admin)[0]


# --- Permission matrix: every administration URL × persona --------------------------------------------------

PERSONAS = ("hr_admin", "kepala_unit", "pegawai", "outsider", "outsider_pegawai", "anonymous")
ADMIN_ONLY = dict(zip(PERSONAS, (200, 403, 403, 404, 403, 302), strict=True))
ADMIN_LIST = {**ADMIN_ONLY, "outsider": 200}  # no id: the outsider sees their own instansi's list
ADMIN_ONLY_POST = {**ADMIN_ONLY, "hr_admin": 302}
HEAD_TOO = dict(zip(PERSONAS, (200, 200, 403, 404, 404, 302), strict=True))
MATRIX = {
    "unit_list": ("get", ADMIN_LIST),
    "unit_create": ("get", ADMIN_LIST),
    "unit_detail": ("get", ADMIN_ONLY),
    "jenis_layanan_add": ("post", ADMIN_ONLY),  # the empty form comes back with its error
    "jenis_layanan_deactivate": ("post", ADMIN_ONLY_POST),
    "saluran_add": ("post", ADMIN_ONLY),
    "saluran_toggle": ("post", ADMIN_ONLY_POST),
    "qr_png": ("get", ADMIN_ONLY),
    "qr_pdf": ("get", ADMIN_ONLY),
    "pertanyaan_edit": ("get", ADMIN_ONLY),
    "periode_create": ("get", ADMIN_ONLY),
    "results": ("get", ADMIN_ONLY),
    "periode_publish": ("post", ADMIN_ONLY_POST),
    "export_xlsx": ("get", ADMIN_ONLY),
    "export_pdf": ("get", ADMIN_ONLY),
    "tindak_lanjut": ("get", HEAD_TOO),
    "tindak_lanjut_update": ("post", {**HEAD_TOO, "hr_admin": 302, "kepala_unit": 302}),
}


def _matrix_url(name: str, skm, item) -> str:
    ul = skm.unit_layanan
    args = {
        "unit_list": [],
        "unit_create": [],
        "unit_detail": [ul.pk],
        "jenis_layanan_add": [ul.pk],
        "jenis_layanan_deactivate": [skm.jenis_lain.pk],
        "saluran_add": [ul.pk],
        "saluran_toggle": [skm.saluran_petugas.pk],
        "qr_png": [skm.saluran.pk],
        "qr_pdf": [skm.saluran.pk],
        "pertanyaan_edit": [ul.pertanyaan.get(unsur="U1").pk],
        "periode_create": [ul.pk],
        "tindak_lanjut_update": [item.pk],
    }.get(name, [skm.periode.pk])
    return reverse(f"surveys:{name}", args=args)


def test_every_administration_url_is_in_the_permission_matrix():
    from surveys.urls_admin import urlpatterns

    ours = {p.name for p in urlpatterns if p.callback.__module__ in ("surveys.views.admin", "surveys.views.exports")}
    assert ours == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(client, org, outsider, skm, item, name):
    method, expected = MATRIX[name]
    target = _matrix_url(name, skm, item)
    got = {}
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            who = {"outsider": outsider.hr_admin, "outsider_pegawai": outsider.pegawai}.get(persona)
            who = who or getattr(org, persona)
            client.force_login(getattr(who, "user", who))
        got[persona] = getattr(client, method)(target).status_code
    assert got == expected


def test_a_superadmin_must_choose_an_instansi_first(client, superadmin):
    client.force_login(superadmin)
    assert client.get(reverse("surveys:unit_list")).status_code == 403


def test_an_outsider_admin_cannot_reach_another_instansi_through_a_form(as_user, outsider, skm):
    """Ids of another instansi answer 404 on the writing URLs too, and nothing is written."""
    client = as_user(outsider.hr_admin)
    url = reverse("surveys:periode_create", args=[skm.unit_layanan.pk])
    response = client.post(url, {"jenis": "TAHUN", "label": "X", "mulai": "2030-01-01", "selesai": "2030-12-31"})
    assert response.status_code == 404
    assert client.post(reverse("surveys:tindak_lanjut", args=[skm.periode.pk])).status_code == 404
    assert not PeriodeSurvei.objects.filter(label="X").exists()
    assert not TindakLanjut.objects.exists()


# --- Units ---------------------------------------------------------------------------------------------------


def test_marking_a_unit_kerja_as_unit_layanan_gives_it_nine_questions_and_a_qr_channel(as_user, org):
    client = as_user(org.hr_admin)
    form = client.get(reverse("surveys:unit_create")).context["form"]
    assert org.seksi in form.fields["unit"].queryset
    response = client.post(reverse("surveys:unit_create"), {"unit": org.seksi.pk, "nama_publik": "Layanan Rujukan"})
    layanan = UnitLayanan.objects.get(unit=org.seksi)
    assert response.status_code == 302 and response.url == reverse("surveys:unit_detail", args=[layanan.pk])
    assert sorted(layanan.pertanyaan.values_list("unsur", flat=True)) == sorted(rules.UNSUR_KODE)
    assert layanan.saluran.get().jenis == JenisSaluran.UNIT
    again = client.get(reverse("surveys:unit_create")).context["form"]
    assert org.seksi not in again.fields["unit"].queryset


def test_a_unit_of_another_instansi_cannot_be_marked(as_user, org, outsider):
    response = as_user(org.hr_admin).post(
        reverse("surveys:unit_create"), {"unit": outsider.seksi.pk, "nama_publik": "Bukan milik kami"}
    )
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert not UnitLayanan.objects.exists()


def test_unit_detail_lists_channels_with_their_public_url(as_user, org, skm):
    response = as_user(org.hr_admin).get(reverse("surveys:unit_detail", args=[skm.unit_layanan.pk]))
    html = response.content.decode()
    assert f"http://testserver/s/{skm.saluran.kode}/" in html
    assert f"http://testserver/s/{skm.saluran_petugas.kode}/" in html
    assert "Siti Rahmawati" in html and org.kepala_unit.nama in html
    assert reverse("surveys:qr_pdf", args=[skm.saluran.pk]) in html


def test_unit_detail_query_count_does_not_grow_with_channels_and_periods(
    as_user, org, skm, django_assert_max_num_queries
):
    for n in range(5):
        SaluranSurvei.objects.create(
            unit_layanan=skm.unit_layanan, jenis=JenisSaluran.PETUGAS, label=f"Petugas {n}", petugas=org.pegawai
        )
        PeriodeSurvei.objects.create(
            unit_layanan=skm.unit_layanan, jenis="TAHUN", label=f"Tahun {2000 + n}", populasi=100,
            mulai=datetime.date(2000 + n, 1, 1), selesai=datetime.date(2000 + n, 12, 31),
        )  # fmt: skip
    client = as_user(org.hr_admin)
    # 1 session, 2 user, 3 instansi, 4 the unit layanan, 5 periods, 6 accepted counts, 7 service
    # types, 8 channels with their officer, 9 questions, 10 the unit head, 11 officers for the
    # channel form's choices (with their unit).
    with django_assert_max_num_queries(11):
        response = client.get(reverse("surveys:unit_detail", args=[skm.unit_layanan.pk]))
    assert len(response.context["saluran"]) == 7


# --- Service types ----------------------------------------------------------------------------------------------


def test_adding_and_deactivating_a_service_type(as_user, org, skm):
    client = as_user(org.hr_admin)
    url = reverse("surveys:jenis_layanan_add", args=[skm.unit_layanan.pk])
    response = client.post(url, {"nama": "  Surat  keterangan sehat "}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="jenis-layanan"' in response.content.decode()
    assert "Surat keterangan sehat" in response.content.decode()
    jenis = JenisLayanan.objects.get(unit_layanan=skm.unit_layanan, nama="Surat keterangan sehat")
    assert client.post(url, {"nama": "Surat keterangan sehat"}).context["jenis_form"].errors

    client.post(reverse("surveys:jenis_layanan_deactivate", args=[jenis.pk]))
    jenis.refresh_from_db()
    assert not jenis.aktif
    client.post(url, {"nama": "Surat keterangan sehat"})  # the same name again reactivates it
    jenis.refresh_from_db()
    assert jenis.aktif


# --- Channels and QR posters ----------------------------------------------------------------------------------------


def test_an_officer_channel_needs_an_employee_of_the_instansi(as_user, org, outsider, skm):
    client = as_user(org.hr_admin)
    url = reverse("surveys:saluran_add", args=[skm.unit_layanan.pk])
    assert client.post(url, {"jenis": "PETUGAS", "label": ""}).context["saluran_form"].errors["petugas"]
    foreign = client.post(url, {"jenis": "PETUGAS", "petugas": outsider.pegawai.pk})
    assert foreign.context["saluran_form"].errors["petugas"]
    response = client.post(url, {"jenis": "PETUGAS", "petugas": org.pegawai.pk})
    assert response.status_code == 302
    saluran = SaluranSurvei.objects.get(unit_layanan=skm.unit_layanan, petugas=org.pegawai)
    assert saluran.label == org.pegawai.nama_lengkap  # an empty label takes the officer's name
    client.post(url, {"jenis": "LOKET", "label": "Loket 2"})
    assert SaluranSurvei.objects.get(label="Loket 2").petugas is None


def test_the_qr_png_encodes_the_absolute_public_url(as_user, org, skm):
    response = as_user(org.hr_admin).get(reverse("surveys:qr_png", args=[skm.saluran.pk]))
    assert response["Content-Type"] == "image/png"
    expected = io.BytesIO()
    segno.make(f"http://testserver/s/{skm.saluran.kode}/", error="m").save(expected, kind="png", scale=12, border=4)
    assert response.content == expected.getvalue()


def test_the_qr_poster_is_an_a4_pdf_with_the_unit_the_channel_and_the_short_url(as_user, org, skm):
    response = as_user(org.hr_admin).get(reverse("surveys:qr_pdf", args=[skm.saluran_petugas.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = " ".join(page.extract_text().split())
    assert "Dinas Kesehatan" in text and "Petugas pendaftaran" in text
    assert "Bantu kami meningkatkan pelayanan: pindai kode ini" in text
    assert f"testserver/s/{skm.saluran_petugas.kode}/" in text


# --- Question wording ------------------------------------------------------------------------------------------------


def test_the_wording_changes_but_the_unsur_stays(as_user, org, skm):
    client = as_user(org.hr_admin)
    pertanyaan = skm.unit_layanan.pertanyaan.get(unsur="U4")
    data = {"teks": "Bagaimana pendapat Anda tentang biaya retribusi?", "label_1": "Sangat mahal"}
    data |= {"label_2": "Mahal", "label_3": "Wajar", "label_4": "Gratis", "unsur": "U1"}
    response = client.post(reverse("surveys:pertanyaan_edit", args=[pertanyaan.pk]), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "biaya retribusi" in response.content.decode()
    pertanyaan.refresh_from_db()
    assert (pertanyaan.unsur, pertanyaan.teks, pertanyaan.label_3) == ("U4", data["teks"], "Wajar")
    assert pertanyaan.history.first().history_user == org.hr_admin


def test_a_blank_answer_label_is_refused(as_user, org, skm):
    pertanyaan = skm.unit_layanan.pertanyaan.get(unsur="U1")
    data = {"teks": "Pertanyaan baru?", "label_1": "", "label_2": "b", "label_3": "c", "label_4": "d"}
    response = as_user(org.hr_admin).post(reverse("surveys:pertanyaan_edit", args=[pertanyaan.pk]), data)
    assert response.status_code == 200 and response.context["form"].errors
    assert PertanyaanUnsur.objects.get(pk=pertanyaan.pk).teks == rules.UNSUR_BY_KODE["U1"].pertanyaan


# --- Periods ---------------------------------------------------------------------------------------------------------


def period_data(**overrides) -> dict:
    data = {"jenis": "SEMESTER", "label": "Semester I 2031", "mulai": "2031-01-01", "selesai": "2031-06-30"}
    return data | {"populasi": "1050", "metode_sampel": "TABLE"} | overrides


@pytest.mark.parametrize(
    ("populasi", "metode", "sampel"), [("1050", "TABLE", 285), ("1050", "FORMULA", 281), ("8", "TABLE", 8)]
)
def test_the_period_form_shows_the_required_sample_as_n_is_typed(as_user, org, skm, populasi, metode, sampel):
    url = reverse("surveys:periode_create", args=[skm.unit_layanan.pk])
    response = as_user(org.hr_admin).get(url, {"populasi": populasi, "metode_sampel": metode}, HTTP_HX_REQUEST="true")
    assert f'data-sampel="{sampel}"' in response.content.decode()


def test_opening_a_period_records_its_population_and_leads_to_its_results(as_user, org, skm):
    client = as_user(org.hr_admin)
    response = client.post(reverse("surveys:periode_create", args=[skm.unit_layanan.pk]), period_data())
    periode = PeriodeSurvei.objects.get(label="Semester I 2031")
    assert response.url == reverse("surveys:results", args=[periode.pk])
    assert (periode.populasi, periode.sampel_minimal) == (1050, 285)


def test_periods_of_a_unit_do_not_overlap(as_user, org, skm):
    today = timezone.localdate()
    data = period_data(mulai=today.isoformat(), selesai=(today + datetime.timedelta(days=200)).isoformat())
    response = as_user(org.hr_admin).post(reverse("surveys:periode_create", args=[skm.unit_layanan.pk]), data)
    assert response.status_code == 200
    assert "bertumpang tindih" in str(response.context["form"].non_field_errors())
    assert not PeriodeSurvei.objects.filter(label="Semester I 2031").exists()


def test_a_new_period_takes_in_the_responses_given_before_it_was_opened(org, skm):
    before = respons_with_answers(skm.unit_layanan, 4, periode=None)
    Respons.objects.filter(pk=before.pk).update(diisi_pada=timezone.now() - datetime.timedelta(days=100))
    periode = services_admin.periode_open(
        unit_layanan=skm.unit_layanan, jenis="TRIWULAN", label="Triwulan lalu", populasi=100, metode_sampel="TABLE",
        mulai=timezone.localdate() - datetime.timedelta(days=120), selesai=skm.periode.mulai - datetime.timedelta(days=1),
        by=org.hr_admin,
    )  # fmt: skip
    assert list(periode.respons.all()) == [before]
    assert skm.periode.respons.count() == 3  # its own responses stay where they were


# --- Follow-up ---------------------------------------------------------------------------------------------------------


def test_the_admin_generates_the_follow_up_from_the_page(as_user, org, skm):
    client = as_user(org.hr_admin)
    response = client.post(reverse("surveys:tindak_lanjut", args=[skm.periode.pk]))
    assert response.status_code == 302
    assert TindakLanjut.objects.filter(periode=skm.periode, penanggung_jawab=org.kepala_unit).count() == 3


def test_the_unit_head_cannot_generate_but_updates_their_items(as_user, org, skm, item):
    client = as_user(org.kepala_unit)
    assert client.post(reverse("surveys:tindak_lanjut", args=[skm.periode.pk])).status_code == 403
    page = client.get(reverse("surveys:tindak_lanjut", args=[skm.periode.pk]))
    assert page.status_code == 200 and len(page.context["rows"]) == 3
    prefix = f"tl{item.pk}"
    data = {f"{prefix}-rencana": "Tambah papan informasi biaya", f"{prefix}-status": "PROSES"}
    data[f"{prefix}-target_selesai"] = "2031-03-31"
    response = client.post(reverse("surveys:tindak_lanjut_update", args=[item.pk]), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Tersimpan" in response.content.decode()
    item.refresh_from_db()
    assert (item.status, item.rencana, item.target_selesai) == (
        StatusTindakLanjut.PROSES, "Tambah papan informasi biaya", datetime.date(2031, 3, 31)
    )  # fmt: skip
    assert item.history.first().history_user == org.kepala_unit.user


def test_an_item_cannot_be_started_without_a_plan(as_user, org, item):
    prefix = f"tl{item.pk}"
    response = as_user(org.kepala_unit).post(
        reverse("surveys:tindak_lanjut_update", args=[item.pk]),
        {f"{prefix}-rencana": "", f"{prefix}-status": "SELESAI"},
        HTTP_HX_REQUEST="true",
    )
    assert "rencana" in response.context["form"].errors
    item.refresh_from_db()
    assert item.status == StatusTindakLanjut.RENCANA


def test_a_colleague_of_the_head_may_not_update_the_follow_up(as_user, org, item):
    prefix = f"tl{item.pk}"
    data = {f"{prefix}-rencana": "Bukan tugas saya", f"{prefix}-status": "SELESAI"}
    assert as_user(org.penilai).post(reverse("surveys:tindak_lanjut_update", args=[item.pk]), data).status_code == 403
    item.refresh_from_db()
    assert item.rencana == ""


def test_the_poster_draws_exactly_the_qr_matrix_of_the_url():
    """The vector QR on the poster, read back from the drawing calls, is segno's matrix for the URL."""
    from surveys.views.exports import _draw_qr

    class Path:
        def __init__(self):
            self.rects = []

        def rect(self, x, y, w, h):
            self.rects.append((x, y, w, h))

    class Canvas:
        def setFillColor(self, colour):
            pass

        def rect(self, *args, **kwargs):
            pass

        def beginPath(self):
            self.path = Path()
            return self.path

        def drawPath(self, path, **kwargs):
            pass

    url = "https://sikap.example.go.id/s/abcdefgh/"
    canvas, size = Canvas(), 370.0
    _draw_qr(canvas, url, x=10, y=20, size=size)
    expected = [list(map(bool, row)) for row in segno.make(url, error="m").matrix_iter(scale=1, border=4)]
    module = size / len(expected)
    drawn = [[False] * len(expected) for _ in expected]
    for x, y, w, _h in canvas.path.rects:
        row = round((20 + size - y) / module) - 1
        for col in range(round((x - 10) / module), round((x - 10 + w) / module)):
            drawn[row][col] = True
    assert drawn == expected
