"""The 360° screens: inviting raters, answering anonymously, and the results shown only once
at least three have answered."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import pegawai_in_post, refresh
from appraisal.models import CoreValue, Jawaban360, PeriodeEvaluasi, Undangan360
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
    return approved_skp(org.pegawai, year, rhk=("Berkas rujukan terverifikasi",), parent=chain["kasi"].rhk.first())


@pytest.fixture
def peers(org):
    """org.colleague and three more staff of the same seksi: the employee's peers."""
    more = [pegawai_in_post(org.jabatan.staff, nama=f"Rekan {c}") for c in "ABC"]
    refresh(org.instansi)
    return [org.colleague, *more]


def invite_url(skp, periode, name="undangan_360"):
    return reverse(f"appraisal:{name}", args=[skp.pk, periode.pk])


def answer_url(undangan):
    return reverse("appraisal:jawaban_360", args=[undangan.pk])


def answers(skor: int, komentar: str = "", skip: CoreValue | None = None) -> dict:
    """A complete answer form: ``skor`` for every value, ``komentar`` on the first one."""
    data = {}
    for i, value in enumerate(CoreValue.objects.order_by("urutan")):
        if value != skip:
            data[f"skor_{value.pk}"] = str(skor)
        data[f"komentar_{value.pk}"] = komentar if i == 0 else ""
    return data


def invite(client, skp, periode, people):
    return client.post(invite_url(skp, periode), {"penilai": [p.pk for p in people]})


