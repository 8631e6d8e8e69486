"""Writes to victim cases. Each service: check the actor's right on this case, lock, validate, write, audit and
add the timeline entry in one transaction; notifications go out on commit (ARCHITECTURE.md rules 1-2)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.accounts.models import Agency, User
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ctip.people.identity import open_identity
from ctip.people.models import Person
from ctip.reference.selectors import htcds_value_codes

from ..enums import (
    CASE_TRANSITIONS,
    CLOSED_STATUSES,
    HTCDS_CASE_FIELDS,
    CaseStatus,
    ClosureReason,
    EventType,
    IdentificationChannel,
    ImmigrationStatus,
)
from ..models import TARGET, Case, CaseAssignment, CaseAttribute, CaseCounter, TimelineEntry, TraffickingEvent

ADULT_AGE = 18

__all__ = [
    "ADULT_AGE",
    "EventInput",
    "age_on",
    "bump",
    "case_add_event",
    "cases_backfill_sex",
    "case_assign",
    "case_edit",
    "case_open",
    "case_set_status",
    "case_unassign",
    "case_update",
    "lock_case",
    "person_birth_date",
    "timeline_add",
    "validate_dates",
    "validate_htcds",
]


# --- helpers shared by the case services ------------------------------------------------------------


def lock_case(case: Case, expected_version: int | None) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict()
    return locked


def bump(case: Case, *fields: str) -> None:
    case.version += 1
    case.save(update_fields=[*fields, "version", "updated_at"])


def timeline_add(
    *, case: Case, kind: str, actor: Actor | None = None, params: dict | None = None, section: str = ""
) -> TimelineEntry:
    return TimelineEntry.objects.create(
        case=case,
        at=timezone.now(),
        kind=kind,
        params=params or {},
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        agency_id=getattr(actor, "agency_id", None),
        section=section,
    )


def person_birth_date(person: Person) -> date | None:
    """The person's date of birth, for validating case dates. Not shown to anyone, so not an identity read."""
    return open_identity(person, ["date_of_birth"]).date_of_birth


def person_sex(person: Person) -> str:
    """The person's sex, copied onto the case for statistics (not shown to anyone, so not an identity read)."""
    return open_identity(person, ["sex"]).sex or ""


def cases_backfill_sex(*, actor: str, batch: int = 500) -> int:
    """Fill `sex_at_identification` on cases opened before the column existed (statistics read it; the
    identity stays in the vault). A system task: `actor` is the command's name. One audit event with the count;
    nothing is shown to anyone. Returns how many cases were filled."""
    filled = 0
    last_id = 0
    while True:
        cases = list(
            Case.objects.filter(sex_at_identification="", id__gt=last_id)
            .select_related("person")
            .order_by("id")[:batch]
        )
        if not cases:
            break
        last_id = cases[-1].id
        changed = []
        for case in cases:
            sex = person_sex(case.person)
            if sex:
                case.sex_at_identification = sex
                changed.append(case)
        with transaction.atomic():
            Case.objects.bulk_update(changed, ["sex_at_identification"])
        filled += len(changed)
    audit_record(actor=actor, action="case.statistics_backfill", changes={"cases": filled})
    return filled


