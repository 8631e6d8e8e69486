"""Writes of complaints about recruitment: submission (the public, anonymous allowed, or an officer), evidence,
triage by labour officers (warning, suspension, deregistration through the register's status service with the
complaint as its source, referral to the DCI opening an investigation lead, no action with a reason), the distress
case opened in the NRM for a person abroad and in distress, and the agencies' watchlist.

Each write checks the actor's right (accounts.access.require), locks, validates, writes and audits in one
transaction; a complaint's edits check and bump its version (a stale form gets Conflict).
"""

from __future__ import annotations

import contextlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.cases import services as case_services
from ctip.cases.enums import IdentificationChannel
from ctip.core import context
from ctip.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ctip.leads import services as lead_services
from ctip.people import services as people_services
from ctip.people.identity import Identity
from ctip.reference.selectors import country_list

from . import evidence as evidence_files
from . import services as register_services
from .enums import (
    AGENCY_OUTCOMES,
    COMPLAINT_OPEN,
    TRIAGE_OUTCOMES,
    AgainstKind,
    ComplaintActionKind,
    ComplaintSource,
    ComplaintStatus,
    Whereabouts,
)
from .events import ComplaintEvent
from .models import (
    COMPLAINT_TARGET,
    TARGET,
    Complaint,
    ComplaintAction,
    ComplaintEvidence,
    RecruitmentAgency,
    WatchlistEntry,
)
from .names import licence_key, phone_key

# Reference alphabet: no 0/O, 1/I/L, so a reference read over the phone is not misheard.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TEXT_LIMITS = {
    "description": 5000,
    "against_name": 200,
    "contact": 200,
    "job_promised": 120,
    "paid_to_numbers": 300,
    "transaction_codes": 300,
    "note": 2000,
    "reason": 1000,
}
# The most a complainant can have paid (KSh 100 million): a typing slip beyond that is refused.
MAX_AMOUNT_CENTS = 100_000_000 * 100
# An M-Pesa transaction code: ten letters and digits (e.g. QGH7XK2L9P).
MPESA_CODE = re.compile(r"^[A-Z0-9]{10}$")


@dataclass
class ComplaintInput:
    whereabouts: str
    description: str
    against_kind: str
    agency_licence: str = ""  # a registered agency, picked by search (its public licence number)
    against_name: str = ""  # an individual or an unregistered agency
    amount_paid_cents: int | None = None
    paid_to_numbers: list[str] = field(default_factory=list)
    transaction_codes: list[str] = field(default_factory=list)
    job_promised: str = ""
    destination_country_id: int | None = None
    current_country_id: int | None = None
    contact: str = ""
    language: str = ""


@contextlib.contextmanager
def without_client_ip():
    """Audit events written inside carry no IP address: public complainants may stay anonymous."""
    current = context.current()
    token = context.set_current(
        context.RequestContext(
            request_id=current.request_id if current else context.new_request_id(),
            ip=None,
            channel=current.channel if current else "web",
        )
    )
    try:
        yield
    finally:
        context.reset(token)


def new_pin() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def new_reference() -> str:
    for _attempt in range(10):
        ref = "CMP-" + "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(2))
        if not Complaint.objects.filter(reference=ref).exists():
            return ref
    raise Conflict(_("Could not allocate a reference; try again."))  # pragma: no cover


def _clean_numbers(values: list[str], errors: dict) -> list[str]:
    out = []
    for value in values:
        value = (value or "").strip()
        if not value:
            continue
        key = phone_key(value)
        if not key:
            errors.setdefault("paid_to_numbers", []).append(
                _("This is not a phone number: %(value)s") % {"value": value[:20]}
            )
        elif key not in out:
            out.append(key)
    return out


def _clean_codes(values: list[str], errors: dict) -> list[str]:
    out = []
    for value in values:
        code = re.sub(r"\s+", "", value or "").upper()
        if not code:
            continue
        if not MPESA_CODE.match(code):
            errors.setdefault("transaction_codes", []).append(
                _("An M-Pesa transaction code has ten letters and digits: %(value)s") % {"value": code[:20]}
            )
        elif code not in out:
            out.append(code)
    return out


