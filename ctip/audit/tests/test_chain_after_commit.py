"""Chaining after commit (ADR 0010): `audit_record` writes one sealed row in the caller's transaction, and
`chain_pending` gives committed rows their place in the chain right after the commit, in insertion order.

The tests run inside a transaction that never commits (pytest-django), so they call `chain_pending` where a real
commit would; `django_capture_on_commit_callbacks` shows what a commit runs.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from ctip.audit import chain
from ctip.audit.models import AuditChainHead, AuditEvent
from ctip.audit.services import audit_record, chain_after_commit, chain_pending, verify_chain

from .conftest import drop_append_only_triggers, raw

pytestmark = pytest.mark.django_db


def _record(n: int, **kwargs) -> AuditEvent:
    return audit_record(actor="test", action="case.update", target_type="test", target_id=f"t{n}", **kwargs)


def _pending() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__isnull=True).order_by("id"))


def _chained() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__isnull=False).order_by("seq"))


# --- the append ------------------------------------------------------------------------------------------------


def test_an_append_is_one_insert_and_takes_no_lock():
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        event = _record(1)
    sql = [q["sql"] for q in ctx.captured_queries]
    assert len(sql) == 1 and sql[0].upper().startswith("INSERT INTO")
    assert "audit_auditchainhead" not in " ".join(sql)
    # sealed, with no place in the chain yet
    assert (event.seq, event.prev_hash, event.hash) == (None, None, None)
    assert len(event.nonce) == 32 and event.mac == chain.compute_mac(event)


def test_seals_differ_for_identical_content():
    first, second = _record(1), _record(1)
    assert first.nonce != second.nonce and first.mac != second.mac


def test_a_transaction_registers_one_chaining_step_however_many_events(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for n in range(3):
            _record(n)
        assert len(_pending()) == 3  # nothing chained before the commit
    assert callbacks.count(chain_after_commit) == 1
    assert _pending() == [] and [e.target_id for e in _chained()][-3:] == ["t0", "t1", "t2"]


def test_a_rolled_back_transaction_leaves_no_row_and_no_chaining(django_capture_on_commit_callbacks):
    chain_pending()
    before, head = AuditEvent.objects.count(), AuditChainHead.objects.get(id=1)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _record(1)
        raise RuntimeError("the request fails after its audited read")
    assert callbacks == []
    assert AuditEvent.objects.count() == before
    assert (AuditChainHead.objects.get(id=1).seq, AuditChainHead.objects.get(id=1).hash) == (head.seq, head.hash)


def test_a_rolled_back_savepoint_drops_its_event_and_keeps_the_outer_ones(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        _record(1)
        with pytest.raises(RuntimeError), transaction.atomic():
            _record(2)
            raise RuntimeError
        _record(3)
    assert callbacks.count(chain_after_commit) == 1
    assert [e.target_id for e in _chained()][-2:] == ["t1", "t3"]
    assert not AuditEvent.objects.filter(target_id="t2").exists()


def test_a_failed_chaining_loses_nothing_and_the_next_one_catches_up(monkeypatch):
    _record(1)

    def database_gone(**kwargs):
        raise DatabaseError("connection lost")

    monkeypatch.setattr("ctip.audit.services.chain_pending", database_gone)
    chain_after_commit()  # what the commit runs: logs, does not raise into the finished request
    monkeypatch.undo()
    assert [e.target_id for e in _pending()] == ["t1"]
    _record(2)
    assert chain_pending() == 2
    assert verify_chain(chain_first=False)[0]


# --- the chaining step -----------------------------------------------------------------------------------------


def test_chaining_follows_insertion_order_and_links_each_event_to_the_previous():
    chain_pending()
    head = AuditChainHead.objects.get(id=1)
    events = [_record(n) for n in range(5)]
    assert chain_pending() == 5
    assert chain_pending() == 0
    chained = _chained()[-5:]
    assert [e.pk for e in chained] == [e.pk for e in events]
    assert [e.seq for e in chained] == list(range(head.seq + 1, head.seq + 6))
    assert chained[0].prev_hash == head.hash
    for before, after in zip(chained, chained[1:], strict=False):
        assert after.prev_hash == before.hash
    assert all(chain.compute_hash(e) == e.hash for e in chained)
    head.refresh_from_db()
    assert (head.seq, head.hash) == (chained[-1].seq, chained[-1].hash)
    assert verify_chain(chain_first=False) == (True, None, "", head.seq)


def test_chaining_in_batches_gives_the_same_chain():
    for n in range(7):
        _record(n)
    assert chain_pending(batch=3) == 7
    assert _pending() == []
    assert verify_chain(chain_first=False)[0]


def test_chaining_holds_the_head_for_a_constant_number_of_statements():
    """The head is locked for: lock it, read the pending events, one UPDATE of them all, move the head."""
    chain_pending()

    def statements(n: int) -> list[str]:
        for i in range(n):
            _record(i)
        with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
            assert chain_pending() == n
        return [q["sql"] for q in ctx.captured_queries if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE"))]

    one, forty = statements(1), statements(40)
    assert len(one) == len(forty) == 4
    assert "FOR UPDATE" in forty[0] or connection.vendor == "sqlite"  # SQLite: the IMMEDIATE transaction locks


def test_the_sweep_command_chains_what_is_waiting():
    _record(1)
    _record(2)
    out = StringIO()
    call_command("audit_chain", stdout=out)
    assert "Chained 2 waiting audit event(s)." in out.getvalue()
    assert _pending() == []


def test_verify_and_anchor_chain_first():
    _record(1)
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "Audit chain intact" in out.getvalue() and _pending() == []
    _record(2)
    call_command("audit_anchor", stdout=StringIO())
    assert _pending() == []


def test_events_written_before_the_seal_still_verify():
    """Events chained at insert before ADR 0010 have no nonce or mac: their hash covers what it always did."""
    chain_pending()
    head = AuditChainHead.objects.get(id=1)
    legacy = AuditEvent(seq=head.seq + 1, action="case.update", actor_label="old", prev_hash=head.hash)
    legacy.hash = chain.compute_hash(legacy)
    legacy.save(force_insert=True)
    raw("UPDATE audit_auditchainhead SET seq = %s, hash = %s WHERE id = 1", [legacy.seq, legacy.hash])
    assert "mac" not in chain.event_fields(legacy)
    _record(1)
    assert verify_chain() == (True, None, "", legacy.seq + 1)


# --- the database triggers: the chain columns are set once, nothing else changes --------------------------------


def test_triggers_let_the_chain_columns_be_set_once_only():
    event = _record(1)
    chain_pending()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("UPDATE audit_auditevent SET seq = seq + 1000 WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("UPDATE audit_auditevent SET hash = %s WHERE id = %s", ["f" * 64, event.pk])


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET reason = 'covered up' WHERE id = %s",
        "UPDATE audit_auditevent SET seq = 999999, prev_hash = 'x', hash = 'y', reason = 'covered up' WHERE id = %s",
        "UPDATE audit_auditevent SET seq = 999999, prev_hash = 'x', hash = 'y', mac = '' WHERE id = %s",
        "UPDATE audit_auditevent SET seq = 999999 WHERE id = %s",  # all three or none
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_triggers_refuse_any_other_change_to_a_waiting_event(sql):
    event = _record(1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(sql, [event.pk])
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.seq, stored.reason, stored.mac) == (None, "", event.mac)


# --- tampering with an event before it is chained ------------------------------------------------------------


def test_an_altered_waiting_event_is_found_before_chaining():
    event = _record(1)
    drop_append_only_triggers()
    raw("UPDATE audit_auditevent SET target_id = %s WHERE id = %s", ["someone-else", event.pk])
    ok, seq, problem, _ = verify_chain(chain_first=False)
    assert (ok, seq) == (False, None)
    assert problem == f"an event waiting to be chained (id {event.pk}) was altered"


def test_an_altered_waiting_event_is_found_once_chained():
    chain_pending()
    event = _record(1)
    drop_append_only_triggers()
    raw("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["covered up", event.pk])
    ok, seq, problem, _ = verify_chain()  # chains it, then checks its seal
    assert (ok, problem) == (False, "content was altered")
    assert seq == AuditEvent.objects.get(pk=event.pk).seq


def test_a_waiting_event_stripped_of_its_seal_is_found():
    """Stripped, it would pass for an event written before ADR 0010, but those all come before the sealed ones."""
    _record(0)
    chain_pending()
    event = _record(1)
    drop_append_only_triggers()
    raw("UPDATE audit_auditevent SET mac = '', nonce = NULL, action = 'forged' WHERE id = %s", [event.pk])
    assert verify_chain(chain_first=False)[:2] == (False, None)
    assert verify_chain()[:3] == (False, AuditEvent.objects.get(pk=event.pk).seq, "content was altered")
