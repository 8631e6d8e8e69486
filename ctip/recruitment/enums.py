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


# --- Complaints against agencies and agents (issue 12) ---------------------------------------------------


class ComplaintSource(models.TextChoices):
    PUBLIC = "public", _("The public (online form)")
    OFFICER = "officer", _("An officer")


class ComplaintStatus(models.TextChoices):
    NEW = "new", _("Received")
    UNDER_REVIEW = "under_review", _("Under review")
    ACTION_TAKEN = "action_taken", _("Action taken")
    REFERRED = "referred", _("Referred to the police (DCI)")
    CLOSED = "closed", _("Closed without action")


COMPLAINT_OPEN = frozenset({ComplaintStatus.NEW, ComplaintStatus.UNDER_REVIEW})


class AgainstKind(models.TextChoices):
    AGENCY = "agency", _("A registered agency")
    UNREGISTERED = "unregistered", _("An unregistered agency or agent")
    INDIVIDUAL = "individual", _("A named individual")


class Whereabouts(models.TextChoices):
    IN_KENYA = "in_kenya", _("In Kenya")
    ABROAD = "abroad", _("Abroad, safe")
    ABROAD_DISTRESS = "abroad_distress", _("Abroad and in distress (needs help)")


class ComplaintActionKind(models.TextChoices):
    REVIEW = "review", _("Review started")
    WARNING = "warning", _("Warning issued to the agency")
    SUSPENSION = "suspension", _("Licence suspended")
    DEREGISTRATION = "deregistration", _("Agency deregistered")
    REFERRAL_DCI = "referral_dci", _("Referred to the DCI (investigation lead)")
    NO_ACTION = "no_action", _("No action (with reason)")
    DISTRESS_CASE = "distress_case", _("Distress case opened in the NRM")


# The triage outcomes an officer chooses, the complaint status each leads to, and the licence status it sets.
TRIAGE_OUTCOMES: dict[str, tuple[str, str | None]] = {
    ComplaintActionKind.WARNING: (ComplaintStatus.ACTION_TAKEN, None),
    ComplaintActionKind.SUSPENSION: (ComplaintStatus.ACTION_TAKEN, AgencyStatus.SUSPENDED),
    ComplaintActionKind.DEREGISTRATION: (ComplaintStatus.ACTION_TAKEN, AgencyStatus.DEREGISTERED),
    ComplaintActionKind.REFERRAL_DCI: (ComplaintStatus.REFERRED, None),
    ComplaintActionKind.NO_ACTION: (ComplaintStatus.CLOSED, None),
}
# Outcomes that act on a registered agency's licence or warn it: only for complaints against one.
AGENCY_OUTCOMES: frozenset[str] = frozenset(
    {ComplaintActionKind.WARNING, ComplaintActionKind.SUSPENSION, ComplaintActionKind.DEREGISTRATION}
)


class EvidenceType(models.TextChoices):
    JPEG = "image/jpeg", _("Photo (JPEG)")
    PNG = "image/png", _("Image (PNG)")
    PDF = "application/pdf", _("PDF document")
