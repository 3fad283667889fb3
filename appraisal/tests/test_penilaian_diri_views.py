"""The self-assessment (penilaian diri, issue 10) as the employee, their pejabat penilai and the
others who may or may not see the SKP meet it."""

import pytest
from django.urls import reverse

from appraisal import services_evaluasi as ev
from appraisal import services_objektif as obj
from appraisal.models import CoreValue, PenilaianDiri, PeriodeEvaluasi
from appraisal.tests.factories import approved_chain, approved_skp, open_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(org):
    return open_year(org)


@pytest.fixture
def tw1(year):
    return PeriodeEvaluasi.objects.get(periode_skp=year, jenis="TRIWULANAN", ke=1)


@pytest.fixture
def skp(org, year):
    chain = approved_chain(org, year)
    return approved_skp(
        org.pegawai, year, rhk=("Berkas rujukan terverifikasi", "Laporan bulanan"), parent=chain["kasi"].rhk.first()
    )


def url(skp, periode):
    return reverse("appraisal:penilaian_diri", args=[skp.pk, periode.pk])


def full_data(skp, rating="SESUAI", **extra):
    data = {f"rhk_{r.pk}": rating for r in skp.rhk.all()}
    data |= {f"cv_{cv.pk}": rating for cv in CoreValue.objects.all()}
    return {"refleksi": "Target tercapai; pelaporan perlu lebih cepat."} | data | extra


def send(org, skp, periode, rating="DI_ATAS"):
    return obj.penilaian_diri_save(
        skp=skp,
        periode=periode,
        by=org.pegawai.user,
        refleksi="Saya melampaui target.",
        per_rhk={r.pk: rating for r in skp.rhk.all()},
        per_value={cv.pk: rating for cv in CoreValue.objects.all()},
        kirim=True,
    )


def test_the_employee_saves_a_draft_then_sends_it_and_it_is_frozen(as_user, org, skp, tw1):
    client = as_user(org.pegawai)
    page = client.get(url(skp, tw1))
    assert page.status_code == 200
    assert "Berkas rujukan terverifikasi" in page.content.decode() and "Simpan draf" in page.content.decode()
    first = skp.rhk.order_by("pk").first()
    response = client.post(url(skp, tw1), {"refleksi": "Baru separuh", f"rhk_{first.pk}": "SESUAI", "action": "simpan"})
    assert response.status_code == 302
    penilaian = PenilaianDiri.objects.get()
    assert penilaian.status == "DRAF" and penilaian.butir.get().rating == "SESUAI"
    # The draft comes back on the form.
    page = client.get(url(skp, tw1)).content.decode()
    assert "Baru separuh" in page and 'value="SESUAI" autocomplete="off" checked' in page

    response = client.post(url(skp, tw1), full_data(skp, action="kirim"))
    assert response.status_code == 302
    penilaian.refresh_from_db()
    assert penilaian.status == "DIKIRIM" and penilaian.butir.count() == 2 + CoreValue.objects.count()
    page = client.get(url(skp, tw1)).content.decode()
    assert "tidak dapat diubah" in page and 'name="refleksi"' not in page
    # A post after sending changes nothing.
    client.post(url(skp, tw1), full_data(skp, rating="DI_BAWAH", action="simpan"))
    assert not penilaian.butir.filter(rating="DI_BAWAH").exists()


def test_sending_with_a_value_unrated_is_refused_with_the_count(as_user, org, skp, tw1):
    data = full_data(skp, action="kirim")
    del data[f"cv_{CoreValue.objects.first().pk}"]
    response = as_user(org.pegawai).post(url(skp, tw1), data)
    assert response.status_code == 200
    assert "1 belum diisi" in response.content.decode()
    assert not PenilaianDiri.objects.filter(status="DIKIRIM").exists()


def test_the_send_button_asks_for_confirmation(as_user, org, skp, tw1):
    page = as_user(org.pegawai).get(url(skp, tw1)).content.decode()
    assert 'value="kirim" data-confirm="' in page


