"""A small cache-based rate limiter for the public (anonymous) intake endpoints.

No rate-limit library is installed (django-axes only guards log-ins), so this keeps sliding-window counters (the
current fixed window plus the previous one, weighted by its overlap) in Django's cache (``django.core.cache``;
configure a shared cache such as Redis or the database cache when several processes serve the site, otherwise each
process counts on its own). The client is identified by a keyed hash (HMAC-SHA256 keyed from SECRET_KEY, Django's
``salted_hmac``) of its address: the raw IP address is never stored, logged or put in a cache key, and the hash
cannot be reversed without the key. A counter lives for two windows (the next window still weighs it).

Status look-ups (reference + PIN) go through `status_check_allowed` / `status_check_failed`: failed guesses are
throttled per client and per reference, but a reference under attack only slows guessing down (each client gets
a few tries on it per day) instead of locking its reporter out. See docs/intake.md.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.crypto import salted_hmac

from ctip.core.client_ip import client_ip

SALT = "ctip.intake.ratelimit"
log = logging.getLogger("ctip.intake")


@dataclass(frozen=True)
class Limit:
    scope: str
    count: int
    window: int  # seconds


# Anonymous public tips: 5 per client per hour.
TIP_SUBMIT = Limit("tip_submit", 5, 3600)
# Status look-ups (reference + PIN), see status_check_allowed:
# - every look-up costs a PIN-hash check: at most 30 per client per hour, right or wrong;
STATUS_LOOKUPS = Limit("tip_status_lookups", 30, 3600)
# - wrong reference or PIN: at most 10 per client per hour (a correct PIN does not count, so reporters sharing an
#   address, behind a mobile operator's NAT, do not use up each other's tries);
STATUS_CHECK = Limit("tip_status", 10, 3600)
# - a reference with 10 failures in a day (from any clients) is "guarded": from then on, a client that has
#   already failed 3 times on it that day is refused, right PIN or not. Its reporter, with the right PIN from
#   any other client, still gets in; a guesser gets 3 tries per address per day instead of 10 per hour.
STATUS_FAILURES_PER_REFERENCE = Limit("tip_status_ref", 10, 86400)
STATUS_FAILURES_PER_CLIENT_AND_REFERENCE = Limit("tip_status_client_ref", 3, 86400)


def client_key(request) -> str:
    """The keyed hash of the client address (ctip.core.client_ip: X-Forwarded-For only from a trusted proxy)."""
    raw = client_ip(request) or "unknown"
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


def _pair(client: str, reference: str) -> str:
    return f"{client}:{reference}"


def status_check_allowed(client: str, reference: str) -> bool:
    """Count one status look-up by `client` (client_key) for `reference` (value_key of the normalised reference)
    and say whether its PIN may be checked. Refused: a client over its look-ups or its failures, and, on a
    guarded reference, a client that has already used its tries on that reference. Never refused for the
    reference alone, so nobody can lock a reporter out by failing on their reference."""
    if not allow(STATUS_LOOKUPS, client) or exceeded(STATUS_CHECK, client):
        return False
    return not (
        exceeded(STATUS_FAILURES_PER_REFERENCE, reference)
        and exceeded(STATUS_FAILURES_PER_CLIENT_AND_REFERENCE, _pair(client, reference))
    )


def status_check_failed(client: str, reference: str) -> None:
    """Count a wrong reference or PIN against the client, the reference and the pair."""
    hit(STATUS_CHECK, client)
    hit(STATUS_FAILURES_PER_CLIENT_AND_REFERENCE, _pair(client, reference))
    failures = hit(STATUS_FAILURES_PER_REFERENCE, reference)
    if failures - 1 < STATUS_FAILURES_PER_REFERENCE.count <= failures:
        # Neither the reference nor the address is logged: the operators learn that guessing happens, not where.
        log.warning("tip status: PIN guessing on a reference; it is now guarded (a few tries per client per day)")
