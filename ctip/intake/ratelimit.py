"""A small cache-based rate limiter for the public (anonymous) intake endpoints.

No rate-limit library is installed (django-axes only guards log-ins), so this keeps sliding-window counters (the
current fixed window plus the previous one, weighted by its overlap) in Django's cache (``django.core.cache``;
configure a shared cache such as Redis or the database cache when several processes serve the site, otherwise each
process counts on its own). The client is identified by a keyed hash (HMAC-SHA256 keyed from SECRET_KEY, Django's
``salted_hmac``) of its address: the raw IP address is never stored, logged or put in a cache key, and the hash
cannot be reversed without the key. A counter lives for two windows (the next window still weighs it).
See docs/intake.md.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.crypto import salted_hmac

SALT = "ctip.intake.ratelimit"


@dataclass(frozen=True)
class Limit:
    scope: str
    count: int
    window: int  # seconds


# Anonymous public tips: 5 per client per hour.
TIP_SUBMIT = Limit("tip_submit", 5, 3600)
# Status look-ups (reference + PIN): 10 per client per hour, and 10 failures per reference per day, so neither
# one client nor many clients together can guess a PIN.
STATUS_CHECK = Limit("tip_status", 10, 3600)
STATUS_FAILURES_PER_REFERENCE = Limit("tip_status_ref", 10, 86400)


def client_key(request) -> str:
    """The keyed hash of the client address (REMOTE_ADDR only: forwarded headers are not trusted)."""
    raw = request.META.get("REMOTE_ADDR") or "unknown"
    return salted_hmac(SALT, raw, algorithm="sha256").hexdigest()[:32]


def value_key(value: str) -> str:
    return salted_hmac(SALT, value, algorithm="sha256").hexdigest()[:32]


def _cache_key(limit: Limit, subject: str, bucket: int) -> str:
    return f"ctip:rl:{limit.scope}:{subject}:{bucket}"


def _now() -> float:
    return time.time()


def count(limit: Limit, subject: str) -> float:
    """The requests counted over the last ``window`` seconds, estimated as a sliding window: the current fixed
    window's count plus the previous window's, weighted by how much of it still overlaps the last ``window``
    seconds. Unlike a plain fixed window, the count does not drop to zero at a window boundary, so a client cannot
    double its allowance by timing its requests around one."""
    now = _now()
    bucket, into = divmod(now, limit.window)
    bucket = int(bucket)
    current = int(cache.get(_cache_key(limit, subject, bucket), 0))
    previous = int(cache.get(_cache_key(limit, subject, bucket - 1), 0))
    return current + previous * (1 - into / limit.window)


def exceeded(limit: Limit, subject: str) -> bool:
    return count(limit, subject) >= limit.count


def hit(limit: Limit, subject: str) -> float:
    """Count one request; returns the sliding-window count including it."""
    key = _cache_key(limit, subject, int(_now() // limit.window))
    # Kept for two windows: the next window still weighs this one.
    if not cache.add(key, 1, timeout=2 * limit.window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=2 * limit.window)
    return count(limit, subject)


def allow(limit: Limit, subject: str) -> bool:
    """Count one request and say whether it is within the limit."""
    return hit(limit, subject) <= limit.count
