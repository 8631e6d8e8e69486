"""Writes of investigation leads (ARCHITECTURE.md rules 1-2): check the actor's right through
`accounts.access.require`, lock the lead (optimistic version), validate, write and audit in one transaction;
the receiving unit's investigators are notified on commit.

`lead_open` is the one way a lead is made, whatever its source (a tip's conversion, a labour officer's complaint
triage, a victim case, an officer). Acting on a lead goes through the criminal-justice services only
(`investigation_open`, `suspect_add`, `identifier_add`, `investigation_link_case`, `action_add`): this module
never writes an investigation file itself. Suspects who are persons are registered through the one registration
path (people.services.person_register_or_link, called by justice.services.suspect_add).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.accounts.access import may, require
from ctip.accounts.actor import Actor
from ctip.accounts.enums import AgencyType
from ctip.accounts.models import Agency
from ctip.accounts.roles import Action
from ctip.accounts.selectors import agency_users_who_can
from ctip.audit.services import audit_record
from ctip.cases.models import Case
from ctip.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from ctip.justice import services as justice
from ctip.justice.enums import IdentifierKind as FileIdentifierKind
from ctip.justice.models import Investigation
from ctip.notifications.services import notify
from ctip.people.identity import Identity
from ctip.people.services import PersonChoice
from ctip.reference.selectors import htcds_value_codes

from .enums import LeadIdentifierKind, LeadSource, LeadStatus, LeadSuspectKind
from .models import TARGET, Lead, LeadCounter, LeadIdentifier, LeadSuspect

ROLE_FIELD = "per_RoleInProcess"  # HTCDS perpetrator roles
DEFAULT_ROLE = "Other"  # a suspect whose role the source did not say
MAX_SUMMARY = 5000
MAX_NAME = 200
MAX_IDENTIFIER = 300
MAX_ITEMS = 50  # suspects, identifiers
MIN_REASON = 10
# The file's identifier kinds have no website or handle: those go in as an address, their kind written first.
FILE_KIND: dict[str, str] = {
    LeadIdentifierKind.PHONE: FileIdentifierKind.PHONE,
    LeadIdentifierKind.MPESA_NUMBER: FileIdentifierKind.MPESA_NUMBER,
    LeadIdentifierKind.MPESA_CODE: FileIdentifierKind.MPESA_CODE,
    LeadIdentifierKind.BANK_ACCOUNT: FileIdentifierKind.BANK_ACCOUNT,
    LeadIdentifierKind.ADDRESS: FileIdentifierKind.ADDRESS,
    LeadIdentifierKind.WEBSITE: FileIdentifierKind.ADDRESS,
    LeadIdentifierKind.HANDLE: FileIdentifierKind.ADDRESS,
}


@dataclass
class SuspectInput:
    """Someone the source names: a person ("Mama Njeri, the recruiter") or an organisation (an agency's name)."""

    name: str
    kind: str = LeadSuspectKind.PERSON
    roles: list[str] = field(default_factory=list)  # HTCDS per_RoleInProcess names, e.g. "RecruiterOrIntermediary"
    note: str = ""


@dataclass
class IdentifierInput:
    kind: str  # LeadIdentifierKind value: phone, mpesa_number, mpesa_code, bank_account, address, website, handle
    value: str


# --- helpers ------------------------------------------------------------------------------------------------------


def _next_reference(year: int) -> str:
    counter, _created = LeadCounter.objects.select_for_update().get_or_create(year=year)
    counter.value += 1
    counter.save(update_fields=["value"])
    return f"LD-{year}-{counter.value:06d}"


def _audit(actor: Actor, lead: Lead, action: str, **changes) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type=TARGET,
        target_id=lead.public_id,
        changes={"reference": lead.reference, **changes},
    )


def receiving_agencies():
    """The agencies a lead can be sent to: active police units, national units first."""
    return Agency.objects.filter(agency_type=AgencyType.POLICE, is_active=True).order_by("-national", "name")


def default_receiving_agency() -> Agency | None:
    """Where a lead goes when the sender does not choose: the first national police unit (DCI AHTCPU)."""
    return receiving_agencies().filter(national=True).first()


