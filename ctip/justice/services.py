"""Writes of the investigation file and its hand-over (ARCHITECTURE.md rules 1-2): check the actor's right through
`accounts.access.require`, lock the file (optimistic version where a form carries one), validate, write and audit
in one transaction; notifications go out on commit. Suspects who are persons are registered only through
`people.services.person_register_or_link`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.accounts.enums import AgencyType
from ctip.accounts.models import Agency, RecordShare
from ctip.accounts.roles import Action
from ctip.accounts.selectors import agency_users_who_can
from ctip.accounts.services import share_grant, share_revoke
from ctip.audit.services import audit_record
from ctip.cases.models import Case
from ctip.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from ctip.notifications.services import notify
from ctip.people.sealed import has_text
from ctip.people.services import PersonChoice, PersonOutcome, person_register_or_link
from ctip.reference.models import Offence
from ctip.reference.selectors import htcds_value_codes

from .enums import (
    AdjournmentReason,
    Advice,
    AppealResult,
    Appellant,
    ClosureReason,
    CourtEventKind,
    CourtEventStatus,
    EvidenceItem,
    EvidenceState,
    FileSection,
    IdentifierKind,
    InvestigatingUnit,
    InvestigationStatus,
    Origin,
    Plea,
    Sex,
    SuspectKind,
    Verdict,
    VictimRole,
)
from .models import (
    TARGET,
    ActionEntry,
    Appeal,
    ChargeCount,
    ChargeSheet,
    CountOutcome,
    CourtEvent,
    CourtStation,
    Evidence,
    ForfeitureOrder,
    FoundIdentifier,
    Investigation,
    InvestigationCase,
    InvestigationCounter,
    InvestigationOffence,
    RestitutionOrder,
    Submission,
    Suspect,
    VictimWitness,
)

ROLE_FIELD = "per_RoleInProcess"  # HTCDS perpetrator roles
MIN_REASON = 10  # characters: a reason for missing evidence, a closure, the prosecutor's requests


# --- helpers ------------------------------------------------------------------------------------------------------


def _next_reference(year: int) -> str:
    counter, _created = InvestigationCounter.objects.select_for_update().get_or_create(year=year)
    counter.value += 1
    counter.save(update_fields=["value"])
    return f"IV-{year}-{counter.value:06d}"


def lock_investigation(investigation: Investigation, expected_version: int | None) -> Investigation:
    locked = Investigation.objects.select_for_update(of=("self",)).get(pk=investigation.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(
            _(
                "Someone else changed this file since you opened it. Your changes were not saved: "
                "reload, check theirs, and try again."
            )
        )
    return locked


def _editable(actor: Actor, investigation: Investigation, expected_version: int | None = None) -> Investigation:
    """The file locked for an edit by its own unit: the owning side with investigation.edit, an editable status."""
    require(actor, Action.INVESTIGATION_EDIT, investigation, owner_side=True)
    locked = lock_investigation(investigation, expected_version)
    if not locked.is_editable:
        raise InvalidTransition(
            _("A file that is %(status)s cannot be changed.")
            % {"status": InvestigationStatus(locked.status).label.lower()}
        )
    return locked


def _bump(investigation: Investigation, *fields: str) -> None:
    investigation.version += 1
    investigation.save(update_fields=[*fields, "version", "updated_at"])


def _audit(actor: Actor, investigation: Investigation, action: str, **changes) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type=TARGET,
        target_id=investigation.public_id,
        changes={"reference": investigation.reference, **changes},
    )


def _clean_officers(agency_id: int, officers: Iterable) -> list:
    officers = list(officers)
    if any(o.agency_id != agency_id or not o.can(Action.INVESTIGATION_EDIT) for o in officers):
        raise ValidationFailed(fields={"officers": [_("Choose investigators of the unit's own agency.")]})
    return officers


@dataclass
class FileInput:
    ob_number: str
    police_station: str
    unit: str
    officers: list = field(default_factory=list)


def _check_file(data: FileInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not data.ob_number.strip():
        errors["ob_number"] = [_("Enter the OB number.")]
    if not data.police_station.strip():
        errors["police_station"] = [_("Enter the police station.")]
    if data.unit not in InvestigatingUnit.values:
        errors["unit"] = [_("Choose the investigating unit.")]
    return errors


# --- the file -----------------------------------------------------------------------------------------------------


@transaction.atomic
def investigation_open(
    *, actor: Actor, data: FileInput, case: Case | None = None, victim_role: str = VictimRole.COMPLAINANT
) -> Investigation:
    """Open a file for the actor's unit (on its own, or from a victim case the actor may see)."""
    require(actor, Action.INVESTIGATION_EDIT)
    if not actor.agency_id:
        raise PermissionDenied()
    if case is not None:
        require(actor, Action.CASE_VIEW, case)
    errors = _check_file(data)
    if case is not None and victim_role not in VictimRole.values:
        errors["victim_role"] = [_("Choose the victim's role in the file.")]
    if errors:
        raise ValidationFailed(fields=errors)
    officers = _clean_officers(actor.agency_id, data.officers)
    investigation = Investigation.objects.create(
        reference=_next_reference(timezone.localdate().year),
        owning_agency_id=actor.agency_id,
        origin=Origin.CASE if case is not None else Origin.OWN,
        ob_number=data.ob_number.strip(),
        police_station=data.police_station.strip(),
        unit=data.unit,
        created_by=actor,
    )
    investigation.officers.set(officers or [actor])
    Evidence.objects.bulk_create([Evidence(investigation=investigation, item=item) for item in EvidenceItem.values])
    _audit(
        actor,
        investigation,
        "investigation.open",
        unit=data.unit,
        origin=investigation.origin,
        case=case.reference if case is not None else "",
    )
    if case is not None:
        _link(actor, investigation, case, victim_role)
    return investigation


