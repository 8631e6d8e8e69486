"""Anchors (`audit_anchor`, `audit_verify --anchor`): a truncated tail with a rewound head is found."""

from __future__ import annotations

import base64
import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ctip.audit import chain
from ctip.audit.anchor import FORMAT, AnchorError, _signature, anchor_check, anchor_dumps, anchor_loads, anchor_make
from ctip.audit.models import AuditChainHead, AuditEvent
from ctip.audit.services import audit_record, chain_pending

from .conftest import drop_append_only_triggers, raw

pytestmark = pytest.mark.django_db

FIXED = dt.datetime(2026, 1, 31, 23, 59, 30, tzinfo=dt.UTC)


@pytest.fixture
def trail(users):
    for n in range(5):
        audit_record(actor=users["case_worker"], action="case.update", target_type="test", target_id=f"t{n}")
    chain_pending()  # what the commit of a real transaction does (ADR 0010)
    return list(AuditEvent.objects.order_by("seq"))


def anchor_file(tmp_path, name="anchor.json") -> str:
    out = StringIO()
    path = tmp_path / name
    call_command("audit_anchor", "--output", str(path), stdout=out)
    assert "Anchored event" in out.getvalue()
    return str(path)


def verify(*anchors) -> str:
    out = StringIO()
    args = [arg for path in anchors for arg in ("--anchor", path)]
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def verify_fails(*anchors) -> str:
    with pytest.raises(CommandError) as info:
        verify(*anchors)
    assert info.value.returncode == 1
    return str(info.value)


def truncate_tail_and_rewind_head(keep_to: int) -> None:
    """What someone with database owner rights can do: delete the last events, point the head at the last kept."""
    kept = AuditEvent.objects.get(seq=keep_to)
    drop_append_only_triggers()
    raw("DELETE FROM audit_auditevent WHERE seq > %s", [keep_to])
    raw("UPDATE audit_auditchainhead SET seq = %s, hash = %s WHERE id = 1", [keep_to, kept.hash])


# --- the anchor itself -------------------------------------------------------------------------------------


def test_anchor_holds_the_signed_head(trail):
    anchor = anchor_make(now=FIXED)
    head = AuditChainHead.objects.get(id=1)
    assert anchor == {
        "format": FORMAT,
        "seq": head.seq,
        "hash": head.hash,
        "time": "2026-01-31T23:59:30+00:00",
        "signature": anchor["signature"],
    }
    assert len(anchor["signature"]) == 64
    assert anchor_loads(anchor_dumps(anchor)) == anchor


def test_anchor_command_writes_a_new_file_and_never_overwrites(trail, tmp_path):
    path = anchor_file(tmp_path)
    anchor = json.loads((tmp_path / "anchor.json").read_text())
    assert anchor["seq"] == AuditChainHead.objects.get(id=1).seq
    with pytest.raises(CommandError, match="already exists"):
        call_command("audit_anchor", "--output", path, stdout=StringIO())
    out = StringIO()
    call_command("audit_anchor", stdout=out)
    assert json.loads(out.getvalue())["hash"] == anchor["hash"]


def test_anchor_refuses_a_head_its_event_contradicts(trail):
    drop_append_only_triggers()
    raw("UPDATE audit_auditchainhead SET hash = %s WHERE id = 1", ["f" * 64])
    with pytest.raises(AnchorError, match="does not match"):
        anchor_make()


# --- verifying against anchors -------------------------------------------------------------------------------


def test_intact_chain_reaches_its_anchor_and_later_events_do_not_matter(trail, tmp_path, users):
    path = anchor_file(tmp_path)
    audit_record(actor=users["case_worker"], action="case.update")
    output = verify(path)
    assert "Audit chain intact" in output
    assert f"Reaches the anchor {path}: event {trail[-1].seq}" in output


