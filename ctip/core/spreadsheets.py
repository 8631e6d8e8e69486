"""Spreadsheet cells that cannot run as formulas (CSV and formula injection, OWASP).

Everything CTIP writes to a CSV or XLSX file goes through this module: a reason, a name, a column heading typed
by someone else becomes a cell in an officer's spreadsheet, and a cell starting with `=`, `+`, `-`, `@`, a tab
or a carriage return is read as a formula (`=HYPERLINK(...)`, `=cmd|...`). Such text cells are prefixed with a
single quote, the OWASP advice: the spreadsheet shows the text as typed, after the quote, and runs nothing.

Numbers (int, float, Decimal) are written as numbers, so a numeric column keeps its negative values: their text
form (`-5`, `-1.5e-05`) is a plain number, never a formula. Text that merely looks like a number is still
prefixed: only the value's type tells a number from text.

    writer = csv_writer(response)          # like csv.writer, every cell neutralised
    writer.writerow(["reason", event.reason])
    sheet.append([xlsx_value(v) for v in row])
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

# The characters a spreadsheet may take as the start of a formula (OWASP "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def safe_cell(value: Any) -> Any:
    """The value to write in a cell: numbers and None unchanged, text prefixed with ' when it could run."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_START):
        return QUOTE + text
    return text


def xlsx_value(value: Any) -> Any:
    """A value for an openpyxl cell: text never becomes a formula; numbers, dates and None stay typed."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value  # date, time, datetime: openpyxl writes them as dates
    return safe_cell(value)


class SafeWriter:
    """`csv.writer` whose rows are neutralised cell by cell. Same `writerow`/`writerows` as the csv module."""

    def __init__(self, target, **kwargs):
        self._writer = csv.writer(target, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(target, **kwargs) -> SafeWriter:
    """A csv writer for `target` (a file, a response, an echo buffer) that writes no formula."""
    return SafeWriter(target, **kwargs)


class Echo:
    """A pseudo-buffer for streamed CSV: `write` returns the line, which the view yields."""

    def write(self, value: str) -> str:
        return value


class SafeSheet:
    """A sheet of a SafeWorkbook: `append(row)` writes each value through `xlsx_value` (no formula)."""

    def __init__(self, sheet):
        self._sheet = sheet

    def append(self, row: Iterable[Any]) -> None:
        self._sheet.append([xlsx_value(v) for v in row])


class SafeWorkbook:
    """A write-only XLSX workbook (openpyxl) whose cells are never formulas: `xlsx_workbook()`."""

    def __init__(self):
        from openpyxl import Workbook

        self._book = Workbook(write_only=True)

    def sheet(self, title: str) -> SafeSheet:
        return SafeSheet(self._book.create_sheet(str(title)[:31]))

    def to_bytes(self) -> bytes:
        import io

        out = io.BytesIO()
        self._book.save(out)
        return out.getvalue()


def xlsx_workbook() -> SafeWorkbook:
    return SafeWorkbook()


def xlsx_bytes(sheets: Iterable[tuple[str, Iterable[Iterable[Any]]]]) -> bytes:
    """An XLSX workbook of (sheet name, rows), every cell written through `xlsx_value`. Sheet names are the
    caller's own (short, never user text: Excel limits them to 31 characters)."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        sheet = book.create_sheet(str(name)[:31])
        for row in rows:
            sheet.append([xlsx_value(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
