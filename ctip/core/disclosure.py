"""Statistical disclosure control for counts shown to people who may not see identities.

An exact count that moves with every registration lets someone who refreshes a page watch individuals arrive
(one more person from Turkana today...). Every count of persons, cases, victims or similar records published to a
role without identity access (the data analyst's figures, the statistics module to come, exports of aggregates)
goes through `publish_count`:

1. **Small cells are suppressed**: a count below `SMALL_CELL` (11) is not shown at all, only "fewer than 11".
2. **Larger counts are rounded** to the nearest `ROUND_TO` (10), halves up: 11 to 14 are shown as 10, 15 to 24
   as 20, 1,234 as 1,230. A published figure then moves only when the true count crosses a boundary, never with
   each registration, and two figures cannot be subtracted to recover a small cell exactly.

Both rules apply to the exact count (suppression first), so "fewer than 11" and "10" can both appear: "10" is
11 to 14 rounded. Tables of several cells must round each cell on its own and must not publish exact totals beside
them. See docs/security.md ("Aggregate figures").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

SMALL_CELL = 11
ROUND_TO = 10


@dataclass(frozen=True)
class PublishedCount:
    """A count fit to show: `value` is the rounded figure, or None when the cell is suppressed."""

    value: int | None

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        if self.value is None:
            return _("fewer than %(n)s") % {"n": SMALL_CELL}
        return number_format(self.value, force_grouping=True)


def round_count(n: int, base: int = ROUND_TO) -> int:
    """`n` to the nearest multiple of `base`, halves up (integers only: no float rounding surprises)."""
    return (n + base // 2) // base * base


def publish_count(n: int, *, small_cell: int = SMALL_CELL, base: int = ROUND_TO) -> PublishedCount:
    """The one way to turn an exact count into a figure for a role without identity access."""
    if n < small_cell:
        return PublishedCount(None)
    return PublishedCount(round_count(n, base))
