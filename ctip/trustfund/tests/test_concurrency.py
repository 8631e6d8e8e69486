"""Concurrent disbursements never overdraw the fund (PostgreSQL: SQLite runs one writer at a time by design).

Every write locks the ledger head row first (services.lock_head, SELECT ... FOR UPDATE), so a second disbursement
waits for the first to commit and is then checked against the balance the first left. Real commits: a
transactional module, with the audit table's append-only triggers lifted just before each flush, as in
ctip/audit/tests/test_chain_concurrency.py. The victim-case check is not what is tested here, so it is stubbed."""

from __future__ import annotations

import importlib
import threading
import time
from datetime import date

import pytest
from django.conf import settings
from django.db import connection, connections, transaction

from ctip.accounts.enums import Role
from ctip.core.errors import ValidationFailed
from ctip.trustfund import selectors, services
from ctip.trustfund.models import FundLedger, LedgerEntry

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="concurrent writers need PostgreSQL (SQLite runs one writer at a time by design)",
    ),
]
DAY = date(2026, 3, 2)


def _audit_triggers(*, enabled: bool) -> None:
    migration = importlib.import_module("ctip.audit.migrations.0003_chain_after_commit")
    with connection.schema_editor() as editor:
        migration.drop_triggers(None, editor)
        if enabled:
            migration.create_new_triggers(None, editor)


@pytest.fixture(autouse=True, scope="module")
def _audit_triggers_restored(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            _audit_triggers(enabled=True)


@pytest.fixture(autouse=True)
def _audit_flushable(transactional_db, _audit_triggers_restored):
    _audit_triggers(enabled=True)
    yield
    _audit_triggers(enabled=False)


@pytest.fixture
def officer(monkeypatch):
    from ctip.accounts.models import User

    monkeypatch.setattr(services, "victim_case_exists", lambda reference: True)
    return User.objects.create_user(username="tf-officer", password="x", role=Role.TRUST_FUND_OFFICER)


def _disburse(officer, cents):
    return services.disbursement_record(
        actor=officer,
        data=services.DisbursementInput(
            entry_date=DAY,
            amount_cents=cents,
            purpose="medical",
            case_reference="CT-2026-000001",
            approval_reference="NATF/BOT/1",
            approval_date=DAY,
        ),
    )


def _in_thread(target, *args) -> threading.Thread:
    def run():
        try:
            thread.result = target(*args)
        except BaseException as exc:  # noqa: BLE001 - looked at in the test thread
            thread.error = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.result = thread.error = None
    thread.start()
    return thread


def _waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_a_second_disbursement_waits_for_the_first_and_sees_its_balance(officer):
    services.receipt_record(
        actor=officer, data=services.ReceiptInput(entry_date=DAY, amount_cents=100_00, source="government")
    )
    written, release = threading.Event(), threading.Event()

    def first():
        with transaction.atomic():  # holds the head's lock until released
            entry = _disburse(officer, 70_00)
            written.set()
            release.wait(timeout=30)
        return entry

    a = _in_thread(first)
    assert written.wait(timeout=30)
    b = _in_thread(_disburse, officer, 70_00)
    deadline = time.monotonic() + 30
    while _waiting_on_a_lock() < 1 and time.monotonic() < deadline:  # b is blocked on the head row
        time.sleep(0.02)
    assert _waiting_on_a_lock() == 1
    release.set()
    a.join(timeout=30)
    b.join(timeout=30)
    assert a.error is None and a.result is not None
    assert isinstance(b.error, ValidationFailed)
    assert "would overdraw it" in b.error.fields["amount"][0]
    assert FundLedger.objects.get().balance_cents == 30_00 == selectors.ledger_sum()


def test_many_concurrent_disbursements_never_overdraw(officer):
    services.receipt_record(
        actor=officer, data=services.ReceiptInput(entry_date=DAY, amount_cents=100_00, source="donation")
    )
    n = 8
    barrier = threading.Barrier(n)

    def worker():
        barrier.wait(timeout=30)
        return _disburse(officer, 30_00)

    threads = [_in_thread(worker) for _ in range(n)]
    for t in threads:
        t.join(timeout=60)
    succeeded = [t for t in threads if t.error is None]
    refused = [t for t in threads if isinstance(t.error, ValidationFailed)]
    assert (len(succeeded), len(refused)) == (3, n - 3)
    assert selectors.ledger_sum() == 10_00 == FundLedger.objects.get().balance_cents
    assert sorted(LedgerEntry.objects.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert selectors.reconcile().ok