def test_truncated_tail_with_rewound_head_passes_without_anchor_and_fails_with_it(trail, tmp_path):
    # given an anchor of the head, then the last two events deleted and the head rewound to the one before
    path = anchor_file(tmp_path)
    last = trail[-1].seq
    truncate_tail_and_rewind_head(last - 2)
    # then the chain alone looks intact (the residual risk: what happened after the newest anchor) ...
    assert f"Audit chain intact: {last - 2} events" in verify()
    # ... but it no longer reaches the anchor
    error = verify_fails(path)
    assert "TRUNCATED" in error
    assert f"the anchor holds event {last}, the head is at event {last - 2}" in error


def test_the_newest_of_several_anchors_catches_the_truncation(trail, tmp_path, users):
    old = anchor_file(tmp_path, "old.json")
    audit_record(actor=users["case_worker"], action="case.update")
    new = anchor_file(tmp_path, "new.json")
    truncate_tail_and_rewind_head(trail[-1].seq)
    assert "Reaches the anchor" in verify(old)
    assert f"anchor {new}" in verify_fails(old, new)


def test_rewritten_history_with_the_key_fails_on_the_anchored_hash(trail, tmp_path):
    # given an anchor whose event was since replaced by a validly re-hashed one (the audit key leaked)
    path = anchor_file(tmp_path)
    target = trail[-1]
    drop_append_only_triggers()
    raw("UPDATE audit_auditevent SET reason = %s WHERE seq = %s", ["rewritten", target.seq])
    rewritten = AuditEvent.objects.get(seq=target.seq)
    rewritten.mac = chain.compute_mac(rewritten)  # the key leaked: the seal is re-made too
    raw("UPDATE audit_auditevent SET mac = %s WHERE seq = %s", [rewritten.mac, target.seq])
    new_hash = chain.compute_hash(rewritten)
    raw("UPDATE audit_auditevent SET hash = %s WHERE seq = %s", [new_hash, target.seq])
    raw("UPDATE audit_auditchainhead SET hash = %s WHERE id = 1", [new_hash])
    assert "intact" in verify()
    assert f"event {target.seq}'s hash differs from the anchor" in verify_fails(path)


def test_missing_anchored_event_is_named(trail):
    anchor = anchor_make(now=FIXED)
    drop_append_only_triggers()
    raw("DELETE FROM audit_auditevent WHERE seq = %s", [anchor["seq"]])
    with pytest.raises(AnchorError, match=f"event {anchor['seq']} is missing"):
        anchor_check(anchor)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"seq": 1}, "signature is wrong"),
        ({"hash": "0" * 64}, "signature is wrong"),
        ({"time": "2030-01-01T00:00:00+00:00"}, "signature is wrong"),
        ({"signature": "0" * 64}, "signature is wrong"),
        ({"format": "other"}, "not a CTIP audit anchor"),
        ({"seq": "7"}, "no valid sequence"),
        ({"signature": None}, "no time or signature"),
    ],
)
def test_altered_anchor_file_is_rejected(trail, tmp_path, change, message):
    path = tmp_path / "anchor.json"
    path.write_text(json.dumps({**anchor_make(now=FIXED), **change}))
    error = verify_fails(str(path))
    assert "REJECTED" in error and message in error


def test_anchor_signed_with_another_key_is_rejected(trail, tmp_path, settings):
    path = anchor_file(tmp_path)
    settings.CTIP_AUDIT_KEY = base64.b64encode(b"k" * 32).decode()
    with pytest.raises(AnchorError, match="another audit key"):
        anchor_loads((tmp_path / "anchor.json").read_text())
    assert "REJECTED" in verify_fails(path)


def test_unreadable_or_foreign_files_are_refused(tmp_path, db):
    assert "Cannot read the anchor" in verify_fails(str(tmp_path / "missing.json"))
    not_json = tmp_path / "x.json"
    not_json.write_text("seq=5")
    assert "not JSON" in verify_fails(str(not_json))


def test_anchor_of_an_empty_chain(db):
    anchor = anchor_make(now=FIXED)
    assert (anchor["seq"], anchor["hash"]) == (0, chain.GENESIS)
    anchor_check(anchor)
    forged = {**anchor, "hash": "1" * 64}
    forged["signature"] = _signature(forged)
    with pytest.raises(AnchorError, match="wrong hash"):
        anchor_check(forged)
