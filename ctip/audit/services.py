"""Writing the audit trail. Call inside the service's own transaction so the event commits with the change.

`audit_record` writes a sealed event (one INSERT, no lock); `chain_pending` chains committed events right after the
commit, holding the chain head for a few statements (ADR 0010). `verify_chain` checks the whole trail.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
from collections.abc import Iterable

from django.db import DatabaseError, IntegrityError, models, transaction
from django.utils import timezone

from ctip.core import context

from . import catalogue, chain
from .models import AuditChainHead, AuditEvent

log = logging.getLogger(__name__)

MASK = "***"

# Field names whose values never enter the audit trail in clear (only the fact that they changed).
IDENTITY_FIELDS = frozenset(
    {
        "given_names",
        "family_name",
        "other_names",
        "names",
        "aliases",
        "date_of_birth",
        "dob",
        "sex",
        "gender",
        "citizenships",
        "national_id",
        "passport",
        "phone",
        "phones",
        "email",
        "emails",
        "address",
        "addresses",
        "photo",
        "identifiers",
        "value",
        "full_name",
        "password",
        "otp",
        "token",
        "secret",
    }
)


def mask_changes(changes: dict | None, *, extra: Iterable[str] = ()) -> dict:
    """Replace values of identity fields by a mask, keeping which fields changed."""
    if not changes:
        return {}
    masked_names = IDENTITY_FIELDS | set(extra)
    out: dict[str, object] = {}
    for key, value in changes.items():
        if key in masked_names:
            out[key] = MASK
        elif isinstance(value, dict):
            out[key] = mask_changes(value, extra=extra)
        elif isinstance(value, list | tuple):
            # Lists of records (e.g. several persons) are masked item by item, like a nested dict.
            out[key] = [mask_changes(v, extra=extra) if isinstance(v, dict) else v for v in value]
        else:
            out[key] = value
    return json.loads(json.dumps(out, default=str))


def audit_record(
    *,
    actor,  # a user (signed in or not), a name (str: a command, "public") or None; audit cannot import accounts
    action: str,
    target_type: str = "",
    target_id: object = "",
    changes: dict | None = None,
    reason: str = "",
    agency_id: int | None = None,
    mask: Iterable[str] = (),
) -> AuditEvent:
    """Write one sealed event in the caller's transaction (autocommit when there is none): one INSERT, no lock.

    The event commits or rolls back with the caller's change. Right after the commit, `chain_pending` gives it
    its place in the hash chain (ADR 0010); until then its `seq`, `prev_hash` and `hash` are empty and its `mac`
    guards its content. `action` must be a name of the catalogue (ctip/audit/catalogue.py, declared in
    ctip/<app>/events.py): an unknown name raises `UnknownAuditEvent` before anything is written, so the caller's
    transaction rolls back.
    """
    catalogue.require(action)
    action = str(action)
    ctx = context.current()
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=actor_obj,
        actor_label=(actor_obj.get_username() if actor_obj else (str(actor) if isinstance(actor, str) else "")),
        agency_id=agency_id if agency_id is not None else getattr(actor_obj, "agency_id", None),
        action=action,
        target_type=target_type,
        target_id=str(target_id) if target_id else "",
        ip=ctx.ip if ctx else None,
        channel=ctx.channel if ctx else "cli",
        request_id=ctx.request_id if ctx else "",
        changes=mask_changes(changes, extra=mask),
        reason=reason or "",
        nonce=secrets.token_hex(16),
    )
    event.mac = chain.compute_mac(event)
    event.save(force_insert=True)
    _chain_after_commit()
    return event


def _chain_after_commit() -> None:
    """Chain once after the outermost commit, however many events the transaction wrote (immediately when there
    is no transaction). A rolled-back savepoint drops its callback with its events."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(func is chain_after_commit for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(chain_after_commit, robust=True)


def chain_after_commit() -> None:
    """The on-commit step of `audit_record`. A failure here loses nothing: the events are committed and sealed,
    and the next chaining (any later audited request, `manage.py audit_chain`, `audit_verify`) takes them."""
    try:
        chain_pending()
    except DatabaseError:
        log.warning("audit events left for the next chaining step", exc_info=True)


