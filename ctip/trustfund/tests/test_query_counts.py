"""Queries of the Trust Fund pages are bounded and do not grow with the entries (issue 10): the same count at 10
and at 50 entries on the ledger (each row with what it reverses and what reversed it) and on the statement, 12 or
fewer."""

from __future__ import annotations

from datetime import date

import pytest

from ctip.core.tests.querycount import LIMIT, count_queries
from ctip.trustfund import services

from .conftest import disburse, receive

pytestmark = pytest.mark.django_db
STATEMENT = "/trustfund/statement/?start=2026-03-01&end=2026-03-31"


def _entries(officer, case, n):
    """n entries of every kind: receipts, disbursements, and reversals of some of them."""
    for i in range(n // 5):
        receive(officer, 100_000, day=date(2026, 3, 1 + i % 28))
        receive(
            officer,
            50_000,
            source="forfeiture",
            court_case_number=f"MCCR/E{i}/2026",
            order_reference=f"FO {i}",
            day=date(2026, 3, 2 + i % 27),
        )
        paid = disburse(officer, 10_000, case.reference, day=date(2026, 3, 3 + i % 26))
        disburse(officer, 5_000, case.reference, purpose="shelter", day=date(2026, 3, 3 + i % 26))
        services.entry_reverse(actor=officer, entry=paid, reason="duplicate", entry_date=date(2026, 3, 28))


@pytest.mark.parametrize("url", ["/trustfund/", "/trustfund/?kind=reversal", STATEMENT])
def test_same_queries_at_10_and_50_entries(officer, victim_case, client_for, url):
    client = client_for(officer)
    _entries(officer, victim_case, 10)
    at_10 = count_queries(client, url)
    _entries(officer, victim_case, 40)
    at_50 = count_queries(client, url)
    print(f"QUERYCOUNT {url} 10={at_10} 50={at_50}")
    assert at_10 == at_50 <= LIMIT


def test_entry_page_is_bounded(officer, victim_case, client_for):
    client = client_for(officer)
    _entries(officer, victim_case, 5)
    from ctip.trustfund.models import LedgerEntry

    for entry in LedgerEntry.objects.all():
        assert count_queries(client, f"/trustfund/{entry.public_id}/") <= LIMIT
