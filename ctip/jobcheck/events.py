"""Audit event names written by the job-offer risk check (ctip/audit/catalogue.py). The public checks themselves
are not audited (nothing identifying is kept): only counts by risk level (models.CheckTally)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

SUBJECTS = {"jobcheck_rules": _("Job-offer check rule sets")}


class JobcheckEvent(TextChoices):
    DRAFT = "jobcheck_rules.draft", _("Job-offer check rule set drafted")
    EDIT = "jobcheck_rules.edit", _("Job-offer check rule set draft edited")
    SUBMIT = "jobcheck_rules.submit", _("Job-offer check rule set sent for review")
    RETURN = "jobcheck_rules.return", _("Job-offer check rule set returned to its drafter")
    PUBLISH = "jobcheck_rules.publish", _("Job-offer check rule set published")
