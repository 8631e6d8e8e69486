"""Screening, the trafficking-status decision and non-punishment (NRM stages 1-2; CTIP Act s.14).

The system only suggests a status from the Delphi indicators (ctip.reference.delphi); an officer decides, and every
decision is kept (StatusDecision) with the latest copied onto the case.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.core.errors import ValidationFailed
from ctip.reference import delphi
from ctip.reference.models import IndicatorList
from ctip.reference.selectors import indicator_list as indicator_catalogue

from .. import timeline
from ..enums import CaseSection, DecisionMakingOrg, TraffickingStatus
from ..models import TARGET, Case, Screening, StatusDecision
from .core import bump, lock_case, person_birth_date, timeline_add

__all__ = [
    "SCREENING_SLACK_DAYS",
    "SUGGESTION_FOR_OUTCOME",
    "non_punishment_update",
    "require_open",
    "screening_record",
    "status_decide",
]

# The Delphi outcome -> the status the system suggests (an officer decides).
SUGGESTION_FOR_OUTCOME = {
    delphi.LIKELY: TraffickingStatus.ACTUAL,
    delphi.POSSIBLE: TraffickingStatus.POSSIBLE,
    delphi.NOT_MET: TraffickingStatus.NOT_A_VICTIM,
}
# A screening may be recorded a little before the case was registered (the interview happened first).
SCREENING_SLACK_DAYS = 30

timeline.register("case.non_punishment_updated", gettext_lazy("Charges and detention details updated."))


def require_open(case: Case) -> None:
    """New work (screening, plans, follow-ups...) is not added to a closed case: re-open it first."""
    if case.is_closed:
        raise ValidationFailed(_("The case is closed. Re-open it first."))


def _check_day(
    errors: dict, field: str, day: date | None, *, case: Case, dob: date | None, not_before: date | None = None
) -> None:
    if day is None:
        errors.setdefault(field, []).append(_("Give a date."))
        return
    if day > timezone.localdate():
        errors.setdefault(field, []).append(_("The date cannot be in the future."))
    if dob and day < dob:
        errors.setdefault(field, []).append(_("The date is before the person's date of birth."))
    elif not_before and day < not_before:
        errors.setdefault(field, []).append(
            _("The date is before the case was identified (%(date)s).") % {"date": case.identified_on.isoformat()}
        )


def _rationale(assessment: delphi.Assessment, *, is_child: bool) -> list[dict]:
    items: list[dict] = []
    if not assessment.counts:
        items.append({"code": "delphi.no_indicators", "params": {}})
    for dimension in delphi.DIMENSIONS:
        counts = assessment.counts.get(dimension)
        if not counts:
            continue
        params = {
            "dimension": dimension,
            "strong": counts.get("strong", 0),
            "medium": counts.get("medium", 0),
            "weak": counts.get("weak", 0),
        }
        code = "delphi.dimension_positive" if dimension in assessment.positive else "delphi.dimension_negative"
        items.append({"code": code, "params": params})
    if any(c.get("strong") for c in assessment.counts.values()):
        items.append({"code": "delphi.strong_present", "params": {}})
    items.append({"code": "delphi.child_rule" if is_child else "delphi.adult_rule", "params": {}})
    items.append({"code": f"delphi.{assessment.outcome}", "params": {}})
    items.append({"code": "delphi.provisional", "params": {}})
    return items


@transaction.atomic
def screening_record(
    *,
    actor: Actor,
    case: Case,
    indicator_list: str,
    indicator_codes: Iterable[str],
    screened_on: date,
    notes: str = "",
) -> Screening:
    """Record a Delphi indicator checklist and store the system's suggestion with its rationale."""
    require(actor, Action.CASE_SCREEN, case, section=CaseSection.STATUS)
    require_open(case)
    errors: dict[str, list[str]] = {}
    codes = [c for c in dict.fromkeys(indicator_codes or []) if c]
    if indicator_list not in IndicatorList.values:
        errors["indicator_list"] = [_("Choose one of the four indicator lists.")]
    elif indicator_list.startswith("child_") != bool(case.is_child):
        errors["indicator_list"] = [
            _("The person is a child: use a list for children.")
            if case.is_child
            else _("The person is an adult: use a list for adults.")
        ]
    found = []
    if "indicator_list" not in errors:
        found = list(indicator_catalogue(indicator_list, active_only=True).filter(code__in=codes))
        unknown = sorted(set(codes) - {i.code for i in found})
        if unknown:
            errors["indicator_codes"] = [
                _("Not an indicator of this list in use: %(codes)s.") % {"codes": ", ".join(unknown[:10])}
            ]
    _check_day(
        errors,
        "screened_on",
        screened_on,
        case=case,
        dob=person_birth_date(case.person),
        not_before=case.identified_on - timedelta(days=SCREENING_SLACK_DAYS),
    )
    if errors:
        raise ValidationFailed(fields=errors)
    assessment = delphi.assess(((i.dimension, i.strength) for i in found), is_child=case.is_child)
    suggestion = SUGGESTION_FOR_OUTCOME[assessment.outcome]
    screening = Screening(
        case=case,
        indicator_list=indicator_list,
        suggestion=suggestion,
        rationale=_rationale(assessment, is_child=case.is_child),
        screened_on=screened_on,
        screened_by=actor,
        created_by=actor,
    )
    screening.notes = notes
    screening.save()
    screening.indicators.set(found)
    audit_record(
        actor=actor,
        action="case.screen",
        target_type=TARGET,
        target_id=case.public_id,
        changes={
            "screening": str(screening.public_id),
            "list": indicator_list,
            "indicators": sorted(i.code for i in found),
            "outcome": assessment.outcome,
            "suggestion": suggestion,
            "positive": list(assessment.positive),
        },
    )
    timeline_add(
        case=case,
        kind="case.screened",
        actor=actor,
        params={
            "list": str(IndicatorList(indicator_list).label),
            "suggestion": str(TraffickingStatus(suggestion).label),
        },
        section=CaseSection.STATUS,
    )
    return screening


