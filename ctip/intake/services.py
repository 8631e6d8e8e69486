"""Writes of intake: public tips and their triage, hotline calls, conversion into cases, bulk imports.

Each service checks the actor's right, locks what it checks, validates, writes and audits in one transaction
(ARCHITECTURE.md rules 1-2); state changes go through the transition tables in enums.py (rule 4). Text a
reporter or caller wrote is sealed with the vault, bound to the record and field.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.accounts.access import record_access
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.cases import services as case_services
from ctip.cases.enums import CaseStatus, IdentificationChannel
from ctip.core import context
from ctip.core.errors import Conflict, InvalidTransition, PermissionDenied, ServiceError, ValidationFailed
from ctip.people import services as people_services
from ctip.people.identity import Identity
from ctip.people.vault import get_vault

from . import importer
from .enums import (
    CALL_TRANSITIONS,
    TIP_TRANSITIONS,
    CallerType,
    CallLanguage,
    CallStatus,
    ImportFormat,
    ImportStatus,
    Situation,
    TipCloseReason,
    TipSource,
    TipStatus,
    Urgency,
)
from .models import CALL_TARGET, IMPORT_TARGET, TIP_TARGET, HotlineCall, ImportJob, Tip

log = logging.getLogger("ctip.intake")

INLINE_IMPORT_ROWS = 200  # smaller files are imported during the upload request; larger ones by a task
PROGRESS_EVERY = 50
# Reference alphabet: no 0/O, 1/I/L, so a reference read over the phone is not misheard.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TEXT_LIMITS = {
    "description": 5000,
    "place": 200,
    "occurred": 200,
    "people_involved": 2000,
    "contact": 200,
    "message_to_reporter": 1000,
    "close_note": 2000,
    "summary": 5000,
    "city": 120,
}


# --- helpers ------------------------------------------------------------------------------------------------


def seal(obj, field: str, text: str) -> str:
    return get_vault().seal((text or "").strip(), context=f"{obj._meta.label_lower}:{obj.public_id}:{field}")


def unseal(obj, field: str) -> str:
    return get_vault().open(getattr(obj, field), context=f"{obj._meta.label_lower}:{obj.public_id}:{field}")


@contextlib.contextmanager
def without_client_ip():
    """Audit events written inside carry no IP address: public reporters are anonymous (no IP is stored)."""
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


def random_code(prefix: str, groups: int = 2, size: int = 4) -> str:
    return "-".join([prefix] + ["".join(secrets.choice(ALPHABET) for _ in range(size)) for _ in range(groups)])


def normalize_reference(raw: str) -> str:
    """'tip 7k3q9xrm', 'TIP-7K3Q-9XRM' -> 'TIP-7K3Q-9XRM'. Unknown shapes come back upper-cased as typed."""
    text = "".join(ch for ch in (raw or "").upper() if ch.isalnum())
    if text.startswith("TIP") and len(text) == 11:
        return f"TIP-{text[3:7]}-{text[7:11]}"
    return (raw or "").strip().upper()[:30]


def new_pin() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _check_lengths(values: dict[str, str]) -> dict[str, list[str]]:
    errors = {}
    for name, value in values.items():
        limit = TEXT_LIMITS.get(name)
        if limit and len(value or "") > limit:
            errors[name] = [_("At most %(n)s characters.") % {"n": limit}]
    return errors


def _check_place(errors: dict, county_id, country_id) -> None:
    from ctip.reference.selectors import country_list, county_list

    if county_id and not county_list().filter(pk=county_id).exists():
        errors["county"] = [_("Choose a county from the list.")]
    if country_id and not country_list().filter(pk=country_id).exists():
        errors["country"] = [_("Choose a country from the list.")]


def _require(actor, action: Action, target_type: str, obj=None, owning_agency_id=None) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied()
    access = record_access(
        actor,
        action,
        target_type,
        public_id=getattr(obj, "public_id", None),
        owning_agency_id=owning_agency_id if owning_agency_id is not None else getattr(obj, "owning_agency_id", None),
    )
    if not access.allowed or access.via not in ("agency", "national"):
        raise PermissionDenied()


# --- public tips -------------------------------------------------------------------------------------------


@dataclass
class TipInput:
    situation: str
    description: str
    county_id: int | None = None
    country_id: int | None = None
    place: str = ""
    occurred: str = ""
    people_involved: str = ""
    contact: str = ""
    language: str = ""


def _unique_reference(model, prefix: str) -> str:
    for _attempt in range(10):
        ref = random_code(prefix)
        if not model.objects.filter(reference=ref).exists():
            return ref
    raise ServiceError(_("Could not allocate a reference. Try again."))  # 31^8 codes: practically never


@transaction.atomic
def tip_submit(*, actor=None, data: TipInput) -> tuple[Tip, str]:
    """An anonymous report from the public. Returns the tip and its PIN, shown once to the reporter (only a
    hash is kept). Nothing about the reporter is stored unless they write it (sealed) in the contact field."""
    errors = _check_lengths(
        {
            "description": data.description,
            "place": data.place,
            "occurred": data.occurred,
            "people_involved": data.people_involved,
            "contact": data.contact,
        }
    )
    if data.situation not in Situation.values:
        errors["situation"] = [_("Choose the type of situation.")]
    if len((data.description or "").strip()) < 10:
        errors.setdefault("description", []).append(_("Tell us what happened (at least a sentence)."))
    _check_place(errors, data.county_id, data.country_id)
    if errors:
        raise ValidationFailed(fields=errors)
    pin = new_pin()
    tip = Tip(
        reference=_unique_reference(Tip, "TIP"),
        pin_hash=make_password(pin),
        source=TipSource.PUBLIC,
        status=TipStatus.NEW,
        status_changed_at=timezone.now(),
        situation=data.situation,
        county_id=data.county_id or None,
        country_id=data.country_id or None,
        language=(data.language or "")[:8],
        has_contact=bool((data.contact or "").strip()),
    )
    for name in ("place", "occurred", "description", "people_involved", "contact"):
        setattr(tip, name, seal(tip, name, getattr(data, name)))
    tip.save()
    with without_client_ip():
        audit_record(
            actor="public",
            action="tip.submit",
            target_type=TIP_TARGET,
            target_id=tip.public_id,
            changes={"reference": tip.reference, "situation": tip.situation, "has_contact": tip.has_contact},
        )
    return tip, pin


def _lock_tip(tip: Tip, expected_version: int | None) -> Tip:
    locked = Tip.objects.select_for_update().get(pk=tip.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict()
    return locked


def _move_tip(locked: Tip, status: str) -> str:
    old = locked.status
    if status not in TIP_TRANSITIONS.get(old, set()):
        raise InvalidTransition()
    locked.status = status
    locked.status_changed_at = timezone.now()
    locked.version += 1
    return old


@transaction.atomic
def tip_start_review(*, actor, tip: Tip, expected_version: int | None = None) -> Tip:
    _require(actor, Action.TIP_TRIAGE, TIP_TARGET, tip, owning_agency_id=0)
    locked = _lock_tip(tip, expected_version)
    old = _move_tip(locked, TipStatus.UNDER_REVIEW)
    locked.reviewer = actor
    locked.reviewed_at = timezone.now()
    locked.save()
    audit_record(
        actor=actor,
        action="tip.review",
        target_type=TIP_TARGET,
        target_id=locked.public_id,
        changes={"status": [old, locked.status]},
    )
    return locked


@transaction.atomic
def tip_close(
    *, actor, tip: Tip, reason: str, note: str = "", message: str = "", expected_version: int | None = None
) -> Tip:
    """Close with a reason; an optional message is shown to the reporter on the status page."""
    _require(actor, Action.TIP_TRIAGE, TIP_TARGET, tip, owning_agency_id=0)
    locked = _lock_tip(tip, expected_version)
    errors = _check_lengths({"close_note": note, "message_to_reporter": message})
    if reason not in TipCloseReason.values:
        errors["reason"] = [_("Choose why the report is closed.")]
    elif reason == TipCloseReason.OTHER and not note.strip():
        errors["note"] = [_("Explain the reason for closing.")]
    if locked.status not in TIP_TRANSITIONS or TipStatus.CLOSED not in TIP_TRANSITIONS[locked.status]:
        raise InvalidTransition()
    if errors:
        raise ValidationFailed(fields=errors)
    old = _move_tip(locked, TipStatus.CLOSED)
    locked.close_reason = reason
    locked.close_note = seal(locked, "close_note", note)
    locked.closed_at = timezone.now()
    locked.reviewer = locked.reviewer or actor
    if message.strip():
        locked.message_to_reporter = seal(locked, "message_to_reporter", message)
        locked.message_at = timezone.now()
    locked.save()
    audit_record(
        actor=actor,
        action="tip.close",
        target_type=TIP_TARGET,
        target_id=locked.public_id,
        changes={"status": [old, locked.status], "reason": reason, "message": bool(message.strip())},
    )
    return locked


@transaction.atomic
def tip_set_message(*, actor, tip: Tip, message: str, expected_version: int | None = None) -> Tip:
    """Leave (or replace) the message the reporter sees with their reference and PIN."""
    _require(actor, Action.TIP_TRIAGE, TIP_TARGET, tip, owning_agency_id=0)
    locked = _lock_tip(tip, expected_version)
    errors = _check_lengths({"message_to_reporter": message})
    if errors:
        raise ValidationFailed(fields={"message": errors["message_to_reporter"]})
    locked.message_to_reporter = seal(locked, "message_to_reporter", message)
    locked.message_at = timezone.now() if message.strip() else None
    locked.version += 1
    locked.save()
    audit_record(
        actor=actor,
        action="tip.message",
        target_type=TIP_TARGET,
        target_id=locked.public_id,
        changes={"message": bool(message.strip())},
    )
    return locked


# --- conversion into a case ------------------------------------------------------------------------------


@dataclass
class CaseDraft:
    """What the officer fills in when a tip or call becomes a case."""

    identity: Identity
    identified_on: date
    narrative: str = ""
    htcds: dict | None = None
    is_child: bool | None = None
    identified_county_id: int | None = None
    identified_country_id: int | None = None
    # an existing person CTIP proposed and the officer chose, instead of registering `identity` as a new one
    link_person_id: str | None = None
    candidates_dismissed: bool = False  # CTIP proposed existing persons and the officer confirmed a new one


def _open_case(*, actor, draft: CaseDraft, channel: str):
    if not (actor.can(Action.CASE_CREATE) and actor.can(Action.PERSON_CREATE)):
        raise PermissionDenied(_("Registering a case needs the right to register victims."))
    if draft.link_person_id:
        person = people_services.person_for_case_link(actor=actor, public_id=draft.link_person_id)
    else:
        person = people_services.person_register(
            actor=actor, identity=draft.identity, dismissed_candidates=draft.candidates_dismissed
        )
    return case_services.case_open(
        actor=actor,
        person=person,
        identified_on=draft.identified_on,
        channel=channel,
        narrative=draft.narrative,
        htcds=draft.htcds,
        is_child=draft.is_child,
        identified_county_id=draft.identified_county_id,
        identified_country_id=draft.identified_country_id,
    )


@transaction.atomic
def tip_convert(*, actor, tip: Tip, draft: CaseDraft, message: str = "", expected_version: int | None = None):
    """Register the person and open the case (channel public_tip, or hotline for an escalated call) in one
    transaction, and link the tip (and its call) to the case. Any failure leaves nothing behind."""
    _require(actor, Action.TIP_TRIAGE, TIP_TARGET, tip, owning_agency_id=0)
    locked = _lock_tip(tip, expected_version)
    if TipStatus.CONVERTED not in TIP_TRANSITIONS.get(locked.status, set()):
        raise InvalidTransition()
    channel = IdentificationChannel.HOTLINE if locked.source == TipSource.HOTLINE else IdentificationChannel.PUBLIC_TIP
    case = _open_case(actor=actor, draft=draft, channel=channel)
    old = _move_tip(locked, TipStatus.CONVERTED)
    locked.case = case
    locked.converted_at = timezone.now()
    locked.reviewer = locked.reviewer or actor
    if message.strip():
        if len(message) > TEXT_LIMITS["message_to_reporter"]:
            raise ValidationFailed(fields={"message": [_("At most 1000 characters.")]})
        locked.message_to_reporter = seal(locked, "message_to_reporter", message)
        locked.message_at = timezone.now()
    locked.save()
    if locked.call_id:
        call = HotlineCall.objects.select_for_update().get(pk=locked.call_id)
        if CallStatus.CONVERTED in CALL_TRANSITIONS.get(call.status, set()):
            _mark_call_converted(call, case)
    audit_record(
        actor=actor,
        action="tip.convert",
        target_type=TIP_TARGET,
        target_id=locked.public_id,
        changes={"status": [old, locked.status], "case": case.reference, "channel": channel},
    )
    case_services.timeline_add(case=case, kind="case.from_intake", actor=actor, params={"reference": locked.reference})
    return case


# --- hotline calls ----------------------------------------------------------------------------------------


@dataclass
class CallInput:
    caller_type: str
    summary: str
    call_at: datetime
    urgency: str = Urgency.NORMAL
    language: str = CallLanguage.KISWAHILI
    county_id: int | None = None
    country_id: int | None = None
    city: str = ""
    duration_minutes: int = 0
    follow_up_needed: bool = False


@transaction.atomic
def call_log(*, actor, data: CallInput) -> HotlineCall:
    if not actor.can(Action.HOTLINE_LOG) or actor.agency_id is None:
        raise PermissionDenied()
    errors = _check_lengths({"summary": data.summary, "city": data.city})
    if data.caller_type not in CallerType.values:
        errors["caller_type"] = [_("Choose who called.")]
    if data.urgency not in Urgency.values:
        errors["urgency"] = [_("Choose the urgency.")]
    if data.language not in CallLanguage.values:
        errors["language"] = [_("Choose the language of the call.")]
    if not (data.summary or "").strip():
        errors.setdefault("summary", []).append(_("Summarise the call."))
    if data.call_at is None or data.call_at > timezone.now() + timedelta(minutes=5):
        errors["call_at"] = [_("The call time cannot be in the future.")]
    if data.duration_minutes < 0 or data.duration_minutes > 24 * 60:
        errors["duration_minutes"] = [_("Give the duration in minutes (0-1440).")]
    _check_place(errors, data.county_id, data.country_id)
    if errors:
        raise ValidationFailed(fields=errors)
    call = HotlineCall(
        reference=_unique_reference(HotlineCall, "HL"),
        owning_agency_id=actor.agency_id,
        caller_type=data.caller_type,
        urgency=data.urgency,
        language=data.language,
        county_id=data.county_id or None,
        country_id=data.country_id or None,
        call_at=data.call_at,
        duration_minutes=data.duration_minutes,
        follow_up_needed=data.follow_up_needed,
        created_by=actor,
    )
    call.summary = seal(call, "summary", data.summary)
    call.city = seal(call, "city", data.city)
    call.save()
    audit_record(
        actor=actor,
        action="call.log",
        target_type=CALL_TARGET,
        target_id=call.public_id,
        changes={"reference": call.reference, "urgency": call.urgency, "caller_type": call.caller_type},
    )
    return call


def _lock_call(call: HotlineCall, expected_version: int | None) -> HotlineCall:
    locked = HotlineCall.objects.select_for_update().get(pk=call.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict()
    return locked


def _mark_call_converted(call: HotlineCall, case) -> None:
    call.status = CallStatus.CONVERTED
    call.case = case
    call.converted_at = timezone.now()
    call.version += 1
    call.save(update_fields=["status", "case", "converted_at", "version", "updated_at"])


@transaction.atomic
def call_escalate(
    *, actor, call: HotlineCall, situation: str = Situation.OTHER, expected_version: int | None = None
) -> Tip:
    """Put the call in the triage queue (coordinators), for operators who cannot register cases themselves.
    The call's summary and place are copied, sealed afresh, into a tip of source 'hotline'."""
    _require(actor, Action.HOTLINE_LOG, CALL_TARGET, call)
    locked = _lock_call(call, expected_version)
    if CallStatus.ESCALATED not in CALL_TRANSITIONS.get(locked.status, set()):
        raise InvalidTransition()
    if situation not in Situation.values:
        raise ValidationFailed(fields={"situation": [_("Choose the type of situation.")]})
    tip = Tip(
        reference=_unique_reference(Tip, "TIP"),
        pin_hash="!",  # unusable: an escalated call has no public status page
        source=TipSource.HOTLINE,
        status=TipStatus.NEW,
        status_changed_at=timezone.now(),
        situation=situation,
        county_id=locked.county_id,
        country_id=locked.country_id,
        language=locked.language,
        call=locked,
        created_by=actor,
    )
    tip.description = seal(tip, "description", unseal(locked, "summary"))
    tip.place = seal(tip, "place", unseal(locked, "city"))
    tip.save()
    locked.status = CallStatus.ESCALATED
    locked.escalated_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=["status", "escalated_at", "version", "updated_at"])
    audit_record(
        actor=actor,
        action="call.escalate",
        target_type=CALL_TARGET,
        target_id=locked.public_id,
        changes={"tip": tip.reference, "situation": situation},
    )
    return tip


