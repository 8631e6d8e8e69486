"""Queries of the audit trail are bounded and do not grow with the rows shown (issue 10): the same count at 10 and
at 50 events; 12 or fewer (LIMIT)."""

import pytest

from ctip.accounts.enums import Role
from ctip.core.tests.querycount import LIMIT, count_queries
from ctip.core.tests.world import register_person

pytestmark = pytest.mark.django_db


def _events(actor, start, stop):
    # each registration appends audit events (by the case worker, of the home agency)
    for i in range(start, stop):
        register_person(actor, f"Person{i:02d}", "Otieno")


@pytest.mark.parametrize("url", ["/audit/", "/api/v1/audit/events/"])
def test_audit_trail_same_queries_at_10_and_50_rows(users, client_for, api_client_for, url):
    auditor = users[Role.AUDITOR]
    client = api_client_for(auditor) if url.startswith("/api/") else client_for(auditor)
    _events(users[Role.CASE_WORKER], 0, 10)
    at_10 = count_queries(client, url)
    _events(users[Role.CASE_WORKER], 10, 50)
    at_50 = count_queries(client, url)
    print(f"QUERYCOUNT {url} 10={at_10} 50={at_50}")
    assert at_10 == at_50 <= LIMIT
