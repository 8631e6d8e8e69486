"""Choices of the service-provider directory and of NRM referrals, and the rules that go with them.

The referral state machine (ARCHITECTURE.md rule 4)::

    sent ──> accepted ──> in_progress ──> completed
      │          │             │
      ├──> declined (reason)   │
      └──────────┴─────────────┴──> revoked (by the sending agency, reason)

declined, completed and revoked are final.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ctip.cases.enums import CaseSection, ServiceType


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent, awaiting response")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    REVOKED = "revoked", _("Revoked by the sender")


S = ReferralStatus
REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    S.SENT: frozenset({S.ACCEPTED, S.DECLINED, S.REVOKED}),
    S.ACCEPTED: frozenset({S.IN_PROGRESS, S.REVOKED}),
    S.IN_PROGRESS: frozenset({S.COMPLETED, S.REVOKED}),
    S.DECLINED: frozenset(),
    S.COMPLETED: frozenset(),
    S.REVOKED: frozenset(),
}
# Referrals still being worked on: the provider has (or may soon have) the person in its care.
OPEN_STATUSES = frozenset({S.SENT, S.ACCEPTED, S.IN_PROGRESS})
# A shelter referral in one of these statuses takes a bed (occupancy is derived, never typed in).
OCCUPYING_STATUSES = frozenset({S.ACCEPTED, S.IN_PROGRESS})
FINAL_STATUSES = frozenset({S.DECLINED, S.COMPLETED, S.REVOKED})


class AcceptsSex(models.TextChoices):
    ANY = "any", _("Any sex")
    FEMALE = "female", _("Women and girls only")
    MALE = "male", _("Men and boys only")


# Expected time for the provider to accept or decline a referral, per service. Past it, a referral still "sent"
# is overdue and flagged in the inbox, the outbox and the overdue list. Values follow the urgency of the need in
# the NRM guidelines (2016): safety and health first (a place to sleep tonight, a medical examination within the
# forensic window, an interpreter for the first interview), then care that can be planned.
RESPONSE_TIMES: dict[str, timedelta] = {
    ServiceType.SHELTER: timedelta(hours=24),
    ServiceType.MEDICAL: timedelta(hours=24),
    ServiceType.WITNESS_PROTECTION: timedelta(hours=24),
    ServiceType.INTERPRETATION: timedelta(hours=24),
    ServiceType.PSYCHOSOCIAL: timedelta(hours=72),
    ServiceType.REPATRIATION: timedelta(hours=72),
    ServiceType.FAMILY_TRACING: timedelta(days=7),
    ServiceType.LEGAL_AID: timedelta(days=7),
    ServiceType.REINTEGRATION: timedelta(days=14),
    ServiceType.EDUCATION: timedelta(days=14),
}
DEFAULT_RESPONSE_TIME = timedelta(days=7)


def response_time(service_type: str) -> timedelta:
    return RESPONSE_TIMES.get(service_type, DEFAULT_RESPONSE_TIME)


def duration_label(delta: timedelta) -> str:
    """'24 hours', '3 days' (translated)."""
    hours = int(delta.total_seconds() // 3600)
    if hours <= 48:
        return ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours}
    days = hours // 24
    return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}


# The case sections suggested (pre-ticked) on the referral form for each service: the minimum a provider usually
# needs. The sender may change them. Identity is never suggested: it is shared only when ticked explicitly.
SUGGESTED_SECTIONS: dict[str, tuple[str, ...]] = {
    ServiceType.SHELTER: (CaseSection.CARE,),
    ServiceType.MEDICAL: (CaseSection.CARE,),
    ServiceType.PSYCHOSOCIAL: (CaseSection.CARE,),
    ServiceType.LEGAL_AID: (CaseSection.CIRCUMSTANCES, CaseSection.STATUS, CaseSection.NON_PUNISHMENT),
    ServiceType.WITNESS_PROTECTION: (CaseSection.CIRCUMSTANCES, CaseSection.STATUS),
    ServiceType.FAMILY_TRACING: (CaseSection.CARE,),
    ServiceType.REPATRIATION: (CaseSection.RETURN, CaseSection.STATUS),
    ServiceType.REINTEGRATION: (CaseSection.CARE, CaseSection.FOLLOW_UPS),
    ServiceType.EDUCATION: (CaseSection.CARE,),
    ServiceType.INTERPRETATION: (),
}

# After a referral is completed the provider keeps read access to the shared sections for this long (to write
# its closing report and answer follow-up questions); then the share expires by itself. The sender may revoke it
# earlier. Declined and revoked referrals end the share at once.
COMPLETED_ACCESS_DAYS = 30


class ReferralError(models.TextChoices):
    """Error codes specific to referrals (besides ctip.core.errors.ErrorCode), shared by UI, API and tests."""

    CONSENT_REQUIRED = (
        "consent_required",
        _(
            "The person has not consented to sharing with service providers. Record consent first, or share without "
            "consent with a reason if your role allows it."
        ),
    )
    SHELTER_FULL = "shelter_full", _("The shelter is full: no bed is available. Decline or free a bed first.")
    SERVICE_NOT_OFFERED = "service_not_offered", _("This provider does not offer that service.")
    ALREADY_REFERRED = "already_referred", _("An open referral for this service to this provider already exists.")
