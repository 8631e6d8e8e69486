"""Sending notifications: rows are written in the caller's transaction; e-mail goes out after commit, through
the background worker, only when e-mail is configured (CTIP_NOTIFY_EMAIL=1). The e-mail says only that there
is something to see in CTIP, never what."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ctip.accounts.actor import Actor
from ctip.accounts.models import User

from .models import Notification
from .tasks import send_notification_emails


def notify(*, users: Iterable, kind: str, params: dict | None = None, url: str = "") -> list[Notification]:
    rows = [
        Notification(user=user, kind=kind, params=params or {}, url=url)
        for user in {u.pk: u for u in users if u is not None and u.is_active}.values()
    ]
    created = Notification.objects.bulk_create(rows)
    if created and getattr(settings, "CTIP_NOTIFY_EMAIL", False):
        ids = [n.pk for n in created if n.user.email]
        if ids:
            transaction.on_commit(lambda: send_notification_emails.enqueue(ids))
    return created


def notification_mark_read(*, actor: Actor, notification_ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())


def notify_security_event(*, user: User, event: str) -> None:
    """Listener for ctip.accounts.security_events: tell the user about a change to their own account."""
    notify(users=[user], kind=f"account.{event}", url=reverse("accounts:profile"))