@transaction.atomic
def call_convert(*, actor, call: HotlineCall, draft: CaseDraft, expected_version: int | None = None):
    """Register the person and open the case (channel hotline) from a call, in one transaction. Needs the right
    to log calls on this call and to register cases (coordinators; operators escalate instead)."""
    _require(actor, Action.HOTLINE_LOG, CALL_TARGET, call)
    locked = _lock_call(call, expected_version)
    if CallStatus.CONVERTED not in CALL_TRANSITIONS.get(locked.status, set()):
        raise InvalidTransition()
    case = _open_case(actor=actor, draft=draft, channel=IdentificationChannel.HOTLINE)
    _mark_call_converted(locked, case)
    tip = Tip.objects.select_for_update().filter(call=locked).first()
    if tip is not None and TipStatus.CONVERTED in TIP_TRANSITIONS.get(tip.status, set()):
        _move_tip(tip, TipStatus.CONVERTED)
        tip.case = case
        tip.converted_at = timezone.now()
        tip.save()
    audit_record(
        actor=actor,
        action="call.convert",
        target_type=CALL_TARGET,
        target_id=locked.public_id,
        changes={"case": case.reference},
    )
    case_services.timeline_add(case=case, kind="case.from_intake", actor=actor, params={"reference": locked.reference})
    return case


