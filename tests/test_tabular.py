"""The shared table reader: CSV in its usual dialects and encodings, Excel by content, clear refusals."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from sikap.tabular import TableError, parse_decimal, read_table


def _xlsx(rows) -> io.BytesIO:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_csv_with_any_common_separator_reads_the_same_rows(sep):
    text = f"NIP Baru{sep}Nilai\n198703152010011002{sep}85\n\n199001012015022001{sep}90\n"
    table = read_table(io.BytesIO(text.encode()), required=["nip", "nilai"], aliases={"nip_baru": "nip"})
    assert table.rows == [
        (2, {"nip": "198703152010011002", "nilai": "85"}),
        (4, {"nip": "199001012015022001", "nilai": "90"}),
    ]


def test_windows_1252_csv_is_decoded():
    table = read_table(io.BytesIO("nama\nJos\xe9\n".encode("cp1252")), required=["nama"])
    assert table.rows[0][1]["nama"] == "José"


def test_xlsx_is_recognised_by_content_whatever_its_name():
    upload = _xlsx([["NIP", "Nilai", None], [None, None, None], ["198703152010011002", 12.0, None]])
    table = read_table(upload, required=["nip", "nilai"])
    assert table.rows == [(3, {"nip": "198703152010011002", "nilai": "12"})]


def test_a_missing_required_column_is_named():
    with pytest.raises(TableError, match="nilai"):
        read_table(io.BytesIO(b"nip,jumlah\n1,2\n"), required=["nip", "nilai"])


@pytest.mark.parametrize("raw", [b"", b"   \n", b"\x00\x01\x02binary", b"PK\x03\x04not really a zip"])
def test_empty_binary_or_broken_files_are_refused_with_a_message(raw):
    with pytest.raises(TableError) as exc:
        read_table(io.BytesIO(raw), required=["nip"])
    assert str(exc.value)


def test_too_many_rows_are_refused():
    text = "nip\n" + "1\n" * 11
    with pytest.raises(TableError, match="10"):
        read_table(io.BytesIO(text.encode()), required=["nip"], max_rows=10)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("90", Decimal("90")),
        ("85,25", Decimal("85.25")),
        ("1.234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("-3", Decimal("-3")),
        ("", None),
        ("abc", None),
        ("1e5", None),
        ("12,3,4", None),
    ],
)
def test_numbers_in_indonesian_or_english_notation(text, expected):
    assert parse_decimal(text) == expected