def test_an_unknown_rating_is_a_form_error_and_nothing_is_written(as_user, org, skp, tw1):
    first = skp.rhk.order_by("pk").first()
    response = as_user(org.pegawai).post(url(skp, tw1), {f"rhk_{first.pk}": "LUAR_BIASA", "action": "simpan"})
    assert response.status_code == 200
    assert not PenilaianDiri.objects.exists()


def test_the_supervisor_reads_a_sent_self_assessment_but_not_a_draft(as_user, org, skp, tw1):
    client = as_user(org.penilai)
    obj.penilaian_diri_save(skp=skp, periode=tw1, by=org.pegawai.user, refleksi="Rahasia draf")
    page = client.get(url(skp, tw1)).content.decode()
    assert "belum mengirim penilaian diri" in page and "Rahasia draf" not in page
    PenilaianDiri.objects.all().delete()
    send(org, skp, tw1)
    page = client.get(url(skp, tw1)).content.decode()
    assert "Saya melampaui target." in page and "Di Atas Ekspektasi" in page and 'name="refleksi"' not in page


def test_the_supervisor_gets_403_when_posting(as_user, org, skp, tw1):
    response = as_user(org.penilai).post(url(skp, tw1), full_data(skp, action="simpan"))
    assert response.status_code == 403
    assert not PenilaianDiri.objects.exists()


@pytest.mark.parametrize("persona", ["hr_admin", "atasan_penilai", "colleague", "kepala_unit"])
def test_anyone_but_the_employee_and_the_supervisor_gets_404(as_user, org, skp, tw1, persona):
    send(org, skp, tw1)
    assert as_user(getattr(org, persona)).get(url(skp, tw1)).status_code == 404


def test_the_hr_admin_of_another_instansi_gets_404(as_user, outsider, skp, tw1):
    assert as_user(outsider.hr_admin).get(url(skp, tw1)).status_code == 404


def test_a_final_evaluation_freezes_an_unsent_self_assessment(as_user, org, skp, tw1):
    evaluasi = ev.evaluasi_open(skp=skp, periode=tw1, by=org.penilai.user)
    evaluasi = ev.evaluasi_save(
        evaluasi=evaluasi,
        versi=evaluasi.versi,
        by=org.penilai.user,
        rating_hasil_kerja="SESUAI",
        rating_perilaku_kerja="SESUAI",
    )
    ev.evaluasi_finalize(evaluasi=evaluasi, by=org.penilai.user, justifikasi="Unit kecil")
    client = as_user(org.pegawai)
    page = client.get(url(skp, tw1)).content.decode()
    assert "sudah final" in page and 'name="refleksi"' not in page
    client.post(url(skp, tw1), full_data(skp, action="simpan"))
    assert not PenilaianDiri.objects.exists()


def test_the_realisation_page_links_to_the_self_assessment_with_its_state(as_user, org, skp, tw1):
    client = as_user(org.pegawai)
    realisasi = reverse("appraisal:realisasi", args=[skp.pk, tw1.pk])
    assert f'href="{url(skp, tw1)}"' in client.get(realisasi).content.decode()
    send(org, skp, tw1)
    assert 'data-penilaian-diri-status="DIKIRIM"' in client.get(realisasi).content.decode()


@pytest.mark.parametrize("n_rhk", [1, 8])
def test_the_self_assessment_page_costs_the_same_queries_for_1_or_8_rhk(
    as_user, org, year, tw1, n_rhk, django_assert_max_num_queries
):
    chain = approved_chain(org, year)
    skp = approved_skp(org.pegawai, year, rhk=[f"RHK {i}" for i in range(n_rhk)], parent=chain["kasi"].rhk.first())
    send(org, skp, tw1)
    client = as_user(org.pegawai)
    # session, user; the SKP (access); the period; the SKP with its people; its evaluations; RHK, IKI,
    # realisations, (no evidence or history without realisations); the self-assessment and its ratings;
    # core values; periods; the menu: roles.is_supervisor, the user's Pegawai.
    with django_assert_max_num_queries(16):
        response = client.get(url(skp, tw1))
    assert response.content.decode().count("data-rhk=") == n_rhk
