"""The SKM index and sample size, exactly as PermenPANRB 14/2017 (rules §6)."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys import rules


def respondents(per_unsur: dict[str, list[int]]) -> list[dict[str, int]]:
    n = len(next(iter(per_unsur.values())))
    return [{k: v[i] for k, v in per_unsur.items()} for i in range(n)]


# A hand-computed example (five respondents): eight unsur answered 4,4,4,3,3 (NRR 3.6) and Sarana
# answered 3,3,3,3,3 (NRR 3.0). Σ NRR = 31.8; IKM = 31.8 × 1/9 × 25 = 88.333… → 88.33 → mutu A.
# Rounding the weight to 0.111 gives 31.8 × 0.111 × 25 = 88.245 → 88.25 → mutu B: a different answer.
EXAMPLE = {k: [4, 4, 4, 3, 3] for k in rules.UNSUR_KODE[:8]} | {"U9": [3, 3, 3, 3, 3]}


def test_the_hand_computed_example_to_two_decimals():
    hasil = rules.ikm_from_answers(respondents(EXAMPLE))
    assert hasil.nrr["U1"] == Fraction(18, 5)
    assert hasil.ikm == Decimal("88.33")
    assert (hasil.mutu, hasil.kinerja) == ("A", "Sangat baik")


def test_rounding_the_weight_to_0_111_would_change_the_result():
    sum_nrr = sum(rules.ikm_from_answers(respondents(EXAMPLE)).nrr.values())
    rounded_weight = (Decimal(sum_nrr.numerator) / sum_nrr.denominator * Decimal("0.111") * 25).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    assert rounded_weight == Decimal("88.25")
    assert rules.mutu(rounded_weight)[0] == "B"


def test_the_legacy_0_11_weight_caps_the_index_at_99():
    perfect = {k: [4] for k in rules.UNSUR_KODE}
    assert rules.ikm_from_answers(respondents(perfect)).ikm == Decimal("100.00")
    assert rules.ikm_from_answers(respondents(perfect), legacy_weight=True).ikm == Decimal("99.00")


def test_all_ones_is_the_floor_of_25():
    assert rules.ikm_from_answers(respondents({k: [1, 1] for k in rules.UNSUR_KODE})).ikm == Decimal("25.00")


@pytest.mark.parametrize(
    "value, code",
    [
        ("100.00", "A"), ("88.31", "A"), ("88.30", "B"), ("76.61", "B"), ("76.60", "C"),
        ("65.00", "C"), ("64.99", "D"), ("25.00", "D"),
    ],
)  # fmt: skip
def test_mutu_bands_at_their_boundaries(value, code):
    assert rules.mutu(Decimal(value))[0] == code


def test_every_unsur_is_needed():
    with pytest.raises(ValueError, match="missing"):
        rules.ikm({"U1": Fraction(3)})


def test_a_value_outside_1_to_4_is_refused():
    with pytest.raises(ValueError):
        rules.nrr([1, 5])


def test_the_nine_unsur_of_14_2017_with_sarana_not_maklumat():
    names = [u.nama for u in rules.UNSUR]
    assert len(names) == 9 and "Sarana dan Prasarana" in names
    assert not any("Maklumat" in n for n in names)
    assert all(len(u.label) == 4 for u in rules.UNSUR)


@given(st.lists(st.lists(st.integers(1, 4), min_size=9, max_size=9), min_size=1, max_size=40))
def test_the_index_is_bounded_and_order_independent(rows):
    answers = [dict(zip(rules.UNSUR_KODE, row, strict=True)) for row in rows]
    forward = rules.ikm_from_answers(answers)
    backward = rules.ikm_from_answers(list(reversed(answers)))
    assert forward == backward
    assert Decimal("25.00") <= forward.ikm <= Decimal("100.00")


@pytest.mark.parametrize(
    "n, expected",
    [(5, 5), (10, 10), (50, 44), (100, 80), (1000, 278), (5000, 357), (75000, 382), (100000, 384), (250000, 384)],
)
def test_sample_size_published_rows(n, expected):
    assert rules.sample_size(n) == expected


def test_between_rows_the_table_takes_the_next_higher_row():
    assert rules.sample_size(101) == 86  # the N = 110 row


def test_the_formula_rounded_to_nearest_reproduces_the_table_rows():
    mismatches = [n for n, s in rules.KM_TABLE if n < 100_000 and rules.sample_size(n, method="FORMULA") != s]
    assert mismatches == []


@given(st.integers(1, 200_000), st.integers(1, 200_000))
def test_sample_size_never_falls_as_the_population_grows(a, b):
    lo, hi = min(a, b), max(a, b)
    for method in ("TABLE", "FORMULA"):
        assert rules.sample_size(lo, method=method) <= rules.sample_size(hi, method=method)
