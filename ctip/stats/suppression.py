"""Small-cell protection for tables of counts: primary and complementary (secondary) suppression.

A table published to a role without identity access shows its cells and its totals. Hiding a small cell is not
enough when a total is shown beside it: the total minus the other cells of its row gives the hidden cell back.
So, on the exact counts:

1. **Primary suppression**: every cell (and every total) below `SMALL_CELL` (11) is hidden.
2. **Complementary suppression**: a table is read as *lines*, each a list of entries whose sum is the line's
   total (a row and its row total; a column and its column total; the row totals and the grand total; the column
   totals and the grand total). A line with exactly one hidden entry gives it away by subtraction, so the
   smallest visible entry of that line is hidden too (a cell before a total: totals are what readers need).
   Hiding an entry may leave another line with a single hidden entry: repeat until no line has exactly one.
3. **Linked lines**: with at least two hidden entries in every line, one hidden cell can still be found by adding
   and subtracting several lines (a hidden cell that is the only link between two groups of hidden cells). The
   table's equations are solved exactly (rational elimination, `_determined`): each hidden entry the published
   entries determine gets another entry of its row hidden, and the steps repeat until none is determined.

Visible entries are then rounded (ctip.core.disclosure.publish_count), so published figures move only in steps
of 10. The functions here take and return plain ints: `None` means hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from ctip.core.disclosure import SMALL_CELL, round_count

# --- a table as entries and lines -----------------------------------------------------------------------------


@dataclass
class Grid:
    """`cells[i][j]` with the row totals, column totals and grand total (all exact); `hidden` marks entries.

    Entries are addressed ("c", i, j), ("r", i) (row total), ("k", j) (column total) and ("g",) (grand total).
    """

    cells: list[list[int]]
    hidden: set[tuple]

    @property
    def n_rows(self) -> int:
        return len(self.cells)

    @property
    def n_cols(self) -> int:
        return len(self.cells[0]) if self.cells else 0

    def value(self, key: tuple) -> int:
        kind = key[0]
        if kind == "c":
            return self.cells[key[1]][key[2]]
        if kind == "r":
            return sum(self.cells[key[1]])
        if kind == "k":
            return sum(row[key[1]] for row in self.cells)
        return sum(sum(row) for row in self.cells)

    def lines(self) -> list[tuple[list[tuple], tuple]]:
        """(the entries of a line, the entry that is their sum)."""
        r, c = self.n_rows, self.n_cols
        out: list[tuple[list[tuple], tuple]] = []
        for i in range(r):
            out.append(([("c", i, j) for j in range(c)], ("r", i)))
        for j in range(c):
            out.append(([("c", i, j) for i in range(r)], ("k", j)))
        out.append(([("r", i) for i in range(r)], ("g",)))
        out.append(([("k", j) for j in range(c)], ("g",)))
        return out

    def entries(self) -> list[tuple]:
        r, c = self.n_rows, self.n_cols
        return (
            [("c", i, j) for i in range(r) for j in range(c)]
            + [("r", i) for i in range(r)]
            + [("k", j) for j in range(c)]
            + [("g",)]
        )


def _complete_lines(grid: Grid) -> bool:
    """One pass of rule 2; True when something was hidden."""
    changed = False
    for parts, total in grid.lines():
        members = [*parts, total]
        hidden = [e for e in members if e in grid.hidden]
        if len(hidden) != 1:
            continue
        visible = [e for e in members if e not in grid.hidden]
        if not visible:
            continue
        # the smallest visible cell of the line (totals last: a cell before a total, then the smaller value)
        choice = min(visible, key=lambda e: (e[0] != "c", grid.value(e), e))
        grid.hidden.add(choice)
        changed = True
    return changed


def _determined(grid: Grid) -> list[tuple]:
    """Hidden entries whose exact value follows from the visible ones through the table's equations."""
    unknowns = sorted(grid.hidden)
    if not unknowns:
        return []
    index = {e: k for k, e in enumerate(unknowns)}
    rows: list[list] = []
    for parts, total in grid.lines():
        coeffs: list = [0] * len(unknowns)
        touched = False
        for e in parts:
            if e in index:
                coeffs[index[e]] += 1
                touched = True
        if total in index:
            coeffs[index[total]] -= 1
            touched = True
        if touched:
            rows.append(coeffs)
    # reduced row echelon form of the coefficients of the unknowns (the right-hand sides do not matter)
    pivots: list[int] = []
    r = 0
    n = len(unknowns)
    for col in range(n):
        pivot = next((i for i in range(r, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        lead = rows[r][col]
        if lead in (1, -1):  # the usual case (the lines of a table keep unit pivots): exact in ints
            rows[r] = [x * lead for x in rows[r]]
        else:  # pragma: no cover - exact in rationals otherwise
            rows[r] = [Fraction(x) / lead for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][col] != 0:
                factor = rows[i][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots.append(col)
        r += 1
        if r == len(rows):
            break
    free = [col for col in range(n) if col not in pivots]
    out = []
    for k, col in enumerate(pivots):
        if all(rows[k][f] == 0 for f in free):
            out.append(unknowns[col])
    return out


def _widen(grid: Grid, entry: tuple) -> bool:
    """Hide one more visible entry in a line of `entry` (the smallest cell first); True when one was hidden."""
    candidates = []
    for parts, total in grid.lines():
        members = [*parts, total]
        if entry in members:
            candidates += [e for e in members if e not in grid.hidden]
    if not candidates:
        return False
    grid.hidden.add(min(candidates, key=lambda e: (e[0] != "c", grid.value(e), e)))
    return True


def protect(grid: Grid, *, small_cell: int = SMALL_CELL) -> Grid:
    """Apply rules 1 to 3 to `grid` (in place) and return it."""
    for e in grid.entries():
        if grid.value(e) < small_cell:
            grid.hidden.add(e)
    while True:
        while _complete_lines(grid):
            pass
        determined = _determined(grid)
        if not determined:
            return grid
        if not any(_widen(grid, e) for e in determined[:1]):  # pragma: no cover - every entry has a line
            return grid


# --- the two shapes the statistics publish -----------------------------------------------------------------


@dataclass
class Protected1D:
    values: list[int | None]  # the exact count, or None when hidden
    total: int | None


@dataclass
class Protected2D:
    cells: list[list[int | None]]
    row_totals: list[int | None]
    col_totals: list[int | None]
    total: int | None


def protect_1d(counts: Sequence[int], *, small_cell: int = SMALL_CELL) -> Protected1D:
    """A list of categories with its total (one line)."""
    if not counts:
        return Protected1D([], None)
    grid = protect(Grid([list(counts)], set()), small_cell=small_cell)
    values = [None if ("c", 0, j) in grid.hidden else counts[j] for j in range(len(counts))]
    total = None if ("r", 0) in grid.hidden else sum(counts)
    return Protected1D(values, total)


def protect_2d(cells: Sequence[Sequence[int]], *, small_cell: int = SMALL_CELL) -> Protected2D:
    """A table of rows by columns with row totals, column totals and the grand total."""
    if not cells or not cells[0]:
        return Protected2D([], [], [], None)
    grid = protect(Grid([list(row) for row in cells], set()), small_cell=small_cell)
    r, c = grid.n_rows, grid.n_cols
    return Protected2D(
        cells=[[None if ("c", i, j) in grid.hidden else cells[i][j] for j in range(c)] for i in range(r)],
        row_totals=[None if ("r", i) in grid.hidden else grid.value(("r", i)) for i in range(r)],
        col_totals=[None if ("k", j) in grid.hidden else grid.value(("k", j)) for j in range(c)],
        total=None if ("g",) in grid.hidden else grid.value(("g",)),
    )


def rounded(value: int | None) -> int | None:
    """A visible exact count as published (rounded to 10); None stays None."""
    return None if value is None else round_count(value)
