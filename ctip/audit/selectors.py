from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from ctip.core.errors import PermissionDenied
from ctip.core.principal import Principal

from . import lookups
from .models import AuditEvent


def _record_filter(text: str) -> Q:
    """Events on the record(s) `text` names: a public id (whole, or its first 8 characters and more, as the list
    shows them), or a number the owning app resolves (case, referral, file, tip). A whole id or a number stays on
    the target_id index; a typed prefix is a LIKE (links on the page always carry the whole id)."""
    text = text.strip()
    condition = Q(target_id=text)
    ids = lookups.resolve_record(text)
    if ids:
        condition |= Q(target_id__in=ids)
    prefix = lookups.uuid_prefix(text)
    if prefix:
        condition |= Q(target_id__startswith=prefix)
    return condition


def audit_events_for_user(
    *,
    user: Principal,
    actor_id: int | None = None,
    agency_id: int | None = None,
    target_id: str = "",
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    if not user.can("audit.view"):
        raise PermissionDenied()
    qs = AuditEvent.objects.all().order_by("-id")
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if target_id:
        qs = qs.filter(_record_filter(target_id))
    if action:
        # "person." is a subject (every person event); "person.create" one event (never "person.create_x").
        qs = qs.filter(action__startswith=action) if action.endswith(".") else qs.filter(action=action)
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(occurred_at__gte=timezone.make_aware(datetime.combine(date_from, time.min), tz))
    if date_to:
        qs = qs.filter(occurred_at__lte=timezone.make_aware(datetime.combine(date_to, time.max), tz))
    return qs


def actor_id_for_username(username: str) -> int | None:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username=username.strip()).values_list("pk", flat=True).first()
