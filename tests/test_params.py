"""sikap.params.as_id: what a request may pass as an id, page number or offset."""

import pytest

from sikap.params import as_id


@pytest.mark.parametrize(("raw", "expected"), [("7", 7), ("007", 7), (12, 12), ("9" * 18, int("9" * 18))])
def test_ascii_digits_that_fit_a_bigint_are_ids(raw, expected):
    assert as_id(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "-1", "1.5", " 7", "²", "١٢", "１", "9" * 19, "7\x00", "abc"])
def test_anything_else_is_none_never_an_exception(raw):
    assert as_id(raw) is None