@transaction.atomic
def investigation_update(
    *, actor: Actor, investigation: Investigation, expected_version: int | None, data: FileInput
) -> Investigation:
    locked = _editable(actor, investigation, expected_version)
    errors = _check_file(data)
    if errors:
        raise ValidationFailed(fields=errors)
    officers = _clean_officers(locked.owning_agency_id, data.officers)
    changes: dict = {}
    for name in ("ob_number", "police_station", "unit"):
        value = getattr(data, name).strip()
        if getattr(locked, name) != value:
            changes[name] = [getattr(locked, name), value]
            setattr(locked, name, value)
    before = sorted(locked.officers.values_list("pk", flat=True))
    after = sorted(o.pk for o in officers)
    if before != after:
        locked.officers.set(officers)
        changes["officers"] = [before, after]
    _bump(locked, "ob_number", "police_station", "unit")
    _audit(actor, locked, "investigation.update", **changes)
    return locked


def _link(actor: Actor, investigation: Investigation, case: Case, role: str) -> InvestigationCase:
    if InvestigationCase.objects.filter(investigation=investigation, case=case).exists():
        raise ValidationFailed(fields={"case": [_("This case is already linked to the file.")]})
    link = InvestigationCase.objects.create(investigation=investigation, case=case, role=role, linked_by=actor)
    _audit(actor, investigation, "investigation.link_case", case=case.reference, role=role)
    return link


@transaction.atomic
def investigation_link_case(
    *, actor: Actor, investigation: Investigation, case: Case, role: str, expected_version: int | None = None
) -> InvestigationCase:
    """Join a victim case the actor may see to the file (its victim a complainant or a witness)."""
    locked = _editable(actor, investigation, expected_version)
    require(actor, Action.CASE_VIEW, case)
    if role not in VictimRole.values:
        raise ValidationFailed(fields={"role": [_("Choose the victim's role in the file.")]})
    link = _link(actor, locked, case, role)
    _bump(locked)
    return link


# --- suspects -----------------------------------------------------------------------------------------------------


def _clean_roles(roles: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(r for r in roles if r))
    if not chosen:
        raise ValidationFailed(fields={"roles": [_("Choose at least one role of the suspect.")]})
    if any(r not in htcds_value_codes(ROLE_FIELD) for r in chosen):
        raise ValidationFailed(fields={"roles": [_("Choose roles from the list.")]})
    return chosen


@dataclass
class SuspectResult:
    """The suspect added; or, when `suspect` is None, the persons proposed (see people.services.PersonOutcome)."""

    suspect: Suspect | None
    outcome: PersonOutcome | None = None


@transaction.atomic
def suspect_add(
    *,
    actor: Actor,
    investigation: Investigation,
    roles: Iterable[str],
    person: PersonChoice | None = None,
    organisation_name: str = "",
    note: str = "",
) -> SuspectResult:
    """Add a suspect: a person (registered or linked through the one registration path) or a named organisation."""
    locked = _editable(actor, investigation)
    chosen = _clean_roles(roles)
    organisation_name = (organisation_name or "").strip()
    if (person is None) == (not organisation_name):
        raise ValidationFailed(fields={"organisation_name": [_("Name a person or an organisation, not both.")]})
    if person is not None:
        outcome = person_register_or_link(actor=actor, choice=person, owning_agency=locked.owning_agency)
        if outcome.person is None:
            return SuspectResult(suspect=None, outcome=outcome)
        if Suspect.objects.filter(investigation=locked, person=outcome.person).exists():
            raise ValidationFailed(fields={"person": [_("This person is already a suspect in the file.")]})
        suspect = Suspect(investigation=locked, kind=SuspectKind.PERSON, person=outcome.person, roles=chosen)
    else:
        outcome = None
        suspect = Suspect(
            investigation=locked, kind=SuspectKind.ORGANISATION, organisation_name=organisation_name, roles=chosen
        )
    suspect.note = note or ""
    suspect.created_by = actor
    suspect.save()
    _bump(locked)
    _audit(
        actor,
        locked,
        "investigation.suspect_add",
        suspect=str(suspect.public_id),
        kind=suspect.kind,
        person=str(suspect.person.public_id) if suspect.person else "",
        roles=chosen,
    )
    return SuspectResult(suspect=suspect, outcome=outcome)


@transaction.atomic
def suspect_remove(*, actor: Actor, investigation: Investigation, suspect: Suspect) -> None:
    locked = _editable(actor, investigation)
    if suspect.investigation_id != locked.pk:
        raise ValidationFailed(fields={"suspect": [_("This suspect is not in the file.")]})
    public_id = str(suspect.public_id)
    suspect.delete()
    _bump(locked)
    _audit(actor, locked, "investigation.suspect_remove", suspect=public_id)


# --- offences, identifiers, action log, evidence -------------------------------------------------------------


@transaction.atomic
def offence_add(*, actor: Actor, investigation: Investigation, offence: Offence) -> InvestigationOffence:
    locked = _editable(actor, investigation)
    if InvestigationOffence.objects.filter(investigation=locked, offence=offence).exists():
        raise ValidationFailed(fields={"offence": [_("This offence is already in the file.")]})
    row = InvestigationOffence.objects.create(investigation=locked, offence=offence, added_by=actor)
    _bump(locked)
    _audit(actor, locked, "investigation.offence_add", offence=offence.code)
    return row


@transaction.atomic
def offence_remove(*, actor: Actor, investigation: Investigation, offence: Offence) -> None:
    locked = _editable(actor, investigation)
    deleted, _rows = InvestigationOffence.objects.filter(investigation=locked, offence=offence).delete()
    if not deleted:
        raise ValidationFailed(fields={"offence": [_("This offence is not in the file.")]})
    _bump(locked)
    _audit(actor, locked, "investigation.offence_remove", offence=offence.code)


