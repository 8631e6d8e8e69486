"""Writing the audit trail. Call inside the service's own transaction so the event commits with the change."""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from ctip.core import context

from . import catalogue, chain
from .models import AuditChainHead, AuditEvent

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
    """Append one event to the chain. Joins the caller's transaction (opens one if there is none).

    `action` must be a name of the catalogue (ctip/audit/catalogue.py, declared in ctip/<app>/events.py): an
    unknown name raises `UnknownAuditEvent` before anything is written, so the caller's transaction rolls back.
    """
    catalogue.require(action)
    action = str(action)
    ctx = context.current()
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        actor_obj = actor if getattr(actor, "is_authenticated", False) else None
        event = AuditEvent(
            seq=head.seq + 1,
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
            prev_hash=head.hash,
        )
        event.hash = chain.compute_hash(event)
        event.save(force_insert=True)
        head.seq = event.seq
        head.hash = event.hash
        head.save(update_fields=["seq", "hash"])
    return event


def verify_chain(*, batch: int = 5000) -> tuple[bool, int | None, str, int]:
    """Walk the whole chain. Returns (ok, first_broken_seq, problem, events_checked)."""
    prev = chain.GENESIS
    expected_seq = 1
    checked = 0
    last_seq = 0
    qs = AuditEvent.objects.order_by("seq")
    while True:
        rows = list(qs.filter(seq__gt=last_seq)[:batch])
        if not rows:
            break
        for event in rows:
            if event.seq != expected_seq:
                return False, expected_seq, f"event {expected_seq} is missing", checked
            if event.prev_hash != prev:
                return False, event.seq, "link to the previous event is broken", checked
            if chain.compute_hash(event) != event.hash:
                return False, event.seq, "content was altered", checked
            prev = event.hash
            expected_seq += 1
            checked += 1
            last_seq = event.seq
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and (head.seq != last_seq or head.hash != prev):
        return False, last_seq + 1, f"events after {last_seq} are missing (head says {head.seq})", checked
    return True, None, "", checked
