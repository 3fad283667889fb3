"""Competency entry screens: Standar Kompetensi Jabatan per post and employees' assessed levels,
levels 1–5 enforced with Indonesian messages, history kept."""

import datetime

import pytest
from django.urls import reverse

from accounts.tests.factories import JabatanFactory, pegawai_in_post, refresh
from talenta.models import Kompetensi, PenilaianKompetensi, StandarKompetensi

from .helpers import kompetensi

pytestmark = pytest.mark.django_db


def levels(**by_kode):
    return {f"k_{kompetensi(kode).pk}": level for kode, level in by_kode.items()}


def test_hr_sets_a_posts_standard_and_each_change_is_kept_in_history(org, as_user):
    client = as_user(org.hr_admin)
    url = reverse("talenta:standar_edit", args=[org.jabatan.staff.pk])
    assert client.post(url, levels(M1=2, M2=3, SK1=1)).status_code == 302
    assert client.post(url, levels(M1=3, M2=3, SK1="")).status_code == 302
    rows = dict(
        StandarKompetensi.objects.filter(jabatan=org.jabatan.staff).values_list("kompetensi__kode", "level_standar")
    )
    assert rows == {"M1": 3, "M2": 3}
    m1 = StandarKompetensi.objects.get(jabatan=org.jabatan.staff, kompetensi__kode="M1")
    assert [h.level_standar for h in m1.history.order_by("history_date")] == [2, 3]
    assert StandarKompetensi.history.filter(kompetensi__kode="SK1", history_type="-").count() == 1


def test_a_level_outside_1_to_5_is_refused_in_indonesian(org, as_user):
    response = as_user(org.hr_admin).post(reverse("talenta:standar_edit", args=[org.jabatan.staff.pk]), levels(M1=6))
    assert response.status_code == 400
    assert "Level kompetensi harus antara 1 dan 5." in response.content.decode()
    assert not StandarKompetensi.objects.exists()


def test_hr_records_an_assessment_and_sees_the_gap_and_history(org, as_user):
    StandarKompetensi.objects.create(
        instansi=org.instansi, jabatan=org.jabatan.staff, kompetensi=kompetensi("M2"), level_standar=3
    )
    client = as_user(org.hr_admin)
    url = reverse("talenta:penilaian_edit", args=[org.pegawai.pk])
    data = {"sumber": "FORMULIR_B19", "tanggal": "2026-02-01", **levels(M2=1)}
    assert client.post(url, data).status_code == 302
    data = {"sumber": "ASESMEN", "tanggal": "2026-03-01", **levels(M2=2, M1=4)}
    assert client.post(url, data).status_code == 302
    response = client.get(url)
    profil = response.context["profil"]
    assert [(r["kompetensi"].kode, r["standar"], r["aktual"], r["gap"]) for r in profil["rows"]] == [("M2", 3, 2, 1)]
    assert len(profil["history"]) == 3
    assert PenilaianKompetensi.objects.filter(pegawai=org.pegawai).latest("tanggal").dicatat_oleh == org.hr_admin
    assert "Formulir B.1.9" in response.content.decode()


def test_an_assessment_without_levels_or_in_the_future_is_refused(org, as_user):
    client = as_user(org.hr_admin)
    url = reverse("talenta:penilaian_edit", args=[org.pegawai.pk])
    response = client.post(url, {"sumber": "ASESMEN", "tanggal": "2026-03-01"})
    assert "Isi level minimal satu kompetensi." in response.content.decode()
    future = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    response = client.post(url, {"sumber": "ASESMEN", "tanggal": future, **levels(M1=2)})
    assert "Tanggal penilaian tidak boleh di masa depan." in response.content.decode()
    assert not PenilaianKompetensi.objects.exists()


def test_hr_adds_a_technical_competency_usable_in_standards(org, as_user):
    client = as_user(org.hr_admin)
    response = client.post(reverse("talenta:standar_list"), {"teknis-kode": "t1", "teknis-nama": "Manajemen Rujukan"})
    assert response.status_code == 302
    k = Kompetensi.objects.get(instansi=org.instansi, kode="T1")
    response = client.post(reverse("talenta:standar_list"), {"teknis-kode": "M1", "teknis-nama": "Tiruan"})
    assert "Kode kompetensi M1 sudah dipakai." in response.content.decode()
    url = reverse("talenta:standar_edit", args=[org.jabatan.staff.pk])
    assert client.post(url, {f"k_{k.pk}": 2}).status_code == 302


def test_another_instansis_technical_competency_cannot_be_used(org, outsider, as_user):
    foreign = Kompetensi.objects.create(instansi=outsider.instansi, kode="X1", nama="Asing", jenis="TEKNIS")
    url = reverse("talenta:standar_edit", args=[org.jabatan.staff.pk])
    as_user(org.hr_admin).post(url, {f"k_{foreign.pk}": 2})
    assert not StandarKompetensi.objects.exists()  # not even a field for it on our form


@pytest.mark.parametrize(("name", "arg"), [("standar_edit", "jabatan"), ("penilaian_edit", "pegawai")])
def test_another_instansis_hr_admin_gets_404(org, outsider, as_user, name, arg):
    pk = org.jabatan.staff.pk if arg == "jabatan" else org.pegawai.pk
    assert as_user(outsider.hr_admin).get(reverse(f"talenta:{name}", args=[pk])).status_code == 404


@pytest.mark.parametrize("name", ["standar_list", "penilaian_list"])
def test_a_pegawai_or_supervisor_gets_403(org, as_user, name):
    assert as_user(org.pegawai).get(reverse(f"talenta:{name}")).status_code == 403
    assert as_user(org.penilai).get(reverse(f"talenta:{name}")).status_code == 403


def test_a_pegawai_cannot_record_their_own_levels(org, as_user):
    url = reverse("talenta:penilaian_edit", args=[org.pegawai.pk])
    response = as_user(org.pegawai).post(url, {"sumber": "ASESMEN", "tanggal": "2026-03-01", **levels(M1=5)})
    assert response.status_code == 403
    assert not PenilaianKompetensi.objects.exists()


def test_the_lists_query_count_does_not_grow(org, as_user, django_assert_max_num_queries):
    client = as_user(org.hr_admin)

    def measure():
        # session, user, then count + rows (annotated, unit/jabatan joined) (+ competency dictionary)
        with django_assert_max_num_queries(6):
            assert client.get(reverse("talenta:standar_list")).status_code == 200
        with django_assert_max_num_queries(5):
            assert client.get(reverse("talenta:penilaian_list")).status_code == 200

    measure()
    for i in range(12):
        j = JabatanFactory(unit=org.seksi, nama=f"Analis {i}", atasan=org.jabatan.kasi)
        StandarKompetensi.objects.create(instansi=org.instansi, jabatan=j, kompetensi=kompetensi("M1"), level_standar=2)
        p = pegawai_in_post(j, login=False)
        PenilaianKompetensi.objects.create(
            instansi=org.instansi, pegawai=p, kompetensi=kompetensi("M1"), level=2, sumber="ASESMEN",
            tanggal=datetime.date(2026, 1, 1),
        )  # fmt: skip
    refresh(org.instansi)
    measure()
