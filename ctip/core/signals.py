"""Schema housekeeping after `migrate`."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command


def create_cache_tables(sender, using="default", verbosity=1, **kwargs) -> None:
    """`migrate` also creates the table of every database cache (CACHE_URL=db, the production default), so a
    fresh install does not answer 500 wherever the cache is used (the token endpoint's throttle, the public
    pages' rate limits). `createcachetable` skips tables that exist; caches of other kinds are ignored."""
    if any(c["BACKEND"].endswith("DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))
