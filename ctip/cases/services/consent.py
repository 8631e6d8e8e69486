"""Informed consent (HTCDS con_ checklist). Consent gates what is shared with whom (NRM stage 4).

The latest consent record speaks for the person: recording a new one supersedes the earlier ones, and withdrawing
the latest leaves the case without consent until a new one is recorded (an earlier, superseded consent does not
come back to life).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.accounts.models import RecordShare
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.core.errors import InvalidTransition, ValidationFailed

from ..enums import CaseSection, ConsentGiver
from ..models import TARGET, Case, Consent
from .core import person_birth_date, timeline_add
from .screening import require_open

__all__ = [
    "CONSENT_ITEMS",
    "active_consent",
    "consent_allows_sharing",
    "consent_record",
    "consent_withdraw",
]

# The HTCDS con_ checklist, as fields of Consent.
CONSENT_ITEMS = (
    "purpose_explained",
    "data_use",
    "sharing",
    "research_use",
    "right_of_access",
    "retention",
    "withdrawal",
)


def active_consent(case: Case) -> Consent | None:
    """The consent in force: the latest one recorded, unless it was withdrawn."""
    latest = Consent.objects.filter(case=case).order_by("-given_on", "-id").first()
    return latest if latest is not None and latest.is_active else None


def consent_allows_sharing(case: Case) -> bool:
    """Whether the person agreed to their data being shared with service providers (referrals check this)."""
    consent = active_consent(case)
    return bool(consent and consent.sharing)


@transaction.atomic
def consent_record(
    *,
    actor: Actor,
    case: Case,
    given_by: str,
    given_on: date,
    giver_name: str = "",
    purpose_explained: bool = False,
    data_use: bool = False,
    sharing: bool = False,
    research_use: bool = False,
    right_of_access: bool = False,
    retention: bool = False,
    withdrawal: bool = False,
) -> Consent:
    """Record the consent given. For a child, a parent or guardian or a children's officer gives it."""
    require(actor, Action.CASE_EDIT, case, section=CaseSection.CONSENT)
    require_open(case)
    giver_name = (giver_name or "").strip()
    errors: dict[str, list[str]] = {}
    if given_by not in ConsentGiver.values:
        errors["given_by"] = [_("Say who gave consent.")]
    elif case.is_child and given_by == ConsentGiver.SELF:
        errors["given_by"] = [_("The person is a child: a parent or guardian or a children's officer gives consent.")]
    elif given_by != ConsentGiver.SELF and not giver_name:
        errors["giver_name"] = [_("Give the name of the guardian or officer who gave consent.")]
    if given_by == ConsentGiver.SELF and giver_name:
        giver_name = ""  # the person's own name is in the identity vault already
    if given_on is None:
        errors["given_on"] = [_("Give a date.")]
    else:
        if given_on > timezone.localdate():
            errors["given_on"] = [_("The date cannot be in the future.")]
        dob = person_birth_date(case.person)
        if dob and given_on < dob:
            errors.setdefault("given_on", []).append(_("The date is before the person's date of birth."))
    if not purpose_explained:
        errors["purpose_explained"] = [_("Consent is informed only once the purpose of collecting data is explained.")]
    if errors:
        raise ValidationFailed(fields=errors)
    items = {
        "purpose_explained": bool(purpose_explained),
        "data_use": bool(data_use),
        "sharing": bool(sharing),
        "research_use": bool(research_use),
        "right_of_access": bool(right_of_access),
        "retention": bool(retention),
        "withdrawal": bool(withdrawal),
    }
    consent = Consent(case=case, given_by=given_by, given_on=given_on, recorded_by=actor, created_by=actor, **items)
    consent.giver_name = giver_name
    consent.save()
    audit_record(
        actor=actor,
        action="case.consent",
        target_type=TARGET,
        target_id=case.public_id,
        changes={"consent": str(consent.public_id), "given_by": given_by, "given_on": given_on.isoformat(), **items},
    )
    timeline_add(
        case=case,
        kind="case.consent",
        actor=actor,
        params={"given_by": str(ConsentGiver(given_by).label)},
        section=CaseSection.CONSENT,
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Actor, consent: Consent, reason: str) -> Consent:
    """The person withdraws consent: the record stays, new sharing needs an override, and existing shares of the
    case with other agencies end at once."""
    case = consent.case
    require(actor, Action.CASE_EDIT, case, section=CaseSection.CONSENT)
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if not locked.is_active:
        raise InvalidTransition(_("This consent was already withdrawn."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": [_("Say why consent was withdrawn.")]})
    if len(reason) > 2000:
        raise ValidationFailed(fields={"reason": [_("At most 2000 characters.")]})
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_by = actor
    locked.withdrawal_reason = reason  # it may name people
    locked.version += 1
    locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "version", "updated_at"])
    audit_record(
        actor=actor,
        action="case.consent_withdraw",
        target_type=TARGET,
        target_id=case.public_id,
        changes={"consent": str(locked.public_id)},
    )
    timeline_add(case=case, kind="case.consent_withdrawn", actor=actor, section=CaseSection.CONSENT)
    _end_shares_on_withdrawal(actor=actor, case=case)
    return locked


def _end_shares_on_withdrawal(*, actor: Actor, case) -> None:
    """Withdrawn consent ends what was shared on its strength: every active share of the case with another
    agency is revoked now (referrals then show that access ended). A new share needs the consent override."""
    now = timezone.now()
    shares = list(RecordShare.active().select_for_update().filter(target_type=TARGET, target_id=case.public_id))
    for share in shares:
        share.revoked_at = now
        share.revoked_by = actor
        share.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor=actor,
            action="share.revoke",
            target_type=TARGET,
            target_id=case.public_id,
            changes={"agency": share.agency_id},
            reason="consent withdrawn",
        )
