"""CSV and XLSX downloads of a dashboard's published figures (never the exact counts). Every cell goes through
ctip.core.spreadsheets, so a label typed by someone else (a county, a form of exploitation) cannot run as a
formula in the analyst's spreadsheet."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from ctip.core.disclosure import SMALL_CELL
from ctip.core.spreadsheets import csv_writer, xlsx_bytes

from .filters import FILTER_LABELS, Filters
from .tables import Cell, Published


def _value(cell: Cell | None):
    if cell is None:
        return ""
    return cell.value if cell.value is not None else _("<%(n)s") % {"n": SMALL_CELL}


def figure_rows(figure: Published) -> list[list]:
    """The figure as rows of cells: title, header, one row per category, the totals row."""
    header = [figure.row_header, *[label for _k, label in figure.columns]]
    if figure.has_row_totals:
        header.append(_("Total"))
    out: list[list] = [[figure.title], header]
    for row in figure.rows:
        line = [row.label, *[_value(c) for c in row.cells]]
        if figure.has_row_totals:
            line.append(_value(row.total))
        out.append(line)
    if figure.totals is not None:
        line = [_("Total"), *[_value(c) for c in figure.totals]]
        if figure.has_row_totals:
            line.append(_value(figure.grand_total))
        out.append(line)
    if figure.note:
        out.append([figure.note])
    return out


def _preamble(title: str, filters: Filters) -> list[list]:
    chosen = filters.as_query()
    described = "; ".join(f"{FILTER_LABELS[k]}: {v}" for k, v in chosen.items()) or _("none")
    return [
        [title],
        [_("Filters: %(filters)s") % {"filters": described}],
        [
            _(
                "Counts below %(n)s are not shown (<%(n)s), nor are cells that would reveal them; the others "
                "are rounded to 10."
            )
            % {"n": SMALL_CELL}
        ],
    ]


def to_csv(title: str, filters: Filters, figures: list[Published]) -> str:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerows(_preamble(title, filters))
    for figure in figures:
        writer.writerow([])
        writer.writerows(figure_rows(figure))
    return buffer.getvalue()


def to_xlsx(title: str, filters: Filters, figures: list[Published]) -> bytes:
    """An "About" sheet (title, filters, rules), then one sheet per figure (numbered: sheet names are never user
    text)."""
    sheets = [(_("About"), _preamble(title, filters))]
    sheets += [(f"{i:02d}", figure_rows(figure)) for i, figure in enumerate(figures, start=1)]
    return xlsx_bytes(sheets)