def _validate(data: ComplaintInput) -> tuple[dict, RecruitmentAgency | None, list[str], list[str]]:
    errors: dict[str, list[str]] = {}
    for name, limit in TEXT_LIMITS.items():
        value = getattr(data, name, None)
        if isinstance(value, str) and len(value) > limit:
            errors[name] = [_("At most %(n)s characters.") % {"n": limit}]
    if data.whereabouts not in Whereabouts.values:
        errors["whereabouts"] = [_("Say where the person is now.")]
    if len((data.description or "").strip()) < 10:
        errors.setdefault("description", []).append(_("Tell us what happened (at least a sentence)."))
    agency = None
    if data.against_kind not in AgainstKind.values:
        errors["against_kind"] = [_("Say who the complaint is against.")]
    elif data.against_kind == AgainstKind.AGENCY:
        key = licence_key(data.agency_licence or "")
        agency = RecruitmentAgency.objects.filter(licence_key=key).first() if key else None
        if agency is None:
            errors["agency"] = [_("Choose the agency from the search results.")]
    elif not (data.against_name or "").strip():
        errors["against_name"] = [_("Give the name of the agent or agency.")]
    if data.amount_paid_cents is not None and not (0 <= data.amount_paid_cents <= MAX_AMOUNT_CENTS):
        errors["amount_paid"] = [_("Give the amount in shillings (at most 100 million).")]
    numbers = _clean_numbers(data.paid_to_numbers, errors)
    codes = _clean_codes(data.transaction_codes, errors)
    if len(numbers) > 10 or len(codes) > 20:
        errors.setdefault("transaction_codes", []).append(_("At most 10 numbers and 20 codes."))
    countries = {c for c in (data.destination_country_id, data.current_country_id) if c}
    if countries and country_list().filter(pk__in=countries).count() != len(countries):
        errors["destination_country"] = [_("Choose a country from the list.")]
    if data.whereabouts in (Whereabouts.ABROAD, Whereabouts.ABROAD_DISTRESS) and not (
        data.current_country_id or data.destination_country_id
    ):
        errors["current_country"] = [_("Say in which country the person is now.")]
    return errors, agency, numbers, codes


def _attach(complaint: Complaint, uploads: list[evidence_files.Upload], written: list[str]) -> int:
    if len(uploads) > evidence_files.MAX_FILES:
        raise ValidationFailed(fields={"evidence": [_("At most 5 files.")]})
    checked = [(upload, evidence_files.check(upload)) for upload in uploads]
    for upload, kind in checked:
        name, digest = evidence_files.store(upload.content)
        written.append(name)
        ComplaintEvidence.objects.create(
            complaint=complaint, content_type=kind, size=len(upload.content), sha256=digest, storage_name=name
        )
    return len(checked)


def _discard_on_rollback(written: list[str]) -> None:
    """Files written in a transaction that then failed are removed (nothing half-saved, on disk either)."""
    for name in written:
        evidence_files.discard(name)


def complaint_submit(
    *, actor: Actor | None, data: ComplaintInput, uploads: Sequence[evidence_files.Upload] = ()
) -> tuple[Complaint, str]:
    """A complaint from the public (actor None or anonymous) or an officer with complaint.file. Returns the
    complaint and its PIN, shown once (only a hash is kept). Nothing is kept of the complainant but what they write
    in the contact field (sealed). Evidence files are checked by content; one bad file and nothing is saved."""
    officer = actor is not None and getattr(actor, "is_authenticated", False)
    if officer:
        require(actor, Action.COMPLAINT_FILE)
    written: list[str] = []
    try:
        with transaction.atomic():
            complaint, pin = _submit(actor if officer else None, data, list(uploads), written)
    except Exception:
        _discard_on_rollback(written)
        raise
    return complaint, pin


@dataclass
class OfficerSubmission:
    """An officer's complaint: saved (complaint and PIN), or, when the complainant's identity may already be known
    to CTIP, nothing saved and the persons proposed (the officer links one or confirms a new person)."""

    complaint: Complaint | None = None
    pin: str = ""
    candidates: list = field(default_factory=list)
    link_token: str = ""


