from __future__ import annotations

from django.db.models import QuerySet

from ctip.accounts.actor import Actor
from ctip.core.errors import NotFound

from .models import ExportJob


def export_get_for_user(*, user: Actor, public_id) -> ExportJob:
    """One of the user's own exports (nobody else's, whatever the role): NotFound otherwise."""
    job = ExportJob.objects.filter(public_id=public_id, created_by_id=user.pk).first()
    if job is None:
        raise NotFound()
    return job


def export_list_for_user(*, user: Actor) -> QuerySet[ExportJob]:
    return ExportJob.objects.filter(created_by_id=user.pk).defer("content").order_by("-created_at", "-id")
