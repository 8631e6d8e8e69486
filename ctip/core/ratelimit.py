"""A small generic rate limiter on Django's cache, for public (anonymous) endpoints.

The same sliding-window counting as the intake limiter (ctip/intake/ratelimit.py, which keeps its own scopes
and the reference-guarding rules of the tip status look-up): the current fixed window's count plus the previous
window's, weighted by its overlap. The client is the keyed hash (HMAC-SHA256 from SECRET_KEY) of the client address
from ctip.core.client_ip (REMOTE_ADDR, or X-Forwarded-For only through CTIP_TRUSTED_PROXIES, as in intake): the raw
address is never stored, logged or put in a key.
Configure a shared cache (Redis or the database cache) when several processes serve the site.

    LIMIT = Limit("verify", 60, 60)
    if not allow(LIMIT, client_key(request)):
        ...429
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.crypto import salted_hmac

from ctip.core.client_ip import client_ip

SALT = "ctip.core.ratelimit"


@dataclass(frozen=True)
class Limit:
    scope: str
    count: int
    window: int  # seconds


def client_key(request) -> str:
    """The keyed hash of the client address (ctip.core.client_ip, as intake's limiter): behind trusted proxies each
    client is limited on its own, not the proxy's address for everybody."""
    return value_key(client_ip(request) or "unknown")


def value_key(value: str) -> str:
    """A keyed hash of any subject (a phone number sending SMS): never the value itself in a cache key."""
    return salted_hmac(SALT, value, algorithm="sha256").hexdigest()[:32]


def _key(limit: Limit, subject: str, bucket: int) -> str:
    return f"ctip:rlg:{limit.scope}:{subject}:{bucket}"


def _now() -> float:
    return time.time()


def count(limit: Limit, subject: str) -> float:
    """Requests over the last `window` seconds (sliding-window estimate)."""
    bucket, into = divmod(_now(), limit.window)
    bucket = int(bucket)
    values = cache.get_many([_key(limit, subject, bucket), _key(limit, subject, bucket - 1)])
    current = int(values.get(_key(limit, subject, bucket), 0))
    previous = int(values.get(_key(limit, subject, bucket - 1), 0))
    return current + previous * (1 - into / limit.window)


def hit(limit: Limit, subject: str) -> float:
    """Count one request; the sliding-window count including it."""
    key = _key(limit, subject, int(_now() // limit.window))
    if not cache.add(key, 1, timeout=2 * limit.window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=2 * limit.window)
    return count(limit, subject)


def allow(limit: Limit, subject: str) -> bool:
    """Count one request and say whether it is within the limit."""
    return hit(limit, subject) <= limit.count