def complaint_submit_for(
    *,
    actor: Actor,
    data: ComplaintInput,
    uploads: Sequence[evidence_files.Upload] = (),
    complainant: people_services.PersonChoice | None = None,
) -> OfficerSubmission:
    """A complaint an officer records for a complainant (complaint.file). When the officer identified the
    complainant (`complainant`), the person is registered or linked through the one registration path
    (people.services.person_register_or_link, which needs person.create) in the same transaction; if the look-up
    proposes persons, nothing is saved and they come back for the officer to choose."""
    require(actor, Action.COMPLAINT_FILE)
    if complainant is None:
        complaint, pin = complaint_submit(actor=actor, data=data, uploads=uploads)
        return OfficerSubmission(complaint, pin)
    if not actor.can(Action.PERSON_CREATE):
        raise PermissionDenied()
    written: list[str] = []
    try:
        with transaction.atomic():
            errors, _agency, _numbers, _codes = _validate(data)
            if errors:
                raise ValidationFailed(fields=errors)
            outcome = people_services.person_register_or_link(
                actor=actor, choice=complainant, owning_agency=getattr(actor, "agency", None)
            )
            if outcome.person is None:
                return OfficerSubmission(candidates=outcome.candidates, link_token=outcome.link_token)
            complaint, pin = _submit(actor, data, list(uploads), written, complainant=outcome.person)
    except Exception:
        _discard_on_rollback(written)
        raise
    return OfficerSubmission(complaint, pin)


def _submit(actor, data: ComplaintInput, uploads, written: list[str], complainant=None) -> tuple[Complaint, str]:
    errors, agency, numbers, codes = _validate(data)
    if errors:
        raise ValidationFailed(fields=errors)
    pin = new_pin()
    complaint = Complaint(
        reference=new_reference(),
        pin_hash=make_password(pin),
        source=ComplaintSource.OFFICER if actor else ComplaintSource.PUBLIC,
        status=ComplaintStatus.NEW,
        against_kind=data.against_kind,
        agency=agency,
        against_name=(data.against_name or "").strip() if agency is None else "",
        amount_paid_cents=data.amount_paid_cents,
        paid_to_numbers="; ".join(numbers),
        transaction_codes="; ".join(codes),
        job_promised=(data.job_promised or "").strip(),
        destination_country_id=data.destination_country_id or None,
        whereabouts=data.whereabouts,
        current_country_id=(
            (data.current_country_id or data.destination_country_id or None)
            if data.whereabouts != Whereabouts.IN_KENYA
            else None
        ),
        description=data.description.strip(),
        contact=(data.contact or "").strip(),
        has_contact=bool((data.contact or "").strip()),
        language=(data.language or "")[:8],
        created_by=actor,
        complainant=complainant,
    )
    complaint.save()
    complaint.evidence_count = _attach(complaint, uploads, written)
    if complaint.evidence_count:
        Complaint.objects.filter(pk=complaint.pk).update(evidence_count=complaint.evidence_count)
    changes = {
        "reference": complaint.reference,
        "source": complaint.source,
        "against": complaint.against_kind,
        "agency": str(agency.public_id) if agency else None,
        "whereabouts": complaint.whereabouts,
        "evidence": complaint.evidence_count,
        "has_contact": complaint.has_contact,
        "complainant": str(complainant.public_id) if complainant is not None else None,
    }
    if actor:
        audit_record(
            actor=actor,
            action=ComplaintEvent.SUBMIT,
            target_type=COMPLAINT_TARGET,
            target_id=complaint.public_id,
            changes=changes,
        )
    else:
        with without_client_ip():
            audit_record(
                actor="public",
                action=ComplaintEvent.SUBMIT,
                target_type=COMPLAINT_TARGET,
                target_id=complaint.public_id,
                changes=changes,
            )
    return complaint, pin


