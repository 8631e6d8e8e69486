"""Queries of the plan-of-action pages are bounded and do not grow with the rows (issue 10): the same count at 10
and at 50 activities on the overview (each with its agencies and indicators) and on a progress report, and at 10
and 50 sessions and campaigns on their lists, 12 or fewer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ctip.accounts.enums import Role
from ctip.core.tests.querycount import LIMIT, count_queries
from ctip.npa import services

from .conftest import make_campaign, make_training

pytestmark = pytest.mark.django_db


def _activities(coordinator, users, objective, report, start, n):
    for i in range(start, start + n):
        activity = services.activity_save(
            actor=coordinator,
            objective=objective,
            data=services.ActivityInput(
                number=f"1.1.{i}", title=f"Activity {i}", agency_ids=(users[Role.CASE_WORKER].agency_id,)
            ),
        )
        services.indicator_save(
            actor=coordinator,
            activity=activity,
            data=services.IndicatorInput(
                name=f"Indicator {i}",
                source="computed" if i % 2 else "entered",
                metric="trainings_held" if i % 2 else "",
                target=Decimal(10),
                actual=None if i % 2 else Decimal(i),
                source_note="" if i % 2 else "Survey",
            ),
        )
        services.progress_record(actor=users[Role.CASE_WORKER], report=report, activity=activity, status="on_track")


def test_overview_and_report_are_bounded(users, npa_world, client_for):
    coordinator = users[Role.COORDINATOR]
    client = client_for(users[Role.CASE_WORKER])
    overview = f"/npa/plans/{npa_world['plan'].public_id}/"
    report = f"/npa/reports/{npa_world['report'].public_id}/"
    _activities(coordinator, users, npa_world["objective"], npa_world["report"], 2, 9)
    at_10 = (count_queries(client, overview), count_queries(client, report))
    _activities(coordinator, users, npa_world["objective"], npa_world["report"], 11, 40)
    at_50 = (count_queries(client, overview), count_queries(client, report))
    print(f"QUERYCOUNT overview/report 10={at_10} 50={at_50}")
    assert at_10 == at_50
    assert max(at_50) <= LIMIT


@pytest.mark.parametrize("url", ["/npa/trainings/", "/npa/campaigns/", "/npa/"])
def test_lists_are_bounded(users, client_for, url):
    worker = users[Role.CASE_WORKER]
    client = client_for(users[Role.DATA_ANALYST])

    def add(n):
        for i in range(n):
            make_training(worker, held_on=date(2024, 1, 1 + i % 28))
            make_campaign(worker, reach=100 + i)

    add(10)
    at_10 = count_queries(client, url)
    add(40)
    at_50 = count_queries(client, url)
    print(f"QUERYCOUNT {url} 10={at_10} 50={at_50}")
    assert at_10 == at_50 <= LIMIT