@transaction.atomic
def identifier_add(*, actor: Actor, investigation: Investigation, kind: str, value: str) -> FoundIdentifier:
    locked = _editable(actor, investigation)
    value = (value or "").strip()
    errors = {}
    if kind not in IdentifierKind.values:
        errors["kind"] = [_("Choose what kind of identifier it is.")]
    if not value:
        errors["value"] = [_("Enter the identifier.")]
    elif len(value) > 300:
        errors["value"] = [_("At most 300 characters.")]
    if errors:
        raise ValidationFailed(fields=errors)
    row = FoundIdentifier(investigation=locked, kind=kind, added_by=actor)
    row.value = value
    row.save()
    _bump(locked)
    _audit(actor, locked, "investigation.identifier_add", kind=kind)  # never the value
    return row


@transaction.atomic
def action_add(*, actor: Actor, investigation: Investigation, done_on: date, text: str) -> ActionEntry:
    locked = _editable(actor, investigation)
    text = (text or "").strip()
    errors = {}
    if not text:
        errors["text"] = [_("Say what was done.")]
    if done_on is None or done_on > timezone.localdate():
        errors["done_on"] = [_("Enter a date that is not in the future.")]
    elif done_on < locked.opened_on.replace(year=locked.opened_on.year - 5):
        errors["done_on"] = [_("This date is long before the file was opened.")]
    if errors:
        raise ValidationFailed(fields=errors)
    row = ActionEntry(investigation=locked, done_on=done_on, added_by=actor)
    row.text = text
    row.save()
    _bump(locked)
    _audit(actor, locked, "investigation.action_add", done_on=done_on.isoformat())
    return row


@transaction.atomic
def evidence_set(
    *,
    actor: Actor,
    investigation: Investigation,
    item: str,
    state: str,
    reason: str = "",
    expected_version: int | None = None,
) -> Evidence:
    """Record one checklist item. Missing evidence needs a reason (why it is missing, what is being done)."""
    locked = _editable(actor, investigation, expected_version)
    reason = (reason or "").strip()
    errors = {}
    if item not in EvidenceItem.values:
        errors["item"] = [_("Choose an item of the checklist.")]
    if state not in EvidenceState.values:
        errors["state"] = [_("Choose present, not applicable or missing.")]
    elif state == EvidenceState.MISSING and len(reason) < MIN_REASON:
        errors["reason"] = [_("Say why it is missing (%(n)s characters or more).") % {"n": MIN_REASON}]
    if errors:
        raise ValidationFailed(fields=errors)
    row = Evidence.objects.select_for_update().get(investigation=locked, item=item)
    old = row.state
    row.state = state
    row.reason = reason if state == EvidenceState.MISSING else ""
    row.updated_at = timezone.now()
    row.updated_by = actor
    row.save()
    _bump(locked)
    _audit(actor, locked, "investigation.evidence_set", item=item, state=[old, state], reason_given=bool(reason))
    return row


def evidence_gaps(investigation: Investigation) -> list[Evidence]:
    """Items still missing, in the checklist's order (each with or without a reason)."""
    rows = {e.item: e for e in investigation.evidence.all()}
    return [rows[i] for i in EvidenceItem.values if i in rows and rows[i].state == EvidenceState.MISSING]


def unexplained_gaps(investigation: Investigation) -> list[str]:
    """Missing items without a reason: a file is not submitted with these."""
    return [e.item for e in evidence_gaps(investigation) if not e.reason]


# --- the hand-over ------------------------------------------------------------------------------------------------


def _clean_sections(sections: Iterable[str]) -> list[str]:
    chosen = {s for s in sections if s}
    if chosen - set(FileSection.values):
        raise ValidationFailed(fields={"sections": [_("Choose sections from the list.")]})
    if not chosen:
        raise ValidationFailed(fields={"sections": [_("Choose at least one section to hand over.")]})
    return [s for s in FileSection.values if s in chosen]


def _notify_on_commit(*, agency: Agency, action: Action, kind: str, investigation: Investigation) -> None:
    params = {"reference": investigation.reference}
    url = reverse("justice:detail", args=[investigation.public_id])

    def send():
        notify(users=list(agency_users_who_can(agency=agency, action=action)), kind=kind, params=params, url=url)

    transaction.on_commit(send)


@transaction.atomic
def investigation_submit(
    *,
    actor: Actor,
    investigation: Investigation,
    agency: Agency,
    sections: Iterable[str],
    note: str = "",
    expected_version: int | None = None,
) -> Submission:
    """Hand the file to a prosecutor's office: a share of the chosen sections, recorded as a submission.

    Refused while an evidence item is missing without a reason (the gaps are listed)."""
    require(actor, Action.INVESTIGATION_EDIT, investigation, owner_side=True)
    locked = lock_investigation(investigation, expected_version)
    if locked.status != InvestigationStatus.OPEN:
        raise InvalidTransition(
            _("A file that is %(status)s cannot be submitted.")
            % {"status": InvestigationStatus(locked.status).label.lower()}
        )
    if agency.agency_type != AgencyType.PROSECUTION or not agency.is_active:
        raise ValidationFailed(fields={"agency": [_("Choose an active prosecution office.")]})
    chosen = _clean_sections(sections)
    unexplained = unexplained_gaps(locked)
    if unexplained:
        raise ValidationFailed(
            _(
                "Evidence is missing without a reason: %(items)s. "
                "Record it, mark it not applicable, or say why it is missing."
            )
            % {"items": ", ".join(str(EvidenceItem(i).label) for i in unexplained)},
            fields={"evidence": [str(EvidenceItem(i).label) for i in unexplained]},
        )
    if not locked.suspects.exists():
        raise ValidationFailed(fields={"suspects": [_("Add at least one suspect before submitting.")]})
    if not locked.offences.exists():
        raise ValidationFailed(fields={"offences": [_("Add at least one offence before submitting.")]})
    gaps = [e.item for e in evidence_gaps(locked)]
    share = share_grant(
        actor=actor,
        target_type=TARGET,
        target_id=locked.public_id,
        owning_agency_id=locked.owning_agency_id,
        agency=agency,
        sections=chosen,
        reason=_("Investigation file %(reference)s submitted for review") % {"reference": locked.reference},
    )
    submission = Submission(
        investigation=locked,
        agency=agency,
        sections=chosen,
        gaps=gaps,
        submitted_by=actor,
        share=share,
        created_by=actor,
    )
    submission.note = note or ""
    submission.save()
    old = locked.status
    locked.status = InvestigationStatus.WITH_ODPP
    locked.status_changed_at = timezone.now()
    locked.prosecution_agency = agency
    _bump(locked, "status", "status_changed_at", "prosecution_agency")
    _audit(
        actor,
        locked,
        "investigation.submit",
        status=[old, locked.status],
        agency=agency.pk,
        sections=chosen,
        gaps=gaps,
        note_given=bool((note or "").strip()),
    )
    _notify_on_commit(
        agency=agency, action=Action.INVESTIGATION_REVIEW, kind="investigation.submitted", investigation=locked
    )
    return submission


