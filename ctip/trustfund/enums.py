"""Value sets of the Trust Fund ledger. The database has a check constraint on each."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    DISBURSEMENT = "disbursement", _("Disbursement")
    REVERSAL = "reversal", _("Reversing entry")


class ReceiptSource(models.TextChoices):
    """Where money paid into the fund came from (s.23)."""

    FORFEITURE = "forfeiture", _("Forfeited proceeds (court order)")
    GOVERNMENT = "government", _("Government allocation")
    DONATION = "donation", _("Donation")
    OTHER = "other", _("Other source")


class Purpose(models.TextChoices):
    """What a disbursement to a victim pays for (the Board's approval names one)."""

    MEDICAL = "medical", _("Medical care")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    EDUCATION = "education", _("Education")
    BUSINESS = "business", _("Business start-up")
    SHELTER = "shelter", _("Shelter")
    LEGAL = "legal", _("Legal assistance")
    REPATRIATION = "repatriation", _("Repatriation")
    REINTEGRATION = "reintegration", _("Reintegration")
    OTHER = "other", _("Other assistance")


class ReversalReason(models.TextChoices):
    """Why an entry is corrected. A choice, not free text: the ledger holds nothing that could name a victim."""

    ENTERED_IN_ERROR = "entered_in_error", _("Entered in error")
    WRONG_AMOUNT = "wrong_amount", _("Wrong amount")
    WRONG_CASE = "wrong_case", _("Wrong victim case")
    DUPLICATE = "duplicate", _("Recorded twice")
    FUNDS_RETURNED = "funds_returned", _("Funds returned to the fund")
    ORDER_SET_ASIDE = "order_set_aside", _("Court order set aside on appeal")
