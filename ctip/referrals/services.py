"""Writes of the directory and of referrals (ARCHITECTURE.md rules 1-2): check the actor's right, lock what is
checked, validate, write, audit and add the case timeline entry in one transaction; notifications go out on
commit. Each referral status change has its own service (rule 4)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.accounts.models import Agency, RecordShare
from ctip.accounts.roles import Action, Scope
from ctip.accounts.selectors import agency_users_who_can
from ctip.accounts.services import share_grant, share_revoke
from ctip.audit.services import audit_record
from ctip.cases.enums import CaseSection, ServiceType
from ctip.cases.models import TARGET as CASE_TARGET
from ctip.cases.models import Case
from ctip.cases.services import lock_case, timeline_add
from ctip.cases.services.consent import consent_allows_sharing as allows
from ctip.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from ctip.notifications.services import notify

from .enums import (
    COMPLETED_ACCESS_DAYS,
    OCCUPYING_STATUSES,
    OPEN_STATUSES,
    AcceptsSex,
    ReferralError,
    ReferralStatus,
    response_time,
)
from .models import PROVIDER_TARGET, TARGET, ProviderService, Referral, ReferralCounter, ServiceProvider

TIMELINE_SECTION = CaseSection.CARE  # referral entries belong to the care part of the case


def _full_clean(obj, exclude=None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ValidationFailed.from_django(exc) from exc


# --- consent ------------------------------------------------------------------------------------------------


def consent_allows_sharing(case: Case) -> bool:
    """Whether the person's latest active consent allows sharing with service providers."""
    return allows(case)


# --- the directory ------------------------------------------------------------------------------------------

PROVIDER_FIELDS = (
    "national",
    "shelter_capacity",
    "accepts_children",
    "accepts_adults",
    "accepts_sex",
    "phone",
    "email",
    "notes",
    "is_active",
)


def can_manage_provider(actor: Actor, agency: Agency) -> bool:
    """Coordinators manage every entry; a provider's own officers manage their agency's entry only."""
    scope = actor.scope(Action.PROVIDERS_MANAGE) if actor.is_authenticated else None
    if scope == Scope.NATIONAL:
        return True
    return scope == Scope.AGENCY and actor.agency_id is not None and actor.agency_id == agency.pk


def _clean_services(services: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(s for s in services if s))
    bad = [s for s in chosen if s not in ServiceType.values]
    if bad:
        raise ValidationFailed(fields={"services": [_("Choose services from the list.")]})
    if not chosen:
        raise ValidationFailed(fields={"services": [_("Choose at least one service offered.")]})
    return chosen


def _clean_languages(languages: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(x.strip() for x in languages if x and x.strip()))[:20]


def _check_provider(provider: ServiceProvider, services: list[str], counties) -> None:
    errors = {}
    if provider.accepts_sex not in AcceptsSex.values:
        errors["accepts_sex"] = [_("Choose who the provider accepts.")]
    if not provider.accepts_children and not provider.accepts_adults:
        errors["accepts_adults"] = [_("A provider accepts children, adults or both.")]
    if ServiceType.SHELTER in services and provider.shelter_capacity < 1:
        errors["shelter_capacity"] = [_("A shelter has at least one bed.")]
    if not provider.national and not list(counties):
        errors["counties"] = [_("Choose the counties served, or tick 'serves the whole country'.")]
    if errors:
        raise ValidationFailed(fields=errors)


@transaction.atomic
def provider_create(
    *,
    actor: Actor,
    agency: Agency,
    services: Iterable[str],
    counties: Iterable = (),
    languages: Iterable[str] = (),
    **fields,
) -> ServiceProvider:
    """Add an agency to the directory (one entry per agency)."""
    if not can_manage_provider(actor, agency):
        raise PermissionDenied()
    if ServiceProvider.objects.filter(agency=agency).exists():
        raise ValidationFailed(fields={"agency": [_("This agency is already in the directory.")]})
    unknown = set(fields) - set(PROVIDER_FIELDS)
    if unknown:
        raise ValidationFailed(fields={name: [_("Unknown field.")] for name in sorted(unknown)})
    chosen = _clean_services(services)
    counties = list(counties)
    provider = ServiceProvider(agency=agency, languages=_clean_languages(languages), created_by=actor, **fields)
    if ServiceType.SHELTER not in chosen:
        provider.shelter_capacity = 0
    _check_provider(provider, chosen, counties)
    _full_clean(provider, exclude=["agency"])
    provider.save()
    provider.counties.set([] if provider.national else counties)
    ProviderService.objects.bulk_create([ProviderService(provider=provider, service_type=s) for s in chosen])
    audit_record(
        actor=actor,
        action="provider.create",
        target_type=PROVIDER_TARGET,
        target_id=provider.public_id,
        changes={
            "agency": agency.pk,
            "services": chosen,
            "counties": sorted(c.code for c in counties),
            **{k: fields[k] for k in PROVIDER_FIELDS if k in fields},
        },
    )
    return provider