def pending_submission(investigation: Investigation) -> Submission | None:
    return investigation.submissions.filter(advice="").order_by("-submitted_at").first()


@transaction.atomic
def investigation_advise(
    *, actor: Actor, investigation: Investigation, advice: str, text: str = "", expected_version: int | None = None
) -> Submission:
    """The prosecutor's advice on the file handed to their office: charge (the office keeps the file to
    prosecute); further investigation with specific requests, or no further action with a reason (the file comes
    back: the share is revoked)."""
    require(actor, Action.INVESTIGATION_REVIEW, investigation)
    locked = lock_investigation(investigation, expected_version)
    if locked.status != InvestigationStatus.WITH_ODPP or locked.prosecution_agency_id != actor.agency_id:
        raise InvalidTransition(_("This file is not awaiting your office's advice."))
    submission = pending_submission(locked)
    if submission is None:
        raise InvalidTransition(_("This file is not awaiting your office's advice."))
    text = (text or "").strip()
    if advice not in Advice.values:
        raise ValidationFailed(fields={"advice": [_("Choose the advice.")]})
    if advice == Advice.FURTHER_INVESTIGATION and len(text) < MIN_REASON:
        raise ValidationFailed(
            fields={"text": [_("List what the investigator should do (%(n)s characters or more).") % {"n": MIN_REASON}]}
        )
    if advice == Advice.NO_FURTHER_ACTION and len(text) < MIN_REASON:
        raise ValidationFailed(
            fields={
                "text": [_("Give the reason for no further action (%(n)s characters or more).") % {"n": MIN_REASON}]
            }
        )
    now = timezone.now()
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    submission.advice = advice
    submission.advice_text = text
    submission.advised_at = now
    submission.advised_by = actor
    old = locked.status
    if advice == Advice.CHARGE:
        locked.status = InvestigationStatus.CHARGE_ADVISED
    else:
        locked.status = InvestigationStatus.OPEN
        submission.returned_at = now
        _end_share(actor, locked, submission)
    submission.version += 1
    submission.save()
    locked.status_changed_at = now
    _bump(locked, "status", "status_changed_at")
    _audit(actor, locked, "investigation.advise", status=[old, locked.status], advice=advice, text_given=bool(text))
    _notify_on_commit(
        agency=locked.owning_agency,
        action=Action.INVESTIGATION_EDIT,
        kind="investigation.advised",
        investigation=locked,
    )
    return submission


def _end_share(actor: Actor, investigation: Investigation, submission: Submission) -> None:
    """The file comes back: the prosecutor's office loses the shared sections. The prosecutor holds no share rights
    over the file, so the hand-over ends its own share here, with the same audit event, on the unit's behalf."""
    if submission.share_id is None:
        return
    share = RecordShare.objects.select_for_update().get(pk=submission.share_id)
    if share.revoked_at is not None:
        return
    reason = _("Investigation file %(reference)s returned") % {"reference": investigation.reference}
    if actor.can(Action.SHARE_GRANT) and actor.agency_id == investigation.owning_agency_id:
        share_revoke(actor=actor, share=share, owning_agency_id=investigation.owning_agency_id, reason=reason)
        return
    RecordShare.objects.filter(pk=share.pk).update(revoked_at=timezone.now(), revoked_by=actor)
    audit_record(
        actor=actor,
        action="share.revoke",
        target_type=TARGET,
        target_id=investigation.public_id,
        changes={"agency": share.agency_id, "reference": investigation.reference},
        reason=reason,
    )


@transaction.atomic
def investigation_close(
    *, actor: Actor, investigation: Investigation, reason: str, note: str = "", expected_version: int | None = None
) -> Investigation:
    """Close a file that is with its unit (not while the prosecutor has it), with a reason."""
    require(actor, Action.INVESTIGATION_EDIT, investigation, owner_side=True)
    locked = lock_investigation(investigation, expected_version)
    if locked.status != InvestigationStatus.OPEN:
        raise InvalidTransition(
            _("A file that is %(status)s cannot be closed.")
            % {"status": InvestigationStatus(locked.status).label.lower()}
        )
    note = (note or "").strip()
    if reason not in ClosureReason.values:
        raise ValidationFailed(fields={"reason": [_("Choose the reason for closing.")]})
    if reason == ClosureReason.OTHER and len(note) < MIN_REASON:
        raise ValidationFailed(
            fields={"note": [_("Explain the reason (%(n)s characters or more).") % {"n": MIN_REASON}]}
        )
    now = timezone.now()
    locked.status = InvestigationStatus.CLOSED
    locked.status_changed_at = now
    locked.closure_reason = reason
    locked.closure_note = note
    locked.closed_at = now
    _bump(locked, "status", "status_changed_at", "closure_reason", "closure_note", "closed_at")
    _audit(actor, locked, "investigation.close", status=[InvestigationStatus.OPEN, locked.status], reason=reason)
    return locked


# --- prosecution: the charge sheet --------------------------------------------------------------------------------


@dataclass
class CountInput:
    accused: Suspect
    offence: Offence
    plea: str = Plea.NOT_TAKEN
    accused_sex: str = Sex.UNKNOWN


