"""Audit event names of the audit app itself (see ctip/audit/catalogue.py)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

SUBJECTS = {"audit": _("Audit trail")}


class AuditTrailEvent(TextChoices):
    EXPORT = "audit.export", _("Audit trail exported")
