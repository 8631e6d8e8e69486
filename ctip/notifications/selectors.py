from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from ctip.accounts.actor import Actor

from .messages import render
from .models import Notification

UNREAD_ANNOTATION = "unread_notifications_count"


def unread_count_expression(ref: str):
    """The unread count of the user whose primary key is `OuterRef(ref)`, as an expression (the request user's
    query carries it: ctip.accounts.request_user)."""
    counted = (
        Notification.objects.filter(user_id=OuterRef(ref), read_at__isnull=True)
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def unread_count(*, user: Actor) -> int:
    if not user.is_authenticated:
        return 0
    known = getattr(user, UNREAD_ANNOTATION, None)  # read with the request's user
    if known is not None:
        return known
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for_user(*, user: Actor, unread_only: bool = False, limit: int = 50) -> list[dict]:
    qs = Notification.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return [
        {"id": n.pk, "text": render(n.kind, n.params), "url": n.url, "at": n.created_at, "read": n.read_at is not None}
        for n in qs[:limit]
    ]