def _as_suspect(item: SuspectInput | Mapping[str, Any]) -> SuspectInput:
    if isinstance(item, SuspectInput):
        return item
    return SuspectInput(
        name=str(item.get("name") or ""),
        kind=str(item.get("kind") or LeadSuspectKind.PERSON),
        roles=list(item.get("roles") or []),
        note=str(item.get("note") or ""),
    )


def _as_identifier(item: IdentifierInput | Mapping[str, Any] | tuple) -> IdentifierInput:
    if isinstance(item, IdentifierInput):
        return item
    if isinstance(item, tuple):
        return IdentifierInput(kind=str(item[0]), value=str(item[1]))
    return IdentifierInput(kind=str(item.get("kind") or ""), value=str(item.get("value") or ""))


def _clean_suspects(items: Iterable) -> tuple[list[SuspectInput], list[str]]:
    cleaned, errors = [], []
    roles_allowed = htcds_value_codes(ROLE_FIELD)
    for n, raw in enumerate(items, start=1):
        s = _as_suspect(raw)
        s.name = s.name.strip()
        s.note = (s.note or "").strip()
        s.roles = list(dict.fromkeys(r for r in s.roles if r))
        if not s.name:
            errors.append(_("Suspect %(n)s: enter a name (or what the person is called).") % {"n": n})
        elif len(s.name) > MAX_NAME:
            errors.append(_("Suspect %(n)s: at most %(max)s characters.") % {"n": n, "max": MAX_NAME})
        if s.kind not in LeadSuspectKind.values:
            errors.append(_("Suspect %(n)s: say whether it is a person or an organisation.") % {"n": n})
        if any(r not in roles_allowed for r in s.roles):
            errors.append(_("Suspect %(n)s: choose roles from the list.") % {"n": n})
        cleaned.append(s)
    if len(cleaned) > MAX_ITEMS:
        errors.append(_("At most %(max)s suspects.") % {"max": MAX_ITEMS})
    return cleaned, errors


def _clean_identifiers(items: Iterable) -> tuple[list[IdentifierInput], list[str]]:
    cleaned, errors = [], []
    for n, raw in enumerate(items, start=1):
        i = _as_identifier(raw)
        i.value = i.value.strip()
        if i.kind not in LeadIdentifierKind.values:
            errors.append(_("Identifier %(n)s: choose what kind of identifier it is.") % {"n": n})
        if not i.value:
            errors.append(_("Identifier %(n)s: enter the identifier.") % {"n": n})
        elif len(i.value) > MAX_IDENTIFIER:
            errors.append(_("Identifier %(n)s: at most %(max)s characters.") % {"n": n, "max": MAX_IDENTIFIER})
        cleaned.append(i)
    if len(cleaned) > MAX_ITEMS:
        errors.append(_("At most %(max)s identifiers.") % {"max": MAX_ITEMS})
    return cleaned, errors


def _notify_on_commit(lead: Lead) -> None:
    params = {"reference": lead.reference}
    url = reverse("leads:detail", args=[lead.public_id])
    agency = lead.owning_agency

    def send():
        notify(
            users=list(agency_users_who_can(agency=agency, action=Action.LEAD_HANDLE)),
            kind="lead.received",
            params=params,
            url=url,
        )

    transaction.on_commit(send)


# --- opening a lead -----------------------------------------------------------------------------------------------