def text(response) -> str:
    body = re.sub(r"<script.*?</script>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


# --- The journey -----------------------------------------------------------------------------------------


def test_three_raters_answer_and_only_then_the_averages_show(as_user, org, skp, tw1, peers):
    # The pejabat penilai sees the employee's peers, never the employee or the superiors …
    client = as_user(org.penilai)
    page = client.get(invite_url(skp, tw1)).content.decode()
    offered = set(map(int, re.findall(r'name="penilai" value="(\d+)"', page)))
    assert offered == {p.pk for p in peers}
    # … and invites three of them.
    response = invite(client, skp, tw1, peers[:3])
    assert response["Location"] == invite_url(skp, tw1)
    invitations = {u.penilai_id: u for u in Undangan360.objects.filter(skp=skp, periode_evaluasi=tw1)}
    assert set(invitations) == {p.pk for p in peers[:3]} and all(u.disetujui for u in invitations.values())

    hasil = invite_url(skp, tw1, "hasil_360")
    for n, (rater, skor, komentar) in enumerate(
        [(peers[0], 3, "Sigap melayani"), (peers[1], 2, "Akurat"), (peers[2], 1, "")], start=1
    ):
        rater_client = as_user(rater)
        undangan = invitations[rater.pk]
        assert answer_url(undangan).encode() in rater_client.get(reverse("appraisal:tugas_360")).content
        response = rater_client.post(answer_url(undangan), answers(skor, komentar), follow=True)
        assert "anonim" in text(response)
        page = text(as_user(org.penilai).get(hasil))
        if n < 3:  # fewer than three: no averages, and how many so far
            assert f"Hasil ditampilkan setelah paling sedikit tiga penilai mengisi (saat ini: {n})" in page
            assert "Sigap melayani" not in page
    # With three answers every value averages (3 + 2 + 1) / 3 = 2, comments alphabetical.
    page = as_user(org.penilai).get(hasil).content.decode()
    assert re.findall(r"data-rata-rata>([^<]+)<", page) == ["2,00"] * 7
    assert re.search(r"Akurat</li>\s*<li>Sigap melayani", page)
    assert not any(p.nama in page for p in peers)  # results never name a rater
    assert as_user(org.pegawai).get(hasil).status_code == 200  # the employee sees them too

    # The invitation page shows who has answered, never what.
    page = as_user(org.penilai).get(invite_url(skp, tw1)).content.decode()
    assert page.count('data-state="selesai"') == 3
    assert "Sigap melayani" not in page and "Akurat" not in page


def test_a_rater_cannot_answer_twice(as_user, org, skp, tw1, peers):
    invite(as_user(org.penilai), skp, tw1, peers[:3])
    undangan = Undangan360.objects.get(penilai=peers[0])
    client = as_user(peers[0])
    client.post(answer_url(undangan), answers(3))
    assert Jawaban360.objects.count() == 7
    page = client.get(answer_url(undangan)).content.decode()
    assert "data-sudah-mengisi" in page and "data-jawaban-form" not in page
    response = client.post(answer_url(undangan), answers(1), follow=True)
    assert "Anda sudah mengisi penilaian 360° ini." in text(response)
    assert list(Jawaban360.objects.values_list("skor", flat=True).distinct()) == [3]


def test_only_the_invited_rater_opens_the_answer_form(as_user, org, outsider, skp, tw1, peers):
    invite(as_user(org.penilai), skp, tw1, peers[:3])
    undangan = Undangan360.objects.get(penilai=peers[0])
    for someone in (peers[3], peers[1], org.pegawai, org.penilai, org.hr_admin, outsider.hr_admin):
        client = as_user(someone)
        assert client.get(answer_url(undangan)).status_code == 404
        assert client.post(answer_url(undangan), answers(1)).status_code == 404
    assert not Jawaban360.objects.exists()


def test_an_answer_page_never_shows_who_answered_what(as_user, org, skp, tw1, peers):
    invite(as_user(org.penilai), skp, tw1, peers[:3])
    first, second = (Undangan360.objects.get(penilai=p) for p in peers[:2])
    as_user(peers[0]).post(answer_url(first), answers(3, "Komentar rahasia pertama"))
    # The next rater's form shows nothing of the first rater: not their name, nor their answers.
    page = as_user(peers[1]).get(answer_url(second)).content.decode()
    assert "data-jawaban-form" in page
    assert peers[0].nama not in page and "Komentar rahasia pertama" not in page
    assert not re.search(r"checked", page)  # nothing pre-filled from anyone's answers
    # Even the first rater's own page no longer shows what they answered.
    page = as_user(peers[0]).get(answer_url(first)).content.decode()
    assert "Komentar rahasia pertama" not in page and "checked" not in page


# --- Approval of the employee's own choices --------------------------------------------------------------


def test_the_employees_choices_wait_for_the_pejabat_penilai(as_user, org, skp, tw1, peers):
    response = invite(as_user(org.pegawai), skp, tw1, peers[:3])
    assert response.status_code == 302
    undangan = Undangan360.objects.get(penilai=peers[0])
    assert not undangan.disetujui
    assert as_user(peers[0]).get(answer_url(undangan)).status_code == 404  # not yet theirs to answer
    assert as_user(org.pegawai).post(invite_url(skp, tw1, "undangan_360_approve")).status_code == 403
    page = as_user(org.penilai).get(invite_url(skp, tw1)).content.decode()
    assert "data-approve" in page
    as_user(org.penilai).post(invite_url(skp, tw1, "undangan_360_approve"))
    assert Undangan360.objects.filter(disetujui=True).count() == 3
    assert as_user(peers[0]).get(answer_url(undangan)).status_code == 200


def test_only_the_pejabat_penilai_and_the_employee_manage_the_360(as_user, org, outsider, skp, tw1, peers):
    for name in ("undangan_360", "hasil_360"):
        for someone in (org.atasan_penilai, org.hr_admin):  # they see the SKP, but this is not theirs
            assert as_user(someone).get(invite_url(skp, tw1, name)).status_code == 403
        for someone in (org.colleague, outsider.penilai):
            assert as_user(someone).get(invite_url(skp, tw1, name)).status_code == 404
    assert invite(as_user(org.atasan_penilai), skp, tw1, peers[:3]).status_code == 403
    assert not Undangan360.objects.exists()


def test_a_period_of_another_year_is_not_found(as_user, org, skp, peers):
    other_year = open_year(org, tahun=2027)
    periode = PeriodeEvaluasi.objects.filter(periode_skp=other_year).first()
    assert as_user(org.penilai).get(invite_url(skp, periode)).status_code == 404


# --- Bad input --------------------------------------------------------------------------------------------


def test_fewer_than_three_raters_are_refused_and_the_ticks_kept(as_user, org, skp, tw1, peers):
    response = invite(as_user(org.penilai), skp, tw1, peers[:2])
    assert response.status_code == 200
    assert "Undang paling sedikit tiga" in text(response)
    page = response.content.decode()
    ticked = set(map(int, re.findall(r'name="penilai" value="(\d+)"[^>]*checked', page)))
    assert ticked == {peers[0].pk, peers[1].pk}
    assert not Undangan360.objects.exists()


def test_a_missing_value_in_the_answer_keeps_the_others(as_user, org, skp, tw1, peers):
    invite(as_user(org.penilai), skp, tw1, peers[:3])
    undangan = Undangan360.objects.get(penilai=peers[0])
    values = list(CoreValue.objects.order_by("urutan"))
    response = as_user(peers[0]).post(answer_url(undangan), answers(3, "Tetap tersimpan", skip=values[4]))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-error="skor_{values[4].pk}"' in page
    checked = set(map(int, re.findall(r'name="skor_(\d+)" value="3"[^>]*checked', page)))
    assert checked == {v.pk for v in values} - {values[4].pk}
    assert "Tetap tersimpan</textarea>" in page
    undangan.refresh_from_db()
    assert not undangan.selesai and not Jawaban360.objects.exists()


def test_the_task_list_is_empty_for_someone_not_invited(as_user, org):
    page = text(as_user(org.colleague).get(reverse("appraisal:tugas_360")))
    assert "Tidak ada permintaan penilaian 360° yang perlu Anda isi." in page


# --- Query budget -----------------------------------------------------------------------------------------


def test_the_result_page_needs_the_same_queries_for_3_or_8_raters(as_user, org, skp, tw1, peers):
    more = [pegawai_in_post(org.jabatan.staff, nama=f"Rekan tambahan {i}") for i in range(4)]
    refresh(org.instansi)
    everyone = [*peers, *more]
    invite(as_user(org.penilai), skp, tw1, everyone)
    invitations = {u.penilai_id: u for u in Undangan360.objects.all()}

    def answer(people):
        for i, rater in enumerate(people):
            as_user(rater).post(answer_url(invitations[rater.pk]), answers(1 + i % 3, f"Komentar {rater.nama}"))

    hasil = invite_url(skp, tw1, "hasil_360")
    answer(everyone[:3])
    client = as_user(org.penilai)
    # Queries: session, user, SKP, period, hasil_360 (answered count, averages, comments), core values,
    # and the menu's is_supervisor and the user's Pegawai = 10; never one per rater or answer.
    with CaptureQueriesContext(connection) as three:
        assert client.get(hasil).content.decode().count("data-rata-rata") == 7
    answer(everyone[3:])
    client = as_user(org.penilai)
    with CaptureQueriesContext(connection) as eight:
        page = client.get(hasil).content.decode()
    assert page.count("<li>Komentar") == 8
    assert len(eight) == len(three) <= 10, [q["sql"] for q in eight.captured_queries]