def _lock(complaint: Complaint, expected_version: int | None) -> Complaint:
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(
            _(
                "Someone else changed this complaint since you opened it. "
                "Nothing was saved: reload, read what they did, and decide again."
            )
        )
    return locked


def _move(locked: Complaint, status: str) -> str:
    old = locked.status
    locked.status = status
    locked.status_changed_at = timezone.now()
    locked.version += 1
    return old


@transaction.atomic
def complaint_add_evidence(
    *, actor: Actor, complaint: Complaint, uploads: list[evidence_files.Upload], expected_version: int | None
) -> Complaint:
    """An officer attaches more files (labour officers, complaint.triage)."""
    require(actor, Action.COMPLAINT_TRIAGE, complaint)
    locked = _lock(complaint, expected_version)
    if locked.evidence_count + len(uploads) > evidence_files.MAX_FILES:
        raise ValidationFailed(fields={"evidence": [_("At most 5 files.")]})
    written: list[str] = []
    try:
        added = _attach(locked, uploads, written)
    except Exception:
        _discard_on_rollback(written)
        raise
    locked.evidence_count += added
    locked.version += 1
    locked.save()
    audit_record(
        actor=actor,
        action=ComplaintEvent.EVIDENCE_ADD,
        target_type=COMPLAINT_TARGET,
        target_id=locked.public_id,
        changes={"files": added},
    )
    return locked


@transaction.atomic
def complaint_start_review(*, actor: Actor, complaint: Complaint, expected_version: int | None) -> Complaint:
    require(actor, Action.COMPLAINT_TRIAGE, complaint)
    locked = _lock(complaint, expected_version)
    if locked.status != ComplaintStatus.NEW:
        raise InvalidTransition(_("This complaint is already being reviewed or decided."))
    old = _move(locked, ComplaintStatus.UNDER_REVIEW)
    locked.reviewer = actor
    locked.save()
    ComplaintAction.objects.create(complaint=locked, kind=ComplaintActionKind.REVIEW, by=actor)
    audit_record(
        actor=actor,
        action=ComplaintEvent.REVIEW,
        target_type=COMPLAINT_TARGET,
        target_id=locked.public_id,
        changes={"status": [old, locked.status]},
    )
    return locked


@dataclass
class TriageDecision:
    outcome: str  # a key of TRIAGE_OUTCOMES
    note: str = ""  # the officer's note (internal, sealed); required for no action and for a referral
    effective_on: date | None = None  # suspension or deregistration: the date it takes effect (default today)


def _open_lead(*, actor: Actor, complaint: Complaint, note: str) -> str:
    """Open an investigation lead for the DCI (ctip.leads.services.lead_open, source "complaint", the complaint's
    reference as the source) naming the agency or agent and the M-Pesa numbers and codes; its reference."""
    if complaint.agency is not None:
        suspects = [{"name": complaint.agency.legal_name, "kind": "organisation", "roles": ["RecruiterOrIntermediary"]}]
    else:
        kind = "person" if complaint.against_kind == AgainstKind.INDIVIDUAL else "organisation"
        suspects = [{"name": complaint.against_name, "kind": kind, "roles": ["RecruiterOrIntermediary"]}]
    identifiers = [("mpesa_number", n) for n in _split(complaint.paid_to_numbers)]
    identifiers += [("mpesa_code", c) for c in _split(complaint.transaction_codes)]
    facts = [
        _("Complaint %(reference)s about recruitment.") % {"reference": complaint.reference},
        _("Job promised: %(job)s.") % {"job": complaint.job_promised} if complaint.job_promised else "",
        _("Destination: %(country)s.") % {"country": complaint.destination_country.name}
        if complaint.destination_country
        else "",
        _("Amount paid: KSh %(amount)s.") % {"amount": complaint.amount_ksh} if complaint.amount_ksh else "",
        _("Where the person is now: %(where)s.") % {"where": complaint.get_whereabouts_display()},
        complaint.description,
        _("Labour officer's note: %(note)s") % {"note": note},
    ]
    try:
        lead = lead_services.lead_open(
            actor=actor,
            source="complaint",
            source_ref=complaint.reference,
            summary="\n".join(f for f in facts if f)[: lead_services.MAX_SUMMARY],
            suspects=suspects,
            identifiers=identifiers,
        )
    except ValidationFailed as exc:
        # the lead's own field names mean nothing on the triage form: show its messages on the outcome
        messages = [str(m) for ms in (exc.fields or {}).values() for m in (ms if isinstance(ms, list) else [ms])]
        raise ValidationFailed(fields={"outcome": messages or [exc.message]}) from exc
    return lead.reference


