"""Anchors: the chain's head, signed with the audit key, kept off the database.

The chain proves that no event was altered or removed *before* the head row. Someone with database rights can
still delete the last events and rewind the head row to the last one kept: the shorter chain is intact. An anchor
closes that gap for everything up to the moment it was taken: `audit_anchor` exports the head (sequence, hash,
time) with an HMAC signature under `CTIP_AUDIT_KEY`, and `audit_verify --anchor FILE` fails when the chain no
longer reaches it (the anchored event is missing, or its hash differs), or when the file's signature is wrong.
Events written after the newest anchor are protected by the head row only: anchor daily (docs/operations.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone

from . import chain
from .models import AuditChainHead, AuditEvent

FORMAT = "ctip-audit-anchor/1"
FIELDS = ("format", "seq", "hash", "time")


class AnchorError(Exception):
    """The anchor file cannot be read or trusted, or the chain no longer reaches it. The message says which."""


def _signature(fields: dict) -> str:
    # Domain-separated from the event hashes, which use the same key.
    message = b"ctip-audit-anchor\n" + chain.canonical({name: fields[name] for name in FIELDS})
    return hmac.new(chain._key(settings.CTIP_AUDIT_KEY), message, hashlib.sha256).hexdigest()


def anchor_make(*, now: datetime | None = None) -> dict:
    """The signed head of the chain as it stands. Refuses a head that its own last event contradicts."""
    head = AuditChainHead.objects.filter(id=1).first()
    seq, head_hash = (head.seq, head.hash) if head else (0, chain.GENESIS)
    if seq:
        event = AuditEvent.objects.filter(seq=seq).first()
        if event is None or event.hash != head_hash:
            raise AnchorError(f"The chain head (event {seq}) does not match its event: run audit_verify first.")
    fields = {
        "format": FORMAT,
        "seq": seq,
        "hash": head_hash,
        "time": (now or timezone.now()).astimezone(UTC).isoformat(timespec="seconds"),
    }
    return {**fields, "signature": _signature(fields)}


def anchor_dumps(anchor: dict) -> str:
    return json.dumps(anchor, indent=2, sort_keys=True) + "\n"


def anchor_loads(text: str) -> dict:
    """Parse and authenticate an anchor file's text."""
    try:
        anchor = json.loads(text)
    except ValueError as exc:
        raise AnchorError("The anchor file is not JSON.") from exc
    if not isinstance(anchor, dict) or anchor.get("format") != FORMAT:
        raise AnchorError(f"The file is not a CTIP audit anchor ({FORMAT}).")
    seq, head_hash = anchor.get("seq"), anchor.get("hash")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0 or not isinstance(head_hash, str):
        raise AnchorError("The anchor has no valid sequence number or hash.")
    if not isinstance(anchor.get("time"), str) or not isinstance(anchor.get("signature"), str):
        raise AnchorError("The anchor has no time or signature.")
    if not hmac.compare_digest(anchor["signature"], _signature(anchor)):
        raise AnchorError("The anchor's signature is wrong: the file was altered or signed with another audit key.")
    return anchor


def anchor_check(anchor: dict) -> None:
    """Raise AnchorError unless the chain in the database still reaches the (authenticated) anchor."""
    seq, anchored = anchor["seq"], anchor["hash"]
    head = AuditChainHead.objects.filter(id=1).first()
    head_seq = head.seq if head else 0
    when = anchor["time"]
    if seq == 0:
        if anchored != chain.GENESIS:
            raise AnchorError("The anchor of an empty chain has a wrong hash.")
        return
    if head_seq < seq:
        raise AnchorError(
            f"The chain no longer reaches the anchor of {when}: the anchor holds event {seq}, the head is at "
            f"event {head_seq}. Events {head_seq + 1} to {seq} or more were removed and the head rewound."
        )
    event = AuditEvent.objects.filter(seq=seq).first()
    if event is None:
        raise AnchorError(f"The chain no longer reaches the anchor of {when}: event {seq} is missing.")
    if event.hash != anchored:
        raise AnchorError(
            f"The chain no longer reaches the anchor of {when}: event {seq}'s hash differs from the anchor "
            "(history was rewritten)."
        )
