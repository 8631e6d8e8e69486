"""Audit event names written by intake: public tips, hotline calls, bulk imports (ctip/audit/catalogue.py)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

SUBJECTS = {"tip": _("Public tips"), "call": _("Hotline calls"), "import": _("Bulk imports")}


class IntakeEvent(TextChoices):
    TIP_SUBMIT = "tip.submit", _("Tip submitted by the public")
    TIP_REVIEW = "tip.review", _("Tip review started")
    TIP_MESSAGE = "tip.message", _("Message to the tip reporter set")
    TIP_CLOSE = "tip.close", _("Tip closed")
    TIP_CONVERT = "tip.convert", _("Tip converted into a case")
    TIP_READ = "tip.read", _("Tip text shown")
    CALL_LOG = "call.log", _("Hotline call logged")
    CALL_ESCALATE = "call.escalate", _("Hotline call escalated")
    CALL_CONVERT = "call.convert", _("Hotline call converted into a case")
    CALL_READ = "call.read", _("Hotline call text shown")
    IMPORT_START = "import.start", _("Bulk import started")
    IMPORT_COMPLETE = "import.complete", _("Bulk import finished")
