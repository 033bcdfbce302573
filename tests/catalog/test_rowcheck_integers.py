"""The catalog import reads whole numbers as ASCII decimals: a superscript or other script's digit, or a
number no column holds, is the row's error, never an exception."""

import pytest

from motcua.catalog.rowcheck import RowChecker


@pytest.mark.parametrize(("typed", "read"), [("50000", 50000), (" 7 ", 7), (12.0, 12), (3, 3)])
def test_whole_numbers_are_read(typed, read):
    errors = []
    assert RowChecker(2, {}, errors).integer(typed, "amount") == read
    assert errors == []


@pytest.mark.parametrize("typed", ["²", "٣", "9" * 30, "1.5", "-3", "50.000"])
def test_anything_else_is_the_rows_error(typed):
    errors = []
    RowChecker(2, {}, errors).integer(typed, "amount")
    assert [(e.row, e.field) for e in errors] == [(2, "amount")]
