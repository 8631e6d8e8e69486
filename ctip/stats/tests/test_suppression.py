"""Small-cell protection: primary suppression below 11, complementary suppression so no hidden cell can be worked
out from the published cells and totals, and the published values rounded. Hypothesis draws tables of counts with
many small cells and checks that no line (a row, a column, the totals) leaves a hidden cell to subtraction, and,
stronger, that the table's equations together determine no hidden cell (exact linear algebra over the rationals,
independent of the implementation's own check)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from ctip.core.disclosure import SMALL_CELL
from ctip.stats.suppression import protect_1d, protect_2d

counts = st.one_of(st.integers(0, 15), st.integers(0, 400))


def test_1d_single_small_cell_takes_the_next_smallest_with_it():
    # given a row whose only small cell is 5, and its total published
    p = protect_1d([5, 20, 30, 400])
    # then 5 is hidden, and so is 20 (the next smallest), so 455 - 30 - 400 gives 25 = 5 + 20 only
    assert p.values == [None, None, 30, 400]
    assert p.total == 455


def test_1d_two_small_cells_protect_each_other():
    assert protect_1d([3, 4, 50]).values == [None, None, 50]


def test_1d_nothing_small_hides_nothing():
    assert protect_1d([11, 12, 400]) == protect_1d([11, 12, 400])
    assert protect_1d([11, 12, 400]).values == [11, 12, 400]
    assert protect_1d([11, 12, 400]).total == 423


def test_1d_small_total_hides_everything_it_would_reveal():
    p = protect_1d([3, 4])
    assert p.values == [None, None]
    assert p.total is None


def test_1d_one_category_small_hides_the_total_too():
    # one cell equals its total: hiding the cell must hide the total
    p = protect_1d([7])
    assert p.values == [None]
    assert p.total is None


def test_2d_rows_and_columns():
    p = protect_2d([[5, 20, 30], [15, 20, 30], [25, 40, 50]])
    # 5 is primary; its row takes 20, its column 15; then column 2 has one hidden (20): the 20 below goes too
    assert p.cells == [[None, None, 30], [None, None, 30], [25, 40, 50]]
    assert p.row_totals == [55, 65, 115]
    assert p.col_totals == [45, 80, 110]
    assert p.total == 235


def _solve_determined(cells, row_totals, col_totals, total) -> set[tuple]:
    """Independent check: which hidden entries the published ones determine (rank test, Fractions)."""
    r, c = len(cells), len(cells[0])
    unknown = []
    for i in range(r):
        for j in range(c):
            if cells[i][j] is None:
                unknown.append(("c", i, j))
    unknown += [("r", i) for i in range(r) if row_totals[i] is None]
    unknown += [("k", j) for j in range(c) if col_totals[j] is None]
    if total is None:
        unknown.append(("g",))
    idx = {u: n for n, u in enumerate(unknown)}
    eqs = []

    def eq(parts, tot):
        row = [Fraction(0)] * len(unknown)
        for p in parts:
            if p in idx:
                row[idx[p]] += 1
        if tot in idx:
            row[idx[tot]] -= 1
        if any(row):
            eqs.append(row)

    for i in range(r):
        eq([("c", i, j) for j in range(c)], ("r", i))
    for j in range(c):
        eq([("c", i, j) for i in range(r)], ("k", j))
    eq([("r", i) for i in range(r)], ("g",))
    eq([("k", j) for j in range(c)], ("g",))

    def rank(m):
        m = [row[:] for row in m]
        rk = 0
        for col in range(len(unknown)):
            piv = next((i for i in range(rk, len(m)) if m[i][col] != 0), None)
            if piv is None:
                continue
            m[rk], m[piv] = m[piv], m[rk]
            for i in range(len(m)):
                if i != rk and m[i][col] != 0:
                    f = m[i][col] / m[rk][col]
                    m[i] = [a - f * b for a, b in zip(m[i], m[rk], strict=True)]
            rk += 1
        return rk

    base = rank(eqs)
    out = set()
    for u in unknown:
        unit = [Fraction(0)] * len(unknown)
        unit[idx[u]] = Fraction(1)
        if rank([*eqs, unit]) == base:  # the unit vector is a combination of the equations: determined
            out.add(u)
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(counts, min_size=1, max_size=12))
def test_1d_no_hidden_cell_recoverable(values):
    p = protect_1d(values)
    hidden = [i for i, v in enumerate(p.values) if v is None]
    # every visible cell is its exact count and not small; every small cell is hidden
    for i, v in enumerate(values):
        if v < SMALL_CELL:
            assert p.values[i] is None
        elif p.values[i] is not None:
            assert p.values[i] == v
    # with the total published, one hidden cell alone would be the total minus the others
    if p.total is not None:
        assert len(hidden) != 1
        assert p.total == sum(values)
    elif values:
        assert sum(values) < SMALL_CELL or len(hidden) >= 1
    assert not _solve_determined([p.values], [p.total], p.values, p.total) & {("c", 0, j) for j in hidden}


@settings(max_examples=120, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda r: st.integers(1, 5).flatmap(
            lambda c: st.lists(st.lists(counts, min_size=c, max_size=c), min_size=r, max_size=r)
        )
    )
)
def test_2d_no_hidden_cell_recoverable_from_the_margins(cells):
    p = protect_2d(cells)
    r, c = len(cells), len(cells[0])
    # primary: every small entry hidden; visible entries exact
    for i in range(r):
        for j in range(c):
            if cells[i][j] < SMALL_CELL:
                assert p.cells[i][j] is None
            elif p.cells[i][j] is not None:
                assert p.cells[i][j] == cells[i][j]
    for i in range(r):
        if sum(cells[i]) < SMALL_CELL:
            assert p.row_totals[i] is None
    # no line (row with its total, column with its total, totals with the grand total) has exactly one hidden entry
    for i in range(r):
        line = [*p.cells[i], p.row_totals[i]]
        assert sum(v is None for v in line) != 1, (cells, p)
    for j in range(c):
        line = [*[p.cells[i][j] for i in range(r)], p.col_totals[j]]
        assert sum(v is None for v in line) != 1, (cells, p)
    assert sum(v is None for v in [*p.row_totals, p.total]) != 1
    assert sum(v is None for v in [*p.col_totals, p.total]) != 1
    # and no combination of the published equations determines a hidden entry
    assert not _solve_determined(p.cells, p.row_totals, p.col_totals, p.total), (cells, p)