@transaction.atomic
def provider_update(
    *,
    actor: Actor,
    provider: ServiceProvider,
    expected_version: int | None,
    services: Iterable[str] | None = None,
    counties: Iterable | None = None,
    languages: Iterable[str] | None = None,
    **fields,
) -> ServiceProvider:
    if not can_manage_provider(actor, provider.agency):
        raise PermissionDenied()
    locked = ServiceProvider.objects.select_for_update().get(pk=provider.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict()
    unknown = set(fields) - set(PROVIDER_FIELDS)
    if unknown:
        raise ValidationFailed(fields={name: [_("Unknown field.")] for name in sorted(unknown)})
    changes: dict = {}
    for key, value in fields.items():
        if getattr(locked, key) != value:
            changes[key] = [getattr(locked, key), value]
            setattr(locked, key, value)
    before_services = sorted(locked.offered.values_list("service_type", flat=True))
    chosen = _clean_services(services) if services is not None else before_services
    if languages is not None:
        new_languages = _clean_languages(languages)
        if new_languages != locked.languages:
            changes["languages"] = [locked.languages, new_languages]
            locked.languages = new_languages
    if ServiceType.SHELTER not in chosen:
        locked.shelter_capacity = 0
    current_counties = list(locked.counties.all()) if counties is None else list(counties)
    _check_provider(locked, chosen, current_counties)
    _full_clean(locked, exclude=["agency"])
    locked.version += 1
    locked.save()
    if sorted(chosen) != before_services:
        changes["services"] = [before_services, sorted(chosen)]
        locked.offered.exclude(service_type__in=chosen).delete()
        ProviderService.objects.bulk_create(
            [ProviderService(provider=locked, service_type=s) for s in chosen if s not in before_services]
        )
    before_counties = sorted(locked.counties.values_list("code", flat=True))
    locked.counties.set([] if locked.national else current_counties)
    after_counties = sorted(locked.counties.values_list("code", flat=True))
    if before_counties != after_counties:
        changes["counties"] = [before_counties, after_counties]
    audit_record(
        actor=actor,
        action="provider.update",
        target_type=PROVIDER_TARGET,
        target_id=locked.public_id,
        changes=changes,
    )
    return locked


def shelter_occupancy(provider: ServiceProvider) -> int:
    """Beds taken: accepted and in-progress shelter referrals (derived, never typed in)."""
    return Referral.objects.filter(
        provider=provider, service_type=ServiceType.SHELTER, status__in=list(OCCUPYING_STATUSES)
    ).count()


# --- referrals: helpers ---------------------------------------------------------------------------------------


def _next_reference(year: int) -> str:
    counter, _created = ReferralCounter.objects.select_for_update().get_or_create(year=year)
    counter.value += 1
    counter.save(update_fields=["value"])
    return f"RF-{year}-{counter.value:06d}"


def _clean_sections(sections: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(s for s in sections if s))
    if any(s not in CaseSection.values for s in chosen):
        raise ValidationFailed(fields={"sections": [_("Choose sections from the list.")]})
    # Keep the order of CaseSection so equal choices look equal everywhere.
    return [s for s in CaseSection.values if s in chosen]


def _params(referral: Referral) -> dict:
    """Timeline and notification parameters: never anything about the person."""
    return {
        "reference": referral.reference,
        "service": str(ServiceType(referral.service_type).label),
        "provider": str(referral.provider.agency),
    }


def _url(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.public_id])


