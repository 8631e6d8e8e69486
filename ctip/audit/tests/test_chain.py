"""The hash chain and `audit_verify`: intact chains pass; altered, forged or deleted rows are found and named."""

from __future__ import annotations

import base64
import hashlib
import hmac
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction

from ctip.audit import chain
from ctip.audit.models import AuditChainHead, AuditEvent
from ctip.audit.services import audit_record, chain_pending, verify_chain

from .conftest import drop_append_only_triggers, raw

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(users):
    """A chain of events: the fixtures' own (agencies, users) plus a few more. Returns the events by seq."""
    for n in range(5):
        audit_record(actor=users["case_worker"], action="case.update", target_type="test", target_id=f"t{n}")
    chain_pending()  # what the commit of a real transaction does (ADR 0010)
    return list(AuditEvent.objects.order_by("seq"))


def verify() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def verify_fails() -> CommandError:
    with pytest.raises(CommandError) as info:
        verify()
    assert info.value.returncode == 1  # manage.py exits non-zero
    return info.value


def test_intact_chain_verifies(trail):
    # when
    output = verify()
    # then every event is checked, and the head hash is printed for off-site recording
    head = AuditChainHead.objects.get(id=1)
    assert f"Audit chain intact: {len(trail)} events" in output
    assert head.hash in output
    assert head.seq == trail[-1].seq == len(trail)


def test_events_link_each_to_the_previous(trail):
    assert trail[0].seq == 1
    assert trail[0].prev_hash == chain.GENESIS
    for before, after in zip(trail, trail[1:], strict=False):
        assert after.seq == before.seq + 1
        assert after.prev_hash == before.hash
    for event in trail:
        assert chain.compute_hash(event) == event.hash


def test_verify_walks_in_batches(trail):
    assert verify_chain(batch=2) == (True, None, "", len(trail))


def test_empty_trail_verifies(db):
    assert verify_chain() == (True, None, "", 0)
    assert "intact: 0 events" in verify()


# --- the application refuses to change the trail ------------------------------------------------------


def test_the_orm_refuses_updates_and_deletes(trail):
    event = trail[-2]
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionError):
        event.delete()
    event.action = "x"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        AuditEvent(seq=999, action="x", prev_hash="0", hash="1").save()  # only audit_record may insert
    assert AuditEvent.objects.get(pk=event.pk).action == "case.update"
    verify()


# --- tampering below the application --------------------------------------------------------------------


def test_altered_row_is_found_and_named(trail):
    # given someone with database rights drops the triggers and rewrites one event
    target = trail[len(trail) // 2]
    drop_append_only_triggers()
    raw("UPDATE audit_auditevent SET action = %s WHERE seq = %s", ["harmless.action", target.seq])
    # then
    error = verify_fails()
    assert f"BROKEN at event {target.seq}: content was altered" in str(error)
    assert f"({target.seq - 1} events verified before it)" in str(error)


@pytest.mark.parametrize(
    ("column", "value"),
    [("reason", "covered up"), ("target_id", "someone-else"), ("actor_label", "innocent"), ("ip", "10.0.0.9")],
)
def test_any_altered_field_breaks_the_chain(trail, column, value):
    target = trail[-2]
    drop_append_only_triggers()
    raw(f"UPDATE audit_auditevent SET {column} = %s WHERE seq = %s", [value, target.seq])
    assert f"BROKEN at event {target.seq}" in str(verify_fails())


def test_altered_changes_json_breaks_the_chain(trail):
    target = trail[-1]
    drop_append_only_triggers()
    raw("UPDATE audit_auditevent SET changes = %s WHERE seq = %s", ['{"forged": true}', target.seq])
    assert f"BROKEN at event {target.seq}: content was altered" in str(verify_fails())


def test_forged_hash_without_the_key_is_found(trail):
    # given the attacker recomputes the altered row's hash, but with a key of their own
    target = trail[3]
    drop_append_only_triggers()
    raw("UPDATE audit_auditevent SET action = %s WHERE seq = %s", ["forged", target.seq])
    forged = AuditEvent.objects.get(seq=target.seq)
    fields = chain.canonical(chain.event_fields(forged))
    bad_hash = hmac.new(base64.b64decode(base64.b64encode(b"x" * 32)), fields, hashlib.sha256).hexdigest()
    raw("UPDATE audit_auditevent SET hash = %s WHERE seq = %s", [bad_hash, target.seq])
    # then
    assert f"BROKEN at event {target.seq}: content was altered" in str(verify_fails())


def test_rehashing_one_row_breaks_the_link_to_the_next(trail):
    # given even a correctly re-hashed row (as if the key had leaked) ...
    target = trail[3]
    drop_append_only_triggers()
    raw("UPDATE audit_auditevent SET action = %s WHERE seq = %s", ["rewritten", target.seq])
    rewritten = AuditEvent.objects.get(seq=target.seq)
    rewritten.mac = chain.compute_mac(rewritten)  # the seal is re-made too
    raw("UPDATE audit_auditevent SET mac = %s WHERE seq = %s", [rewritten.mac, target.seq])
    raw("UPDATE audit_auditevent SET hash = %s WHERE seq = %s", [chain.compute_hash(rewritten), target.seq])
    # ... the next event still points at the old hash
    assert f"BROKEN at event {target.seq + 1}: link to the previous event is broken" in str(verify_fails())


def test_deleted_row_is_found_and_named(trail):
    target = trail[len(trail) // 2]
    drop_append_only_triggers()
    raw("DELETE FROM audit_auditevent WHERE seq = %s", [target.seq])
    assert f"BROKEN at event {target.seq}: event {target.seq} is missing" in str(verify_fails())


def test_deleted_last_rows_are_found_through_the_head(trail):
    last = trail[-1]
    drop_append_only_triggers()
    raw("DELETE FROM audit_auditevent WHERE seq >= %s", [last.seq - 1])
    error = str(verify_fails())
    assert f"BROKEN at event {last.seq - 1}" in error
    assert f"head says {last.seq}" in error


def test_deleted_first_row_is_found(trail):
    drop_append_only_triggers()
    raw("DELETE FROM audit_auditevent WHERE seq = 1")
    assert "BROKEN at event 1: event 1 is missing" in str(verify_fails())


# Placed after the tamper tests: it also shows that dropping the triggers in a test was rolled back.
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'x' WHERE seq = 2",
        "UPDATE audit_auditevent SET reason = 'x'",
        "DELETE FROM audit_auditevent WHERE seq = 2",
        "DELETE FROM audit_auditevent",
    ],
)
def test_database_triggers_refuse_updates_and_deletes(trail, sql):
    before = [(e.seq, e.action, e.reason, e.hash) for e in AuditEvent.objects.order_by("seq")]
    # when
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(sql)
    # then nothing changed
    assert [(e.seq, e.action, e.reason, e.hash) for e in AuditEvent.objects.order_by("seq")] == before
    verify()