def _split(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split(";") if p.strip()]


@transaction.atomic
def complaint_triage(
    *, actor: Actor, complaint: Complaint, decision: TriageDecision, expected_version: int | None
) -> Complaint:
    """Decide an open complaint (labour officers): a warning, a suspension or deregistration of the agency
    (through the register's status service, the complaint as the source, written in the status history), a
    referral to the DCI (an investigation lead), or no action with the reason. One transaction, audited."""
    require(actor, Action.COMPLAINT_TRIAGE, complaint)
    locked = _lock(complaint, expected_version)
    if locked.status not in COMPLAINT_OPEN:
        raise InvalidTransition(_("This complaint has already been decided."))
    outcome = decision.outcome
    if outcome not in TRIAGE_OUTCOMES:
        raise ValidationFailed(fields={"outcome": [_("Choose the action taken.")]})
    note = (decision.note or "").strip()
    errors: dict[str, list[str]] = {}
    if len(note) > TEXT_LIMITS["note"]:
        errors["note"] = [_("At most %(n)s characters.") % {"n": TEXT_LIMITS["note"]}]
    if outcome in (ComplaintActionKind.NO_ACTION, ComplaintActionKind.REFERRAL_DCI) and len(note) < 5:
        errors["note"] = [_("Give the reason (it stays internal).")]
    if outcome in AGENCY_OUTCOMES and locked.agency_id is None:
        errors["outcome"] = [_("Warnings, suspensions and deregistrations are for a registered agency.")]
    elif locked.agency is not None and locked.agency.status == TRIAGE_OUTCOMES[outcome][1]:
        errors["outcome"] = [_("The agency already has this licence status.")]
    if errors:
        raise ValidationFailed(fields=errors)
    new_status, licence_status = TRIAGE_OUTCOMES[outcome]
    status_change = None
    if licence_status is not None:
        assert locked.agency is not None
        agency = register_services.agency_set_status(
            actor=actor,
            agency=locked.agency,
            status=licence_status,
            effective_on=decision.effective_on or timezone.localdate(),
            source=_("Complaint %(reference)s") % {"reference": locked.reference},
            expected_version=None,
            complaint=locked,
        )
        status_change = agency.status_history.order_by("-id").first()
    if outcome == ComplaintActionKind.REFERRAL_DCI:
        locked.lead_reference = _open_lead(actor=actor, complaint=locked, note=note)
    old = _move(locked, new_status)
    locked.decided_at = timezone.now()
    locked.reviewer = locked.reviewer or actor
    locked.save()
    ComplaintAction.objects.create(complaint=locked, kind=outcome, note=note, by=actor, status_change=status_change)
    audit_record(
        actor=actor,
        action=ComplaintEvent.TRIAGE,
        target_type=COMPLAINT_TARGET,
        target_id=locked.public_id,
        changes={
            "status": [old, locked.status],
            "outcome": outcome,
            "agency_status": licence_status,
            "lead": locked.lead_reference or None,
            "has_note": bool(note),
        },
    )
    return locked


@dataclass
class DistressDraft:
    """What the officer fills in when a complaint of someone abroad and in distress opens an NRM case."""

    identity: Identity
    identified_on: date
    abroad_city: str = ""
    link_person_id: str | None = None
    link_token: str = ""
    candidates_dismissed: bool = False


