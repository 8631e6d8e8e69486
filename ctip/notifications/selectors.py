from __future__ import annotations

from ctip.accounts.actor import Actor

from .messages import render
from .models import Notification


def unread_count(*, user: Actor) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for_user(*, user: Actor, unread_only: bool = False, limit: int = 50) -> list[dict]:
    qs = Notification.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return [
        {"id": n.pk, "text": render(n.kind, n.params), "url": n.url, "at": n.created_at, "read": n.read_at is not None}
        for n in qs[:limit]
    ]
