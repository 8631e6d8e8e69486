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


def event_fields(event) -> dict:
    return {
        "seq": event.seq,
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
        "prev_hash": event.prev_hash,
    }


def compute_hash(event) -> str:
    return hmac.new(_key(settings.CTIP_AUDIT_KEY), canonical(event_fields(event)), hashlib.sha256).hexdigest()
