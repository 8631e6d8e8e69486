from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC
from functools import lru_cache

from django.conf import settings

GENESIS = "0" * 64


@lru_cache(maxsize=4)
def _key(raw: str) -> bytes:
    return base64.b64decode(raw)


def canonical(fields: dict) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False).encode()


def content_fields(event) -> dict:
    """What the event says: everything but its place in the chain."""
    return {
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "agency": event.agency_id,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "ip": event.ip,
        "channel": event.channel,
        "request_id": event.request_id,
        "changes": event.changes,
        "reason": event.reason,
    }


def event_fields(event) -> dict:
    """What the chain hash covers: the content, the seal (when the event has one) and the place in the chain.

    Events chained at insert, before ADR 0010, have no seal: their hash covers what it always covered.
    """
    fields = {**content_fields(event), "seq": event.seq, "prev_hash": event.prev_hash}
    if event.mac:
        fields["mac"] = event.mac
    return fields


def compute_hash(event) -> str:
    return hmac.new(_key(settings.CTIP_AUDIT_KEY), canonical(event_fields(event)), hashlib.sha256).hexdigest()


def compute_mac(event) -> str:
    """The seal set at insert: the content and a random nonce, keyed. Domain-separated from the chain hash."""
    message = b"ctip-audit-seal\n" + canonical({**content_fields(event), "nonce": event.nonce})
    return hmac.new(_key(settings.CTIP_AUDIT_KEY), message, hashlib.sha256).hexdigest()