@transaction.atomic
def charge_sheet_record(
    *,
    actor: Actor,
    investigation: Investigation,
    court: CourtStation | None,
    court_case_number: str,
    charged_on: date,
    counts: Iterable[CountInput],
    expected_version: int | None = None,
) -> ChargeSheet:
    """The office that advised to charge records the charges: each count an accused of the file and an offence
    with its statute and section. All counts or none."""
    require(actor, Action.PROSECUTION_CHARGE, investigation, section=FileSection.SUSPECTS)
    locked = lock_investigation(investigation, expected_version)
    office = locked.prosecution_agency
    if locked.status != InvestigationStatus.CHARGE_ADVISED or office is None or office.pk != actor.agency_id:
        raise InvalidTransition(_("Only a file your office advised to charge can be charged."))
    if ChargeSheet.objects.filter(investigation=locked).exists():
        raise Conflict(_("This file already has a charge sheet."))
    counts = list(counts)
    court_case_number = (court_case_number or "").strip()
    errors: dict[str, list[str]] = {}
    if court is None or not court.is_active:
        errors["court"] = [_("Choose the court station.")]
    if not court_case_number:
        errors["court_case_number"] = [_("Enter the court case number.")]
    advised = (
        locked.submissions.filter(advice=Advice.CHARGE).order_by("-advised_at").values_list("advised_at", flat=True)
    ).first()
    if charged_on is None or charged_on > timezone.localdate():
        errors["charged_on"] = [_("Enter a date of charge that is not in the future.")]
    elif advised is not None and charged_on < timezone.localtime(advised).date():
        errors["charged_on"] = [_("The date of charge cannot be before the advice to charge.")]
    if not counts:
        errors["counts"] = [_("Add at least one count.")]
    suspect_ids = set(locked.suspects.values_list("pk", flat=True))
    seen = set()
    for n, count in enumerate(counts, start=1):
        if count.accused.pk not in suspect_ids:
            errors.setdefault("counts", []).append(
                _("Count %(n)s: the accused is not a suspect of this file.") % {"n": n}
            )
        if not (count.offence.section or "").strip():
            errors.setdefault("counts", []).append(_("Count %(n)s: the offence has no section.") % {"n": n})
        if count.accused_sex not in Sex.values:
            errors.setdefault("counts", []).append(_("Count %(n)s: choose the sex of the accused.") % {"n": n})
        if count.plea not in Plea.values:
            errors.setdefault("counts", []).append(_("Count %(n)s: choose the plea.") % {"n": n})
        if (count.accused.pk, count.offence.pk) in seen:
            errors.setdefault("counts", []).append(
                _("Count %(n)s repeats another count (same accused, same offence).") % {"n": n}
            )
        seen.add((count.accused.pk, count.offence.pk))
    if errors:
        raise ValidationFailed(fields=errors)
    assert court is not None
    sheet = ChargeSheet.objects.create(
        investigation=locked,
        prosecution_agency=office,  # the office that advised to charge (the actor's, checked above)
        court=court,
        court_case_number=court_case_number,
        charged_on=charged_on,
        created_by=actor,
    )
    ChargeCount.objects.bulk_create(
        [
            ChargeCount(
                charge_sheet=sheet,
                number=n,
                accused=c.accused,
                offence=c.offence,
                plea=c.plea,
                accused_sex=c.accused_sex,
            )
            for n, c in enumerate(counts, start=1)
        ]
    )
    _bump(locked)
    audit_record(
        actor=actor,
        action="prosecution.charge",
        target_type=TARGET,
        target_id=locked.public_id,
        changes={
            "reference": locked.reference,
            "court": court.code if court else "",
            "court_case_number": court_case_number,
            "charged_on": charged_on.isoformat(),
            "counts": [[str(c.accused.public_id), c.offence.code, c.plea] for c in counts],
        },
    )
    return sheet


# --- the court: diary, victim-witnesses, outcomes, orders, appeals --------------------------------------------------

MAX_AHEAD_DAYS = 730  # a sitting is not scheduled more than two years ahead


def lock_sheet(actor: Actor, sheet: ChargeSheet, expected_version: int | None = None) -> ChargeSheet:
    """The charge sheet locked for a court record by its own prosecution office (prosecution.court on the file's
    suspects section); a stale form gets a conflict."""
    require(actor, Action.PROSECUTION_COURT, sheet.investigation, section=FileSection.SUSPECTS)
    if sheet.prosecution_agency_id != actor.agency_id:
        raise PermissionDenied(_("Only the prosecution office that brought the charges keeps the court record."))
    locked = ChargeSheet.objects.select_for_update(of=("self",)).select_related("investigation").get(pk=sheet.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(
            _(
                "Someone else changed this prosecution since you opened it. Your changes were not saved: "
                "reload, check theirs, and try again."
            )
        )
    return locked


def _bump_sheet(sheet: ChargeSheet) -> None:
    sheet.version += 1
    sheet.save(update_fields=["version", "updated_at"])


def _audit_sheet(actor: Actor, sheet: ChargeSheet, action: str, **changes) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type=TARGET,
        target_id=sheet.investigation.public_id,
        changes={"reference": sheet.investigation.reference, "court_case_number": sheet.court_case_number, **changes},
    )


def _court_date(
    sheet: ChargeSheet, day: date | None, field: str, errors: dict, *, future: bool = False, label: str = ""
) -> None:
    """A court date: not before the date of charge; in the past unless `future` (a sitting to come)."""
    today = timezone.localdate()
    if day is None:
        errors[field] = [_("Enter the date.")]
    elif day < sheet.charged_on:
        errors[field] = [
            _("%(what)s cannot be before the date of charge (%(charged)s).")
            % {"what": label or _("This date"), "charged": sheet.charged_on.isoformat()}
        ]
    elif not future and day > today:
        errors[field] = [_("Enter a date that is not in the future.")]
    elif future and (day - today).days > MAX_AHEAD_DAYS:
        errors[field] = [_("A sitting is not scheduled more than two years ahead.")]


