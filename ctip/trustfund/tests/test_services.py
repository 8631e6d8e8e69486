"""The ledger's services through the real code: receipts, disbursements against the balance, reversals once,
the append-only rule (model and database), the audit events, and the reconciliation."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from ctip.accounts.enums import Role
from ctip.audit.models import AuditEvent
from ctip.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from ctip.trustfund import selectors, services
from ctip.trustfund.models import FundLedger, LedgerEntry

from .conftest import DAY, disburse, receive

pytestmark = pytest.mark.django_db


def _balance(user):
    return selectors.balance_for_user(user=user)


def test_receipt_and_disbursement_move_the_balance(officer, victim_case):
    r = receive(officer, 5_000_000)
    d = disburse(officer, 1_250_050, victim_case.reference.lower())
    assert (r.amount_cents, r.balance_after_cents) == (5_000_000, 5_000_000)
    assert (d.amount_cents, d.balance_after_cents) == (-1_250_050, 3_749_950)
    assert d.case_reference == victim_case.reference  # normalised to the stored form
    assert _balance(officer) == 3_749_950
    assert FundLedger.objects.get().balance_cents == 3_749_950
    assert [e.reference for e in LedgerEntry.objects.order_by("number")] == ["TF-000001", "TF-000002"]


def test_every_write_is_audited_with_a_catalogue_name(officer, victim_case):
    r = receive(officer, 100_00)
    d = disburse(officer, 50_00, victim_case.reference)
    services.entry_reverse(actor=officer, entry=d, reason="wrong_amount")
    events = list(AuditEvent.objects.filter(target_type="trustfund.entry").order_by("id"))
    assert [e.action for e in events] == ["trustfund.receipt", "trustfund.disbursement", "trustfund.reversal"]
    assert events[0].target_id == str(r.public_id) and events[0].changes["amount_cents"] == 10_000
    assert events[1].changes["case_reference"] == victim_case.reference
    assert events[2].changes["reverses"] == d.reference


def test_forfeiture_needs_court_case_and_order(officer):
    with pytest.raises(ValidationFailed) as exc:
        receive(officer, 100, source="forfeiture")
    assert set(exc.value.fields) == {"court_case_number", "order_reference"}
    assert not LedgerEntry.objects.exists()


def test_forfeiture_links_the_charge_sheet_with_that_court_case_number(officer, users):
    from ctip.justice.models import ChargeSheet, CourtStation
    from ctip.justice.tests.conftest import open_file

    investigation = open_file(users[Role.INVESTIGATOR])
    sheet = ChargeSheet.objects.create(
        investigation=investigation,
        prosecution_agency=investigation.owning_agency,
        court=CourtStation.objects.filter(name__startswith="Milimani").order_by("id").first(),
        court_case_number="MCCR/E123/2026",
        charged_on=DAY,
    )
    linked = receive(
        officer, 2_000_000, source="forfeiture", court_case_number="mccr/e123/2026", order_reference="FO 7/2026"
    )
    unlinked = receive(
        officer, 1_000_000, source="forfeiture", court_case_number="HCCR/9/2025", order_reference="FO 8/2026"
    )
    assert linked.charge_sheet_id == sheet.id and unlinked.charge_sheet_id is None
    government = receive(officer, 100, court_case_number="MCCR/E123/2026", order_reference="x")
    assert government.court_case_number == "" and government.charge_sheet_id is None


@pytest.mark.parametrize("cents", [0, -1, 10**15 + 1])
def test_amount_outside_the_range_is_refused(officer, cents):
    with pytest.raises(ValidationFailed) as exc:
        receive(officer, cents)
    assert "amount" in exc.value.fields


def test_future_dates_are_refused(officer, victim_case):
    tomorrow = timezone.localdate() + timedelta(days=1)
    receive(officer, 100_00)
    with pytest.raises(ValidationFailed) as exc:
        receive(officer, 100, day=tomorrow)
    assert "entry_date" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        disburse(officer, 100, victim_case.reference, approval_date=DAY + timedelta(days=1))
    assert "approval_date" in exc.value.fields  # approved after it was paid


def test_disbursement_needs_a_victim_case_by_number(officer, victim_case, undecided_case):
    receive(officer, 100_00)
    for reference in ("", "VC-0000-000000", undecided_case.reference):
        with pytest.raises(ValidationFailed) as exc:
            disburse(officer, 100, reference)
        assert list(exc.value.fields) == ["case_reference"]
        # the message never says more than "no victim case": not whether a case exists without a decision
        assert "No victim case has this number" in exc.value.fields["case_reference"][0]
    assert LedgerEntry.objects.count() == 1


def test_disbursement_above_the_balance_is_refused_with_the_balance(officer, victim_case):
    receive(officer, 100_000)
    with pytest.raises(ValidationFailed) as exc:
        disburse(officer, 100_001, victim_case.reference)
    assert exc.value.fields["amount"] == [
        "The fund holds KSh 1,000.00: a disbursement of KSh 1,000.01 would overdraw it."
    ]
    disburse(officer, 100_000, victim_case.reference)  # the whole balance is allowed
    assert _balance(officer) == 0
    with pytest.raises(ValidationFailed):
        disburse(officer, 1, victim_case.reference)
    assert LedgerEntry.objects.count() == 2


def test_reversal_once_and_never_of_a_reversal(officer, victim_case):
    receive(officer, 100_000)
    d = disburse(officer, 40_000, victim_case.reference, purpose="education")
    reversal = services.entry_reverse(actor=officer, entry=d, reason="wrong_case")
    assert (reversal.amount_cents, reversal.reverses_id, reversal.purpose) == (40_000, d.id, "education")
    assert _balance(officer) == 100_000
    with pytest.raises(Conflict) as exc:
        services.entry_reverse(actor=officer, entry=d, reason="duplicate")
    assert "already reversed by entry TF-000003" in exc.value.message
    with pytest.raises(InvalidTransition):
        services.entry_reverse(actor=officer, entry=reversal, reason="entered_in_error")
    assert LedgerEntry.objects.count() == 3


def test_reversing_a_receipt_cannot_overdraw(officer, victim_case):
    r = receive(officer, 100_000)
    disburse(officer, 60_000, victim_case.reference)
    with pytest.raises(ValidationFailed) as exc:
        services.entry_reverse(actor=officer, entry=r, reason="entered_in_error")
    assert "would overdraw" in exc.value.message
    with pytest.raises(ValidationFailed):
        services.entry_reverse(actor=officer, entry=r, reason="not-a-reason")


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.AUDITOR, Role.CASE_WORKER, Role.SYSADMIN])
def test_only_the_fund_officer_records(users, role, victim_case):
    with pytest.raises(PermissionDenied):
        receive(users[role], 100)
    assert not LedgerEntry.objects.exists()


def test_entries_are_never_edited_or_deleted(officer):
    entry = receive(officer, 100_00)
    entry.amount_cents = 1
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount_cents=1)
    with pytest.raises(PermissionError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    # the database refuses too (triggers, migration 0002), whatever code runs
    for sql in (
        "UPDATE trustfund_ledgerentry SET amount_cents = 1 WHERE id = %s",
        "DELETE FROM trustfund_ledgerentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    entry.refresh_from_db()
    assert entry.amount_cents == 100_00


def test_reconcile_agrees_and_finds_a_tampered_head(officer, victim_case):
    receive(officer, 100_000)
    disburse(officer, 30_000, victim_case.reference)
    out = StringIO()
    call_command("trustfund_reconcile", stdout=out)
    assert "reconciles" in out.getvalue()
    assert selectors.reconcile().ok
    FundLedger.objects.filter(pk=1).update(balance_cents=80_000)
    err = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("trustfund_reconcile", stdout=StringIO(), stderr=err)
    assert exc.value.returncode == 1
    assert "is not the sum of the entries (KSh 700.00)" in err.getvalue()
    assert AuditEvent.objects.filter(action="trustfund.reconcile").count() == 2


def test_reconcile_on_an_empty_ledger():
    assert selectors.reconcile().ok


def test_reconcile_finds_an_entry_altered_behind_the_triggers(officer, victim_case):
    """Someone with the database owner's rights lifts the trigger and alters an entry: the running balances no
    longer add up, and the reconciliation names the entry (the test's transaction puts everything back)."""
    receive(officer, 100_000)
    paid = disburse(officer, 30_000, victim_case.reference)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending before the ALTER
            cursor.execute("ALTER TABLE trustfund_ledgerentry DISABLE TRIGGER trustfund_entry_no_update_delete")
        else:
            cursor.execute("DROP TRIGGER trustfund_entry_no_update")
        cursor.execute("UPDATE trustfund_ledgerentry SET amount_cents = -20000 WHERE id = %s", [paid.pk])
    result = selectors.reconcile()
    assert not result.ok and result.bad_running == [2]
    assert any("TF-000002" in p for p in result.problems())
    assert any("is not the sum of the entries" in p for p in result.problems())
