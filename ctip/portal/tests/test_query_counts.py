"""Queries of the landing page and "My tasks" are bounded and do not grow with the tasks (issue 10): the same
count at 10 and at 50 tasks of each kind, 12 or fewer (LIMIT). The landing page counts tasks in the database,
fetching no row."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ctip.accounts.enums import Role
from ctip.cases.models import FollowUp
from ctip.cases.tests.factories import open_case
from ctip.core.tests.querycount import LIMIT
from ctip.core.tests.world import register_person

pytestmark = pytest.mark.django_db


def _count(client, url):
    client.get(url)  # warm-up: the steady state (ctip.core.tests.querycount)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    response.sql = [q["sql"] for q in ctx.captured_queries]
    return len(ctx.captured_queries), response


def _tasks(worker, start, stop):
    # fixed past dates: the cases wait for a status decision and the follow-ups are overdue, whatever today is
    for i in range(start, stop):
        case = open_case(worker, register_person, first_name=f"Person{i:02d}", identified_on=date(2026, 1, 5))
        FollowUp.objects.create(
            case=case, due_on=date(2026, 1, 10), purpose=f"Visit {i}", assigned_to=worker, created_by=worker
        )


@pytest.mark.parametrize("url", ["/", "/tasks/"])
def test_same_queries_at_10_and_50_tasks(users, client_for, url):
    worker = users[Role.CASE_WORKER]
    client = client_for(worker)
    _tasks(worker, 0, 10)
    at_10, response = _count(client, url)
    if url == "/":
        assert response.context["task_total"] == 20
    _tasks(worker, 10, 50)
    at_50, response = _count(client, url)
    if url == "/":
        assert response.context["task_total"] == 100
        # counted, not fetched: the landing page reads no follow-up, case, referral or tip row
        tasks = [sql for sql in response.sql if any(t in sql for t in ('"cases_followup"', '"cases_case"'))]
        assert len(tasks) == 3 and all(sql.startswith("SELECT COUNT(*)") for sql in tasks)
    print(f"QUERYCOUNT {url} 10={at_10} 50={at_50}")
    assert at_10 == at_50 <= LIMIT