def _notify_on_commit(*, agency: Agency, action: Action, kind: str, referral: Referral) -> None:
    """After commit, tell the other side's officers who may act on it (never anything about the person)."""
    params = _params(referral)
    url = _url(referral)

    def send():
        notify(users=list(agency_users_who_can(agency=agency, action=action)), kind=kind, params=params, url=url)

    transaction.on_commit(send)


def _lock(referral: Referral, expected_version: int | None) -> Referral:
    locked = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("provider__agency", "case", "sender_agency")
        .get(pk=referral.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise Conflict()
    return locked


def _move(referral: Referral, status: str) -> str:
    if not referral.can_become(status):
        raise InvalidTransition(
            _("A referral that is %(old)s cannot become %(new)s.")
            % {"old": ReferralStatus(referral.status).label, "new": ReferralStatus(status).label}
        )
    old = referral.status
    referral.status = status
    return old


def _save(referral: Referral, *fields: str) -> None:
    referral.version += 1
    referral.save(update_fields=[*fields, "status", "version", "updated_at"])


def _end_share(*, actor: Actor, referral: Referral, reason: str, expires_at=None) -> None:
    """End (or, with `expires_at`, time-limit) the share a referral created.

    The sender's officers revoke through accounts.services.share_revoke (they hold SHARE_GRANT in the owning
    agency). When the recipient ends it (declining, completing) it has no share rights over the case, so the
    referral closes its own share here, with the same audit event, on the owning agency's behalf.
    """
    if referral.share_id is None:
        return
    share = RecordShare.objects.select_for_update().get(pk=referral.share_id)
    if share.revoked_at is not None:
        return
    owner = referral.case.owning_agency_id
    if expires_at is None and actor.can(Action.SHARE_GRANT) and actor.agency_id == owner:
        share_revoke(actor=actor, share=share, owning_agency_id=owner, reason=reason)
        return
    if expires_at is None:
        RecordShare.objects.filter(pk=share.pk).update(revoked_at=timezone.now(), revoked_by=actor)
        action, changes = "share.revoke", {"agency": share.agency_id}
    else:
        RecordShare.objects.filter(pk=share.pk).update(expires_at=expires_at)
        action, changes = "share.expire_set", {"agency": share.agency_id, "expires_at": expires_at.isoformat()}
    audit_record(
        actor=actor,
        action=action,
        target_type=share.target_type,
        target_id=share.target_id,
        changes={**changes, "referral": referral.reference},
        reason=reason,
    )


def _audit(actor: Actor, referral: Referral, action: str, old: str, **extra) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type=TARGET,
        target_id=referral.public_id,
        changes={
            "reference": referral.reference,
            "case": referral.case.reference,
            "status": [old, referral.status],
            **extra,
        },
    )


def _timeline(actor: Actor, referral: Referral, kind: str) -> None:
    params = _params(referral)
    timeline_add(
        case=referral.case,
        kind=kind,
        actor=actor,
        params={"service": params["service"], "provider": params["provider"]},
        section=TIMELINE_SECTION,
    )


# --- referrals: sending ---------------------------------------------------------------------------------------