def _lock_head() -> AuditChainHead:
    """Lock the chain head for the rest of the (short) chaining transaction: a row lock on PostgreSQL; on SQLite
    the transaction itself holds the write lock from its start (`transaction_mode` IMMEDIATE, settings)."""
    head = AuditChainHead.objects.select_for_update().filter(id=1).first()
    if head is None:
        try:
            with transaction.atomic():
                AuditChainHead.objects.create(id=1)
        except IntegrityError:
            pass  # created by a concurrent first chaining: lock that one
        head = AuditChainHead.objects.select_for_update().get(id=1)
    return head


def chain_pending(*, batch: int = 1000, durable: bool = False) -> int:
    """Give every committed, unchained event its place in the chain, in insertion (id) order. Returns how many.

    Each batch is one short transaction: lock the head, read the pending events, set their `seq`, `prev_hash`
    and `hash` in one UPDATE, move the head. The head is locked for those four statements and the commit (which
    does not wait for the disk on PostgreSQL), never for a request. Events of transactions that have not committed
    yet are not visible here: their own commit chains them, so the chain follows commit order and no event is
    skipped or chained twice (the triggers refuse a second setting of the chain columns). `durable` waits for the
    disk anyway: before an anchor is exported, the chain it names must survive a crash.
    """
    total = 0
    connection = transaction.get_connection()
    while True:
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost and not durable and connection.vendor == "postgresql":
                # Release the head without waiting for the WAL flush. A crash can only undo this chaining together
                # with the head's move (one WAL): the events, committed durably by their own transaction, are then
                # simply waiting again for the next chaining step.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            head = _lock_head()
            pending = list(AuditEvent.objects.filter(seq__isnull=True).order_by("id")[:batch])
            if not pending:
                return total
            seq, prev = head.seq, head.hash
            for event in pending:
                seq += 1
                event.seq, event.prev_hash = seq, prev
                event.hash = prev = chain.compute_hash(event)
            # The plain queryset: AuditEvent's own refuses every update (only this step may set the chain columns).
            models.QuerySet[AuditEvent](model=AuditEvent).bulk_update(pending, ["seq", "prev_hash", "hash"])
            head.seq, head.hash = seq, prev
            head.save(update_fields=["seq", "hash"])
        total += len(pending)
        if len(pending) < batch:
            return total


def verify_chain(*, batch: int = 5000, chain_first: bool = True) -> tuple[bool, int | None, str, int]:
    """Walk the whole chain. Returns (ok, first_broken_seq, problem, events_checked).

    Chains what is pending first (so a worker killed between its commit and its chaining is caught up), then checks
    every chained event's seal, hash and link, the head, and the seal of any event still waiting (a transaction
    committing during the walk). `first_broken_seq` is None for a broken event that has no place yet.
    """
    if chain_first:
        chain_pending()
    prev = chain.GENESIS
    expected_seq = 1
    checked = 0
    last_seq = 0
    sealed_seen = False
    qs = AuditEvent.objects.filter(seq__isnull=False).order_by("seq")
    while True:
        rows = list(qs.filter(seq__gt=last_seq)[:batch])
        if not rows:
            break
        for event in rows:
            if event.seq != expected_seq:
                return False, expected_seq, f"event {expected_seq} is missing", checked
            if event.prev_hash != prev:
                return False, event.seq, "link to the previous event is broken", checked
            # Events without a seal were written before ADR 0010, so none may follow a sealed one.
            if chain.compute_hash(event) != event.hash or not _seal_holds(event, legacy=not sealed_seen):
                return False, event.seq, "content was altered", checked
            sealed_seen = sealed_seen or bool(event.mac)
            prev = event.hash
            expected_seq += 1
            checked += 1
            last_seq = event.seq
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and (head.seq != last_seq or head.hash != prev):
        return False, last_seq + 1, f"events after {last_seq} are missing (head says {head.seq})", checked
    for event in AuditEvent.objects.filter(seq__isnull=True).order_by("id"):
        if not _seal_holds(event, legacy=False):
            return False, None, f"an event waiting to be chained (id {event.pk}) was altered", checked
    return True, None, "", checked


def _seal_holds(event: AuditEvent, *, legacy: bool = True) -> bool:
    """The event's content is what was sealed at insert. Events chained before ADR 0010 have no seal (`legacy`)."""
    if not event.mac:
        return legacy and event.nonce is None
    return event.nonce is not None and hmac.compare_digest(chain.compute_mac(event), event.mac)
