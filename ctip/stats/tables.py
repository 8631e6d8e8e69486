"""Published figures: what a role without identity access may see of a `Figure` (selectors.py).

`publish` applies the small-cell rules of suppression.py to the exact counts and rounds what stays visible
(ctip.core.disclosure), then drops the exact counts: views, the API and the exports only ever hold a `Published`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ctip.core.disclosure import SMALL_CELL

from .selectors import Figure
from .suppression import Protected2D, protect_1d, protect_2d, rounded


@dataclass(frozen=True)
class Cell:
    value: int | Decimal | None  # rounded count, median days, amount or rate; None when not shown

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        if self.value is None:
            return _("fewer than %(n)s") % {"n": SMALL_CELL}
        return number_format(self.value, force_grouping=True)


@dataclass
class Row:
    key: str
    label: str
    cells: list[Cell]
    total: Cell | None = None


@dataclass
class Published:
    key: str
    title: str
    row_header: str
    columns: list[tuple[str, str]]
    rows: list[Row]
    totals: list[Cell] | None  # the totals row (one per column), None when the rows do not add up
    grand_total: Cell | None  # crosstabs: the total of the totals
    kind: str
    chart: str
    note: str

    @property
    def has_row_totals(self) -> bool:
        return self.kind == "crosstab"

    @property
    def any_suppressed(self) -> bool:
        cells = [c for r in self.rows for c in r.cells] + list(self.totals or [])
        return any(c.suppressed for c in cells)

    def chart_series(self) -> tuple[list[str], list[int | None]]:
        """The labels and values a chart draws (the first column; hidden cells as gaps)."""
        return [r.label for r in self.rows], [r.cells[0].value if r.cells else None for r in self.rows]

    @property
    def chart_labels_json(self) -> str:
        return json.dumps(self.chart_series()[0])

    @property
    def chart_values_json(self) -> str:
        return json.dumps(self.chart_series()[1])

    def text_alternative(self) -> str:
        """The figure in words, for screen readers and for those who do not read charts."""
        parts = []
        for row in self.rows:
            if not row.cells:
                continue
            parts.append(f"{row.label}: {row.cells[0]}")
        if not parts:
            return _("%(title)s: no data for these filters.") % {"title": self.title}
        return _("%(title)s. %(values)s.") % {"title": self.title, "values": "; ".join(parts)}


def _cell(value: int | None) -> Cell:
    return Cell(rounded(value))


def _median_cell(value: int | None, how_many: int) -> Cell:
    # a median drawn from a small cell is not published either (as justice.selectors._median_days)
    return Cell(value if value is not None and how_many >= SMALL_CELL else None)


def publish_all(figures: list[Figure]) -> list[Published]:
    """Publish a dashboard's figures together: a figure whose numbers are another table's margins (`margin_of`,
    e.g. victims by year = the row totals of victims by year and sex) is published from that table's protected
    margins, so a total hidden there to protect a cell is not shown here. Other figures on their own."""
    by_key = {f.key: f for f in figures}
    protected: dict[str, Protected2D] = {}
    out = []
    for figure in figures:
        source_key, _sep, side = figure.margin_of.partition(":")
        source = by_key.get(source_key)
        if source is None or source.kind != "crosstab" or not source.counts:
            out.append(publish(figure))
            continue
        if source_key not in protected:
            protected[source_key] = protect_2d(source.counts)
        p2 = protected[source_key]
        margins = p2.row_totals if side == "rows" else p2.col_totals
        margin_counts = _margins(source.counts, side)
        assert margin_counts == list(figure.counts), (figure.key, "not the margins of", source_key)
        published = publish(figure)
        published.rows = [Row(r.key, r.label, [_cell(v)]) for r, v in zip(published.rows, margins, strict=True)]
        published.totals = [_cell(p2.total)]
        out.append(published)
    return out


def _margins(cells: list, side: str) -> list[int]:
    if side == "rows":
        return [sum(row) for row in cells]
    return [sum(row[j] for row in cells) for j in range(len(cells[0]))] if cells else []


def publish(figure: Figure) -> Published:
    """The figure with small cells hidden (complementary suppression on every line that has a total) and the
    visible counts rounded to 10."""
    columns = figure.columns or [
        ("count", _("Victims") if figure.key.startswith(("victims", "kenyans")) else _("Count"))
    ]
    rows: list[Row] = []
    totals: list[Cell] | None = None
    grand: Cell | None = None
    if figure.kind == "additive":
        protected = protect_1d(figure.counts)
        rows = [Row(k, label, [_cell(v)]) for (k, label), v in zip(figure.rows, protected.values, strict=True)]
        totals = [_cell(protected.total)]
    elif figure.kind == "multi":
        rows = [
            Row(k, label, [_cell(v if v >= SMALL_CELL else None)])
            for (k, label), v in zip(figure.rows, figure.counts, strict=True)
        ]
    elif figure.kind == "crosstab":
        p2 = protect_2d(figure.counts)
        rows = [
            Row(k, label, [_cell(v) for v in cells], _cell(total))
            for (k, label), cells, total in zip(figure.rows, p2.cells, p2.row_totals, strict=True)
        ]
        totals = [_cell(v) for v in p2.col_totals]
        grand = _cell(p2.total)
    elif figure.kind == "measures":
        by_column: list[list[Cell]] = [[] for _c in figure.rows]
        totals = []
        for j, (col, _label) in enumerate(figure.columns):
            if col.startswith("exact_"):  # amounts and capacities, not counts of people: shown as recorded
                for i in range(len(figure.rows)):
                    by_column[i].append(Cell(figure.counts[i][j]))
                totals.append(Cell(sum(row[j] or 0 for row in figure.counts)))
                continue
            if col.startswith("median"):
                for i in range(len(figure.rows)):
                    n = figure.median_n[i][j] if figure.median_n else 0
                    by_column[i].append(_median_cell(figure.counts[i][j], n))
                totals.append(_median_cell(figure.total_medians.get(col), figure.total_median_n.get(col, 0)))
                continue
            protected = protect_1d([row[j] for row in figure.counts])
            for i, v in enumerate(protected.values):
                by_column[i].append(_cell(v))
            totals.append(_cell(protected.total) if figure.rows else Cell(0))
        rows = [Row(k, label, cells) for (k, label), cells in zip(figure.rows, by_column, strict=True)]
    else:  # pragma: no cover - the kinds are fixed in selectors
        raise ValueError(figure.kind)
    return Published(
        key=figure.key,
        title=figure.title,
        row_header=figure.row_header,
        columns=[(k, str(label)) for k, label in columns],
        rows=rows,
        totals=totals,
        grand_total=grand,
        kind=figure.kind,
        chart=figure.chart,
        note=figure.note,
    )


# --- stored reports (ctip.stats.report): a published figure as JSON and back ---------------------------------


def _dump(value):
    return str(value) if isinstance(value, Decimal) else value


def _load(value):
    return Decimal(value) if isinstance(value, str) else value


def _dump_cell(cell: Cell | None):
    return None if cell is None else {"v": _dump(cell.value)}


def _load_cell(data) -> Cell | None:
    return None if data is None else Cell(_load(data["v"]))


def published_to_dict(figure: Published) -> dict:
    """Everything a published figure shows (never an exact suppressed count: only what `publish` kept)."""
    return {
        "key": figure.key,
        "title": str(figure.title),
        "row_header": str(figure.row_header),
        "columns": [[k, str(label)] for k, label in figure.columns],
        "rows": [
            {
                "key": r.key,
                "label": str(r.label),
                "cells": [_dump_cell(c) for c in r.cells],
                "total": _dump_cell(r.total),
            }
            for r in figure.rows
        ],
        "totals": None if figure.totals is None else [_dump_cell(c) for c in figure.totals],
        "grand_total": _dump_cell(figure.grand_total),
        "kind": figure.kind,
        "chart": figure.chart,
        "note": str(figure.note),
    }


def published_from_dict(data: dict) -> Published:
    return Published(
        key=data["key"],
        title=data["title"],
        row_header=data["row_header"],
        columns=[(k, label) for k, label in data["columns"]],
        rows=[
            Row(r["key"], r["label"], [_load_cell(c) for c in r["cells"]], _load_cell(r["total"])) for r in data["rows"]
        ],
        totals=None if data["totals"] is None else [_load_cell(c) for c in data["totals"]],
        grand_total=_load_cell(data["grand_total"]),
        kind=data["kind"],
        chart=data["chart"],
        note=data["note"],
    )