@transaction.atomic
def referral_send(
    *,
    actor: Actor,
    case: Case,
    provider: ServiceProvider,
    service_type: str,
    sections: Iterable[str],
    notes: str = "",
    override_reason: str = "",
) -> Referral:
    """Refer one need of a case to a provider, sharing only the chosen sections of the case.

    Only officers of the case's owning agency may refer it. Without the person's consent to sharing, only a role
    with CONSENT_OVERRIDE may send, with a reason (audited as "consent.override", shown on the case timeline).
    """
    require(actor, Action.REFERRAL_SEND, case, owner_side=True)
    if actor.agency_id != case.owning_agency_id:  # domain rule: a national role does not refer another's case
        raise PermissionDenied()
    locked = lock_case(case, None)
    provider = ServiceProvider.objects.select_related("agency").get(pk=provider.pk)
    errors: dict[str, list[str]] = {}
    if locked.is_closed:
        raise ValidationFailed(_("The case is closed: re-open it before referring."))
    if service_type not in ServiceType.values:
        errors["service_type"] = [_("Choose a service.")]
    if not provider.is_active or not provider.agency.is_active:
        errors["provider"] = [_("This provider is not active.")]
    elif provider.agency_id == locked.owning_agency_id:
        errors["provider"] = [_("Your own agency already has the case: choose another provider.")]
    elif service_type in ServiceType.values and not provider.offered.filter(service_type=service_type).exists():
        errors["provider"] = [str(ReferralError.SERVICE_NOT_OFFERED.label)]
    elif not (provider.accepts_children if locked.is_child else provider.accepts_adults):
        errors["provider"] = [
            _("This provider does not take children.") if locked.is_child else _("This provider takes children only.")
        ]
    chosen = _clean_sections(sections)
    if errors:
        raise ValidationFailed(fields=errors)
    if Referral.objects.filter(
        case=locked, provider=provider, service_type=service_type, status__in=list(OPEN_STATUSES)
    ).exists():
        raise Conflict(str(ReferralError.ALREADY_REFERRED.label), code=ReferralError.ALREADY_REFERRED)
    override_reason = (override_reason or "").strip()
    consented = consent_allows_sharing(locked)
    if not consented:
        if not actor.can(Action.CONSENT_OVERRIDE):
            raise PermissionDenied(str(ReferralError.CONSENT_REQUIRED.label), code=ReferralError.CONSENT_REQUIRED)
        if len(override_reason) < 15:
            raise ValidationFailed(
                str(ReferralError.CONSENT_REQUIRED.label),
                fields={
                    "override_reason": [_("State why sharing without consent is necessary (15 characters or more).")]
                },
            )
    now = timezone.now()
    referral = Referral(
        reference=_next_reference(timezone.localdate().year),
        case=locked,
        provider=provider,
        sender_agency_id=locked.owning_agency_id,
        service_type=service_type,
        sections=chosen,
        consent_override=not consented,
        status=ReferralStatus.SENT,
        sent_at=now,
        sent_by=actor,
        response_due_at=now + response_time(service_type),
        created_by=actor,
    )
    referral.notes = notes
    referral.share = share_grant(
        actor=actor,
        target_type=CASE_TARGET,
        target_id=locked.public_id,
        owning_agency_id=locked.owning_agency_id,
        agency=provider.agency,
        sections=chosen,
        reason=_("Referral %(reference)s: %(service)s")
        % {"reference": referral.reference, "service": ServiceType(service_type).label},
    )
    referral.save()
    if not consented:
        audit_record(
            actor=actor,
            action="consent.override",
            target_type=CASE_TARGET,
            target_id=locked.public_id,
            changes={"referral": referral.reference, "agency": provider.agency_id, "sections": chosen},
            reason=override_reason,
        )
        timeline_add(
            case=locked,
            kind="case.consent_override",
            actor=actor,
            params={"user": actor.get_username()},
            section=CaseSection.CONSENT,
        )
    audit_record(
        actor=actor,
        action="referral.send",
        target_type=TARGET,
        target_id=referral.public_id,
        changes={
            "reference": referral.reference,
            "case": locked.reference,
            "provider": provider.agency_id,
            "service": service_type,
            "sections": chosen,
            "consent_override": not consented,
            "notes_given": bool(notes.strip()),
        },
    )
    _timeline(actor, referral, "referral.sent")
    _notify_on_commit(
        agency=provider.agency, action=Action.REFERRAL_RESPOND, kind="referral.received", referral=referral
    )
    return referral


# --- referrals: the provider's answers ------------------------------------------------------------------------


@transaction.atomic
def referral_accept(*, actor: Actor, referral: Referral, expected_version: int | None = None) -> Referral:
    """The provider takes the referral on. A shelter accepts only while it has a free bed."""
    require(actor, Action.REFERRAL_RESPOND, referral, owner_side=True)  # the provider's agency answers
    provider = ServiceProvider.objects.select_for_update().get(pk=referral.provider_id)  # serialises bed counting
    locked = _lock(referral, expected_version)
    old = _move(locked, ReferralStatus.ACCEPTED)
    if locked.service_type == ServiceType.SHELTER and shelter_occupancy(provider) >= provider.shelter_capacity:
        raise Conflict(str(ReferralError.SHELTER_FULL.label), code=ReferralError.SHELTER_FULL)
    locked.responded_at = timezone.now()
    locked.responded_by = actor
    _save(locked, "responded_at", "responded_by")
    _audit(actor, locked, "referral.accept", old)
    _timeline(actor, locked, "referral.accepted")
    _notify_on_commit(
        agency=locked.sender_agency, action=Action.REFERRAL_SEND, kind="referral.accepted", referral=locked
    )
    return locked