@transaction.atomic
def lead_open(
    *,
    actor: Actor,
    source: str,
    source_ref: str = "",
    summary: str,
    suspects: Iterable[SuspectInput | Mapping[str, Any]] = (),
    identifiers: Iterable[IdentifierInput | Mapping[str, Any] | tuple] = (),
    agency: Agency | None = None,
    case: Case | None = None,
) -> Lead:
    """Send an investigation lead to an investigating agency (default: the first national police unit).

    source: "tip" | "complaint" | "case" | "officer" (LeadSource); source_ref: the source record's reference
    (a tip's, a complaint's, a case's), shown to those who may see that record; summary: what is known (sealed);
    suspects: SuspectInput or dicts {"name", "kind": "person"|"organisation", "roles": [HTCDS names], "note"};
    identifiers: IdentifierInput, dicts {"kind", "value"} or (kind, value) pairs. At least one suspect or
    identifier. A lead from a case names the case (which the actor must see). Raises ValidationFailed (fields:
    source, source_ref, summary, suspects, identifiers, agency, case) or PermissionDenied."""
    require(actor, Action.LEAD_SEND)
    if source == LeadSource.TIP:
        require(actor, Action.TIP_TRIAGE)
    if case is not None:
        require(actor, Action.CASE_VIEW, case)
    errors: dict[str, list[str]] = {}
    summary = (summary or "").strip()
    source_ref = (source_ref or "").strip()
    if source not in LeadSource.values:
        errors["source"] = [_("Choose where the lead comes from.")]
    if source == LeadSource.CASE and case is None:
        errors["case"] = [_("A lead from a case names the case.")]
    if case is not None and not source_ref:
        source_ref = case.reference
    if len(source_ref) > 40:
        errors["source_ref"] = [_("At most 40 characters.")]
    if not summary:
        errors["summary"] = [_("Say what is known: who, what, where, when.")]
    elif len(summary) > MAX_SUMMARY:
        errors["summary"] = [_("At most %(max)s characters.") % {"max": MAX_SUMMARY}]
    cleaned_suspects, suspect_errors = _clean_suspects(suspects)
    cleaned_identifiers, identifier_errors = _clean_identifiers(identifiers)
    if suspect_errors:
        errors["suspects"] = suspect_errors
    if identifier_errors:
        errors["identifiers"] = identifier_errors
    if not cleaned_suspects and not cleaned_identifiers and "suspects" not in errors:
        errors["suspects"] = [_("Name at least one suspect, or give at least one identifier.")]
    if agency is None:
        agency = default_receiving_agency()
    if agency is None or agency.agency_type != AgencyType.POLICE or not agency.is_active:
        errors["agency"] = [_("Choose an investigating agency (a police unit).")]
    if errors:
        raise ValidationFailed(fields=errors)
    assert agency is not None
    lead = Lead(
        reference=_next_reference(timezone.localdate().year),
        owning_agency=agency,
        sender_agency_id=actor.agency_id,
        source=source,
        source_ref=source_ref,
        source_case=case,
        created_by=actor,
    )
    lead.summary = summary
    lead.save()
    rows = []
    for s in cleaned_suspects:
        row = LeadSuspect(lead=lead, kind=s.kind, roles=s.roles)
        row.name = s.name
        row.note = s.note
        rows.append(row)
    LeadSuspect.objects.bulk_create(rows)
    ids = []
    for i in cleaned_identifiers:
        ident = LeadIdentifier(lead=lead, kind=i.kind)
        ident.value = i.value
        ids.append(ident)
    LeadIdentifier.objects.bulk_create(ids)
    _audit(
        actor,
        lead,
        "lead.open",
        source=source,
        source_ref=source_ref,
        agency=str(agency.public_id),
        suspects=len(rows),
        identifiers=sorted(i.kind for i in ids),
    )
    _notify_on_commit(lead)
    return lead


# --- acting on a lead ---------------------------------------------------------------------------------------------