# --- bulk import ------------------------------------------------------------------------------------------


def import_start(*, actor, file_name: str, content: bytes, owning_agency=None) -> ImportJob:
    """Check the file can be read, keep it sealed, and import it: inline when small, else in a background task.
    The job records progress; the file content is blanked once processed."""
    if not actor.can(Action.CASE_IMPORT) or not actor.can(Action.CASE_CREATE):
        raise PermissionDenied()
    agency = owning_agency or actor.agency
    if agency is None or (agency.pk != actor.agency_id and actor.scope(Action.CASE_IMPORT) != "national"):
        raise PermissionDenied()
    fmt = importer.detect_format(file_name, content)
    rows, ignored = importer.read_table(content, fmt)
    if not rows:
        raise ValidationFailed(_("The file has no data rows."), fields={"file": [_("No data rows.")]})
    with transaction.atomic():
        job = ImportJob(
            owning_agency=agency,
            status=ImportStatus.PENDING,
            file_format=ImportFormat(fmt),
            rows_total=len(rows),
            created_by=actor,
        )
        job.file_name = seal(job, "file_name", file_name[:200])
        job.content = seal(job, "content", base64.b64encode(content).decode())
        job.save()
        audit_record(
            actor=actor,
            action="import.start",
            target_type=IMPORT_TARGET,
            target_id=job.public_id,
            changes={"rows": len(rows), "format": fmt, "ignored_columns": ignored[:30]},
        )
    if len(rows) < INLINE_IMPORT_ROWS:
        import_process(job_id=job.pk)
    else:
        from .tasks import run_import

        transaction.on_commit(lambda: run_import.enqueue(job.pk))
    job.refresh_from_db()
    return job