@transaction.atomic
def complaint_open_case(
    *, actor: Actor, complaint: Complaint, draft: DistressDraft, expected_version: int | None
) -> case_services.CaseRegistration:
    """Open the NRM distress case (a Kenyan in distress abroad) of a complaint, through cases.case_register, as
    intake converts a tip: the person registered or linked (the duplicate look-up's candidates come back with case
    None and nothing written), the case opened abroad in the complaint's country with the recruiting agency named,
    and the complaint linked to it by reference. Needs complaint.triage and the right to register victims."""
    require(actor, Action.COMPLAINT_TRIAGE, complaint)
    locked = _lock(complaint, expected_version)
    if not locked.in_distress:
        raise InvalidTransition(_("Only a complaint about someone abroad and in distress opens a distress case."))
    if locked.case_id:
        raise InvalidTransition(_("This complaint already has its distress case."))
    recruiter = locked.agency.legal_name if locked.agency_id and locked.agency else ""
    registration = case_services.case_register(
        actor=actor,
        person=case_services.PersonChoice(
            identity=draft.identity,
            link_person_id=draft.link_person_id,
            link_token=draft.link_token,
            confirm_new=draft.candidates_dismissed,
        ),
        case=case_services.CaseInput(
            identified_on=draft.identified_on,
            channel=IdentificationChannel.OFFICER if locked.source == ComplaintSource.OFFICER else "self",
            fields={
                "is_abroad": True,
                "abroad_country_id": locked.current_country_id or locked.destination_country_id,
                "abroad_city": (draft.abroad_city or "").strip()[:120],
                "recruiting_agency_name": recruiter[:200],
            },
        ),
    )
    case = registration.case
    if case is None:
        return registration
    locked.case = case
    locked.version += 1
    locked.save()
    ComplaintAction.objects.create(complaint=locked, kind=ComplaintActionKind.DISTRESS_CASE, by=actor)
    audit_record(
        actor=actor,
        action=ComplaintEvent.CASE_OPEN,
        target_type=COMPLAINT_TARGET,
        target_id=locked.public_id,
        changes={"case": case.reference},
    )
    case_services.timeline_add(
        case=case, kind="case.from_complaint", actor=actor, params={"reference": locked.reference}
    )
    return registration


# --- the watchlist -----------------------------------------------------------------------------------------


@transaction.atomic
def watch_add(*, actor: Actor, agency: RecruitmentAgency, reason: str) -> WatchlistEntry:
    require(actor, Action.RECRUITER_WATCH, agency)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationFailed(fields={"reason": [_("Say why the agency is watched.")]})
    if len(reason) > TEXT_LIMITS["reason"]:
        raise ValidationFailed(fields={"reason": [_("At most %(n)s characters.") % {"n": TEXT_LIMITS["reason"]}]})
    RecruitmentAgency.objects.select_for_update().filter(pk=agency.pk).first()
    if WatchlistEntry.objects.filter(agency=agency, removed_at__isnull=True).exists():
        raise Conflict(_("This agency is already on the watchlist."))
    try:
        with transaction.atomic():
            entry = WatchlistEntry.objects.create(agency=agency, reason=reason, added_by=actor)
    except IntegrityError as exc:  # pragma: no cover - a concurrent add
        raise Conflict(_("This agency is already on the watchlist.")) from exc
    audit_record(
        actor=actor,
        action=ComplaintEvent.WATCH_ADD,
        target_type=TARGET,
        target_id=agency.public_id,
        changes={"entry": str(entry.public_id)},
    )
    return entry


@transaction.atomic
def watch_remove(*, actor: Actor, agency: RecruitmentAgency) -> WatchlistEntry:
    require(actor, Action.RECRUITER_WATCH, agency)
    entry = WatchlistEntry.objects.select_for_update().filter(agency=agency, removed_at__isnull=True).first()
    if entry is None:
        raise NotFound(_("This agency is not on the watchlist."))
    entry.removed_at = timezone.now()
    entry.removed_by = actor
    entry.save(update_fields=["removed_at", "removed_by"])
    audit_record(
        actor=actor,
        action=ComplaintEvent.WATCH_REMOVE,
        target_type=TARGET,
        target_id=agency.public_id,
        changes={"entry": str(entry.public_id)},
    )
    return entry
