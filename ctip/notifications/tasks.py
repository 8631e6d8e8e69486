from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Notification


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    sent = 0
    for notification in Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related(
        "user"
    ):
        if not notification.user.email:
            continue
        send_mail(
            subject=_("CTIP: you have a new notification"),
            message=_("Something needs your attention in CTIP. Log in to see it."),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.user.email],
        )
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
