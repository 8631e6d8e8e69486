"""Choices of the victim case. Where HTCDS v2.0 has a value set, the stored value IS the HTCDS value name, so
export is lossless; the labels are ours (translated)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    """HTCDS cas_Status."""

    ACTIVE = "Active", _("Active")
    FOLLOW_UP = "FollowUp", _("Follow-up")
    CLOSED = "Closed", _("Closed")
    CLOSED_REFERRED = "ClosedReferred", _("Closed (referred on)")


# Allowed case status transitions (the state machine). Re-opening a closed case is explicit.
CASE_TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.ACTIVE: {CaseStatus.FOLLOW_UP, CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED},
    CaseStatus.FOLLOW_UP: {CaseStatus.ACTIVE, CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED},
    CaseStatus.CLOSED: {CaseStatus.ACTIVE},
    CaseStatus.CLOSED_REFERRED: {CaseStatus.ACTIVE},
}
CLOSED_STATUSES = {CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED}


class ClosureReason(models.TextChoices):
    REINTEGRATED = "reintegrated", _("Reintegrated: goals of the care plan met")
    REPATRIATED = "repatriated", _("Returned to the country of origin and handed over")
    REFERRED_ON = "referred_on", _("Referred to another agency that takes the case over")
    NOT_A_VICTIM = "not_a_victim", _("Determined not to be a victim of trafficking")
    DECLINED_ASSISTANCE = "declined", _("Declined further assistance")
    LOST_CONTACT = "lost_contact", _("Contact lost")
    DECEASED = "deceased", _("Deceased")
    DUPLICATE = "duplicate", _("Duplicate of another case")
    OTHER = "other", _("Other (explained in the note)")


class TraffickingStatus(models.TextChoices):
    """HTCDS vic_TraffickingStatus."""

    POSSIBLE = "PossibleVictimOfTrafficking", _("Possible victim of trafficking")
    ACTUAL = "ActualVictimOfTrafficking", _("Actual victim of trafficking")
    NOT_A_VICTIM = "NotAVictimOfTrafficking", _("Not a victim of trafficking")


class DecisionMakingOrg(models.TextChoices):
    """HTCDS vic_TraffickingStatusDecisionMakingOrg."""

    POLICE = "Police", _("Police")
    NGO = "NGO", _("NGO")
    COURT_OR_PROSECUTION = "CourtOrProsecution", _("Court or prosecution")
    NON_POLICE_GOVERNMENT = "NonPoliceGovernmentalOrganization", _("Non-police government organisation")
    OTHER = "Other", _("Other")


class IdentificationChannel(models.TextChoices):
    OFFICER = "officer", _("Identified by an officer")
    PUBLIC_TIP = "public_tip", _("Anonymous public tip")
    HOTLINE = "hotline", _("Hotline call")
    SELF_REFERRAL = "self", _("Self-referral")
    MISSION = "mission", _("Kenyan mission abroad")
    BORDER = "border", _("Border or airport screening")
    IMPORT = "import", _("Bulk import")
    OTHER = "other", _("Other")


class ServiceType(models.TextChoices):
    """Services of the NRM directory; used by needs assessments, care plans, referrals and providers."""

    SHELTER = "shelter", _("Shelter")
    MEDICAL = "medical", _("Medical care")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    LEGAL_AID = "legal_aid", _("Legal aid")
    WITNESS_PROTECTION = "witness_protection", _("Witness protection")
    FAMILY_TRACING = "family_tracing", _("Family tracing")
    REPATRIATION = "repatriation", _("Repatriation")
    REINTEGRATION = "reintegration", _("Reintegration and livelihood")
    EDUCATION = "education", _("Education")
    INTERPRETATION = "interpretation", _("Interpretation")


class EventType(models.TextChoices):
    """HTCDS hte_ trafficking event types."""

    RECRUITMENT = "Recruitment", _("Recruitment")
    TRANSIT = "Transit", _("Transit")
    EXPLOITATION = "Exploitation", _("Exploitation")


class ConsentGiver(models.TextChoices):
    SELF = "self", _("The person themself")
    GUARDIAN = "guardian", _("Parent or guardian")
    CHILDRENS_OFFICER = "childrens_officer", _("Children's officer")


class ImmigrationStatus(models.TextChoices):
    REGULAR = "regular", _("Regular (valid permit or visa)")
    IRREGULAR = "irregular", _("Irregular (no valid status)")
    ASYLUM_SEEKER = "asylum_seeker", _("Asylum seeker")
    REFUGEE = "refugee", _("Refugee")
    UNKNOWN = "unknown", _("Not known")


class RepatriationStep(models.TextChoices):
    TRAVEL_DOCUMENT = "travel_document", _("Travel document issued")
    TICKET = "ticket", _("Ticket secured")
    DEPARTURE = "departure", _("Departed")
    AIRPORT_RECEPTION = "airport_reception", _("Received at the airport")
    ONWARD_REFERRAL = "onward_referral", _("Referred on for reintegration")


# HTCDS multi-valued victim-context fields kept as (field, value) rows on the case, so lists can filter on them.
HTCDS_CASE_FIELDS = (
    "vic_MethodOfRecruitment",
    "vic_MethodsOfControl",
    "vic_TypeOfExploitation",
    "vic_ForcedLabourIndustry",
    "vic_TypeOfSexExploitation",
    "vic_RelationshipToTrafficker",
    "vic_RecruitmentWebsitesAndApps",
    "vic_ExploitationWebsitesAndApps",
)


class CaseSection(models.TextChoices):
    """The parts of a case that can be shared separately (a referral shares the minimum necessary)."""

    IDENTITY = "identity", _("Identity and contacts")
    CIRCUMSTANCES = "circumstances", _("Circumstances and trafficking events")
    STATUS = "status", _("Screening and trafficking status")
    NON_PUNISHMENT = "non_punishment", _("Charges and detention (non-punishment)")
    CONSENT = "consent", _("Consent")
    CARE = "care", _("Needs, care plan and services")
    RETURN = "return", _("Abroad, repatriation and return")
    FOLLOW_UPS = "follow_ups", _("Follow-ups")
