"""Queries of the notifications inbox are bounded and do not grow with the rows shown (issue 10): the same count
at 10 and at 50 notifications, and 12 or fewer."""

import pytest

from ctip.accounts.enums import Role
from ctip.core.tests.querycount import LIMIT, count_queries
from ctip.notifications.services import notify

pytestmark = pytest.mark.django_db


def _notifications(user, start, stop):
    for i in range(start, stop):
        notify(users=[user], kind="test.kind", params={"reference": f"R-{i}"}, url="/cases/")


def test_inbox_same_queries_at_10_and_50_rows(users, client_for):
    worker = users[Role.CASE_WORKER]
    client = client_for(worker)
    _notifications(worker, 0, 10)
    at_10 = count_queries(client, "/notifications/")
    _notifications(worker, 10, 50)
    at_50 = count_queries(client, "/notifications/")
    print(f"QUERYCOUNT /notifications/ 10={at_10} 50={at_50}")
    assert at_10 == at_50 <= LIMIT