def _job_update(job: ImportJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields, updated_at=timezone.now())


def import_process(*, job_id: int) -> ImportJob:
    """Validate every row; if any fails, nothing is written and the job keeps a row-level error report; else all
    rows are written in one transaction (person_register + case_open per row, channel import)."""
    job = ImportJob.objects.select_related("created_by", "owning_agency").get(pk=job_id)
    if job.status != ImportStatus.PENDING:
        return job
    actor = job.created_by
    _job_update(job, status=ImportStatus.VALIDATING, started_at=timezone.now())
    try:
        content = base64.b64decode(unseal(job, "content"))
        rows, _ignored = importer.read_table(content, job.file_format)
        del content
        if not actor.is_active or not actor.can(Action.CASE_IMPORT):
            raise PermissionDenied()
        plans, errors = _validate_rows(job, rows)
        if errors:
            _finish(job, ImportStatus.INVALID, errors=errors)
            return job
        _job_update(job, status=ImportStatus.IMPORTING)
        refs, errors, duplicates = _write_rows(job, actor, plans)
        if errors:
            _finish(job, ImportStatus.INVALID, errors=errors)
        else:
            _finish(
                job,
                ImportStatus.DONE,
                rows_imported=len(refs),
                case_references=refs,
                possible_duplicates=duplicates,
            )
    except ServiceError as exc:
        _finish(job, ImportStatus.FAILED, failure=exc.message[:300])
    except Exception as exc:  # noqa: BLE001 - the job must end; details go to the log without data
        log.error("import failed", extra={"job": str(job.public_id), "error_type": type(exc).__name__})
        _finish(job, ImportStatus.FAILED, failure=_("Unexpected error: the administrators have been told."))
    return job


