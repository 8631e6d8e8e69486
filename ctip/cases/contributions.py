"""What higher apps add to the case overview and the caseload, without the cases app importing them
(docs/architecture.md, "Layers": a lower app offers a small registry, the higher app registers in its
`AppConfig.ready()`). ctip.referrals registers both: the case's referrals, and which cases wait for a provider's
answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Exists, Value
from django.db.models.expressions import Expression


@dataclass
class OverviewReferrals:
    """The case's referrals as the overview needs them: whether any was made and whether a provider assisted
    (for the NRM progress line), and the open ones (a bounded list) with their count."""

    any_sent: bool = False
    any_assisted: bool = False
    open_count: int = 0
    open: list[dict] = field(default_factory=list)  # {"service", "provider", "status", "overdue", "url"}: labels


# (ref) -> {"referral_sent": Exists, "referral_assisted": Exists, "referrals_open": int expression}: annotations of
# the overview's one query of flags, over the case id `ref`
_referral_flags: Callable[..., dict[str, Expression]] | None = None
# (user, case, limit) -> [{"reference", "service", "provider", "status", "overdue", "url"}]: the open referrals the
# user may see, overdue first, at most `limit` (one query)
_referral_rows: Callable[..., list[dict]] | None = None
# (outer_ref) -> Exists(...): "the case has a referral still waiting for the provider's answer"
_awaiting_referral: Callable[..., Exists] | None = None


def register_overview_referrals(*, flags: Callable[..., dict], rows: Callable[..., list[dict]]) -> None:
    global _referral_flags, _referral_rows
    _referral_flags, _referral_rows = flags, rows


def register_awaiting_referral(fn: Callable[..., Exists]) -> None:
    global _awaiting_referral
    _awaiting_referral = fn


def has_referrals() -> bool:
    return _referral_flags is not None


def overview_referral_flags(ref) -> dict[str, Expression]:
    """Annotations for the overview's query of flags ({} when no referrals app is installed)."""
    return {} if _referral_flags is None else _referral_flags(ref)


def overview_referral_rows(*, user, case, limit: int) -> list[dict]:
    return [] if _referral_rows is None else _referral_rows(user=user, case=case, limit=limit)


def awaiting_referral(outer_ref) -> Expression:
    if _awaiting_referral is None:
        return Value(False)
    return _awaiting_referral(outer_ref)
