"""Links from a lead back to its source record, by reference only and only for a user who may see that record.

Each source module registers a resolver `(user, reference) -> url | None` (the recruitment complaints module
registers "complaint"); this module knows the tip and the case itself. A resolver answers None when the record
does not exist or the user may not see it: the lead page then shows the reference as plain text."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from ctip.accounts.access import may
from ctip.accounts.roles import Action

Resolver = Callable[..., str | None]
_RESOLVERS: dict[str, Resolver] = {}


def register(source: str, resolver: Resolver) -> None:
    _RESOLVERS[source] = resolver


def _tip(user, reference: str) -> str | None:
    if not user.can(Action.TIP_TRIAGE):
        return None
    from ctip.intake.models import Tip

    tip = Tip.objects.filter(reference=reference).only("public_id").first()
    return reverse("intake:tip_detail", args=[tip.public_id]) if tip is not None else None


def source_url(user, lead) -> str | None:
    """The source record's page, if the user may see it."""
    if lead.source_case_id is not None:
        case = lead.source_case
        return reverse("cases:detail", args=[case.public_id]) if may(user, Action.CASE_VIEW, case) else None
    resolver = _RESOLVERS.get(lead.source, _tip if lead.source == "tip" else None)
    if resolver is None or not lead.source_ref:
        return None
    return resolver(user, lead.source_ref)
