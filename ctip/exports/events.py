"""Audit event names written by list exports (ctip/audit/catalogue.py)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

SUBJECTS = {"export": _("List exports")}


class ExportEvent(TextChoices):
    START = "export.start", _("List export requested")
    DOWNLOAD = "export.download", _("List export downloaded")
