from __future__ import annotations

from django.db.models import Q, QuerySet

from ctip.core.errors import NotFound, PermissionDenied

from .access import require
from .actor import Actor
from .enums import BreakGlassReview, Role
from .models import Agency, BreakGlassGrant, User
from .roles import Action, Scope, scope_of


def user_list_for_admin(
    *, user: Actor, q: str = "", role: str = "", agency_id: int | None = None, active: str = ""
) -> QuerySet[User]:
    require(user, Action.USERS_MANAGE)
    qs = User.objects.select_related("agency").order_by("username")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q))
    if role:
        qs = qs.filter(role=role)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if active in ("1", "0"):
        qs = qs.filter(is_active=active == "1")
    return qs


def user_get_for_admin(*, user: Actor, public_id) -> User:
    require(user, Action.USERS_MANAGE)
    try:
        return User.objects.select_related("agency").get(public_id=public_id)
    except (User.DoesNotExist, ValueError, Exception) as exc:
        raise NotFound() from exc


def agency_list(*, active_only: bool = False) -> QuerySet[Agency]:
    """Agencies are not secret: every logged-in user may see the directory of agencies."""
    qs = Agency.objects.order_by("name")
    return qs.filter(is_active=True) if active_only else qs


def agency_get(*, public_id) -> Agency:
    try:
        return Agency.objects.get(public_id=public_id)
    except Exception as exc:
        raise NotFound() from exc


def breakglass_list_for_reviewer(*, user: Actor, status: str = "") -> QuerySet[BreakGlassGrant]:
    require(user, Action.BREAKGLASS_REVIEW)
    qs = BreakGlassGrant.objects.select_related("user", "agency", "reviewed_by").order_by("-created_at")
    if status:
        qs = qs.filter(review_status=status)
    return qs


def breakglass_get_for_reviewer(*, user: Actor, public_id) -> BreakGlassGrant:
    try:
        return breakglass_list_for_reviewer(user=user).get(public_id=public_id)
    except BreakGlassGrant.DoesNotExist as exc:
        raise NotFound() from exc
    except (ValueError, Exception) as exc:
        if isinstance(exc, PermissionDenied):
            raise
        raise NotFound() from exc


def breakglass_pending_count(*, user: Actor) -> int:
    if not user.can(Action.BREAKGLASS_REVIEW):
        return 0
    return BreakGlassGrant.objects.filter(review_status=BreakGlassReview.PENDING).count()


def national_users_who_can(*, action: str) -> QuerySet[User]:
    """Active users whose role holds `action` at national scope (e.g. the coordinators who triage tips)."""
    roles = [role for role in Role.values if scope_of(role, action) == Scope.NATIONAL]
    return User.objects.filter(is_active=True, role__in=roles).order_by("username")


def agency_users_who_can_q(*, agency, action: str) -> Q:
    """The condition of agency_users_who_can, to combine in another query of users."""
    roles = [role for role in Role.values if scope_of(role, action) is not None]
    return Q(agency=agency, is_active=True, role__in=roles)


def agency_users_who_can(*, agency, action: str) -> QuerySet[User]:
    """Active users of `agency` whose role allows `action` (e.g. officers a case can be assigned to)."""
    if agency is None:
        return User.objects.none()
    return User.objects.filter(agency_users_who_can_q(agency=agency, action=action)).order_by("username")
