"""Immediate protection and care (NRM stages 3, 4 and 6): needs, the individual care plan (HTCDS spl_), services
delivered, and the steps of returning a person home."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.accounts.models import Agency
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.core.errors import Conflict, ValidationFailed
from ctip.reference.selectors import htcds_value_codes, htcds_values

from .. import timeline
from ..enums import CaseSection, RepatriationStep, ServiceType
from ..models import TARGET, CarePlan, CarePlanAction, Case, NeedsAssessment, Repatriation, ServiceDelivery
from .core import person_birth_date, timeline_add
from .screening import require_open

__all__ = [
    "UNSET",
    "care_action_add",
    "care_action_update",
    "care_plan_add",
    "care_plan_end",
    "needs_assess",
    "repatriation_step_record",
    "service_record",
]

timeline.register("case.care_plan_ended", gettext_lazy("Care plan ended (%(plan_type)s)."))


class _Unset:
    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "UNSET"


UNSET = _Unset()  # "leave this field as it is" in update services


def _past_day(errors: dict, field: str, day: date | None, case: Case, *, required: bool = True) -> None:
    """A date something happened: not in the future, not before the case was identified."""
    if day is None:
        if required:
            errors.setdefault(field, []).append(_("Give a date."))
        return
    if day > timezone.localdate():
        errors.setdefault(field, []).append(_("The date cannot be in the future."))
    if day < case.identified_on:
        errors.setdefault(field, []).append(
            _("The date is before the case was identified (%(date)s).") % {"date": case.identified_on.isoformat()}
        )


def _plan_day(errors: dict, field: str, day: date | None, case: Case) -> None:
    """A planned date: may be in the future, not before the case was identified."""
    if day is not None and day < case.identified_on:
        errors.setdefault(field, []).append(
            _("The date is before the case was identified (%(date)s).") % {"date": case.identified_on.isoformat()}
        )


def _spl_types() -> frozenset[str]:
    return htcds_value_codes("spl_Type")


def _spl_label(value: str) -> str:
    return dict(htcds_values("spl_Type")).get(value, value)


def _check_agency(errors: dict, field: str, agency: Agency | None) -> None:
    if agency is not None and not agency.is_active:
        errors[field] = [_("This agency is no longer active.")]


# --- needs ----------------------------------------------------------------------------------------------------


@transaction.atomic
def needs_assess(
    *, actor: Actor, case: Case, needs: list[str], assessed_on: date, urgent: bool = False, notes: str = ""
) -> NeedsAssessment:
    require(actor, Action.CASE_EDIT, case, section=CaseSection.CARE)
    require_open(case)
    chosen = [n for n in dict.fromkeys(needs or []) if n]
    errors: dict[str, list[str]] = {}
    bad = [n for n in chosen if n not in ServiceType.values]
    if bad:
        errors["needs"] = [_("Not a service of the NRM: %(values)s.") % {"values": ", ".join(bad[:5])}]
    elif not chosen:
        errors["needs"] = [_("Choose at least one need.")]
    _past_day(errors, "assessed_on", assessed_on, case)
    if errors:
        raise ValidationFailed(fields=errors)
    assessment = NeedsAssessment(
        case=case, needs=chosen, urgent=bool(urgent), assessed_on=assessed_on, assessed_by=actor, created_by=actor
    )
    assessment.notes = notes
    assessment.save()
    audit_record(
        actor=actor,
        action="case.needs",
        target_type=TARGET,
        target_id=case.public_id,
        changes={"assessment": str(assessment.public_id), "needs": chosen, "urgent": bool(urgent)},
    )
    timeline_add(
        case=case,
        kind="case.needs",
        actor=actor,
        params={"needs": ", ".join(str(ServiceType(n).label) for n in chosen)},
        section=CaseSection.CARE,
    )
    return assessment


# --- care plans and their actions -----------------------------------------------------------------------------


@transaction.atomic
def care_plan_add(
    *, actor: Actor, case: Case, plan_type: str, objectives: str, planned_end: date | None = None
) -> CarePlan:
    require(actor, Action.CASE_EDIT, case, section=CaseSection.CARE)
    require_open(case)
    errors: dict[str, list[str]] = {}
    if plan_type not in _spl_types():
        errors["plan_type"] = [_("Choose a support plan type.")]
    if not (objectives or "").strip():
        errors["objectives"] = [_("Write the objectives of the plan.")]
    _plan_day(errors, "planned_end", planned_end, case)
    if errors:
        raise ValidationFailed(fields=errors)
    plan = CarePlan(case=case, plan_type=plan_type, planned_end=planned_end, created_by=actor)
    plan.objectives = objectives
    plan.save()
    audit_record(
        actor=actor,
        action="case.care_plan",
        target_type=TARGET,
        target_id=case.public_id,
        changes={
            "plan": str(plan.public_id),
            "plan_type": plan_type,
            "planned_end": planned_end.isoformat() if planned_end else "",
        },
    )
    timeline_add(
        case=case,
        kind="case.care_plan",
        actor=actor,
        params={"plan_type": _spl_label(plan_type)},
        section=CaseSection.CARE,
    )
    return plan


@transaction.atomic
def care_plan_end(*, actor: Actor, plan: CarePlan, expected_version: int, actual_end: date) -> CarePlan:
    """Record the actual end of a care plan (HTCDS spl_ActualEndDate)."""
    case = plan.case
    require(actor, Action.CASE_EDIT, case, section=CaseSection.CARE)
    locked = CarePlan.objects.select_for_update().get(pk=plan.pk)
    if locked.version != expected_version:
        raise Conflict()
    errors: dict[str, list[str]] = {}
    _past_day(errors, "actual_end", actual_end, case)
    if errors:
        raise ValidationFailed(fields=errors)
    locked.actual_end = actual_end
    locked.version += 1
    locked.save(update_fields=["actual_end", "version", "updated_at"])
    audit_record(
        actor=actor,
        action="case.care_plan_end",
        target_type=TARGET,
        target_id=case.public_id,
        changes={"plan": str(locked.public_id), "actual_end": actual_end.isoformat()},
    )
    timeline_add(
        case=case,
        kind="case.care_plan_ended",
        actor=actor,
        params={"plan_type": _spl_label(locked.plan_type)},
        section=CaseSection.CARE,
    )
    return locked


def _check_action(errors: dict, case: Case, *, description, service_type, agency, planned_on, done_on) -> None:
    if description is not None and not description.strip():
        errors["description"] = [_("Describe the action.")]
    if service_type and service_type not in ServiceType.values:
        errors["service_type"] = [_("Choose a service of the NRM.")]
    _check_agency(errors, "responsible_agency", agency)
    _plan_day(errors, "planned_on", planned_on, case)
    _past_day(errors, "done_on", done_on, case, required=False)


@transaction.atomic
def care_action_add(
    *,
    actor: Actor,
    plan: CarePlan,
    description: str,
    service_type: str = "",
    responsible_agency: Agency | None = None,
    planned_on: date | None = None,
    done_on: date | None = None,
) -> CarePlanAction:
    case = plan.case
    require(actor, Action.CASE_EDIT, case, section=CaseSection.CARE)
    require_open(case)
    errors: dict[str, list[str]] = {}
    _check_action(
        errors,
        case,
        description=description or "",
        service_type=service_type,
        agency=responsible_agency,
        planned_on=planned_on,
        done_on=done_on,
    )
    if errors:
        raise ValidationFailed(fields=errors)
    action = CarePlanAction(
        plan=plan,
        service_type=service_type or "",
        responsible_agency=responsible_agency,
        planned_on=planned_on,
        done_on=done_on,
        created_by=actor,
    )
    action.description = description
    action.save()
    audit_record(
        actor=actor,
        action="case.care_action_add",
        target_type=TARGET,
        target_id=case.public_id,
        changes={
            "plan": str(plan.public_id),
            "action": str(action.public_id),
            "service_type": action.service_type,
            "responsible_agency": responsible_agency.pk if responsible_agency else None,
            "planned_on": planned_on.isoformat() if planned_on else "",
            "done_on": done_on.isoformat() if done_on else "",
        },
    )
    timeline_add(case=case, kind="case.care_action", actor=actor, section=CaseSection.CARE)
    return action


@transaction.atomic
def care_action_update(
    *,
    actor: Actor,
    action: CarePlanAction,
    expected_version: int,
    description=UNSET,
    service_type=UNSET,
    responsible_agency=UNSET,
    planned_on=UNSET,
    done_on=UNSET,
) -> CarePlanAction:
    """Change an action of a care plan (typically: mark it done). Pass only what changes."""
    case = action.plan.case
    require(actor, Action.CASE_EDIT, case, section=CaseSection.CARE)
    locked = CarePlanAction.objects.select_for_update().get(pk=action.pk)
    if locked.version != expected_version:
        raise Conflict()
    given = {
        "service_type": service_type,
        "responsible_agency": responsible_agency,
        "planned_on": planned_on,
        "done_on": done_on,
    }
    given = {k: v for k, v in given.items() if v is not UNSET}
    errors: dict[str, list[str]] = {}
    _check_action(
        errors,
        case,
        description=None if description is UNSET else (description or ""),
        service_type=given.get("service_type", ""),
        agency=given.get("responsible_agency"),
        planned_on=given.get("planned_on"),
        done_on=given.get("done_on"),
    )
    if errors:
        raise ValidationFailed(fields=errors)
    if "service_type" in given:
        given["service_type"] = given["service_type"] or ""
    changed = [name for name, value in given.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, given[name])
    if description is not UNSET:
        locked.description = description
        changed.append("description")
    if not changed:
        return locked
    locked.version += 1
    locked.save(update_fields=[*changed, "version", "updated_at"])
    audit_record(
        actor=actor,
        action="case.care_action_update",
        target_type=TARGET,
        target_id=case.public_id,
        changes={
            "action": str(locked.public_id),
            "fields": sorted(changed),
            "done_on": locked.done_on.isoformat() if locked.done_on else "",
        },
    )
    timeline_add(case=case, kind="case.care_action", actor=actor, section=CaseSection.CARE)
    return locked


# --- services delivered -------------------------------------------------------------------------------------------


@transaction.atomic
def service_record(
    *,
    actor: Actor,
    case: Case,
    service_type: str,
    delivered_on: date,
    provider: Agency | None = None,
    notes: str = "",
) -> ServiceDelivery:
    """A service delivered to the person. A provider the case was shared with records only its own services."""
    access = require(actor, Action.SERVICE_RECORD, case, section=CaseSection.CARE)
    errors: dict[str, list[str]] = {}
    if not access.owner_side:  # through a share or break-the-glass
        if provider is not None and provider.pk != actor.agency_id:
            errors["provider"] = [_("You can record only the services of your own agency.")]
        provider = actor.agency
    provider = provider or actor.agency
    if provider is None:
        errors["provider"] = [_("Choose the agency that delivered the service.")]
    else:
        _check_agency(errors, "provider", provider)
    if service_type not in ServiceType.values:
        errors["service_type"] = [_("Choose a service of the NRM.")]
    _past_day(errors, "delivered_on", delivered_on, case)
    if errors:
        raise ValidationFailed(fields=errors)
    assert provider is not None  # refused above
    delivery = ServiceDelivery(
        case=case, service_type=service_type, provider=provider, delivered_on=delivered_on, created_by=actor
    )
    delivery.notes = notes
    delivery.save()
    audit_record(
        actor=actor,
        action="case.service",
        target_type=TARGET,
        target_id=case.public_id,
        changes={
            "service": str(delivery.public_id),
            "service_type": service_type,
            "provider": provider.pk,
            "delivered_on": delivered_on.isoformat(),
            "via": access.via,
        },
    )
    timeline_add(
        case=case,
        kind="case.service",
        actor=actor,
        params={"service": str(ServiceType(service_type).label), "provider": str(provider)},
        section=CaseSection.CARE,
    )
    return delivery


# --- return home ---------------------------------------------------------------------------------------------------


@transaction.atomic
def repatriation_step_record(
    *,
    actor: Actor,
    case: Case,
    step: str,
    planned_on: date | None = None,
    done_on: date | None = None,
    notes: str = "",
) -> Repatriation:
    """Plan or record one step of returning the person home (a Kenyan abroad, or a foreign victim). Each step is
    kept once per case: recording it again updates the dates."""
    require(actor, Action.CASE_EDIT, case, section=CaseSection.RETURN)
    errors: dict[str, list[str]] = {}
    if not (case.is_abroad or case.is_foreign):
        raise ValidationFailed(
            _("Return steps apply to Kenyans abroad and to foreign nationals."),
            fields={"step": [_("This case is neither a Kenyan abroad nor a foreign national.")]},
        )
    if step not in RepatriationStep.values:
        errors["step"] = [_("Choose a step.")]
    if planned_on is None and done_on is None:
        errors["planned_on"] = [_("Give the planned date or the date done.")]
    dob = person_birth_date(case.person)
    for field, day in (("planned_on", planned_on), ("done_on", done_on)):
        if day is not None and dob and day < dob:
            errors.setdefault(field, []).append(_("The date is before the person's date of birth."))
    _past_day(errors, "done_on", done_on, case, required=False)
    if errors:
        raise ValidationFailed(fields=errors)
    existing = Repatriation.objects.select_for_update().filter(case=case, step=step).first()
    created = existing is None
    row = existing or Repatriation(case=case, step=step, created_by=actor)
    row.planned_on = planned_on if planned_on is not None else row.planned_on
    row.done_on = done_on if done_on is not None else row.done_on
    if notes or created:
        row.notes = notes
    if not created:
        row.version += 1
    row.save()
    audit_record(
        actor=actor,
        action="case.repatriation",
        target_type=TARGET,
        target_id=case.public_id,
        changes={
            "step": step,
            "created": created,
            "planned_on": row.planned_on.isoformat() if row.planned_on else "",
            "done_on": row.done_on.isoformat() if row.done_on else "",
        },
    )
    timeline_add(
        case=case,
        kind="case.repatriation",
        actor=actor,
        params={"step": str(RepatriationStep(step).label)},
        section=CaseSection.RETURN,
    )
    return row