def age_on(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _next_reference(year: int) -> str:
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(year=year)
    counter.value += 1
    counter.save(update_fields=["value"])
    return f"CT-{year}-{counter.value:06d}"


@dataclass
class EventInput:
    event_type: str
    started_on: date | None = None
    ended_on: date | None = None
    county_id: int | None = None
    country_id: int | None = None
    city: str = ""
    description: str = ""


def validate_htcds(values: dict[str, list[str]] | None) -> dict[str, list[str]]:
    """Keep only known HTCDS victim-context fields, each value one of the standard's value names."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, list[str]] = {}
    for field, chosen in (values or {}).items():
        if field not in HTCDS_CASE_FIELDS:
            errors[field] = [_("Unknown field.")]
            continue
        allowed = set(htcds_value_codes(field))
        chosen = [c for c in dict.fromkeys(chosen or []) if c]
        bad = [c for c in chosen if c not in allowed]
        if bad:
            errors[field] = [_("Not a value of this field: %(values)s.") % {"values": ", ".join(bad[:5])}]
        clean[field] = chosen
    if errors:
        raise ValidationFailed(fields=errors)
    return clean


def validate_dates(
    *, identified_on: date, dob: date | None, events: Sequence[EventInput], is_child: bool | None
) -> tuple[bool, int | None]:
    """Check dates against today and the date of birth; derive the child flag. Returns (is_child, age)."""
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if identified_on > today:
        errors["identified_on"] = [_("The date identified cannot be in the future.")]
    if dob and identified_on < dob:
        errors.setdefault("identified_on", []).append(_("The date identified is before the date of birth."))
    for i, event in enumerate(events):
        key = f"events.{i}"
        if event.event_type not in EventType.values:
            errors[key] = [_("Choose recruitment, transit or exploitation.")]
        for when in (event.started_on, event.ended_on):
            if when and when > today:
                errors.setdefault(key, []).append(_("An event cannot be in the future."))
            if when and dob and when < dob:
                errors.setdefault(key, []).append(_("An event cannot be before the date of birth."))
        if event.started_on and event.ended_on and event.ended_on < event.started_on:
            errors.setdefault(key, []).append(_("The event ends before it starts."))
    age = age_on(dob, identified_on) if dob and identified_on >= dob else None
    derived = None if age is None else age < ADULT_AGE
    if derived is not None and is_child is not None and derived != is_child:
        errors["is_child"] = [
            _("The date of birth says the person was %(age)s when identified: the child status does not match.")
            % {"age": age}
        ]
    if errors:
        raise ValidationFailed(fields=errors)
    return (derived if derived is not None else bool(is_child)), age


def _set_attributes(case: Case, values: dict[str, list[str]]) -> None:
    for field, chosen in values.items():
        CaseAttribute.objects.filter(case=case, field=field).exclude(value__in=chosen).delete()
        existing = set(CaseAttribute.objects.filter(case=case, field=field).values_list("value", flat=True))
        CaseAttribute.objects.bulk_create(
            [CaseAttribute(case=case, field=field, value=v) for v in chosen if v not in existing]
        )


def _add_events(case: Case, events: Iterable[EventInput], actor: Actor) -> None:
    for event in events:
        obj = TraffickingEvent(
            case=case,
            event_type=event.event_type,
            started_on=event.started_on,
            ended_on=event.ended_on,
            county_id=event.county_id,
            country_id=event.country_id,
            city=event.city.strip(),
            created_by=actor,
        )
        obj.description = event.description
        obj.save()


# --- opening a case ---------------------------------------------------------------------------------------

CASE_FIELDS = (
    "identifying_agency_type",
    "identified_county_id",
    "identified_country_id",
    "faces_charges",
    "in_detention",
    "detention_place",
    "charges_note",
    "is_abroad",
    "abroad_country_id",
    "abroad_city",
    "employer_name",
    "mission_id",
    "recruiting_agency_name",
    "is_foreign",
    "immigration_status",
    "return_requested",
)


# Free text that may name a person, an employer or a place of detention: the audit trail says that it changed,
# never what it says.
FREE_TEXT_CASE_FIELDS = ("detention_place", "charges_note", "abroad_city", "employer_name", "recruiting_agency_name")


def _check_case_fields(fields: dict) -> None:
    errors = {}
    unknown = set(fields) - set(CASE_FIELDS)
    if unknown:
        raise ValidationFailed(fields={name: [_("Unknown field.")] for name in sorted(unknown)})
    status = fields.get("immigration_status")
    if status and status not in ImmigrationStatus.values:
        errors["immigration_status"] = [_("Choose a valid immigration status.")]
    if fields.get("is_abroad") and not fields.get("abroad_country_id"):
        errors["abroad_country"] = [_("Say in which country the person is.")]
    if fields.get("abroad_country_id") and not fields.get("is_abroad"):
        fields["is_abroad"] = True
    if (fields.get("faces_charges") or fields.get("in_detention")) and not fields.get("detention_place", "").strip():
        errors["detention_place"] = [_("Say where the person is charged or detained.")]
    mission_id = fields.get("mission_id")
    if mission_id and not Agency.objects.filter(pk=mission_id, agency_type="diaspora").exists():
        errors["mission"] = [_("Choose a Kenyan mission or the diaspora directorate.")]
    if errors:
        raise ValidationFailed(fields=errors)


@transaction.atomic
def case_open(
    *,
    actor: Actor,
    person: Person,
    identified_on: date,
    channel: str = IdentificationChannel.OFFICER,
    narrative: str = "",
    htcds: dict[str, list[str]] | None = None,
    events: Sequence[EventInput] = (),
    is_child: bool | None = None,
    owning_agency: Agency | None = None,
    **fields,
) -> Case:
    """Open a potential victim's case for a person registered or linked just before: the case step of
    `case_register` (registration.py), which every way of registering a victim calls. Not for views or APIs."""
    require(actor, Action.CASE_CREATE)
    agency = owning_agency or actor.agency
    if agency is None or (agency.pk != actor.agency_id and actor.scope(Action.CASE_CREATE) != "national"):
        raise PermissionDenied()
    if person.merged_into_id or not person.is_active:
        raise ValidationFailed(fields={"person": [_("This person record was merged or deactivated.")]})
    if channel not in IdentificationChannel.values:
        raise ValidationFailed(fields={"channel": [_("Choose a valid channel.")]})
    events = list(events)
    fields.setdefault("identifying_agency_type", agency.agency_type)
    _check_case_fields(fields)
    htcds_clean = validate_htcds(htcds)
    child, age = validate_dates(
        identified_on=identified_on, dob=person_birth_date(person), events=events, is_child=is_child
    )
    previous = (
        Case.objects.filter(person=person, status__in=list(CLOSED_STATUSES)).order_by("-closed_at", "-id").first()
    )
    case = Case(
        reference=_next_reference(identified_on.year),
        person=person,
        owning_agency=agency,
        status=CaseStatus.ACTIVE,
        status_changed_at=timezone.now(),
        identified_on=identified_on,
        channel=channel,
        is_child=child,
        age_at_identification=age,
        sex_at_identification=person_sex(person),
        previous_case=previous,
        retrafficked=previous is not None,
        created_by=actor,
        **fields,
    )
    case.narrative = narrative
    case.save()
    _set_attributes(case, htcds_clean)
    _add_events(case, events, actor)
    CaseAssignment.objects.create(case=case, user=actor, is_lead=True, assigned_by=actor)
    audit_record(
        actor=actor,
        action="case.create",
        target_type=TARGET,
        target_id=case.public_id,
        changes={
            "reference": case.reference,
            "person": str(person.public_id),
            "channel": channel,
            "htcds": htcds_clean,
            "events": len(events),
            "retrafficked": case.retrafficked,
        },
    )
    timeline_add(
        case=case,
        kind="case.opened",
        actor=actor,
        params={"reference": case.reference, "agency": str(agency), "channel": channel},
    )
    if previous is not None:
        timeline_add(case=case, kind="case.retrafficked", actor=actor, params={"previous": previous.reference})
    if case.faces_charges or case.in_detention:
        timeline_add(case=case, kind="case.non_punishment", actor=actor, section="non_punishment")
    return case


# --- editing, status, assignment ------------------------------------------------------------------------------


@transaction.atomic
def case_update(
    *,
    actor: Actor,
    case: Case,
    expected_version: int,
    narrative: str | None = None,
    htcds: dict[str, list[str]] | None = None,
    **fields,
) -> Case:
    require(actor, Action.CASE_EDIT, case, section="circumstances")
    locked = lock_case(case, expected_version)
    merged = {name: getattr(locked, name) for name in CASE_FIELDS}
    merged.update(fields)
    _check_case_fields(merged)
    changed = [name for name in fields if getattr(locked, name) != fields[name]]
    for name in changed:
        setattr(locked, name, fields[name])
    update = list(changed)
    if narrative is not None:
        locked.narrative = narrative
        update.append("narrative")
    if htcds is not None:
        _set_attributes(locked, validate_htcds(htcds))
        update.append("htcds")
    if not update:
        return locked
    was_flagged = case.faces_charges or case.in_detention
    bump(locked, *[f for f in update if f != "htcds"])
    audit_record(
        actor=actor,
        action="case.update",
        target_type=TARGET,
        target_id=locked.public_id,
        changes={"fields": sorted(update), **{k: str(fields[k]) for k in changed}},
        mask=("narrative", *FREE_TEXT_CASE_FIELDS),
    )
    timeline_add(
        case=locked,
        kind="case.updated",
        actor=actor,
        params={"fields": ", ".join(sorted(update))},
        section="circumstances",
    )
    if (locked.faces_charges or locked.in_detention) and not was_flagged:
        timeline_add(case=locked, kind="case.non_punishment", actor=actor, section="non_punishment")
    return locked


@transaction.atomic
def case_edit(
    *,
    actor: Actor,
    case: Case,
    expected_version: int,
    narrative: str | None = None,
    htcds: dict[str, list[str]] | None = None,
    events: list[EventInput] | None = None,
    **fields,
) -> Case:
    """The case page's edit form: the circumstances and any new exploitation events, all saved or none."""
    updated = case_update(
        actor=actor, case=case, expected_version=expected_version, narrative=narrative, htcds=htcds, **fields
    )
    for event in events or []:
        case_add_event(actor=actor, case=updated, event=event)
    return updated


@transaction.atomic
def case_set_status(
    *, actor: Actor, case: Case, status: str, expected_version: int, closure_reason: str = "", note: str = ""
) -> Case:
    """Move the case along its state machine. Closing needs a reason; re-opening is explicit."""
    require(actor, Action.CASE_EDIT, case, owner_side=True)  # status and the case team: the owning side only
    locked = lock_case(case, expected_version)
    old = locked.status
    if status not in CaseStatus.values or status not in CASE_TRANSITIONS.get(old, set()):
        raise InvalidTransition()
    if status in CLOSED_STATUSES:
        if closure_reason not in ClosureReason.values:
            raise ValidationFailed(fields={"closure_reason": [_("Choose why the case is closed.")]})
        if closure_reason == ClosureReason.OTHER and not note.strip():
            raise ValidationFailed(fields={"note": [_("Explain the reason for closing.")]})
        locked.closure_reason = closure_reason
        locked.closure_note = note
        locked.closed_at = timezone.now()
    elif old in CLOSED_STATUSES:
        locked.closure_reason = ""
        locked.closure_note = ""
        locked.closed_at = None
    locked.status = status
    locked.status_changed_at = timezone.now()
    bump(locked, "status", "status_changed_at", "closure_reason", "closure_note", "closed_at")
    audit_record(
        actor=actor,
        action="case.status",
        target_type=TARGET,
        target_id=locked.public_id,
        changes={"status": [old, status], "closure_reason": closure_reason},
        reason=note if status not in CLOSED_STATUSES else "",
        mask=("reason",),
    )
    if status in CLOSED_STATUSES:
        timeline_add(
            case=locked, kind="case.closed", actor=actor, params={"reason": str(ClosureReason(closure_reason).label)}
        )
    elif old in CLOSED_STATUSES:
        timeline_add(case=locked, kind="case.reopened", actor=actor)
    else:
        timeline_add(
            case=locked,
            kind="case.status",
            actor=actor,
            params={"old": str(CaseStatus(old).label), "new": str(CaseStatus(status).label)},
        )
    return locked


@transaction.atomic
def case_assign(*, actor: Actor, case: Case, user: User, is_lead: bool = False) -> CaseAssignment:
    require(actor, Action.CASE_EDIT, case, owner_side=True)  # status and the case team: the owning side only
    if user.agency_id != case.owning_agency_id or not user.can(Action.CASE_VIEW) or not user.is_active:
        raise ValidationFailed(fields={"user": [_("Assign an active officer of the owning agency.")]})
    existing = CaseAssignment.objects.filter(case=case, user=user, ended_at__isnull=True).first()
    if is_lead:  # one lead: the others step down (the officer named keeps it when already the lead)
        CaseAssignment.objects.filter(case=case, is_lead=True, ended_at__isnull=True).exclude(user=user).update(
            is_lead=False
        )
    if existing:
        if is_lead and not existing.is_lead:
            existing.is_lead = True
            existing.save(update_fields=["is_lead"])
        assignment = existing
    else:
        assignment = CaseAssignment.objects.create(case=case, user=user, is_lead=is_lead, assigned_by=actor)
    audit_record(
        actor=actor,
        action="case.assign",
        target_type=TARGET,
        target_id=case.public_id,
        changes={"user": user.get_username(), "lead": is_lead},
    )
    timeline_add(case=case, kind="case.assigned", actor=actor, params={"user": user.get_username()})
    return assignment


@transaction.atomic
def case_unassign(*, actor: Actor, case: Case, user: User) -> None:
    require(actor, Action.CASE_EDIT, case, owner_side=True)  # status and the case team: the owning side only
    updated = CaseAssignment.objects.filter(case=case, user=user, ended_at__isnull=True).update(
        ended_at=timezone.now(), is_lead=False
    )
    if not updated:
        raise NotFound()
    audit_record(
        actor=actor,
        action="case.unassign",
        target_type=TARGET,
        target_id=case.public_id,
        changes={"user": user.get_username()},
    )
    timeline_add(case=case, kind="case.unassigned", actor=actor, params={"user": user.get_username()})


@transaction.atomic
def case_add_event(*, actor: Actor, case: Case, event: EventInput) -> TraffickingEvent:
    require(actor, Action.CASE_EDIT, case, section="circumstances")
    validate_dates(identified_on=case.identified_on, dob=person_birth_date(case.person), events=[event], is_child=None)
    _add_events(case, [event], actor)
    created = case.events.order_by("-id").first()
    assert created is not None  # the event added just above, in this transaction
    audit_record(
        actor=actor,
        action="case.event_add",
        target_type=TARGET,
        target_id=case.public_id,
        changes={"event_type": event.event_type},
    )
    timeline_add(
        case=case,
        kind="case.event_added",
        actor=actor,
        params={"event_type": str(EventType(event.event_type).label)},
        section="circumstances",
    )
    return created