def lock_lead(actor: Actor, lead: Lead, expected_version: int | None) -> Lead:
    """The lead locked for a decision by its receiving agency: lead.handle on the owning side, still new."""
    require(actor, Action.LEAD_HANDLE, lead, owner_side=True)
    locked = Lead.objects.select_for_update(of=("self",)).get(pk=lead.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(
            _(
                "Someone else acted on this lead since you opened it. Nothing was saved: reload, see what they "
                "did, and try again."
            )
        )
    if not locked.is_open:
        raise InvalidTransition(
            _("This lead was already decided (%(status)s).") % {"status": LeadStatus(locked.status).label.lower()}
        )
    return locked


def _split_name(name: str) -> Identity:
    parts = name.split()
    if len(parts) == 1:
        return Identity(first_name=parts[0])
    return Identity(first_name=parts[0], middle_names=" ".join(parts[1:-1]), last_name=parts[-1])


@dataclass
class CarryResult:
    suspects_added: int = 0
    suspects_present: int = 0  # already in the file
    identifiers_added: int = 0
    case_linked: bool = False


def _carry(actor: Actor, lead: Lead, investigation: Investigation, *, link_case: bool) -> CarryResult:
    """Put the lead's suspects, identifiers and summary into the file through the justice services."""
    result = CarryResult()
    if link_case and lead.source_case is not None and may(actor, Action.CASE_VIEW, lead.source_case):
        try:
            justice.investigation_link_case(
                actor=actor, investigation=investigation, case=lead.source_case, role="complainant"
            )
            result.case_linked = True
        except ValidationFailed:  # already linked
            pass
    for s in lead.suspects.all():
        roles = s.roles or [DEFAULT_ROLE]
        note = _("From lead %(reference)s.") % {"reference": lead.reference}
        if s.note:
            note = f"{note} {s.note}"
        try:
            if s.kind == LeadSuspectKind.ORGANISATION:
                justice.suspect_add(
                    actor=actor, investigation=investigation, roles=roles, organisation_name=s.name, note=note
                )
            else:
                # Nobody chooses among look-alikes here: a new person is registered and any likely duplicate is
                # queued for the officers' review (the one registration path decides).
                justice.suspect_add(
                    actor=actor,
                    investigation=investigation,
                    roles=roles,
                    person=PersonChoice(identity=_split_name(s.name), queue_duplicates=True),
                    note=note,
                )
            result.suspects_added += 1
        except ValidationFailed:  # already a suspect in the file
            result.suspects_present += 1
    kind_labels = dict(LeadIdentifierKind.choices)
    for i in lead.identifiers.all():
        value = i.value
        if i.kind in (LeadIdentifierKind.WEBSITE, LeadIdentifierKind.HANDLE):
            value = f"{kind_labels[i.kind]}: {value}"
        justice.identifier_add(actor=actor, investigation=investigation, kind=FILE_KIND[i.kind], value=value[:300])
        result.identifiers_added += 1
    justice.action_add(
        actor=actor,
        investigation=investigation,
        done_on=timezone.localdate(),
        text=_("Lead %(reference)s (%(source)s): %(summary)s")
        % {"reference": lead.reference, "source": LeadSource(lead.source).label, "summary": lead.summary},
    )
    return result


def _decided(actor: Actor, locked: Lead, status: str, investigation: Investigation | None = None) -> None:
    locked.status = status
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.investigation = investigation
    locked.version += 1
    fields = ["status", "decided_at", "decided_by", "investigation", "version", "updated_at"]
    if status == LeadStatus.DECLINED:
        fields.append("decline_reason")
    locked.save(update_fields=fields)


@transaction.atomic
def lead_accept(
    *, actor: Actor, lead: Lead, expected_version: int | None, data: justice.FileInput
) -> tuple[Investigation, CarryResult]:
    """Open an investigation file for the lead (justice.services.investigation_open) and put its suspects,
    identifiers and summary in it; the case of a lead from a case is linked when the investigator may see it."""
    locked = lock_lead(actor, lead, expected_version)
    case = locked.source_case if locked.source_case and may(actor, Action.CASE_VIEW, locked.source_case) else None
    investigation = justice.investigation_open(actor=actor, data=data, case=case)
    result = _carry(actor, locked, investigation, link_case=False)
    result.case_linked = case is not None
    _decided(actor, locked, LeadStatus.ACCEPTED, investigation)
    _audit(
        actor,
        locked,
        "lead.accept",
        investigation=investigation.reference,
        suspects=result.suspects_added,
        identifiers=result.identifiers_added,
    )
    return investigation, result


@transaction.atomic
def lead_join(*, actor: Actor, lead: Lead, expected_version: int | None, investigation: Investigation) -> CarryResult:
    """Join the lead to a file the actor's unit keeps: its suspects and identifiers are added to the file."""
    locked = lock_lead(actor, lead, expected_version)
    if investigation.owning_agency_id != locked.owning_agency_id:
        raise PermissionDenied()
    result = _carry(actor, locked, investigation, link_case=True)
    _decided(actor, locked, LeadStatus.JOINED, investigation)
    _audit(
        actor,
        locked,
        "lead.join",
        investigation=investigation.reference,
        suspects=result.suspects_added,
        identifiers=result.identifiers_added,
    )
    return result


@transaction.atomic
def lead_decline(*, actor: Actor, lead: Lead, expected_version: int | None, reason: str) -> Lead:
    """Decline the lead with a reason (sealed: it may name someone)."""
    locked = lock_lead(actor, lead, expected_version)
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ValidationFailed(
            fields={"reason": [_("Give the reason (%(n)s characters or more).") % {"n": MIN_REASON}]}
        )
    locked.decline_reason = reason
    _decided(actor, locked, LeadStatus.DECLINED)
    _audit(actor, locked, "lead.decline")
    return locked