def _validate_rows(job: ImportJob, rows) -> tuple[list[importer.RowPlan], list[dict]]:
    parser = importer.RowParser(importer.Reference.load())
    plans: list[importer.RowPlan] = []
    errors: list[dict] = []
    seen: dict[tuple[str, str], int] = {}
    for index, (number, row) in enumerate(rows, start=1):
        try:
            plan = parser.parse(number, row)
        except ValidationFailed as exc:
            errors.extend(importer.errors_of(number, exc))
        else:
            for key in plan.duplicate_keys:
                if key in seen:
                    column = importer.SERVICE_FIELD_COLUMN.get(key[0], key[0])
                    errors.append(
                        {
                            "row": number,
                            "column": column,
                            "message": _("The same document number as row %(row)s.") % {"row": seen[key]},
                        }
                    )
                else:
                    seen[key] = number
            plans.append(plan)
        if index % PROGRESS_EVERY == 0:
            _job_update(job, rows_validated=index)
    _job_update(job, rows_validated=len(rows))
    return plans, errors


class _RowFailed(Exception):
    def __init__(self, errors: list[dict]):
        self.errors = errors


def _write_rows(job: ImportJob, actor, plans: list[importer.RowPlan]) -> tuple[list[str], list[dict], int]:
    """Write every row in one transaction. Returns the case references, the row errors (nothing written) and how
    many imported persons may already be registered (each such pair is queued for an officer's review: an import
    has nobody at hand to choose, so it never links by itself)."""
    refs: list[str] = []
    duplicates = 0
    try:
        with transaction.atomic():
            for plan in plans:
                try:
                    ref, queued = _write_row(job, actor, plan)
                except ServiceError as exc:
                    raise _RowFailed(importer.errors_of(plan.row, exc)) from exc
                refs.append(ref)
                duplicates += bool(queued)
            audit_record(
                actor=actor,
                action="import.complete",
                target_type=IMPORT_TARGET,
                target_id=job.public_id,
                changes={
                    "rows": len(refs),
                    "first": refs[0] if refs else "",
                    "last": refs[-1] if refs else "",
                    "possible_duplicates": duplicates,
                },
            )
    except _RowFailed as failed:
        return [], failed.errors, 0
    return refs, [], duplicates