@transaction.atomic
def status_decide(
    *,
    actor: Actor,
    case: Case,
    expected_version: int,
    status: str,
    decision_org: str,
    decided_on: date,
    screening: Screening | None = None,
    rationale: str = "",
) -> StatusDecision:
    """An officer decides the trafficking status (HTCDS vic_TraffickingStatus + ...DecisionMakingOrg)."""
    require(actor, Action.CASE_SCREEN, case, section=CaseSection.STATUS)
    locked = lock_case(case, expected_version)
    require_open(locked)
    errors: dict[str, list[str]] = {}
    if status not in TraffickingStatus.values:
        errors["status"] = [_("Choose a trafficking status.")]
    if decision_org not in DecisionMakingOrg.values:
        errors["decision_org"] = [_("Choose the type of organisation that decided.")]
    _check_day(errors, "decided_on", decided_on, case=locked, dob=None, not_before=locked.identified_on)
    if screening is not None and screening.case_id != locked.pk:
        errors["screening"] = [_("This screening belongs to another case.")]
    if actor.agency_id is None:
        errors.setdefault("__all__", []).append(_("Only an officer of an agency can decide a status."))
    if errors:
        non_field = errors.pop("__all__", None)
        raise ValidationFailed(" ".join(non_field) if non_field else None, fields=errors)
    assert actor.agency_id is not None  # refused above
    decision = StatusDecision(
        case=locked,
        status=status,
        decision_org=decision_org,
        deciding_agency_id=actor.agency_id,
        decided_on=decided_on,
        decided_by=actor,
        screening=screening,
        created_by=actor,
    )
    decision.rationale = rationale
    decision.save()
    latest = StatusDecision.objects.filter(case=locked).order_by("-decided_on", "-id").first()
    assert latest is not None  # at least the decision saved just above
    old = (locked.trafficking_status, locked.decision_org)
    locked.trafficking_status = latest.status
    locked.decision_org = latest.decision_org
    bump(locked, "trafficking_status", "decision_org")
    audit_record(
        actor=actor,
        action="case.decide",
        target_type=TARGET,
        target_id=locked.public_id,
        changes={
            "decision": str(decision.public_id),
            "status": status,
            "decision_org": decision_org,
            "decided_on": decided_on.isoformat(),
            "screening": str(screening.public_id) if screening else "",
            "case_status": [old[0], locked.trafficking_status],
        },
    )
    timeline_add(
        case=locked,
        kind="case.decision",
        actor=actor,
        params={"status": str(TraffickingStatus(status).label), "org": str(DecisionMakingOrg(decision_org).label)},
        section=CaseSection.STATUS,
    )
    return decision


@transaction.atomic
def non_punishment_update(
    *,
    actor: Actor,
    case: Case,
    expected_version: int,
    faces_charges: bool,
    in_detention: bool,
    detention_place: str = "",
    charges_note: str = "",
) -> Case:
    """Charges and detention of the victim: the header flags non-punishment (CTIP Act s.14) while either holds."""
    require(actor, Action.CASE_EDIT, case, section=CaseSection.NON_PUNISHMENT)
    locked = lock_case(case, expected_version)
    detention_place = (detention_place or "").strip()
    charges_note = (charges_note or "").strip()
    errors: dict[str, list[str]] = {}
    if (faces_charges or in_detention) and not detention_place:
        errors["detention_place"] = [_("Say where the person is charged or detained.")]
    if len(detention_place) > 200:
        errors["detention_place"] = [_("At most 200 characters.")]
    if len(charges_note) > 300:
        errors["charges_note"] = [_("At most 300 characters.")]
    if errors:
        raise ValidationFailed(fields=errors)
    new = {
        "faces_charges": bool(faces_charges),
        "in_detention": bool(in_detention),
        "detention_place": detention_place,
        "charges_note": charges_note,
    }
    changed = [name for name, value in new.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    was_flagged = locked.non_punishment_flag
    for name in changed:
        setattr(locked, name, new[name])
    bump(locked, *changed)
    audit_record(
        actor=actor,
        action="case.non_punishment",
        target_type=TARGET,
        target_id=locked.public_id,
        changes={
            "fields": sorted(changed),
            "faces_charges": locked.faces_charges,
            "in_detention": locked.in_detention,
        },
    )
    kind = "case.non_punishment" if locked.non_punishment_flag and not was_flagged else "case.non_punishment_updated"
    timeline_add(case=locked, kind=kind, actor=actor, section=CaseSection.NON_PUNISHMENT)
    return locked