@transaction.atomic
def referral_decline(*, actor: Actor, referral: Referral, reason: str, expected_version: int | None = None) -> Referral:
    """The provider cannot take the referral on; the share ends at once."""
    require(actor, Action.REFERRAL_RESPOND, referral, owner_side=True)  # the provider's agency answers
    locked = _lock(referral, expected_version)
    old = _move(locked, ReferralStatus.DECLINED)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": [_("Say why the referral is declined.")]})
    locked.responded_at = timezone.now()
    locked.responded_by = actor
    locked.decline_reason = reason
    _save(locked, "responded_at", "responded_by", "decline_reason")
    _end_share(
        actor=actor, referral=locked, reason=_("Referral %(reference)s declined") % {"reference": locked.reference}
    )
    _audit(actor, locked, "referral.decline", old)
    _timeline(actor, locked, "referral.declined")
    _notify_on_commit(
        agency=locked.sender_agency, action=Action.REFERRAL_SEND, kind="referral.declined", referral=locked
    )
    return locked


@transaction.atomic
def referral_start(*, actor: Actor, referral: Referral, expected_version: int | None = None) -> Referral:
    """The service has begun (the person arrived at the shelter, the first session took place...)."""
    require(actor, Action.REFERRAL_RESPOND, referral, owner_side=True)  # the provider's agency answers
    locked = _lock(referral, expected_version)
    old = _move(locked, ReferralStatus.IN_PROGRESS)
    locked.started_at = timezone.now()
    _save(locked, "started_at")
    _audit(actor, locked, "referral.start", old)
    _timeline(actor, locked, "referral.in_progress")
    _notify_on_commit(
        agency=locked.sender_agency, action=Action.REFERRAL_SEND, kind="referral.in_progress", referral=locked
    )
    return locked


@transaction.atomic
def referral_complete(
    *, actor: Actor, referral: Referral, note: str = "", expected_version: int | None = None
) -> Referral:
    """The service was delivered. The provider keeps read access for COMPLETED_ACCESS_DAYS, then it expires."""
    require(actor, Action.REFERRAL_RESPOND, referral, owner_side=True)  # the provider's agency answers
    locked = _lock(referral, expected_version)
    old = _move(locked, ReferralStatus.COMPLETED)
    now = timezone.now()
    locked.completed_at = now
    locked.completion_note = note
    _save(locked, "completed_at", "completion_note")
    _end_share(
        actor=actor,
        referral=locked,
        reason=_("Referral %(reference)s completed") % {"reference": locked.reference},
        expires_at=now + timedelta(days=COMPLETED_ACCESS_DAYS),
    )
    _audit(actor, locked, "referral.complete", old, note_given=bool((note or "").strip()))
    _timeline(actor, locked, "referral.completed")
    _notify_on_commit(
        agency=locked.sender_agency, action=Action.REFERRAL_SEND, kind="referral.completed", referral=locked
    )
    return locked


# --- referrals: the sender withdraws ----------------------------------------------------------------------------


@transaction.atomic
def referral_revoke(*, actor: Actor, referral: Referral, reason: str, expected_version: int | None = None) -> Referral:
    """The sending agency withdraws an open referral; the provider loses access to the case at once."""
    require(actor, Action.REFERRAL_SEND, referral, owner_side=True)  # only the sending agency revokes
    locked = _lock(referral, expected_version)
    old = _move(locked, ReferralStatus.REVOKED)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": [_("Say why the referral is revoked.")]})
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.revoke_reason = reason
    _save(locked, "revoked_at", "revoked_by", "revoke_reason")
    _end_share(
        actor=actor, referral=locked, reason=_("Referral %(reference)s revoked") % {"reference": locked.reference}
    )
    _audit(actor, locked, "referral.revoke", old)
    _timeline(actor, locked, "referral.revoked")
    _notify_on_commit(
        agency=locked.provider.agency, action=Action.REFERRAL_RESPOND, kind="referral.revoked", referral=locked
    )
    return locked
