"""Figures computed on known data: the cases opened through the real services, counted by the selectors and
published with small cells suppressed and counts rounded."""

from __future__ import annotations

from datetime import date

import pytest

from ctip.accounts.enums import Role
from ctip.core.tests.world import shared_fixture
from ctip.stats import selectors
from ctip.stats.filters import Filters, parse_filters
from ctip.stats.tables import publish_all

from .conftest import open_victim

pytestmark = pytest.mark.django_db


def _fig(figures, key):
    return next(f for f in figures if f.key == key)


@shared_fixture("users")
def known(users):
    """20 women in Nairobi (047) in 2025 aged 26, forced labour; 12 men in Mombasa (001) in 2025 aged 15 (children),
    sexual exploitation; 3 women abroad in Saudi Arabia in 2024."""
    worker = users[Role.CASE_WORKER]
    cases = []
    for i in range(20):
        cases.append(open_victim(worker, n=i, sex="female", born=date(1998, 4, 1), identified_on=date(2025, 3, 1)))
    for i in range(12):
        cases.append(
            open_victim(
                worker,
                n=100 + i,
                sex="male",
                born=date(2010, 1, 1),
                county="001",
                identified_on=date(2025, 6, 1),
                exploitation="SexualExploitation",
            )
        )
    for i in range(3):
        cases.append(
            open_victim(worker, n=200 + i, sex="female", county=None, abroad="SA", identified_on=date(2024, 8, 1))
        )
    return cases


def test_victims_counted_by_category_on_known_data(analyst, known):
    figures = selectors.victim_figures(user=analyst, filters=Filters())
    by_year = _fig(figures, "victims-by-year")
    assert by_year.rows == [("2024", "2024"), ("2025", "2025")]
    assert by_year.counts == [3, 32]
    by_sex = dict(zip([k for k, _l in _fig(figures, "victims-by-sex").rows], _fig(figures, "victims-by-sex").counts))
    assert by_sex["female"] == 23 and by_sex["male"] == 12 and by_sex["intersex"] == 0
    child = _fig(figures, "victims-child-adult").counts
    assert child == [12, 23]
    bands = dict(
        zip([k for k, _l in _fig(figures, "victims-by-age-band").rows], _fig(figures, "victims-by-age-band").counts)
    )
    assert bands["9-17"] == 12
    assert bands["24-26"] == 23  # born April 1998, identified March 2025 (or August 2024): 26
    assert bands["27-29"] == 0 and sum(bands.values()) == 35
    county = dict(
        zip([k for k, _l in _fig(figures, "victims-by-county").rows], _fig(figures, "victims-by-county").counts)
    )
    assert county["047"] == 20 and county["001"] == 12 and county[selectors.NOT_RECORDED] == 3
    forms = dict(
        zip(
            [k for k, _l in _fig(figures, "victims-by-exploitation").rows],
            _fig(figures, "victims-by-exploitation").counts,
        )
    )
    assert forms["ForcedLabour"] == 23 and forms["SexualExploitation"] == 12
    assert _fig(figures, "kenyans-abroad-by-destination").counts == [3]
    assert _fig(figures, "victims-internal-transnational").counts == [32, 3]
    year_sex = _fig(figures, "victims-by-year-and-sex")
    assert year_sex.counts[1][:2] == [20, 12]  # 2025: female, male


def test_published_figures_suppress_and_round(analyst, known):
    published = {p.key: p for p in publish_all(selectors.victim_figures(user=analyst, filters=Filters()))}
    by_year = published["victims-by-year"]
    # 3 in 2024 is hidden; with the total shown (35) it would be 35 - 32, so 2025 is hidden too
    assert [r.cells[0].value for r in by_year.rows] == [None, None]
    assert by_year.totals[0].value == 40  # 35 rounded to 10, halves up
    county = {r.key: r.cells[0].value for r in published["victims-by-county"].rows}
    assert county["047"] == 20 and county["001"] == 10  # 12 rounds to 10
    assert published["kenyans-abroad-by-destination"].rows[0].cells[0].value is None
    assert "fewer than 11" in str(published["kenyans-abroad-by-destination"].rows[0].cells[0])


def test_margins_are_published_once(analyst, known):
    """Victims by year and by sex are the margins of victims by year and sex: published from its protected
    margins, so a total hidden there (to protect a cell) is hidden in the chart's table too."""
    published = {p.key: p for p in publish_all(selectors.victim_figures(user=analyst, filters=Filters()))}
    cross = published["victims-by-year-and-sex"]
    assert [r.cells[0].value for r in published["victims-by-year"].rows] == [r.total.value for r in cross.rows]
    assert [r.cells[0].value for r in published["victims-by-sex"].rows] == [c.value for c in cross.totals]
    assert published["victims-by-year"].totals[0].value == cross.grand_total.value == 40


def test_filters_select_the_cases(analyst, known):
    counties = {"047": "Nairobi", "001": "Mombasa"}
    figures = selectors.victim_figures(
        user=analyst, filters=parse_filters({"county": "001", "year": "2025"}, counties=counties)
    )
    assert _fig(figures, "victims-by-year").counts == [12]
    figures = selectors.victim_figures(user=analyst, filters=parse_filters({"sex": "female"}, counties=counties))
    assert sum(_fig(figures, "victims-by-year").counts) == 23
    figures = selectors.victim_figures(
        user=analyst, filters=parse_filters({"exploitation": "SexualExploitation"}, counties=counties)
    )
    assert sum(_fig(figures, "victims-by-year").counts) == 12


def test_the_case_keeps_the_sex_when_identified(worker):
    case = open_victim(worker, sex="male")
    assert case.sex_at_identification == "male"


def test_median_from_histogram():
    assert selectors._median_from_histogram({}) == (None, 0)
    assert selectors._median_from_histogram({1: 1, 3: 1, 10: 1}) == (3, 3)
    assert selectors._median_from_histogram({2: 2, 4: 2}) == (3, 4)
    assert selectors._median_from_histogram({5: 11}) == (5, 11)
