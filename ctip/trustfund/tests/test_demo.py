"""The demo Trust Fund ledger: consistent with the demo (victim cases by number, forfeitures of demo charge
sheets), one reversal, reconciling, through the real services; running again adds nothing."""

from __future__ import annotations

import pytest

from ctip.audit.models import AuditEvent
from ctip.cases.models import Case
from ctip.demo.generator import DEMO_USERS, EXTENSIONS, DemoCounts, DemoResult, generate
from ctip.justice.models import ForfeitureOrder
from ctip.trustfund import selectors
from ctip.trustfund.demo import add_demo_trustfund
from ctip.trustfund.models import LedgerEntry

pytestmark = pytest.mark.django_db


def test_demo_ledger():
    assert add_demo_trustfund in EXTENSIONS
    assert "demo.trustfund" in {u[0] for u in DEMO_USERS}
    result = generate(DemoCounts(persons=600), seed=5)
    entries = list(LedgerEntry.objects.order_by("number"))
    assert result.extra["trustfund_entries"] == len(entries) >= 8
    kinds = {e.kind for e in entries}
    assert kinds == {"receipt", "disbursement", "reversal"}
    assert sum(e.kind == "reversal" for e in entries) == 1
    victims = set(Case.objects.filter(trafficking_status__isnull=False).values_list("reference", flat=True))
    assert all(e.case_reference in victims for e in entries if e.kind == "disbursement")
    forfeitures = [e for e in entries if e.source == "forfeiture" and e.kind == "receipt"]
    assert forfeitures
    if ForfeitureOrder.objects.exists():  # received against the demo's forfeiture orders, never above their value
        assert all(e.forfeiture_order_id and e.charge_sheet_id for e in forfeitures)
        for e in forfeitures:
            assert e.forfeiture_order.ordered_on <= e.entry_date
            assert selectors.received_by_order([e.forfeiture_order_id])[e.forfeiture_order_id] <= (
                e.forfeiture_order.amount_cents
            )
    assert selectors.reconcile().ok and selectors.ledger_sum() > 0
    assert AuditEvent.objects.filter(action="trustfund.disbursement").count() == sum(
        e.kind == "disbursement" for e in entries
    )
    # again: nothing added
    again = DemoResult()
    add_demo_trustfund(seed=5, result=again, actor=None)
    assert again.extra["trustfund_entries"] == 0 and LedgerEntry.objects.count() == len(entries)
