"""Audit event names written by the investigation-lead module (ctip/audit/catalogue.py)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

SUBJECTS = {"lead": _("Investigation leads")}


class LeadEvent(TextChoices):
    OPEN = "lead.open", _("Investigation lead sent to investigators")
    ACCEPT = "lead.accept", _("Lead accepted: investigation file opened")
    JOIN = "lead.join", _("Lead joined to an investigation file")
    DECLINE = "lead.decline", _("Lead declined")
    READ_SENSITIVE = "lead.read_sensitive", _("Sealed text of a lead shown")