@transaction.atomic
def court_event_schedule(
    *, actor: Actor, sheet: ChargeSheet, kind: str, sits_on: date | None, expected_version: int | None = None
) -> CourtEvent:
    """Put a sitting (mention, plea, hearing, ruling, judgment, sentencing) in the court diary."""
    locked = lock_sheet(actor, sheet, expected_version)
    errors: dict[str, list[str]] = {}
    if kind not in CourtEventKind.values:
        errors["kind"] = [_("Choose the kind of sitting.")]
    _court_date(locked, sits_on, "sits_on", errors, future=True, label=_("A sitting"))
    if errors:
        raise ValidationFailed(fields=errors)
    assert sits_on is not None
    event = CourtEvent.objects.create(charge_sheet=locked, kind=kind, sits_on=sits_on, created_by=actor)
    _bump_sheet(locked)
    _audit_sheet(actor, locked, "prosecution.event_schedule", kind=kind, sits_on=sits_on.isoformat())
    return event


@transaction.atomic
def court_event_record(
    *,
    actor: Actor,
    event: CourtEvent,
    status: str,
    reason: str = "",
    note: str = "",
    next_on: date | None = None,
    next_kind: str = "",
    expected_version: int | None = None,
) -> CourtEvent:
    """Record a scheduled sitting as held or adjourned (with the reason), and the next date: the next sitting is
    put in the diary (by default of the same kind when adjourned)."""
    locked = lock_sheet(actor, event.charge_sheet, expected_version)
    row = CourtEvent.objects.select_for_update().get(pk=event.pk, charge_sheet=locked)
    if row.status != CourtEventStatus.SCHEDULED:
        raise InvalidTransition(_("This sitting is already recorded."))
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if status not in (CourtEventStatus.HELD, CourtEventStatus.ADJOURNED):
        errors["status"] = [_("Choose held or adjourned.")]
    if row.sits_on > timezone.localdate():
        errors["status"] = [_("A sitting is recorded on or after its date, not before.")]
    if status == CourtEventStatus.ADJOURNED:
        if reason not in AdjournmentReason.values:
            errors["reason"] = [_("Give the reason for the adjournment.")]
        elif reason == AdjournmentReason.OTHER and len(note) < MIN_REASON:
            errors["note"] = [_("Explain the reason (%(n)s characters or more).") % {"n": MIN_REASON}]
        if next_on is None:
            errors["next_on"] = [_("An adjourned sitting needs the next date.")]
    if next_on is not None:
        if next_on <= row.sits_on:
            errors["next_on"] = [_("The next date must be after this sitting.")]
        elif (next_on - timezone.localdate()).days > MAX_AHEAD_DAYS:
            errors["next_on"] = [_("A sitting is not scheduled more than two years ahead.")]
    kind = next_kind or (row.kind if status == CourtEventStatus.ADJOURNED else "")
    if next_on is not None and kind not in CourtEventKind.values:
        errors["next_kind"] = [_("Choose the kind of the next sitting.")]
    if errors:
        raise ValidationFailed(fields=errors)
    row.status = status
    row.adjournment_reason = reason if status == CourtEventStatus.ADJOURNED else ""
    row.note = note
    row.next_on = next_on
    row.version += 1
    row.save()
    if next_on is not None:
        CourtEvent.objects.create(charge_sheet=locked, kind=kind, sits_on=next_on, created_by=actor)
    _bump_sheet(locked)
    _audit_sheet(
        actor,
        locked,
        "prosecution.event_record",
        event=str(row.public_id),
        kind=row.kind,
        status=status,
        reason=row.adjournment_reason,
        next_on=next_on.isoformat() if next_on else "",
    )
    return row


@transaction.atomic
def plea_record(*, actor: Actor, count: ChargeCount, plea: str, expected_version: int | None = None) -> ChargeCount:
    """The accused's plea on a count (before any outcome on it)."""
    locked = lock_sheet(actor, count.charge_sheet, expected_version)
    row = ChargeCount.objects.select_for_update().get(pk=count.pk, charge_sheet=locked)
    if plea not in (Plea.GUILTY, Plea.NOT_GUILTY):
        raise ValidationFailed(fields={"plea": [_("Choose guilty or not guilty.")]})
    if CountOutcome.objects.filter(count=row).exists():
        raise InvalidTransition(_("This count is decided: its plea cannot change."))
    old, row.plea = row.plea, plea
    row.save(update_fields=["plea"])
    _bump_sheet(locked)
    _audit_sheet(actor, locked, "prosecution.plea", count=row.number, plea=[old, plea])
    return row


def _linked_case(sheet: ChargeSheet, case: Case | None, field: str) -> Case:
    if (
        case is None
        or not InvestigationCase.objects.filter(investigation_id=sheet.investigation_id, case=case).exists()
    ):
        raise ValidationFailed(fields={field: [_("Choose a victim case linked to this file.")]})
    return case


@transaction.atomic
def witness_add(
    *, actor: Actor, sheet: ChargeSheet, case: Case | None, expected_version: int | None = None
) -> VictimWitness:
    """Call the victim of a linked case as a prosecution witness: numbered PW1, PW2... in the court record."""
    locked = lock_sheet(actor, sheet, expected_version)
    case = _linked_case(locked, case, "case")
    if VictimWitness.objects.filter(charge_sheet=locked, case=case).exists():
        raise ValidationFailed(fields={"case": [_("This victim is already a witness in the prosecution.")]})
    last = VictimWitness.objects.filter(charge_sheet=locked).order_by("-number").values_list("number", flat=True)
    witness = VictimWitness.objects.create(
        charge_sheet=locked, case=case, number=(last.first() or 0) + 1, created_by=actor
    )
    _bump_sheet(locked)
    _audit_sheet(actor, locked, "prosecution.witness_add", witness=witness.pseudonym, case=case.reference)
    return witness


@dataclass
class WitnessInput:
    protection_referred_on: date | None = None
    interpreter_language: str = ""
    impact_statement: str = ""  # "" keeps the statement recorded
    impact_recorded_on: date | None = None
    testified_on: date | None = None  # a testimony date to add


