"""Writes of the recruitment-agency register: check the actor's right (accounts.access.require), lock, validate,
write and audit in one transaction. The public verification index is told on commit (selectors.register_changed).

Status changes are their own service (`agency_set_status`, action recruiter.status: labour officers), each with
the date it took effect and the published source (an NEA notice, a Gazette notice), kept in the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.core.errors import Conflict, ValidationFailed
from ctip.people import services as people_services
from ctip.people.services import PersonChoice, PersonOutcome

from . import importer, selectors
from .enums import AgencyStatus, ContactKind, ImportStatus
from .events import RecruitmentEvent
from .models import TARGET, AgencyContact, AgencyDirector, AgencyImport, AgencyStatusChange, JobOrder, RecruitmentAgency
from .names import email_key, licence_key, name_key, phone_key, social_key, website_key

DETAIL_FIELDS = (
    "licence_number",
    "legal_name",
    "trading_name",
    "office_address",
    "county_id",
    "guarantee_issuer",
    "guarantee_amount_cents",
    "guarantee_expires_on",
)
CONTACT_NORMALISERS = {
    ContactKind.PHONE: (phone_key, gettext_lazy("This is not a valid phone number: %(value)s")),
    ContactKind.EMAIL: (email_key, gettext_lazy("This is not a valid e-mail address: %(value)s")),
    ContactKind.WEBSITE: (website_key, gettext_lazy("This is not a website address: %(value)s")),
    ContactKind.SOCIAL: (social_key, gettext_lazy("This is not a social-media handle: %(value)s")),
}
CONTACT_FIELDS = {
    ContactKind.PHONE: "phones",
    ContactKind.EMAIL: "emails",
    ContactKind.WEBSITE: "websites",
    ContactKind.SOCIAL: "socials",
}
MAX_CONTACTS = 20


@dataclass
class AgencyInput:
    licence_number: str
    legal_name: str
    trading_name: str = ""
    office_address: str = ""
    county_id: int | None = None
    guarantee_issuer: str = ""
    guarantee_amount_cents: int | None = None
    guarantee_expires_on: date | None = None
    contacts: dict[str, list[str]] = field(default_factory=dict)  # ContactKind -> values as written


@dataclass
class JobOrderInput:
    employer: str
    country_id: int
    role: str
    workers: int
    salary_cents: int
    salary_currency: str
    valid_from: date
    valid_until: date


def _full_clean(obj, exclude=None) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as exc:
        raise ValidationFailed.from_django(exc) from exc


def _on_commit_changed() -> None:
    transaction.on_commit(selectors.register_changed)


def clean_contacts(contacts: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    """(kind, value as written, normalised) for every contact, deduplicated; ValidationFailed naming the form
    field (phones, emails, websites, socials) of each invalid one."""
    out: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    errors: dict[str, list[str]] = {}
    for raw_kind, values in contacts.items():
        kind = ContactKind(raw_kind)
        normaliser, message = CONTACT_NORMALISERS[kind]
        cleaned = [v.strip() for v in values if v and v.strip()]
        if len(cleaned) > MAX_CONTACTS:
            errors.setdefault(CONTACT_FIELDS[kind], []).append(_("At most %(n)s of each kind.") % {"n": MAX_CONTACTS})
            continue
        for value in cleaned:
            key = normaliser(value)
            if not key or len(value) > 200:
                errors.setdefault(CONTACT_FIELDS[kind], []).append(message % {"value": value[:60]})
            elif (kind, key) not in seen:
                seen.add((kind, key))
                out.append((str(kind), value, key))
    if errors:
        raise ValidationFailed(fields=errors)
    return out


def _apply(agency: RecruitmentAgency, data: AgencyInput) -> dict:
    changes = {}
    for name in DETAIL_FIELDS:
        value = getattr(data, name)
        if isinstance(value, str):
            value = value.strip()
        if getattr(agency, name) != value:
            changes[name.removesuffix("_id")] = [_audit_value(getattr(agency, name)), _audit_value(value)]
            setattr(agency, name, value)
    agency.licence_key = licence_key(agency.licence_number)
    agency.name_key = name_key(agency.legal_name)
    return changes


def _audit_value(value):
    return value.isoformat() if isinstance(value, date) else value


def _check_licence_free(agency: RecruitmentAgency) -> None:
    if not agency.licence_key:
        raise ValidationFailed(fields={"licence_number": [_("Enter the licence number.")]})
    if RecruitmentAgency.objects.filter(licence_key=agency.licence_key).exclude(pk=agency.pk).exists():
        raise ValidationFailed(
            fields={"licence_number": [_("Another agency in the register has this licence number.")]}
        )


def _write_contacts(agency: RecruitmentAgency, contacts: list[tuple[str, str, str]]) -> bool:
    before = sorted(agency.contacts.values_list("kind", "normalized")) if agency.pk else []
    after = sorted({(k, n) for k, _v, n in contacts})
    if before == after:
        return False
    agency.contacts.all().delete()
    AgencyContact.objects.bulk_create(
        [AgencyContact(agency=agency, kind=k, value=v, normalized=n) for k, v, n in contacts]
    )
    return True


@transaction.atomic
def agency_create(
    *,
    actor: Actor,
    data: AgencyInput,
    status: str = AgencyStatus.VALID,
    status_since: date | None = None,
    status_source: str,
) -> RecruitmentAgency:
    """Add an agency to the register with its first status (and that status's source)."""
    require(actor, Action.RECRUITER_MANAGE)
    if status != AgencyStatus.VALID:
        require(actor, Action.RECRUITER_STATUS)
    contacts = clean_contacts(data.contacts)
    agency = RecruitmentAgency(created_by=actor)
    _apply(agency, data)
    agency.status = status
    agency.status_since = status_since or timezone.localdate()
    agency.status_source = (status_source or "").strip()
    if not agency.status_source:
        raise ValidationFailed(fields={"status_source": [_("Say where the status comes from (the NEA notice).")]})
    _full_clean(agency, exclude=["licence_key", "name_key"])
    _check_licence_free(agency)
    try:
        with transaction.atomic():
            agency.save()
    except IntegrityError as exc:  # a concurrent create with the same licence number
        raise ValidationFailed(
            fields={"licence_number": [_("Another agency in the register has this licence number.")]}
        ) from exc
    AgencyStatusChange.objects.create(
        agency=agency,
        status=status,
        effective_on=agency.status_since,
        source=agency.status_source,
        recorded_by=actor,
    )
    _write_contacts(agency, contacts)
    audit_record(
        actor=actor,
        action=RecruitmentEvent.CREATE,
        target_type=TARGET,
        target_id=agency.public_id,
        changes={"status": status, "contacts": len(contacts)},
    )
    _on_commit_changed()
    return agency


def _lock(agency: RecruitmentAgency, expected_version: int | None) -> RecruitmentAgency:
    locked = RecruitmentAgency.objects.select_for_update().get(pk=agency.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(
            _(
                "Someone else changed this agency since you opened it. "
                "Your changes were not saved: reload, check theirs, and edit again."
            )
        )
    return locked


@transaction.atomic
def agency_update(
    *, actor: Actor, agency: RecruitmentAgency, data: AgencyInput, expected_version: int | None
) -> RecruitmentAgency:
    """Change an agency's details and contacts (not its status: agency_set_status)."""
    require(actor, Action.RECRUITER_MANAGE, agency)
    locked = _lock(agency, expected_version)
    contacts = clean_contacts(data.contacts)
    changes = _apply(locked, data)
    _full_clean(locked, exclude=["licence_key", "name_key"])
    _check_licence_free(locked)
    if _write_contacts(locked, contacts):
        changes["contacts"] = len(contacts)
    if changes:
        locked.version += 1
        locked.save()
        audit_record(
            actor=actor, action=RecruitmentEvent.UPDATE, target_type=TARGET, target_id=locked.public_id, changes=changes
        )
        _on_commit_changed()
    return locked


def _set_status(*, actor, agency, status: str, effective_on: date, source: str, complaint=None) -> AgencyStatusChange:
    """Write one status change on a locked agency (the caller checked the right and the version)."""
    source = (source or "").strip()
    errors = {}
    if status not in AgencyStatus.values:
        errors["status"] = [_("Choose a status.")]
    if not source:
        errors["source"] = [_("Say where the status comes from (the NEA notice).")]
    elif len(source) > 300:
        errors["source"] = [_("At most 300 characters.")]
    if effective_on is None or effective_on > timezone.localdate():
        errors["effective_on"] = [_("Give the date the status took effect (not in the future).")]
    if errors:
        raise ValidationFailed(fields=errors)
    change = AgencyStatusChange.objects.create(
        agency=agency,
        status=status,
        previous_status=agency.status,
        effective_on=effective_on,
        source=source,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        complaint=complaint,
    )
    agency.status = status
    agency.status_since = effective_on
    agency.status_source = source
    agency.version += 1
    agency.save()
    return change


@transaction.atomic
def agency_set_status(
    *,
    actor: Actor,
    agency: RecruitmentAgency,
    status: str,
    effective_on: date,
    source: str,
    expected_version: int | None,
    complaint=None,
) -> RecruitmentAgency:
    """Change an agency's licence status (labour officers), with the date it took effect and its source (and,
    when a complaint's triage decided it, that complaint, kept in the history)."""
    require(actor, Action.RECRUITER_STATUS, agency)
    locked = _lock(agency, expected_version)
    if status == locked.status:
        raise ValidationFailed(fields={"status": [_("The agency already has this status.")]})
    previous = locked.status
    _set_status(
        actor=actor, agency=locked, status=status, effective_on=effective_on, source=source, complaint=complaint
    )
    audit_record(
        actor=actor,
        action=RecruitmentEvent.STATUS,
        target_type=TARGET,
        target_id=locked.public_id,
        changes={
            "status": [previous, status],
            "effective_on": effective_on.isoformat(),
            "source": locked.status_source,
            **({"complaint": complaint.reference} if complaint is not None else {}),
        },
    )
    _on_commit_changed()
    return locked


@dataclass
class DirectorOutcome:
    """The director linked, or (director None) the persons proposed and the link token (as PersonOutcome)."""

    director: AgencyDirector | None
    person: PersonOutcome


@transaction.atomic
def director_add(*, actor: Actor, agency: RecruitmentAgency, choice: PersonChoice) -> DirectorOutcome:
    """Link a director: the person is registered or linked through people.services.person_register_or_link (the
    one path: identity check, duplicate look-up, link token, audit); when it proposes persons, nothing is linked
    and the officer chooses."""
    require(actor, Action.RECRUITER_MANAGE, agency)
    locked = _lock(agency, None)
    outcome = people_services.person_register_or_link(actor=actor, choice=choice)
    if outcome.person is None:
        return DirectorOutcome(director=None, person=outcome)
    if AgencyDirector.objects.filter(agency=locked, person=outcome.person).exists():
        raise ValidationFailed(_("This person is already a director of this agency."))
    director = AgencyDirector.objects.create(agency=locked, person=outcome.person, added_by=actor)
    audit_record(
        actor=actor,
        action=RecruitmentEvent.DIRECTOR_ADD,
        target_type=TARGET,
        target_id=locked.public_id,
        changes={"person": str(outcome.person.public_id)},
    )
    return DirectorOutcome(director=director, person=outcome)


@transaction.atomic
def job_order_add(*, actor: Actor, agency: RecruitmentAgency, data: JobOrderInput) -> JobOrder:
    require(actor, Action.RECRUITER_MANAGE, agency)
    locked = _lock(agency, None)
    order = JobOrder(
        agency=locked,
        created_by=actor,
        employer=data.employer.strip(),
        country_id=data.country_id,
        role=data.role.strip(),
        workers=data.workers,
        salary_cents=data.salary_cents,
        salary_currency=(data.salary_currency or "").strip().upper(),
        valid_from=data.valid_from,
        valid_until=data.valid_until,
    )
    errors = {}
    if data.valid_until and data.valid_from and data.valid_until < data.valid_from:
        errors["valid_until"] = [_("The end of validity is before its start.")]
    if len(order.salary_currency) != 3 or not order.salary_currency.isalpha():
        errors["salary_currency"] = [_("Give the three-letter currency code (KES, USD, SAR...).")]
    if errors:
        raise ValidationFailed(fields=errors)
    _full_clean(order, exclude=["agency"])
    order.save()
    audit_record(
        actor=actor,
        action=RecruitmentEvent.JOB_ORDER_ADD,
        target_type=TARGET,
        target_id=locked.public_id,
        changes={"job_order": str(order.public_id), "country": order.country_id, "workers": order.workers},
    )
    return order


# --- import of the NEA published list ----------------------------------------------------------------------


MAX_ERRORS_KEPT = 1000


@transaction.atomic
def import_list(*, actor: Actor, file_name: str, content: bytes, source: str) -> AgencyImport:
    """Import the NEA published list: every row valid, or nothing imported (the refusal and its row-level report
    are kept). An agency is matched by its licence number: new ones are added, known ones updated; a status that
    differs from the register's is a status change with `source` (the notice the list was published with) as its
    source. Importing changes statuses, so it needs recruiter.status as well as recruiter.manage."""
    require(actor, Action.RECRUITER_MANAGE)
    require(actor, Action.RECRUITER_STATUS)
    source = (source or "").strip()
    if not source or len(source) > 300:
        raise ValidationFailed(
            fields={"source": [_("Say which published list this is (for example: NEA list of 1 June 2024).")]}
        )
    record = AgencyImport(created_by=actor, file_name=(file_name or "upload.csv")[:200])
    today = timezone.localdate()
    try:
        rows = importer.read_list(content)
        parsed, errors = importer.parse_all(rows, counties=selectors.county_lookup(), today=today)
    except importer.FileInvalid as exc:
        errors = [{"row": 1, "column": "file", "message": m} for m in exc.fields.get("file", [exc.message])]
        rows, parsed = [], []
    record.rows = len(rows)
    if errors:
        record.status = ImportStatus.REFUSED
        record.errors = errors[:MAX_ERRORS_KEPT]
        record.save()
        audit_record(
            actor=actor,
            action=RecruitmentEvent.IMPORT_REFUSED,
            target_type="recruitment.agencyimport",
            target_id=record.public_id,
            changes={"rows": record.rows, "errors": len(errors)},
        )
        return record
    _apply_rows(actor, record, parsed, source, today)
    record.status = ImportStatus.APPLIED
    record.save()
    audit_record(
        actor=actor,
        action=RecruitmentEvent.IMPORT,
        target_type="recruitment.agencyimport",
        target_id=record.public_id,
        changes={
            "rows": record.rows,
            "created": record.created,
            "updated": record.updated,
            "status_changes": record.status_changes,
            "source": source,
        },
    )
    _on_commit_changed()
    return record


def _apply_rows(actor, record: AgencyImport, parsed: list[importer.AgencyRow], source: str, today: date) -> None:
    """Write the rows in bulk (a few queries per 1,000 rows, not per row)."""
    counties = selectors.county_ids()
    existing = {
        a.licence_key: a
        for a in RecruitmentAgency.objects.select_for_update().filter(licence_key__in=[r.licence_key for r in parsed])
    }
    new: list[RecruitmentAgency] = []
    changed: list[RecruitmentAgency] = []
    history: list[AgencyStatusChange] = []
    contact_rows: list[tuple[RecruitmentAgency, importer.AgencyRow]] = []
    for row in parsed:
        agency = existing.get(row.licence_key)
        details = {
            "licence_number": row.licence_number,
            "legal_name": row.legal_name,
            "trading_name": row.trading_name,
            "office_address": row.office_address,
            "county_id": counties.get(row.county) if row.county else None,
            "guarantee_issuer": row.guarantee_issuer,
            "guarantee_amount_cents": row.guarantee_amount_cents,
            "guarantee_expires_on": row.guarantee_expires_on,
        }
        effective = row.status_date or today
        if agency is None:
            agency = RecruitmentAgency(
                created_by=actor,
                licence_key=row.licence_key,
                name_key=name_key(row.legal_name),
                status=row.status,
                status_since=effective,
                status_source=source,
                **details,
            )
            new.append(agency)
            history.append(
                AgencyStatusChange(
                    agency=agency, status=row.status, effective_on=effective, source=source, recorded_by=actor
                )
            )
        else:
            dirty = False
            for name, value in details.items():
                if name != "county_id" and value in ("", None) and getattr(agency, name):
                    continue  # an empty cell keeps what the register holds
                if getattr(agency, name) != value:
                    setattr(agency, name, value)
                    dirty = True
            if agency.status != row.status:
                history.append(
                    AgencyStatusChange(
                        agency=agency,
                        status=row.status,
                        previous_status=agency.status,
                        effective_on=effective,
                        source=source,
                        recorded_by=actor,
                    )
                )
                agency.status, agency.status_since, agency.status_source = row.status, effective, source
                record.status_changes += 1
                dirty = True
            if dirty:
                agency.name_key = name_key(agency.legal_name)
                agency.version += 1
                agency.updated_at = timezone.now()
                changed.append(agency)
        if row.contacts:
            contact_rows.append((agency, row))
    RecruitmentAgency.objects.bulk_create(new, batch_size=500)
    if changed:
        RecruitmentAgency.objects.bulk_update(
            changed,
            [
                *(f.removesuffix("_id") if f == "county_id" else f for f in DETAIL_FIELDS),
                "licence_key",
                "name_key",
                "status",
                "status_since",
                "status_source",
                "version",
                "updated_at",
            ],
            batch_size=500,
        )
    for change in history:
        change.agency_id = change.agency.pk
    AgencyStatusChange.objects.bulk_create(history, batch_size=500)
    if contact_rows:
        replaced = [(a.pk, kind) for a, row in contact_rows for kind in row.contacts]
        for kind in {k for _pk, k in replaced}:
            AgencyContact.objects.filter(kind=kind, agency_id__in=[pk for pk, k in replaced if k == kind]).delete()
        AgencyContact.objects.bulk_create(
            [
                AgencyContact(agency_id=a.pk, kind=kind, value=v, normalized=n)
                for a, row in contact_rows
                for kind, v, n in clean_contacts(row.contacts)
            ],
            batch_size=1000,
        )
    record.created = len(new)
    record.updated = len(changed)
