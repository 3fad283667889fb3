"""Moderation of flagged SKM responses at /skm/moderasi/: only the instansi's HR admin, only its
own responses, and a flagged response counts only once a person has accepted it."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.tests.factories import UnitKerjaFactory
from surveys import selectors, services
from surveys.models import Respons
from surveys.tests.factories import respons_with_answers, survey_setup
from surveys.urls_admin import moderation_patterns

pytestmark = pytest.mark.django_db

LIST = reverse("surveys:moderation")
DECIDE = reverse("surveys:moderation_decide")


def detail(respons) -> str:
    return reverse("surveys:moderation_detail", args=[respons.pk])


def flagged(setup, tanda=services.TANDA_HONEYPOT, nilai=1, **fields) -> Respons:
    return respons_with_answers(setup.unit_layanan, nilai, status="DITANDAI", tanda=tanda, **fields)


def rows(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-respons="(\d+)"', response.content.decode())]


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def setup(org):
    return survey_setup(org.instansi)


@pytest.fixture
def elsewhere(outsider):
    return survey_setup(outsider.instansi)


# --- Who may moderate -------------------------------------------------------------------------------------

PERSONAS = ("hr_admin", "kepala_unit", "pegawai", "outsider_admin", "anonymous")
# name → (method, {persona: status}) for a flagged response of ``org``
MATRIX = {
    "moderation": ("get", dict(zip(PERSONAS, (200, 403, 403, 200, 302), strict=True))),
    "moderation_detail": ("get", dict(zip(PERSONAS, (200, 403, 403, 404, 302), strict=True))),
    "moderation_decide": ("post", dict(zip(PERSONAS, (200, 403, 403, 404, 302), strict=True))),
}


def test_every_moderation_url_is_in_the_permission_matrix():
    assert {p.name for p in moderation_patterns} == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(client, org, outsider, setup, name):
    respons = flagged(setup)
    method, expected = MATRIX[name]
    url = detail(respons) if name == "moderation_detail" else reverse(f"surveys:{name}")
    data = {"respons": [respons.pk], "aksi": "terima"} if method == "post" else None
    got = {}
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            who = outsider.hr_admin if persona == "outsider_admin" else getattr(org, persona)
            client.force_login(getattr(who, "user", who))
        got[persona] = getattr(client, method)(url, data).status_code
    assert got == expected
    respons.refresh_from_db()
    assert respons.status == "DITANDAI"  # the first post only asks to confirm


def test_a_superadmin_must_choose_an_instansi_first(client, superadmin, setup):
    flagged(setup)
    client.force_login(superadmin)
    assert client.get(LIST).status_code == 403


def test_the_outsider_admin_sees_only_their_own_flagged_responses(client, outsider, setup, elsewhere):
    ours = flagged(setup)
    theirs = flagged(elsewhere)
    client.force_login(outsider.hr_admin)

    assert rows(client.get(LIST)) == [theirs.pk]
    assert client.get(detail(ours)).status_code == 404


def test_deciding_on_a_response_of_another_instansi_is_404_and_changes_nothing(client, outsider, setup, elsewhere):
    ours = flagged(setup)
    theirs = flagged(elsewhere)
    client.force_login(outsider.hr_admin)

    response = client.post(DECIDE, {"respons": [theirs.pk, ours.pk], "aksi": "tolak", "konfirmasi": "1"})

    assert response.status_code == 404
    assert set(Respons.objects.values_list("status", flat=True)) == {"DITANDAI"}


def test_tampered_ids_are_404(client, org, setup):
    flagged(setup)
    client.force_login(org.hr_admin)
    assert client.post(DECIDE, {"respons": ["1 OR 1=1"], "aksi": "terima"}).status_code == 404


def test_the_service_refuses_anyone_but_the_instansi_admin(org, outsider, setup, elsewhere):
    respons = flagged(setup)
    for by, instansi in ((org.pegawai.user, org.instansi), (outsider.hr_admin, org.instansi)):
        with pytest.raises(PermissionDenied):
            services.respons_moderate(respons_ids=[respons.pk], accept=True, by=by, instansi=instansi)
    with pytest.raises(PermissionDenied):  # an id outside the instansi given
        services.respons_moderate(
            respons_ids=[respons.pk, flagged(elsewhere).pk], accept=True, by=org.hr_admin, instansi=org.instansi
        )
    assert set(Respons.objects.values_list("status", flat=True)) == {"DITANDAI"}


# --- The list ---------------------------------------------------------------------------------------------


def test_the_list_shows_flagged_responses_with_their_answers_and_reasons(client, org, setup):
    bot = flagged(setup, tanda="honeypot, terlalu cepat", nilai=1, lama_isi_detik=3, saran="BELI OBAT MURAH")
    repeat = flagged(setup, tanda="berulang", nilai=4)
    respons_with_answers(setup.unit_layanan, 3)  # accepted: not for moderation
    client.force_login(org.hr_admin)

    response = client.get(LIST)

    assert response.status_code == 200
    assert rows(response) == [repeat.pk, bot.pk]  # newest first
    page = text(response)
    assert "Kolom tersembunyi terisi (ciri bot)" in page and "Diisi terlalu cepat" in page
    assert "Perangkat yang sama sudah mengisi untuk unit ini hari ini" in page
    assert "diisi dalam 3 detik" in page and "BELI OBAT MURAH" in page
    bot_row = re.search(rf'<tr data-respons="{bot.pk}">.*?</tr>', response.content.decode(), re.S).group(0)
    assert re.findall(r"U\d <strong>(\d)</strong>", bot_row) == ["1"] * 9


def test_the_list_filters_by_unit_and_reason(client, org, setup):
    other = survey_setup(org.instansi, unit=UnitKerjaFactory(instansi=org.instansi, nama="Kantor Camat"))
    fast = flagged(setup, tanda="terlalu cepat")
    repeat = flagged(setup, tanda="berulang, batas laju")
    other_unit = flagged(other, tanda="batas laju")
    client.force_login(org.hr_admin)

    assert rows(client.get(LIST, {"unit": other.unit_layanan.pk})) == [other_unit.pk]
    assert rows(client.get(LIST, {"alasan": "batas laju"})) == [other_unit.pk, repeat.pk]
    assert rows(client.get(LIST, {"unit": setup.unit_layanan.pk, "alasan": "terlalu cepat"})) == [fast.pk]
    assert "Tidak ada respons ditandai yang cocok" in text(client.get(LIST, {"alasan": "honeypot"}))


def test_the_list_is_paginated(client, org, setup):
    for _ in range(30):
        flagged(setup)
    client.force_login(org.hr_admin)

    assert len(rows(client.get(LIST))) == 25
    assert len(rows(client.get(LIST, {"page": 2}))) == 5


@pytest.mark.parametrize("size", [1, 30])
def test_the_list_reads_a_fixed_number_of_queries(client, org, setup, size, django_assert_num_queries):
    for _ in range(size):
        flagged(setup)
    client.force_login(org.hr_admin)
    # session, user, the admin's instansi; count, page rows (with unit, channel, officer, service),
    # their answers; the unit filter's options
    with django_assert_num_queries(7):
        response = client.get(LIST)
    assert len(rows(response)) == min(size, 25)


def test_the_detail_shows_the_answers_in_the_units_wording(client, org, setup):
    setup.unit_layanan.pertanyaan.filter(unsur="U3").update(label_2="Agak lambat")
    respons = flagged(setup, nilai=2, tanda="berulang")
    client.force_login(org.hr_admin)

    page = text(client.get(detail(respons)))

    assert "2 · Agak lambat" in page and "2 · Kurang sesuai" in page
    assert "Perangkat yang sama sudah mengisi" in page
    assert "Terima respons ini" in page and "Tolak respons ini" in page


# --- Deciding ---------------------------------------------------------------------------------------------


def test_accepting_asks_to_confirm_then_counts_the_responses(client, org, setup):
    chosen = [flagged(setup), flagged(setup, tanda="batas laju")]
    left = flagged(setup)
    client.force_login(org.hr_admin)
    ids = [r.pk for r in chosen]

    confirm = client.post(DECIDE, {"respons": ids, "aksi": "terima", "kembali": "alasan=honeypot"})

    assert confirm.status_code == 200
    assert "Terima 2 respons?" in text(confirm) and "Ya, terima 2 respons" in text(confirm)
    assert set(Respons.objects.values_list("status", flat=True)) == {"DITANDAI"}

    done = client.post(DECIDE, {"respons": ids, "aksi": "terima", "konfirmasi": "1", "kembali": "alasan=honeypot"})

    assert done.status_code == 302 and done["Location"] == f"{LIST}?alasan=honeypot"
    for respons in chosen:
        respons.refresh_from_db()
        assert (respons.status, respons.dimoderasi_oleh) == ("DITERIMA", org.hr_admin)
        last = respons.history.first()
        assert (last.status, last.history_user) == ("DITERIMA", org.hr_admin)
        assert last.prev_record.status == "DITANDAI"
    left.refresh_from_db()
    assert left.status == "DITANDAI"
    followed = client.get(done["Location"])
    assert "2 respons diterima dan ikut dihitung." in text(followed)
    assert rows(followed) == [left.pk]


def test_an_accepted_response_counts_in_the_results_and_a_rejected_one_does_not(org, setup):
    respons_with_answers(setup.unit_layanan, 4)
    accepted, rejected = flagged(setup, nilai=1), flagged(setup, nilai=1)
    assert selectors.periode_results(periode=setup.periode).skor.responden == 1

    services.respons_moderate(respons_ids=[accepted.pk], accept=True, by=org.hr_admin, instansi=org.instansi)
    services.respons_moderate(respons_ids=[rejected.pk], accept=False, by=org.hr_admin, instansi=org.instansi)

    skor = selectors.periode_results(periode=setup.periode).skor
    assert skor.responden == 2 and skor.ikm == Decimal("62.50")  # (4 + 1) / 2 = 2.5 → × 25


def test_rejecting_from_the_detail_page_keeps_the_response_uncounted(client, org, setup):
    respons = flagged(setup)
    client.force_login(org.hr_admin)

    confirm = client.post(DECIDE, {"respons": [respons.pk], "aksi": "tolak"})
    assert "Tolak 1 respons?" in text(confirm)
    client.post(DECIDE, {"respons": [respons.pk], "aksi": "tolak", "konfirmasi": "1"})

    respons.refresh_from_db()
    assert (respons.status, respons.dimoderasi_oleh) == ("DITOLAK", org.hr_admin)
    assert respons.jawaban.count() == 9  # kept, not deleted
    assert "Tolak respons ini" not in text(client.get(detail(respons)))


def test_a_response_moderated_meanwhile_is_left_as_it_is(client, org, setup):
    respons = flagged(setup)
    services.respons_moderate(respons_ids=[respons.pk], accept=False, by=org.hr_admin, instansi=org.instansi)
    client.force_login(org.hr_admin)

    response = client.post(DECIDE, {"respons": [respons.pk], "aksi": "terima", "konfirmasi": "1"}, follow=True)

    respons.refresh_from_db()
    assert respons.status == "DITOLAK"
    assert "1 respons sudah dimoderasi sebelumnya dan tidak diubah." in text(response)


def test_deciding_without_choosing_says_so(client, org, setup):
    flagged(setup)
    client.force_login(org.hr_admin)

    response = client.post(DECIDE, {"aksi": "terima"}, follow=True)

    assert "Pilih paling sedikit satu respons." in text(response)
    assert set(Respons.objects.values_list("status", flat=True)) == {"DITANDAI"}


def test_an_unknown_action_changes_nothing(client, org, setup):
    respons = flagged(setup)
    client.force_login(org.hr_admin)

    client.post(DECIDE, {"respons": [respons.pk], "aksi": "hapus", "konfirmasi": "1"})

    respons.refresh_from_db()
    assert respons.status == "DITANDAI"
