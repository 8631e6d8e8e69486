"""Published counts: small cells suppressed, the rest rounded to the nearest 10 (ctip.core.disclosure)."""

from __future__ import annotations

import pytest
from django.utils import translation

from ctip.core.disclosure import ROUND_TO, SMALL_CELL, publish_count, round_count


@pytest.mark.parametrize(
    ("exact", "shown"),
    [(0, None), (1, None), (10, None), (11, 10), (14, 10), (15, 20), (24, 20), (25, 30), (1234, 1230), (1235, 1240)],
)
def test_small_cells_are_suppressed_and_the_rest_rounded(exact, shown):
    assert publish_count(exact).value == shown
    assert publish_count(exact).suppressed is (shown is None)


def test_a_published_count_moves_only_at_a_boundary():
    # an analyst refreshing the page while persons are registered one by one sees one change per 10 arrivals
    figures = [publish_count(n).value for n in range(1000, 1100)]
    changes = sum(1 for a, b in zip(figures, figures[1:], strict=False) if a != b)
    assert changes == 100 // ROUND_TO
    assert all(f % ROUND_TO == 0 for f in figures)


def test_rounding_uses_integers():
    assert round_count(10**15 + 5) == 10**15 + 10
    assert SMALL_CELL == 11 and ROUND_TO == 10


def test_the_text_shown():
    with translation.override("en"):
        assert str(publish_count(3)) == "fewer than 11"
        assert str(publish_count(12345)) == "12,350"
