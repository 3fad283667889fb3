"""The evaluation law, exhaustively: matrix, distribution curve, capaian, PP 30/2019, keberatan."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appraisal import rules

# --- §1.6.2 every cell of the matrix ---------------------------------------------------------


@pytest.mark.parametrize(
    "hasil, perilaku, expected",
    [
        ("DI_ATAS", "DI_ATAS", "SANGAT_BAIK"),
        ("DI_ATAS", "SESUAI", "BAIK"),
        ("DI_ATAS", "DI_BAWAH", "KURANG"),
        ("SESUAI", "DI_ATAS", "BAIK"),
        ("SESUAI", "SESUAI", "BAIK"),
        ("SESUAI", "DI_BAWAH", "KURANG"),
        ("DI_BAWAH", "DI_ATAS", "BUTUH_PERBAIKAN"),
        ("DI_BAWAH", "SESUAI", "BUTUH_PERBAIKAN"),
        ("DI_BAWAH", "DI_BAWAH", "SANGAT_KURANG"),
    ],
)
def test_every_cell_of_the_predikat_matrix(hasil, perilaku, expected):
    assert rules.predikat(hasil, perilaku) == expected


def test_behaviour_below_expectation_is_misconduct_whatever_the_results():
    assert {rules.predikat(h, "DI_BAWAH") for h in ("DI_ATAS", "SESUAI")} == {"KURANG"}


def test_only_above_above_gives_sangat_baik_and_only_below_below_sangat_kurang():
    cells = {(h, p): rules.predikat(h, p) for h in rules.RATINGS for p in rules.RATINGS}
    assert [k for k, v in cells.items() if v == "SANGAT_BAIK"] == [("DI_ATAS", "DI_ATAS")]
    assert [k for k, v in cells.items() if v == "SANGAT_KURANG"] == [("DI_BAWAH", "DI_BAWAH")]


def test_an_unknown_rating_cannot_produce_a_predikat():
    with pytest.raises(KeyError):
        rules.predikat("BAGUS", "SESUAI")


# --- §1.7.3 the distribution curve for every organisation predikat -------------------------------


def failing(org, counts):
    return [
        (c.rule.op, sorted(c.rule.predikat), c.batas, c.aktual)
        for c in rules.distribution_checks(org, counts)
        if not c.ok
    ]


def test_istimewa_allows_at_most_70_percent_sangat_baik():
    assert failing("ISTIMEWA", {"SANGAT_BAIK": 7, "BAIK": 3}) == []
    assert failing("ISTIMEWA", {"SANGAT_BAIK": 8, "BAIK": 2}) == [("MAX", ["SANGAT_BAIK"], 7, 8)]


def test_istimewa_max_rounds_down():
    # 70 % of 9 = 6.3 → at most 6
    assert failing("ISTIMEWA", {"SANGAT_BAIK": 7, "BAIK": 2}) == [("MAX", ["SANGAT_BAIK"], 6, 7)]


def test_baik_caps_baik_at_70_percent_and_needs_someone_in_bp_or_kurang():
    assert failing("BAIK", {"SANGAT_BAIK": 2, "BAIK": 7, "BUTUH_PERBAIKAN": 1}) == []
    assert failing("BAIK", {"SANGAT_BAIK": 2, "BAIK": 7, "KURANG": 1}) == []
    assert failing("BAIK", {"SANGAT_BAIK": 3, "BAIK": 7}) == [("EXISTS", ["BUTUH_PERBAIKAN", "KURANG"], 1, 0)]
    assert failing("BAIK", {"BAIK": 9, "BUTUH_PERBAIKAN": 1}) == [("MAX", ["BAIK"], 7, 9)]


def test_butuh_perbaikan_caps_sangat_baik_at_10_and_needs_60_percent_bp():
    assert failing("BUTUH_PERBAIKAN", {"SANGAT_BAIK": 1, "BAIK": 3, "BUTUH_PERBAIKAN": 6}) == []
    assert failing("BUTUH_PERBAIKAN", {"SANGAT_BAIK": 2, "BAIK": 2, "BUTUH_PERBAIKAN": 6}) == [
        ("MAX", ["SANGAT_BAIK"], 1, 2)
    ]
    assert failing("BUTUH_PERBAIKAN", {"BAIK": 5, "BUTUH_PERBAIKAN": 5}) == [("MIN", ["BUTUH_PERBAIKAN"], 6, 5)]


def test_min_rounds_up():
    # 60 % of 7 = 4.2 → at least 5
    assert failing("BUTUH_PERBAIKAN", {"BAIK": 3, "BUTUH_PERBAIKAN": 4}) == [("MIN", ["BUTUH_PERBAIKAN"], 5, 4)]
    assert failing("BUTUH_PERBAIKAN", {"BAIK": 2, "BUTUH_PERBAIKAN": 5}) == []


def test_kurang_needs_10_percent_bp_and_60_percent_kurang():
    assert failing("KURANG", {"SANGAT_BAIK": 1, "BUTUH_PERBAIKAN": 1, "KURANG": 6, "BAIK": 2}) == []
    assert failing("KURANG", {"BAIK": 4, "KURANG": 6}) == [("MIN", ["BUTUH_PERBAIKAN"], 1, 0)]
    assert failing("KURANG", {"BUTUH_PERBAIKAN": 5, "KURANG": 5}) == [("MIN", ["KURANG"], 6, 5)]


def test_sangat_kurang_forbids_sangat_baik():
    assert failing("SANGAT_KURANG", {"BUTUH_PERBAIKAN": 1, "SANGAT_KURANG": 9}) == []
    assert failing("SANGAT_KURANG", {"SANGAT_BAIK": 1, "KURANG": 1, "SANGAT_KURANG": 8}) == [
        ("FORBIDDEN", ["SANGAT_BAIK"], 0, 1)
    ]


def test_sangat_kurang_counts_kurang_and_bp_together_for_its_10_percent():
    assert failing("SANGAT_KURANG", {"KURANG": 1, "SANGAT_KURANG": 9}) == []
    assert failing("SANGAT_KURANG", {"BAIK": 4, "SANGAT_KURANG": 6}) == [("MIN", ["BUTUH_PERBAIKAN", "KURANG"], 1, 0)]
    assert failing("SANGAT_KURANG", {"KURANG": 5, "SANGAT_KURANG": 5}) == [("MIN", ["SANGAT_KURANG"], 6, 5)]


def test_every_organisation_predikat_has_a_curve():
    assert set(rules.DISTRIBUSI_RULES) == {"ISTIMEWA", "BAIK", "BUTUH_PERBAIKAN", "KURANG", "SANGAT_KURANG"}


@given(st.dictionaries(st.sampled_from(rules.PREDIKAT_ORDER), st.integers(0, 200)))
def test_distribution_checks_are_independent_of_the_order_counts_arrive_in(counts):
    for org in rules.DISTRIBUSI_RULES:
        forward = rules.distribution_checks(org, counts)
        backward = rules.distribution_checks(org, dict(reversed(list(counts.items()))))
        assert forward == backward


def test_small_units_may_take_the_exception():
    assert rules.is_small_unit(4) and not rules.is_small_unit(5)


# --- §1.12 capaian IKI --------------------------------------------------------------------------------

D = Decimal


@pytest.mark.parametrize(
    "realisasi, lo, hi, lower, expected",
    [
        (D(120), D(100), None, False, D(120)),
        (D(80), D(100), None, False, D(80)),
        (D(100), D(100), None, False, D(100)),
        (D(8), D(10), None, True, D(120)),  # waiting time 8 against 10: better
        (D(12), D(10), None, True, D(80)),
        (D(25), D(10), None, True, D(0)),  # floor at zero
        (D(15), D(10), D(20), False, D(100)),  # inside the range
        (D(5), D(10), D(20), False, D(50)),  # below the lower bound
        (D(30), D(10), D(20), False, D(150)),  # above the upper bound
        (D(0), D(0), None, True, D(100)),  # zero complaints met
    ],
)
def test_capaian_iki(realisasi, lo, hi, lower, expected):
    assert rules.capaian_iki(realisasi=realisasi, target_min=lo, target_max=hi, lower_is_better=lower) == expected


def test_a_zero_target_that_is_missed_has_no_capaian():
    assert rules.capaian_iki(realisasi=D(3), target_min=D(0), target_max=None, lower_is_better=True) is None


@given(
    st.decimals(0, 10_000, places=2),
    st.decimals(0, 10_000, places=2),
    st.decimals("0.01", 10_000, places=2),
)
def test_capaian_is_monotonic_in_the_right_direction(a, b, target):
    lo, hi = min(a, b), max(a, b)
    up = [rules.capaian_iki(realisasi=x, target_min=target, target_max=None, lower_is_better=False) for x in (lo, hi)]
    down = [rules.capaian_iki(realisasi=x, target_min=target, target_max=None, lower_is_better=True) for x in (lo, hi)]
    assert up[0] <= up[1]
    assert down[0] >= down[1]
    assert min(up + down) >= 0


# --- §2.2–2.3 PP 30/2019 --------------------------------------------------------------------------


def test_pp30_weights_70_30_and_60_40():
    assert rules.nilai_kinerja_pp30(nilai_skp=D(100), nilai_perilaku=D(80), uses_360=False) == D("94.0")
    assert rules.nilai_kinerja_pp30(nilai_skp=D(100), nilai_perilaku=D(80), uses_360=True) == D("92.0")


@pytest.mark.parametrize(
    "nilai, inovasi, expected",
    [
        (D(120), True, "SANGAT_BAIK"),
        (D(110), True, "SANGAT_BAIK"),
        (D(110), False, "BAIK"),
        (D("109.99"), True, "BAIK"),
        (D(90), False, "BAIK"),
        (D("89.99"), False, "BUTUH_PERBAIKAN"),
        (D(70), False, "BUTUH_PERBAIKAN"),
        (D("69.99"), False, "KURANG"),
        (D(50), False, "KURANG"),
        (D("49.99"), False, "SANGAT_KURANG"),
        (D(0), False, "SANGAT_KURANG"),
    ],
)
def test_pp30_bands_at_their_boundaries(nilai, inovasi, expected):
    assert rules.predikat_pp30(nilai, inovasi_bermanfaat=inovasi) == expected


@given(st.decimals(0, 120, places=2), st.decimals(0, 120, places=2))
def test_pp30_predikat_never_gets_worse_as_the_score_rises(a, b):
    lo, hi = min(a, b), max(a, b)
    rank = rules.PREDIKAT_ORDER.index
    assert rank(rules.predikat_pp30(hi)) <= rank(rules.predikat_pp30(lo))


# --- §2.4 keberatan ---------------------------------------------------------------------------------


def test_the_objection_window_is_fourteen_calendar_days():
    assert rules.keberatan_deadline(datetime.date(2026, 12, 20)) == datetime.date(2027, 1, 3)
