"""Audit event names written by the Trust Fund ledger (ctip/audit/catalogue.py)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

SUBJECTS = {"trustfund": _("Trust Fund ledger")}


class TrustFundEvent(TextChoices):
    RECEIPT = "trustfund.receipt", _("Trust Fund receipt recorded")
    FORFEITURE_RECEIPT = "trustfund.forfeiture_receipt", _("Forfeited proceeds received against a court order")
    DISBURSEMENT = "trustfund.disbursement", _("Trust Fund disbursement recorded")
    REVERSAL = "trustfund.reversal", _("Trust Fund entry reversed")
    STATEMENT = "trustfund.statement", _("Trust Fund statement exported")
    RECONCILE = "trustfund.reconcile", _("Trust Fund balance reconciled")
