"""Base model every domain record inherits: opaque public id, timestamps, author, optimistic version."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    # The public id is what URLs, the API and other records use. Integer keys never leave the database.
    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Optimistic concurrency: every service that edits a record checks and bumps this number, so a second
    # officer's save made from a stale form is refused instead of silently overwriting the first.
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True