def _write_row(job: ImportJob, actor, plan: importer.RowPlan) -> tuple[str, int]:
    # Persons already registered (earlier rows of this file included) who may be this one: queued for review.
    person, queued = people_services.person_register_queueing_duplicates(
        actor=actor, identity=plan.identity, owning_agency=job.owning_agency
    )
    case = case_services.case_open(
        actor=actor,
        person=person,
        identified_on=plan.identified_on,
        channel=IdentificationChannel.IMPORT,
        narrative=plan.narrative,
        htcds=plan.htcds,
        events=plan.events,
        is_child=plan.is_child,
        owning_agency=job.owning_agency,
        **plan.case_fields,
    )
    if plan.trafficking_status:
        case_services.status_decide(
            actor=actor,
            case=case,
            expected_version=case.version,
            status=plan.trafficking_status,
            decision_org=plan.decision_org,
            decided_on=plan.identified_on,
        )
        case.refresh_from_db(fields=["version"])
    if plan.case_status != CaseStatus.ACTIVE:
        case_services.case_set_status(
            actor=actor,
            case=case,
            status=plan.case_status,
            expected_version=case.version,
            closure_reason=plan.closure_reason,
            note=plan.closure_note,
        )
    return case.reference, queued


def _finish(job: ImportJob, status: str, **fields) -> None:
    """End the job and blank the uploaded content (it holds identities)."""
    _job_update(job, status=status, content="", finished_at=timezone.now(), **fields)
