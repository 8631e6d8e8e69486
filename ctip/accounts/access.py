"""Need-to-know filters built from the role matrix, shares and break-the-glass grants.

Selectors in every domain app use `visible_q` to filter lists and `record_access` to decide on one record.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from .models import BreakGlassGrant, RecordShare
from .roles import Action, Scope


@dataclass(frozen=True)
class Access:
    allowed: bool
    via: str = ""  # "national" | "agency" | "share" | "break_glass" | ""
    sections: tuple[str, ...] | None = None  # for shares: which sections; None = all


NO = Access(False)


def _shared_ids(user, target_type: str):
    return RecordShare.active().filter(target_type=target_type, agency_id=user.agency_id).values("target_id")


def _glass_ids(user, target_type: str):
    return BreakGlassGrant.objects.filter(user=user, target_type=target_type, expires_at__gt=timezone.now()).values(
        "target_id"
    )


GRANTED_INLINE_LIMIT = 5000


def granted_q(user, target_type: str, *, id_field: str = "public_id") -> Q:
    """Records the user reaches through a share with their agency or their own break-the-glass grant (not
    through their role's scope).

    The ids are read first and put in the query as a list (there are few): an OR of two sub-selects makes
    PostgreSQL read every row of a large table instead of looking the ids up in its index."""
    ids: set[str] = set()
    for subquery in (_shared_ids(user, target_type), _glass_ids(user, target_type)):
        part = list(subquery.values_list("target_id", flat=True)[: GRANTED_INLINE_LIMIT + 1])
        if len(part) > GRANTED_INLINE_LIMIT:  # very many: leave it to the database after all
            return Q(**{f"{id_field}__in": _shared_ids(user, target_type)}) | Q(
                **{f"{id_field}__in": _glass_ids(user, target_type)}
            )
        ids.update(part)
    return Q(**{f"{id_field}__in": sorted(ids)})


def visible_q(
    user,
    action: Action | str,
    target_type: str,
    *,
    owner_field: str = "owning_agency",
    id_field: str = "public_id",
) -> Q | None:
    """A filter for the records of `target_type` the user may see for `action`; None means none at all."""
    scope = user.scope(action) if user.is_authenticated else None
    if scope is None:
        return None
    if scope == Scope.NATIONAL:
        return Q()
    q = granted_q(user, target_type, id_field=id_field)
    if scope == Scope.AGENCY and user.agency_id:
        q |= Q(**{f"{owner_field}_id": user.agency_id})
    return q


def record_access(user, action: Action | str, target_type: str, *, public_id, owning_agency_id) -> Access:
    scope = user.scope(action) if user.is_authenticated else None
    if scope is None:
        return NO
    if scope == Scope.NATIONAL:
        return Access(True, "national")
    if scope == Scope.AGENCY and user.agency_id and owning_agency_id == user.agency_id:
        return Access(True, "agency")
    shares = (
        list(
            RecordShare.active()
            .filter(target_type=target_type, target_id=public_id, agency_id=user.agency_id)
            .values_list("sections", flat=True)
        )
        if user.agency_id
        else []
    )
    if shares:
        # Several active shares (e.g. two referrals) add up: the agency sees every section any of them shared.
        sections: list[str] = []
        for shared in shares:
            sections += [s for s in shared or [] if s not in sections]
        return Access(True, "share", tuple(sections))
    glass = BreakGlassGrant.objects.filter(
        user=user, target_type=target_type, target_id=public_id, expires_at__gt=timezone.now()
    ).exists()
    if glass:
        return Access(True, "break_glass")
    return NO


def allowed_ids(user, action: Action | str, target_type: str, records) -> set:
    """Of `records` (each with public_id and owning_agency_id), the public ids the user may reach. 2 queries max."""
    scope = user.scope(action) if user.is_authenticated else None
    records = list(records)
    if scope is None or not records:
        return set()
    if scope == Scope.NATIONAL:
        return {r.public_id for r in records}
    out = set()
    rest = []
    for r in records:
        if scope == Scope.AGENCY and user.agency_id and r.owning_agency_id == user.agency_id:
            out.add(r.public_id)
        else:
            rest.append(r.public_id)
    if rest:
        if user.agency_id:
            out |= set(
                RecordShare.active()
                .filter(target_type=target_type, agency_id=user.agency_id, target_id__in=rest)
                .values_list("target_id", flat=True)
            )
        out |= set(
            BreakGlassGrant.objects.filter(
                user=user, target_type=target_type, target_id__in=rest, expires_at__gt=timezone.now()
            ).values_list("target_id", flat=True)
        )
    return out
