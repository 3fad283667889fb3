"""SKM results from real responses: the index a person computes by hand, what does not count,
the sample, the officers, the follow-up, the query budget, and the IKM behind an employee."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import PegawaiFactory, UnitKerjaFactory
from surveys import rules, selectors, services_admin
from surveys.models import PeriodeSurvei, StatusRespons, TindakLanjut
from surveys.tests.factories import respons_with_answers, survey_setup

# The example of test_rules.py, now as five real questionnaires: eight unsur answered 4,4,4,3,3
# (NRR 3.6) and Sarana 3,3,3,3,3 (NRR 3.0). Σ NRR = 31.8; IKM = 31.8 × 1/9 × 25 = 88.333… → 88.33, A.
EXAMPLE_ROWS = [{**dict.fromkeys(rules.UNSUR_KODE[:8], v), "U9": 3} for v in (4, 4, 4, 3, 3)]


def answer_example(unit_layanan, **fields) -> None:
    for nilai in EXAMPLE_ROWS:
        respons_with_answers(unit_layanan, nilai, **fields)


@pytest.fixture
def skm(org):
    """A service unit on the Dinas (so its head, org.kepala_unit, takes the follow-up) with an open period."""
    return survey_setup(org.instansi, unit=org.dinas)


def results_page(client, periode, **params):
    return client.get(reverse("surveys:results", args=[periode.pk]), params)


def test_results_page_shows_the_hand_computed_ikm(as_user, org, skm):
    answer_example(skm.unit_layanan)
    response = results_page(as_user(org.hr_admin), skm.periode)
    skor = response.context["hasil"].skor
    assert skor.ikm == Decimal("88.33")
    assert (skor.mutu, skor.kinerja) == ("A", "Sangat baik")
    assert skor.responden == 5
    html = response.content.decode()
    assert 'data-ikm="88.33"' in html and ">88,33<" in html  # shown with the Indonesian decimal comma
    assert 'data-mutu="A"' in html and "Sangat baik" in html
    assert '<tr data-unsur="U1">' in html and "3,6000" in html  # NRR to 4 decimals
    assert "Sarana dan Prasarana" in html and "3,0000" in html
    assert "28,2600" not in html and "3,5333" in html  # Σ NRR tertimbang = 31.8 / 9 = 3.5333


def test_flagged_and_rejected_responses_do_not_count(as_user, org, skm):
    answer_example(skm.unit_layanan)
    respons_with_answers(skm.unit_layanan, 1, status=StatusRespons.DITANDAI)
    respons_with_answers(skm.unit_layanan, 1, status=StatusRespons.DITOLAK, saran="Jangan dihitung")
    response = results_page(as_user(org.hr_admin), skm.periode)
    hasil = response.context["hasil"]
    assert hasil.skor.ikm == Decimal("88.33")
    assert hasil.skor.responden == 5
    assert "Jangan dihitung" not in response.content.decode()


def test_a_response_outside_the_period_does_not_count(org, skm):
    answer_example(skm.unit_layanan)
    earlier = PeriodeSurvei.objects.create(
        unit_layanan=skm.unit_layanan, jenis="TRIWULAN", label="Lalu", populasi=50,
        mulai=skm.periode.mulai - datetime.timedelta(days=120), selesai=skm.periode.mulai - datetime.timedelta(days=31),
    )  # fmt: skip
    respons_with_answers(skm.unit_layanan, 1, periode=earlier)
    assert selectors.periode_results(periode=skm.periode).skor.ikm == Decimal("88.33")
    assert selectors.periode_results(periode=earlier).skor.ikm == Decimal("25.00")


def test_without_answers_for_every_unsur_there_is_no_index_yet(as_user, org, skm):
    response = results_page(as_user(org.hr_admin), skm.periode)
    assert response.context["hasil"].skor.hasil is None
    assert "Belum dapat dihitung" in response.content.decode()


def test_the_sample_size_and_the_belum_representatif_badge(as_user, org, skm):
    client = as_user(org.hr_admin)
    answer_example(skm.unit_layanan)
    PeriodeSurvei.objects.filter(pk=skm.periode.pk).update(populasi=200)  # Krejcie–Morgan: 132
    response = results_page(client, skm.periode)
    assert response.context["hasil"].progres.sampel == 132
    assert 'data-badge="belum-representatif"' in response.content.decode()

    PeriodeSurvei.objects.filter(pk=skm.periode.pk).update(populasi=5)  # N ≤ 10: everyone, so 5
    response = results_page(client, skm.periode)
    assert response.context["hasil"].progres.sampel == 5
    assert 'data-badge="belum-representatif"' not in response.content.decode()


def test_per_officer_results_count_only_the_responses_that_name_them(as_user, org, skm):
    answer_example(skm.unit_layanan)  # through the unit's own QR: no officer
    for _ in range(2):
        respons_with_answers(skm.unit_layanan, 2, saluran=skm.saluran_petugas, petugas=skm.petugas)
    client = as_user(org.hr_admin)
    whole = results_page(client, skm.periode).context["hasil"]
    assert [(s.nama, s.skor.responden, s.skor.ikm) for s in whole.petugas] == [("Siti Rahmawati", 2, Decimal("50.00"))]

    response = results_page(client, skm.periode, petugas=skm.petugas.pk)
    assert response.context["hasil"].skor.ikm == Decimal("50.00")
    assert response.context["hasil"].skor.responden == 2
    assert results_page(client, skm.periode, petugas=org.pegawai.pk).status_code == 404
    assert results_page(client, skm.periode, petugas="x").status_code == 404


def test_suggestions_are_paginated_and_only_from_accepted_responses(as_user, org, skm):
    for n in range(23):
        respons_with_answers(skm.unit_layanan, 3, saran=f"Saran nomor {n}")
    respons_with_answers(skm.unit_layanan, 3, status=StatusRespons.DITANDAI, saran="Saran spam")
    client = as_user(org.hr_admin)
    first = results_page(client, skm.periode).context["saran"]
    assert first.paginator.count == 23 and len(first.object_list) == 20
    second = results_page(client, skm.periode, page=2)
    assert len(second.context["saran"].object_list) == 3
    assert "Saran spam" not in second.content.decode()


# --- Query budgets ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("responses", [1, 30])
def test_results_page_query_count_does_not_grow_with_responses(
    as_user, org, skm, django_assert_max_num_queries, responses
):
    for n in range(responses):
        petugas = skm.petugas if n % 2 else None
        respons_with_answers(skm.unit_layanan, 1 + n % 4, petugas=petugas, saran=f"Saran {n}")
    client = as_user(org.hr_admin)
    # 1 session, 2 user, 3 the admin's instansi, 4 the period with its unit, 5 per-officer unsur
    # sums (officer names joined), 6 per-officer respondent counts, 7 unsur sums, 8 respondent
    # count with demographics (one row of conditional counts), 9 suggestion count, 10 suggestion page,
    # 11 the unit's public channel (for the published-results link).
    # (6 runs only when some response names an officer.)
    with django_assert_max_num_queries(11):
        response = results_page(client, skm.periode)
    assert response.context["hasil"].skor.responden == responses


@pytest.mark.parametrize("responses", [1, 30])
def test_unit_list_query_count_does_not_grow_with_responses_or_units(
    as_user, org, skm, django_assert_max_num_queries, responses
):
    for n in range(responses):
        respons_with_answers(skm.unit_layanan, 1 + n % 4)
    for _ in range(responses // 10):  # 0 or 3 more units, each with its own period and responses
        other = survey_setup(org.instansi, petugas=skm.petugas)
        respons_with_answers(other.unit_layanan, 4)
    client = as_user(org.hr_admin)
    # 1 session, 2 user, 3 the admin's instansi, 4 units with their unit kerja, 5 their periods,
    # 6 accepted counts per current period, 7 unsur sums per current period.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("surveys:unit_list"))
    row = next(r for r in response.context["rows"] if r.unit_layanan == skm.unit_layanan)
    assert row.progres.diterima == responses


def test_unit_list_shows_the_current_period_ikm_and_mutu(as_user, org, skm):
    answer_example(skm.unit_layanan)
    response = as_user(org.hr_admin).get(reverse("surveys:unit_list"))
    html = response.content.decode()
    assert ">88,33<" in html and "text-bg-success" in html
    assert "5 / 278" in html  # N = 1000 → 278 (Krejcie–Morgan table)
    assert "belum representatif" in html


# --- Follow-up ------------------------------------------------------------------------------------------------


def lowest_three_example(unit_layanan):
    """Respondents whose weakest unsur are, in order, U4 (1.5), U9 (2.0) and U2 (2.5); U7 is 3.0."""
    base = dict.fromkeys(rules.UNSUR_KODE, 4)
    for nilai in ({"U4": 1, "U9": 2, "U2": 2, "U7": 3}, {"U4": 2, "U9": 2, "U2": 3, "U7": 3}):
        respons_with_answers(unit_layanan, base | nilai)


def test_follow_up_takes_the_three_lowest_unsur_and_the_unit_head(org, skm):
    lowest_three_example(skm.unit_layanan)
    items = services_admin.tindak_lanjut_generate(periode=skm.periode, by=org.hr_admin)
    assert [(t.unsur, t.nrr) for t in items] == [
        ("U4", Decimal("1.5000")),
        ("U9", Decimal("2.0000")),
        ("U2", Decimal("2.5000")),
    ]
    assert {t.penanggung_jawab for t in items} == {org.kepala_unit}


def test_follow_up_generation_is_idempotent_and_keeps_written_plans(org, skm):
    lowest_three_example(skm.unit_layanan)
    first = services_admin.tindak_lanjut_generate(periode=skm.periode, by=org.hr_admin)
    services_admin.tindak_lanjut_update(
        item=first[0], rencana="Sosialisasi tarif di loket", status="PROSES", target_selesai=None, by=org.hr_admin
    )
    again = services_admin.tindak_lanjut_generate(periode=skm.periode, by=org.hr_admin)
    assert [t.pk for t in again] == [t.pk for t in first]
    assert TindakLanjut.objects.filter(periode=skm.periode).count() == 3
    assert TindakLanjut.objects.get(pk=first[0].pk).rencana == "Sosialisasi tarif di loket"


def test_follow_up_drops_an_untouched_item_whose_unsur_is_no_longer_among_the_lowest(org, skm):
    lowest_three_example(skm.unit_layanan)
    services_admin.tindak_lanjut_generate(periode=skm.periode, by=org.hr_admin)
    for _ in range(6):  # Prosedur (U2) now scores well; Perilaku (U7, 3.0 so far) becomes third lowest
        respons_with_answers(skm.unit_layanan, dict.fromkeys(rules.UNSUR_KODE, 4) | {"U4": 1, "U9": 2, "U7": 3})
    items = services_admin.tindak_lanjut_generate(periode=skm.periode, by=org.hr_admin)
    assert [t.unsur for t in items] == ["U4", "U9", "U7"]
    assert set(TindakLanjut.objects.filter(periode=skm.periode).values_list("unsur", flat=True)) == {"U4", "U9", "U7"}


def test_follow_up_needs_accepted_responses(org, skm):
    respons_with_answers(skm.unit_layanan, 1, status=StatusRespons.DITANDAI)
    with pytest.raises(Exception, match="Belum ada respons"):
        services_admin.tindak_lanjut_generate(periode=skm.periode, by=org.hr_admin)
    assert not TindakLanjut.objects.exists()


# --- Into the appraisal: ikm_for_pegawai -------------------------------------------------------------------------


def in_range():
    today = timezone.localdate()
    return today - datetime.timedelta(days=30), today


def test_an_employee_gets_the_ikm_of_the_closest_unit_layanan_up_the_tree(org, skm):
    """org.pegawai works in Seksi Rujukan, under Bidang Pelayanan, under the Dinas (the unit layanan)."""
    answer_example(skm.unit_layanan)
    hasil = selectors.ikm_for_pegawai(org.pegawai, *in_range())
    assert hasil.unit_layanan == skm.unit_layanan
    assert hasil.unit.ikm == Decimal("88.33") and hasil.unit.mutu == "A"
    assert hasil.petugas is None


def test_a_closer_unit_layanan_wins_over_an_ancestor(org, skm):
    answer_example(skm.unit_layanan)
    seksi = survey_setup(org.instansi, unit=org.seksi, petugas=skm.petugas)
    respons_with_answers(seksi.unit_layanan, 2)
    hasil = selectors.ikm_for_pegawai(org.pegawai, *in_range())
    assert hasil.unit_layanan == seksi.unit_layanan
    assert hasil.unit.ikm == Decimal("50.00")
    assert selectors.ikm_for_pegawai(org.other_staff, *in_range()).unit.ikm == Decimal("88.33")


def test_the_officer_score_counts_the_responses_that_name_them_and_the_date_range(org, skm):
    answer_example(skm.unit_layanan)
    respons_with_answers(skm.unit_layanan, 4, petugas=org.pegawai)
    old = respons_with_answers(skm.unit_layanan, 1, petugas=org.pegawai)
    old.diisi_pada = timezone.now() - datetime.timedelta(days=90)
    old.save()
    respons_with_answers(skm.unit_layanan, 1, petugas=org.pegawai, status=StatusRespons.DITOLAK)
    hasil = selectors.ikm_for_pegawai(org.pegawai, *in_range())
    assert (hasil.petugas.ikm, hasil.petugas.responden) == (Decimal("100.00"), 1)
    assert hasil.unit.responden == 6  # the five of the example and the officer's one


def test_an_employee_outside_any_unit_layanan_gets_none(org, skm):
    answer_example(skm.unit_layanan)
    elsewhere = UnitKerjaFactory(instansi=org.instansi, nama="Inspektorat")
    pegawai = PegawaiFactory(instansi=org.instansi)
    pegawai.unit = elsewhere
    hasil = selectors.ikm_for_pegawai(pegawai, *in_range())
    assert (hasil.unit_layanan, hasil.unit, hasil.petugas) == (None, None, None)


@pytest.mark.parametrize("responses", [1, 30])
def test_ikm_for_pegawai_query_count_does_not_grow_with_responses(org, skm, django_assert_num_queries, responses):
    for n in range(responses):
        respons_with_answers(skm.unit_layanan, 1 + n % 4, petugas=org.pegawai if n % 3 == 0 else None)
    pegawai = type(org.pegawai).objects.select_related("unit").get(pk=org.pegawai.pk)
    # 1 the covering unit layanan (on the unit's materialised path), 2 unsur sums of the unit and
    # of the officer side by side, 3 both respondent counts.
    with django_assert_num_queries(3):
        hasil = selectors.ikm_for_pegawai(pegawai, *in_range())
    assert hasil.unit.responden == responses and hasil.petugas.responden == (responses + 2) // 3
