"""Kinds and statuses of an investigation lead. Each has a check constraint on its model."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LeadSource(models.TextChoices):
    TIP = "tip", _("A public tip")
    COMPLAINT = "complaint", _("A recruitment complaint")
    CASE = "case", _("A victim case")
    OFFICER = "officer", _("An officer's information")


class LeadStatus(models.TextChoices):
    NEW = "new", _("New")
    ACCEPTED = "accepted", _("Accepted: file opened")
    JOINED = "joined", _("Joined to a file")
    DECLINED = "declined", _("Declined")


class LeadSuspectKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class LeadIdentifierKind(models.TextChoices):
    PHONE = "phone", _("Phone number")
    MPESA_NUMBER = "mpesa_number", _("M-Pesa number")
    MPESA_CODE = "mpesa_code", _("M-Pesa transaction code")
    BANK_ACCOUNT = "bank_account", _("Bank account")
    ADDRESS = "address", _("Address")
    WEBSITE = "website", _("Website")
    HANDLE = "handle", _("Social-media handle")
