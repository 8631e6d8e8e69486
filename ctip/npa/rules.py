"""The one domain rule on top of the role's scope (docs/architecture.md, "Access control"): an agency reports
progress only on the activities it is responsible for. Read by the services (before a write) and the selectors
(to show the button), so it is written once."""

from __future__ import annotations

from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action, Scope


def may_report_on(actor: Actor, activity, agency_ids: set[int] | None = None) -> bool:
    """Whether the actor may report progress on `activity`: npa.report nationally, or at agency scope when the
    user's agency is one of those responsible for it. `agency_ids`: the responsible agencies, when already read."""
    scope = actor.scope(Action.NPA_REPORT) if actor.is_authenticated else None
    if scope == Scope.NATIONAL:
        return True
    if scope != Scope.AGENCY or not actor.agency_id:
        return False
    if agency_ids is None:
        agency_ids = set(activity.responsible_agencies.values_list("pk", flat=True))
    return actor.agency_id in agency_ids
