"""Statuses and kinds of the recruitment-agency register."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyStatus(models.TextChoices):
    VALID = "valid", _("Valid licence")
    EXPIRED = "expired", _("Licence expired")
    SUSPENDED = "suspended", _("Licence suspended")
    DEREGISTERED = "deregistered", _("Deregistered")
    BLACKLISTED = "blacklisted", _("Blacklisted")
    DENIED = "denied", _("Licence denied")


# Agencies whose look-alikes and phone numbers the public is warned about (re-registration under a new name).
WARN_STATUSES = frozenset({AgencyStatus.DEREGISTERED, AgencyStatus.BLACKLISTED})
# Agencies that may recruit today.
RECRUITING_STATUSES = frozenset({AgencyStatus.VALID})


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    WEBSITE = "website", _("Website")
    SOCIAL = "social", _("Social-media handle")


class ImportStatus(models.TextChoices):
    APPLIED = "applied", _("Imported")
    REFUSED = "refused", _("Refused (nothing imported)")