@transaction.atomic
def witness_update(
    *, actor: Actor, witness: VictimWitness, data: WitnessInput, expected_version: int | None = None
) -> VictimWitness:
    """Witness protection referral, interpreter, the victim impact statement (s.12, sealed), testimony dates."""
    locked = lock_sheet(actor, witness.charge_sheet)
    row = VictimWitness.objects.select_for_update().get(pk=witness.pk, charge_sheet=locked)
    if expected_version is not None and row.version != expected_version:
        raise Conflict(_("Someone else changed this witness since you opened it. Reload and try again."))
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    statement = (data.impact_statement or "").strip()
    language = (data.interpreter_language or "").strip()
    if data.protection_referred_on is not None and data.protection_referred_on > today:
        errors["protection_referred_on"] = [_("Enter a date that is not in the future.")]
    if len(language) > 60:
        errors["interpreter_language"] = [_("At most 60 characters.")]
    if statement and data.impact_recorded_on is None:
        errors["impact_recorded_on"] = [_("Enter the date the statement was recorded.")]
    if data.impact_recorded_on is not None:
        if not statement and not has_text(row, "impact_statement"):
            errors["impact_statement"] = [_("Enter the victim impact statement.")]
        elif data.impact_recorded_on > today:
            errors["impact_recorded_on"] = [_("Enter a date that is not in the future.")]
    if data.testified_on is not None:
        _court_date(locked, data.testified_on, "testified_on", errors, label=_("A testimony"))
    if errors:
        raise ValidationFailed(fields=errors)
    changed = []
    if data.protection_referred_on != row.protection_referred_on and data.protection_referred_on is not None:
        row.protection_referred_on = data.protection_referred_on
        changed.append("protection_referred_on")
    if language != row.interpreter_language:
        row.interpreter_language = language
        changed.append("interpreter_language")
    if statement:
        row.impact_statement = statement
        row.impact_recorded_on = data.impact_recorded_on
        changed.append("impact_statement")
    if data.testified_on is not None:
        dates = sorted({*row.testimony_dates, data.testified_on.isoformat()})
        row.testimony_dates = dates
        changed.append("testimony_dates")
    row.version += 1
    row.save()
    _bump_sheet(locked)
    _audit_sheet(actor, locked, "prosecution.witness_update", witness=row.pseudonym, fields=changed)  # never text
    return row


def _convicted(sheet: ChargeSheet, accused: Suspect) -> bool:
    return CountOutcome.objects.filter(
        count__charge_sheet=sheet, count__accused=accused, verdict=Verdict.CONVICTED
    ).exists()


@transaction.atomic
def outcome_record(
    *,
    actor: Actor,
    count: ChargeCount,
    verdict: str,
    decided_on: date | None,
    imprisonment_months: int | None = None,
    fine_cents: int | None = None,
    expected_version: int | None = None,
) -> CountOutcome:
    """The court's decision on one count; the sentence (imprisonment in months, a fine in KSh cents, or both)
    only on a conviction. A conviction or acquittal needs the plea taken; no decision before the date of charge
    or before the plea was taken."""
    locked = lock_sheet(actor, count.charge_sheet, expected_version)
    row = ChargeCount.objects.select_for_update().get(pk=count.pk, charge_sheet=locked)
    errors: dict[str, list[str]] = {}
    if verdict not in Verdict.values:
        errors["verdict"] = [_("Choose the outcome.")]
    elif verdict in (Verdict.CONVICTED, Verdict.ACQUITTED) and row.plea == Plea.NOT_TAKEN:
        errors["verdict"] = [_("Record the plea before a conviction or an acquittal.")]
    _court_date(locked, decided_on, "decided_on", errors, label=_("The outcome"))
    if "decided_on" not in errors and decided_on is not None and row.plea != Plea.NOT_TAKEN:
        plea_day = (
            CourtEvent.objects.filter(charge_sheet=locked, kind=CourtEventKind.PLEA, status=CourtEventStatus.HELD)
            .order_by("sits_on")
            .values_list("sits_on", flat=True)
            .first()
        )
        if plea_day is not None and decided_on < plea_day:
            errors["decided_on"] = [_("The outcome cannot be before the plea was taken (%(d)s).") % {"d": plea_day}]
    has_sentence = imprisonment_months is not None or fine_cents is not None
    if has_sentence and verdict != Verdict.CONVICTED:
        errors["sentence"] = [_("A sentence is given only on a conviction.")]
    if imprisonment_months is not None and not 0 < imprisonment_months <= 1200:
        errors["imprisonment_months"] = [_("Enter the months of imprisonment (1 to 1,200), or leave it empty.")]
    if fine_cents is not None and fine_cents <= 0:
        errors["fine"] = [_("Enter a fine above zero, or leave it empty.")]
    if errors:
        raise ValidationFailed(fields=errors)
    assert decided_on is not None
    outcome = CountOutcome.objects.select_for_update().filter(count=row).first()
    old = outcome.verdict if outcome else ""
    if outcome is None:
        outcome = CountOutcome(count=row, created_by=actor)
    else:
        outcome.version += 1
    outcome.verdict = verdict
    outcome.decided_on = decided_on
    outcome.imprisonment_months = imprisonment_months
    outcome.fine_cents = fine_cents
    outcome.save()
    _bump_sheet(locked)
    _audit_sheet(
        actor,
        locked,
        "prosecution.outcome",
        count=row.number,
        verdict=[old, verdict],
        decided_on=decided_on.isoformat(),
        imprisonment_months=imprisonment_months,
        fine_cents=fine_cents,
    )
    return outcome


