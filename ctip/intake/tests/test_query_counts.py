"""Queries of the tip and call pages are bounded and do not grow with the rows shown (issue 10): the same count at
10 and at 50 rows; 12 or fewer (LIMIT)."""

import pytest

from ctip.core.tests.querycount import LIMIT, count_queries

from .conftest import _log_call, _submit_tip

pytestmark = pytest.mark.django_db


def _rows(kind, actor, start, stop):
    for i in range(start, stop):
        if kind == "tips":
            _submit_tip(place=f"Kawangware {i}")
        else:
            _log_call(actor, city=f"Mombasa {i}")


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        ("tips", "/intake/tips/"),
        ("tips", "/api/v1/intake/tips/"),
        ("calls", "/intake/calls/"),
        ("calls", "/api/v1/intake/calls/"),
    ],
)
def test_intake_lists_same_queries_at_10_and_50_rows(coordinator, operator, client_for, api_client_for, kind, url):
    client = api_client_for(coordinator) if url.startswith("/api/") else client_for(coordinator)
    _rows(kind, operator, 0, 10)
    at_10 = count_queries(client, url)
    _rows(kind, operator, 10, 50)
    at_50 = count_queries(client, url)
    print(f"QUERYCOUNT {url} 10={at_10} 50={at_50}")
    assert at_10 == at_50 <= LIMIT
