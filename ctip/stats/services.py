"""The one write of the statistics module: the audit event of a page view, an API read or a download."""

from __future__ import annotations

from ctip.accounts.actor import Actor
from ctip.audit.services import audit_record

from .events import StatsEvent
from .filters import Filters


def stats_viewed(*, actor: Actor, dashboard: str, filters: Filters, via: str = "page", fmt: str = "") -> None:
    """Record that `actor` looked at (or downloaded, with `fmt`) a dashboard's figures with these filters.
    Filters are categories (a year, a county code...), never anything about a person."""
    audit_record(
        actor=actor,
        action=StatsEvent.EXPORT if fmt else StatsEvent.VIEW,
        target_type="stats.dashboard",
        target_id=dashboard,
        changes={"filters": filters.as_query(), "via": via, **({"format": fmt} if fmt else {})},
    )