def _order_checks(
    sheet: ChargeSheet, accused: Suspect | None, amount_cents: int | None, ordered_on: date | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if accused is None or accused.investigation_id != sheet.investigation_id:
        errors["accused"] = [_("Choose an accused of this prosecution.")]
    elif not _convicted(sheet, accused):
        errors["accused"] = [_("An order is made only against an accused convicted on a count.")]
    if amount_cents is None or amount_cents <= 0:
        errors["amount"] = [_("Enter an amount above zero.")]
    _court_date(sheet, ordered_on, "ordered_on", errors, label=_("The order"))
    return errors


@transaction.atomic
def restitution_order_record(
    *,
    actor: Actor,
    sheet: ChargeSheet,
    accused: Suspect | None,
    beneficiary_case: Case | None,
    amount_cents: int | None,
    ordered_on: date | None,
    expected_version: int | None = None,
) -> RestitutionOrder:
    """A restitution or compensation order (s.13) against a convicted accused, for the victim of a linked case."""
    locked = lock_sheet(actor, sheet, expected_version)
    errors = _order_checks(locked, accused, amount_cents, ordered_on)
    try:
        case = _linked_case(locked, beneficiary_case, "beneficiary_case")
    except ValidationFailed as exc:
        errors.update(exc.fields or {})
    if errors:
        raise ValidationFailed(fields=errors)
    assert accused is not None and amount_cents is not None and ordered_on is not None
    order = RestitutionOrder.objects.create(
        charge_sheet=locked,
        accused=accused,
        beneficiary_case=case,
        amount_cents=amount_cents,
        ordered_on=ordered_on,
        created_by=actor,
    )
    _bump_sheet(locked)
    _audit_sheet(
        actor,
        locked,
        "prosecution.restitution",
        order=str(order.public_id),
        accused=str(accused.public_id),
        case=case.reference,
        amount_cents=amount_cents,
    )
    return order


@transaction.atomic
def forfeiture_order_record(
    *,
    actor: Actor,
    sheet: ChargeSheet,
    accused: Suspect | None,
    amount_cents: int | None,
    assets: str,
    ordered_on: date | None,
    expected_version: int | None = None,
) -> ForfeitureOrder:
    """A confiscation or forfeiture order (s.17): the value in KSh cents and the assets (sealed). The Trust Fund
    records receipts against the order's public_id."""
    locked = lock_sheet(actor, sheet, expected_version)
    errors = _order_checks(locked, accused, amount_cents, ordered_on)
    assets = (assets or "").strip()
    if len(assets) < MIN_REASON:
        errors["assets"] = [_("Describe the assets forfeited (%(n)s characters or more).") % {"n": MIN_REASON}]
    if errors:
        raise ValidationFailed(fields=errors)
    assert accused is not None and amount_cents is not None and ordered_on is not None
    order = ForfeitureOrder(
        charge_sheet=locked, accused=accused, amount_cents=amount_cents, ordered_on=ordered_on, created_by=actor
    )
    order.assets = assets
    order.save()
    _bump_sheet(locked)
    _audit_sheet(
        actor,
        locked,
        "prosecution.forfeiture",
        order=str(order.public_id),
        accused=str(accused.public_id),
        amount_cents=amount_cents,
    )
    return order


@transaction.atomic
def appeal_file(
    *,
    actor: Actor,
    sheet: ChargeSheet,
    accused: Suspect | None,
    appellant: str,
    filed_on: date | None,
    expected_version: int | None = None,
) -> Appeal:
    """An appeal against the outcome for an accused, by the prosecution or the accused: after a decision."""
    locked = lock_sheet(actor, sheet, expected_version)
    errors: dict[str, list[str]] = {}
    decided = None
    if accused is None or accused.investigation_id != locked.investigation_id:
        errors["accused"] = [_("Choose an accused of this prosecution.")]
    else:
        decided = (
            CountOutcome.objects.filter(count__charge_sheet=locked, count__accused=accused)
            .order_by("decided_on")
            .values_list("decided_on", flat=True)
            .first()
        )
        if decided is None:
            errors["accused"] = [_("An appeal follows a decision: no count of this accused is decided.")]
    if appellant not in Appellant.values:
        errors["appellant"] = [_("Choose who filed the appeal.")]
    _court_date(locked, filed_on, "filed_on", errors, label=_("An appeal"))
    if "filed_on" not in errors and decided is not None and filed_on is not None and filed_on < decided:
        errors["filed_on"] = [_("An appeal cannot be filed before the decision (%(d)s).") % {"d": decided}]
    if errors:
        raise ValidationFailed(fields=errors)
    assert accused is not None and filed_on is not None
    appeal = Appeal.objects.create(
        charge_sheet=locked, accused=accused, appellant=appellant, filed_on=filed_on, created_by=actor
    )
    _bump_sheet(locked)
    _audit_sheet(actor, locked, "prosecution.appeal_file", appeal=str(appeal.public_id), appellant=appellant)
    return appeal


@transaction.atomic
def appeal_decide(
    *, actor: Actor, appeal: Appeal, result: str, decided_on: date | None, expected_version: int | None = None
) -> Appeal:
    locked = lock_sheet(actor, appeal.charge_sheet)
    row = Appeal.objects.select_for_update().get(pk=appeal.pk, charge_sheet=locked)
    if expected_version is not None and row.version != expected_version:
        raise Conflict(_("Someone else changed this appeal since you opened it. Reload and try again."))
    if row.result != AppealResult.PENDING:
        raise InvalidTransition(_("This appeal is already decided."))
    errors: dict[str, list[str]] = {}
    if result not in AppealResult.values or result == AppealResult.PENDING:
        errors["result"] = [_("Choose the result of the appeal.")]
    if decided_on is None or decided_on > timezone.localdate():
        errors["decided_on"] = [_("Enter a date that is not in the future.")]
    elif decided_on < row.filed_on:
        errors["decided_on"] = [_("The decision cannot be before the appeal was filed.")]
    if errors:
        raise ValidationFailed(fields=errors)
    assert decided_on is not None
    row.result = result
    row.decided_on = decided_on
    row.version += 1
    row.save()
    _bump_sheet(locked)
    _audit_sheet(actor, locked, "prosecution.appeal_decide", appeal=str(row.public_id), result=result)
    return row
