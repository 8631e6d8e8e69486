from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from ctip.core.errors import PermissionDenied
from ctip.core.principal import Principal

from .models import AuditEvent


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
        qs = qs.filter(target_id=target_id.strip())
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
