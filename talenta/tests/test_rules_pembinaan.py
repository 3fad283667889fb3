"""Rules of the development plan: JP earned per enrolment and the before/after comparison."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talenta import rules

D = Decimal


@pytest.mark.parametrize(("status", "expected"), [("TERDAFTAR", 0), ("HADIR", 24), ("TIDAK_HADIR", 0), ("LULUS", 24)])
def test_only_attending_or_passing_earns_the_trainings_jp(status, expected):
    assert rules.jp_diperoleh(status=status, jp_pelatihan=24) == expected


def test_every_form_of_training_belongs_to_exactly_one_path():
    klasikal, nonklasikal = set(rules.BENTUK_PELATIHAN["KLASIKAL"]), set(rules.BENTUK_PELATIHAN["NONKLASIKAL"])
    assert not klasikal & nonklasikal
    assert "Bimbingan teknis" in klasikal and "Coaching" in nonklasikal and "E-learning" in nonklasikal


@pytest.mark.parametrize(
    ("sebelum", "sesudah", "arah"),
    [
        ("BUTUH_PERBAIKAN", "BAIK", "NAIK"),
        ("SANGAT_KURANG", "KURANG", "NAIK"),
        ("BAIK", "BAIK", "TETAP"),
        ("SANGAT_BAIK", "BAIK", "TURUN"),
        ("", "BAIK", None),
        ("BAIK", "", None),
    ],
)
def test_the_direction_of_the_predikat(sebelum, sesudah, arah):
    assert rules.arah_predikat(sebelum, sesudah) == arah


def test_the_mean_is_rounded_half_up_to_two_places():
    assert rules.rata_rata([D("80.005")]) == D("80.01")
    assert rules.rata_rata([D("90"), D("95"), D("100")]) == D("95.00")
    assert rules.rata_rata([]) is None


def test_a_comparison_uses_the_mean_capaian_and_the_predikat_nearest_the_training():
    before = [(D("70"), "KURANG"), (D("80"), "BUTUH_PERBAIKAN")]  # oldest first: the latest is BP
    after = [(D("90"), "BAIK"), (None, "SANGAT_BAIK"), (D("100"), "")]  # the earliest is Baik
    result = rules.bandingkan_kinerja(before, after)
    assert result == {
        "capaian_sebelum": D("75.00"),
        "capaian_sesudah": D("95.00"),
        "selisih": D("20.00"),
        "predikat_sebelum": "BUTUH_PERBAIKAN",
        "predikat_sesudah": "BAIK",
        "arah": "NAIK",
    }


def test_a_participant_without_periods_after_the_training_has_no_difference():
    result = rules.bandingkan_kinerja([(D("80"), "BAIK")], [])
    assert (result["selisih"], result["arah"], result["capaian_sesudah"]) == (None, None, None)


def test_the_summary_counts_directions_and_averages_only_complete_participants():
    rows = [
        rules.bandingkan_kinerja([(D("80"), "BUTUH_PERBAIKAN")], [(D("100"), "BAIK")]),
        rules.bandingkan_kinerja([(D("90"), "BAIK")], [(D("90"), "BAIK")]),
        rules.bandingkan_kinerja([(D("50"), "SANGAT_BAIK")], []),  # incomplete: left out of the means
        rules.bandingkan_kinerja([], []),
    ]
    s = rules.ringkas_dampak(rows)
    assert (s["peserta"], s["lengkap"], s["tanpa_data"]) == (4, 2, 2)
    assert (s["naik"], s["tetap"], s["turun"]) == (1, 1, 0)
    assert (s["capaian_sebelum"], s["capaian_sesudah"]) == (D("85.00"), D("95.00"))
    assert s["distribusi"]["sebelum"]["SANGAT_BAIK"] == 1 and s["distribusi"]["sesudah"]["BAIK"] == 2


capaian = st.decimals(min_value=0, max_value=150, places=2)
side = st.lists(st.tuples(capaian, st.sampled_from(list(rules.URUTAN_PREDIKAT))), min_size=1, max_size=6)


@given(side, side)
def test_swapping_before_and_after_negates_the_difference(before, after):
    forward = rules.bandingkan_kinerja(before, after)
    backward = rules.bandingkan_kinerja(list(reversed(after)), list(reversed(before)))
    assert forward["selisih"] == -backward["selisih"]
    assert {forward["arah"], backward["arah"]} in ({"TETAP"}, {"NAIK", "TURUN"})


@given(st.lists(capaian, min_size=1, max_size=20))
def test_the_mean_lies_between_the_extremes(values):
    assert min(values) - D("0.01") <= rules.rata_rata(values) <= max(values) + D("0.01")
